//! Helpers for the host tests: wakers that count, polling by hand, and a manual clock.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use crate::abi::{HandleValue, Rights, Signals};
use crate::handle::HandleTable;
use crate::ipc::{Event, Port};
use crate::signal::object_signal;
use crate::time::{Clock, ManualClock};

/// A waker that counts its wakes.
pub(crate) struct Counter {
    wakes: AtomicUsize,
}

impl Counter {
    /// A counter and a waker that bumps it.
    pub(crate) fn new() -> (Arc<Counter>, Waker) {
        let counter = Arc::new(Counter {
            wakes: AtomicUsize::new(0),
        });
        (counter.clone(), Waker::from(counter))
    }

    /// How many wakes so far.
    pub(crate) fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

impl Wake for Counter {
    fn wake(self: Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

/// Polls `future` once with `waker`.
pub(crate) fn poll<F: Future + Unpin>(future: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(waker))
}

/// Polls `future` once with a waker nobody watches.
pub(crate) fn poll_noop<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    poll(future, Waker::noop())
}

/// A manual clock at time 0, and the same clock as the trait object waits take.
pub(crate) fn manual_clock() -> (Arc<ManualClock>, Arc<dyn Clock>) {
    let clock = ManualClock::new(0);
    (clock.clone(), clock)
}

/// A new event in `table`.
pub(crate) fn event(table: &HandleTable) -> HandleValue {
    table.insert(Event::create(0).unwrap()).unwrap()
}

/// A new port in `table`, and the port itself.
pub(crate) fn port(table: &HandleTable) -> (HandleValue, Arc<Port>) {
    let value = table.insert(Port::create(0).unwrap()).unwrap();
    (value, table.get::<Port>(value, Rights::empty()).unwrap())
}

/// `object_signal` that must succeed.
pub(crate) fn signal(table: &HandleTable, value: HandleValue, clear: Signals, set: Signals) {
    object_signal(table, value, clear.bits(), set.bits()).unwrap();
}

/// The output of a future that must be ready on its next poll.
pub(crate) fn ready<F: Future + Unpin>(future: &mut F) -> F::Output {
    match poll_noop(future) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future is still pending"),
    }
}
