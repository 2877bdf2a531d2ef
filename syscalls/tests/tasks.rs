//! Task syscalls (spec §3, §11) and exceptions (spec §3.11, §9.4).

mod common;

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use common::{ENTRY, Harness, st};
use objects::task::{
    ExceptionOutcome, ExceptionReport, PolicyAction, PolicyCondition, Process, Thread,
};
use objects::{Handle, KernelObject, Rights};
use syscalls::abi::*;

/// A new process in the caller's job: its handle and its root VMAR's.
fn new_process(harness: &Harness, name: &[u8]) -> (zx_handle_t, zx_handle_t) {
    let job = harness.job_handle();
    let text = harness.memory.alloc_with(name);
    harness.create_pair(
        numbers::process_create,
        &[job.into(), text, name.len() as u64, 0],
    )
}

/// A new thread in `process`.
fn new_thread(harness: &Harness, process: zx_handle_t) -> zx_handle_t {
    let name = harness.memory.alloc_with(b"worker");
    harness.create(numbers::thread_create, &[process.into(), name, 6, 0])
}

/// The object behind `handle`.
fn object<T: KernelObject>(harness: &Harness, handle: zx_handle_t) -> Arc<T> {
    harness
        .process
        .handles()
        .get::<T>(handle, Rights::empty())
        .unwrap()
}

#[test]
fn process_create_gives_a_process_and_its_root_vmar() {
    let harness = Harness::new();
    let (process, vmar) = new_process(&harness, b"child");
    let (p, v) = (harness.basic_info(process), harness.basic_info(vmar));
    assert_eq!(
        (p.r#type, p.rights),
        (ZX_OBJ_TYPE_PROCESS, ZX_DEFAULT_PROCESS_RIGHTS)
    );
    assert_eq!(p.related_koid, harness.job.koid());
    assert_eq!(v.r#type, ZX_OBJ_TYPE_VMAR);
    assert_eq!(
        object::<Process>(&harness, process).name().as_bytes(),
        b"child"
    );
    let info: zx_info_process_t = harness.info(process, ZX_INFO_PROCESS);
    assert!(!info.started && !info.exited);
}

#[test]
fn process_create_errors() {
    let harness = Harness::new();
    let job = harness.job_handle();
    let event = harness.event();
    let no_manage = harness.reduced(job, ZX_DEFAULT_JOB_RIGHTS & !ZX_RIGHT_MANAGE_PROCESS);
    let name = harness.memory.alloc_with(b"p");
    let out = harness.memory.alloc(8);
    let unmapped = harness.memory.unmapped();
    let cases = [
        (job, name, 1, out, ZX_ERR_INVALID_ARGS),
        (job, unmapped, 0, out, ZX_ERR_INVALID_ARGS),
        (0x1233, name, 0, out, ZX_ERR_BAD_HANDLE),
        (event, name, 0, out, ZX_ERR_WRONG_TYPE),
        (no_manage, name, 0, out, ZX_ERR_ACCESS_DENIED),
        (job, name, 0, unmapped, ZX_ERR_INVALID_ARGS),
    ];
    let before = harness.handle_count();
    for (job, name, options, out, expected) in cases {
        let args = [job.into(), name, 1, options, out, out + 4];
        assert_eq!(harness.call(numbers::process_create, &args), st(expected));
    }
    assert_eq!(harness.handle_count(), before);
    assert_eq!(
        harness.job.process_koids(),
        vec![harness.process.koid()],
        "no process was left"
    );
}

#[test]
fn a_process_in_a_killed_job_is_bad_state() {
    let harness = Harness::new();
    let job = harness.job_handle();
    let child = harness.create(numbers::job_create, &[job.into(), 0]);
    harness.ok(numbers::task_kill, &[child.into()]);
    let name = harness.memory.alloc_with(b"p");
    let out = harness.memory.alloc(8);
    let args = [child.into(), name, 1, 0, out, out + 4];
    assert_eq!(
        harness.call(numbers::process_create, &args),
        st(ZX_ERR_BAD_STATE)
    );
}

#[test]
fn process_start_runs_the_first_thread_with_the_transferred_handle() {
    let harness = Harness::new();
    let (process, _) = new_process(&harness, b"child");
    let thread = new_thread(&harness, process);
    let event = harness.event();
    let args = [
        process.into(),
        thread.into(),
        ENTRY,
        0x5000,
        event.into(),
        7,
    ];
    harness.ok(numbers::process_start, &args);

    let child = object::<Process>(&harness, process);
    let thread_koid = harness.basic_info(thread).koid;
    let (_, start) = harness
        .spawner
        .starts()
        .into_iter()
        .find(|(koid, _)| *koid == thread_koid)
        .unwrap();
    assert_eq!(
        (start.entry, start.stack, start.arg2),
        (ENTRY as usize, 0x5000, 7)
    );
    let (object, rights) = child.handles().handle_info(start.arg1 as u32).unwrap();
    assert_eq!(
        (object.object_type(), rights),
        (objects::ObjectType::Event, Rights::DEFAULT_EVENT)
    );
    assert_eq!(
        harness.call(numbers::handle_close, &[event.into()]),
        st(ZX_ERR_BAD_HANDLE)
    );

    let again = [process.into(), thread.into(), ENTRY, 0, 0, 0];
    assert_eq!(
        harness.call(numbers::process_start, &again),
        st(ZX_ERR_BAD_STATE)
    );
    assert!(
        harness
            .info::<zx_info_process_t>(process, ZX_INFO_PROCESS)
            .started
    );
}

#[test]
fn a_failed_process_start_closes_arg1() {
    let harness = Harness::new();
    let (process, _) = new_process(&harness, b"child");
    let (other, _) = new_process(&harness, b"other");
    let foreign = new_thread(&harness, other);
    let thread = new_thread(&harness, process);
    let cases = [
        (process, foreign, ENTRY, ZX_ERR_ACCESS_DENIED),
        (process, thread, 0x10, ZX_ERR_INVALID_ARGS),
        (thread, thread, ENTRY, ZX_ERR_WRONG_TYPE),
        (0x1233, thread, ENTRY, ZX_ERR_BAD_HANDLE),
    ];
    for (process, thread, entry, expected) in cases {
        let event = harness.event();
        let args = [process.into(), thread.into(), entry, 0, event.into(), 0];
        assert_eq!(harness.call(numbers::process_start, &args), st(expected));
        assert_eq!(
            harness.call(numbers::handle_close, &[event.into()]),
            st(ZX_ERR_BAD_HANDLE)
        );
    }
    let event = harness.event();
    let untransferable = harness.reduced(event, ZX_RIGHT_WAIT);
    let args = [
        process.into(),
        thread.into(),
        ENTRY,
        0,
        untransferable.into(),
        0,
    ];
    assert_eq!(
        harness.call(numbers::process_start, &args),
        st(ZX_ERR_ACCESS_DENIED)
    );
    let no_write = harness.reduced(process, ZX_RIGHT_READ);
    let args = [no_write.into(), thread.into(), ENTRY, 0, 0, 0];
    assert_eq!(
        harness.call(numbers::process_start, &args),
        st(ZX_ERR_ACCESS_DENIED)
    );
}

#[test]
fn process_exit_ends_the_process_with_its_code() {
    let harness = Harness::new();
    harness.ok(numbers::process_exit, &[(-3i64) as u64]);
    assert!(harness.thread.is_dying());
    harness.spawner.reap_dying();
    let info = harness.process.info();
    assert!(info.exited);
    assert_eq!(info.return_code, -3);
}

#[test]
fn thread_exit_ends_only_the_caller() {
    let harness = Harness::new();
    let process = harness.process_handle();
    let other = new_thread(&harness, process);
    harness.ok(numbers::thread_start, &[other.into(), ENTRY, 0, 0, 0]);
    harness.ok(numbers::thread_exit, &[]);
    assert!(harness.thread.is_dying());
    harness.spawner.reap_dying();
    assert_eq!(harness.thread.info().state.into_raw(), ZX_THREAD_STATE_DEAD);
    assert!(!harness.process.info().exited, "another thread still runs");
}

#[test]
fn thread_create_and_start() {
    let harness = Harness::new();
    let process = harness.process_handle();
    let thread = new_thread(&harness, process);
    let info = harness.basic_info(thread);
    assert_eq!(
        (info.r#type, info.rights),
        (ZX_OBJ_TYPE_THREAD, ZX_DEFAULT_THREAD_RIGHTS)
    );
    assert_eq!(
        object::<Thread>(&harness, thread).name().as_bytes(),
        b"worker"
    );
    assert_eq!(
        harness
            .info::<zx_info_thread_t>(thread, ZX_INFO_THREAD)
            .state,
        ZX_THREAD_STATE_NEW
    );

    harness.ok(numbers::thread_start, &[thread.into(), ENTRY, 0x9000, 1, 2]);
    assert_eq!(
        harness
            .info::<zx_info_thread_t>(thread, ZX_INFO_THREAD)
            .state,
        ZX_THREAD_STATE_RUNNING
    );
    assert_ne!(harness.signals(thread) & ZX_THREAD_RUNNING, 0);
    let again = [thread.into(), ENTRY, 0, 0, 0];
    assert_eq!(
        harness.call(numbers::thread_start, &again),
        st(ZX_ERR_BAD_STATE)
    );
}

#[test]
fn thread_errors() {
    let harness = Harness::new();
    let process = harness.process_handle();
    let no_manage = harness.reduced(process, ZX_RIGHT_WAIT);
    let name = harness.memory.alloc_with(b"t");
    let out = harness.memory.alloc(4);
    let unmapped = harness.memory.unmapped();
    let cases = [
        (process, name, 1, out, ZX_ERR_INVALID_ARGS),
        (process, unmapped, 0, out, ZX_ERR_INVALID_ARGS),
        (no_manage, name, 0, out, ZX_ERR_ACCESS_DENIED),
        (0x1233, name, 0, out, ZX_ERR_BAD_HANDLE),
        (process, name, 0, 0, ZX_ERR_INVALID_ARGS),
    ];
    for (process, name, options, out, expected) in cases {
        let args = [process.into(), name, 1, options, out];
        assert_eq!(harness.call(numbers::thread_create, &args), st(expected));
    }
    assert_eq!(
        harness.process.thread_koids().len(),
        1,
        "no thread was left"
    );

    let thread = new_thread(&harness, process);
    let no_manage = harness.reduced(thread, ZX_RIGHT_WAIT);
    assert_eq!(
        harness.call(numbers::thread_start, &[no_manage.into(), ENTRY]),
        st(ZX_ERR_ACCESS_DENIED)
    );
    assert_eq!(
        harness.call(numbers::thread_start, &[thread.into(), 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::thread_start, &[process.into(), ENTRY]),
        st(ZX_ERR_WRONG_TYPE)
    );
}

#[test]
fn a_long_thread_name_is_truncated() {
    let harness = Harness::new();
    let process = harness.process_handle();
    let name = harness.memory.alloc_with(&[b'z'; 64]);
    let thread = harness.create(numbers::thread_create, &[process.into(), name, 64, 0]);
    assert_eq!(
        object::<Thread>(&harness, thread).name().as_bytes(),
        &[b'z'; 31]
    );
}

#[test]
fn job_create_makes_a_child_job() {
    let harness = Harness::new();
    let job = harness.job_handle();
    let child = harness.create(numbers::job_create, &[job.into(), 0]);
    let info = harness.basic_info(child);
    assert_eq!(
        (info.r#type, info.rights),
        (ZX_OBJ_TYPE_JOB, ZX_DEFAULT_JOB_RIGHTS)
    );
    assert_eq!(info.related_koid, harness.job.koid());

    let no_manage = harness.reduced(job, ZX_RIGHT_WAIT);
    let out = harness.memory.alloc(4);
    assert_eq!(
        harness.call(numbers::job_create, &[job.into(), 1, out]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::job_create, &[no_manage.into(), 0, out]),
        st(ZX_ERR_ACCESS_DENIED)
    );
    assert_eq!(
        harness.call(numbers::job_create, &[job.into(), 0, 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.job.child_koids(),
        vec![info.koid],
        "the failed create left no job"
    );
}

#[test]
fn task_kill_kills_processes_jobs_and_threads() {
    let harness = Harness::new();
    let (process, _) = new_process(&harness, b"victim");
    harness.ok(numbers::task_kill, &[process.into()]);
    assert_eq!(
        harness.signals(process) & ZX_PROCESS_TERMINATED,
        ZX_PROCESS_TERMINATED
    );
    let info: zx_info_process_t = harness.info(process, ZX_INFO_PROCESS);
    assert_eq!(info.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);

    let job = harness.job_handle();
    let child = harness.create(numbers::job_create, &[job.into(), 0]);
    harness.ok(numbers::task_kill, &[child.into()]);
    assert!(harness.info::<zx_info_job_t>(child, ZX_INFO_JOB).exited);

    let me = harness.thread_handle();
    harness.ok(numbers::task_kill, &[me.into()]);
    assert!(harness.thread.is_dying());
}

#[test]
fn task_kill_errors() {
    let harness = Harness::new();
    let event = harness.event();
    let process = harness.process_handle();
    let no_destroy = harness.reduced(process, ZX_RIGHT_WAIT);
    assert_eq!(
        harness.call(numbers::task_kill, &[event.into()]),
        st(ZX_ERR_WRONG_TYPE)
    );
    assert_eq!(
        harness.call(numbers::task_kill, &[no_destroy.into()]),
        st(ZX_ERR_ACCESS_DENIED)
    );
    assert_eq!(
        harness.call(numbers::task_kill, &[0x1233]),
        st(ZX_ERR_BAD_HANDLE)
    );
    assert!(!harness.thread.is_dying());
}

/// `zx_job_set_policy` with basic entries.
fn set_basic_policy(
    harness: &Harness,
    job: zx_handle_t,
    options: u32,
    entries: &[zx_policy_basic_t],
) -> i64 {
    let list = harness.memory.alloc_array(entries);
    let args = [
        job.into(),
        options.into(),
        ZX_JOB_POL_BASIC.into(),
        list,
        entries.len() as u64,
    ];
    harness.call(numbers::job_set_policy, &args)
}

const DENY_EVENTS: zx_policy_basic_t = zx_policy_basic_t {
    condition: ZX_POL_NEW_EVENT,
    policy: ZX_POL_ACTION_DENY,
};

#[test]
fn a_job_policy_reaches_the_processes_made_under_it() {
    let harness = Harness::new();
    let job = harness.job_handle();
    let child = harness.create(numbers::job_create, &[job.into(), 0]);
    assert_eq!(
        set_basic_policy(&harness, child, ZX_JOB_POL_RELATIVE, &[DENY_EVENTS]),
        0
    );
    let name = harness.memory.alloc_with(b"p");
    let (process, _) = harness.create_pair(numbers::process_create, &[child.into(), name, 1, 0]);
    let process = object::<Process>(&harness, process);
    assert_eq!(
        process.policy().action(PolicyCondition::NewEvent),
        PolicyAction::Deny
    );
    assert_eq!(
        process.policy().action(PolicyCondition::NewPort),
        PolicyAction::Allow
    );

    let slack = zx_policy_timer_slack_t {
        min_slack: 1000,
        default_mode: ZX_TIMER_SLACK_LATE,
        padding1: [0; 4],
    };
    let other = harness.create(numbers::job_create, &[job.into(), 0]);
    let entry = harness.memory.alloc_struct(&slack);
    let args = [
        other.into(),
        ZX_JOB_POL_RELATIVE.into(),
        ZX_JOB_POL_TIMER_SLACK.into(),
        entry,
        1,
    ];
    harness.ok(numbers::job_set_policy, &args);
}

#[test]
fn job_set_policy_errors() {
    let harness = Harness::new();
    let job = harness.job_handle();
    let child = harness.create(numbers::job_create, &[job.into(), 0]);
    let no_policy = harness.reduced(child, ZX_RIGHT_WAIT);
    let relative = ZX_JOB_POL_RELATIVE;
    assert_eq!(
        set_basic_policy(&harness, child, relative, &[]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        set_basic_policy(&harness, child, 7, &[DENY_EVENTS]),
        st(ZX_ERR_INVALID_ARGS)
    );
    let too_many = vec![DENY_EVENTS; ZX_POL_MAX as usize + 1];
    assert_eq!(
        set_basic_policy(&harness, child, relative, &too_many),
        st(ZX_ERR_OUT_OF_RANGE)
    );
    assert_eq!(
        set_basic_policy(&harness, no_policy, relative, &[DENY_EVENTS]),
        st(ZX_ERR_ACCESS_DENIED)
    );
    assert_eq!(
        set_basic_policy(&harness, job, relative, &[DENY_EVENTS]),
        st(ZX_ERR_BAD_STATE),
        "not empty"
    );
    let unknown = zx_policy_basic_t {
        condition: 99,
        policy: 0,
    };
    assert_eq!(
        set_basic_policy(&harness, child, relative, &[unknown]),
        st(ZX_ERR_OUT_OF_RANGE)
    );

    let unmapped = harness.memory.unmapped();
    let bad_pointer = [child.into(), 0, ZX_JOB_POL_BASIC.into(), unmapped, 1];
    assert_eq!(
        harness.call(numbers::job_set_policy, &bad_pointer),
        st(ZX_ERR_INVALID_ARGS)
    );
    let entry = harness.memory.alloc_struct(&DENY_EVENTS);
    let bad_topic = [child.into(), 0, 5, entry, 1];
    assert_eq!(
        harness.call(numbers::job_set_policy, &bad_topic),
        st(ZX_ERR_INVALID_ARGS)
    );
    let huge = [
        child.into(),
        0,
        ZX_JOB_POL_BASIC.into(),
        entry,
        u32::MAX.into(),
    ];
    assert_ne!(
        harness.call(numbers::job_set_policy, &huge),
        0,
        "a huge count is refused"
    );
}

#[test]
fn a_critical_process_takes_its_job_down() {
    let harness = Harness::new();
    let job = harness.job_handle();
    let child = harness.create(numbers::job_create, &[job.into(), 0]);
    let name = harness.memory.alloc_with(b"p");
    let (process, _) = harness.create_pair(numbers::process_create, &[child.into(), name, 1, 0]);
    harness.ok(
        numbers::job_set_critical,
        &[child.into(), 0, process.into()],
    );
    let again = [child.into(), 0, process.into()];
    assert_eq!(
        harness.call(numbers::job_set_critical, &again),
        st(ZX_ERR_ALREADY_BOUND)
    );

    harness.ok(numbers::task_kill, &[process.into()]);
    let info: zx_info_job_t = harness.info(child, ZX_INFO_JOB);
    assert!(info.exited);
    assert_eq!(info.return_code, ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL);
}

#[test]
fn job_set_critical_errors() {
    let harness = Harness::new();
    let job = harness.job_handle();
    let child = harness.create(numbers::job_create, &[job.into(), 0]);
    let process = harness.process_handle();
    let no_destroy = harness.reduced(job, ZX_RIGHT_WAIT);
    let no_wait = harness.reduced(process, ZX_RIGHT_DESTROY);
    let cases = [
        (job, 2, process, ZX_ERR_INVALID_ARGS),
        (child, 0, process, ZX_ERR_INVALID_ARGS),
        (no_destroy, 0, process, ZX_ERR_ACCESS_DENIED),
        (job, 0, no_wait, ZX_ERR_ACCESS_DENIED),
        (process, 0, process, ZX_ERR_WRONG_TYPE),
        (job, 0, 0x1233, ZX_ERR_BAD_HANDLE),
    ];
    for (job, options, process, expected) in cases {
        let args = [job.into(), options, process.into()];
        assert_eq!(harness.call(numbers::job_set_critical, &args), st(expected));
    }
}

/// A second thread of the calling process, started, and the kernel's `Arc` of it.
fn faulting_thread(harness: &Harness) -> (Arc<Thread>, zx_handle_t) {
    let thread = Thread::create(&harness.process, b"faulty").unwrap();
    let handle = harness.insert(Handle::new(thread.clone(), Rights::DEFAULT_THREAD));
    harness.ok(numbers::thread_start, &[handle.into(), ENTRY, 0, 0, 0]);
    (thread, handle)
}

/// Polls `future` once.
fn poll_once<F: Future>(future: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn an_exception_goes_through_the_channel_and_the_handler_resumes_the_thread() {
    let harness = Harness::new();
    let (thread, _) = faulting_thread(&harness);
    let process = harness.process_handle();
    let channel = harness.create(numbers::task_create_exception_channel, &[process.into(), 0]);
    assert_eq!(
        harness.basic_info(channel).rights,
        ZX_EXCEPTION_CHANNEL_RIGHTS
    );

    let report = ExceptionReport::synthetic(ZX_EXCP_SW_BREAKPOINT);
    let mut raised = pin!(thread.raise_exception(report));
    assert!(poll_once(raised.as_mut()).is_pending());
    let thread_handle = harness.insert(Handle::new(thread.clone(), Rights::DEFAULT_THREAD));
    let info: zx_info_thread_t = harness.info(thread_handle, ZX_INFO_THREAD);
    assert_eq!(info.state, ZX_THREAD_STATE_BLOCKED_EXCEPTION);
    assert_eq!(
        info.wait_exception_channel_type,
        ZX_EXCEPTION_CHANNEL_TYPE_PROCESS
    );
    let report: zx_exception_report_t =
        harness.info(thread_handle, ZX_INFO_THREAD_EXCEPTION_REPORT);
    assert_eq!(report.header.r#type, ZX_EXCP_SW_BREAKPOINT);

    let data = harness.memory.alloc(24);
    let handles = harness.memory.alloc(4);
    harness.ok(
        numbers::channel_read,
        &[channel.into(), 0, data, handles, 24, 1, 0, 0],
    );
    let info = harness.memory.get_struct::<zx_exception_info_t>(data);
    assert_eq!(
        (info.pid, info.tid, info.r#type),
        (harness.process.koid(), thread.koid(), ZX_EXCP_SW_BREAKPOINT)
    );
    let exception = harness.memory.get_u32(handles);
    assert_eq!(harness.basic_info(exception).r#type, ZX_OBJ_TYPE_EXCEPTION);

    let got_thread = harness.create(numbers::exception_get_thread, &[exception.into()]);
    assert_eq!(harness.basic_info(got_thread).koid, thread.koid());
    let got_process = harness.create(numbers::exception_get_process, &[exception.into()]);
    assert_eq!(harness.basic_info(got_process).koid, harness.process.koid());

    let state = harness
        .memory
        .alloc_with(&ZX_EXCEPTION_STATE_HANDLED.to_le_bytes());
    harness.ok(
        numbers::object_set_property,
        &[exception.into(), ZX_PROP_EXCEPTION_STATE.into(), state, 4],
    );
    let read_back = harness.memory.alloc(4);
    harness.ok(
        numbers::object_get_property,
        &[
            exception.into(),
            ZX_PROP_EXCEPTION_STATE.into(),
            read_back,
            4,
        ],
    );
    assert_eq!(
        harness.memory.get_u32(read_back),
        ZX_EXCEPTION_STATE_HANDLED
    );
    assert!(
        poll_once(raised.as_mut()).is_pending(),
        "waits for the handle to close"
    );
    harness.ok(numbers::handle_close, &[exception.into()]);
    assert_eq!(
        poll_once(raised.as_mut()),
        Poll::Ready(ExceptionOutcome::Resume)
    );
}

#[test]
fn a_thread_channels_exception_gives_no_process() {
    let harness = Harness::new();
    let (thread, thread_handle) = faulting_thread(&harness);
    let channel = harness.create(
        numbers::task_create_exception_channel,
        &[thread_handle.into(), 0],
    );
    let mut raised = pin!(thread.raise_exception(ExceptionReport::synthetic(ZX_EXCP_GENERAL)));
    assert!(poll_once(raised.as_mut()).is_pending());

    let (data, handles) = (harness.memory.alloc(24), harness.memory.alloc(4));
    harness.ok(
        numbers::channel_read,
        &[channel.into(), 0, data, handles, 24, 1, 0, 0],
    );
    let exception = harness.memory.get_u32(handles);
    let out = harness.memory.alloc(4);
    let status = harness.call(numbers::exception_get_process, &[exception.into(), out]);
    assert_eq!(status, st(ZX_ERR_ACCESS_DENIED));
    let bad_state = harness.memory.alloc_with(&7u32.to_le_bytes());
    let args = [
        exception.into(),
        ZX_PROP_EXCEPTION_STATE.into(),
        bad_state,
        4,
    ];
    assert_eq!(
        harness.call(numbers::object_set_property, &args),
        st(ZX_ERR_INVALID_ARGS)
    );
    let short = [
        exception.into(),
        ZX_PROP_EXCEPTION_STATE.into(),
        bad_state,
        3,
    ];
    assert_eq!(
        harness.call(numbers::object_set_property, &short),
        st(ZX_ERR_BUFFER_TOO_SMALL)
    );
    assert_eq!(
        harness.call(numbers::exception_get_thread, &[exception.into(), 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
    let event = harness.event();
    assert_eq!(
        harness.call(numbers::exception_get_thread, &[event.into(), out]),
        st(ZX_ERR_WRONG_TYPE)
    );
    thread.kill();
    assert_eq!(
        poll_once(raised.as_mut()),
        Poll::Ready(ExceptionOutcome::Stop)
    );
}

#[test]
fn task_create_exception_channel_errors() {
    let harness = Harness::new();
    let process = harness.process_handle();
    let thread = harness.thread_handle();
    let event = harness.event();
    let no_enumerate = harness.reduced(process, ZX_DEFAULT_PROCESS_RIGHTS & !ZX_RIGHT_ENUMERATE);
    let out = harness.memory.alloc(4);
    let cases = [
        (process, 2, ZX_ERR_INVALID_ARGS),
        (thread, ZX_EXCEPTION_CHANNEL_DEBUGGER, ZX_ERR_INVALID_ARGS),
        (event, 0, ZX_ERR_WRONG_TYPE),
        (0x1233, 0, ZX_ERR_BAD_HANDLE),
        (no_enumerate, 0, ZX_ERR_ACCESS_DENIED),
    ];
    for (task, options, expected) in cases {
        let args = [task.into(), options.into(), out];
        assert_eq!(
            harness.call(numbers::task_create_exception_channel, &args),
            st(expected)
        );
    }

    // A bad out pointer leaves the channel unbound: the next create succeeds.
    let args = [process.into(), 0, 0];
    assert_eq!(
        harness.call(numbers::task_create_exception_channel, &args),
        st(ZX_ERR_INVALID_ARGS)
    );
    harness.create(numbers::task_create_exception_channel, &[process.into(), 0]);
    let again = [process.into(), 0, out];
    assert_eq!(
        harness.call(numbers::task_create_exception_channel, &again),
        st(ZX_ERR_ALREADY_BOUND)
    );
    harness.create(
        numbers::task_create_exception_channel,
        &[process.into(), ZX_EXCEPTION_CHANNEL_DEBUGGER.into()],
    );
    assert!(
        harness
            .info::<zx_info_process_t>(process, ZX_INFO_PROCESS)
            .debugger_attached
    );
}

#[test]
fn process_start_checks_the_thread_and_arg1() {
    let harness = Harness::new();
    let (process, _) = new_process(&harness, b"child");
    let thread = new_thread(&harness, process);
    let no_write = harness.reduced(thread, ZX_RIGHT_MANAGE_THREAD);
    let event = harness.event();
    let cases = [
        (no_write, 0, ZX_ERR_ACCESS_DENIED),
        (0x1233, 0, ZX_ERR_BAD_HANDLE),
        (process, 0, ZX_ERR_WRONG_TYPE),
        (thread, 0x1233, ZX_ERR_BAD_HANDLE),
    ];
    for (thread, arg1, expected) in cases {
        let args = [process.into(), thread.into(), ENTRY, 0, arg1, 0];
        assert_eq!(harness.call(numbers::process_start, &args), st(expected));
    }
    harness.ok(numbers::task_kill, &[process.into()]);
    let args = [process.into(), thread.into(), ENTRY, 0, event.into(), 0];
    assert_eq!(
        harness.call(numbers::process_start, &args),
        st(ZX_ERR_BAD_STATE),
        "dead"
    );
    assert_eq!(
        harness.call(numbers::handle_close, &[event.into()]),
        st(ZX_ERR_BAD_HANDLE)
    );
}

#[test]
fn a_dead_process_takes_no_thread_and_a_dead_task_no_exception_channel() {
    let harness = Harness::new();
    let (process, _) = new_process(&harness, b"child");
    harness.ok(numbers::task_kill, &[process.into()]);
    let name = harness.memory.alloc_with(b"t");
    let out = harness.memory.alloc(4);
    let args = [process.into(), name, 1, 0, out];
    assert_eq!(
        harness.call(numbers::thread_create, &args),
        st(ZX_ERR_BAD_STATE)
    );
    let args = [process.into(), 0, out];
    let status = harness.call(numbers::task_create_exception_channel, &args);
    assert_eq!(status, st(ZX_ERR_BAD_STATE));
}

#[test]
fn job_create_refuses_a_dead_parent_and_a_tree_too_deep() {
    let harness = Harness::new();
    let job = harness.job_handle();
    let dead = harness.create(numbers::job_create, &[job.into(), 0]);
    harness.ok(numbers::task_kill, &[dead.into()]);
    let out = harness.memory.alloc(4);
    assert_eq!(
        harness.call(numbers::job_create, &[dead.into(), 0, out]),
        st(ZX_ERR_BAD_STATE)
    );

    let mut parent = job;
    let status = loop {
        let status = harness.call(numbers::job_create, &[parent.into(), 0, out]);
        if status != 0 {
            break status;
        }
        parent = harness.memory.get_u32(out);
    };
    assert_eq!(status, st(ZX_ERR_OUT_OF_RANGE));
    let name = harness.memory.alloc_with(b"deep");
    let args = [parent.into(), name, 4, 0, out, out + 4];
    harness.ok(numbers::process_create, &args);
}
