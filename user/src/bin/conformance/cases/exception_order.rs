//! Who sees an exception, and in what order (spec §9.3): the process's debugger, the thread,
//! the process, then the job and each ancestor; and the exceptions only debuggers see.

use crate::harness::{Case, Context, Outcome, case, ensure, ensure_eq, long, reaches_state};
use alloc::vec::Vec;
use user::abi::*;
use user::{AsHandleRef, Channel, Signals, Spawned, Status, Task, Time, read_exception};

pub const CASES: &[Case] = &[
    case(
        "exception_goes_to_debugger_thread_process_job_then_parent_job",
        handler_order,
    ),
    case(
        "exception_thread_start_and_exit_go_only_to_the_process_debugger",
        thread_start_and_exit,
    ),
    case(
        "exception_process_start_goes_only_to_the_nearest_job_debugger",
        process_start,
    ),
];

/// Fails unless `channel` has no message queued.
fn ensure_empty(channel: &Channel, name: &str) -> Outcome {
    let readable = channel.wait_one(Signals::CHANNEL_READABLE, Time::ZERO);
    ensure!(
        matches!(readable, Err(Status::TimedOut)),
        "{name}: {readable:?} (a message?)"
    );
    Ok(())
}

/// Waits until `helper` blocks waiting for its first message: from then on, a debugger bound
/// to it sees no `ZX_EXCP_THREAD_STARTING` of its first thread.
fn wait_until_running(helper: &Spawned) -> Outcome {
    ensure!(
        reaches_state(&helper.thread, ZX_THREAD_STATE_BLOCKED_WAIT_ONE),
        "the helper never waited for its message"
    );
    Ok(())
}

fn handler_order(context: &Context) -> Outcome {
    let parent = context.sub_job()?;
    let job = parent.create_child()?;
    let (helper, go) = context.helper_in(&job, "fault", &["null"])?;
    wait_until_running(&helper)?;
    let debugger = ZX_EXCEPTION_CHANNEL_DEBUGGER;
    let handlers = [
        (
            helper.process.create_exception_channel(debugger)?,
            ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER,
        ),
        (
            helper.thread.create_exception_channel(0)?,
            ZX_EXCEPTION_CHANNEL_TYPE_THREAD,
        ),
        (
            helper.process.create_exception_channel(0)?,
            ZX_EXCEPTION_CHANNEL_TYPE_PROCESS,
        ),
        (
            job.create_exception_channel(0)?,
            ZX_EXCEPTION_CHANNEL_TYPE_JOB,
        ),
        (
            parent.create_exception_channel(0)?,
            ZX_EXCEPTION_CHANNEL_TYPE_JOB,
        ),
    ];
    go.write(b"go", Vec::new())?;

    for (at, (channel, channel_type)) in handlers.iter().enumerate() {
        let (info, exception) = read_exception(channel, long())?;
        ensure_eq!((at, info.kind), (at, ZX_EXCP_FATAL_PAGE_FAULT));
        let thread = helper.thread.info()?;
        ensure_eq!(
            (at, thread.wait_exception_channel_type),
            (at, *channel_type)
        );
        for (later, _) in &handlers[at + 1..] {
            ensure_empty(later, "a later handler")?;
        }
        // Closing it with TRY_NEXT (the default) passes it on.
        exception.set_state(ZX_EXCEPTION_STATE_TRY_NEXT)?;
        drop(exception);
    }
    helper.process.wait_terminated(long())?;
    ensure_eq!(
        helper.process.info()?.return_code,
        ZX_TASK_RETCODE_EXCEPTION_KILL
    );
    Ok(())
}

fn thread_start_and_exit(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let job_channel = job.create_exception_channel(0)?;
    let (helper, control) = context.helper_in(&job, "spawn_thread", &[])?;
    wait_until_running(&helper)?;
    let debugger = helper
        .process
        .create_exception_channel(ZX_EXCEPTION_CHANNEL_DEBUGGER)?;
    let process_channel = helper.process.create_exception_channel(0)?;
    let thread_channel = helper.thread.create_exception_channel(0)?;
    control.write(b"spawn", Vec::new())?;

    let (started, exception) = read_exception(&debugger, long())?;
    ensure_eq!(started.kind, ZX_EXCP_THREAD_STARTING);
    ensure_eq!(started.pid, helper.process.koid()?);
    ensure!(
        started.tid != helper.thread.koid()?,
        "the main thread started"
    );
    // Informational: the thread runs on although nobody marked it handled.
    drop(exception);
    let (exiting, exception) = read_exception(&debugger, long())?;
    ensure_eq!(
        (exiting.kind, exiting.tid),
        (ZX_EXCP_THREAD_EXITING, started.tid)
    );
    drop(exception);

    ensure_eq!(
        control.read_wait(long())?.bytes.as_slice(),
        b"joined".as_slice()
    );
    ensure_empty(&process_channel, "the process channel")?;
    ensure_empty(&thread_channel, "the main thread's channel")?;
    ensure_empty(&job_channel, "the job channel")?;
    Ok(())
}

fn process_start(context: &Context) -> Outcome {
    let parent = context.sub_job()?;
    let job = parent.create_child()?;
    let debugger = ZX_EXCEPTION_CHANNEL_DEBUGGER;
    let parent_debugger = parent.create_exception_channel(debugger)?;
    let job_debugger = job.create_exception_channel(debugger)?;
    let job_channel = job.create_exception_channel(0)?;
    let (helper, channel) = context.helper_in(&job, "echo", &[])?;

    let (info, exception) = read_exception(&job_debugger, long())?;
    ensure_eq!(info.kind, ZX_EXCP_PROCESS_STARTING);
    ensure_eq!(
        (info.pid, info.tid),
        (helper.process.koid()?, helper.thread.koid()?)
    );
    ensure_empty(&parent_debugger, "the parent job's debugger")?;
    ensure_empty(&job_channel, "the job channel")?;
    drop(exception);

    channel.write(b"started", Vec::new())?;
    ensure_eq!(
        channel.read_wait(long())?.bytes.as_slice(),
        b"started".as_slice()
    );
    ensure_empty(&parent_debugger, "the parent job's debugger")?;
    Ok(())
}
