//! Running the Spinel side: the benchmark image (`--features bench`) booted exactly on one CPU
//! under `-icount`, then on two CPUs for the cross-CPU case.
//!
//! The two-CPU case is tried two ways, and both are kept:
//! - under `-icount shift=0` with `-accel tcg,thread=single`, where QEMU runs both CPUs in turn
//!   on one host thread and the guest TSC counts the instructions of both: the figure is the
//!   work of the waker, the woken CPU and the waker's spin while it waits, an upper bound on the
//!   path length, exact and repeatable;
//! - under plain TCG, where the TSC follows the host's clock: host TSC ticks, the minimum of
//!   [`CROSS_CPU_BOOTS`] boots, comparable with Linux's plain-TCG figures only.
//!
//! Invariant: every figure comes from a boot that printed `bench: done`.

use std::path::Path;
use std::time::Duration;

use super::error::Result;
use super::paths::BenchPaths;
use super::qemu::{GuestBoot, boot_and_collect};
use super::results::{Measure, RunResults, SerialLine, minimum_of_runs};
use crate::qemu::{Accel, Firmware, Machine};

/// The system name the Spinel results carry.
pub const SPINEL: &str = "Spinel";
/// Plain-TCG boots whose minimum gives the cross-CPU figures.
pub const CROSS_CPU_BOOTS: u32 = 3;
/// Longest one benchmark boot may take.
const BOOT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// Every Spinel figure of one `make bench`.
pub struct SpinelRuns {
    /// Exact, one CPU: the single-CPU cases.
    pub one_cpu_exact: RunResults,
    /// Exact, two CPUs on one host thread (`None` if that boot failed, with why).
    pub two_cpu_exact: std::result::Result<RunResults, String>,
    /// Plain TCG, two CPUs, minimum over the boots.
    pub two_cpu_plain: RunResults,
}

impl SpinelRuns {
    /// The figures to set against Linux: the exact single-CPU ones, and the plain-TCG
    /// cross-CPU one (Linux's cross-CPU figures are plain TCG too).
    pub fn for_comparison(&self) -> RunResults {
        let mut results = self.one_cpu_exact.clone();
        let mut cross = RunResults::new(SPINEL);
        cross.cases = self
            .two_cpu_plain
            .cases
            .iter()
            .filter(|c| c.name == "ipi_wake")
            .cloned()
            .collect();
        cross.boots = self.two_cpu_plain.boots.clone();
        results.merge(cross);
        results
    }
}

/// Boots the benchmark image in `images` every way `make bench` measures it.
pub fn run_spinel(
    paths: &BenchPaths,
    images: &Path,
    on_line: &mut dyn FnMut(&SerialLine),
) -> Result<SpinelRuns> {
    let one_cpu_exact = boot(
        paths,
        images,
        "spinel-one-cpu",
        1,
        Accel::TcgIcount,
        on_line,
    )?;
    let two_cpu_exact = boot(
        paths,
        images,
        "spinel-two-cpu-icount",
        2,
        Accel::TcgIcount,
        on_line,
    )
    .map_err(|error| error.to_string());
    let mut runs = Vec::new();
    for i in 1..=CROSS_CPU_BOOTS {
        let label = format!("spinel-two-cpu-plain-{i}");
        runs.push(boot(paths, images, &label, 2, Accel::Tcg, on_line)?);
    }
    Ok(SpinelRuns {
        one_cpu_exact,
        two_cpu_exact,
        two_cpu_plain: minimum_of_runs(SPINEL, runs),
    })
}

fn boot(
    paths: &BenchPaths,
    images: &Path,
    label: &str,
    cpus: usize,
    accel: Accel,
    on_line: &mut dyn FnMut(&SerialLine),
) -> Result<RunResults> {
    let mut machine = Machine::new(images, Firmware::Bios, cpus);
    machine.accel = accel;
    let command = machine
        .command()
        .map_err(|e| super::error::BenchError::new(format!("QEMU command for {label}: {e}")))?;
    let measure = match accel {
        Accel::TcgIcount => Measure::Instructions,
        _ => Measure::PlainTcgTicks { runs: 1 },
    };
    let log = paths.serial_log(label);
    let results = boot_and_collect(
        GuestBoot {
            system: SPINEL,
            label,
            command,
            measure,
            timeout: BOOT_TIMEOUT,
            log: &log,
        },
        on_line,
    );
    crate::qemu::clean_up(images);
    results
}

/// A table of every Spinel figure, by how it was measured.
pub fn render_spinel_table(runs: &SpinelRuns) -> String {
    let mut out = String::from(
        "Spinel, every run: median / p99 / min\n\
         (exact = guest instructions under -icount shift=0; plain = host TSC ticks under plain \
         TCG, min of 3 boots)\n",
    );
    let columns: [(&str, Option<&RunResults>); 3] = [
        ("exact, 1 CPU", Some(&runs.one_cpu_exact)),
        (
            "exact, 2 CPUs, thread=single",
            runs.two_cpu_exact.as_ref().ok(),
        ),
        ("plain TCG, 2 CPUs", Some(&runs.two_cpu_plain)),
    ];
    for case in ["kernel_future_switch", "kernel_wake_same_cpu", "ipi_wake"] {
        out += &format!("{case}\n");
        for (label, results) in &columns {
            let figure = results
                .and_then(|r| r.case(case))
                .map_or("—".to_string(), |c| {
                    format!("{} / {} / {}", c.median, c.p99, c.min)
                });
            out += &format!("  {label:<30} {figure}\n");
        }
    }
    if let Err(why) = &runs.two_cpu_exact {
        out += &format!("the exact two-CPU boot failed: {why}\n");
    }
    out
}
