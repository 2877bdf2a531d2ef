//! Helpers for the host tests: wakers that count, polling by hand, and a manual clock.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

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
