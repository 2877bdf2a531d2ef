//! Exceptions (spec §9, §3.11): channels, what they deliver, and how handlers answer.

use crate::harness::{Case, Context, Fail, Outcome, case, ensure, ensure_eq, ensure_err, long};
use alloc::vec::Vec;
use user::abi::*;
use user::{AsHandleRef, Channel, HandleBased, Rights, Spawned, Task, read_exception};

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
    case(
        "exception_reports_a_privileged_instruction_as_general",
        privileged_instruction,
    ),
    case(
        "exception_reports_a_non_canonical_access_as_general",
        non_canonical,
    ),
    case(
        "exception_reports_a_division_by_zero_as_general",
        divide_by_zero,
    ),
    case(
        "exception_channel_with_unknown_options_is_invalid_args",
        bad_options,
    ),
    case(
        "exception_channel_debugger_option_on_a_thread_is_invalid_args",
        debugger_on_thread,
    ),
    case(
        "exception_channel_without_a_needed_right_is_access_denied",
        missing_rights,
    ),
];

/// `#DE`, the divide error (Intel SDM Vol. 3A, Table 6-1).
const DIVIDE_ERROR: u64 = 0;
/// `#GP`, the general-protection fault.
const GENERAL_PROTECTION: u64 = 13;

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

/// Faults a `fault <kind>` helper and checks the exception it raises: `ZX_EXCP_GENERAL` from
/// CPU `vector`, with no fault address.
fn general(context: &Context, kind: &str, vector: u64) -> Outcome {
    let (helper, go) = faulter(context, kind)?;
    let exceptions = helper.process.create_exception_channel(0)?;
    go.write(b"go", Vec::new())?;
    let (info, _exception) = read_exception(&exceptions, long())?;
    ensure_eq!(info.kind, ZX_EXCP_GENERAL);
    let report = helper.thread.exception_report()?;
    ensure_eq!(
        (report.kind, report.vector, report.cr2),
        (ZX_EXCP_GENERAL, vector, 0)
    );
    helper.process.kill()?;
    Ok(())
}

fn privileged_instruction(context: &Context) -> Outcome {
    general(context, "privileged", GENERAL_PROTECTION)
}

fn non_canonical(context: &Context) -> Outcome {
    general(context, "noncanonical", GENERAL_PROTECTION)
}

fn divide_by_zero(context: &Context) -> Outcome {
    general(context, "divide", DIVIDE_ERROR)
}

fn bad_options(context: &Context) -> Outcome {
    let (helper, _go) = faulter(context, "null")?;
    let unknown = ZX_EXCEPTION_CHANNEL_DEBUGGER << 1;
    ensure_err!(
        helper.process.create_exception_channel(unknown),
        InvalidArgs
    );
    ensure_err!(helper.thread.create_exception_channel(unknown), InvalidArgs);
    ensure_err!(
        context.sub_job()?.create_exception_channel(unknown),
        InvalidArgs
    );
    helper.process.kill()?;
    Ok(())
}

fn debugger_on_thread(context: &Context) -> Outcome {
    let (helper, _go) = faulter(context, "null")?;
    let result = helper
        .thread
        .create_exception_channel(ZX_EXCEPTION_CHANNEL_DEBUGGER);
    ensure_err!(result, InvalidArgs);
    helper.process.kill()?;
    Ok(())
}

/// The rights `zx_task_create_exception_channel` needs on any task (spec §3.11).
const NEEDED: [Rights; 4] = [
    Rights::INSPECT,
    Rights::DUPLICATE,
    Rights::TRANSFER,
    Rights::MANAGE_THREAD,
];

fn missing_rights(context: &Context) -> Outcome {
    let (helper, _go) = faulter(context, "null")?;
    let job = context.sub_job()?;
    let process_rights = helper.process.basic_info()?.rights;
    let thread_rights = helper.thread.basic_info()?.rights;
    let job_rights = job.basic_info()?.rights;
    for right in NEEDED.into_iter().chain([Rights::ENUMERATE]) {
        let process = helper.process.duplicate(process_rights - right)?;
        ensure_err!(process.create_exception_channel(0), AccessDenied);
        let job = job.duplicate(job_rights - right)?;
        ensure_err!(job.create_exception_channel(0), AccessDenied);
    }
    for right in NEEDED {
        let thread = helper.thread.duplicate(thread_rights - right)?;
        ensure_err!(thread.create_exception_channel(0), AccessDenied);
    }
    // A thread needs no ENUMERATE (it has none to give).
    let thread = helper.thread.duplicate(thread_rights)?;
    drop(thread.create_exception_channel(0)?);
    helper.process.kill()?;
    Ok(())
}
