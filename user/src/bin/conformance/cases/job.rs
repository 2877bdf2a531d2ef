//! Jobs (spec §2.2, §3.6, §3.7): the task tree, killing it, its signals, critical processes.

use crate::harness::{
    Case, Context, Outcome, case, ensure, ensure_eq, ensure_err, ensure_raw, long, short,
};
use alloc::vec::Vec;
use user::abi::*;
use user::{AsHandleRef, HandleBased, Job, Rights, Signals, Task, Time, sys};

pub const CASES: &[Case] = &[
    case("job_create_makes_a_child_of_its_parent", create_child),
    case(
        "job_create_under_a_killed_job_is_bad_state",
        create_under_dead,
    ),
    case(
        "job_create_without_manage_job_is_access_denied",
        create_denied,
    ),
    case("job_create_with_options_is_invalid_args", create_options),
    case(
        "job_create_beyond_the_height_limit_is_out_of_range",
        height_limit,
    ),
    case("job_kill_ends_every_process_and_job_below_it", kill_tree),
    case("job_kill_reports_syscall_kill_in_job_info", kill_info),
    case(
        "job_without_children_asserts_no_jobs_and_no_processes",
        empty_signals,
    ),
    case(
        "job_set_critical_kills_the_job_when_the_process_ends",
        critical,
    ),
    case(
        "job_set_critical_retcode_nonzero_spares_a_zero_exit",
        critical_nonzero,
    ),
    case("job_set_critical_twice_is_already_bound", critical_twice),
    case(
        "job_set_critical_from_a_non_ancestor_is_invalid_args",
        critical_not_ancestor,
    ),
];

fn create_child(context: &Context) -> Outcome {
    let child = context.sub_job()?;
    ensure_eq!(child.basic_info()?.related_koid, context.job.koid()?);
    ensure!(context.job.children()?.contains(&child.koid()?));
    Ok(())
}

fn create_under_dead(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    job.kill()?;
    job.wait_terminated(long())?;
    ensure_err!(job.create_child(), BadState);
    Ok(())
}

fn create_denied(context: &Context) -> Outcome {
    let job = context
        .sub_job()?
        .duplicate(Rights::BASIC | Rights::MANAGE_PROCESS)?;
    ensure_err!(job.create_child(), AccessDenied);
    Ok(())
}

fn create_options(context: &Context) -> Outcome {
    ensure_raw!(
        sys::job_create(context.job.raw_handle(), 1, &mut 0),
        InvalidArgs
    );
    Ok(())
}

/// Nesting this deep without hitting the limit fails the case.
const HEIGHT_CAP: usize = 1000;

fn height_limit(context: &Context) -> Outcome {
    let mut chain: Vec<Job> = Vec::new();
    let status = loop {
        let parent = chain.last().unwrap_or(&context.job);
        match parent.create_child() {
            Ok(child) => chain.push(child),
            Err(status) => break status,
        }
        ensure!(
            chain.len() < HEIGHT_CAP,
            "{HEIGHT_CAP} nested jobs and no limit"
        );
    };
    ensure_eq!(status, user::Status::OutOfRange);
    // A process may still be created in the deepest job.
    chain
        .last()
        .unwrap_or(&context.job)
        .create_process("deep")?;
    Ok(())
}

fn kill_tree(context: &Context) -> Outcome {
    let top = context.sub_job()?;
    let (left, right) = (top.create_child()?, top.create_child()?);
    let deep = left.create_child()?;
    // The echo helper blocks reading its channel, whose other end stays open until the end.
    let (echo, _echo_channel) = context.helper_in(&right, "echo", &[])?;
    let helpers = [
        context.helper(&top, "spin", &[], Vec::new())?,
        context.helper(&left, "sleep", &[], Vec::new())?,
        context.helper(&deep, "spin", &[], Vec::new())?,
        echo,
    ];
    top.kill()?;
    for job in [&top, &left, &right, &deep] {
        job.wait_terminated(long())?;
    }
    for helper in &helpers {
        helper.process.wait_terminated(long())?;
        ensure_eq!(
            helper.process.info()?.return_code,
            ZX_TASK_RETCODE_SYSCALL_KILL
        );
    }
    ensure_err!(left.create_process("late"), BadState);
    Ok(())
}

fn kill_info(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    ensure!(!job.info()?.exited);
    job.kill()?;
    job.wait_terminated(long())?;
    let info = job.info()?;
    ensure!(info.exited);
    ensure_eq!(info.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
    Ok(())
}

fn empty_signals(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let both = Signals::JOB_NO_JOBS | Signals::JOB_NO_PROCESSES;
    let observed = job.wait_one(both, Time::ZERO)?;
    ensure!(observed.contains(both), "observed {observed:?}");
    let _child = job.create_child()?;
    let observed = job.wait_one(Signals::JOB_NO_PROCESSES, Time::ZERO)?;
    ensure!(
        !observed.contains(Signals::JOB_NO_JOBS),
        "observed {observed:?}"
    );
    Ok(())
}

fn critical(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let (critical, channel) = context.helper_in(&job, "echo", &[])?;
    let bystander = context.helper(&job, "spin", &[], Vec::new())?;
    job.set_critical(0, &critical.process)?;
    drop(channel);
    critical.process.wait_terminated(long())?;
    bystander.process.wait_terminated(long())?;
    job.wait_terminated(long())?;
    ensure_eq!(
        job.info()?.return_code,
        ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL
    );
    Ok(())
}

fn critical_nonzero(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let (critical, channel) = context.helper_in(&job, "echo", &[])?;
    let bystander = context.helper(&job, "sleep", &[], Vec::new())?;
    job.set_critical(ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO, &critical.process)?;
    drop(channel);
    critical.process.wait_terminated(long())?;
    ensure_eq!(critical.process.info()?.return_code, 0);
    ensure_err!(bystander.process.wait_terminated(short()), TimedOut);
    ensure!(!job.info()?.exited);
    Ok(())
}

fn critical_twice(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let helper = context.helper(&job, "sleep", &[], Vec::new())?;
    job.set_critical(0, &helper.process)?;
    ensure_err!(job.set_critical(0, &helper.process), AlreadyBound);
    Ok(())
}

fn critical_not_ancestor(context: &Context) -> Outcome {
    let (home, other) = (context.sub_job()?, context.sub_job()?);
    let helper = context.helper(&home, "sleep", &[], Vec::new())?;
    ensure_err!(other.set_critical(0, &helper.process), InvalidArgs);
    Ok(())
}
