//! Job syscalls (spec §3.6, §2.2, §11): creation, policies and critical processes.

mod common;

use common::{Harness, st};
use objects::KernelObject;
use objects::task::{PolicyAction, PolicyCondition, Process};
use syscalls::abi::*;

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
    let process = harness.object::<Process>(process);
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
