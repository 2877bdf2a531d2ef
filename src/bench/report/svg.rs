//! The SVG chart: one horizontal bar per case that both systems reported comparably, its length
//! the ratio Linux/Spinel of the medians on a logarithmic axis centred on 1.
//!
//! Hand-written SVG text: a few rectangles, lines and labels need no plotting library. A bar
//! right of the 1× line (green) is a case where Spinel ran fewer instructions; one left of it
//! (red), a case where Linux did.
//!
//! Invariant: the chart shows exactly the rows that have a ratio, in report order, and every bar
//! is labelled with its ratio.

use std::fmt::Write;

use super::rows;
use crate::bench::results::{Measure, RunResults};

/// Layout, in SVG user units (pixels).
const WIDTH: f64 = 760.0;
const LABEL_WIDTH: f64 = 210.0;
const RIGHT_MARGIN: f64 = 70.0;
const TOP: f64 = 58.0;
const ROW_HEIGHT: f64 = 26.0;
const BAR_HEIGHT: f64 = 16.0;
const BOTTOM: f64 = 46.0;

/// Colours of bars where Spinel (ratio above 1) or Linux (below 1) ran fewer instructions.
const SPINEL_FEWER: &str = "#2e8b57";
const LINUX_FEWER: &str = "#c0392b";

/// The chart as SVG text.
pub fn ratio_chart_svg(spinel: &RunResults, linux: &RunResults) -> String {
    let bars: Vec<(String, f64)> = rows(spinel, linux)
        .iter()
        .filter_map(|row| {
            let ratio = row.ratio()?;
            let ticks = matches!(row.any().measure, Measure::PlainTcgTicks { .. });
            let label = if ticks {
                format!("{} (plain TCG)", row.name)
            } else {
                row.name.to_string()
            };
            Some((label, ratio))
        })
        .collect();
    let axis = LogAxis::covering(bars.iter().map(|(_, r)| *r));
    let height = TOP + ROW_HEIGHT * bars.len().max(1) as f64 + BOTTOM;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" "#,
            r#"viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">"#
        ),
        WIDTH = WIDTH,
        height = height,
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        concat!(
            r#"<text x="10" y="22" font-size="15" font-weight="bold">"#,
            "{} median / {} median (log scale; right of 1×: {} ran fewer)</text>"
        ),
        escape(&linux.system),
        escape(&spinel.system),
        escape(&spinel.system)
    );
    let _ = writeln!(
        svg,
        concat!(
            r##"<text x="10" y="40" fill="#555">Guest instructions under QEMU -icount "##,
            "shift=0, 1 CPU; cases marked plain TCG compare TSC ticks.</text>"
        )
    );

    draw_axis(&mut svg, &axis, height);
    if bars.is_empty() {
        let _ = writeln!(
            svg,
            r#"<text x="{LABEL_WIDTH}" y="{}">no case has figures from both systems</text>"#,
            TOP + 17.0
        );
    }
    for (i, (label, ratio)) in bars.iter().enumerate() {
        draw_bar(&mut svg, &axis, i, label, *ratio);
    }
    svg.push_str("</svg>\n");
    svg
}

/// A base-10 logarithmic axis from `10^low` to `10^high`, always containing 1.
struct LogAxis {
    low: i32,
    high: i32,
}

impl LogAxis {
    fn covering(ratios: impl Iterator<Item = f64>) -> Self {
        let (mut low, mut high) = (-1, 1);
        for ratio in ratios.filter(|r| *r > 0.0) {
            low = low.min(ratio.log10().floor() as i32);
            high = high.max(ratio.log10().ceil() as i32);
        }
        Self { low, high }
    }

    /// The x coordinate of `ratio`.
    fn x(&self, ratio: f64) -> f64 {
        let span = WIDTH - LABEL_WIDTH - RIGHT_MARGIN;
        let fraction = (ratio.log10() - self.low as f64) / (self.high - self.low) as f64;
        LABEL_WIDTH + span * fraction.clamp(0.0, 1.0)
    }
}

fn draw_axis(svg: &mut String, axis: &LogAxis, height: f64) {
    let bottom = height - BOTTOM;
    for power in axis.low..=axis.high {
        let ratio = 10f64.powi(power);
        let x = axis.x(ratio);
        let (stroke, width) = if power == 0 {
            ("#000", 1.5)
        } else {
            ("#ccc", 1.0)
        };
        let _ = writeln!(
            svg,
            concat!(
                r#"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{bottom}" "#,
                r#"stroke="{stroke}" stroke-width="{width}"/>"#
            ),
            x = x,
            TOP = TOP,
            bottom = bottom,
            stroke = stroke,
            width = width,
        );
        let _ = writeln!(
            svg,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{}×</text>"#,
            bottom + 16.0,
            format_ratio(ratio)
        );
    }
}

fn draw_bar(svg: &mut String, axis: &LogAxis, index: usize, label: &str, ratio: f64) {
    let y = TOP + ROW_HEIGHT * index as f64 + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
    let (one, end) = (axis.x(1.0), axis.x(ratio));
    let (x, width) = if end >= one {
        (one, end - one)
    } else {
        (end, one - end)
    };
    let colour = if ratio >= 1.0 {
        SPINEL_FEWER
    } else {
        LINUX_FEWER
    };
    let text_y = y + BAR_HEIGHT - 3.0;

    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="{text_y:.1}" text-anchor="end">{}</text>"#,
        LABEL_WIDTH - 8.0,
        escape(label)
    );
    let _ = writeln!(
        svg,
        concat!(
            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{BAR_HEIGHT}" fill="{colour}">"#,
            "<title>{}: {}×</title></rect>"
        ),
        width.max(1.0),
        escape(label),
        format_ratio(ratio),
        x = x,
        y = y,
        BAR_HEIGHT = BAR_HEIGHT,
        colour = colour,
    );
    let (value_x, anchor) = if ratio >= 1.0 {
        (end + 4.0, "start")
    } else {
        (end - 4.0, "end")
    };
    let _ = writeln!(
        svg,
        r#"<text x="{value_x:.1}" y="{text_y:.1}" text-anchor="{anchor}">{}×</text>"#,
        format_ratio(ratio)
    );
}

/// Three significant digits at most, without trailing zeros: 0.25, 3.29, 12.4, 30, 150.
fn format_ratio(ratio: f64) -> String {
    let decimals = if ratio >= 100.0 {
        0
    } else if ratio >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{ratio:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Escapes text for SVG (XML) content.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::report::tests::{case, sample_runs};

    #[test]
    fn chart_has_one_bar_per_comparable_case() {
        let (spinel, linux) = sample_runs();
        let svg = ratio_chart_svg(&spinel, &linux);
        assert!(svg.starts_with("<svg "));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(
            svg.matches("<rect x=").count(),
            1,
            "only null_syscall has a ratio"
        );
        assert!(svg.contains("<title>null_syscall: 3.29×</title>"));
        assert!(!svg.contains("process_lifecycle"));
        assert!(!svg.contains("kernel_future_switch"));
    }

    #[test]
    fn bars_grow_right_when_spinel_ran_fewer_and_left_otherwise() {
        let (mut spinel, mut linux) = sample_runs();
        spinel
            .cases
            .push(case("thread_lifecycle", 4000, Measure::Instructions));
        linux
            .cases
            .push(case("thread_lifecycle", 2000, Measure::Instructions));
        let svg = ratio_chart_svg(&spinel, &linux);
        let bar = |name: &str| {
            svg.lines()
                .find(|l| l.starts_with("<rect x=") && l.contains(&format!("<title>{name}")))
                .expect("a bar")
                .to_string()
        };
        assert!(bar("null_syscall").contains(SPINEL_FEWER));
        assert!(bar("thread_lifecycle").contains(LINUX_FEWER));
        assert!(bar("thread_lifecycle").contains("0.5×"));
    }

    #[test]
    fn axis_always_spans_the_ratios_and_one() {
        let axis = LogAxis::covering([0.004, 250.0].into_iter());
        assert_eq!((axis.low, axis.high), (-3, 3));
        assert!(axis.x(0.004) > LABEL_WIDTH && axis.x(250.0) < WIDTH - RIGHT_MARGIN);
        let axis = LogAxis::covering(std::iter::empty());
        assert_eq!((axis.low, axis.high), (-1, 1));
        assert!(
            (axis.x(1.0) - (LABEL_WIDTH + (WIDTH - LABEL_WIDTH - RIGHT_MARGIN) / 2.0)).abs() < 1e-9
        );
    }

    #[test]
    fn ratios_are_printed_short() {
        assert_eq!(format_ratio(3.2912), "3.29");
        assert_eq!(format_ratio(0.5), "0.5");
        assert_eq!(format_ratio(1.0), "1");
        assert_eq!(format_ratio(12.44), "12.4");
        assert_eq!(format_ratio(150.2), "150");
        assert_eq!(format_ratio(10.0), "10");
        assert_eq!(format_ratio(100.0), "100");
        assert_eq!(format_ratio(0.01), "0.01");
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(escape("a<b&c>"), "a&lt;b&amp;c&gt;");
    }
}
