//! The task syscalls through the calling process's handle table (spec §3, §9.4, §10, §11):
//! each looks its handles up with the rights its document names (and the rulings of §14),
//! checks in Zircon's order, and calls the objects. The syscall layer copies user memory,
//! inserts the returned handles into the caller's table, and applies the `BAD_HANDLE` policy
//! when one of these fails with BAD_HANDLE.
//!
//! Error order: option checks first, then the caller's job policy for creating syscalls
//! (checked against the caller, so that no process escapes its policy by creating in a
//! laxer job), then each handle as [`HandleTable::get`] checks it (BAD_HANDLE, WRONG_TYPE,
//! ACCESS_DENIED), then the object's state.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::exception::Exception;
use super::info::{ExceptionReport, JobInfo, ProcessInfo, ThreadInfo};
use super::job::Job;
use super::job_policy::{JobPolicy, PolicyCondition, PolicyRequest};
use super::process::Process;
use super::thread::Thread;
use crate::abi::{
    HandleValue, Koid, ObjectType, Rights, Status, ZX_EXCEPTION_CHANNEL_DEBUGGER,
    ZX_HANDLE_INVALID, ZxResult,
};
use crate::handle::{Handle, HandleTable};
use crate::object::{KernelObject, downcast};

/// A job, process or thread.
#[derive(Clone, Debug)]
pub enum Task {
    /// A job.
    Job(Arc<Job>),
    /// A process.
    Process(Arc<Process>),
    /// A thread.
    Thread(Arc<Thread>),
}

impl Task {
    /// The task `object` is; WRONG_TYPE for any other object.
    pub fn from_object(object: &Arc<dyn KernelObject>) -> ZxResult<Task> {
        match object.object_type() {
            ObjectType::Job => downcast(object).map(Task::Job),
            ObjectType::Process => downcast(object).map(Task::Process),
            ObjectType::Thread => downcast(object).map(Task::Thread),
            _ => Err(Status::WrongType),
        }
    }

    /// The task behind `value` and the rights of its handle, if they include `rights`
    /// (BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED in that order).
    fn lookup(handles: &HandleTable, value: HandleValue, rights: Rights) -> ZxResult<Task> {
        let (object, held) = handles.handle_info(value)?;
        let task = Task::from_object(&object)?;
        if !held.contains(rights) {
            return Err(Status::AccessDenied);
        }
        Ok(task)
    }
}

/// `zx_process_create`: a process in the job behind `job`, and its root VMAR, as handles
/// with the default process rights and the root VMAR's rights.
///
/// INVALID_ARGS (options not 0); ACCESS_DENIED (the caller's `ZX_POL_NEW_PROCESS`);
/// BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no `MANAGE_PROCESS`, ruling 14.1); BAD_STATE (the
/// job was killed); NO_MEMORY.
pub fn process_create(
    caller: &Process,
    job: HandleValue,
    name: &[u8],
    options: u32,
) -> ZxResult<(Handle, Handle)> {
    if options != 0 {
        return Err(Status::InvalidArgs);
    }
    caller.check_policy(PolicyCondition::NewProcess)?;
    let job = caller.handles().get::<Job>(job, Rights::MANAGE_PROCESS)?;
    let (process, vmar) = Process::create(&job, name)?;
    let vmar_rights = vmar.default_rights();
    Ok((
        Handle::new(process, Rights::DEFAULT_PROCESS),
        Handle::new(vmar, vmar_rights),
    ))
}

/// `zx_process_start`: starts the thread behind `thread` as the first of the process behind
/// `process`, moving the handle `arg1` (or nothing, for `ZX_HANDLE_INVALID`) into it.
/// `arg1` leaves the caller's table whatever happens.
///
/// BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no `WRITE`) for the process, then the thread;
/// BAD_HANDLE (`arg1`); ACCESS_DENIED (`arg1` without `TRANSFER`, or the thread belongs to
/// another process); then the errors of [`Process::start`].
pub fn process_start(
    handles: &HandleTable,
    process: HandleValue,
    thread: HandleValue,
    entry: usize,
    stack: usize,
    arg1: HandleValue,
    arg2: usize,
) -> ZxResult {
    let process = handles.get::<Process>(process, Rights::WRITE);
    let thread = handles.get::<Thread>(thread, Rights::WRITE);
    let arg1 = match arg1 {
        ZX_HANDLE_INVALID => Ok(None),
        value => handles.remove(value).map(Some),
    };
    let (process, thread, arg1) = (process?, thread?, arg1?);
    if arg1
        .as_ref()
        .is_some_and(|handle| !handle.rights().contains(Rights::TRANSFER))
    {
        return Err(Status::AccessDenied);
    }
    process.start(&thread, entry, stack, arg1, arg2)
}

/// `zx_process_read_memory` from the process behind `process` into `buf`; returns the bytes
/// read. INVALID_ARGS (empty or over 64 MiB); BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (not
/// both `READ` and `WRITE`); then the errors of [`Process::read_memory`].
pub fn process_read_memory(
    handles: &HandleTable,
    process: HandleValue,
    vaddr: usize,
    buf: &mut [u8],
) -> ZxResult<usize> {
    check_memory_len(buf.len())?;
    let process = handles.get::<Process>(process, Rights::READ | Rights::WRITE)?;
    process.read_memory(vaddr, buf)
}

/// `zx_process_write_memory` of `data` into the process behind `process` (always enabled,
/// ruling 14.7); returns the bytes written. As [`process_read_memory`], needing only
/// `WRITE`.
pub fn process_write_memory(
    handles: &HandleTable,
    process: HandleValue,
    vaddr: usize,
    data: &[u8],
) -> ZxResult<usize> {
    check_memory_len(data.len())?;
    let process = handles.get::<Process>(process, Rights::WRITE)?;
    process.write_memory(vaddr, data)
}

fn check_memory_len(len: usize) -> ZxResult {
    if len == 0 || len > super::process::PROCESS_MEMORY_MAX_BYTES {
        return Err(Status::InvalidArgs);
    }
    Ok(())
}

/// `zx_job_create`: a child of the job behind `parent_job`, as a handle with the default job
/// rights. INVALID_ARGS (options not 0); BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no
/// `MANAGE_JOB`); OUT_OF_RANGE (the height limit); BAD_STATE (the parent was killed).
pub fn job_create(
    handles: &HandleTable,
    parent_job: HandleValue,
    options: u32,
) -> ZxResult<Handle> {
    if options != 0 {
        return Err(Status::InvalidArgs);
    }
    let parent = handles.get::<Job>(parent_job, Rights::MANAGE_JOB)?;
    let child = parent.create_child()?;
    Ok(Handle::new(child, Rights::DEFAULT_JOB))
}

/// `zx_task_kill` on the job, process or thread behind `task`, with
/// `ZX_TASK_RETCODE_SYSCALL_KILL`. BAD_HANDLE; WRONG_TYPE (not a task); ACCESS_DENIED (no
/// `DESTROY`). A thread that kills itself or its process sees [`Thread::is_dying`]
/// afterwards.
pub fn task_kill(handles: &HandleTable, task: HandleValue) -> ZxResult {
    match Task::lookup(handles, task, Rights::DESTROY)? {
        Task::Job(job) => job.kill(),
        Task::Process(process) => process.kill(),
        Task::Thread(thread) => thread.kill(),
    }
    Ok(())
}

/// `zx_thread_create` in the process behind `process`, as a handle with the default thread
/// rights. INVALID_ARGS (options not 0); BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no
/// `MANAGE_PROCESS`, ruling 14.1); BAD_STATE (the process is dying or dead).
pub fn thread_create(
    handles: &HandleTable,
    process: HandleValue,
    name: &[u8],
    options: u32,
) -> ZxResult<Handle> {
    if options != 0 {
        return Err(Status::InvalidArgs);
    }
    let process = handles.get::<Process>(process, Rights::MANAGE_PROCESS)?;
    let thread = Thread::create(&process, name)?;
    Ok(Handle::new(thread, Rights::DEFAULT_THREAD))
}

/// `zx_thread_start` of the thread behind `thread`. BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED
/// (no `MANAGE_THREAD`, ruling 14.1); then the errors of [`Thread::start`].
pub fn thread_start(
    handles: &HandleTable,
    thread: HandleValue,
    entry: usize,
    stack: usize,
    arg1: usize,
    arg2: usize,
) -> ZxResult {
    let thread = handles.get::<Thread>(thread, Rights::MANAGE_THREAD)?;
    thread.start(entry, stack, arg1, arg2)
}

/// The rights `task_create_exception_channel` needs on a thread handle; job and process
/// handles also need `ENUMERATE`.
const EXCEPTION_CHANNEL_TASK_RIGHTS: Rights = Rights::INSPECT
    .union(Rights::DUPLICATE)
    .union(Rights::TRANSFER)
    .union(Rights::MANAGE_THREAD);

/// `zx_task_create_exception_channel` on the task behind `task`: the handler's read-only end
/// (`TRANSFER | WAIT | READ`).
///
/// INVALID_ARGS (options other than `ZX_EXCEPTION_CHANNEL_DEBUGGER`); ACCESS_DENIED (the
/// caller's `ZX_POL_NEW_CHANNEL`); BAD_HANDLE; WRONG_TYPE (not a task); ACCESS_DENIED
/// (missing `INSPECT`, `DUPLICATE`, `TRANSFER`, `MANAGE_THREAD`, or `ENUMERATE` on a job or
/// process); INVALID_ARGS (the debugger option on a thread); BAD_STATE (the task is dying or
/// dead); ALREADY_BOUND.
pub fn task_create_exception_channel(
    caller: &Process,
    task: HandleValue,
    options: u32,
) -> ZxResult<Handle> {
    if options & !ZX_EXCEPTION_CHANNEL_DEBUGGER != 0 {
        return Err(Status::InvalidArgs);
    }
    let debugger = options & ZX_EXCEPTION_CHANNEL_DEBUGGER != 0;
    caller.check_policy(PolicyCondition::NewChannel)?;
    let (object, rights) = caller.handles().handle_info(task)?;
    let task = Task::from_object(&object)?;
    let needed = match task {
        Task::Thread(_) => EXCEPTION_CHANNEL_TASK_RIGHTS,
        Task::Job(_) | Task::Process(_) => EXCEPTION_CHANNEL_TASK_RIGHTS | Rights::ENUMERATE,
    };
    if !rights.contains(needed) {
        return Err(Status::AccessDenied);
    }
    if debugger && matches!(task, Task::Thread(_)) {
        return Err(Status::InvalidArgs);
    }
    match task {
        Task::Job(job) => job.create_exception_channel(rights, debugger),
        Task::Process(process) => process.create_exception_channel(rights, debugger),
        Task::Thread(thread) => thread.create_exception_channel(rights),
    }
}

/// `zx_exception_get_thread`: a handle to the thread of the exception behind `exception`,
/// with the rights of the task handle its channel was made with. BAD_HANDLE; WRONG_TYPE.
pub fn exception_get_thread(handles: &HandleTable, exception: HandleValue) -> ZxResult<Handle> {
    let exception = handles.get::<Exception>(exception, Rights::empty())?;
    Ok(exception.get_thread())
}

/// `zx_exception_get_process`: the same for the thread's process. BAD_HANDLE; WRONG_TYPE;
/// ACCESS_DENIED (the exception came through a thread's channel).
pub fn exception_get_process(handles: &HandleTable, exception: HandleValue) -> ZxResult<Handle> {
    let exception = handles.get::<Exception>(exception, Rights::empty())?;
    exception.get_process()
}

/// `zx_object_get_property(ZX_PROP_EXCEPTION_STATE)`. BAD_HANDLE; WRONG_TYPE; ACCESS_DENIED
/// (no `GET_PROPERTY`).
pub fn exception_get_state(handles: &HandleTable, exception: HandleValue) -> ZxResult<u32> {
    let exception = handles.get::<Exception>(exception, Rights::GET_PROPERTY)?;
    Ok(exception.state())
}

/// `zx_object_set_property(ZX_PROP_EXCEPTION_STATE)`. BAD_HANDLE; WRONG_TYPE; ACCESS_DENIED
/// (no `SET_PROPERTY`); INVALID_ARGS (neither `TRY_NEXT` nor `HANDLED`).
pub fn exception_set_state(handles: &HandleTable, exception: HandleValue, state: u32) -> ZxResult {
    let exception = handles.get::<Exception>(exception, Rights::SET_PROPERTY)?;
    exception.set_state(state)
}

/// `zx_job_set_policy` on the job behind `job`. The request's own errors come first (see
/// [`JobPolicy::check_request`]), then BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no
/// `SET_POLICY`), then those of [`Job::set_policy`].
pub fn job_set_policy(
    handles: &HandleTable,
    job: HandleValue,
    options: u32,
    request: PolicyRequest<'_>,
) -> ZxResult {
    JobPolicy::check_request(options, request)?;
    let job = handles.get::<Job>(job, Rights::SET_POLICY)?;
    job.set_policy(options, request)
}

/// `zx_job_set_critical`: makes the process behind `process` critical to the job behind
/// `job`. BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no `DESTROY` on the job, no `WAIT` on the
/// process); then the errors of [`Job::set_critical`].
pub fn job_set_critical(
    handles: &HandleTable,
    job: HandleValue,
    options: u32,
    process: HandleValue,
) -> ZxResult {
    let job = handles.get::<Job>(job, Rights::DESTROY)?;
    let process = handles.get::<Process>(process, Rights::WAIT)?;
    job.set_critical(options, &process)
}

/// `ZX_INFO_PROCESS` (needs `INSPECT`).
pub fn process_info(handles: &HandleTable, process: HandleValue) -> ZxResult<ProcessInfo> {
    Ok(handles.get::<Process>(process, Rights::INSPECT)?.info())
}

/// `ZX_INFO_JOB` (needs `INSPECT`).
pub fn job_info(handles: &HandleTable, job: HandleValue) -> ZxResult<JobInfo> {
    Ok(handles.get::<Job>(job, Rights::INSPECT)?.info())
}

/// `ZX_INFO_THREAD` (needs `INSPECT`).
pub fn thread_info(handles: &HandleTable, thread: HandleValue) -> ZxResult<ThreadInfo> {
    Ok(handles.get::<Thread>(thread, Rights::INSPECT)?.info())
}

/// `ZX_INFO_THREAD_EXCEPTION_REPORT` (needs `INSPECT`); BAD_STATE when the thread is in no
/// exception.
pub fn thread_exception_report(
    handles: &HandleTable,
    thread: HandleValue,
) -> ZxResult<ExceptionReport> {
    handles
        .get::<Thread>(thread, Rights::INSPECT)?
        .exception_report()
}

/// `ZX_INFO_PROCESS_THREADS` (needs `ENUMERATE`): the koids of the live threads.
pub fn process_threads(handles: &HandleTable, process: HandleValue) -> ZxResult<Vec<Koid>> {
    Ok(handles
        .get::<Process>(process, Rights::ENUMERATE)?
        .thread_koids())
}

/// `ZX_INFO_JOB_CHILDREN` (needs `ENUMERATE`): the koids of the child jobs.
pub fn job_children(handles: &HandleTable, job: HandleValue) -> ZxResult<Vec<Koid>> {
    Ok(handles.get::<Job>(job, Rights::ENUMERATE)?.child_koids())
}

/// `ZX_INFO_JOB_PROCESSES` (needs `ENUMERATE`): the koids of the member processes.
pub fn job_processes(handles: &HandleTable, job: HandleValue) -> ZxResult<Vec<Koid>> {
    Ok(handles.get::<Job>(job, Rights::ENUMERATE)?.process_koids())
}
