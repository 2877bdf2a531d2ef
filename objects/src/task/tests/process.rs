//! Processes: the lifecycle of spec §2.1 and the errors of `process_create`,
//! `process_start` and `process_exit` (§3.1-§3.3).

use super::*;
use crate::abi::{
    ObjectType, Status, ZX_HANDLE_INVALID, ZX_MAX_NAME_LEN, ZX_TASK_RETCODE_SYSCALL_KILL,
};
use crate::ipc::{Channel, Event};
use crate::task::ops::{process_create, process_start, thread_create};
use crate::vm::{PAGE_SIZE, VmOptions, Vmo, VmoOptions};

// --- lifecycle (spec §2.1) ---

#[test]
fn created_process_runs_nothing_until_started() {
    let world = World::new();
    let (_, process) = world.process_in(&world.root);
    let (_, _thread) = world.thread_in(&process);
    assert_eq!(process.state(), ProcessState::Initial);
    assert!(world.take_started().is_empty());
    assert!(!process.info().started);
}

#[test]
fn process_start_hands_the_first_thread_to_the_kernel_with_its_registers() {
    let world = World::new();
    let (process_value, process) = world.process_in(&world.root);
    let (thread_value, thread) = world.thread_in(&process);
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT);

    process_start(
        world.table(),
        process_value,
        thread_value,
        ENTRY,
        STACK,
        event,
        42,
    )
    .unwrap();

    let (started, start) = world.take_one();
    assert!(Arc::ptr_eq(started.thread(), &thread));
    assert_eq!((start.entry, start.stack, start.arg2), (ENTRY, STACK, 42));
    let (object, rights) = process.handles().handle_info(start.arg1 as u32).unwrap();
    assert_eq!(object.object_type(), ObjectType::Event);
    assert_eq!(rights, Rights::DEFAULT_EVENT);
    assert_eq!(
        world.table().close(event),
        Err(Status::BadHandle),
        "arg1 left the caller's table"
    );
    assert_eq!(process.state(), ProcessState::Running);
    assert!(process.info().started);
}

#[test]
fn process_start_without_arg1_passes_zero() {
    let world = World::new();
    let (process_value, process) = world.process_in(&world.root);
    let (thread_value, _) = world.thread_in(&process);
    let invalid = ZX_HANDLE_INVALID;
    process_start(
        world.table(),
        process_value,
        thread_value,
        ENTRY,
        STACK,
        invalid,
        0,
    )
    .unwrap();
    assert_eq!(world.take_one().1.arg1, 0);
    assert!(process.handles().is_empty());
}

#[test]
fn last_thread_exiting_ends_the_process_with_return_code_zero() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    started.exit();
    assert!(started.is_dying());
    assert!(!signals(&*process).contains(Signals::PROCESS_TERMINATED));

    drop(started);
    assert!(signals(&*process).contains(Signals::PROCESS_TERMINATED));
    let info = process.info();
    assert!(info.exited);
    assert_eq!(info.return_code, 0);
}

#[test]
fn terminated_is_asserted_only_once_every_thread_is_dead() {
    let world = World::new();
    let (process, first) = world.running_process(&world.root);
    let second = world.running_thread(&process);
    process.exit(3);
    assert!(first.is_dying() && second.is_dying());

    drop(first);
    assert!(!signals(&*process).contains(Signals::PROCESS_TERMINATED));
    assert_eq!(process.state(), ProcessState::Dying);
    drop(second);
    assert!(signals(&*process).contains(Signals::PROCESS_TERMINATED));
    assert_eq!(process.info().return_code, 3);
}

#[test]
fn no_thread_can_be_created_after_the_last_thread_exited() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    let value = world.insert(process.clone(), Rights::DEFAULT_PROCESS);
    started.exit();
    drop(started);
    assert_eq!(
        thread_create(world.table(), value, b"late", 0).err(),
        Some(Status::BadState)
    );
}

#[test]
fn a_process_ends_with_its_last_started_thread_and_its_unstarted_threads_die_with_it() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    let (_, unstarted) = world.thread_in(&process);
    started.exit();
    drop(started);

    assert!(signals(&*process).contains(Signals::PROCESS_TERMINATED));
    assert!(process.info().exited);
    assert!(signals(&*unstarted).contains(Signals::THREAD_TERMINATED));
    assert_eq!(unstarted.state(), ThreadState::Dead);
    assert!(process.thread_koids().is_empty());
}

#[test]
fn closing_the_last_handle_of_an_unstarted_process_destroys_it() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let (value, process) = world.process_in(&job);
    let (thread_value, thread) = world.thread_in(&process);
    world.table().close(thread_value).unwrap();
    assert_eq!(
        thread.state(),
        ThreadState::Dead,
        "an unstarted thread dies with its handle"
    );
    assert!(!signals(&*job).contains(Signals::JOB_NO_PROCESSES));

    let weak = Arc::downgrade(&process);
    drop(process);
    drop(thread);
    world.table().close(value).unwrap();
    assert!(weak.upgrade().is_none(), "the process is gone");
    assert!(signals(&*job).contains(Signals::JOB_NO_PROCESSES));
    assert!(job.process_koids().is_empty());
}

#[test]
fn closing_the_last_handle_of_a_started_process_does_not_kill_it() {
    let world = World::new();
    let (_, process) = world.process_in(&world.root);
    let (thread_value, thread) = world.thread_in(&process);
    let value = world.insert(process.clone(), Rights::DEFAULT_PROCESS);
    process.start(&thread, ENTRY, STACK, None, 0).unwrap();
    let started = world.take_one().0;

    world.table().close(value).unwrap();
    world.table().close(thread_value).unwrap();
    drop(world.table().drain());
    assert_eq!(process.base().handle_count(), 0);
    assert_eq!(process.state(), ProcessState::Running);
    assert!(!started.is_dying());
    drop(started);
    assert_eq!(process.state(), ProcessState::Dead);
}

#[test]
fn dead_process_has_closed_its_table_and_destroyed_its_address_space() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    let (ours, theirs) = Channel::create(0).unwrap();
    let ours = world.table().insert(ours).unwrap();
    process.handles().insert(theirs).unwrap();
    let vmo = Vmo::create(
        world.physical.clone(),
        PAGE_SIZE as u64,
        VmoOptions::empty(),
    )
    .unwrap();
    let rw = VmOptions::PERM_READ | VmOptions::PERM_WRITE;
    let vmar = process.root_vmar();
    let all = Rights::DEFAULT_VMO | Rights::DEFAULT_VMAR | Rights::IO;
    vmar.map(rw, 0, &vmo, 0, PAGE_SIZE, all, all).unwrap();

    process.kill();
    drop(started);
    assert!(process.handles().is_empty());
    let (object, _) = world.table().handle_info(ours).unwrap();
    assert!(signals(&*object).contains(Signals::CHANNEL_PEER_CLOSED));
    assert!(process.address_space().mappings().is_empty());
    assert_eq!(
        vmar.map(rw, 0, &vmo, 0, PAGE_SIZE, all, all),
        Err(Status::BadState)
    );
}

#[test]
fn names_are_truncated_to_the_longest_name() {
    let world = World::new();
    let job = world.insert(world.root.clone(), Rights::DEFAULT_JOB);
    let long = [b'n'; 50];
    let (process, _vmar) = process_create(&world.caller, job, &long, 0).unwrap();
    let process = process.downcast::<Process>().unwrap();
    assert_eq!(process.name().as_bytes(), &long[..ZX_MAX_NAME_LEN - 1]);
    process.set_name(b"short");
    assert_eq!(process.name().as_bytes(), b"short");
}

// --- process_create (spec §3.1) ---

#[test]
fn process_create_returns_a_process_and_its_root_vmar() {
    let world = World::new();
    let job = world.insert(world.root.clone(), Rights::DEFAULT_JOB);
    let (process, vmar) = process_create(&world.caller, job, b"app", 0).unwrap();
    assert_eq!(process.rights(), Rights::DEFAULT_PROCESS);
    assert_eq!(vmar.object().object_type(), ObjectType::Vmar);
    let process = process.downcast::<Process>().unwrap();
    assert_eq!(
        vmar.object().koid(),
        KernelObject::koid(&*process.root_vmar())
    );
    assert!(
        vmar.rights()
            .contains(Rights::READ | Rights::WRITE | Rights::EXECUTE)
    );
    assert!(!vmar.rights().contains(Rights::WAIT));
}

#[test]
fn process_create_with_options_is_invalid_args() {
    let world = World::new();
    let job = world.insert(world.root.clone(), Rights::DEFAULT_JOB);
    assert_eq!(
        process_create(&world.caller, job, b"", 1).err(),
        Some(Status::InvalidArgs)
    );
}

#[test]
fn process_create_with_a_bad_handle_is_bad_handle() {
    let world = World::new();
    assert_eq!(
        process_create(&world.caller, 0x1234_5677, b"", 0).err(),
        Some(Status::BadHandle)
    );
}

#[test]
fn process_create_on_a_non_job_is_wrong_type() {
    let world = World::new();
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    assert_eq!(
        process_create(&world.caller, event, b"", 0).err(),
        Some(Status::WrongType)
    );
}

#[test]
fn process_create_without_manage_process_is_access_denied_even_with_write() {
    let world = World::new();
    let rights = Rights::DEFAULT_JOB.difference(Rights::MANAGE_PROCESS);
    assert!(rights.contains(Rights::WRITE));
    let job = world.insert(world.root.clone(), rights);
    assert_eq!(
        process_create(&world.caller, job, b"", 0).err(),
        Some(Status::AccessDenied)
    );
}

#[test]
fn process_create_with_manage_process_but_no_write_succeeds() {
    let world = World::new();
    let job = world.insert(world.root.clone(), Rights::MANAGE_PROCESS);
    let (process, _vmar) = process_create(&world.caller, job, b"app", 0).expect("ruling 14.1");
    let process = process.downcast::<Process>().unwrap();
    assert_eq!(process.job().koid(), world.root.koid());
}

#[test]
fn process_create_in_a_killed_job_is_bad_state() {
    let world = World::new();
    let (value, job) = world.job_in(&world.root);
    job.kill();
    assert_eq!(
        process_create(&world.caller, value, b"", 0).err(),
        Some(Status::BadState)
    );
}

#[test]
fn process_create_without_page_tables_is_no_memory() {
    let world = World::new();
    let job = world.insert(world.root.clone(), Rights::DEFAULT_JOB);
    world.page_tables.exhausted.store(true, Ordering::SeqCst);
    assert_eq!(
        process_create(&world.caller, job, b"", 0).err(),
        Some(Status::NoMemory)
    );
}

// --- process_start (spec §3.2) ---

/// A process with a new thread, both in the caller's table, and an event to pass.
fn startable(world: &World) -> (HandleValue, HandleValue, HandleValue, Arc<Process>) {
    let (process_value, process) = world.process_in(&world.root);
    let (thread_value, _) = world.thread_in(&process);
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    (process_value, thread_value, event, process)
}

fn start(world: &World, process: HandleValue, thread: HandleValue, arg1: HandleValue) -> ZxResult {
    process_start(world.table(), process, thread, ENTRY, STACK, arg1, 0)
}

#[test]
fn process_start_twice_is_bad_state() {
    let world = World::new();
    let (process, thread, _, process_object) = startable(&world);
    start(&world, process, thread, ZX_HANDLE_INVALID).unwrap();
    let (second, _) = world.thread_in(&process_object);
    assert_eq!(start(&world, process, second, 0), Err(Status::BadState));
}

#[test]
fn process_start_after_the_process_died_is_bad_state() {
    let world = World::new();
    let (process, thread, event, process_object) = startable(&world);
    process_object.kill();
    assert_eq!(start(&world, process, thread, event), Err(Status::BadState));
    assert_eq!(
        world.table().close(event),
        Err(Status::BadHandle),
        "a failed start closes arg1"
    );
}

#[test]
fn process_start_with_another_process_thread_is_access_denied_and_closes_arg1() {
    let world = World::new();
    let (_, thread, _, _) = startable(&world);
    let (other_process, _, event, _) = startable(&world);
    assert_eq!(
        start(&world, other_process, thread, event),
        Err(Status::AccessDenied)
    );
    assert_eq!(world.table().close(event), Err(Status::BadHandle));
}

#[test]
fn process_start_with_a_dead_thread_is_bad_state() {
    let world = World::new();
    let (process, thread, event, process_object) = startable(&world);
    let (object, _) = world.table().handle_info(thread).unwrap();
    crate::object::downcast::<Thread>(&object).unwrap().kill();
    assert_eq!(start(&world, process, thread, event), Err(Status::BadState));
    assert_eq!(process_object.state(), ProcessState::Initial);
}

#[test]
fn process_start_at_a_kernel_address_is_invalid_args() {
    let world = World::new();
    let (process, thread, event, process_object) = startable(&world);
    let kernel = 0xffff_8000_0000_0000;
    assert_eq!(
        process_start(world.table(), process, thread, kernel, STACK, event, 0),
        Err(Status::InvalidArgs)
    );
    assert!(
        process_object.handles().is_empty(),
        "arg1 was taken back and closed"
    );
    assert_eq!(process_object.state(), ProcessState::Initial);
}

#[test]
fn process_start_bad_handles_are_bad_handle() {
    let world = World::new();
    let (process, thread, event, _) = startable(&world);
    assert_eq!(
        start(&world, 0x7777_7773, thread, 0),
        Err(Status::BadHandle)
    );
    assert_eq!(
        start(&world, process, 0x7777_7773, 0),
        Err(Status::BadHandle)
    );
    assert_eq!(
        start(&world, process, thread, 0x7777_7773),
        Err(Status::BadHandle)
    );
    assert_eq!(start(&world, process, thread, event), Ok(()));
}

#[test]
fn process_start_with_non_tasks_is_wrong_type() {
    let world = World::new();
    let (process, thread, event, _) = startable(&world);
    let other = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    assert_eq!(start(&world, other, thread, event), Err(Status::WrongType));
    let other = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    assert_eq!(start(&world, process, other, 0), Err(Status::WrongType));
}

#[test]
fn process_start_without_write_rights_is_access_denied() {
    let world = World::new();
    let (_, thread, _, process_object) = startable(&world);
    let weak_process = world.insert(
        process_object.clone(),
        Rights::DEFAULT_PROCESS.difference(Rights::WRITE),
    );
    assert_eq!(
        start(&world, weak_process, thread, 0),
        Err(Status::AccessDenied)
    );

    let process = world.insert(process_object.clone(), Rights::DEFAULT_PROCESS);
    let (_, thread_object) = world.thread_in(&process_object);
    let weak_thread = world.insert(
        thread_object,
        Rights::DEFAULT_THREAD.difference(Rights::WRITE),
    );
    assert_eq!(
        start(&world, process, weak_thread, 0),
        Err(Status::AccessDenied)
    );
}

#[test]
fn process_start_with_arg1_lacking_transfer_is_access_denied() {
    let world = World::new();
    let (process, thread, _, process_object) = startable(&world);
    let pinned = world.insert(
        Event::new(),
        Rights::DEFAULT_EVENT.difference(Rights::TRANSFER),
    );
    assert_eq!(
        start(&world, process, thread, pinned),
        Err(Status::AccessDenied)
    );
    assert_eq!(world.table().close(pinned), Err(Status::BadHandle));
    assert_eq!(process_object.state(), ProcessState::Initial);
}

#[test]
fn process_start_may_pass_the_process_its_own_handle() {
    let world = World::new();
    let (process, thread, _, process_object) = startable(&world);
    let own = world
        .table()
        .duplicate(process, crate::abi::ZX_RIGHT_SAME_RIGHTS)
        .unwrap();
    start(&world, process, thread, own).unwrap();
    let (started, start) = world.take_one();
    let (object, _) = process_object
        .handles()
        .handle_info(start.arg1 as u32)
        .unwrap();
    assert_eq!(object.koid(), process_object.koid());
    drop(started);
    assert!(process_object.handles().is_empty(), "death broke the cycle");
}

// --- process_exit (spec §3.3) ---

#[test]
fn process_exit_kills_every_thread_the_caller_included() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let (process, caller) = world.running_process(&job);
    let other = world.running_thread(&process);
    process.exit(-7);
    assert!(caller.is_dying() && other.is_dying());
    assert!(other.is_killed(), "the other threads are killed");

    drop(caller);
    drop(other);
    assert_eq!(process.info().return_code, -7);
    assert!(signals(&*job).contains(Signals::JOB_NO_PROCESSES));
}

#[test]
fn process_exit_after_a_kill_keeps_the_kill_return_code() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    process.kill();
    process.exit(5);
    drop(started);
    assert_eq!(process.info().return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
}
