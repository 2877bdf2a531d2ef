//! Helpers shared by the integration tests: blocking on a future with a watchdog, wakers that
//! notice being called too late, and a table entry for a new event.

#![allow(dead_code)]

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use objects::abi::HandleValue;
use objects::handle::HandleTable;
use objects::ipc::Event;
use objects::time::{Clock, ManualClock};

pub mod tasks;

/// How long a blocked test thread waits before it declares a wake-up lost. Generous: it only
/// fires when a wake-up never comes.
pub const LOST_WAKEUP: Duration = Duration::from_secs(20);

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` on this thread, parking between polls; panics if no wake-up comes for
/// [`LOST_WAKEUP`].
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut last_progress = Instant::now();
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        thread::park_timeout(LOST_WAKEUP);
        if last_progress.elapsed() >= LOST_WAKEUP {
            panic!("no wake-up for {LOST_WAKEUP:?}: a wake-up was lost");
        }
        last_progress = Instant::now();
    }
}

/// A manual clock, as the trait object the waits take.
pub fn clock() -> Arc<dyn Clock> {
    ManualClock::new(0)
}

/// A waker that counts the calls made after its future was declared dropped.
pub struct Sentinel {
    dropped: AtomicBool,
    late: Arc<AtomicUsize>,
}

impl Sentinel {
    /// A sentinel reporting late calls into `late`.
    pub fn new(late: Arc<AtomicUsize>) -> Arc<Sentinel> {
        Arc::new(Sentinel {
            dropped: AtomicBool::new(false),
            late,
        })
    }

    /// Declares the future dropped: every later wake is late.
    pub fn mark_dropped(&self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

impl Wake for Sentinel {
    fn wake(self: Arc<Self>) {
        if self.dropped.load(Ordering::SeqCst) {
            self.late.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// A new event's handle in `table`.
pub fn event(table: &HandleTable) -> HandleValue {
    table.insert(Event::create(0).unwrap()).unwrap()
}
