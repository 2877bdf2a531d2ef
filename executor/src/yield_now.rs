//! [`yield_now`]: give the CPU to every other ready task, then continue.
//!
//! The future wakes its own task and returns `Pending` once. The wake lands while the task is
//! being polled, so the run loop puts it at the back of its CPU's queue (see `task.rs`): every
//! task that was ready before it runs first. This is what the kernel's preemption uses, so a
//! user thread that is preempted in a loop cannot starve the others.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// Yields once to the other ready tasks; the task goes to the back of the ready queue.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future returned by [`yield_now`].
#[must_use = "yield_now does nothing unless awaited"]
#[derive(Debug)]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
