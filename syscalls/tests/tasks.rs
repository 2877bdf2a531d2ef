//! Process, thread and kill syscalls (spec §3.1-§3.10).

mod common;

use common::{ENTRY, Harness, st};
use objects::task::{Process, Thread};
use objects::{KernelObject, Rights};
use syscalls::abi::*;

#[test]
fn process_create_gives_a_process_and_its_root_vmar() {
    let harness = Harness::new();
    let (process, vmar) = harness.new_process(b"child");
    let (p, v) = (harness.basic_info(process), harness.basic_info(vmar));
    assert_eq!(
        (p.r#type, p.rights),
        (ZX_OBJ_TYPE_PROCESS, ZX_DEFAULT_PROCESS_RIGHTS)
    );
    assert_eq!(p.related_koid, harness.job.koid());
    assert_eq!(v.r#type, ZX_OBJ_TYPE_VMAR);
    assert_eq!(
        harness.object::<Process>(process).name().as_bytes(),
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
    let (process, _) = harness.new_process(b"child");
    let thread = harness.new_thread(process);
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

    let child = harness.object::<Process>(process);
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
    let (process, _) = harness.new_process(b"child");
    let (other, _) = harness.new_process(b"other");
    let foreign = harness.new_thread(other);
    let thread = harness.new_thread(process);
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
    let other = harness.new_thread(process);
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
    let thread = harness.new_thread(process);
    let info = harness.basic_info(thread);
    assert_eq!(
        (info.r#type, info.rights),
        (ZX_OBJ_TYPE_THREAD, ZX_DEFAULT_THREAD_RIGHTS)
    );
    assert_eq!(
        harness.object::<Thread>(thread).name().as_bytes(),
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

    let thread = harness.new_thread(process);
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
        harness.object::<Thread>(thread).name().as_bytes(),
        &[b'z'; 31]
    );
}

#[test]
fn task_kill_kills_processes_jobs_and_threads() {
    let harness = Harness::new();
    let (process, _) = harness.new_process(b"victim");
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

#[test]
fn process_start_checks_the_thread_and_arg1() {
    let harness = Harness::new();
    let (process, _) = harness.new_process(b"child");
    let thread = harness.new_thread(process);
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
    let (process, _) = harness.new_process(b"child");
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
