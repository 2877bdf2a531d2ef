//! How the kernel runs a thread's syscalls: "the syscall's future, or the thread being
//! killed, whichever comes first", and the blocked states `ZX_INFO_THREAD` reports while a
//! syscall waits (spec §2.3).
//!
//! [`Thread::run_until_killed`] polls the syscall's future; once it is pending it also
//! watches the thread's private kill signal, and when that fires it resolves to `None` and
//! drops the syscall's future, whose destructors unregister its waiters. A non-blocking
//! syscall pays one atomic load for this. [`Thread::run_blocking`] does the same and reports
//! `BLOCKED_<reason>` while the future is pending; [`Thread::enter_blocked`] is the bare
//! guard and [`Thread::killed`] the bare kill watch, for code that manages its own waiting.

use core::future::{Future, poll_fn};
use core::pin::{Pin, pin};
use core::task::Poll;

use super::thread::{KILLED, Lifecycle, Thread};
use crate::abi::ThreadState;
use crate::signal::StateWait;

/// What a blocked syscall waits for (the `ZX_THREAD_STATE_BLOCKED_*` states other than
/// `BLOCKED_EXCEPTION`, which exception handling sets itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockedReason {
    /// `zx_nanosleep`.
    Sleeping,
    /// `zx_futex_wait`.
    Futex,
    /// `zx_port_wait`.
    Port,
    /// `zx_channel_call`.
    Channel,
    /// `zx_object_wait_one`.
    WaitOne,
    /// `zx_object_wait_many`.
    WaitMany,
    /// `zx_interrupt_wait`.
    Interrupt,
    /// A page fault waiting for a pager.
    Pager,
}

impl BlockedReason {
    /// The thread state reported while blocked for this reason.
    pub fn state(self) -> ThreadState {
        match self {
            BlockedReason::Sleeping => ThreadState::BlockedSleeping,
            BlockedReason::Futex => ThreadState::BlockedFutex,
            BlockedReason::Port => ThreadState::BlockedPort,
            BlockedReason::Channel => ThreadState::BlockedChannel,
            BlockedReason::WaitOne => ThreadState::BlockedWaitOne,
            BlockedReason::WaitMany => ThreadState::BlockedWaitMany,
            BlockedReason::Interrupt => ThreadState::BlockedInterrupt,
            BlockedReason::Pager => ThreadState::BlockedPager,
        }
    }
}

/// Resolves once the thread is killed; see [`Thread::killed`].
#[must_use = "futures do nothing unless polled"]
pub struct Killed<'a> {
    wait: StateWait<'a>,
}

impl Future for Killed<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut core::task::Context<'_>) -> Poll<()> {
        Pin::new(&mut self.wait).poll(cx).map(|_| ())
    }
}

/// Reports a running thread as blocked until dropped; see [`Thread::enter_blocked`].
#[must_use = "the thread is reported blocked only while the guard lives"]
pub struct BlockedGuard<'a> {
    thread: &'a Thread,
}

impl Drop for BlockedGuard<'_> {
    fn drop(&mut self) {
        self.thread.inner.lock().blocked = None;
    }
}

impl Thread {
    /// Reports the thread as `BLOCKED_<reason>` until the guard is dropped (a dying or dead
    /// thread keeps reporting that).
    pub fn enter_blocked(&self, reason: BlockedReason) -> BlockedGuard<'_> {
        let mut inner = self.inner.lock();
        if inner.lifecycle == Lifecycle::Running {
            inner.blocked = Some(reason);
        }
        BlockedGuard { thread: self }
    }

    /// A future that resolves once the thread is killed, to race against a wait. It parks
    /// on its first poll and unparks when dropped; nothing wakes it afterwards.
    pub fn killed(&self) -> Killed<'_> {
        Killed {
            wait: StateWait::new(&self.control, KILLED),
        }
    }

    /// Runs `future` until it completes (`Some` of its output) or the thread is killed
    /// (`None`; `future` is dropped at once, and nothing it registered will wake the thread
    /// again). A thread killed before the call gets `None` without `future` being polled.
    pub async fn run_until_killed<F: Future>(&self, future: F) -> Option<F::Output> {
        self.run(None, future).await
    }

    /// [`Thread::run_until_killed`], reporting the thread as `BLOCKED_<reason>` while
    /// `future` is pending.
    pub async fn run_blocking<F: Future>(
        &self,
        reason: BlockedReason,
        future: F,
    ) -> Option<F::Output> {
        self.run(Some(reason), future).await
    }

    async fn run<F: Future>(&self, reason: Option<BlockedReason>, future: F) -> Option<F::Output> {
        let mut future = pin!(future);
        let mut killed = self.killed();
        let mut blocked: Option<BlockedGuard<'_>> = None;
        poll_fn(|cx| {
            if self.is_killed() {
                return Poll::Ready(None);
            }
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                return Poll::Ready(Some(output));
            }
            if Pin::new(&mut killed).poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            if let (Some(reason), None) = (reason, &blocked) {
                blocked = Some(self.enter_blocked(reason));
            }
            Poll::Pending
        })
        .await
    }
}
