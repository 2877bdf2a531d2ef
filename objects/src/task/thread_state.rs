//! How the kernel runs a thread's syscalls: "the syscall's future, or the thread being
//! killed, whichever comes first", and the blocked states `ZX_INFO_THREAD` reports while a
//! syscall waits (spec §2.3).
//!
//! [`Thread::run_until_killed`] polls the syscall's future; once it is pending it also parks
//! its waker in the thread, where a kill calls it, and then it resolves to `None` and drops the
//! syscall's future, whose destructors unregister its waiters. A non-blocking
//! syscall pays one atomic load for this. [`Thread::run_blocking`] does the same and reports
//! `BLOCKED_<reason>` while the future is pending; [`Thread::enter_blocked`] is the bare
//! guard and [`Thread::killed`] the bare kill watch, for code that manages its own waiting.
//!
//! Both return an [`UntilKilled`], a future written out by hand rather than an `async fn`: the
//! wrapped future moves into it once, where each layer of `async fn` would copy it again. It
//! takes `Unpin` futures (every wait of this crate is one; pin others first).

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

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

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
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

    /// Parks `waker` where [`Thread::kill`] wakes it and, with a `reason`, reports the thread
    /// as `BLOCKED_<reason>` (unless it is dying or dead); false, parking nothing, if the
    /// thread was killed already. Checked under the lock the kill takes, so no kill is missed.
    fn park(&self, reason: Option<BlockedReason>, waker: &Waker) -> bool {
        let mut inner = self.inner.lock();
        if self.is_killed() {
            return false;
        }
        match &inner.kill_waker {
            Some(parked) if parked.will_wake(waker) => {}
            _ => inner.kill_waker = Some(waker.clone()),
        }
        inner.kill_waker_parked = true;
        if let Some(reason) = reason
            && inner.lifecycle == Lifecycle::Running
        {
            inner.blocked = Some(reason);
        }
        true
    }

    /// Undoes [`Thread::park`]; `blocked` says whether it reported a blocked state. The waker
    /// is kept but no longer parked, so a kill does not call it: the thread's next wait is most
    /// often made by the same task, finds the same waker there and clones nothing. It goes when
    /// a kill takes it or the thread dies.
    /// A kill that took the waker calls it after releasing the lock; this waits for that call,
    /// so that once the wait has ended its waker is never called again.
    fn unpark(&self, blocked: bool) {
        loop {
            let mut inner = self.inner.lock();
            if !inner.kill_wake_in_flight {
                inner.kill_waker_parked = false;
                if blocked {
                    inner.blocked = None;
                }
                return;
            }
            drop(inner);
            core::hint::spin_loop();
        }
    }

    /// Runs `future` until it completes (`Some` of its output) or the thread is killed
    /// (`None`; `future` is dropped at once, and nothing it registered will wake the thread
    /// again). A thread killed before the call gets `None` without `future` being polled.
    pub fn run_until_killed<F: Future + Unpin>(&self, future: F) -> UntilKilled<'_, F> {
        UntilKilled::new(self, None, future)
    }

    /// [`Thread::run_until_killed`], reporting the thread as `BLOCKED_<reason>` while
    /// `future` is pending.
    pub fn run_blocking<F: Future + Unpin>(
        &self,
        reason: BlockedReason,
        future: F,
    ) -> UntilKilled<'_, F> {
        UntilKilled::new(self, Some(reason), future)
    }
}

/// A future run until it completes or its thread is killed; see
/// [`Thread::run_until_killed`].
///
/// While `future` is pending, the waker is parked in the thread itself, where a kill finds it,
/// in the same hold of the thread's lock that reports the blocked state: one lock to park, one
/// to leave, and nothing else to register. A thread runs one of these at a time (its own future
/// runs them), so the thread has one place for the waker; it is kept there, unparked, between
/// waits (see `Thread::unpark`).
#[must_use = "futures do nothing unless polled"]
pub struct UntilKilled<'a, F> {
    /// `None` once it has completed or been dropped for a kill. Declared first, so that when
    /// the whole is dropped the future goes before the thread is left, as when the wait ends:
    /// it unregisters what it registered.
    future: Option<F>,
    /// Where the waker is parked.
    park: Parking<'a>,
}

/// The thread an [`UntilKilled`] runs for, and whether its waker is parked there; dropping it
/// leaves the thread.
struct Parking<'a> {
    thread: &'a Thread,
    /// What to report while the future is pending, if anything.
    reason: Option<BlockedReason>,
    /// Whether the waker is parked in the thread (and the blocked state reported).
    parked: bool,
}

impl Parking<'_> {
    /// Leaves the thread: no waker parked, no blocked state.
    fn leave(&mut self) {
        if core::mem::take(&mut self.parked) {
            self.thread.unpark(self.reason.is_some());
        }
    }
}

impl Drop for Parking<'_> {
    fn drop(&mut self) {
        self.leave();
    }
}

impl<'a, F> UntilKilled<'a, F> {
    fn new(thread: &'a Thread, reason: Option<BlockedReason>, future: F) -> Self {
        UntilKilled {
            future: Some(future),
            park: Parking {
                thread,
                reason,
                parked: false,
            },
        }
    }

    /// Drops the future and leaves the thread: no waker parked, no blocked state.
    fn end(&mut self) {
        self.future = None;
        self.park.leave();
    }
}

impl<F: Future + Unpin> Future for UntilKilled<'_, F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(future) = this.future.as_mut() else {
            panic!("an UntilKilled was polled after it completed");
        };
        let thread = this.park.thread;
        if thread.is_killed() {
            this.end();
            return Poll::Ready(None);
        }
        if let Poll::Ready(output) = Pin::new(future).poll(cx) {
            this.end();
            return Poll::Ready(Some(output));
        }
        if !thread.park(this.park.reason, cx.waker()) {
            this.end();
            return Poll::Ready(None);
        }
        this.park.parked = true;
        Poll::Pending
    }
}
