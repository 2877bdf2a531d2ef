//! Job policies (spec §11, ruling 14.8): denying and killing object creation, inheritance,
//! and the errors of `zx_job_set_policy`.

use crate::harness::{Case, Context, Outcome, case, ensure_eq, ensure_err, ensure_raw, long};
use alloc::vec::Vec;
use user::abi::*;
use user::{AsHandleRef, HandleBased, Job, Rights, Task, sys};

pub const CASES: &[Case] = &[
    case("job_policy_deny_makes_object_creation_access_denied", deny),
    case("job_policy_kill_kills_the_creating_process", kill),
    case("job_policy_is_inherited_by_child_jobs", inherited),
    case("job_policy_new_any_covers_every_object_type", new_any),
    case("job_policy_on_a_job_with_processes_is_bad_state", not_empty),
    case(
        "job_policy_with_unknown_options_is_invalid_args",
        bad_options,
    ),
    case("job_policy_with_no_entries_is_invalid_args", no_entries),
    case(
        "job_policy_without_set_policy_right_is_access_denied",
        denied,
    ),
];

/// The return code of a `try <object>` helper in `job`.
fn try_in(context: &Context, job: &Job, object: &str) -> Result<i64, crate::harness::Fail> {
    let helper = context.helper(job, "try", &[object], Vec::new())?;
    helper.process.wait_terminated(long())?;
    Ok(helper.process.info()?.return_code)
}

fn deny(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    job.set_basic_policy(
        ZX_JOB_POL_RELATIVE,
        &[(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY)],
    )?;
    ensure_eq!(
        try_in(context, &job, "event")?,
        i64::from(ZX_ERR_ACCESS_DENIED)
    );
    ensure_eq!(try_in(context, &job, "port")?, 0);
    Ok(())
}

fn kill(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    job.set_basic_policy(
        ZX_JOB_POL_RELATIVE,
        &[(ZX_POL_NEW_PORT, ZX_POL_ACTION_KILL)],
    )?;
    ensure_eq!(try_in(context, &job, "port")?, ZX_TASK_RETCODE_POLICY_KILL);
    Ok(())
}

fn inherited(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    job.set_basic_policy(ZX_JOB_POL_RELATIVE, &[(ZX_POL_NEW_VMO, ZX_POL_ACTION_DENY)])?;
    let child = job.create_child()?;
    ensure_eq!(
        try_in(context, &child, "vmo")?,
        i64::from(ZX_ERR_ACCESS_DENIED)
    );
    Ok(())
}

fn new_any(context: &Context) -> Outcome {
    // The helper's own startup needs channels and VMOs from its parent only, not its own.
    let job = context.sub_job()?;
    job.set_basic_policy(ZX_JOB_POL_RELATIVE, &[(ZX_POL_NEW_ANY, ZX_POL_ACTION_DENY)])?;
    for object in ["event", "channel", "port"] {
        ensure_eq!(
            try_in(context, &job, object)?,
            i64::from(ZX_ERR_ACCESS_DENIED)
        );
    }
    Ok(())
}

fn not_empty(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let _helper = context.helper(&job, "sleep", &[], Vec::new())?;
    let entries = [(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY)];
    ensure_err!(
        job.set_basic_policy(ZX_JOB_POL_RELATIVE, &entries),
        BadState
    );
    Ok(())
}

fn bad_options(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    ensure_err!(
        job.set_basic_policy(7, &[(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY)]),
        InvalidArgs
    );
    Ok(())
}

fn no_entries(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let status = sys::job_set_policy(
        job.raw_handle(),
        ZX_JOB_POL_RELATIVE,
        ZX_JOB_POL_BASIC,
        &[],
        0,
    );
    ensure_raw!(status, InvalidArgs);
    Ok(())
}

fn denied(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let weak = job.duplicate(job.basic_info()?.rights - Rights::SET_POLICY)?;
    let entries = [(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY)];
    ensure_err!(
        weak.set_basic_policy(ZX_JOB_POL_RELATIVE, &entries),
        AccessDenied
    );
    Ok(())
}
