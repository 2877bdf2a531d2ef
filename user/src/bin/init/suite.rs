//! The conformance runner: one process per case, each in its own job.
//!
//! It asks the `conformance` program for its cases (`conformance list`: one message of lines
//! `<name> <expected return code>`), keeps those whose name contains the filter, and runs each
//! as `conformance run <name>` in a fresh job under the root job, with three handles: a
//! channel for the verdict's reason, a handle to the case's own job, and the `conformance` ELF
//! VMO (to start helper processes). A case passes when its process ends with the expected
//! return code (0 for most; the code of the kill for the containment cases that crash on
//! purpose). A case that runs past [`CASE_TIMEOUT`] is killed with its job and fails.
//!
//! Output, one line per case and a summary, parsed by the host runner:
//! `conformance: <case> ... ok` or `conformance: <case> ... FAILED: <reason>`, then
//! `conformance: <N> passed, <M> failed`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::time::Duration;
use user::{
    Boot, Channel, HandleBased, Job, ProcessBuilder, Rights, Status, Task, Time, Vmo, ZxResult,
    println,
};

/// The name of the conformance program in the boot image.
const PROGRAM: &str = "conformance";
/// How long one case may run before it is killed and counted as failed.
const CASE_TIMEOUT: Duration = Duration::from_secs(30);

/// One case as the conformance program lists it.
struct Case {
    name: String,
    expected: i64,
}

/// Runs every case that matches `filter`; returns 0 if all passed, 1 otherwise.
pub fn run(boot: &Boot, filter: Option<&str>) -> i64 {
    let Some(program) = boot.program(PROGRAM) else {
        println!("conformance: 0 passed, 1 failed");
        println!("init: no `{PROGRAM}` program in the boot image");
        return 1;
    };
    let cases = match list_cases(&boot.root_job, program) {
        Ok(cases) => cases,
        Err(reason) => {
            println!("init: could not list the conformance cases: {reason}");
            println!("conformance: 0 passed, 1 failed");
            return 1;
        }
    };

    let (mut passed, mut failed) = (0, 0);
    for case in cases
        .iter()
        .filter(|c| filter.is_none_or(|f| c.name.contains(f)))
    {
        match run_case(&boot.root_job, program, case) {
            Ok(()) => {
                println!("conformance: {} ... ok", case.name);
                passed += 1;
            }
            Err(reason) => {
                println!("conformance: {} ... FAILED: {}", case.name, reason);
                failed += 1;
            }
        }
    }
    println!("conformance: {passed} passed, {failed} failed");
    i64::from(failed != 0)
}

/// Starts `conformance list` and reads its cases.
fn list_cases(root: &Job, program: &Vmo) -> Result<Vec<Case>, String> {
    let job = root
        .create_child()
        .map_err(|s| format!("job_create: {s}"))?;
    let (report, theirs) = Channel::create().map_err(|s| format!("channel_create: {s}"))?;
    let spawned = ProcessBuilder::new(&job, "conformance-list", program)
        .args(["conformance", "list"])
        .handle(theirs)
        .spawn()
        .map_err(|s| format!("spawn: {s}"))?;
    let message = report.read_wait(Time::after(CASE_TIMEOUT));
    let _ = spawned.process.wait_terminated(Time::after(CASE_TIMEOUT));
    let _ = job.kill();
    let message = message.map_err(|s| format!("no list: {s}"))?;
    let text = core::str::from_utf8(&message.bytes).map_err(|_| "list is not UTF-8")?;
    text.lines().map(parse_case).collect()
}

/// One line of the list: `<name> <expected return code>`.
fn parse_case(line: &str) -> Result<Case, String> {
    let (name, expected) = line
        .split_once(' ')
        .ok_or(format!("bad list line {line:?}"))?;
    let expected = expected
        .parse()
        .map_err(|_| format!("bad return code in {line:?}"))?;
    Ok(Case {
        name: name.to_string(),
        expected,
    })
}

/// Runs one case in its own job; `Err` holds the reason it failed.
fn run_case(root: &Job, program: &Vmo, case: &Case) -> Result<(), String> {
    let job = root
        .create_child()
        .map_err(|s| format!("job_create: {s}"))?;
    let result = run_in_job(&job, program, case);
    // Whatever the case left behind (helpers, spinners) dies with its job.
    let _ = job.kill();
    result
}

fn run_in_job(job: &Job, program: &Vmo, case: &Case) -> Result<(), String> {
    let setup = |s: Status| format!("setting up the case: {s}");
    let (report, theirs) = Channel::create().map_err(setup)?;
    let spawned = ProcessBuilder::new(job, &case.name, program)
        .args(["conformance", "run", &case.name])
        .handle(theirs)
        .handle(job.duplicate(Rights::SAME_RIGHTS).map_err(setup)?)
        .handle(program.duplicate(Rights::SAME_RIGHTS).map_err(setup)?)
        .spawn()
        .map_err(|s| format!("spawn: {s}"))?;

    if let Err(status) = spawned.process.wait_terminated(Time::after(CASE_TIMEOUT)) {
        let _ = job.kill();
        let _ = spawned.process.wait_terminated(Time::after(CASE_TIMEOUT));
        return Err(match status {
            Status::TimedOut => format!("timed out after {} s (killed)", CASE_TIMEOUT.as_secs()),
            other => format!("waiting for the case: {other}"),
        });
    }
    let code = spawned
        .process
        .info()
        .map_err(|s| format!("process info: {s}"))?
        .return_code;
    if code == case.expected {
        return Ok(());
    }
    Err(match reason(&report) {
        Some(text) => text,
        None => format!(
            "return code {} ({}), expected {}",
            code,
            describe(code),
            case.expected
        ),
    })
}

/// The reason the case sent before it ended, if any.
fn reason(report: &Channel) -> Option<String> {
    let message: ZxResult<_> = report.read();
    let message = message.ok()?;
    Some(String::from_utf8_lossy(&message.bytes).into_owned())
}

/// A return code in words.
fn describe(code: i64) -> &'static str {
    use user::abi::*;
    match code {
        0 => "success",
        ZX_TASK_RETCODE_SYSCALL_KILL => "killed",
        ZX_TASK_RETCODE_POLICY_KILL => "killed by job policy",
        ZX_TASK_RETCODE_EXCEPTION_KILL => "killed by an unhandled exception",
        ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL => "killed with a critical process",
        user::rt::EXIT_PANIC => "panicked",
        user::rt::EXIT_BAD_STARTUP => "bad startup message",
        _ => "failed",
    }
}
