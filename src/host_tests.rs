//! The host half of `make test`: what each `cargo test` step of the Makefile left behind.
//!
//! The Makefile runs each host step (the host-testable crates, the user library, the runner,
//! the executor's loom models) with its output in a log of its own and hands the runner the
//! step's exit status with `--host-step NAME:STATUS:LOG`. A step's tests count as the
//! `test result:` lines of its log say; a step that failed without a failing test to show for
//! it (a compile error, a test binary that crashed or was killed, a log that cannot be read)
//! counts one failure more, so the closing totals never say 0 failed while a host step failed.

use crate::report::{self, CargoTotals};
use std::path::PathBuf;

/// One host step: its name, how it exited and where its output went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostStep {
    pub name: String,
    /// The step's exit status (0 when it succeeded).
    pub status: i32,
    pub log: PathBuf,
}

impl HostStep {
    /// Parses `NAME:STATUS:LOG`.
    pub fn parse(text: &str) -> Result<HostStep, String> {
        let bad = || format!("--host-step {text:?}: expected NAME:STATUS:LOG");
        let mut parts = text.splitn(3, ':');
        let (Some(name), Some(status), Some(log)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let status = status.trim().parse().map_err(|_| bad())?;
        if name.is_empty() || log.is_empty() {
            return Err(bad());
        }
        Ok(HostStep {
            name: name.to_string(),
            status,
            log: PathBuf::from(log),
        })
    }

    /// Reads the step's log and counts it: (passed, failed). Prints the log when it failed.
    pub fn judge(&self) -> (usize, usize) {
        let log = match std::fs::read_to_string(&self.log) {
            Ok(log) => log,
            Err(error) => {
                println!(
                    "FAIL host step {}: cannot read {}: {error}",
                    self.name,
                    self.log.display()
                );
                return (0, 1);
            }
        };
        let (passed, failed) = count(&report::parse_cargo_test(&log), self.status);
        if failed > 0 {
            println!(
                "---- output of host step '{}' (status {}):",
                self.name, self.status
            );
            println!("{log}");
            println!("----");
        }
        println!("host step {}: {passed} passed, {failed} failed", self.name);
        (passed, failed)
    }
}

/// A step's (passed, failed) from its parsed log and exit status: every failed test, one more
/// for each test binary that failed without a `test result: FAILED` line (it crashed), and one
/// for a failed step that shows no failure at all (it did not compile, or cargo itself failed).
fn count(totals: &CargoTotals, status: i32) -> (usize, usize) {
    let crashed = totals
        .failed_targets
        .saturating_sub(totals.failed_result_lines);
    let mut failed = totals.failed + crashed;
    if status != 0 && failed == 0 {
        println!("FAIL a host step exited with status {status} without a failing test");
        failed = 1;
    }
    (totals.passed, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_step_argument() {
        let step = HostStep::parse("loom:101:/tmp/a:b.log").unwrap();
        assert_eq!(step.name, "loom");
        assert_eq!(step.status, 101);
        assert_eq!(step.log, PathBuf::from("/tmp/a:b.log"));
        assert!(HostStep::parse("loom:x:/tmp/log").is_err());
        assert!(HostStep::parse("loom:0").is_err());
    }

    #[test]
    fn a_step_that_does_not_compile_counts_one_failure() {
        let log = "error[E0425]: cannot find value `x` in this scope\n\
                   error: could not compile `objects` (lib test) due to 1 previous error\n";
        assert_eq!(count(&report::parse_cargo_test(log), 101), (0, 1));
    }

    #[test]
    fn a_crashed_test_binary_counts_as_a_failure() {
        let log = "test result: ok. 4 passed; 0 failed; 0 ignored; 0 measured\n\
                   running 2 tests\n\
                   error: test failed, to rerun pass `-p executor --lib`\n\
                   Caused by:\n  process didn't exit successfully (signal: 6, SIGABRT)\n";
        assert_eq!(count(&report::parse_cargo_test(log), 101), (4, 1));
    }

    #[test]
    fn a_crash_beside_failing_tests_is_counted_too() {
        let log = "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured\n\
                   error: test failed, to rerun pass `--test a`\n\
                   error: test failed, to rerun pass `--test b`\n\
                   error: 2 targets failed:\n";
        assert_eq!(count(&report::parse_cargo_test(log), 101), (1, 3));
    }

    #[test]
    fn a_failing_test_is_counted_once() {
        let log = "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured\n\
                   error: test failed, to rerun pass `-p objects --lib`\n";
        assert_eq!(count(&report::parse_cargo_test(log), 101), (3, 1));
    }

    #[test]
    fn a_clean_step_counts_its_tests() {
        let log = "test result: ok. 7 passed; 0 failed; 0 ignored; 0 measured\n";
        assert_eq!(count(&report::parse_cargo_test(log), 0), (7, 0));
    }
}
