//! Job policies (spec §11): `zx_job_set_policy` and its errors, the ALLOW, DENY and KILL
//! actions at object creation and on bad handles, and inheritance down the tree.

use super::*;
use crate::abi::{
    Status, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_RELATIVE, ZX_POL_ACTION_ALLOW,
    ZX_POL_ACTION_ALLOW_EXCEPTION, ZX_POL_ACTION_DENY, ZX_POL_ACTION_DENY_EXCEPTION,
    ZX_POL_ACTION_KILL, ZX_POL_BAD_HANDLE, ZX_POL_MAX, ZX_POL_NEW_ANY, ZX_POL_NEW_CHANNEL,
    ZX_POL_NEW_EVENT, ZX_POL_NEW_PROCESS, ZX_POL_NEW_VMO, ZX_POL_VMAR_WX,
    ZX_TASK_RETCODE_POLICY_KILL, ZX_TIMER_SLACK_EARLY, ZX_TIMER_SLACK_LATE,
};
use crate::task::ops::{job_set_policy, process_create};

fn entry(condition: u32, action: u32) -> BasicPolicy {
    BasicPolicy { condition, action }
}

fn set(job: &Job, options: u32, entries: &[BasicPolicy]) -> ZxResult {
    job.set_policy(options, PolicyRequest::Basic(entries))
}

/// A process (with one running thread) in a child of the root job whose policy is `entries`.
fn governed(world: &World, entries: &[BasicPolicy]) -> (Arc<Process>, StartedThread) {
    let (_, job) = world.job_in(&world.root);
    set(&job, ZX_JOB_POL_RELATIVE, entries).unwrap();
    world.running_process(&job)
}

// --- actions at the point of creation ---

#[test]
fn allow_lets_the_creation_go_ahead() {
    let world = World::new();
    let (process, _) = governed(&world, &[entry(ZX_POL_NEW_EVENT, ZX_POL_ACTION_ALLOW)]);
    assert_eq!(process.check_policy(PolicyCondition::NewEvent), Ok(()));
}

#[test]
fn deny_fails_the_creation_with_access_denied() {
    let world = World::new();
    let (process, started) = governed(&world, &[entry(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY)]);
    assert_eq!(
        process.check_policy(PolicyCondition::NewEvent),
        Err(Status::AccessDenied)
    );
    assert_eq!(process.check_policy(PolicyCondition::NewPort), Ok(()));
    assert!(!started.is_dying());
}

#[test]
fn kill_ends_the_process_with_policy_kill() {
    let world = World::new();
    let (process, started) = governed(&world, &[entry(ZX_POL_NEW_VMO, ZX_POL_ACTION_KILL)]);
    assert_eq!(
        process.check_policy(PolicyCondition::NewVmo),
        Err(Status::AccessDenied)
    );
    assert!(
        started.is_dying(),
        "the calling thread stops after the syscall"
    );
    drop(started);
    assert_eq!(process.info().return_code, ZX_TASK_RETCODE_POLICY_KILL);
}

#[test]
fn bad_handle_kill_ends_the_process() {
    let world = World::new();
    let (process, started) = governed(&world, &[entry(ZX_POL_BAD_HANDLE, ZX_POL_ACTION_KILL)]);
    assert!(process.check_policy(PolicyCondition::BadHandle).is_err());
    drop(started);
    assert_eq!(process.info().return_code, ZX_TASK_RETCODE_POLICY_KILL);
}

#[test]
fn new_any_covers_every_new_condition_and_nothing_else() {
    let world = World::new();
    let (process, _) = governed(&world, &[entry(ZX_POL_NEW_ANY, ZX_POL_ACTION_DENY)]);
    for condition in [
        PolicyCondition::NewVmo,
        PolicyCondition::NewChannel,
        PolicyCondition::NewEvent,
        PolicyCondition::NewEventPair,
        PolicyCondition::NewPort,
        PolicyCondition::NewSocket,
        PolicyCondition::NewFifo,
        PolicyCondition::NewTimer,
        PolicyCondition::NewProcess,
        PolicyCondition::NewProfile,
    ] {
        assert_eq!(process.check_policy(condition), Err(Status::AccessDenied));
    }
    assert_eq!(process.check_policy(PolicyCondition::BadHandle), Ok(()));
    assert_eq!(
        process.check_policy(PolicyCondition::AmbientMarkVmoExec),
        Ok(())
    );
}

#[test]
fn process_create_is_checked_against_the_callers_policy() {
    let world = World::new();
    let (process, _) = governed(&world, &[entry(ZX_POL_NEW_PROCESS, ZX_POL_ACTION_DENY)]);
    let root = process
        .handles()
        .insert(Handle::new(world.root.clone(), Rights::DEFAULT_JOB))
        .unwrap();
    assert_eq!(
        process_create(&process, root, b"escape", 0).err(),
        Some(Status::AccessDenied),
        "a laxer target job does not help"
    );
}

// --- inheritance and combination ---

#[test]
fn descendants_inherit_the_policy_and_cannot_loosen_it() {
    let world = World::new();
    let (_, parent) = world.job_in(&world.root);
    set(
        &parent,
        ZX_JOB_POL_RELATIVE,
        &[entry(ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_DENY)],
    )
    .unwrap();
    let (_, child) = world.job_in(&parent);

    let loosen = [entry(ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_ALLOW)];
    assert_eq!(set(&child, ZX_JOB_POL_RELATIVE, &loosen), Ok(()), "ignored");
    assert_eq!(
        child.policy().action(PolicyCondition::NewChannel),
        PolicyAction::Deny
    );
    assert_eq!(
        set(&child, ZX_JOB_POL_ABSOLUTE, &loosen),
        Err(Status::AlreadyExists)
    );
    let same = [entry(ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_DENY)];
    assert_eq!(set(&child, ZX_JOB_POL_ABSOLUTE, &same), Ok(()));
}

#[test]
fn an_absolute_request_that_fails_changes_nothing() {
    let world = World::new();
    let (_, parent) = world.job_in(&world.root);
    set(
        &parent,
        ZX_JOB_POL_RELATIVE,
        &[entry(ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_DENY)],
    )
    .unwrap();
    let (_, child) = world.job_in(&parent);
    let before = child.policy();
    let request = [
        entry(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY),
        entry(ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_ALLOW),
    ];
    assert_eq!(
        set(&child, ZX_JOB_POL_ABSOLUTE, &request),
        Err(Status::AlreadyExists)
    );
    assert_eq!(child.policy(), before);
}

#[test]
fn a_process_keeps_the_policy_of_its_creation() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    set(
        &job,
        ZX_JOB_POL_RELATIVE,
        &[entry(ZX_POL_VMAR_WX, ZX_POL_ACTION_DENY)],
    )
    .unwrap();
    let (_, process) = world.process_in(&job);
    assert_eq!(
        process.check_policy(PolicyCondition::VmarWx),
        Err(Status::AccessDenied)
    );
    assert_eq!(
        process.policy().action(PolicyCondition::VmarWx),
        PolicyAction::Deny
    );
}

// --- zx_job_set_policy errors ---

#[test]
fn set_policy_on_a_job_with_children_is_bad_state() {
    let world = World::new();
    let deny = [entry(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY)];
    let (_, with_job) = world.job_in(&world.root);
    let (_, _child) = world.job_in(&with_job);
    assert_eq!(
        set(&with_job, ZX_JOB_POL_RELATIVE, &deny),
        Err(Status::BadState)
    );
    let (_, with_process) = world.job_in(&world.root);
    let (_, _process) = world.process_in(&with_process);
    assert_eq!(
        set(&with_process, ZX_JOB_POL_RELATIVE, &deny),
        Err(Status::BadState)
    );
}

#[test]
fn set_policy_request_errors() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let deny = entry(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY);
    assert_eq!(set(&job, 2, &[deny]), Err(Status::InvalidArgs), "options");
    assert_eq!(
        set(&job, ZX_JOB_POL_RELATIVE, &[]),
        Err(Status::InvalidArgs),
        "count 0"
    );
    let too_many = [deny; ZX_POL_MAX as usize + 1];
    assert_eq!(
        set(&job, ZX_JOB_POL_RELATIVE, &too_many),
        Err(Status::OutOfRange)
    );
    let unknown = entry(ZX_POL_MAX, ZX_POL_ACTION_DENY);
    assert_eq!(
        set(&job, ZX_JOB_POL_RELATIVE, &[unknown]),
        Err(Status::OutOfRange)
    );
    for action in [
        ZX_POL_ACTION_ALLOW_EXCEPTION,
        ZX_POL_ACTION_DENY_EXCEPTION,
        ZX_POL_ACTION_KILL + 1,
    ] {
        let entries = [entry(ZX_POL_NEW_EVENT, action)];
        assert_eq!(
            set(&job, ZX_JOB_POL_RELATIVE, &entries),
            Err(Status::NotSupported)
        );
    }
    assert_eq!(job.policy(), JobPolicy::root(), "nothing was applied");
}

#[test]
fn set_policy_handle_errors() {
    let world = World::new();
    let (_, job) = world.job_in(&world.root);
    let no_set = world.insert(job, Rights::DEFAULT_JOB.difference(Rights::SET_POLICY));
    let event = world.insert(crate::ipc::Event::new(), Rights::DEFAULT_EVENT);
    let deny = [entry(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY)];
    let request = PolicyRequest::Basic(&deny);
    let call = |value| job_set_policy(world.table(), value, ZX_JOB_POL_RELATIVE, request);
    assert_eq!(call(0x1212_1213), Err(Status::BadHandle));
    assert_eq!(call(event), Err(Status::WrongType));
    assert_eq!(call(no_set), Err(Status::AccessDenied));
    assert_eq!(
        job_set_policy(world.table(), no_set, 7, request),
        Err(Status::InvalidArgs),
        "the request is checked before the handle"
    );
}

#[test]
fn timer_slack_takes_the_larger_minimum_and_one_relative_entry() {
    let world = World::new();
    let (_, parent) = world.job_in(&world.root);
    let slack = |min_slack, default_mode| TimerSlackPolicy {
        min_slack,
        default_mode,
    };
    let timer = |job: &Job, options, entries: &[TimerSlackPolicy]| {
        job.set_policy(options, PolicyRequest::TimerSlack(entries))
    };
    timer(
        &parent,
        ZX_JOB_POL_RELATIVE,
        &[slack(1000, ZX_TIMER_SLACK_LATE)],
    )
    .unwrap();
    let (_, child) = world.job_in(&parent);
    timer(
        &child,
        ZX_JOB_POL_RELATIVE,
        &[slack(10, ZX_TIMER_SLACK_EARLY)],
    )
    .unwrap();
    assert_eq!(
        child.policy().timer_slack(),
        slack(1000, ZX_TIMER_SLACK_EARLY)
    );

    let (_, other) = world.job_in(&world.root);
    let one = [slack(1, ZX_TIMER_SLACK_EARLY)];
    assert_eq!(
        timer(&other, ZX_JOB_POL_ABSOLUTE, &one),
        Err(Status::InvalidArgs)
    );
    assert_eq!(
        timer(&other, ZX_JOB_POL_RELATIVE, &[one[0], one[0]]),
        Err(Status::InvalidArgs)
    );
    assert_eq!(
        timer(
            &other,
            ZX_JOB_POL_RELATIVE,
            &[slack(-1, ZX_TIMER_SLACK_EARLY)]
        ),
        Err(Status::InvalidArgs)
    );
    assert_eq!(
        timer(&other, ZX_JOB_POL_RELATIVE, &[slack(1, 3)]),
        Err(Status::InvalidArgs)
    );
}
