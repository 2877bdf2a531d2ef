//! Running the Spinel side: the benchmark image (`--features bench`) booted exactly on one CPU
//! under `-icount` for every single-CPU case (in-kernel and user-space), then on two CPUs for
//! the cross-CPU cases, with the machine flags the Linux guest gets ([`MachineConfig`]).
//!
//! The two-CPU cases (`ipi_wake` in the kernel, `pingpong_cross_cpu` in user space) are
//! measured two ways, and both are kept; the two-CPU boots also run the in-kernel single-CPU
//! cases, so that every in-kernel figure exists both exactly and under plain TCG (the boots
//! run only these cases, through `bench.cases=`):
//! - under `-icount shift=0` with `-accel tcg,thread=single`, where QEMU runs both CPUs in turn
//!   on one host thread and the guest TSC counts the instructions of both: the figure is the
//!   work of both CPUs over the span, an upper bound on the path length, exact and repeatable;
//! - under plain TCG, where the TSC follows the host's clock: host TSC ticks, the minimum of
//!   [`CROSS_CPU_BOOTS`] boots, comparable with Linux's plain-TCG figures only.
//!
//! Invariant: every figure comes from a boot that printed `bench: done`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::error::Result;
use super::paths::BenchPaths;
use super::qemu::{GuestBoot, MachineConfig, QEMU, boot_and_collect};
use super::results::{CASES, RunResults, SerialLine, minimum_of_runs};

/// The system name the Spinel results carry.
pub const SPINEL: &str = "Spinel";
/// Plain-TCG boots whose minimum gives the cross-CPU figures.
pub const CROSS_CPU_BOOTS: u32 = 3;
/// The cases that need two CPUs.
pub const CROSS_CPU_CASES: [&str; 2] = ["ipi_wake", "pingpong_cross_cpu"];
/// The in-kernel cases of one CPU, which the two-CPU boots run too.
pub const KERNEL_ONE_CPU_CASES: [&str; 2] = ["kernel_future_switch", "kernel_wake_same_cpu"];
/// Longest one benchmark boot may take, on a loaded host.
const BOOT_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// The device through which a failing Spinel kernel exits QEMU with a non-zero status.
const EXIT_DEVICE: &str = "isa-debug-exit,iobase=0xf4,iosize=0x04";

/// Every Spinel figure of one `make bench`.
pub struct SpinelRuns {
    /// Exact, one CPU: the single-CPU cases.
    pub one_cpu_exact: RunResults,
    /// Exact, two CPUs on one host thread (the error if that boot failed).
    pub two_cpu_exact: std::result::Result<RunResults, String>,
    /// Plain TCG, two CPUs, minimum over the boots.
    pub two_cpu_plain: RunResults,
}

impl SpinelRuns {
    /// The figures to set against Linux: the exact single-CPU ones, and the plain-TCG
    /// cross-CPU ones (Linux's cross-CPU figures are plain TCG too).
    pub fn for_comparison(&self) -> RunResults {
        let mut results = self.one_cpu_exact.clone();
        let mut cross = RunResults::new(SPINEL);
        cross.cases = (self.two_cpu_plain.cases.iter())
            .filter(|c| CROSS_CPU_CASES.contains(&c.name.as_str()))
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
    let one_cpu = MachineConfig::ONE_CPU_ICOUNT;
    let one_cpu_exact = boot(paths, images, "spinel-one-cpu", &one_cpu, "", on_line)?;

    let cases: Vec<&str> = KERNEL_ONE_CPU_CASES
        .iter()
        .chain(&CROSS_CPU_CASES)
        .copied()
        .collect();
    let cross = format!("bench.cases={}", cases.join(","));
    let two_cpu = MachineConfig::TWO_CPU_ICOUNT;
    let label = "spinel-two-cpu-icount";
    let two_cpu_exact =
        boot(paths, images, label, &two_cpu, &cross, on_line).map_err(|e| e.to_string());

    let plain = MachineConfig::TWO_CPU_PLAIN_TCG;
    let mut runs = Vec::new();
    for i in 1..=CROSS_CPU_BOOTS {
        let label = format!("spinel-two-cpu-plain-{i}");
        runs.push(boot(paths, images, &label, &plain, &cross, on_line)?);
    }
    Ok(SpinelRuns {
        one_cpu_exact,
        two_cpu_exact,
        two_cpu_plain: minimum_of_runs(SPINEL, runs),
    })
}

/// The QEMU command booting the image in `images` on `machine` with kernel command line
/// `cmdline` (passed through fw_cfg, as `spinel run` does).
pub fn spinel_command(images: &Path, machine: &MachineConfig, cmdline: &str) -> Command {
    let mut command = Command::new(QEMU);
    command
        .args(machine.args())
        .args(["-device", EXIT_DEVICE])
        .arg("-drive")
        .arg(format!(
            "format=raw,file={}",
            images.join("bios.img").display()
        ));
    if !cmdline.is_empty() {
        let cmdline = cmdline.replace(',', ",,");
        let file = crate::qemu::CMDLINE_FILE;
        command
            .arg("-fw_cfg")
            .arg(format!("name={file},string={cmdline}"));
    }
    command
}

fn boot(
    paths: &BenchPaths,
    images: &Path,
    label: &str,
    machine: &MachineConfig,
    cmdline: &str,
    on_line: &mut dyn FnMut(&SerialLine),
) -> Result<RunResults> {
    let log = paths.serial_log(label);
    boot_and_collect(
        GuestBoot {
            system: SPINEL,
            label,
            command: spinel_command(images, machine, cmdline),
            measure: machine.measure(),
            timeout: BOOT_TIMEOUT,
            log: &log,
        },
        on_line,
    )
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
    for case in CASES {
        let figure = |results: Option<&RunResults>| {
            results
                .and_then(|r| r.case(case))
                .map(|c| format!("{} / {} / {}", c.median, c.p99, c.min))
        };
        if columns
            .iter()
            .all(|(_, results)| figure(*results).is_none())
        {
            continue;
        }
        out += &format!("{case}\n");
        for (label, results) in &columns {
            let figure = figure(*results).unwrap_or_else(|| "—".to_string());
            out += &format!("  {label:<30} {figure}\n");
        }
    }
    if let Err(why) = &runs.two_cpu_exact {
        out += &format!("the exact two-CPU boot failed: {why}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spinel_boots_with_the_machine_flags_linux_gets() {
        let machine = MachineConfig::ONE_CPU_ICOUNT;
        let command = spinel_command(Path::new("/images"), &machine, "bench.cases=a,b");
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(args[..machine.args().len()], machine.args()[..]);
        let tail = &args[machine.args().len()..];
        assert_eq!(
            tail,
            [
                "-device",
                EXIT_DEVICE,
                "-drive",
                "format=raw,file=/images/bios.img",
                "-fw_cfg",
                "name=opt/spinel/cmdline,string=bench.cases=a,,b"
            ]
        );
    }
}
