//! Running the Linux side: one exact boot on one CPU under `-icount` for every single-CPU case,
//! then a few plain-TCG boots on two CPUs for the cross-CPU cases.
//!
//! Why two kinds of boot: under `-icount` QEMU 7.2 runs every CPU on one host thread and Linux
//! 6.1 hangs bringing up its second CPU there, so the cross-CPU cases run under plain TCG. There
//! the guest TSC follows the host's clock: those figures are TSC ticks, swing with the host's
//! load, and are kept as the minimum over several boots, labelled as such.
//!
//! Invariant: every figure returned comes from a boot that ran to `bench: done`; a boot that
//! fails fails the run.

use std::process::Command;
use std::time::Duration;

use super::error::{BenchError, Result};
use super::linux_guest::{LinuxGuest, prepare_linux_guest};
use super::paths::BenchPaths;
use super::progress::Progress;
use super::qemu::{GuestBoot, MachineConfig, QEMU, boot_and_collect};
use super::results::{RunResults, SerialLine, minimum_of_runs};

/// The system name the Linux results carry.
pub const LINUX: &str = "Linux";

/// Plain-TCG boots whose minimum gives the cross-CPU figures.
pub const CROSS_CPU_BOOTS: u32 = 3;

/// Longest an exact single-CPU boot may take, all cases included, on a loaded host.
const ONE_CPU_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Longest a plain-TCG two-CPU boot may take.
const CROSS_CPU_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Kernel command line: the console on the first serial port, no boot chatter, reboot (and so,
/// with `-no-reboot`, exit QEMU) at once on a panic. `spinel.bench=` tells `/init` which cases
/// to run; the dot keeps the kernel from passing it to init as an environment variable.
const KERNEL_COMMAND_LINE: &str = "console=ttyS0 quiet panic=-1";

/// The whole Linux side: prepares the guest (cached), runs the exact single-CPU boot and the
/// cross-CPU boots, and returns every figure. `progress` shows each preparation step and which
/// case is running.
pub fn run_linux(paths: &BenchPaths, progress: &mut Progress) -> Result<RunResults> {
    let guest = prepare_linux_guest(paths, &mut |step| progress.step(step))?;
    let on_line = &mut |line: &SerialLine| progress.serial(line);
    let mut results = run_linux_one_cpu(paths, &guest, on_line)?;
    results.merge(run_linux_cross_cpu(
        paths,
        &guest,
        CROSS_CPU_BOOTS,
        on_line,
    )?);
    results.provenance = guest.provenance();
    Ok(results)
}

/// The single-CPU cases, measured exactly in guest instructions.
pub fn run_linux_one_cpu(
    paths: &BenchPaths,
    guest: &LinuxGuest,
    on_line: &mut dyn FnMut(&SerialLine),
) -> Result<RunResults> {
    let machine = MachineConfig::ONE_CPU_ICOUNT;
    let label = "linux-one-cpu";
    let log = paths.serial_log(label);
    let boot = GuestBoot {
        system: LINUX,
        label,
        command: linux_command(guest, &machine, "one-cpu"),
        measure: machine.measure(),
        timeout: ONE_CPU_TIMEOUT,
        log: &log,
    };
    let results = boot_and_collect(boot, on_line)?;
    check_kernel(guest, &results)?;
    Ok(results)
}

/// The cross-CPU cases on two CPUs under plain TCG: `boots` boots, keeping each figure's
/// minimum.
pub fn run_linux_cross_cpu(
    paths: &BenchPaths,
    guest: &LinuxGuest,
    boots: u32,
    on_line: &mut dyn FnMut(&SerialLine),
) -> Result<RunResults> {
    let machine = MachineConfig::TWO_CPU_PLAIN_TCG;
    let mut runs = Vec::new();
    for boot in 1..=boots {
        let label = format!("linux-cross-cpu-{boot}");
        let log = paths.serial_log(&label);
        let boot = GuestBoot {
            system: LINUX,
            label: &label,
            command: linux_command(guest, &machine, "cross-cpu"),
            measure: machine.measure(),
            timeout: CROSS_CPU_TIMEOUT,
            log: &log,
        };
        let run = boot_and_collect(boot, on_line)?;
        check_kernel(guest, &run)?;
        runs.push(run);
    }
    Ok(minimum_of_runs(LINUX, runs))
}

/// Fails unless the guest named the kernel that was meant to boot: the release in the package
/// name, e.g. `6.1.0-57-amd64` for `linux-image-6.1.0-57-amd64`.
fn check_kernel(guest: &LinuxGuest, results: &RunResults) -> Result<()> {
    let expected = guest.kernel_package.name.strip_prefix("linux-image-");
    if results.kernel.as_deref() == expected {
        return Ok(());
    }
    Err(BenchError::new(format!(
        "the Linux guest reported kernel {:?}, not the {} that was booted",
        results.kernel, guest.kernel_package.name
    )))
}

/// The QEMU command booting the Linux guest on `machine`, running the cases of `mode`
/// (`one-cpu` or `cross-cpu`, as `/init` and the benchmark name them).
pub fn linux_command(guest: &LinuxGuest, machine: &MachineConfig, mode: &str) -> Command {
    let mut command = Command::new(QEMU);
    command
        .args(machine.args())
        .arg("-kernel")
        .arg(&guest.kernel)
        .arg("-initrd")
        .arg(&guest.initramfs)
        .arg("-append")
        .arg(format!("{KERNEL_COMMAND_LINE} spinel.bench={mode}"));
    command
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::debian::Package;
    use std::path::PathBuf;

    fn guest() -> LinuxGuest {
        let package = |name: &str| Package {
            name: name.to_string(),
            version: "1".to_string(),
            deb: PathBuf::from(format!("{name}.deb")),
        };
        LinuxGuest {
            kernel: PathBuf::from("/cache/vmlinuz"),
            initramfs: PathBuf::from("/cache/initramfs.cpio"),
            kernel_package: package("linux-image-6.1.0-57-amd64"),
            busybox_package: package("busybox-static"),
        }
    }

    #[test]
    fn the_guest_must_name_the_kernel_that_was_booted() {
        let mut results = RunResults::new(LINUX);
        assert!(check_kernel(&guest(), &results).is_err(), "no kernel line");
        results.kernel = Some("6.1.0-56-amd64".into());
        assert!(check_kernel(&guest(), &results).is_err(), "another kernel");
        results.kernel = Some("6.1.0-57-amd64".into());
        assert!(check_kernel(&guest(), &results).is_ok());
    }

    #[test]
    fn linux_boots_its_kernel_and_initramfs_with_the_mode_on_the_command_line() {
        let command = linux_command(&guest(), &MachineConfig::ONE_CPU_ICOUNT, "one-cpu");
        let args: Vec<_> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let tail = &args[args.len() - 6..];
        assert_eq!(
            tail,
            [
                "-kernel",
                "/cache/vmlinuz",
                "-initrd",
                "/cache/initramfs.cpio",
                "-append",
                "console=ttyS0 quiet panic=-1 spinel.bench=one-cpu"
            ]
        );
        assert_eq!(
            args[..args.len() - 6],
            MachineConfig::ONE_CPU_ICOUNT.args()[..]
        );
    }

    /// Boots the real Linux guest (needs QEMU, gcc, apt and a couple of minutes), prints the
    /// table against an empty Spinel side and writes the report under `bench/cache/`:
    /// `cargo +nightly-2026-07-15 test -p spinel -- --ignored --nocapture linux_for_real`.
    #[test]
    #[ignore]
    fn linux_for_real() {
        use crate::bench::report::{ReportContext, render_table, write_report};

        let paths = BenchPaths::of_this_repo();
        let started = std::time::Instant::now();
        let linux = run_linux(&paths, &mut Progress::new(LINUX)).expect("a Linux run");
        eprintln!("Linux run took {:.1} s", started.elapsed().as_secs_f64());

        let spinel = RunResults::new("Spinel");
        println!("{}", render_table(&spinel, &linux));
        let out = BenchPaths {
            bench: paths.cache.join("linux-only"),
            cache: paths.cache.clone(),
        };
        std::fs::create_dir_all(&out.bench).expect("a report directory");
        let context = ReportContext::now(&paths).expect("QEMU's version");
        let files = write_report(&out, &spinel, &linux, &context).expect("a report");
        eprintln!(
            "wrote {} and {}",
            files.json.display(),
            files.chart.display()
        );
    }
}
