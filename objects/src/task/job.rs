//! Jobs: the tree that owns every process (spec §2.2).
//!
//! A job holds its parent strongly and its children (jobs and processes) weakly: a job lives
//! while it has handles or children, and a child leaves its parent's lists when it dies or is
//! dropped, which keeps `ZX_JOB_NO_JOBS` and `ZX_JOB_NO_PROCESSES` exact.
//!
//! States: *running*, then *killing* once `kill` was called (no new children; every child is
//! being killed), then *dead* once the last child has left, when `ZX_JOB_TERMINATED` is
//! asserted and the job leaves its own parent. A job that is never killed never dies; it is
//! simply dropped once nothing refers to it.
//!
//! The root job is made by the kernel at boot ([`Job::root`]) and carries the
//! [`TaskContext`] every task of the tree shares. A job's height is limited: the root may have
//! descendants [`ROOT_JOB_MAX_HEIGHT`] levels down, and a job at the limit can hold processes
//! but no child jobs.
//!
//! Lock order: a job's lock is taken alone, or before a signal state. Children are killed and
//! removed with no job lock held, and Arcs of children are dropped outside the lock (dropping
//! the last one removes the child from this very job).

use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

use log::debug;
use spin::Mutex;

use super::Closing;
use super::context::TaskContext;
use super::exceptionate::Exceptionate;
use super::info::JobInfo;
use super::job_policy::{JobPolicy, PolicyRequest};
use super::name::Name;
use super::process::Process;
use crate::abi::{
    ExceptionChannelType, Koid, ObjectType, Rights, Signals, Status,
    ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO, ZX_TASK_RETCODE_SYSCALL_KILL, ZxResult,
};
use crate::handle::Handle;
use crate::object::{KernelObject, ObjectBase};
use crate::signal::SignalState;

/// How many levels of jobs may hang below the root job (Zircon's limit).
pub const ROOT_JOB_MAX_HEIGHT: u32 = 32;

/// A job object.
pub struct Job {
    base: ObjectBase,
    parent: Option<Arc<Job>>,
    context: Arc<TaskContext>,
    /// How many levels of child jobs this job may still have below it.
    max_height: u32,
    name: Mutex<Name>,
    signals: SignalState,
    inner: Mutex<JobInner>,
    exceptionate: Exceptionate,
    debug_exceptionate: Exceptionate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JobState {
    Running,
    Killing,
    Dead,
}

struct JobInner {
    state: JobState,
    return_code: i64,
    /// Child jobs, oldest first.
    jobs: Vec<(Koid, Weak<Job>)>,
    /// Member processes, oldest first.
    processes: Vec<(Koid, Weak<Process>)>,
    policy: JobPolicy,
}

impl JobInner {
    fn is_empty(&self) -> bool {
        self.jobs.is_empty() && self.processes.is_empty()
    }

    /// Whether the job was killing and has just lost its last child: it is dead now.
    fn become_dead_if_empty(&mut self) -> bool {
        let dead = self.state == JobState::Killing && self.is_empty();
        if dead {
            self.state = JobState::Dead;
        }
        dead
    }
}

impl Job {
    /// The root job, made once at boot with the context the whole tree shares.
    pub fn root(context: Arc<TaskContext>) -> Arc<Job> {
        Job::new(None, context, ROOT_JOB_MAX_HEIGHT, JobPolicy::root())
    }

    fn new(
        parent: Option<Arc<Job>>,
        context: Arc<TaskContext>,
        max_height: u32,
        policy: JobPolicy,
    ) -> Arc<Job> {
        let inner = JobInner {
            state: JobState::Running,
            return_code: 0,
            jobs: Vec::new(),
            processes: Vec::new(),
            policy,
        };
        Arc::new(Job {
            base: ObjectBase::new(ObjectType::Job),
            parent,
            context,
            max_height,
            name: Mutex::new(Name::default()),
            signals: SignalState::new(Signals::JOB_NO_JOBS.union(Signals::JOB_NO_PROCESSES)),
            inner: Mutex::new(inner),
            exceptionate: Exceptionate::new(ExceptionChannelType::Job),
            debug_exceptionate: Exceptionate::new(ExceptionChannelType::JobDebugger),
        })
    }

    /// `zx_job_create` on this job: a child job with this job's policy. OUT_OF_RANGE when
    /// this job is at the height limit; BAD_STATE once it has been killed.
    pub fn create_child(self: &Arc<Self>) -> ZxResult<Arc<Job>> {
        if self.max_height == 0 {
            return Err(Status::OutOfRange);
        }
        let mut inner = self.inner.lock();
        if inner.state != JobState::Running {
            return Err(Status::BadState);
        }
        let child = Job::new(
            Some(self.clone()),
            self.context.clone(),
            self.max_height - 1,
            inner.policy,
        );
        inner.jobs.push((child.koid(), Arc::downgrade(&child)));
        let wakeups = (inner.jobs.len() == 1).then(|| {
            self.signals
                .update_deferred(Signals::JOB_NO_JOBS, Signals::empty())
        });
        drop(inner);
        drop(wakeups);
        debug!("job {}: child job {} created", self.koid(), child.koid());
        Ok(child)
    }

    /// Registers a new process as a member. BAD_STATE once the job has been killed.
    pub(super) fn add_process(&self, process: &Arc<Process>) -> ZxResult {
        let mut inner = self.inner.lock();
        if inner.state != JobState::Running {
            return Err(Status::BadState);
        }
        inner
            .processes
            .push((process.koid(), Arc::downgrade(process)));
        let wakeups = (inner.processes.len() == 1).then(|| {
            self.signals
                .update_deferred(Signals::JOB_NO_PROCESSES, Signals::empty())
        });
        drop(inner);
        drop(wakeups);
        Ok(())
    }

    /// The parent job; `None` for the root.
    pub fn parent(&self) -> Option<&Arc<Job>> {
        self.parent.as_ref()
    }

    /// The context the job tree shares.
    pub fn context(&self) -> &Arc<TaskContext> {
        &self.context
    }

    /// How many levels of child jobs may still hang below this one.
    pub fn max_height(&self) -> u32 {
        self.max_height
    }

    /// The job's effective policy.
    pub fn policy(&self) -> JobPolicy {
        self.inner.lock().policy
    }

    /// `zx_job_set_policy` (spec §11): applies `request` in `options` mode. BAD_STATE when
    /// the job has children; the other errors are those of [`JobPolicy::apply`].
    pub fn set_policy(&self, options: u32, request: PolicyRequest<'_>) -> ZxResult {
        let mut inner = self.inner.lock();
        if !inner.is_empty() {
            return Err(Status::BadState);
        }
        inner.policy = inner.policy.apply(options, request)?;
        Ok(())
    }

    /// The job's name.
    pub fn name(&self) -> Name {
        *self.name.lock()
    }

    /// Sets the job's name (`ZX_PROP_NAME`), truncated.
    pub fn set_name(&self, name: &[u8]) {
        *self.name.lock() = Name::new(name);
    }

    /// `zx_task_kill` on the job: [`Job::kill_with`] `ZX_TASK_RETCODE_SYSCALL_KILL`.
    pub fn kill(&self) {
        self.kill_with(ZX_TASK_RETCODE_SYSCALL_KILL);
    }

    /// Kills the job with `return_code`: it refuses new children from now on, every child
    /// job and process is killed with the same code, and the job dies once they are all gone.
    /// Killing a job that is already killing or dead does nothing.
    pub fn kill_with(&self, return_code: i64) {
        self.kill_closing(return_code, &mut Closing::Now);
    }

    /// [`Job::kill_with`], closing what the deaths give up through `closing`.
    pub(super) fn kill_closing(&self, return_code: i64, closing: &mut Closing<'_>) {
        let (jobs, processes) = {
            let mut inner = self.inner.lock();
            if inner.state != JobState::Running {
                return;
            }
            inner.state = JobState::Killing;
            inner.return_code = return_code;
            let jobs: Vec<Arc<Job>> = inner.jobs.iter().filter_map(|(_, j)| j.upgrade()).collect();
            let processes: Vec<Arc<Process>> = inner
                .processes
                .iter()
                .filter_map(|(_, p)| p.upgrade())
                .collect();
            (jobs, processes)
        };
        debug!(
            "job {}: killed ({return_code}), {} jobs and {} processes to kill",
            self.koid(),
            jobs.len(),
            processes.len()
        );
        for job in &jobs {
            job.kill_closing(return_code, closing);
        }
        for process in &processes {
            process.kill_closing(return_code, closing);
        }
        drop(jobs);
        drop(processes);

        let dead = self.inner.lock().become_dead_if_empty();
        if dead {
            self.finish_dead(closing);
        }
    }

    /// Takes a dead child job out of the list (by koid; nothing if it left already).
    pub(super) fn remove_job(&self, koid: Koid, closing: &mut Closing<'_>) {
        let mut inner = self.inner.lock();
        let before = inner.jobs.len();
        inner.jobs.retain(|&(k, _)| k != koid);
        if inner.jobs.len() == before {
            return;
        }
        let wakeups = inner.jobs.is_empty().then(|| {
            self.signals
                .update_deferred(Signals::empty(), Signals::JOB_NO_JOBS)
        });
        let dead = inner.become_dead_if_empty();
        drop(inner);
        drop(wakeups);
        if dead {
            self.finish_dead(closing);
        }
    }

    /// Takes a dead or dropped process out of the list (by koid; nothing if it left already).
    pub(super) fn remove_process(&self, koid: Koid, closing: &mut Closing<'_>) {
        let mut inner = self.inner.lock();
        let before = inner.processes.len();
        inner.processes.retain(|&(k, _)| k != koid);
        if inner.processes.len() == before {
            return;
        }
        let wakeups = inner.processes.is_empty().then(|| {
            self.signals
                .update_deferred(Signals::empty(), Signals::JOB_NO_PROCESSES)
        });
        let dead = inner.become_dead_if_empty();
        drop(inner);
        drop(wakeups);
        if dead {
            self.finish_dead(closing);
        }
    }

    /// The job has just become dead: its exception channels close, `ZX_JOB_TERMINATED` is
    /// asserted, and it leaves its parent.
    fn finish_dead(&self, closing: &mut Closing<'_>) {
        self.exceptionate.shut_down(closing);
        self.debug_exceptionate.shut_down(closing);
        self.signals
            .update(Signals::empty(), Signals::JOB_TERMINATED);
        debug!("job {}: dead", self.koid());
        if let Some(parent) = &self.parent {
            parent.remove_job(self.koid(), closing);
        }
    }

    /// `zx_job_set_critical`: when `process` ends, this job is killed with
    /// `ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL` (with `ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO`,
    /// only if its return code is not 0). INVALID_ARGS for other option bits or when this job
    /// is not the process's job or an ancestor of it; ALREADY_BOUND when the process is
    /// critical already.
    pub fn set_critical(self: &Arc<Self>, options: u32, process: &Process) -> ZxResult {
        if options & !ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO != 0 {
            return Err(Status::InvalidArgs);
        }
        if !self.is_ancestor_of(process) {
            return Err(Status::InvalidArgs);
        }
        let nonzero_only = options & ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO != 0;
        process.set_critical_to(self.clone(), nonzero_only)
    }

    /// Whether this job is `process`'s job or one of its ancestors.
    pub fn is_ancestor_of(&self, process: &Process) -> bool {
        let mut job = Some(process.job());
        while let Some(current) = job {
            if core::ptr::eq(current.as_ref(), self) {
                return true;
            }
            job = current.parent();
        }
        false
    }

    /// `ZX_INFO_JOB`.
    pub fn info(&self) -> JobInfo {
        let inner = self.inner.lock();
        JobInfo {
            return_code: inner.return_code,
            exited: inner.state == JobState::Dead,
            kill_on_oom: false,
            debugger_attached: self.debug_exceptionate.is_bound(),
        }
    }

    /// `ZX_INFO_JOB_CHILDREN`: the koids of the child jobs, oldest first.
    pub fn child_koids(&self) -> Vec<Koid> {
        self.inner.lock().jobs.iter().map(|&(k, _)| k).collect()
    }

    /// `ZX_INFO_JOB_PROCESSES`: the koids of the member processes, oldest first.
    pub fn process_koids(&self) -> Vec<Koid> {
        self.inner
            .lock()
            .processes
            .iter()
            .map(|&(k, _)| k)
            .collect()
    }

    /// Whether the job is dead.
    pub fn is_dead(&self) -> bool {
        self.inner.lock().state == JobState::Dead
    }

    /// Whether the job has been killed (it may still be waiting for its children to die).
    pub fn is_killed(&self) -> bool {
        self.inner.lock().state != JobState::Running
    }

    /// `zx_task_create_exception_channel` on the job, through a handle with `task_rights`:
    /// the handler's end of a new job channel, or of the job-debugger channel with
    /// `debugger`. BAD_STATE once the job has been killed; ALREADY_BOUND while that channel
    /// has a handler.
    pub fn create_exception_channel(
        &self,
        task_rights: Rights,
        debugger: bool,
    ) -> ZxResult<Handle> {
        if self.is_killed() {
            return Err(Status::BadState);
        }
        match debugger {
            true => self.debug_exceptionate.bind(task_rights),
            false => self.exceptionate.bind(task_rights),
        }
    }

    /// The job's exception channel (`ZX_EXCEPTION_CHANNEL_TYPE_JOB`).
    pub(super) fn exceptionate(&self) -> &Exceptionate {
        &self.exceptionate
    }

    /// The job's debugger exception channel (`ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER`).
    pub(super) fn debug_exceptionate(&self) -> &Exceptionate {
        &self.debug_exceptionate
    }
}

impl KernelObject for Job {
    fn base(&self) -> &ObjectBase {
        &self.base
    }

    fn signal_state(&self) -> Option<&SignalState> {
        Some(&self.signals)
    }

    fn related_koid(&self) -> Koid {
        self.parent.as_ref().map_or(0, |parent| parent.koid())
    }
}

impl Drop for Job {
    /// A job nothing refers to any more leaves its parent.
    fn drop(&mut self) {
        if let Some(parent) = &self.parent {
            parent.remove_job(self.koid(), &mut Closing::Now);
        }
    }
}

impl core::fmt::Debug for Job {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Job")
            .field("koid", &self.koid())
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}
