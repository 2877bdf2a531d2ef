//! Jobs: the tree of spec §2.2 (children, signals, height, kill, critical processes) and the
//! errors of `job_create` (§3.6) and `job_set_critical`.

use super::*;
use crate::abi::{
    Status, ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO, ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL,
    ZX_TASK_RETCODE_SYSCALL_KILL,
};
use crate::ipc::Event;
use crate::task::ops::{job_create, job_set_critical};

const NO_CHILDREN: Signals = Signals::JOB_NO_JOBS.union(Signals::JOB_NO_PROCESSES);

// --- the tree and its signals ---

#[test]
fn an_empty_job_asserts_no_jobs_and_no_processes() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    assert_eq!(signals(&*job), NO_CHILDREN);
}

#[test]
fn children_clear_no_jobs_and_no_processes_until_they_leave() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let (child_value, child) = world.job_in(&job);
    assert_eq!(signals(&*job), Signals::JOB_NO_PROCESSES);
    let (process, started) = world.running_process(&job);
    assert_eq!(signals(&*job), Signals::empty());
    assert_eq!(job.child_koids(), alloc::vec![child.koid()]);
    assert_eq!(job.process_koids(), alloc::vec![process.koid()]);

    started.exit();
    drop(started);
    assert_eq!(signals(&*job), Signals::JOB_NO_PROCESSES);
    drop(child);
    world.table().close(child_value).unwrap();
    assert_eq!(
        signals(&*job),
        NO_CHILDREN,
        "a job with no handle and no child leaves"
    );
}

#[test]
fn a_job_with_children_outlives_its_handles() {
    let world = World::new();
    let (value, job) = world.job_in(&world.root);
    let (process, _started) = world.running_process(&job);
    let weak = Arc::downgrade(&job);
    drop(job);
    world.table().close(value).unwrap();
    let job = weak.upgrade().expect("the process keeps its job");
    assert_eq!(world.root.child_koids(), alloc::vec![job.koid()]);
    assert!(Arc::ptr_eq(process.job(), &job));
}

#[test]
fn a_child_job_starts_with_its_parents_policy() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let deny = [BasicPolicy {
        condition: crate::abi::ZX_POL_NEW_EVENT,
        action: crate::abi::ZX_POL_ACTION_DENY,
    }];
    job.set_policy(crate::abi::ZX_JOB_POL_RELATIVE, PolicyRequest::Basic(&deny))
        .unwrap();
    let (_, child) = world.job_in(&job);
    assert_eq!(child.policy(), job.policy());
    assert_eq!(
        child.policy().action(PolicyCondition::NewEvent),
        PolicyAction::Deny
    );
}

// --- height ---

#[test]
fn jobs_may_nest_to_the_height_limit_and_no_further() {
    let world = World::new();
    let mut deepest = world.root.clone();
    for _ in 0..ROOT_JOB_MAX_HEIGHT {
        deepest = deepest.create_child().unwrap();
    }
    assert_eq!(deepest.max_height(), 0);
    assert_eq!(deepest.create_child().err(), Some(Status::OutOfRange));
    assert!(
        Process::create(&deepest, b"leaf").is_ok(),
        "a process may still be created at the limit"
    );
}

// --- job_create (spec §3.6) ---

#[test]
fn job_create_makes_a_child_with_the_default_job_rights() {
    let world = World::new();
    let root = world.insert(world.root.clone(), Rights::DEFAULT_JOB);
    let child = job_create(world.table(), root, 0).unwrap();
    assert_eq!(child.rights(), Rights::DEFAULT_JOB);
    assert_eq!(child.object().related_koid(), world.root.koid());
}

#[test]
fn job_create_errors() {
    let world = World::new();
    let (value, job) = world.job_in(&world.root);
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    let rights = Rights::DEFAULT_JOB.difference(Rights::MANAGE_JOB);
    let no_manage = world.insert(job.clone(), rights);
    let create = |value, options| job_create(world.table(), value, options).err();
    assert_eq!(create(value, 1), Some(Status::InvalidArgs));
    assert_eq!(create(0x4444_4447, 0), Some(Status::BadHandle));
    assert_eq!(create(event, 0), Some(Status::WrongType));
    assert_eq!(
        create(no_manage, 0),
        Some(Status::AccessDenied),
        "ruling 14.1"
    );
    job.kill();
    assert_eq!(create(value, 0), Some(Status::BadState));
}

#[test]
fn job_create_with_manage_job_but_no_write_succeeds() {
    let world = World::new();
    let root = world.insert(world.root.clone(), Rights::MANAGE_JOB);
    let child = job_create(world.table(), root, 0).expect("ruling 14.1");
    assert_eq!(child.object().related_koid(), world.root.koid());
}

#[test]
fn job_create_past_the_height_limit_is_out_of_range() {
    let world = World::new();
    let mut deepest = world.root.clone();
    for _ in 0..ROOT_JOB_MAX_HEIGHT {
        deepest = deepest.create_child().unwrap();
    }
    let value = world.insert(deepest, Rights::DEFAULT_JOB);
    assert_eq!(
        job_create(world.table(), value, 0).err(),
        Some(Status::OutOfRange)
    );
}

// --- kill ---

#[test]
fn killing_an_empty_job_ends_it_at_once() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    job.kill();
    assert!(signals(&*job).contains(Signals::JOB_TERMINATED));
    let info = job.info();
    assert!(info.exited);
    assert_eq!(info.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
    assert!(
        world.root.child_koids().is_empty(),
        "a dead job leaves its parent"
    );
}

#[test]
fn kill_recurses_through_the_tree_and_ends_when_every_thread_is_gone() {
    let world = World::new();
    let (_, top) = world.job_in(&world.root);
    let (_, middle) = world.job_in(&top);
    let (_, bottom) = world.job_in(&middle);
    let (p1, t1) = world.running_process(&top);
    let (p2, t2) = world.running_process(&bottom);
    let t3 = world.running_thread(&p2);
    let (_, unstarted) = world.process_in(&middle);

    top.kill();
    assert!(t1.is_killed() && t2.is_killed() && t3.is_killed());
    assert_eq!(unstarted.state(), ProcessState::Dead, "nothing to wait for");
    assert!(middle.is_killed() && bottom.is_killed());
    assert!(!signals(&*top).contains(Signals::JOB_TERMINATED));

    drop(t1);
    drop(t2);
    assert!(!signals(&*bottom).contains(Signals::JOB_TERMINATED));
    drop(t3);
    for job in [&bottom, &middle, &top] {
        assert!(signals(&**job).contains(Signals::JOB_TERMINATED));
        assert_eq!(job.info().return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
    }
    for process in [&p1, &p2, &unstarted] {
        assert_eq!(process.info().return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
        assert!(process.info().exited);
    }
    assert!(world.root.child_koids().is_empty());
}

#[test]
fn a_killed_job_refuses_new_children_while_it_dies() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let (_, _started) = world.running_process(&job);
    job.kill();
    assert!(!job.is_dead(), "its process is still dying");
    assert_eq!(job.create_child().err(), Some(Status::BadState));
    assert_eq!(Process::create(&job, b"").err(), Some(Status::BadState));
}

#[test]
fn killing_a_job_twice_keeps_the_first_return_code() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    job.kill_with(-1);
    job.kill_with(-2);
    assert_eq!(job.info().return_code, -1);
}

// --- critical processes ---

#[test]
fn a_critical_process_dying_kills_its_job() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let (critical, started) = world.running_process(&job);
    let (_, bystander) = world.running_process(&job);
    job.set_critical(0, &critical).unwrap();

    started.exit();
    drop(started);
    assert!(bystander.is_killed());
    assert_eq!(
        job.info().return_code,
        ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL
    );
    drop(bystander);
    assert!(job.is_dead());
    assert_eq!(critical.info().return_code, 0);
}

#[test]
fn a_critical_process_may_kill_an_ancestor_job() {
    let world = World::new();
    let (_, top) = world.job_in(&world.root);
    let (_, child) = world.job_in(&top);
    let (critical, started) = world.running_process(&child);
    top.set_critical(0, &critical).unwrap();
    critical.kill();
    drop(started);
    assert!(top.is_dead());
    assert_eq!(
        top.info().return_code,
        ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL
    );
}

#[test]
fn retcode_nonzero_spares_the_job_when_the_process_returns_zero() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let (zero, zero_thread) = world.running_process(&job);
    let (nonzero, nonzero_thread) = world.running_process(&job);
    let option = ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO;
    job.set_critical(option, &zero).unwrap();
    job.set_critical(option, &nonzero).unwrap();

    zero.exit(0);
    drop(zero_thread);
    assert!(!job.is_killed());
    nonzero.exit(1);
    drop(nonzero_thread);
    assert!(job.is_dead());
}

#[test]
fn job_set_critical_errors() {
    let world = World::new();
    let (job_value, job) = world.job_in(&world.root);
    let (_, sibling) = world.job_in(&world.root);
    let (process_value, process) = world.process_in(&job);
    let sibling_value = world.insert(sibling, Rights::DEFAULT_JOB);
    let no_destroy = world.insert(job.clone(), Rights::DEFAULT_JOB.difference(Rights::DESTROY));
    let no_wait = world.insert(
        process.clone(),
        Rights::DEFAULT_PROCESS.difference(Rights::WAIT),
    );
    let set = |job, options, process| job_set_critical(world.table(), job, options, process);

    assert_eq!(set(job_value, 2, process_value), Err(Status::InvalidArgs));
    assert_eq!(
        set(sibling_value, 0, process_value),
        Err(Status::InvalidArgs),
        "not an ancestor"
    );
    assert_eq!(set(0x5555_5557, 0, process_value), Err(Status::BadHandle));
    assert_eq!(set(process_value, 0, process_value), Err(Status::WrongType));
    assert_eq!(set(no_destroy, 0, process_value), Err(Status::AccessDenied));
    assert_eq!(set(job_value, 0, no_wait), Err(Status::AccessDenied));
    assert_eq!(set(job_value, 0, process_value), Ok(()));
    assert_eq!(set(job_value, 0, process_value), Err(Status::AlreadyBound));
}
