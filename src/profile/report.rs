//! Printing a profile: each traced span as instructions per function, most first, and with
//! `--lines` per inlined source line.

use std::collections::HashMap;

use super::symbols::{self, Symbols};
use super::{Options, Span, is_kernel};
use crate::bench::CaseResult;

/// Source lines listed per span with `--lines`.
const LINES_SHOWN: usize = 40;

/// The symbols of both sides of the trace.
pub struct Both<'a> {
    pub kernel: &'a Symbols,
    pub user: &'a Symbols,
}

impl Both<'_> {
    fn function_at(&self, rip: u64) -> &str {
        let symbols = if is_kernel(rip) {
            self.kernel
        } else {
            self.user
        };
        symbols.function_at(rip).unwrap_or("?")
    }
}

/// Prints every span of the profile of `options.case`, whose figures were `measured`.
pub fn print(
    options: &Options,
    spans: &[Span],
    symbols: &Both,
    measured: &CaseResult,
) -> Result<(), String> {
    println!(
        "profile of {}: median {}, min {} guest instructions over {} iterations (exact, -icount)",
        measured.name, measured.median, measured.min, measured.iterations
    );
    for (index, span) in spans.iter().enumerate() {
        print_span(index, spans.len(), span, symbols, measured.median);
        if options.lines {
            print_lines(span, &options.kernel_elf)?;
        }
    }
    Ok(())
}

fn print_span(index: usize, count: usize, span: &Span, symbols: &Both, median: u64) {
    let name_at = |rip: &u64| symbols.function_at(*rip);
    let first = span.rips.first().map_or("?", name_at);
    let last = span.rips.last().map_or("?", name_at);
    let instructions = span.instructions();
    let retried = match span.retried() {
        0 => String::new(),
        n => format!(
            " ({} steps: {n} faulting instruction(s) stepped twice)",
            span.rips.len()
        ),
    };
    let mark = match instructions == median {
        true => "  (the measured median)",
        false => "",
    };
    println!();
    println!(
        "span {} of {count}: {instructions} instructions{retried}{mark}",
        index + 1
    );
    println!("  from {first}");
    println!("  to   {last}");
    println!("  steps   share  function");
    let names = span.rips.iter().map(|rip| name_at(rip).to_string());
    for (name, steps) in by_count(names) {
        let share = 100.0 * steps as f64 / span.rips.len() as f64;
        println!("  {steps:>5}  {share:>5.1}%  {name}");
    }
}

/// The kernel instructions of `span` by innermost source line.
fn print_lines(span: &Span, kernel_elf: &std::path::Path) -> Result<(), String> {
    let kernel: Vec<u64> = span
        .rips
        .iter()
        .copied()
        .filter(|&rip| is_kernel(rip))
        .collect();
    if kernel.is_empty() {
        return Ok(());
    }
    let mut unique = kernel.clone();
    unique.sort_unstable();
    unique.dedup();
    let frames = symbols::inline_frames(kernel_elf, &unique)?;
    let lines = kernel.iter().map(|rip| {
        frames.get(rip).and_then(|chain| chain.first()).map_or_else(
            || "?".to_string(),
            |f| format!("{} ({})", f.function, f.location),
        )
    });
    println!("  kernel steps by source line (innermost inlined function):");
    for (line, steps) in by_count(lines).into_iter().take(LINES_SHOWN) {
        println!("  {steps:>5}  {line}");
    }
    Ok(())
}

/// How often each item occurs, most frequent first (ties in order of first appearance).
fn by_count(items: impl Iterator<Item = String>) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    for (order, item) in items.enumerate() {
        counts.entry(item).or_insert((0, order)).0 += 1;
    }
    let mut counted: Vec<(String, (usize, usize))> = counts.into_iter().collect();
    counted.sort_by_key(|(_, (count, first))| (std::cmp::Reverse(*count), *first));
    counted
        .into_iter()
        .map(|(item, (count, _))| (item, count))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_come_most_first_then_in_order_of_appearance() {
        let items = ["b", "a", "b", "c", "a", "b"].map(String::from);
        let counted = by_count(items.into_iter());
        let expected = [("b", 3), ("a", 2), ("c", 1)].map(|(s, n)| (s.to_string(), n));
        assert_eq!(counted, expected);
    }
}
