//! `spinel test`: the QEMU half of `make test`.
//!
//! Boots the test image on each configuration the project promises to work on, collects every
//! in-kernel test case, checks the deliberate crashes, adds the host tests' counts, and prints
//! `N passed, M failed`. A boot that hangs (timeout), dies (panic, fault, triple fault) or leaves
//! announced cases unreported counts as a failure: nothing is hidden.

use crate::qemu::{self, Firmware, Machine};
use crate::report::{self, SuiteReport};
use crate::symbolize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Longest a test boot may take before it counts as hung. Boots take seconds under TCG; the
/// margin covers a loaded 2-core CI machine.
const BOOT_TIMEOUT: Duration = Duration::from_secs(240);

/// What a boot must show to pass.
enum Expect {
    /// The in-kernel test suite runs to its end and the machine powers off cleanly.
    Suite,
    /// A deliberate crash: a non-zero exit and every pattern in the output.
    Crash(&'static [&'static str]),
}

struct Boot {
    label: String,
    machine: Machine,
    expect: Expect,
}

/// Options of `spinel test`.
pub struct Options {
    pub image_dir: PathBuf,
    pub kernel_elf: Option<PathBuf>,
    pub host_log: Option<PathBuf>,
    /// Passed to every suite boot as `test=<filter>`.
    pub filter: Option<String>,
}

fn boots(options: &Options) -> Vec<Boot> {
    let suite = |firmware, cpus: usize| {
        let mut machine = Machine::new(&options.image_dir, firmware, cpus);
        if let Some(filter) = &options.filter {
            machine.cmdline = format!("test={filter}");
        }
        let name = if firmware == Firmware::Bios {
            "bios"
        } else {
            "uefi"
        };
        Boot {
            label: format!("{name}, {cpus} CPU"),
            machine,
            expect: Expect::Suite,
        }
    };
    let crash = |name: &'static str, patterns: &'static [&'static str]| {
        let mut machine = Machine::new(&options.image_dir, Firmware::Bios, 1);
        machine.cmdline = format!("crash={name}");
        Boot {
            label: format!("crash {name}"),
            machine,
            expect: Expect::Crash(patterns),
        }
    };
    vec![
        suite(Firmware::Bios, 1),
        suite(Firmware::Bios, 4),
        suite(Firmware::Uefi, 2),
        crash(
            "invalid_opcode",
            &[
                "EXCEPTION on cpu0: invalid opcode (#UD, vector 6)",
                "RIP ",
                "backtrace:",
            ],
        ),
        crash(
            "page_fault",
            &[
                "EXCEPTION on cpu0: page fault (#PF, vector 14)",
                "CR2 0x00005a5a00000000",
                "backtrace:",
            ],
        ),
        crash(
            "panic",
            &["KERNEL PANIC on cpu0: deliberate panic", "backtrace:"],
        ),
    ]
}

/// Runs every boot; returns whether everything passed.
pub fn run(options: &Options) -> bool {
    let (mut passed, mut failed) = host_counts(options);
    for boot in boots(options) {
        let (p, f) = run_boot(&boot, options.kernel_elf.as_deref());
        passed += p;
        failed += f;
    }
    qemu::clean_up(&options.image_dir);
    println!("{passed} passed, {failed} failed");
    failed == 0
}

fn host_counts(options: &Options) -> (usize, usize) {
    let Some(log) = &options.host_log else {
        return (0, 0);
    };
    let (passed, failed) =
        report::parse_cargo_test(&std::fs::read_to_string(log).unwrap_or_default());
    println!("host tests: {passed} passed, {failed} failed");
    (passed, failed)
}

/// Boots one configuration: (passed, failed).
fn run_boot(boot: &Boot, kernel: Option<&Path>) -> (usize, usize) {
    println!("== {}", boot.label);
    let outcome = match qemu::run_captured(&boot.machine, BOOT_TIMEOUT, |_| {}) {
        Ok(outcome) => outcome,
        Err(error) => {
            println!("FAIL {}: cannot start QEMU: {error}", boot.label);
            return (0, 1);
        }
    };
    let seconds = outcome.elapsed.as_secs_f64();
    let verdict = match &boot.expect {
        Expect::Suite => judge_suite(&report::parse_suite(&outcome.output), outcome.status),
        Expect::Crash(patterns) => judge_crash(&outcome.output, outcome.status, patterns),
    };
    if verdict.1 > 0 {
        println!(
            "---- serial output of '{}' ({seconds:.1} s, status {:?}):",
            boot.label, outcome.status
        );
        for line in outcome.output.lines() {
            println!("| {}", symbolize::annotate(line, kernel));
        }
        println!("----");
    } else {
        println!("   ({seconds:.1} s)");
    }
    verdict
}

fn judge_suite(report: &SuiteReport, status: Option<i32>) -> (usize, usize) {
    let mut passed = 0;
    let mut failed = 0;
    for case in &report.cases {
        match &case.failure {
            None => {
                passed += 1;
                println!("ok   {}", case.name);
            }
            Some(reason) => {
                failed += 1;
                println!("FAIL {}: {reason}", case.name);
            }
        }
    }
    if report.missing() > 0 {
        println!("FAIL {} announced tests never reported", report.missing());
        failed += report.missing();
    }
    let clean_exit = report.finished && status == Some(0);
    if !clean_exit {
        let how = match status {
            None => "hung (killed at the timeout)".to_string(),
            Some(0) if !report.finished => "stopped before the end of the suite".to_string(),
            Some(code) => format!("exited with status {code}"),
        };
        println!("FAIL the boot {how}");
        failed += 1;
    }
    (passed, failed)
}

fn judge_crash(output: &str, status: Option<i32>, patterns: &[&str]) -> (usize, usize) {
    let missing: Vec<_> = patterns.iter().filter(|p| !output.contains(**p)).collect();
    let failed_as_expected = matches!(status, Some(code) if code != 0);
    if failed_as_expected && missing.is_empty() {
        println!(
            "ok   crash reported and the run failed with status {}",
            status.unwrap_or(0)
        );
        (1, 0)
    } else {
        println!("FAIL status {status:?}; missing from the report: {missing:?}");
        (0, 1)
    }
}
