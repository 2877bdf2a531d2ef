//! Parsing what the guest and `cargo test` print.
//!
//! The kernel's test harness prints one line per case between a `begin` and an `end` line (see
//! `kernel/src/testing/mod.rs`); the user-space conformance suite run by `init` prints one
//! `conformance: <case> ... ok|FAILED: <reason>` line per case and a closing
//! `conformance: N passed, M failed`; `cargo test` prints one `test result:` line per test binary.

/// One test case as the guest reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    pub name: String,
    /// `None` when it passed, otherwise why it failed.
    pub failure: Option<String>,
}

/// Everything a test boot reported.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuiteReport {
    /// The count announced by `test: begin`.
    pub announced: Option<usize>,
    pub cases: Vec<CaseResult>,
    /// Whether `test: end` was printed (the run finished).
    pub finished: bool,
    /// The counts of the `test: end N passed, M failed` line, parsed.
    pub totals: Option<(usize, usize)>,
    /// The user-space conformance cases, in the order they ran.
    pub conformance: Vec<CaseResult>,
    /// The closing `conformance: N passed, M failed` line, parsed.
    pub conformance_totals: Option<(usize, usize)>,
}

impl SuiteReport {
    /// Cases announced but never reported (the boot died or hung before them).
    pub fn missing(&self) -> usize {
        self.announced.unwrap_or(0).saturating_sub(self.cases.len())
    }
}

/// Parses the lines of a test boot's serial output.
pub fn parse_suite(output: &str) -> SuiteReport {
    let mut report = SuiteReport::default();
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("conformance: ") {
            parse_conformance_line(rest, &mut report);
            continue;
        }
        let Some(rest) = line.strip_prefix("test: ") else {
            continue;
        };
        if let Some(count) = rest.strip_prefix("begin ") {
            report.announced = count.trim().parse().ok();
        } else if let Some(counts) = rest.strip_prefix("end ") {
            report.finished = true;
            report.totals = parse_totals(counts);
        } else if let Some((name, verdict)) = rest.split_once(" ... ") {
            report.cases.push(case_result(name, verdict));
        }
    }
    report
}

fn parse_conformance_line(rest: &str, report: &mut SuiteReport) {
    if let Some((name, verdict)) = rest.split_once(" ... ") {
        report.conformance.push(case_result(name, verdict));
        return;
    }
    if let Some(totals) = parse_totals(rest) {
        report.conformance_totals = Some(totals);
    }
}

/// Parses `N passed, M failed`.
fn parse_totals(text: &str) -> Option<(usize, usize)> {
    let counts: Vec<usize> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|word| word.parse().ok())
        .collect();
    match counts[..] {
        [passed, failed] if text.ends_with(" failed") => Some((passed, failed)),
        _ => None,
    }
}

fn case_result(name: &str, verdict: &str) -> CaseResult {
    let failure = match verdict {
        "ok" => None,
        other => Some(other.strip_prefix("FAILED: ").unwrap_or(other).to_string()),
    };
    CaseResult {
        name: name.to_string(),
        failure,
    }
}

/// What the output of one or more `cargo test` runs adds up to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CargoTotals {
    /// The sums of the `test result:` lines.
    pub passed: usize,
    pub failed: usize,
    /// `test result: FAILED` lines: test binaries that ran to their end with failing tests.
    pub failed_result_lines: usize,
    /// `error: test failed` lines: test binaries that failed, whether by failing tests or by
    /// crashing before their `test result:` line.
    pub failed_targets: usize,
}

/// Cargo's line for a test binary that did not succeed.
const CARGO_TARGET_FAILED: &str = "error: test failed";

/// Sums the `test result:` lines of `cargo test` output and counts the failed test binaries.
pub fn parse_cargo_test(output: &str) -> CargoTotals {
    let count = |line: &str, word: &str| -> usize {
        line.split(';')
            .find_map(|part| part.trim().strip_suffix(word))
            .and_then(|n| n.trim().rsplit(' ').next()?.parse().ok())
            .unwrap_or(0)
    };
    let mut totals = CargoTotals::default();
    for line in output.lines() {
        if line.starts_with(CARGO_TARGET_FAILED) {
            totals.failed_targets += 1;
        }
        if !line.starts_with("test result:") {
            continue;
        }
        totals.passed += count(line, "passed");
        totals.failed += count(line, "failed");
        if line.starts_with("test result: FAILED") {
            totals.failed_result_lines += 1;
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_complete_suite() {
        let out = "noise\ntest: begin 2\ntest: a::b ... ok\n\
                   test: a::c ... FAILED: x != y (f.rs:1)\n\
                   test: end 1 passed, 1 failed\n";
        let report = parse_suite(out);
        assert_eq!(report.announced, Some(2));
        assert!(report.finished);
        assert_eq!(
            report.cases[0],
            CaseResult {
                name: "a::b".into(),
                failure: None
            }
        );
        assert_eq!(report.cases[1].failure.as_deref(), Some("x != y (f.rs:1)"));
        assert_eq!(report.missing(), 0);
        assert_eq!(report.totals, Some((1, 1)));
    }

    #[test]
    fn a_dead_boot_leaves_cases_missing() {
        let report = parse_suite("test: begin 3\ntest: a ... ok\nKERNEL PANIC on cpu0: boom\n");
        assert!(!report.finished);
        assert_eq!(report.missing(), 2);
    }

    #[test]
    fn parses_conformance_lines_after_the_kernel_tests() {
        let out = "test: begin 1\ntest: a ... ok\ntest: end 1 passed, 0 failed\n\
                   conformance: process_start_twice_is_bad_state ... ok\n\
                   conformance: vmar_x ... FAILED: expected A, got B\n\
                   conformance: 1 passed, 1 failed\n";
        let report = parse_suite(out);
        assert_eq!(report.cases.len(), 1);
        assert_eq!(report.conformance.len(), 2);
        assert_eq!(
            report.conformance[1].failure.as_deref(),
            Some("expected A, got B")
        );
        assert_eq!(report.conformance_totals, Some((1, 1)));
    }

    #[test]
    fn sums_cargo_test_results() {
        let out = "test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured\n\
                   test result: FAILED. 3 passed; 2 failed; 1 ignored; 0 measured\n";
        let totals = parse_cargo_test(out);
        assert_eq!((totals.passed, totals.failed), (15, 2));
        assert_eq!(totals.failed_result_lines, 1);
    }
}
