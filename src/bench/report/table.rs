//! The terminal table: for each case, Spinel's and Linux's median, 99th percentile and minimum,
//! and the ratio of the medians.
//!
//! Invariant: every figure shown is one a guest reported, with thousands separated by commas;
//! a side that did not report a case shows "—" in all three of its columns.

use std::fmt::Write;

use super::{Row, rows};
use crate::bench::results::{CaseResult, Measure, RunResults};

/// What stands in for a figure a side did not report.
const MISSING: &str = "—";

/// Columns of one figure: room for 99,999,999 (a hundred million instructions).
const FIGURE_WIDTH: usize = 11;

/// Columns of one system's three figures and the spaces between them.
const SIDE_WIDTH: usize = 3 * FIGURE_WIDTH + 2;

/// Columns of the ratio.
const RATIO_WIDTH: usize = 8;

/// Marks a case whose figures are plain-TCG ticks rather than exact instructions.
const TICKS_MARK: &str = "*";

/// The table, ready to print, ending with a line per kind of measure used.
pub fn render_table(spinel: &RunResults, linux: &RunResults) -> String {
    let rows = rows(spinel, linux);
    let name_width = rows
        .iter()
        .map(|r| r.name.len() + TICKS_MARK.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = String::new();

    let _ = writeln!(
        out,
        "{:<name_width$}  {:^SIDE_WIDTH$}  {:^SIDE_WIDTH$}  {:>RATIO_WIDTH$}",
        "", spinel.system, linux.system, "ratio"
    );
    let _ = writeln!(
        out,
        "{:<name_width$}  {:>w$} {:>w$} {:>w$}  {:>w$} {:>w$} {:>w$}  {:>RATIO_WIDTH$}",
        "case",
        "median",
        "p99",
        "min",
        "median",
        "p99",
        "min",
        "L/S",
        w = FIGURE_WIDTH
    );
    for row in &rows {
        let _ = writeln!(out, "{}", table_line(row, name_width));
    }

    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Figures are guest instructions under -icount shift=0 (exact, 1 CPU)."
    );
    let ticks = rows
        .iter()
        .flat_map(|r| [r.spinel, r.linux])
        .flatten()
        .find_map(|c| match c.measure {
            Measure::PlainTcgTicks { runs } => Some(runs),
            Measure::Instructions => None,
        });
    if let Some(runs) = ticks {
        let _ = writeln!(
            out,
            "{TICKS_MARK} two CPUs under plain TCG: guest TSC ticks following the host clock, the \
             minimum of each figure over {runs} runs; not comparable with instructions."
        );
    }
    let _ = writeln!(
        out,
        "L/S: Linux median / {} median; above 1, {} ran fewer.",
        spinel.system, spinel.system
    );
    out
}

fn table_line(row: &Row, name_width: usize) -> String {
    let ticks = [row.spinel, row.linux]
        .iter()
        .flatten()
        .any(|c| matches!(c.measure, Measure::PlainTcgTicks { .. }));
    let name = if ticks {
        format!("{}{TICKS_MARK}", row.name)
    } else {
        row.name.to_string()
    };
    let ratio = row
        .ratio()
        .map_or(MISSING.to_string(), |r| format!("{r:.2}"));
    format!(
        "{name:<name_width$}  {}  {}  {:>RATIO_WIDTH$}",
        figures(row.spinel),
        figures(row.linux),
        ratio
    )
}

/// "median p99 min", each right-aligned in [`FIGURE_WIDTH`] columns.
fn figures(case: Option<&CaseResult>) -> String {
    match case {
        Some(c) => format!(
            "{:>w$} {:>w$} {:>w$}",
            thousands(c.median),
            thousands(c.p99),
            thousands(c.min),
            w = FIGURE_WIDTH
        ),
        None => format!(
            "{MISSING:>w$} {MISSING:>w$} {MISSING:>w$}",
            w = FIGURE_WIDTH
        ),
    }
}

/// 223556 as "223,556".
pub(crate) fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::report::tests::sample_runs;

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(329), "329");
        assert_eq!(thousands(3476), "3,476");
        assert_eq!(thousands(223556), "223,556");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn table_shows_both_sides_and_the_ratio() {
        let (spinel, linux) = sample_runs();
        let table = render_table(&spinel, &linux);
        let line = table
            .lines()
            .find(|l| l.starts_with("null_syscall "))
            .expect("a row");
        let words: Vec<_> = line.split_whitespace().collect();
        assert_eq!(
            words,
            [
                "null_syscall",
                "100",
                "150",
                "90",
                "329",
                "493",
                "297",
                "3.29"
            ]
        );
    }

    #[test]
    fn missing_sides_show_dashes() {
        let (spinel, linux) = sample_runs();
        let table = render_table(&spinel, &linux);
        let line = table
            .lines()
            .find(|l| l.starts_with("process_lifecycle"))
            .expect("a row");
        let words: Vec<_> = line.split_whitespace().collect();
        assert_eq!(
            words,
            [
                "process_lifecycle",
                "—",
                "—",
                "—",
                "223,556",
                "335,334",
                "201,201",
                "—"
            ]
        );
        let line = table
            .lines()
            .find(|l| l.starts_with("kernel_future_switch"))
            .expect("a row");
        assert!(line.trim_end().ends_with("—"));
    }

    #[test]
    fn plain_tcg_cases_are_marked_and_explained() {
        let (spinel, linux) = sample_runs();
        let table = render_table(&spinel, &linux);
        assert!(table.lines().any(|l| l.starts_with("ipi_wake*")));
        assert!(table.contains("minimum of each figure over 3 runs"));
    }
}
