//! Exceptions: `task_create_exception_channel` (spec §3.11), the handler order and protocol
//! of §9, the exception object, and the debugger-only synthetic exceptions.

use super::*;
use crate::abi::{
    ExceptionChannelType, ObjectType, Status, ZX_EXCEPTION_CHANNEL_DEBUGGER,
    ZX_EXCEPTION_STATE_HANDLED, ZX_EXCEPTION_STATE_TRY_NEXT, ZX_EXCP_FATAL_PAGE_FAULT,
    ZX_EXCP_GENERAL, ZX_EXCP_PROCESS_STARTING, ZX_EXCP_THREAD_EXITING, ZX_EXCP_THREAD_STARTING,
    ZX_JOB_POL_RELATIVE, ZX_POL_ACTION_DENY, ZX_POL_NEW_CHANNEL, ZX_TASK_RETCODE_EXCEPTION_KILL,
};
use crate::ipc::{Event, channel_read, channel_write};
use crate::task::ops::{
    exception_get_process, exception_get_state, exception_get_thread, exception_set_state,
    task_create_exception_channel, thread_exception_report,
};

/// A page fault at `cr2`, as the kernel reports it.
fn page_fault(cr2: u64) -> ExceptionReport {
    ExceptionReport {
        kind: ZX_EXCP_FATAL_PAGE_FAULT,
        arch: X86ExceptionData {
            vector: 14,
            err_code: 6,
            cr2,
        },
    }
}

/// Binds an exception channel to the task behind `task` and puts the handler's end in the
/// caller's table.
fn bind(world: &World, task: HandleValue, options: u32) -> HandleValue {
    let channel = task_create_exception_channel(&world.caller, task, options).unwrap();
    world.table().insert(channel).unwrap()
}

/// The next exception on `channel`: its `zx_exception_info_t` fields and the value of its
/// exception handle; `None` when nothing is queued.
fn take(world: &World, channel: HandleValue) -> Option<((u64, u64, u32), HandleValue)> {
    let message = channel_read(world.table(), channel, 0, 64, 1).ok()?;
    let bytes = &message.bytes;
    assert_eq!(bytes.len(), ExceptionInfo::SIZE);
    let pid = u64::from_le_bytes(bytes[..8].try_into().unwrap());
    let tid = u64::from_le_bytes(bytes[8..16].try_into().unwrap());
    let kind = u32::from_le_bytes(bytes[16..20].try_into().unwrap());
    assert_eq!(message.handles.len(), 1);
    Some(((pid, tid, kind), message.handles[0].value))
}

/// Closes an exception handle after setting its state.
fn release(world: &World, exception: HandleValue, state: u32) {
    exception_set_state(world.table(), exception, state).unwrap();
    world.table().close(exception).unwrap();
}

/// A job in the root job, a running process in it, and handles to all three tasks.
struct Faulting {
    job: HandleValue,
    process: HandleValue,
    thread: HandleValue,
    started: StartedThread,
}

fn faulting(world: &World) -> Faulting {
    let (job, job_object) = world.job_in(&world.root);
    let (process, started) = world.running_process(&job_object);
    Faulting {
        job,
        process: world.insert(process, Rights::DEFAULT_PROCESS),
        thread: world.insert(started.thread().clone(), Rights::DEFAULT_THREAD),
        started,
    }
}

// --- task_create_exception_channel (spec §3.11) ---

#[test]
fn the_handlers_end_is_read_only() {
    let world = World::new();
    let f = faulting(&world);
    let channel = task_create_exception_channel(&world.caller, f.thread, 0).unwrap();
    assert_eq!(
        channel.rights(),
        Rights::TRANSFER | Rights::WAIT | Rights::READ
    );
    let channel = world.table().insert(channel).unwrap();
    assert_eq!(
        channel_write(world.table(), channel, 0, alloc::vec![1], &[]),
        Err(Status::AccessDenied)
    );
}

#[test]
fn a_second_channel_of_a_type_is_already_bound_until_the_first_closes() {
    let world = World::new();
    let f = faulting(&world);
    let first = bind(&world, f.process, 0);
    let debugger = bind(&world, f.process, ZX_EXCEPTION_CHANNEL_DEBUGGER);
    assert_eq!(
        task_create_exception_channel(&world.caller, f.process, 0).err(),
        Some(Status::AlreadyBound)
    );
    world.table().close(first).unwrap();
    bind(&world, f.process, 0);
    let _ = debugger;
}

#[test]
fn create_exception_channel_option_and_handle_errors() {
    let world = World::new();
    let f = faulting(&world);
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    let create = |task, options| task_create_exception_channel(&world.caller, task, options).err();
    assert_eq!(create(f.process, 2), Some(Status::InvalidArgs));
    assert_eq!(
        create(f.thread, ZX_EXCEPTION_CHANNEL_DEBUGGER),
        Some(Status::InvalidArgs),
        "threads have no debugger channel"
    );
    assert_eq!(create(0x7777_7777, 0), Some(Status::BadHandle));
    assert_eq!(create(event, 0), Some(Status::WrongType));
}

#[test]
fn create_exception_channel_needs_each_right() {
    let world = World::new();
    let f = faulting(&world);
    let (process, _) = world.table().handle_info(f.process).unwrap();
    let (thread, _) = world.table().handle_info(f.thread).unwrap();
    for missing in [
        Rights::INSPECT,
        Rights::DUPLICATE,
        Rights::TRANSFER,
        Rights::MANAGE_THREAD,
        Rights::ENUMERATE,
    ] {
        let value = world.insert(process.clone(), Rights::DEFAULT_PROCESS.difference(missing));
        assert_eq!(
            task_create_exception_channel(&world.caller, value, 0).err(),
            Some(Status::AccessDenied),
            "a process handle without {missing:?}"
        );
    }
    let rights = Rights::DEFAULT_THREAD.difference(Rights::ENUMERATE);
    let value = world.insert(thread, rights);
    assert!(
        task_create_exception_channel(&world.caller, value, 0).is_ok(),
        "threads need no ENUMERATE"
    );
}

#[test]
fn create_exception_channel_on_a_dying_task_is_bad_state() {
    let world = World::new();
    let f = faulting(&world);
    crate::task::ops::task_kill(world.table(), f.process).unwrap();
    let create = |task| task_create_exception_channel(&world.caller, task, 0).err();
    assert_eq!(create(f.process), Some(Status::BadState));
    assert_eq!(create(f.thread), Some(Status::BadState));
    drop(f.started);
    assert_eq!(create(f.thread), Some(Status::BadState), "dead");
    crate::task::ops::task_kill(world.table(), f.job).unwrap();
    assert_eq!(create(f.job), Some(Status::BadState));
}

#[test]
fn a_policy_against_new_channels_denies_exception_channels() {
    let world = World::new();
    let (_, strict) = world.job_in(&world.root);
    let deny = [BasicPolicy {
        condition: ZX_POL_NEW_CHANNEL,
        action: ZX_POL_ACTION_DENY,
    }];
    strict
        .set_policy(ZX_JOB_POL_RELATIVE, PolicyRequest::Basic(&deny))
        .unwrap();
    let (caller, _) = Process::create(&strict, b"strict").unwrap();
    let value = caller
        .handles()
        .insert(Handle::new(caller.clone(), Rights::DEFAULT_PROCESS))
        .unwrap();
    assert_eq!(
        task_create_exception_channel(&caller, value, 0).err(),
        Some(Status::AccessDenied)
    );
}

// --- the handler walk (spec §9.3) ---

#[test]
fn handlers_are_tried_in_spec_order_and_nobody_handling_kills_the_process() {
    let world = World::new();
    let f = faulting(&world);
    let root = world.insert(world.root.clone(), Rights::DEFAULT_JOB);
    let order = [
        bind(&world, f.process, ZX_EXCEPTION_CHANNEL_DEBUGGER),
        bind(&world, f.thread, 0),
        bind(&world, f.process, 0),
        bind(&world, f.job, 0),
        bind(&world, root, 0),
    ];
    let _job_debugger = bind(&world, f.job, ZX_EXCEPTION_CHANNEL_DEBUGGER);

    let mut raise = boxed(f.started.raise_exception(page_fault(0x10)));
    for channel in order {
        assert!(poll_once(&mut raise).is_pending());
        for other in order.iter().filter(|&&other| other != channel) {
            assert!(take(&world, *other).is_none(), "one handler at a time");
        }
        let ((pid, tid, kind), exception) = take(&world, channel).expect("this handler's turn");
        assert_eq!((pid, tid), (f.started.process().koid(), f.started.koid()));
        assert_eq!(kind, ZX_EXCP_FATAL_PAGE_FAULT);
        release(&world, exception, ZX_EXCEPTION_STATE_TRY_NEXT);
    }
    assert_eq!(poll_once(&mut raise), Poll::Ready(ExceptionOutcome::Stop));
    let process = f.started.process().clone();
    assert!(f.started.is_killed());
    drop(raise);
    drop(f.started);
    assert_eq!(process.info().return_code, ZX_TASK_RETCODE_EXCEPTION_KILL);
}

#[test]
fn an_exception_nobody_listens_for_kills_the_process() {
    let world = World::new();
    let f = faulting(&world);
    let mut raise = boxed(f.started.raise_exception(page_fault(0)));
    assert_eq!(poll_once(&mut raise), Poll::Ready(ExceptionOutcome::Stop));
    drop(raise);
    let process = f.started.process().clone();
    drop(f.started);
    assert_eq!(process.info().return_code, ZX_TASK_RETCODE_EXCEPTION_KILL);
}

#[test]
fn handled_resumes_the_thread_and_later_handlers_see_nothing() {
    let world = World::new();
    let f = faulting(&world);
    let thread_channel = bind(&world, f.thread, 0);
    let process_channel = bind(&world, f.process, 0);
    let mut raise = boxed(f.started.raise_exception(page_fault(0)));
    assert!(poll_once(&mut raise).is_pending());
    let (_, exception) = take(&world, thread_channel).unwrap();
    release(&world, exception, ZX_EXCEPTION_STATE_HANDLED);
    assert_eq!(poll_once(&mut raise), Poll::Ready(ExceptionOutcome::Resume));
    assert!(take(&world, process_channel).is_none());
    assert!(!f.started.is_dying());
}

#[test]
fn closing_the_channel_with_an_unread_exception_passes_it_on() {
    let world = World::new();
    let f = faulting(&world);
    let thread_channel = bind(&world, f.thread, 0);
    let process_channel = bind(&world, f.process, 0);
    let mut raise = boxed(f.started.raise_exception(page_fault(0)));
    assert!(poll_once(&mut raise).is_pending());
    world.table().close(thread_channel).unwrap();
    assert!(poll_once(&mut raise).is_pending());
    let (_, exception) = take(&world, process_channel).expect("passed on");
    release(&world, exception, ZX_EXCEPTION_STATE_HANDLED);
    assert_eq!(poll_once(&mut raise), Poll::Ready(ExceptionOutcome::Resume));
}

#[test]
fn a_handler_that_closed_its_channel_is_skipped() {
    let world = World::new();
    let f = faulting(&world);
    let thread_channel = bind(&world, f.thread, 0);
    let process_channel = bind(&world, f.process, 0);
    world.table().close(thread_channel).unwrap();
    let mut raise = boxed(f.started.raise_exception(page_fault(0)));
    assert!(poll_once(&mut raise).is_pending());
    assert!(take(&world, process_channel).is_some());
}

// --- the exception object (spec §9.4) ---

#[test]
fn the_exception_handle_is_a_non_duplicable_exception() {
    let world = World::new();
    let f = faulting(&world);
    let channel = bind(&world, f.thread, 0);
    let mut raise = boxed(f.started.raise_exception(page_fault(0)));
    assert!(poll_once(&mut raise).is_pending());
    let (_, exception) = take(&world, channel).unwrap();
    let (object, rights) = world.table().handle_info(exception).unwrap();
    assert_eq!(object.object_type(), ObjectType::Exception);
    assert_eq!(rights, Rights::DEFAULT_EXCEPTION);
    assert!(
        object.signal_state().is_none(),
        "exceptions are not waitable"
    );
    assert_eq!(
        world
            .table()
            .duplicate(exception, crate::abi::ZX_RIGHT_SAME_RIGHTS),
        Err(Status::AccessDenied)
    );
}

#[test]
fn get_thread_and_get_process_carry_the_rights_of_the_channels_task_handle() {
    let world = World::new();
    let f = faulting(&world);
    let (process, _) = world.table().handle_info(f.process).unwrap();
    let rights = Rights::DEFAULT_PROCESS.difference(Rights::DESTROY | Rights::WRITE);
    let limited = world.insert(process.clone(), rights);
    let channel = bind(&world, limited, 0);
    let mut raise = boxed(f.started.raise_exception(page_fault(0)));
    assert!(poll_once(&mut raise).is_pending());
    let (_, exception) = take(&world, channel).unwrap();

    let thread = exception_get_thread(world.table(), exception).unwrap();
    assert_eq!(thread.object().koid(), f.started.koid());
    assert_eq!(thread.rights(), rights);
    let process_handle = exception_get_process(world.table(), exception).unwrap();
    assert_eq!(process_handle.object().koid(), process.koid());
    assert_eq!(process_handle.rights(), rights);
}

#[test]
fn get_process_from_a_thread_channel_is_access_denied() {
    let world = World::new();
    let f = faulting(&world);
    let channel = bind(&world, f.thread, 0);
    let mut raise = boxed(f.started.raise_exception(page_fault(0)));
    assert!(poll_once(&mut raise).is_pending());
    let (_, exception) = take(&world, channel).unwrap();
    assert_eq!(
        exception_get_process(world.table(), exception).err(),
        Some(Status::AccessDenied)
    );
    assert!(exception_get_thread(world.table(), exception).is_ok());
}

#[test]
fn exception_calls_on_other_handles_fail() {
    let world = World::new();
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    assert_eq!(
        exception_get_thread(world.table(), event).err(),
        Some(Status::WrongType)
    );
    assert_eq!(
        exception_get_process(world.table(), 0x1357_9bdf).err(),
        Some(Status::BadHandle)
    );
    assert_eq!(
        exception_get_state(world.table(), event),
        Err(Status::WrongType)
    );
}

#[test]
fn exception_state_is_try_next_until_set_and_accepts_only_the_two_states() {
    let world = World::new();
    let f = faulting(&world);
    let channel = bind(&world, f.thread, 0);
    let mut raise = boxed(f.started.raise_exception(page_fault(0)));
    assert!(poll_once(&mut raise).is_pending());
    let (_, exception) = take(&world, channel).unwrap();
    assert_eq!(
        exception_get_state(world.table(), exception),
        Ok(ZX_EXCEPTION_STATE_TRY_NEXT)
    );
    assert_eq!(
        exception_set_state(world.table(), exception, 2),
        Err(Status::InvalidArgs)
    );
    exception_set_state(world.table(), exception, ZX_EXCEPTION_STATE_HANDLED).unwrap();
    assert_eq!(
        exception_get_state(world.table(), exception),
        Ok(ZX_EXCEPTION_STATE_HANDLED)
    );

    let no_set = world
        .table()
        .replace(
            exception,
            Rights::DEFAULT_EXCEPTION
                .difference(Rights::SET_PROPERTY)
                .bits(),
        )
        .unwrap();
    assert_eq!(
        exception_set_state(world.table(), no_set, ZX_EXCEPTION_STATE_HANDLED),
        Err(Status::AccessDenied)
    );
    let no_get = world.table().replace(no_set, 0).unwrap();
    assert_eq!(
        exception_get_state(world.table(), no_get),
        Err(Status::AccessDenied)
    );
}

#[test]
fn a_thread_in_an_exception_reports_it() {
    let world = World::new();
    let f = faulting(&world);
    assert_eq!(
        thread_exception_report(world.table(), f.thread).err(),
        Some(Status::BadState)
    );
    let channel = bind(&world, f.process, 0);
    let mut raise = boxed(f.started.raise_exception(page_fault(0xdead_0000)));
    assert!(poll_once(&mut raise).is_pending());

    let info = f.started.info();
    assert_eq!(info.state, ThreadState::BlockedException);
    assert_eq!(
        info.wait_exception_channel_type,
        ExceptionChannelType::Process
    );
    assert_eq!(
        thread_exception_report(world.table(), f.thread),
        Ok(page_fault(0xdead_0000))
    );

    let (_, exception) = take(&world, channel).unwrap();
    release(&world, exception, ZX_EXCEPTION_STATE_HANDLED);
    assert!(poll_once(&mut raise).is_ready());
    drop(raise);
    assert_eq!(f.started.state(), ThreadState::Running);
    assert_eq!(
        f.started.info().wait_exception_channel_type,
        ExceptionChannelType::None
    );
    assert_eq!(f.started.exception_report(), Err(Status::BadState));
}

#[test]
fn killing_a_thread_in_an_exception_stops_the_handling_at_once() {
    let world = World::new();
    let f = faulting(&world);
    let thread_channel = bind(&world, f.thread, 0);
    let process_channel = bind(&world, f.process, 0);
    let mut raise = boxed(f.started.raise_exception(page_fault(0)));
    assert!(poll_once(&mut raise).is_pending());
    let (_, exception) = take(&world, thread_channel).unwrap();

    f.started.kill();
    assert_eq!(poll_once(&mut raise), Poll::Ready(ExceptionOutcome::Stop));
    drop(raise);
    assert!(
        take(&world, process_channel).is_none(),
        "no further handler"
    );
    let thread = exception_get_thread(world.table(), exception).unwrap();
    assert_eq!(thread.object().koid(), f.started.koid(), "still valid");
    assert_eq!(
        exception_set_state(world.table(), exception, ZX_EXCEPTION_STATE_HANDLED),
        Ok(()),
        "accepted, to no effect"
    );
    world.table().close(exception).unwrap();
}

#[test]
fn task_death_closes_its_exception_channels() {
    let world = World::new();
    let f = faulting(&world);
    let channels = [
        bind(&world, f.thread, 0),
        bind(&world, f.process, 0),
        bind(&world, f.process, ZX_EXCEPTION_CHANNEL_DEBUGGER),
        bind(&world, f.job, 0),
    ];
    let (job, _) = world.table().handle_info(f.job).unwrap();
    crate::object::downcast::<Job>(&job).unwrap().kill();
    drop(f.started);
    for channel in channels {
        let (object, _) = world.table().handle_info(channel).unwrap();
        assert!(signals(&*object).contains(Signals::CHANNEL_PEER_CLOSED));
    }
}

#[test]
fn debuggers_are_reported_as_attached() {
    let world = World::new();
    let f = faulting(&world);
    let (process, _) = world.table().handle_info(f.process).unwrap();
    let process = crate::object::downcast::<Process>(&process).unwrap();
    let job = process.job().clone();
    assert!(!process.info().debugger_attached && !job.info().debugger_attached);
    let debugger = bind(&world, f.process, ZX_EXCEPTION_CHANNEL_DEBUGGER);
    bind(&world, f.job, ZX_EXCEPTION_CHANNEL_DEBUGGER);
    assert!(process.info().debugger_attached && job.info().debugger_attached);
    world.table().close(debugger).unwrap();
    assert!(!process.info().debugger_attached);
}

// --- debugger-only synthetic exceptions (spec §9.1, §9.3) ---

#[test]
fn process_starting_goes_to_the_nearest_job_debugger_only() {
    let world = World::new();
    let (outer_value, outer) = world.job_in(&world.root);
    let (inner_value, inner) = world.job_in(&outer);
    let outer_debugger = bind(&world, outer_value, ZX_EXCEPTION_CHANNEL_DEBUGGER);
    let job_channel = bind(&world, inner_value, 0);
    let (process, started) = world.running_process(&inner);

    let mut start = boxed(started.raise_start_exceptions());
    assert!(poll_once(&mut start).is_pending());
    assert!(take(&world, job_channel).is_none());
    let ((pid, _, kind), exception) = take(&world, outer_debugger).unwrap();
    assert_eq!((pid, kind), (process.koid(), ZX_EXCP_PROCESS_STARTING));
    assert_eq!(
        started.info().wait_exception_channel_type,
        ExceptionChannelType::JobDebugger
    );
    world.table().close(exception).unwrap();
    assert_eq!(
        poll_once(&mut start),
        Poll::Ready(()),
        "handled whatever the state"
    );

    let second = world.running_thread(&process);
    let mut start = boxed(second.raise_start_exceptions());
    assert_eq!(poll_once(&mut start), Poll::Ready(()));
    assert!(
        take(&world, outer_debugger).is_none(),
        "only a process's first thread"
    );
}

#[test]
fn thread_starting_goes_to_the_process_debugger() {
    let world = World::new();
    let f = faulting(&world);
    let thread_channel = bind(&world, f.thread, 0);
    let debugger = bind(&world, f.process, ZX_EXCEPTION_CHANNEL_DEBUGGER);
    let mut start = boxed(f.started.raise_start_exceptions());
    assert!(poll_once(&mut start).is_pending());
    let ((_, tid, kind), exception) = take(&world, debugger).unwrap();
    assert_eq!((tid, kind), (f.started.koid(), ZX_EXCP_THREAD_STARTING));
    assert!(take(&world, thread_channel).is_none());
    world.table().close(exception).unwrap();
    assert_eq!(poll_once(&mut start), Poll::Ready(()));
    assert!(!f.started.is_dying(), "never fatal");
}

#[test]
fn thread_exiting_waits_for_the_debugger() {
    let world = World::new();
    let f = faulting(&world);
    let debugger = bind(&world, f.process, ZX_EXCEPTION_CHANNEL_DEBUGGER);
    f.started.exit();
    let mut exit = boxed(f.started.raise_exit_exception());
    assert!(poll_once(&mut exit).is_pending());
    let ((_, _, kind), exception) = take(&world, debugger).unwrap();
    assert_eq!(kind, ZX_EXCP_THREAD_EXITING);
    assert_eq!(f.started.state(), ThreadState::Dying, "still inspectable");
    world.table().close(exception).unwrap();
    assert_eq!(poll_once(&mut exit), Poll::Ready(()));
}

#[test]
fn a_killed_thread_reports_its_exit_without_waiting() {
    let world = World::new();
    let f = faulting(&world);
    let debugger = bind(&world, f.process, ZX_EXCEPTION_CHANNEL_DEBUGGER);
    f.started.kill();
    let mut exit = boxed(f.started.raise_exit_exception());
    assert_eq!(poll_once(&mut exit), Poll::Ready(()));
    let ((_, _, kind), exception) = take(&world, debugger).unwrap();
    assert_eq!(kind, ZX_EXCP_THREAD_EXITING);
    assert!(exception_get_thread(world.table(), exception).is_ok());
}

#[test]
fn general_exceptions_reach_job_handlers_with_the_job_rights() {
    let world = World::new();
    let f = faulting(&world);
    let job_channel = bind(&world, f.job, 0);
    let report = ExceptionReport::synthetic(ZX_EXCP_GENERAL);
    let mut raise = boxed(f.started.raise_exception(report));
    assert!(poll_once(&mut raise).is_pending());
    let (_, exception) = take(&world, job_channel).unwrap();
    let process = exception_get_process(world.table(), exception).unwrap();
    assert_eq!(process.rights(), Rights::DEFAULT_JOB);
}
