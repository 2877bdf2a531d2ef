//! Waking a task: the `Waker` behind every task's `Context`.
//!
//! A wake sets the task's `SCHEDULED` bit. If the task was idle (neither scheduled, running nor
//! closed), the waker pushes it onto the ready queue of the CPU that owns it, which then asks
//! the platform to wake that CPU if it may be halted (see `Executor::enqueue`). If the task was
//! running, the CPU polling it requeues it when the poll ends; if it was already queued or
//! closed, there is nothing to do. So a task woken many times is queued once, and a wake that
//! lands during the poll is not lost.
//!
//! The path is a `fetch_or`, a relaxed load, a lock-free queue push and at most one IPI: it
//! never allocates, blocks or panics, and may run in interrupt handlers. Dropping a waker may
//! free a finished task's memory (never run a future's destructor, see `task.rs`), so the
//! kernel's allocator must accept frees with interrupts masked.
//!
//! The `Waker` is built by `futures-util`'s `ArcWake` over the task's `Arc`, and the run loop
//! lends it to the poll with `waker_ref`, so a poll costs no reference-count traffic.

use alloc::sync::Arc;
use core::future::Future;

use futures_util::task::ArcWake;

use crate::platform::Platform;
use crate::sync::Ordering;
use crate::task::Task;

impl<F, P> ArcWake for Task<F, P>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    P: Platform,
{
    fn wake(self: Arc<Self>) {
        if self.mark_scheduled() {
            let owner = self.owner.load(Ordering::Relaxed);
            self.executor.enqueue(self, owner);
        }
    }

    fn wake_by_ref(arc_self: &Arc<Self>) {
        if arc_self.mark_scheduled() {
            let owner = arc_self.owner.load(Ordering::Relaxed);
            arc_self.executor.enqueue(arc_self.clone(), owner);
        }
    }
}
