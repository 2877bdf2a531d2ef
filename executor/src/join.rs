//! [`JoinHandle`]: the spawner's side of a task: await its output, cancel it by dropping the
//! handle, or let it go with [`JoinHandle::detach`].
//!
//! # Why dropping the handle cancels
//! A Spinel syscall that waits is a task whose caller may stop caring (the thread is killed, a
//! handle closes, a deadline passes). Tying the task's life to the handle makes "stop caring"
//! the default and leaking work the explicit choice (`detach`), the way dropping any other
//! future cancels it. Cancellation is cooperative and safe: the task's future is dropped at its
//! next await point (never while it is being polled) by the CPU that owns it, so its destructors
//! (unregistering wakers, releasing objects) run in ordinary task context.

use alloc::sync::Arc;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::task::JoinTarget;

/// Owns a spawned task: a future of the task's output.
///
/// - Awaiting it yields the output once the task's future completes.
/// - Dropping it cancels the task: if the future has not completed, it is dropped at its next
///   await point, on its CPU; the output, if already produced, is dropped.
/// - [`JoinHandle::detach`] lets the task run to completion with nobody waiting for it.
///
/// Polling the handle again after it returned the output panics.
#[must_use = "dropping a JoinHandle cancels the task; call detach() to let it run"]
pub struct JoinHandle<T> {
    task: Option<Arc<dyn JoinTarget<T>>>,
}

impl<T> JoinHandle<T> {
    /// Wraps a freshly spawned task.
    pub(crate) fn new(task: Arc<dyn JoinTarget<T>>) -> Self {
        Self { task: Some(task) }
    }

    /// Lets the task run to completion with nobody waiting; its output is dropped.
    pub fn detach(mut self) {
        if let Some(task) = self.task.take() {
            task.detach();
        }
    }

    /// Cancels the task; the same as dropping the handle, spelled out.
    pub fn cancel(self) {}

    /// Whether the task's future has completed (its output may still be waiting here).
    pub fn is_finished(&self) -> bool {
        self.task.as_ref().is_some_and(|task| task.is_finished())
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let task = self
            .task
            .as_ref()
            .expect("a detached JoinHandle cannot be polled");
        task.poll_join(cx)
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.cancel();
        }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("finished", &self.is_finished())
            .finish()
    }
}
