//! The records tasks report (spec §10): `ZX_INFO_PROCESS`, `ZX_INFO_JOB`, `ZX_INFO_THREAD`,
//! the related koid of `ZX_INFO_HANDLE_BASIC`, and the koid lists, with their rights.

use super::*;
use crate::abi::{ExceptionChannelType, ObjectType, Status, ZX_KOID_INVALID};
use crate::ipc::Event;
use crate::task::ops::{
    job_children, job_info, job_processes, process_info, process_threads, thread_info,
};

#[test]
fn process_info_follows_start_and_exit() {
    let world = World::new();
    let (value, process) = world.process_in(&world.root);
    let (_, thread) = world.thread_in(&process);
    let before = process_info(world.table(), value).unwrap();
    assert_eq!(
        before,
        ProcessInfo {
            return_code: 0,
            started: false,
            exited: false,
            debugger_attached: false,
        }
    );
    process.start(&thread, ENTRY, STACK, None, 0).unwrap();
    let started = world.take_one().0;
    assert!(process_info(world.table(), value).unwrap().started);
    process.exit(77);
    assert!(
        !process_info(world.table(), value).unwrap().exited,
        "a thread is still alive"
    );
    drop(started);
    let after = process_info(world.table(), value).unwrap();
    assert_eq!(
        (after.return_code, after.started, after.exited),
        (77, true, true)
    );
}

#[test]
fn job_info_reports_the_kill() {
    let world = World::new();
    let (value, job) = world.job_in(&world.root);
    assert!(!job_info(world.table(), value).unwrap().exited);
    job.kill_with(-5);
    let info = job_info(world.table(), value).unwrap();
    assert_eq!(
        (info.return_code, info.exited, info.kill_on_oom),
        (-5, true, false)
    );
}

#[test]
fn thread_info_follows_the_lifecycle() {
    let world = World::new();
    let (process, _first) = world.running_process(&world.root);
    let (value, thread) = world.thread_in(&process);
    let info = thread_info(world.table(), value).unwrap();
    assert_eq!(info.state, ThreadState::New);
    assert_eq!(info.wait_exception_channel_type, ExceptionChannelType::None);
    assert_eq!(info.cpu_affinity_mask[0], 0b11, "the context has two CPUs");

    thread.start(ENTRY, STACK, 0, 0).unwrap();
    let started = world.take_one().0;
    assert_eq!(
        thread_info(world.table(), value).unwrap().state,
        ThreadState::Running
    );
    started.kill();
    assert_eq!(
        thread_info(world.table(), value).unwrap().state,
        ThreadState::Dying
    );
    drop(started);
    assert_eq!(
        thread_info(world.table(), value).unwrap().state,
        ThreadState::Dead
    );
}

#[test]
fn related_koids_name_the_owner_of_each_task() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let (_, process) = world.process_in(&job);
    let (_, thread) = world.thread_in(&process);
    assert_eq!(thread.related_koid(), process.koid());
    assert_eq!(process.related_koid(), job.koid());
    assert_eq!(job.related_koid(), world.root.koid());
    assert_eq!(world.root.related_koid(), ZX_KOID_INVALID);
    assert_eq!(thread.object_type(), ObjectType::Thread);
    assert_eq!(process.object_type(), ObjectType::Process);
    assert_eq!(job.object_type(), ObjectType::Job);
}

#[test]
fn koid_lists_name_live_children_oldest_first() {
    let world = World::new();
    let (job_value, job) = world.job_in(&world.root);
    let (_, first_job) = world.job_in(&job);
    let (_, second_job) = world.job_in(&job);
    let (process_value, process) = world.process_in(&job);
    let (_, t1) = world.thread_in(&process);
    let (t2_value, t2) = world.thread_in(&process);

    assert_eq!(
        job_children(world.table(), job_value).unwrap(),
        alloc::vec![first_job.koid(), second_job.koid()]
    );
    assert_eq!(
        job_processes(world.table(), job_value).unwrap(),
        alloc::vec![process.koid()]
    );
    assert_eq!(
        process_threads(world.table(), process_value).unwrap(),
        alloc::vec![t1.koid(), t2.koid()]
    );
    world.table().close(t2_value).unwrap();
    assert_eq!(
        process_threads(world.table(), process_value).unwrap(),
        alloc::vec![t1.koid()],
        "a dead thread is not listed"
    );
}

#[test]
fn koid_lists_need_enumerate() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let (_, process) = world.process_in(&job);
    let job = world.insert(job, Rights::DEFAULT_JOB.difference(Rights::ENUMERATE));
    let process = world.insert(
        process,
        Rights::DEFAULT_PROCESS.difference(Rights::ENUMERATE),
    );
    assert_eq!(job_children(world.table(), job), Err(Status::AccessDenied));
    assert_eq!(job_processes(world.table(), job), Err(Status::AccessDenied));
    assert_eq!(
        process_threads(world.table(), process),
        Err(Status::AccessDenied)
    );
}

#[test]
fn task_records_need_inspect_and_the_right_type() {
    let world = World::new();
    let (_, process) = world.process_in(&world.root);
    let (_, thread) = world.thread_in(&process);
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    let no_inspect = world.insert(thread, Rights::DEFAULT_THREAD.difference(Rights::INSPECT));
    assert_eq!(
        thread_info(world.table(), no_inspect),
        Err(Status::AccessDenied)
    );
    assert_eq!(process_info(world.table(), event), Err(Status::WrongType));
    assert_eq!(job_info(world.table(), 0x2468_ace3), Err(Status::BadHandle));
}

#[test]
fn a_wait_on_a_process_handle_ends_when_the_process_terminates() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    let value = world.insert(process.clone(), Rights::DEFAULT_PROCESS);
    let clock = world.root.context().clock.clone();
    let terminated = Signals::PROCESS_TERMINATED;
    let mut wait = crate::wait::wait_one(
        world.table(),
        value,
        terminated,
        crate::abi::ZX_TIME_INFINITE,
        &clock,
    )
    .unwrap();
    assert!(poll_noop(&mut wait).is_pending());
    crate::signal::object_signal(world.table(), value, 0, Signals::USER_1.bits()).unwrap();
    assert!(
        poll_noop(&mut wait).is_pending(),
        "user signals are allowed on tasks"
    );

    process.kill();
    assert!(poll_noop(&mut wait).is_pending(), "dying is not terminated");
    drop(started);
    match poll_noop(&mut wait) {
        Poll::Ready(outcome) => {
            assert_eq!(outcome.status, Ok(()));
            assert_eq!(outcome.observed, terminated | Signals::USER_1);
        }
        Poll::Pending => panic!("the process terminated"),
    }
}
