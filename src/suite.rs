//! `spinel test`: the QEMU half of `make test`.
//!
//! Boots the test image on each configuration the project promises to work on, collects every
//! in-kernel test case, checks the deliberate crashes, adds the host steps' counts (see
//! [`crate::host_tests`]), and prints
//! `N passed, M failed`. A boot that hangs (timeout), dies (panic, fault, triple fault) or leaves
//! announced cases unreported counts as a failure: nothing is hidden.

use crate::crash_check::{self, CrashExpect};
use crate::host_tests::HostStep;
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
    /// The in-kernel test suite runs to its end (and, when `conformance` is set, the user-space
    /// conformance suite after it) and the machine powers off cleanly.
    Suite { conformance: bool },
    /// A deliberate crash: a non-zero exit and a complete report.
    Crash(CrashExpect),
    /// A short run of the benchmark image: every case, in-kernel and user-space, reports, then
    /// `bench: done` and a clean power-off. The figures themselves are not judged.
    BenchSmoke,
}
/// Iterations of each case in the smoke run (after as many warm-up ones).
const BENCH_SMOKE_ITERATIONS: usize = 20;

struct Boot {
    label: String,
    machine: Machine,
    expect: Expect,
}

/// Options of `spinel test`.
pub struct Options {
    pub image_dir: PathBuf,
    pub kernel_elf: Option<PathBuf>,
    /// The Makefile's host test steps, counted before the boots.
    pub host_steps: Vec<HostStep>,
    /// Passed to every suite boot as `test=<filter>`.
    pub filter: Option<String>,
    /// Images of the benchmark build, for the smoke run; none skips it.
    pub bench_image_dir: Option<PathBuf>,
    /// The benchmark kernel's and user program's ELF files, for the profiler's check; none
    /// skips it.
    pub profile_elves: Option<(PathBuf, PathBuf)>,
}

/// Machines whose CPUs' APIC ids are not contiguous: QEMU gives each socket a power-of-two
/// block of ids, so 2 sockets of 3 cores have the ids 0-2 and 4-6.
const SPARSE_TOPOLOGY: &str = "6,sockets=2,cores=3";
const SPARSE_APIC_IDS: &str = "0,1,2,4,5,6";

/// CPU counts whose suite boots also run the user-space conformance suite (the rest run the
/// in-kernel tests only, to keep `make test` short).
const CONFORMANCE_CPUS: [usize; 2] = [1, 4];

fn boots(options: &Options) -> Vec<Boot> {
    let suite = |firmware, cpus: usize, topology: Option<(&str, &str)>| {
        let mut machine = Machine::new(&options.image_dir, firmware, cpus);
        machine.cmdline = format!("smp.expect={cpus}");
        let conformance =
            firmware == Firmware::Bios && topology.is_none() && CONFORMANCE_CPUS.contains(&cpus);
        if conformance {
            machine.cmdline += " spinel.mode=test";
        }
        if let Some((topology, apic_ids)) = topology {
            machine.topology = Some(topology.to_string());
            machine.cmdline += &format!(" smp.apic_ids={apic_ids}");
        }
        if let Some(filter) = &options.filter {
            machine.cmdline += &format!(" test={filter} spinel.test={filter}");
        }
        let name = if firmware == Firmware::Bios {
            "bios"
        } else {
            "uefi"
        };
        let shape = topology.map_or(String::new(), |(t, _)| format!(" ({t})"));
        let what = if conformance {
            ", kernel tests + conformance"
        } else {
            ""
        };
        Boot {
            label: format!("{name}, {cpus} CPU{shape}{what}"),
            machine,
            expect: Expect::Suite { conformance },
        }
    };
    let mut boots = vec![
        suite(Firmware::Bios, 1, None),
        suite(Firmware::Bios, 2, None),
        suite(Firmware::Bios, 4, None),
        suite(Firmware::Bios, 8, None),
        suite(Firmware::Bios, 6, Some((SPARSE_TOPOLOGY, SPARSE_APIC_IDS))),
        suite(Firmware::Uefi, 2, None),
    ];
    let mut older_cpu = suite(Firmware::Bios, 2, None);
    older_cpu.machine.cpu_model = Some(OLDER_CPU_MODEL.to_string());
    older_cpu.label += &format!(", {OLDER_CPU_MODEL} (no SMEP, no SMAP)");
    boots.push(older_cpu);
    boots.extend(crash_boots(options));
    if let Some(dir) = &options.bench_image_dir {
        let mut machine = Machine::new(dir, Firmware::Bios, 2);
        machine.cmdline = format!("bench.iterations={BENCH_SMOKE_ITERATIONS}");
        boots.push(Boot {
            label: "bench smoke run, 2 CPU".to_string(),
            machine,
            expect: Expect::BenchSmoke,
        });
    }
    boots
}

/// A CPU model without SMEP and SMAP, for one more boot of the in-kernel tests: the kernel's
/// paths for a CPU without them (user copies without `stac`/`clac`), which `max` never takes.
const OLDER_CPU_MODEL: &str = "qemu64";

/// The file of the deliberate crashes, where their panics are located.
const CRASH_FILE: &str = "kernel/src/testing/crash.rs";

/// The deliberate crashes (see `kernel/src/testing/crash.rs`) and what each report must show.
fn crash_boots(options: &Options) -> Vec<Boot> {
    let crash = |name: &'static str, cpus: usize, expect: CrashExpect| {
        let mut machine = Machine::new(&options.image_dir, Firmware::Bios, cpus);
        machine.cmdline = format!("crash={name}");
        Boot {
            label: format!("crash {name}"),
            machine,
            expect: Expect::Crash(expect),
        }
    };
    let exception = |text| CrashExpect {
        text,
        registers: true,
        panic_in: None,
        frames: true,
    };
    let panic = |text| CrashExpect {
        text,
        registers: false,
        panic_in: Some(CRASH_FILE),
        frames: true,
    };
    vec![
        crash(
            "invalid_opcode",
            1,
            exception(&["EXCEPTION on cpu0: invalid opcode (#UD, vector 6) in kernel mode"]),
        ),
        crash(
            "page_fault",
            1,
            exception(&[
                "EXCEPTION on cpu0: page fault (#PF, vector 14) in kernel mode",
                "CR2 0x00005a5a00000000",
            ]),
        ),
        crash(
            "panic",
            1,
            panic(&["KERNEL PANIC on cpu0: deliberate panic requested on the command line"]),
        ),
        // The panicking CPU faults while it prints its report: the run must fail at once, not
        // hang until the timeout. The report stops at the message, so it has no backtrace.
        crash(
            "fault_while_reporting",
            1,
            CrashExpect {
                text: &[
                    "KERNEL PANIC on cpu0: deliberate panic whose message faults: ",
                    "cpu0 failed again while reporting a crash; exiting at once",
                ],
                registers: false,
                panic_in: None,
                frames: false,
            },
        ),
        // The panicking task is placed on the last CPU but may be stolen by another idle one,
        // so the report names whichever CPU it ran on.
        crash(
            "panic_smp",
            4,
            panic(&["stopped 3 of 3 other CPUs", "while the others run"]),
        ),
    ]
}

/// Runs every boot; returns whether everything passed.
pub fn run(options: &Options) -> bool {
    let (mut passed, mut failed) = host_counts(options);
    let filtered = options.filter.is_some();
    for boot in boots(options) {
        let (p, f) = run_boot(&boot, options.kernel_elf.as_deref(), filtered);
        passed += p;
        failed += f;
    }
    if let Some(verdict) = profile_check(options) {
        passed += verdict.0;
        failed += verdict.1;
    }
    qemu::clean_up(&options.image_dir);
    println!("{passed} passed, {failed} failed");
    failed == 0
}

/// The case whose profile is checked: short, and the same every iteration.
const PROFILED_CASE: &str = "null_syscall";

/// `make profile` on [`PROFILED_CASE`]: a traced span must have exactly the instructions of
/// the measured median, so that the profiler keeps counting what the benchmark counts.
fn profile_check(options: &Options) -> Option<(usize, usize)> {
    let (images, (kernel, user)) = (
        options.bench_image_dir.as_ref()?,
        options.profile_elves.as_ref()?,
    );
    println!("== profile {PROFILED_CASE}");
    let mut profile =
        crate::profile::Options::new(images.clone(), kernel.clone(), user.clone(), PROFILED_CASE);
    // A null syscall's span is about a hundred instructions.
    profile.max_steps = 100_000;
    let verdict = crate::profile::trace_case(&profile).and_then(|traced| traced.verdict());
    Some(match verdict {
        Ok(instructions) => {
            println!("ok   a traced span of {instructions} instructions is the measured median");
            (1, 0)
        }
        Err(why) => {
            println!("FAIL {why}");
            (0, 1)
        }
    })
}

fn host_counts(options: &Options) -> (usize, usize) {
    options
        .host_steps
        .iter()
        .map(HostStep::judge)
        .fold((0, 0), |(p, f), (sp, sf)| (p + sp, f + sf))
}

/// Boots one configuration: (passed, failed).
fn run_boot(boot: &Boot, kernel: Option<&Path>, filtered: bool) -> (usize, usize) {
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
        Expect::Suite { conformance } => judge_suite(
            &report::parse_suite(&outcome.output),
            outcome.status,
            *conformance,
            filtered,
        ),
        Expect::Crash(expect) => judge_crash(&outcome.output, outcome.status, expect),
        Expect::BenchSmoke => judge_bench_smoke(&outcome.output, outcome.status),
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

/// Judges a suite boot: (passed, failed). Without a filter an empty suite fails (a kernel that
/// selects or reports no test proves nothing); with one, a boot may select no test of its kind.
fn judge_suite(
    report: &SuiteReport,
    status: Option<i32>,
    conformance: bool,
    filtered: bool,
) -> (usize, usize) {
    let (mut passed, mut failed) = judge_cases(&report.cases, "");
    failed += judge_kernel_counts(report, (passed, failed), filtered);
    if conformance {
        let (p, f) = judge_cases(&report.conformance, "conformance::");
        passed += p;
        failed += f;
        if report.conformance_totals != Some((p, f)) {
            println!(
                "FAIL the conformance suite did not close with \"{p} passed, {f} failed\" \
                 (it printed {:?})",
                report.conformance_totals
            );
            failed += 1;
        } else if p + f == 0 && !filtered {
            println!("FAIL the conformance suite ran no case");
            failed += 1;
        }
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

/// Checks the in-kernel suite's announced and closing counts against the cases it reported
/// (`counted`); returns the failures found. Cases announced but never reported fail one each.
fn judge_kernel_counts(report: &SuiteReport, counted: (usize, usize), filtered: bool) -> usize {
    let mut failed = 0;
    let reported = report.cases.len();
    if report.missing() > 0 {
        println!("FAIL {} announced tests never reported", report.missing());
        failed += report.missing();
    }
    match report.announced {
        None => {
            println!("FAIL the kernel never announced its tests (no \"test: begin N\")");
            failed += 1;
        }
        Some(announced) if reported > announced => {
            println!("FAIL {reported} tests reported but only {announced} announced");
            failed += 1;
        }
        Some(0) if !filtered => {
            println!("FAIL the kernel announced no test");
            failed += 1;
        }
        Some(_) => {}
    }
    if report.finished && report.totals != Some(counted) {
        println!(
            "FAIL the kernel's tests closed with {:?}, not the {} passed, {} failed reported",
            report.totals, counted.0, counted.1
        );
        failed += 1;
    }
    failed
}

/// Prints one line per case: (passed, failed).
fn judge_cases(cases: &[report::CaseResult], prefix: &str) -> (usize, usize) {
    let mut passed = 0;
    let mut failed = 0;
    for case in cases {
        match &case.failure {
            None => {
                passed += 1;
                println!("ok   {prefix}{}", case.name);
            }
            Some(reason) => {
                failed += 1;
                println!("FAIL {prefix}{}: {reason}", case.name);
            }
        }
    }
    (passed, failed)
}

fn judge_bench_smoke(output: &str, status: Option<i32>) -> (usize, usize) {
    let reported = |case: &str| {
        output
            .lines()
            .any(|line| line.starts_with(&format!("bench: {case} n=")))
    };
    // On two CPUs the benchmark image runs every case there is.
    let missing: Vec<_> = crate::bench::results::CASES
        .iter()
        .filter(|case| !reported(case))
        .collect();
    let done = output.lines().any(|line| line == "bench: done");
    if missing.is_empty() && done && status == Some(0) {
        println!(
            "ok   all {} benchmark cases ran",
            crate::bench::results::CASES.len()
        );
        (1, 0)
    } else {
        println!(
            "FAIL status {status:?}, `bench: done` seen: {done}; cases not reported: {missing:?}"
        );
        (0, 1)
    }
}

fn judge_crash(output: &str, status: Option<i32>, expect: &CrashExpect) -> (usize, usize) {
    let missing = crash_check::missing(output, expect);
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

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: Option<i32> = Some(0);

    fn judge(output: &str, filtered: bool) -> (usize, usize) {
        judge_suite(&report::parse_suite(output), CLEAN, false, filtered)
    }

    #[test]
    fn a_complete_suite_passes() {
        let out = "test: begin 2\ntest: a ... ok\ntest: b ... ok\ntest: end 2 passed, 0 failed\n";
        assert_eq!(judge(out, false), (2, 0));
    }

    #[test]
    fn an_empty_suite_fails() {
        let out = "test: begin 0\ntest: end 0 passed, 0 failed\n";
        assert_eq!(judge(out, false), (0, 1));
    }

    #[test]
    fn an_empty_suite_passes_when_a_filter_selected_nothing_here() {
        let out = "test: begin 0\ntest: end 0 passed, 0 failed\n";
        assert_eq!(judge(out, true), (0, 0));
    }

    #[test]
    fn a_suite_that_never_announced_fails() {
        let out = "test: a ... ok\ntest: end 1 passed, 0 failed\n";
        assert_eq!(judge(out, false), (1, 1));
    }

    #[test]
    fn fewer_reported_than_announced_fails_each_missing_case() {
        let out = "test: begin 3\ntest: a ... ok\ntest: end 1 passed, 0 failed\n";
        assert_eq!(judge(out, false), (1, 2));
    }

    #[test]
    fn more_reported_than_announced_fails() {
        let out = "test: begin 1\ntest: a ... ok\ntest: b ... ok\ntest: end 2 passed, 0 failed\n";
        assert_eq!(judge(out, false), (2, 1));
    }

    #[test]
    fn closing_counts_that_disagree_with_the_cases_fail() {
        let out = "test: begin 1\ntest: a ... ok\ntest: end 5 passed, 0 failed\n";
        assert_eq!(judge(out, false), (1, 1));
    }

    #[test]
    fn a_conformance_suite_without_cases_fails() {
        let out = "test: begin 1\ntest: a ... ok\ntest: end 1 passed, 0 failed\n\
                   conformance: 0 passed, 0 failed\n";
        let report = report::parse_suite(out);
        assert_eq!(judge_suite(&report, CLEAN, true, false), (1, 1));
        assert_eq!(judge_suite(&report, CLEAN, true, true), (1, 0));
    }

    #[test]
    fn a_suite_that_exits_with_failure_fails() {
        let out = "test: begin 1\ntest: a ... ok\ntest: end 1 passed, 0 failed\n";
        assert_eq!(
            judge_suite(&report::parse_suite(out), Some(3), false, false),
            (1, 1)
        );
    }
}
