//! Threads (spec §2.3, §3.8-§3.10): the kernel's bookkeeping for one user thread, whose
//! registers and execution the kernel keeps in a future of its own.
//!
//! Lifecycle: *new* after `thread_create`; *running* once started (the kernel got a
//! [`StartedThread`] through its [`ThreadSpawner`](super::ThreadSpawner)); *dying* once it
//! called `zx_thread_exit` or was killed; *dead* once the kernel dropped the
//! [`StartedThread`] (a new thread that is killed, or whose last handle closes, goes straight
//! to dead). Running, a thread may be blocked in a syscall or an exception (`thread_state.rs`).
//!
//! Signals: `ZX_THREAD_RUNNING` from the start until death, then `ZX_THREAD_TERMINATED`.
//! Death removes the thread from its process, which dies with its last started thread.
//!
//! Kill is cooperative and immediate: it marks the thread dying, wakes the wait the thread is
//! blocked in ([`Thread::run_until_killed`] parks its waker in the thread) and asserts a
//! private signal for [`Thread::killed`], so a blocked syscall's future is dropped at the next
//! poll, and the kernel sees [`Thread::is_dying`] and ends the thread's future. Lock order: the
//! process's lock, then the thread's lock, then the lock of the exception the thread is in.
//!
//! TODO: Suspension is not built (no `zx_task_suspend`, no suspend token), so a thread never
//! asserts `ZX_THREAD_SUSPENDED` or reports `ZX_THREAD_STATE_SUSPENDED`.

use alloc::sync::Arc;
use core::ops::Deref;
use core::sync::atomic::{AtomicU8, Ordering};
use core::task::Waker;

use log::debug;
use spin::Mutex;

use super::Closing;
use super::context::ThreadStart;
use super::exception::Exception;
use super::exceptionate::Exceptionate;
use super::info::{CPU_SET_WORDS, ExceptionReport, ThreadInfo, cpu_set_of_first};
use super::name::Name;
use super::process::Process;
use super::thread_state::BlockedReason;
use crate::abi::{
    ExceptionChannelType, Koid, ObjectType, Rights, Signals, Status, ThreadState, ZxResult,
};
use crate::handle::Handle;
use crate::object::{KernelObject, ObjectBase};
use crate::signal::SignalState;

/// The private signal asserted on [`Thread::control`] once the thread is killed.
pub(super) const KILLED: Signals = Signals::SIGNALED;

/// Set in [`Thread::flags`] once the thread must stop (exit or kill).
const STOPPING: u8 = 1 << 0;
/// Set in [`Thread::flags`] once the thread was killed.
const KILL_REQUESTED: u8 = 1 << 1;

/// A thread object.
pub struct Thread {
    base: ObjectBase,
    process: Arc<Process>,
    name: Mutex<Name>,
    signals: SignalState,
    /// `KILLED` once the thread was killed; what [`Thread::killed`] watches.
    pub(super) control: SignalState,
    /// `STOPPING` and `KILL_REQUESTED`, for checks that take no lock.
    flags: AtomicU8,
    pub(super) inner: Mutex<ThreadInner>,
    exceptionate: Exceptionate,
    cpu_affinity: [u64; CPU_SET_WORDS],
}

/// Where a thread is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lifecycle {
    New,
    Running,
    Dying,
    Dead,
}

pub(super) struct ThreadInner {
    pub(super) lifecycle: Lifecycle,
    /// Why a running thread's syscall is waiting, if it is.
    pub(super) blocked: Option<BlockedReason>,
    /// The waker of the wait the thread is blocked in, for a kill to call
    /// (`thread_state.rs`); kept after the wait ends, for the next one to reuse.
    pub(super) kill_waker: Option<Waker>,
    /// Whether `kill_waker` belongs to a wait in progress, so that a kill calls it.
    pub(super) kill_waker_parked: bool,
    /// Whether a kill took the parked waker and has yet to call it: the wait must not end
    /// before, or the call could reach a future already dropped.
    pub(super) kill_wake_in_flight: bool,
    /// The exception the thread is waiting in, if any.
    pub(super) exception: Option<Arc<Exception>>,
    /// Whether `process_start` started it (it raises `ZX_EXCP_PROCESS_STARTING`).
    pub(super) initial: bool,
}

impl ThreadInner {
    /// The state `ZX_INFO_THREAD` reports: an exception outranks a blocking syscall.
    fn state(&self) -> ThreadState {
        match self.lifecycle {
            Lifecycle::New => ThreadState::New,
            Lifecycle::Dying => ThreadState::Dying,
            Lifecycle::Dead => ThreadState::Dead,
            Lifecycle::Running if self.exception.is_some() => ThreadState::BlockedException,
            Lifecycle::Running => self
                .blocked
                .map_or(ThreadState::Running, BlockedReason::state),
        }
    }
}

impl Thread {
    /// `zx_thread_create` in `process`: a new thread named `name` (truncated). BAD_STATE once
    /// the process is dying.
    pub fn create(process: &Arc<Process>, name: &[u8]) -> ZxResult<Arc<Thread>> {
        let inner = ThreadInner {
            lifecycle: Lifecycle::New,
            blocked: None,
            kill_waker: None,
            kill_waker_parked: false,
            kill_wake_in_flight: false,
            exception: None,
            initial: false,
        };
        let thread = Arc::new(Thread {
            base: ObjectBase::new(ObjectType::Thread),
            process: process.clone(),
            name: Mutex::new(Name::new(name)),
            signals: SignalState::new(Signals::empty()),
            control: SignalState::new(Signals::empty()),
            flags: AtomicU8::new(0),
            inner: Mutex::new(inner),
            exceptionate: Exceptionate::new(ExceptionChannelType::Thread),
            cpu_affinity: cpu_set_of_first(process.job().context().cpu_count),
        });
        process.add_thread(&thread)?;
        debug!(
            "process {}: thread {} created",
            process.koid(),
            thread.koid()
        );
        Ok(thread)
    }

    /// The thread's process.
    pub fn process(&self) -> &Arc<Process> {
        &self.process
    }

    /// The thread's name.
    pub fn name(&self) -> Name {
        *self.name.lock()
    }

    /// Sets the thread's name (`ZX_PROP_NAME`), truncated.
    pub fn set_name(&self, name: &[u8]) {
        *self.name.lock() = Name::new(name);
    }

    /// `zx_thread_start`: runs the thread from `entry` with `stack` and two arguments.
    /// BAD_STATE when the thread was started already or has died, or its process is not
    /// running; INVALID_ARGS when `entry` is not a user address.
    pub fn start(
        self: &Arc<Self>,
        entry: usize,
        stack: usize,
        arg1: usize,
        arg2: usize,
    ) -> ZxResult {
        let start = ThreadStart {
            entry,
            stack,
            arg1,
            arg2,
        };
        self.launch(start, false)
    }

    /// Starts the thread: as the process's first (`initial`, from `process_start`) or as a
    /// later one. Checks and marks the process and the thread under their locks, then hands
    /// the thread to the kernel.
    pub(super) fn launch(self: &Arc<Self>, start: ThreadStart, initial: bool) -> ZxResult {
        self.process.with_start_checked(initial, || {
            let mut inner = self.inner.lock();
            if inner.lifecycle != Lifecycle::New {
                return Err(Status::BadState);
            }
            if !self.process.is_user_address(start.entry) {
                return Err(Status::InvalidArgs);
            }
            inner.lifecycle = Lifecycle::Running;
            inner.initial = initial;
            Ok(())
        })?;
        // Only the started thread's drop can make it dead, so RUNNING cannot land after
        // TERMINATED.
        self.signals
            .update(Signals::empty(), Signals::THREAD_RUNNING);
        debug!("thread {}: started at {:#x}", self.koid(), start.entry);
        let context = self.process.job().context();
        context.spawner.spawn(StartedThread(self.clone()), start);
        Ok(())
    }

    /// `zx_thread_exit`: the thread stops running user code. Its syscall returns, the kernel
    /// sees [`Thread::is_dying`] and ends its future, and the thread is dead when the future
    /// drops its [`StartedThread`].
    pub fn exit(&self) {
        let mut inner = self.inner.lock();
        if inner.lifecycle == Lifecycle::Running {
            inner.lifecycle = Lifecycle::Dying;
        }
        self.flags.fetch_or(STOPPING, Ordering::AcqRel);
    }

    /// `zx_task_kill` on the thread (ruling 14.3): a new thread dies at once; a running one
    /// becomes dying and every wait it is blocked in ends (its future is dropped at the next
    /// poll). Killing a dead thread does nothing.
    pub fn kill(&self) {
        self.kill_closing(&mut Closing::Now);
    }

    /// [`Thread::kill`], closing what a death gives up through `closing`.
    pub(super) fn kill_closing(&self, closing: &mut Closing<'_>) {
        let mut inner = self.inner.lock();
        match inner.lifecycle {
            Lifecycle::New => {
                let wakeups = self.become_dead(&mut inner);
                drop(inner);
                drop(wakeups);
                self.after_death(closing);
            }
            Lifecycle::Running | Lifecycle::Dying => {
                inner.lifecycle = Lifecycle::Dying;
                self.flags
                    .fetch_or(STOPPING | KILL_REQUESTED, Ordering::AcqRel);
                let kept = inner.kill_waker.take();
                let blocked_wait = kept.filter(|_| core::mem::take(&mut inner.kill_waker_parked));
                // Only the kill that took the waker marks its call in flight: a second kill
                // (from another side) finds no waker and must not clear the first one's mark.
                if blocked_wait.is_some() {
                    inner.kill_wake_in_flight = true;
                }
                drop(inner);
                debug!("thread {}: killed", self.koid());
                self.control.update(Signals::empty(), KILLED);
                if let Some(waker) = blocked_wait {
                    waker.wake();
                    // The wait that parked the waker may end now (`Thread::unpark`).
                    self.inner.lock().kill_wake_in_flight = false;
                }
            }
            Lifecycle::Dead => {}
        }
    }

    /// Whether the thread was started and is not dead yet (running or dying).
    pub(super) fn is_started(&self) -> bool {
        matches!(
            self.inner.lock().lifecycle,
            Lifecycle::Running | Lifecycle::Dying
        )
    }

    /// Whether the thread must stop: it exited or was killed. The kernel checks it after every
    /// syscall and exception, and ends the thread's future when it is true.
    #[inline]
    pub fn is_dying(&self) -> bool {
        self.flags.load(Ordering::Acquire) & STOPPING != 0
    }

    /// Whether the thread was killed (as opposed to exiting on its own).
    #[inline]
    pub fn is_killed(&self) -> bool {
        self.flags.load(Ordering::Acquire) & KILL_REQUESTED != 0
    }

    /// The thread's future is gone: the thread is dead, and leaves its process.
    fn finish(&self) {
        let mut inner = self.inner.lock();
        if inner.lifecycle == Lifecycle::Dead {
            return;
        }
        let wakeups = self.become_dead(&mut inner);
        // The waker the thread's waits kept (`thread_state.rs`) has nothing more to wake.
        let parked = inner.kill_waker.take();
        drop(inner);
        drop(parked);
        drop(wakeups);
        self.after_death(&mut Closing::Now);
    }

    /// Marks the thread dead under its lock; the signal change is delivered by the caller
    /// once the lock is released.
    fn become_dead(&self, inner: &mut ThreadInner) -> crate::signal::Wakeups<'_> {
        inner.lifecycle = Lifecycle::Dead;
        inner.blocked = None;
        self.flags.fetch_or(STOPPING, Ordering::AcqRel);
        debug!("thread {}: dead", self.koid());
        self.signals.update_deferred(
            Signals::THREAD_RUNNING | Signals::THREAD_SUSPENDED,
            Signals::THREAD_TERMINATED,
        )
    }

    /// What follows death: the exception channel closes and the thread leaves its process.
    fn after_death(&self, closing: &mut Closing<'_>) {
        self.exceptionate.shut_down(closing);
        self.process.remove_thread(self, closing);
    }

    /// `ZX_THREAD_STATE_*` now.
    pub fn state(&self) -> ThreadState {
        self.inner.lock().state()
    }

    /// `ZX_INFO_THREAD`.
    pub fn info(&self) -> ThreadInfo {
        let inner = self.inner.lock();
        let state = inner.state();
        let channel = match &inner.exception {
            Some(exception) if state == ThreadState::BlockedException => exception.channel(),
            _ => ExceptionChannelType::None,
        };
        ThreadInfo {
            state,
            wait_exception_channel_type: channel,
            cpu_affinity_mask: self.cpu_affinity,
        }
    }

    /// `ZX_INFO_THREAD_EXCEPTION_REPORT`: the report of the exception the thread is in.
    /// BAD_STATE when it is in none.
    pub fn exception_report(&self) -> ZxResult<ExceptionReport> {
        let inner = self.inner.lock();
        let exception = inner.exception.as_ref().ok_or(Status::BadState)?;
        Ok(exception.report())
    }

    /// `zx_task_create_exception_channel` on the thread, through a handle with
    /// `task_rights`. BAD_STATE once the thread is dying; ALREADY_BOUND while the channel has
    /// a handler.
    pub fn create_exception_channel(&self, task_rights: Rights) -> ZxResult<Handle> {
        if matches!(
            self.inner.lock().lifecycle,
            Lifecycle::Dying | Lifecycle::Dead
        ) {
            return Err(Status::BadState);
        }
        self.exceptionate.bind(task_rights)
    }

    /// The thread's exception channel (`ZX_EXCEPTION_CHANNEL_TYPE_THREAD`).
    pub(super) fn exceptionate(&self) -> &Exceptionate {
        &self.exceptionate
    }
}

impl KernelObject for Thread {
    fn base(&self) -> &ObjectBase {
        &self.base
    }

    fn signal_state(&self) -> Option<&SignalState> {
        Some(&self.signals)
    }

    fn related_koid(&self) -> Koid {
        self.process.koid()
    }

    /// A thread that was never started dies with its last handle: nothing could start it
    /// any more. A started thread runs on (threads are detached).
    fn on_zero_handles(&self, orphans: &mut alloc::vec::Vec<Handle>) {
        if self.inner.lock().lifecycle == Lifecycle::New {
            self.kill_closing(&mut Closing::Into(orphans));
        }
    }
}

impl core::fmt::Debug for Thread {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Thread")
            .field("koid", &self.koid())
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}

/// A started thread, owned by the kernel's future for it. Dropping it makes the thread
/// dead: `ZX_THREAD_TERMINATED`, and the thread leaves its process (which dies with its last
/// thread). So the thread ends exactly when its future does, however that happens.
pub struct StartedThread(Arc<Thread>);

impl StartedThread {
    /// The thread.
    pub fn thread(&self) -> &Arc<Thread> {
        &self.0
    }
}

impl Deref for StartedThread {
    type Target = Arc<Thread>;

    fn deref(&self) -> &Arc<Thread> {
        &self.0
    }
}

impl Drop for StartedThread {
    fn drop(&mut self) {
        self.0.finish();
    }
}

impl core::fmt::Debug for StartedThread {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("StartedThread")
            .field(&self.0.koid())
            .finish()
    }
}
