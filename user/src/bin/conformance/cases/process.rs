//! Processes (spec §2.1, §3.1-§3.3, §3.7): creation, start, exit, kill, and their errors.

use crate::harness::{
    Case, Context, Outcome, case, ensure, ensure_eq, ensure_err, ensure_raw, long, reaches_state,
};
use alloc::vec::Vec;
use user::abi::*;
use user::handle::is_live_handle_value;
use user::{AsHandleRef, Event, Handle, HandleBased, Rights, Signals, Task, Time, sys};

pub const CASES: &[Case] = &[
    case(
        "process_create_returns_a_process_in_its_job_and_a_root_vmar",
        create,
    ),
    case(
        "process_create_in_a_killed_job_is_bad_state",
        create_dead_job,
    ),
    case(
        "process_create_without_manage_process_is_access_denied",
        create_denied,
    ),
    case(
        "process_create_on_a_non_job_is_wrong_type",
        create_wrong_type,
    ),
    case(
        "process_create_with_options_is_invalid_args",
        create_options,
    ),
    case("process_create_truncates_long_names", create_long_name),
    case("process_info_before_start_says_not_started", info_unstarted),
    case("process_start_twice_is_bad_state", start_twice),
    case("process_start_after_exit_is_bad_state", start_after_exit),
    case(
        "process_start_with_another_process_s_thread_is_access_denied",
        start_foreign_thread,
    ),
    case(
        "process_start_failure_closes_arg1",
        start_failure_closes_arg1,
    ),
    case(
        "process_start_without_write_right_is_access_denied",
        start_without_write,
    ),
    case(
        "process_start_with_arg1_lacking_transfer_is_access_denied",
        start_arg1_without_transfer,
    ),
    case(
        "process_start_at_a_kernel_address_is_invalid_args",
        start_kernel_entry,
    ),
    case("process_exit_code_is_reported_by_process_info", exit_code),
    case("process_ends_when_its_last_thread_exits", last_thread_exit),
    case(
        "process_takes_no_new_thread_after_its_last_thread_exited",
        no_thread_after_exit,
    ),
    case(
        "process_keeps_running_when_its_handles_are_closed",
        survives_handle_close,
    ),
    case(
        "process_never_started_is_destroyed_with_its_last_handle",
        unstarted_destroyed,
    ),
    case("process_kill_reports_syscall_kill", kill_code),
    case("process_kill_ends_a_blocked_process", kill_blocked),
    case(
        "task_kill_without_destroy_right_is_access_denied",
        kill_denied,
    ),
    case("task_kill_of_a_non_task_is_wrong_type", kill_wrong_type),
];

fn create(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let (process, vmar) = job.create_process("created")?;
    let info = process.basic_info()?;
    ensure_eq!(info.object_type, ZX_OBJ_TYPE_PROCESS);
    ensure_eq!(info.related_koid, job.koid()?);
    ensure_eq!(vmar.basic_info()?.object_type, ZX_OBJ_TYPE_VMAR);
    ensure_eq!(job.processes()?, alloc::vec![info.koid]);
    Ok(())
}

fn create_dead_job(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    job.kill()?;
    job.wait_terminated(long())?;
    ensure_err!(job.create_process("late"), BadState);
    Ok(())
}

fn create_denied(context: &Context) -> Outcome {
    let job = context
        .sub_job()?
        .duplicate(Rights::BASIC | Rights::MANAGE_JOB)?;
    ensure_err!(job.create_process("denied"), AccessDenied);
    Ok(())
}

fn create_wrong_type(_: &Context) -> Outcome {
    let event = Event::create()?;
    let status = sys::process_create(event.raw_handle(), b"x", 0, &mut 0, &mut 0);
    ensure_raw!(status, WrongType);
    Ok(())
}

fn create_options(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let (mut process, mut vmar) = (0, 0);
    ensure_raw!(
        sys::process_create(job.raw_handle(), b"x", 1, &mut process, &mut vmar),
        InvalidArgs
    );
    Ok(())
}

fn create_long_name(context: &Context) -> Outcome {
    let name = "a-process-name-that-is-longer-than-thirty-one-bytes";
    let (process, _vmar) = context.sub_job()?.create_process(name)?;
    ensure_eq!(
        process.name()?.as_bytes(),
        &name.as_bytes()[..ZX_MAX_NAME_LEN - 1]
    );
    Ok(())
}

fn info_unstarted(context: &Context) -> Outcome {
    let (process, _vmar) = context.sub_job()?.create_process("unstarted")?;
    let info = process.info()?;
    ensure!(!info.started && !info.exited, "{info:?}");
    Ok(())
}

fn start_twice(context: &Context) -> Outcome {
    let (helper, _channel) = context.helper_with_channel("echo", &[])?;
    let thread = helper.process.create_thread("second")?;
    let result = helper
        .process
        .start(&thread, 0x2000_0000, 0x2000_0000, Handle::invalid(), 0);
    ensure_err!(result, BadState);
    Ok(())
}

fn start_after_exit(context: &Context) -> Outcome {
    let (helper, channel) = context.helper_with_channel("echo", &[])?;
    let thread = helper.process.create_thread("late")?;
    drop(channel);
    helper.process.wait_terminated(long())?;
    let result = helper
        .process
        .start(&thread, 0x2000_0000, 0x2000_0000, Handle::invalid(), 0);
    ensure_err!(result, BadState);
    Ok(())
}

fn start_foreign_thread(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let (first, _a) = job.create_process("first")?;
    let (second, _b) = job.create_process("second")?;
    let thread = second.create_thread("theirs")?;
    let result = first.start(&thread, 0x2000_0000, 0x2000_0000, Handle::invalid(), 0);
    ensure_err!(result, AccessDenied);
    Ok(())
}

fn start_failure_closes_arg1(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let (first, _a) = job.create_process("first")?;
    let (second, _b) = job.create_process("second")?;
    let thread = second.create_thread("theirs")?;
    let event = Event::create()?;
    let raw = event.raw_handle();
    ensure!(
        first
            .start(&thread, 0x2000_0000, 0x2000_0000, event.into(), 0)
            .is_err()
    );
    ensure!(!is_live_handle_value(raw), "arg1 survived a failed start");
    Ok(())
}

fn start_without_write(context: &Context) -> Outcome {
    let (process, _vmar) = context.sub_job()?.create_process("no-write")?;
    let thread = process.create_thread("t")?;
    let all = process.basic_info()?.rights;
    let weak = process.duplicate(all - Rights::WRITE)?;
    let result = weak.start(&thread, 0x2000_0000, 0x2000_0000, Handle::invalid(), 0);
    ensure_err!(result, AccessDenied);
    ensure!(!process.info()?.started);
    Ok(())
}

fn start_arg1_without_transfer(context: &Context) -> Outcome {
    let (process, _vmar) = context.sub_job()?.create_process("no-transfer")?;
    let thread = process.create_thread("t")?;
    let arg1 = Event::create()?.duplicate(Rights::WAIT | Rights::SIGNAL)?;
    let raw = arg1.raw_handle();
    let result = process.start(&thread, 0x2000_0000, 0x2000_0000, arg1.into(), 0);
    ensure_err!(result, AccessDenied);
    ensure!(!process.info()?.started);
    ensure!(!is_live_handle_value(raw), "arg1 survived a failed start");
    Ok(())
}

fn start_kernel_entry(context: &Context) -> Outcome {
    let (process, _vmar) = context.sub_job()?.create_process("kernel-entry")?;
    let thread = process.create_thread("t")?;
    let kernel = user::vm::KERNEL_ADDRESS;
    ensure_err!(
        process.start(&thread, kernel, 0x2000_0000, Handle::invalid(), 0),
        InvalidArgs
    );
    Ok(())
}

fn exit_code(context: &Context) -> Outcome {
    let helper = context.helper(&context.job, "exit", &["42"], Vec::new())?;
    let observed = helper
        .process
        .wait_one(Signals::PROCESS_TERMINATED, long())?;
    ensure!(observed.contains(Signals::PROCESS_TERMINATED));
    let info = helper.process.info()?;
    ensure!(info.started && info.exited, "{info:?}");
    ensure_eq!(info.return_code, 42);
    Ok(())
}

fn last_thread_exit(context: &Context) -> Outcome {
    let helper = context.helper(&context.job, "thread_exit", &[], Vec::new())?;
    helper.process.wait_terminated(long())?;
    helper
        .thread
        .wait_one(Signals::THREAD_TERMINATED, Time::ZERO)?;
    ensure!(helper.process.info()?.exited);
    Ok(())
}

fn no_thread_after_exit(context: &Context) -> Outcome {
    let helper = context.helper(&context.job, "thread_exit", &[], Vec::new())?;
    helper.process.wait_terminated(long())?;
    ensure_err!(helper.process.create_thread("too-late"), BadState);
    Ok(())
}

fn survives_handle_close(context: &Context) -> Outcome {
    let (helper, channel) = context.helper_with_channel("echo", &[])?;
    let koid = helper.process.koid()?;
    drop(helper);
    channel.write(b"still there?", Vec::new())?;
    ensure_eq!(
        channel.read_wait(long())?.bytes.as_slice(),
        b"still there?".as_slice()
    );
    ensure!(context.job.processes()?.contains(&koid));
    Ok(())
}

fn unstarted_destroyed(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let (process, vmar) = job.create_process("never-started")?;
    let thread = process.create_thread("never-started")?;
    ensure_eq!(job.processes()?, alloc::vec![process.koid()?]);
    // Ruling 14.4: neither its root VMAR nor its thread keeps it; its last handle does.
    drop(process);
    let observed = job.wait_one(Signals::JOB_NO_PROCESSES, long())?;
    ensure!(observed.contains(Signals::JOB_NO_PROCESSES));
    ensure!(job.processes()?.is_empty());
    thread.wait_one(Signals::THREAD_TERMINATED, long())?;
    drop(vmar);
    Ok(())
}

fn kill_code(context: &Context) -> Outcome {
    let helper = context.helper(&context.job, "spin", &[], Vec::new())?;
    helper.process.kill()?;
    helper.process.wait_terminated(long())?;
    ensure_eq!(
        helper.process.info()?.return_code,
        ZX_TASK_RETCODE_SYSCALL_KILL
    );
    Ok(())
}

fn kill_blocked(context: &Context) -> Outcome {
    let helper = context.helper(&context.job, "sleep", &[], Vec::new())?;
    ensure!(
        reaches_state(&helper.thread, ZX_THREAD_STATE_BLOCKED_SLEEPING),
        "the helper never went to sleep"
    );
    helper.process.kill()?;
    helper.process.wait_terminated(long())?;
    Ok(())
}

fn kill_denied(context: &Context) -> Outcome {
    let helper = context.helper(&context.job, "sleep", &[], Vec::new())?;
    let weak = helper.process.duplicate(Rights::WAIT | Rights::INSPECT)?;
    ensure_err!(weak.kill(), AccessDenied);
    helper.process.kill()?;
    Ok(())
}

fn kill_wrong_type(_: &Context) -> Outcome {
    ensure_raw!(sys::task_kill(Event::create()?.raw_handle()), WrongType);
    Ok(())
}
