//! The in-kernel benchmark of a benchmark build (`--features bench`): the executor's own costs,
//! measured with the TSC and printed in the line format the host's `make bench` reads:
//!
//! ```text
//! bench: kernel <release>
//! bench: running <case>
//! bench: <case> n=<iterations> min=<u64> median=<u64> p99=<u64>
//! bench: done
//! ```
//!
//! Each case runs `bench.iterations=<n>` measured iterations (1000 unless the command line says
//! otherwise) after as many warm-up ones, up to 100. The median and the 99th percentile are taken
//! by nearest rank over the sorted samples. Under `-icount shift=0` a TSC difference is a count
//! of guest instructions; under plain TCG it is host TSC ticks.
//!
//! The cases (see [`cases`] for the exact span of each):
//! - `kernel_future_switch`: one task returns `Pending`, the next task's poll begins (one CPU).
//! - `kernel_wake_same_cpu`: waking a waiting task that lives on the same CPU.
//! - `ipi_wake`: a task on CPU 0 wakes a task on halted CPU 1, until it runs (two CPUs or more).
//!
//! `bench.cases=<a,b,...>` on the command line runs only the cases named. Once the kernel's
//! cases are done the benchmark build starts `init` in benchmark mode, and the user-space
//! program `bench` runs the user-space cases and prints `bench: done` last.

mod cases;

use crate::kprintln;
use crate::sched::executor;
use alloc::vec::Vec;

/// Measured iterations per case unless `bench.iterations` says otherwise.
const DEFAULT_ITERATIONS: usize = 1000;
/// The most warm-up iterations per case.
const MAX_WARM_UP: usize = 100;

/// How many iterations to measure and to discard first.
#[derive(Clone, Copy, Debug)]
pub struct Runs {
    pub warm_up: usize,
    pub measured: usize,
}

impl Runs {
    /// Every iteration, warm-up first.
    pub fn total(&self) -> usize {
        self.warm_up + self.measured
    }
}

/// Runs every case that the machine and `bench.cases` allow. The user-space cases follow (see
/// the module doc).
pub async fn run() {
    let measured = crate::cmdline::get("bench.iterations")
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_ITERATIONS);
    let runs = Runs {
        warm_up: measured.min(MAX_WARM_UP),
        measured,
    };
    kprintln!("bench: kernel spinel-{}", env!("CARGO_PKG_VERSION"));

    if wanted("kernel_future_switch") {
        kprintln!("bench: running kernel_future_switch");
        report("kernel_future_switch", cases::future_switch(runs).await);
    }
    if wanted("kernel_wake_same_cpu") {
        kprintln!("bench: running kernel_wake_same_cpu");
        report("kernel_wake_same_cpu", cases::wake_same_cpu(runs).await);
    }
    if executor().cpu_count() >= 2 && wanted("ipi_wake") {
        kprintln!("bench: running ipi_wake");
        report("ipi_wake", cases::ipi_wake(runs).await);
    }
}

/// Whether `bench.cases` (absent: every case) names `case`.
fn wanted(case: &str) -> bool {
    crate::cmdline::get("bench.cases").is_none_or(|list| list.split(',').any(|c| c == case))
}

/// Prints one case's figures from its measured samples.
fn report(case: &str, mut samples: Vec<u64>) {
    samples.sort_unstable();
    let n = samples.len();
    let rank = |percent: usize| samples[(n * percent).div_ceil(100).max(1) - 1];
    kprintln!(
        "bench: {case} n={n} min={} median={} p99={}",
        samples[0],
        rank(50),
        rank(99)
    );
}
