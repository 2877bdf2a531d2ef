//! Parsing what the guest and `cargo test` print.
//!
//! The kernel's test harness prints one line per case between a `begin` and an `end` line (see
//! `kernel/src/testing/mod.rs`); `cargo test` prints one `test result:` line per test binary.

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
        let Some(rest) = line.strip_prefix("test: ") else {
            continue;
        };
        if let Some(count) = rest.strip_prefix("begin ") {
            report.announced = count.trim().parse().ok();
        } else if rest.starts_with("end ") {
            report.finished = true;
        } else if let Some((name, verdict)) = rest.split_once(" ... ") {
            let failure = match verdict {
                "ok" => None,
                other => Some(other.strip_prefix("FAILED: ").unwrap_or(other).to_string()),
            };
            report.cases.push(CaseResult {
                name: name.to_string(),
                failure,
            });
        }
    }
    report
}

/// Sums the `test result:` lines of `cargo test` output: (passed, failed).
pub fn parse_cargo_test(output: &str) -> (usize, usize) {
    let count = |line: &str, word: &str| -> usize {
        line.split(';')
            .find_map(|part| part.trim().strip_suffix(word))
            .and_then(|n| n.trim().rsplit(' ').next()?.parse().ok())
            .unwrap_or(0)
    };
    output
        .lines()
        .filter(|line| line.starts_with("test result:"))
        .fold((0, 0), |(p, f), line| {
            (p + count(line, "passed"), f + count(line, "failed"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_complete_suite() {
        let out = "noise\ntest: begin 2\ntest: a::b ... ok\ntest: a::c ... FAILED: x != y (f.rs:1)\n\
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
    }

    #[test]
    fn a_dead_boot_leaves_cases_missing() {
        let report = parse_suite("test: begin 3\ntest: a ... ok\nKERNEL PANIC on cpu0: boom\n");
        assert!(!report.finished);
        assert_eq!(report.missing(), 2);
    }

    #[test]
    fn sums_cargo_test_results() {
        let out = "test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured\n\
                   test result: FAILED. 3 passed; 2 failed; 1 ignored; 0 measured\n";
        assert_eq!(parse_cargo_test(out), (15, 2));
    }
}
