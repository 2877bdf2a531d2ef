//! [`Event`]: a flag one task sets and another awaits, the smallest cross-task wake-up.
//!
//! Used by the SMP demo, the tests and the benchmark to make tasks wake each other, possibly
//! across CPUs. [`Event::signal`] may be called from any CPU or interrupt handler; one waiter at
//! a time may [`Event::wait`], and each wait consumes the signal.

use core::future::poll_fn;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::Poll;
use futures_util::task::AtomicWaker;

/// A one-waiter, auto-resetting event.
#[derive(Debug, Default)]
pub struct Event {
    signalled: AtomicBool,
    waiter: AtomicWaker,
}

impl Event {
    /// An event not signalled.
    pub const fn new() -> Event {
        Event {
            signalled: AtomicBool::new(false),
            waiter: AtomicWaker::new(),
        }
    }

    /// Signals the event, waking its waiter if one is registered. Interrupt-safe.
    pub fn signal(&self) {
        self.signalled.store(true, Ordering::Release);
        self.waiter.wake();
    }

    /// Waits until the event is signalled, and resets it.
    pub async fn wait(&self) {
        poll_fn(|cx| {
            if self.signalled.swap(false, Ordering::Acquire) {
                return Poll::Ready(());
            }
            self.waiter.register(cx.waker());
            // A signal between the first look and the registration did not see our waker.
            if self.signalled.swap(false, Ordering::Acquire) {
                return Poll::Ready(());
            }
            Poll::Pending
        })
        .await
    }
}
