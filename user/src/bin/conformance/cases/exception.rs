//! Exceptions (spec §9, §3.11): channels, what they deliver, and how handlers answer.

use crate::harness::{Case, Context, Fail, Outcome, case, ensure, ensure_eq, ensure_err, long};
use alloc::vec::Vec;
use user::abi::*;
use user::{AsHandleRef, Channel, Spawned, Task, read_exception};

pub const CASES: &[Case] = &[
    case(
        "exception_channel_delivers_a_page_fault_with_its_task",
        page_fault,
    ),
    case(
        "exception_left_to_try_next_kills_with_exception_kill",
        try_next_kills,
    ),
    case(
        "exception_handled_resumes_after_a_breakpoint",
        breakpoint_resumes,
    ),
    case(
        "exception_reports_undefined_instructions",
        undefined_instruction,
    ),
    case(
        "exception_get_process_from_a_thread_channel_is_access_denied",
        thread_channel_process,
    ),
    case("exception_channel_of_a_job_sees_its_processes", job_channel),
    case(
        "exception_channel_closed_unread_passes_the_exception_on",
        closed_channel_passes_on,
    ),
    case(
        "exception_channel_twice_for_one_task_is_already_bound",
        already_bound,
    ),
    case("exception_channel_is_read_only", read_only),
    case("exception_channel_of_a_dead_task_is_bad_state", dead_task),
];

/// A `fault <kind>` helper that waits for the word to fault, and its channel.
fn faulter(context: &Context, kind: &str) -> Result<(Spawned, Channel), Fail> {
    Ok(context.helper_with_channel("fault", &[kind])?)
}

fn page_fault(context: &Context) -> Outcome {
    let (helper, go) = faulter(context, "null")?;
    let exceptions = helper.process.create_exception_channel(0)?;
    go.write(b"go", Vec::new())?;
    let (info, exception) = read_exception(&exceptions, long())?;
    ensure_eq!(info.kind, ZX_EXCP_FATAL_PAGE_FAULT);
    ensure_eq!(info.pid, helper.process.koid()?);
    ensure_eq!(info.tid, helper.thread.koid()?);
    ensure_eq!(exception.thread()?.koid()?, info.tid);
    ensure_eq!(exception.process()?.koid()?, info.pid);
    let report = helper.thread.exception_report()?;
    ensure_eq!((report.kind, report.cr2), (ZX_EXCP_FATAL_PAGE_FAULT, 0));
    helper.process.kill()?;
    Ok(())
}

fn try_next_kills(context: &Context) -> Outcome {
    let (helper, go) = faulter(context, "null")?;
    let exceptions = helper.process.create_exception_channel(0)?;
    go.write(b"go", Vec::new())?;
    let (_, exception) = read_exception(&exceptions, long())?;
    exception.set_state(ZX_EXCEPTION_STATE_TRY_NEXT)?;
    drop(exception);
    helper.process.wait_terminated(long())?;
    ensure_eq!(
        helper.process.info()?.return_code,
        ZX_TASK_RETCODE_EXCEPTION_KILL
    );
    Ok(())
}

fn breakpoint_resumes(context: &Context) -> Outcome {
    let (helper, go) = faulter(context, "breakpoint")?;
    let exceptions = helper.process.create_exception_channel(0)?;
    go.write(b"go", Vec::new())?;
    let (info, exception) = read_exception(&exceptions, long())?;
    ensure_eq!(info.kind, ZX_EXCP_SW_BREAKPOINT);
    exception.set_handled()?;
    drop(exception);
    ensure_eq!(
        go.read_wait(long())?.bytes.as_slice(),
        b"resumed".as_slice()
    );
    helper.process.wait_terminated(long())?;
    ensure_eq!(helper.process.info()?.return_code, 0);
    Ok(())
}

fn undefined_instruction(context: &Context) -> Outcome {
    let (helper, go) = faulter(context, "ud2")?;
    let exceptions = helper.process.create_exception_channel(0)?;
    go.write(b"go", Vec::new())?;
    let (info, _exception) = read_exception(&exceptions, long())?;
    ensure_eq!(info.kind, ZX_EXCP_UNDEFINED_INSTRUCTION);
    helper.process.kill()?;
    Ok(())
}

fn thread_channel_process(context: &Context) -> Outcome {
    let (helper, go) = faulter(context, "null")?;
    let exceptions = helper.thread.create_exception_channel(0)?;
    go.write(b"go", Vec::new())?;
    let (_, exception) = read_exception(&exceptions, long())?;
    ensure_eq!(exception.thread()?.koid()?, helper.thread.koid()?);
    ensure_err!(exception.process(), AccessDenied);
    helper.process.kill()?;
    Ok(())
}

fn job_channel(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let exceptions = job.create_exception_channel(0)?;
    let (helper, go) = context.helper_in(&job, "fault", &["null"])?;
    go.write(b"go", Vec::new())?;
    let (info, _exception) = read_exception(&exceptions, long())?;
    ensure_eq!(info.pid, helper.process.koid()?);
    helper.process.kill()?;
    Ok(())
}

fn closed_channel_passes_on(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let job_exceptions = job.create_exception_channel(0)?;
    let (helper, go) = context.helper_in(&job, "fault", &["null"])?;
    let process_exceptions = helper.process.create_exception_channel(0)?;
    go.write(b"go", Vec::new())?;
    let readable = user::Signals::CHANNEL_READABLE;
    process_exceptions.wait_one(readable, long())?;
    drop(process_exceptions);
    let (info, _exception) = read_exception(&job_exceptions, long())?;
    ensure_eq!(info.pid, helper.process.koid()?);
    helper.process.kill()?;
    Ok(())
}

fn already_bound(context: &Context) -> Outcome {
    let (helper, _go) = faulter(context, "null")?;
    let _first = helper.process.create_exception_channel(0)?;
    ensure_err!(helper.process.create_exception_channel(0), AlreadyBound);
    helper.process.kill()?;
    Ok(())
}

fn read_only(context: &Context) -> Outcome {
    let (helper, _go) = faulter(context, "null")?;
    let exceptions = helper.process.create_exception_channel(0)?;
    let rights = exceptions.basic_info()?.rights;
    ensure!(
        !rights.contains(user::Rights::WRITE),
        "rights {:#x}",
        rights.bits()
    );
    ensure_err!(exceptions.write(b"x", Vec::new()), AccessDenied);
    helper.process.kill()?;
    Ok(())
}

fn dead_task(context: &Context) -> Outcome {
    let helper = context.helper(&context.job, "exit", &["0"], Vec::new())?;
    helper.process.wait_terminated(long())?;
    ensure_err!(helper.process.create_exception_channel(0), BadState);
    Ok(())
}
