//! The report of a benchmark run: a terminal table, `bench/results.json` and an SVG chart of
//! the Linux/Spinel ratios.
//!
//! All three are made from the same [`Row`]s: one per case, in [`CASES`] order followed by any
//! case only a guest knows, each holding whatever Spinel and Linux reported. The ratio is Linux's
//! median over Spinel's, so above 1 means Spinel ran the case in fewer instructions.
//!
//! Invariant: a ratio exists only when both sides reported the case in comparable measures
//! (both exact instructions, or both plain-TCG ticks) and Spinel's median is not zero; a case
//! missing on one side shows "—" in the table and `null` in the JSON, and stays out of the chart.

mod json;
mod svg;
mod table;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::error::{Context, Result};
use super::paths::BenchPaths;
use super::qemu::qemu_version;
use super::results::{CASES, CaseResult, RunResults};

pub use json::results_json;
pub use svg::ratio_chart_svg;
pub use table::render_table;

/// What the report says about the run beyond the figures themselves.
#[derive(Clone, Debug)]
pub struct ReportContext {
    /// `qemu-system-x86_64 --version`'s first line.
    pub qemu_version: String,
    /// When the report was made (the host's clock).
    pub generated: SystemTime,
    /// The repository root: QEMU arguments under it are written relative to it, so the JSON
    /// reads the same on every machine.
    pub repo_root: PathBuf,
}

impl ReportContext {
    /// The context of a report made now for the repository of `paths`, with the installed
    /// QEMU's version.
    pub fn now(paths: &BenchPaths) -> Result<Self> {
        Ok(Self {
            qemu_version: qemu_version()?,
            generated: SystemTime::now(),
            repo_root: paths.bench.parent().unwrap_or(Path::new("/")).to_path_buf(),
        })
    }
}

/// The files [`write_report`] wrote.
#[derive(Clone, Debug)]
pub struct ReportFiles {
    /// `bench/results.json`.
    pub json: PathBuf,
    /// `bench/ratios.svg`.
    pub chart: PathBuf,
}

/// Writes `bench/results.json` and `bench/ratios.svg`. The terminal table is
/// [`render_table`]'s, for the caller to print.
pub fn write_report(
    paths: &BenchPaths,
    spinel: &RunResults,
    linux: &RunResults,
    context: &ReportContext,
) -> Result<ReportFiles> {
    let files = ReportFiles {
        json: paths.results_json(),
        chart: paths.ratio_chart(),
    };
    let json = serde_json::to_string_pretty(&results_json(spinel, linux, context))
        .context(|| "formatting results.json".to_string())?;
    fs::write(&files.json, json + "\n").context(|| format!("writing {}", files.json.display()))?;
    fs::write(&files.chart, ratio_chart_svg(spinel, linux))
        .context(|| format!("writing {}", files.chart.display()))?;
    Ok(files)
}

/// One case of the report, as both systems reported it.
#[derive(Clone, Debug)]
pub struct Row<'a> {
    /// The case name.
    pub name: &'a str,
    /// Spinel's figures, if Spinel ran the case.
    pub spinel: Option<&'a CaseResult>,
    /// Linux's figures, if Linux ran the case.
    pub linux: Option<&'a CaseResult>,
}

impl Row<'_> {
    /// Linux's median over Spinel's, when the two may be compared.
    pub fn ratio(&self) -> Option<f64> {
        let (spinel, linux) = (self.spinel?, self.linux?);
        if !spinel.measure.comparable(linux.measure) || spinel.median == 0 {
            return None;
        }
        Some(linux.median as f64 / spinel.median as f64)
    }

    /// The figures of either side, to read the measure from.
    fn any(&self) -> &CaseResult {
        self.spinel
            .or(self.linux)
            .expect("a row has figures on at least one side")
    }
}

/// The rows of the report: every case of [`CASES`] that either side reported, in that order,
/// then cases only the guests know, in the order they printed them.
pub fn rows<'a>(spinel: &'a RunResults, linux: &'a RunResults) -> Vec<Row<'a>> {
    let mut names: Vec<&str> = CASES.to_vec();
    for case in spinel.cases.iter().chain(&linux.cases) {
        if !names.contains(&case.name.as_str()) {
            names.push(&case.name);
        }
    }
    names
        .into_iter()
        .map(|name| Row {
            name,
            spinel: spinel.case(name),
            linux: linux.case(name),
        })
        .filter(|row| row.spinel.is_some() || row.linux.is_some())
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::bench::results::Measure;

    pub(crate) fn case(name: &str, median: u64, measure: Measure) -> CaseResult {
        CaseResult {
            name: name.to_string(),
            iterations: 1000,
            min: median - median / 10,
            median,
            p99: median + median / 2,
            measure,
        }
    }

    /// Spinel reports two cases; Linux reports one of them, a Linux-only one, and a plain-TCG
    /// cross-CPU case that Spinel reports in instructions.
    pub(crate) fn sample_runs() -> (RunResults, RunResults) {
        let ticks = Measure::PlainTcgTicks { runs: 3 };
        let mut spinel = RunResults::new("Spinel");
        spinel.kernel = Some("spinel 0.1.0".into());
        spinel
            .cases
            .push(case("null_syscall", 100, Measure::Instructions));
        spinel
            .cases
            .push(case("kernel_future_switch", 50, Measure::Instructions));
        spinel
            .cases
            .push(case("ipi_wake", 1000, Measure::Instructions));
        let mut linux = RunResults::new("Linux");
        linux.kernel = Some("6.1.0-57-amd64".into());
        linux.cases.push(case("ipi_wake", 30000, ticks));
        linux
            .cases
            .push(case("process_lifecycle", 223556, Measure::Instructions));
        linux
            .cases
            .push(case("null_syscall", 329, Measure::Instructions));
        (spinel, linux)
    }

    #[test]
    fn rows_follow_the_case_list_and_skip_cases_nobody_ran() {
        let (spinel, linux) = sample_runs();
        let names: Vec<_> = rows(&spinel, &linux).iter().map(|r| r.name).collect();
        assert_eq!(
            names,
            [
                "null_syscall",
                "process_lifecycle",
                "kernel_future_switch",
                "ipi_wake"
            ]
        );
    }

    #[test]
    fn cases_unknown_to_the_list_come_last() {
        let (mut spinel, linux) = sample_runs();
        spinel
            .cases
            .insert(0, case("brand_new_case", 10, Measure::Instructions));
        let names: Vec<_> = rows(&spinel, &linux).iter().map(|r| r.name).collect();
        assert_eq!(names.last(), Some(&"brand_new_case"));
    }

    #[test]
    fn ratio_is_linux_median_over_spinel_median_when_comparable() {
        let (spinel, linux) = sample_runs();
        let rows = rows(&spinel, &linux);
        let ratio = |name: &str| rows.iter().find(|r| r.name == name).and_then(Row::ratio);
        assert_eq!(ratio("null_syscall"), Some(3.29));
        assert_eq!(ratio("process_lifecycle"), None, "Spinel missing");
        assert_eq!(ratio("kernel_future_switch"), None, "Linux missing");
        assert_eq!(ratio("ipi_wake"), None, "instructions against ticks");
    }
}
