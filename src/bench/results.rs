//! The figures a benchmark guest reports, and the parser of its serial console.
//!
//! Both guests, Spinel and Linux, print the same lines on their serial console:
//!
//! ```text
//! bench: kernel <release>          (optional: what the guest's kernel calls itself)
//! bench: running <case>            (optional: progress, before each case)
//! bench: <case> n=<iterations> min=<u64> median=<u64> p99=<u64>
//! bench: done
//! ```
//!
//! The median and the 99th percentile are taken by nearest rank over the sorted samples of the
//! measured iterations (warm-up excluded). Lines that do not start with `bench: ` belong to the
//! guest's kernel or shell and are ignored; a `bench: ` line that cannot be read is an error, so
//! a garbled figure never passes for a real one.
//!
//! Invariant: every [`CaseResult`] has `min <= median <= p99` and at least one iteration.

/// Every case, in the order the report lists them (issue 6's list, cross-CPU cases last).
pub const CASES: [&str; 14] = [
    "null_syscall",
    "event_switch_threads",
    "event_switch_processes",
    "object_wait_latency",
    "channel_roundtrip_64",
    "port_queue_wait",
    "thread_lifecycle",
    "process_lifecycle",
    "vmo_first_touch",
    "job_kill_10",
    "kernel_future_switch",
    "kernel_wake_same_cpu",
    "ipi_wake",
    "pingpong_cross_cpu",
];

/// The marker every benchmark line starts with.
const PREFIX: &str = "bench: ";

/// What a figure counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Guest instructions, exact, under `-icount shift=0` (the guest TSC counts instructions).
    Instructions,
    /// Guest TSC ticks under plain TCG, where the TSC follows the host's clock: the minimum of
    /// each figure over `runs` boots. Only comparable with figures of the same measure.
    PlainTcgTicks {
        /// How many boots the minimum was taken over.
        runs: u32,
    },
}

impl Measure {
    /// A short label for tables and the chart.
    pub fn label(self) -> String {
        match self {
            Measure::Instructions => "guest instructions".to_string(),
            Measure::PlainTcgTicks { runs } => format!("TSC ticks, plain TCG, min of {runs} runs"),
        }
    }

    /// Whether figures of `self` and `other` may be divided by one another.
    pub fn comparable(self, other: Measure) -> bool {
        matches!(
            (self, other),
            (Measure::Instructions, Measure::Instructions)
                | (Measure::PlainTcgTicks { .. }, Measure::PlainTcgTicks { .. })
        )
    }
}

/// The figures of one case, as one guest reported them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    /// The shared case name, e.g. `null_syscall`.
    pub name: String,
    /// Measured iterations (warm-up excluded).
    pub iterations: u64,
    /// The smallest sample.
    pub min: u64,
    /// The sample of nearest rank 50%.
    pub median: u64,
    /// The sample of nearest rank 99%.
    pub p99: u64,
    /// What the samples count.
    pub measure: Measure,
}

/// Everything one system's benchmark run produced.
#[derive(Clone, Debug, PartialEq)]
pub struct RunResults {
    /// The system measured: "Spinel" or "Linux".
    pub system: String,
    /// The kernel release the guest printed (`uname -r` on Linux), if it printed one.
    pub kernel: Option<String>,
    /// The figures, in the order the guest printed them.
    pub cases: Vec<CaseResult>,
    /// Every QEMU boot that produced these figures.
    pub boots: Vec<crate::bench::qemu::BootRecord>,
    /// Where the guest's parts came from, e.g. ("linux-image", "linux-image-6.1.0-57-amd64
    /// 6.1.192-3"), for the JSON report.
    pub provenance: Vec<(String, String)>,
}

impl RunResults {
    /// An empty set of results for `system`.
    pub fn new(system: &str) -> Self {
        Self {
            system: system.to_string(),
            kernel: None,
            cases: Vec::new(),
            boots: Vec::new(),
            provenance: Vec::new(),
        }
    }

    /// The figures of the case named `name`, if the guest reported it.
    pub fn case(&self, name: &str) -> Option<&CaseResult> {
        self.cases.iter().find(|c| c.name == name)
    }

    /// Adds the cases, boots and provenance of `other`; a case of `other` replaces one of the
    /// same name.
    pub fn merge(&mut self, other: RunResults) {
        for case in other.cases {
            match self.cases.iter_mut().find(|c| c.name == case.name) {
                Some(existing) => *existing = case,
                None => self.cases.push(case),
            }
        }
        self.kernel = self.kernel.take().or(other.kernel);
        self.boots.extend(other.boots);
        self.provenance.extend(other.provenance);
    }
}

/// Combines several runs of the same guest by keeping, for each case and each figure, the
/// smallest value seen: the figure least disturbed by the host. Used for plain-TCG runs.
pub fn minimum_of_runs(system: &str, runs: Vec<RunResults>) -> RunResults {
    let mut combined = RunResults::new(system);
    for run in runs {
        for case in &run.cases {
            match combined.cases.iter_mut().find(|c| c.name == case.name) {
                Some(best) => {
                    best.min = best.min.min(case.min);
                    best.median = best.median.min(case.median);
                    best.p99 = best.p99.min(case.p99);
                    best.iterations = best.iterations.min(case.iterations);
                    if let Measure::PlainTcgTicks { runs } = &mut best.measure {
                        *runs += 1;
                    }
                }
                None => combined.cases.push(CaseResult {
                    measure: Measure::PlainTcgTicks { runs: 1 },
                    ..case.clone()
                }),
            }
        }
        combined.kernel = combined.kernel.take().or(run.kernel);
        combined.boots.extend(run.boots);
        combined.provenance.extend(run.provenance);
    }
    combined
}

/// One line of a guest's serial console, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SerialLine {
    /// `bench: running <case>`: the guest is starting this case.
    Running(String),
    /// `bench: <case> n=.. min=.. median=.. p99=..`: the case's figures.
    Case(CaseResult),
    /// `bench: kernel <release>`.
    Kernel(String),
    /// `bench: done`: every case has been reported.
    Done,
    /// Any line that is not the benchmark's (kernel log, shell, the guest's own notes).
    Other(String),
}

/// Reads one serial line. Figures are tagged with `measure`, which the boot determines.
/// Fails on a `bench: ` line that is not one of the forms above.
pub fn parse_line(line: &str, measure: Measure) -> Result<SerialLine, String> {
    let line = line.trim_end_matches(['\r', '\n']);
    let Some(rest) = without_terminal_controls(line)
        .trim_start()
        .strip_prefix(PREFIX)
    else {
        return Ok(SerialLine::Other(line.to_string()));
    };

    let mut words = rest.split_whitespace();
    let first = words
        .next()
        .ok_or_else(|| format!("empty benchmark line {line:?}"))?;
    match first {
        "done" if words.next().is_none() => Ok(SerialLine::Done),
        "running" => match (words.next(), words.next()) {
            (Some(case), None) if is_case_name(case) => Ok(SerialLine::Running(case.to_string())),
            _ => Err(format!("bad progress line {line:?}")),
        },
        "kernel" => {
            let release = rest["kernel".len()..].trim();
            if release.is_empty() {
                return Err(format!("kernel line without a release {line:?}"));
            }
            Ok(SerialLine::Kernel(release.to_string()))
        }
        name if is_case_name(name) => parse_figures(name, words, measure)
            .map(SerialLine::Case)
            .map_err(|why| format!("{why} in {line:?}")),
        _ => Err(format!("unknown benchmark line {line:?}")),
    }
}

/// `line` without the terminal control sequences at its start (`ESC [ … letter` and two-byte
/// `ESC x`), which firmware and consoles emit to clear the screen.
fn without_terminal_controls(mut line: &str) -> &str {
    while let Some(rest) = line.strip_prefix('\u{1b}') {
        line = match rest.strip_prefix('[') {
            Some(csi) => match csi.find(|c: char| ('@'..='~').contains(&c)) {
                Some(end) => &csi[end + 1..],
                None => "",
            },
            None => rest.get(1..).unwrap_or(""),
        };
    }
    line
}

/// Case names are snake_case: lowercase ASCII letters, digits and underscores.
fn is_case_name(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Reads `n=.. min=.. median=.. p99=..` (in any order; other `key=value` fields are ignored so
/// a guest may add some) and checks the invariant of [`CaseResult`].
fn parse_figures<'a>(
    name: &str,
    fields: impl Iterator<Item = &'a str>,
    measure: Measure,
) -> Result<CaseResult, String> {
    let (mut n, mut min, mut median, mut p99) = (None, None, None, None);
    for field in fields {
        let (key, value) = field
            .split_once('=')
            .ok_or_else(|| format!("field {field:?}"))?;
        let slot = match key {
            "n" => &mut n,
            "min" => &mut min,
            "median" => &mut median,
            "p99" => &mut p99,
            _ => continue,
        };
        let value = value
            .parse::<u64>()
            .map_err(|_| format!("value of {key:?}"))?;
        if slot.replace(value).is_some() {
            return Err(format!("{key:?} given twice"));
        }
    }

    let missing = |key: &str| format!("missing {key:?}");
    let case = CaseResult {
        name: name.to_string(),
        iterations: n.ok_or_else(|| missing("n"))?,
        min: min.ok_or_else(|| missing("min"))?,
        median: median.ok_or_else(|| missing("median"))?,
        p99: p99.ok_or_else(|| missing("p99"))?,
        measure,
    };
    if case.iterations == 0 || case.min > case.median || case.median > case.p99 {
        return Err("figures out of order (need n > 0 and min <= median <= p99)".to_string());
    }
    Ok(case)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<SerialLine, String> {
        parse_line(line, Measure::Instructions)
    }

    fn case(name: &str, min: u64, median: u64, p99: u64, measure: Measure) -> CaseResult {
        CaseResult {
            name: name.to_string(),
            iterations: 1000,
            min,
            median,
            p99,
            measure,
        }
    }

    #[test]
    fn result_line_gives_every_figure() {
        let line = "bench: null_syscall n=1000 min=320 median=329 p99=402\r\n";
        assert_eq!(
            parse(line),
            Ok(SerialLine::Case(case(
                "null_syscall",
                320,
                329,
                402,
                Measure::Instructions
            )))
        );
    }

    #[test]
    fn fields_may_come_in_any_order_and_extra_fields_are_ignored() {
        let line = "bench: ipi_wake p99=9 median=8 cpu=1 min=7 n=1000";
        let ticks = Measure::PlainTcgTicks { runs: 1 };
        assert_eq!(
            parse_line(line, ticks),
            Ok(SerialLine::Case(case("ipi_wake", 7, 8, 9, ticks)))
        );
    }

    #[test]
    fn progress_kernel_and_done_lines_are_recognised() {
        assert_eq!(
            parse("bench: running job_kill_10"),
            Ok(SerialLine::Running("job_kill_10".into()))
        );
        assert_eq!(
            parse("bench: kernel 6.1.0-57-amd64"),
            Ok(SerialLine::Kernel("6.1.0-57-amd64".into()))
        );
        assert_eq!(parse("bench: done\r"), Ok(SerialLine::Done));
    }

    #[test]
    fn lines_of_the_guest_kernel_are_other() {
        let line = "[    0.000000] Linux version 6.1.0-57-amd64";
        assert_eq!(parse(line), Ok(SerialLine::Other(line.to_string())));
        assert_eq!(
            parse("benchmark: not ours"),
            Ok(SerialLine::Other("benchmark: not ours".into()))
        );
    }

    #[test]
    fn terminal_controls_before_a_line_are_skipped() {
        let line = "\u{1b}c\u{1b}[?7l\u{1b}[2Jbench: kernel 6.1.0-57-amd64";
        assert_eq!(parse(line), Ok(SerialLine::Kernel("6.1.0-57-amd64".into())));
    }

    #[test]
    fn a_missing_figure_is_an_error() {
        assert!(parse("bench: null_syscall n=1000 min=1 median=2").is_err());
    }

    #[test]
    fn a_figure_that_is_not_a_number_is_an_error() {
        assert!(parse("bench: null_syscall n=1000 min=1 median=two p99=3").is_err());
        assert!(parse("bench: null_syscall n=1000 min=-1 median=2 p99=3").is_err());
    }

    #[test]
    fn figures_out_of_order_are_an_error() {
        assert!(parse("bench: null_syscall n=1000 min=5 median=4 p99=6").is_err());
        assert!(parse("bench: null_syscall n=1000 min=1 median=4 p99=3").is_err());
        assert!(parse("bench: null_syscall n=0 min=1 median=1 p99=1").is_err());
    }

    #[test]
    fn a_repeated_figure_is_an_error() {
        assert!(parse("bench: null_syscall n=1 min=1 min=1 median=1 p99=1").is_err());
    }

    #[test]
    fn malformed_benchmark_lines_are_errors() {
        assert!(parse("bench: ").is_err());
        assert!(parse("bench: running").is_err());
        assert!(parse("bench: running two cases").is_err());
        assert!(parse("bench: kernel").is_err());
        assert!(parse("bench: Null-Syscall n=1 min=1 median=1 p99=1").is_err());
        assert!(parse("bench: null_syscall 1000 1 1 1").is_err());
    }

    #[test]
    fn merge_adds_new_cases_and_replaces_same_names() {
        let mut linux = RunResults::new("Linux");
        linux
            .cases
            .push(case("null_syscall", 1, 2, 3, Measure::Instructions));
        let mut cross = RunResults::new("Linux");
        cross.kernel = Some("6.1".into());
        cross
            .cases
            .push(case("null_syscall", 4, 5, 6, Measure::Instructions));
        cross.cases.push(case(
            "ipi_wake",
            7,
            8,
            9,
            Measure::PlainTcgTicks { runs: 3 },
        ));

        linux.merge(cross);
        assert_eq!(linux.case("null_syscall").map(|c| c.median), Some(5));
        assert_eq!(linux.case("ipi_wake").map(|c| c.median), Some(8));
        assert_eq!(linux.kernel.as_deref(), Some("6.1"));
        assert_eq!(linux.cases.len(), 2);
    }

    #[test]
    fn minimum_of_runs_keeps_each_smallest_figure_and_counts_runs() {
        let ticks = Measure::PlainTcgTicks { runs: 1 };
        let mut first = RunResults::new("Linux");
        first.cases.push(case("ipi_wake", 10, 50, 90, ticks));
        let mut second = RunResults::new("Linux");
        second.cases.push(case("ipi_wake", 12, 40, 95, ticks));
        second
            .cases
            .push(case("pingpong_cross_cpu", 1, 2, 3, ticks));

        let combined = minimum_of_runs("Linux", vec![first, second]);
        assert_eq!(
            combined.case("ipi_wake"),
            Some(&case(
                "ipi_wake",
                10,
                40,
                90,
                Measure::PlainTcgTicks { runs: 2 }
            ))
        );
        assert_eq!(
            combined.case("pingpong_cross_cpu").map(|c| c.measure),
            Some(Measure::PlainTcgTicks { runs: 1 })
        );
    }

    #[test]
    fn only_figures_of_the_same_measure_are_comparable() {
        let ticks = Measure::PlainTcgTicks { runs: 5 };
        assert!(Measure::Instructions.comparable(Measure::Instructions));
        assert!(ticks.comparable(Measure::PlainTcgTicks { runs: 1 }));
        assert!(!Measure::Instructions.comparable(ticks));
    }
}
