//! Threads (spec §2.3, §3.8-§3.10, ruling 14.3): start, exit, kill, states, and errors.

use crate::harness::{
    Case, Context, Outcome, case, ensure, ensure_eq, ensure_err, ensure_raw, long, reaches_state,
};
use alloc::sync::Arc;
use user::abi::*;
use user::{AsHandleRef, Event, HandleBased, Rights, Signals, Task, Time, rt, sys};

pub const CASES: &[Case] = &[
    case("thread_runs_its_entry_after_start", runs),
    case("thread_start_twice_is_bad_state", start_twice),
    case(
        "thread_start_after_its_process_s_last_thread_exited_is_bad_state",
        start_after_last_exit,
    ),
    case("thread_exit_asserts_thread_terminated", exit_terminated),
    case("thread_kill_terminates_the_thread", kill),
    case("thread_kill_of_the_last_thread_ends_the_process", kill_last),
    case("thread_create_with_options_is_invalid_args", create_options),
    case(
        "thread_create_without_manage_rights_is_access_denied",
        create_denied,
    ),
    case(
        "thread_start_without_manage_thread_is_access_denied",
        start_denied,
    ),
    case(
        "thread_start_at_a_kernel_address_is_invalid_args",
        start_kernel_entry,
    ),
    case(
        "thread_keeps_running_when_its_handle_is_closed",
        survives_close,
    ),
    case(
        "thread_running_signal_is_asserted_after_start",
        running_signal,
    ),
    case("thread_info_reports_new_before_start", state_new),
    case(
        "thread_info_reports_blocked_wait_one_while_waiting",
        state_blocked,
    ),
    case("thread_info_reports_dead_after_exit", state_dead),
    case("process_threads_lists_a_started_thread", listed),
];

/// A thread blocked on `event` until it is signaled with `USER_0`.
fn waiting_thread(event: &Arc<Event>) -> user::ZxResult<user::thread::JoinHandle> {
    let event = event.clone();
    user::thread::spawn("waiting", move || {
        let _ = event.wait_one(Signals::USER_0, Time::INFINITE);
        let _ = event.signal(Signals::empty(), Signals::USER_1);
    })
}

fn runs(_: &Context) -> Outcome {
    let event = Arc::new(Event::create()?);
    let thread = waiting_thread(&event)?;
    event.signal(Signals::empty(), Signals::USER_0)?;
    event.wait_one(Signals::USER_1, long())?;
    thread.join(long()).map_err(|(status, _)| status)?;
    Ok(())
}

fn start_twice(_: &Context) -> Outcome {
    let event = Arc::new(Event::create()?);
    let thread = waiting_thread(&event)?;
    ensure_err!(
        thread.thread().start(0x2000_0000, 0x2000_0000, 0, 0),
        BadState
    );
    event.signal(Signals::empty(), Signals::USER_0)?;
    thread.join(long()).map_err(|(status, _)| status)?;
    Ok(())
}

fn start_after_last_exit(context: &Context) -> Outcome {
    let (helper, go) = context.helper_with_channel("thread_exit_on_message", &[])?;
    let late = helper.process.create_thread("late")?;
    go.write(b"go", alloc::vec::Vec::new())?;
    // Spec §2.1: the process ends with its last thread; the one never started does not count.
    helper.process.wait_terminated(long())?;
    ensure_eq!(helper.process.info()?.return_code, 0);
    ensure_err!(late.start(0x2000_0000, 0x2000_0000, 0, 0), BadState);
    Ok(())
}

fn exit_terminated(_: &Context) -> Outcome {
    let thread = user::thread::spawn("short", || {})?;
    let observed = thread
        .thread()
        .wait_one(Signals::THREAD_TERMINATED, long())?;
    ensure!(observed.contains(Signals::THREAD_TERMINATED));
    ensure!(
        !observed.contains(Signals::THREAD_RUNNING),
        "observed {observed:?}"
    );
    thread.join(long()).map_err(|(status, _)| status)?;
    Ok(())
}

fn kill(_: &Context) -> Outcome {
    let thread = user::thread::spawn("spinner", || {
        loop {
            core::hint::spin_loop();
        }
    })?;
    thread.thread().kill()?;
    thread.join(long()).map_err(|(status, _)| status)?;
    Ok(())
}

fn kill_last(context: &Context) -> Outcome {
    let helper = context.helper(&context.job, "spin", &[], alloc::vec::Vec::new())?;
    helper.thread.kill()?;
    helper.thread.wait_one(Signals::THREAD_TERMINATED, long())?;
    helper.process.wait_terminated(long())?;
    Ok(())
}

fn create_options(_: &Context) -> Outcome {
    ensure_raw!(
        sys::thread_create(rt::process_self().raw_handle(), b"t", 1, &mut 0),
        InvalidArgs
    );
    Ok(())
}

fn create_denied(context: &Context) -> Outcome {
    let (process, _vmar) = context.sub_job()?.create_process("no-manage")?;
    let all = process.basic_info()?.rights;
    let weak = process.duplicate(all - Rights::MANAGE_PROCESS - Rights::MANAGE_THREAD)?;
    ensure_err!(weak.create_thread("denied"), AccessDenied);
    Ok(())
}

fn start_denied(_: &Context) -> Outcome {
    let thread = rt::process_self().create_thread("unstarted")?;
    let all = thread.basic_info()?.rights;
    let weak = thread.duplicate(all - Rights::MANAGE_THREAD)?;
    ensure_err!(weak.start(0x2000_0000, 0x2000_0000, 0, 0), AccessDenied);
    Ok(())
}

fn start_kernel_entry(_: &Context) -> Outcome {
    let thread = rt::process_self().create_thread("unstarted")?;
    ensure_err!(
        thread.start(user::vm::KERNEL_ADDRESS, 0x2000_0000, 0, 0),
        InvalidArgs
    );
    Ok(())
}

fn survives_close(_: &Context) -> Outcome {
    let event = Arc::new(Event::create()?);
    let thread = waiting_thread(&event)?;
    // Dropping the join handle closes the thread handle and leaves the stack mapped.
    drop(thread);
    event.signal(Signals::empty(), Signals::USER_0)?;
    event.wait_one(Signals::USER_1, long())?;
    Ok(())
}

fn running_signal(_: &Context) -> Outcome {
    let event = Arc::new(Event::create()?);
    let thread = waiting_thread(&event)?;
    thread.thread().wait_one(Signals::THREAD_RUNNING, long())?;
    event.signal(Signals::empty(), Signals::USER_0)?;
    thread.join(long()).map_err(|(status, _)| status)?;
    Ok(())
}

fn state_new(_: &Context) -> Outcome {
    let thread = rt::process_self().create_thread("unstarted")?;
    ensure_eq!(thread.info()?.state, ZX_THREAD_STATE_NEW);
    Ok(())
}

fn state_blocked(_: &Context) -> Outcome {
    let event = Arc::new(Event::create()?);
    let thread = waiting_thread(&event)?;
    ensure!(
        reaches_state(thread.thread(), ZX_THREAD_STATE_BLOCKED_WAIT_ONE),
        "state {:?}",
        thread.thread().info()
    );
    event.signal(Signals::empty(), Signals::USER_0)?;
    thread.join(long()).map_err(|(status, _)| status)?;
    Ok(())
}

fn state_dead(_: &Context) -> Outcome {
    let joined = user::thread::spawn("short", || {})?;
    let thread = joined.thread().duplicate(Rights::SAME_RIGHTS)?;
    joined.join(long()).map_err(|(status, _)| status)?;
    ensure_eq!(thread.info()?.state, ZX_THREAD_STATE_DEAD);
    Ok(())
}

fn listed(_: &Context) -> Outcome {
    let event = Arc::new(Event::create()?);
    let thread = waiting_thread(&event)?;
    let koid = thread.thread().koid()?;
    ensure!(rt::process_self().threads()?.contains(&koid));
    event.signal(Signals::empty(), Signals::USER_0)?;
    thread.join(long()).map_err(|(status, _)| status)?;
    Ok(())
}
