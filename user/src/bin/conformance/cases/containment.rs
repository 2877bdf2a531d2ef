//! Containment: a misbehaving program is killed or refused while the system keeps running.
//!
//! The null dereference is the one case that dies on purpose: `init` expects its process to
//! end with `ZX_TASK_RETCODE_EXCEPTION_KILL`. The garbage fuzzer runs in a helper of its own
//! job, against live objects (see [`crate::fuzz`]); the three syscalls it leaves out get their
//! garbage in helpers of their own. Handle-table exhaustion lives with the handle cases.

use crate::fuzz::Garbage;
use crate::harness::{
    Case, Context, Fail, Outcome, case, ensure, ensure_eq, inert, killed_case, long, reaches_state,
};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;
use syscalls_abi::numbers;
use user::abi::*;
use user::sys::probe;
use user::{AsHandleRef, Channel, HandleBased, Job, Rights, Signals, Spawned, Task, Time};

pub const CASES: &[Case] = &[
    killed_case(
        "null_dereference_kills_the_process",
        ZX_TASK_RETCODE_EXCEPTION_KILL,
        null_deref,
    ),
    case(
        "spinning_processes_die_with_their_job_while_others_run",
        spinners_killed,
    ),
    case("unknown_syscall_numbers_are_bad_syscall", bad_syscall),
    case(
        "garbage_syscalls_on_live_objects_only_get_statuses",
        garbage,
    ),
    case(
        "process_exit_with_garbage_ends_with_that_return_code",
        garbage_process_exit,
    ),
    case(
        "thread_exit_with_garbage_registers_ends_the_thread",
        garbage_thread_exit,
    ),
    case(
        "nanosleep_with_garbage_deadlines_returns_or_sleeps_until_killed",
        garbage_nanosleep,
    ),
];

fn null_deref(_: &Context) -> Outcome {
    let byte = probe::read_byte(0);
    Err(crate::harness::Fail(alloc::format!(
        "read {byte} from address 0 and lived"
    )))
}

/// Spinning helpers started: more than the CPUs the suite runs on.
const SPINNERS: usize = 6;

fn spinners_killed(context: &Context) -> Outcome {
    let (doomed, alive) = (context.sub_job()?, context.sub_job()?);
    let (echo, channel) = context.helper_in(&alive, "echo", &[])?;
    let spinners = (0..SPINNERS)
        .map(|_| context.helper(&doomed, "spin_threads", &["2"], Vec::new()))
        .collect::<Result<Vec<_>, _>>()?;

    for round in 0..3u8 {
        channel.write(&[round], Vec::new())?;
        ensure_eq!(channel.read_wait(long())?.bytes, alloc::vec![round]);
    }
    doomed.kill()?;
    for spinner in &spinners {
        spinner.process.wait_terminated(long())?;
        ensure_eq!(
            spinner.process.info()?.return_code,
            ZX_TASK_RETCODE_SYSCALL_KILL
        );
    }
    channel.write(b"after", Vec::new())?;
    ensure_eq!(
        channel.read_wait(long())?.bytes.as_slice(),
        b"after".as_slice()
    );
    ensure!(!echo.process.info()?.exited);
    Ok(())
}

fn bad_syscall(_: &Context) -> Outcome {
    for number in [numbers::debug_write + 1, 1000, 1 << 31, u64::MAX] {
        ensure_eq!(inert(number, [0; 8])?, ZX_ERR_BAD_SYSCALL);
    }
    Ok(())
}

/// Calls the garbage fuzzer makes.
const GARBAGE_CALLS: usize = 20_000;
/// The fuzzer's seed, fixed so that a failure repeats.
const GARBAGE_SEED: u64 = 0x5350_494e_454c;

/// An echo helper in a job of its own, and its channel: the process that must keep running.
fn bystander(context: &Context) -> Result<(Job, Spawned, Channel), Fail> {
    let job = context.sub_job()?;
    let (echo, channel) = context.helper_in(&job, "echo", &[])?;
    Ok((job, echo, channel))
}

/// Fails unless the bystander answers `word`.
fn still_answers(channel: &Channel, word: &[u8]) -> Outcome {
    channel.write(word, Vec::new())?;
    ensure_eq!(channel.read_wait(long())?.bytes.as_slice(), word);
    Ok(())
}

fn garbage(context: &Context) -> Outcome {
    let (_alive, echo, channel) = bystander(context)?;
    let job = context.sub_job()?;
    let (ours, theirs) = Channel::create()?;
    let (seed, calls) = (format!("{GARBAGE_SEED}"), format!("{GARBAGE_CALLS}"));
    let handles = alloc::vec![theirs.into(), job.duplicate(Rights::SAME_RIGHTS)?.into()];
    let fuzzer = context.helper(&job, "fuzz", &[&seed, &calls], handles)?;
    let report = ours.read_wait(Time::after(Duration::from_secs(25)))?;
    let report = String::from_utf8_lossy(&report.bytes);
    ensure!(report.starts_with("done "), "the fuzzer said {report:?}");
    let ok: usize = report.rsplit(' ').next().unwrap_or("").parse().unwrap_or(0);
    ensure!(
        ok > GARBAGE_CALLS / 100,
        "only {ok} calls succeeded: {report}"
    );
    fuzzer.process.wait_terminated(long())?;
    ensure_eq!(fuzzer.process.info()?.return_code, 0);

    still_answers(&channel, b"after the fuzz")?;
    job.kill()?;
    job.wait_terminated(long())?;
    still_answers(&channel, b"after its job died")?;
    ensure!(!echo.process.info()?.exited);
    Ok(())
}

fn garbage_process_exit(context: &Context) -> Outcome {
    let (_alive, _echo, channel) = bystander(context)?;
    let mut garbage = Garbage(GARBAGE_SEED);
    let codes = [
        i64::MIN,
        i64::MAX,
        -1,
        ZX_TASK_RETCODE_SYSCALL_KILL,
        garbage.next() as i64,
    ];
    for code in codes {
        let helper = context.helper(
            &context.job,
            "process_exit",
            &[&format!("{code}")],
            Vec::new(),
        )?;
        helper.process.wait_terminated(long())?;
        ensure_eq!(helper.process.info()?.return_code, code);
    }
    still_answers(&channel, b"after the exits")
}

fn garbage_thread_exit(context: &Context) -> Outcome {
    let (_alive, _echo, channel) = bystander(context)?;
    for seed in [1u64, GARBAGE_SEED, u64::MAX] {
        let args = [format!("{seed}")];
        let helper =
            context.helper(&context.job, "thread_exit_garbage", &[&args[0]], Vec::new())?;
        helper.thread.wait_one(Signals::THREAD_TERMINATED, long())?;
        helper.process.wait_terminated(long())?;
        ensure_eq!(helper.process.info()?.return_code, 0);
    }
    still_answers(&channel, b"after the thread exits")
}

fn garbage_nanosleep(context: &Context) -> Outcome {
    let (_alive, _echo, channel) = bystander(context)?;
    // Deadlines in the past end the sleep at once, with ZX_OK.
    for deadline in [i64::MIN, -1, 0, 1, Time::now().into_nanos()] {
        let (helper, report) =
            context.helper_with_channel("nanosleep", &[&format!("{deadline}")])?;
        let status = report.read_wait(long())?;
        ensure_eq!(
            (deadline, status.bytes.as_slice()),
            (deadline, 0i32.to_le_bytes().as_slice())
        );
        helper.process.wait_terminated(long())?;
    }
    // Deadlines far away sleep until the sleeper is killed.
    let hour = Time::after(Duration::from_secs(3600)).into_nanos();
    for deadline in [i64::MAX, 1 << 62, hour] {
        let (helper, _report) =
            context.helper_with_channel("nanosleep", &[&format!("{deadline}")])?;
        ensure!(
            reaches_state(&helper.thread, ZX_THREAD_STATE_BLOCKED_SLEEPING),
            "deadline {deadline}: the helper never slept"
        );
        helper.process.kill()?;
        helper.process.wait_terminated(long())?;
        ensure_eq!(
            helper.process.info()?.return_code,
            ZX_TASK_RETCODE_SYSCALL_KILL
        );
    }
    still_answers(&channel, b"after the sleepers")
}
