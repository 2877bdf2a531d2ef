//! `zx_task_kill` (spec §3.7, ruling 14.3): its errors, the return codes it leaves, and a
//! task killing itself.

use super::*;
use crate::abi::{Status, ZX_TASK_RETCODE_SYSCALL_KILL};
use crate::ipc::Event;
use crate::task::ops::task_kill;

#[test]
fn task_kill_with_a_bad_handle_is_bad_handle() {
    let world = World::new();
    assert_eq!(
        task_kill(world.table(), 0x6666_6667),
        Err(Status::BadHandle)
    );
}

#[test]
fn task_kill_on_a_non_task_is_wrong_type() {
    let world = World::new();
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT | Rights::DESTROY);
    assert_eq!(task_kill(world.table(), event), Err(Status::WrongType));
}

#[test]
fn task_kill_without_destroy_is_access_denied() {
    let world = World::new();
    let (process, _started) = world.running_process(&world.root);
    let rights = Rights::DEFAULT_PROCESS.difference(Rights::DESTROY);
    let value = world.insert(process.clone(), rights);
    assert_eq!(task_kill(world.table(), value), Err(Status::AccessDenied));
    assert_eq!(process.state(), ProcessState::Running);
}

#[test]
fn task_kill_on_a_process_reports_syscall_kill() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    let value = world.insert(process.clone(), Rights::DEFAULT_PROCESS);
    task_kill(world.table(), value).unwrap();
    assert!(started.is_killed());
    drop(started);
    let info = process.info();
    assert!(info.exited);
    assert_eq!(info.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
}

#[test]
fn task_kill_on_a_thread_ends_the_thread_and_a_process_left_without_threads() {
    let world = World::new();
    let (process, first) = world.running_process(&world.root);
    let second = world.running_thread(&process);
    let value = world.insert(second.thread().clone(), Rights::DEFAULT_THREAD);
    task_kill(world.table(), value).unwrap();
    assert!(second.is_killed() && !first.is_dying());
    let thread = second.thread().clone();
    drop(second);
    assert!(signals(&*thread).contains(Signals::THREAD_TERMINATED));
    assert_eq!(process.state(), ProcessState::Running);

    let value = world.insert(first.thread().clone(), Rights::DEFAULT_THREAD);
    task_kill(world.table(), value).unwrap();
    assert!(!process.info().exited, "until its last thread is gone");
    drop(first);
    assert_eq!(process.state(), ProcessState::Dead);
    assert!(signals(&*process).contains(Signals::PROCESS_TERMINATED));
    // Ruling 14.3: the process ends because its last thread did, as after that thread's
    // exit (spec §3.10: return code 0, nothing having set one); the process was not killed.
    let info = process.info();
    assert!(info.exited && info.started);
    assert_eq!(info.return_code, 0);
}

#[test]
fn task_kill_on_a_job_kills_its_tree() {
    let world = World::new();
    let (value, job) = world.job_in(&world.root);
    let (_, child) = world.job_in(&job);
    let (_, started) = world.running_process(&child);
    task_kill(world.table(), value).unwrap();
    assert!(started.is_killed());
    drop(started);
    assert!(job.is_dead() && child.is_dead());
}

#[test]
fn a_thread_killing_its_own_process_must_stop() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    let own = process
        .handles()
        .insert(Handle::new(process.clone(), Rights::DEFAULT_PROCESS))
        .unwrap();
    task_kill(process.handles(), own).unwrap();
    assert!(
        started.is_dying(),
        "the kernel ends the caller after the syscall"
    );
    drop(started);
    assert!(process.handles().is_empty());
}

#[test]
fn killing_a_dead_task_does_nothing() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    let thread = started.thread().clone();
    process.exit(9);
    drop(started);
    process.kill();
    thread.kill();
    assert_eq!(process.info().return_code, 9);
    assert_eq!(thread.state(), ThreadState::Dead);
}
