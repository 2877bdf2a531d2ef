//! Processes (spec §2.1, §3.1-§3.5): a handle table, an address space and threads, owned by
//! one job.
//!
//! Lifecycle: *initial* after `process_create` (threads may be created, none runs);
//! *running* once `process_start` started its first thread; *dying* once it was killed or
//! called `process_exit` (every thread has been told to stop); *dead* once its last thread is
//! dead. A process also dies when its last started thread ends on its own (return code 0
//! unless one was set): threads created but never started do not keep it alive and die with
//! it (spec §2.1: no thread can be added once the last one exited). An initial process dies
//! when its last handle closes (ruling 14.4). No thread can be created or started once the
//! process is dying.
//!
//! Death, in order: the exception channels close, the handle table is closed, the address
//! space is destroyed, `ZX_PROCESS_TERMINATED` is asserted, the process leaves its job (which
//! may raise `ZX_JOB_NO_PROCESSES` or finish the job's own death), and if the process was
//! critical to a job, that job is killed.
//!
//! The process holds its threads strongly and each thread its process: a thread leaves the
//! list when it dies, which breaks the cycle. Lock order: the process's lock, then a thread's
//! lock (`process_start`, `thread_start`); no other lock is taken under it except a signal
//! state, and threads, jobs and handles are dropped after it is released.

use alloc::sync::Arc;
use alloc::vec::Vec;

use log::debug;
use spin::Mutex;

use super::Closing;
use super::context::ThreadStart;
use super::exceptionate::Exceptionate;
use super::info::ProcessInfo;
use super::job::Job;
use super::job_policy::{JobPolicy, PolicyAction, PolicyCondition};
use super::name::Name;
use super::thread::Thread;
use crate::abi::{
    ExceptionChannelType, Koid, ObjectType, Rights, Signals, Status, ZX_HANDLE_INVALID,
    ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL, ZX_TASK_RETCODE_POLICY_KILL,
    ZX_TASK_RETCODE_SYSCALL_KILL, ZxResult,
};
use crate::handle::{Handle, HandleTable};
use crate::object::{KernelObject, ObjectBase};
use crate::signal::SignalState;
use crate::vm::{AddressSpace, USER_ASPACE_BASE, USER_ASPACE_END, Vmar};

/// The most bytes one `process_read_memory` or `process_write_memory` moves (64 MiB, spec
/// §3.4).
pub const PROCESS_MEMORY_MAX_BYTES: usize = 64 << 20;

/// Where a process is in its life; see the module doc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcessState {
    /// Created, not started.
    Initial,
    /// Started; threads run.
    Running,
    /// Killed or exiting: its threads are stopping.
    Dying,
    /// Every thread is dead and the process is torn down.
    Dead,
}

/// A process object.
pub struct Process {
    base: ObjectBase,
    job: Arc<Job>,
    name: Mutex<Name>,
    /// The job's policy when the process was made; it cannot change while the process lives.
    policy: JobPolicy,
    handles: HandleTable,
    aspace: Arc<AddressSpace>,
    signals: SignalState,
    inner: Mutex<ProcessInner>,
    exceptionate: Exceptionate,
    debug_exceptionate: Exceptionate,
}

struct ProcessInner {
    state: ProcessState,
    /// Whether `process_start` succeeded.
    started: bool,
    return_code: i64,
    /// Threads that are not dead, oldest first.
    threads: Vec<Arc<Thread>>,
    /// The job this process is critical to, and whether only a non-zero return code counts.
    critical_to: Option<(Arc<Job>, bool)>,
}

impl Process {
    /// `zx_process_create` in `job`: a process named `name` (truncated) with an empty
    /// address space over the user range, and its root VMAR. BAD_STATE when the job has been
    /// killed; NO_MEMORY when no page table can be made.
    pub fn create(job: &Arc<Job>, name: &[u8]) -> ZxResult<(Arc<Process>, Arc<Vmar>)> {
        if job.is_killed() {
            return Err(Status::BadState);
        }
        let factory = &job.context().page_tables;
        let page_table = factory.new_page_table()?;
        let aspace = AddressSpace::new(
            page_table,
            USER_ASPACE_BASE..USER_ASPACE_END,
            factory.aslr_seed(),
        )?;

        let inner = ProcessInner {
            state: ProcessState::Initial,
            started: false,
            return_code: 0,
            threads: Vec::new(),
            critical_to: None,
        };
        let process = Arc::new(Process {
            base: ObjectBase::new(ObjectType::Process),
            job: job.clone(),
            name: Mutex::new(Name::new(name)),
            policy: job.policy(),
            handles: HandleTable::with_seed(factory.aslr_seed()),
            aspace,
            signals: SignalState::new(Signals::empty()),
            inner: Mutex::new(inner),
            exceptionate: Exceptionate::new(ExceptionChannelType::Process),
            debug_exceptionate: Exceptionate::new(ExceptionChannelType::Debugger),
        });
        job.add_process(&process)?;
        let root_vmar = process.aspace.root_vmar();
        debug!("job {}: process {} created", job.koid(), process.koid());
        Ok((process, root_vmar))
    }

    /// The job the process belongs to.
    pub fn job(&self) -> &Arc<Job> {
        &self.job
    }

    /// The process's handle table.
    pub fn handles(&self) -> &HandleTable {
        &self.handles
    }

    /// The process's address space.
    pub fn address_space(&self) -> &Arc<AddressSpace> {
        &self.aspace
    }

    /// The root VMAR.
    pub fn root_vmar(&self) -> Arc<Vmar> {
        self.aspace.root_vmar()
    }

    /// The process's name.
    pub fn name(&self) -> Name {
        *self.name.lock()
    }

    /// Sets the process's name (`ZX_PROP_NAME`), truncated.
    pub fn set_name(&self, name: &[u8]) {
        *self.name.lock() = Name::new(name);
    }

    /// Where the process is in its life.
    pub fn state(&self) -> ProcessState {
        self.inner.lock().state
    }

    /// Whether `addr` is an address user code of this process may run at.
    pub fn is_user_address(&self, addr: usize) -> bool {
        self.aspace.range().contains(&addr)
    }

    /// Adds a new thread; BAD_STATE once the process is dying.
    pub(super) fn add_thread(&self, thread: &Arc<Thread>) -> ZxResult {
        let mut inner = self.inner.lock();
        if matches!(inner.state, ProcessState::Dying | ProcessState::Dead) {
            return Err(Status::BadState);
        }
        inner.threads.push(thread.clone());
        Ok(())
    }

    /// `zx_process_start`: starts `thread`, the process's first, at `entry` with `stack`,
    /// moving `arg1` into the process's table and passing its value (or 0) as the first
    /// argument. On failure `arg1` is closed.
    ///
    /// ACCESS_DENIED when the thread belongs to another process; NO_RESOURCES when the table
    /// is full; BAD_STATE when the process was started already or has died, or the thread was
    /// started or has died; INVALID_ARGS when `entry` is not a user address.
    pub fn start(
        self: &Arc<Self>,
        thread: &Arc<Thread>,
        entry: usize,
        stack: usize,
        arg1: Option<Handle>,
        arg2: usize,
    ) -> ZxResult {
        if !Arc::ptr_eq(thread.process(), self) {
            return Err(Status::AccessDenied);
        }
        let arg1 = match arg1 {
            Some(handle) => self.handles.insert(handle)?,
            None => ZX_HANDLE_INVALID,
        };
        let start = ThreadStart {
            entry,
            stack,
            arg1: arg1 as usize,
            arg2,
        };
        let result = thread.launch(start, true);
        if result.is_err() && arg1 != ZX_HANDLE_INVALID {
            drop(self.handles.remove(arg1));
        }
        result
    }

    /// The process-side checks of starting a thread, under the process's lock; `transition`
    /// runs (under the same lock) once they pass, and the process is running afterwards.
    /// BAD_STATE when a first thread finds the process started, or another thread finds it
    /// not running.
    pub(super) fn with_start_checked(
        &self,
        initial: bool,
        transition: impl FnOnce() -> ZxResult,
    ) -> ZxResult {
        let mut inner = self.inner.lock();
        let ready = match initial {
            true => inner.state == ProcessState::Initial,
            false => inner.state == ProcessState::Running,
        };
        if !ready {
            return Err(Status::BadState);
        }
        transition()?;
        inner.state = ProcessState::Running;
        inner.started = true;
        Ok(())
    }

    /// `zx_process_exit`: ends the process with `return_code`. Every thread is told to stop,
    /// the caller's too: its syscall returns, and the kernel ends it when it sees
    /// [`Thread::is_dying`].
    pub fn exit(&self, return_code: i64) {
        self.kill_with(return_code);
    }

    /// `zx_task_kill` on the process: [`Process::kill_with`]
    /// `ZX_TASK_RETCODE_SYSCALL_KILL`.
    pub fn kill(&self) {
        self.kill_with(ZX_TASK_RETCODE_SYSCALL_KILL);
    }

    /// Kills the process with `return_code`: it becomes dying and every thread is told to
    /// stop; it is dead once they are. Nothing happens to a process already dying or dead
    /// (its first return code stays).
    pub fn kill_with(&self, return_code: i64) {
        self.kill_closing(return_code, &mut Closing::Now);
    }

    /// [`Process::kill_with`], closing what the death gives up through `closing`.
    pub(super) fn kill_closing(&self, return_code: i64, closing: &mut Closing<'_>) {
        let threads = {
            let mut inner = self.inner.lock();
            if matches!(inner.state, ProcessState::Dying | ProcessState::Dead) {
                return;
            }
            inner.return_code = return_code;
            if inner.threads.is_empty() {
                inner.state = ProcessState::Dead;
                None
            } else {
                inner.state = ProcessState::Dying;
                Some(inner.threads.clone())
            }
        };
        debug!("process {}: killed ({return_code})", self.koid());
        match threads {
            None => self.finish_dead(closing),
            Some(threads) => threads
                .iter()
                .for_each(|thread| thread.kill_closing(closing)),
        }
    }

    /// Takes a dead thread out of the list; the process dies with it if it was the last
    /// started thread of a started process. Threads created but never started cannot run in a
    /// dead process: they die with it.
    pub(super) fn remove_thread(&self, thread: &Thread, closing: &mut Closing<'_>) {
        let (removed, unstarted, dead) = {
            let mut inner = self.inner.lock();
            let index = inner
                .threads
                .iter()
                .position(|t| core::ptr::eq(t.as_ref(), thread));
            let removed = index.map(|index| inner.threads.remove(index));
            // Lock order: the process's lock, then each thread's.
            let dead = matches!(inner.state, ProcessState::Running | ProcessState::Dying)
                && !inner.threads.iter().any(|t| t.is_started());
            let mut unstarted = Vec::new();
            if dead {
                inner.state = ProcessState::Dead;
                unstarted = core::mem::take(&mut inner.threads);
            }
            (removed, unstarted, dead)
        };
        drop(removed);
        if dead {
            unstarted
                .iter()
                .for_each(|thread| thread.kill_closing(closing));
            drop(unstarted);
            self.finish_dead(closing);
        }
    }

    /// The process has just become dead: tears it down in the order of the module doc.
    fn finish_dead(&self, closing: &mut Closing<'_>) {
        self.exceptionate.shut_down(closing);
        self.debug_exceptionate.shut_down(closing);
        closing.close(self.handles.drain());
        self.aspace.destroy();
        self.signals
            .update(Signals::empty(), Signals::PROCESS_TERMINATED);
        self.job.remove_process(self.koid(), closing);

        let (return_code, critical_to) = {
            let mut inner = self.inner.lock();
            (inner.return_code, inner.critical_to.take())
        };
        debug!("process {}: dead ({return_code})", self.koid());
        if let Some((job, nonzero_only)) = critical_to
            && (!nonzero_only || return_code != 0)
        {
            job.kill_closing(ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL, closing);
        }
    }

    /// Makes the process critical to `job` (see [`Job::set_critical`]); ALREADY_BOUND when it
    /// is critical already.
    pub(super) fn set_critical_to(&self, job: Arc<Job>, nonzero_only: bool) -> ZxResult {
        let mut inner = self.inner.lock();
        if inner.critical_to.is_some() {
            return Err(Status::AlreadyBound);
        }
        inner.critical_to = Some((job, nonzero_only));
        Ok(())
    }

    /// Applies the job policy for `condition` (spec §11): `Ok` when allowed, ACCESS_DENIED
    /// when denied, and for `ZX_POL_ACTION_KILL` the process is killed with
    /// `ZX_TASK_RETCODE_POLICY_KILL` and ACCESS_DENIED returned (the calling thread then
    /// [`is dying`](Thread::is_dying)).
    ///
    /// The syscall layer calls it before it creates an object, and with
    /// [`PolicyCondition::BadHandle`] when a handle is bad: there the syscall returns
    /// BAD_HANDLE whatever this returns.
    pub fn check_policy(&self, condition: PolicyCondition) -> ZxResult {
        match self.policy.action(condition) {
            PolicyAction::Allow => Ok(()),
            PolicyAction::Deny => Err(Status::AccessDenied),
            PolicyAction::Kill => {
                debug!("process {}: killed by policy on {condition:?}", self.koid());
                self.kill_with(ZX_TASK_RETCODE_POLICY_KILL);
                Err(Status::AccessDenied)
            }
        }
    }

    /// The policy the process lives under.
    pub fn policy(&self) -> &JobPolicy {
        &self.policy
    }

    /// `zx_process_read_memory`: reads from `vaddr` through the mappings; returns the bytes
    /// read (fewer when the range runs into unmapped memory). INVALID_ARGS for an empty or
    /// over-64-MiB buffer; BAD_STATE once the process is dying; NO_MEMORY when nothing is
    /// mapped at `vaddr`.
    pub fn read_memory(&self, vaddr: usize, buf: &mut [u8]) -> ZxResult<usize> {
        self.check_memory_access(buf.len())?;
        self.aspace.read_memory(vaddr, buf)
    }

    /// `zx_process_write_memory`: as [`Process::read_memory`], writing `data`.
    pub fn write_memory(&self, vaddr: usize, data: &[u8]) -> ZxResult<usize> {
        self.check_memory_access(data.len())?;
        self.aspace.write_memory(vaddr, data)
    }

    fn check_memory_access(&self, len: usize) -> ZxResult {
        if len == 0 || len > PROCESS_MEMORY_MAX_BYTES {
            return Err(Status::InvalidArgs);
        }
        match self.state() {
            ProcessState::Dying | ProcessState::Dead => Err(Status::BadState),
            ProcessState::Initial | ProcessState::Running => Ok(()),
        }
    }

    /// `ZX_INFO_PROCESS`.
    pub fn info(&self) -> ProcessInfo {
        let inner = self.inner.lock();
        ProcessInfo {
            return_code: inner.return_code,
            started: inner.started,
            exited: inner.state == ProcessState::Dead,
            debugger_attached: self.debug_exceptionate.is_bound(),
        }
    }

    /// `ZX_INFO_PROCESS_THREADS`: the koids of the threads not yet dead, oldest first.
    pub fn thread_koids(&self) -> Vec<Koid> {
        let inner = self.inner.lock();
        inner.threads.iter().map(|thread| thread.koid()).collect()
    }

    /// `zx_task_create_exception_channel` on the process, through a handle with
    /// `task_rights`: the handler's end of a new process channel, or of the debugger channel
    /// with `debugger`. BAD_STATE once the process is dying; ALREADY_BOUND while that channel
    /// has a handler.
    pub fn create_exception_channel(
        &self,
        task_rights: Rights,
        debugger: bool,
    ) -> ZxResult<Handle> {
        if matches!(self.state(), ProcessState::Dying | ProcessState::Dead) {
            return Err(Status::BadState);
        }
        match debugger {
            true => self.debug_exceptionate.bind(task_rights),
            false => self.exceptionate.bind(task_rights),
        }
    }

    /// The process's exception channel (`ZX_EXCEPTION_CHANNEL_TYPE_PROCESS`).
    pub(super) fn exceptionate(&self) -> &Exceptionate {
        &self.exceptionate
    }

    /// The process's debugger channel (`ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER`).
    pub(super) fn debug_exceptionate(&self) -> &Exceptionate {
        &self.debug_exceptionate
    }
}

impl KernelObject for Process {
    fn base(&self) -> &ObjectBase {
        &self.base
    }

    fn signal_state(&self) -> Option<&SignalState> {
        Some(&self.signals)
    }

    fn related_koid(&self) -> Koid {
        self.job.koid()
    }

    /// A process that was never started dies with its last handle (ruling 14.4); a started
    /// one lives on until it exits or is killed.
    fn on_zero_handles(&self, orphans: &mut Vec<Handle>) {
        if self.state() == ProcessState::Initial {
            self.kill_closing(ZX_TASK_RETCODE_SYSCALL_KILL, &mut Closing::Into(orphans));
        }
    }
}

impl Drop for Process {
    /// A process dropped without dying (it never had a handle) still leaves its job.
    fn drop(&mut self) {
        self.job.remove_process(self.koid(), &mut Closing::Now);
    }
}

impl core::fmt::Debug for Process {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Process")
            .field("koid", &self.koid())
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}
