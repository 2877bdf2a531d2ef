//! Spinel's host-side runner: boots the images under QEMU and reads what the kernel prints.
//!
//! ```text
//! spinel run  --images DIR [--uefi] [--smp N] [--topology T] [--mem MIB] [--accel tcg|kvm]
//!             [--cmdline "..."] [--graphic] [--gdb] [--kernel ELF]
//! spinel bench --images DIR [--no-linux]
//! spinel profile --images DIR --kernel ELF --user ELF --case NAME [--skip N] [--spans N]
//!             [--max-steps N] [--lines] [--check]
//! spinel test --images DIR [--kernel ELF] [--host-step NAME:STATUS:LOG]... [--filter F]
//!             [--bench-images DIR [--bench-kernel ELF --bench-user ELF]]
//! ```
//!
//! `run` boots one machine with the serial console on the terminal and exits with the guest's
//! verdict (0 only after a clean power-off). `test` runs the QEMU test suite (see [`suite`]).
//! `bench` boots the benchmark image and, unless `--no-linux`, the Linux guest, and prints the
//! figures side by side (see [`bench`]). `profile` traces one user-space benchmark case
//! instruction by instruction and counts where its instructions go (see [`profile`]).

// Parts of the benchmark runner are used only by its own tests or by later cases.
#[allow(dead_code, unused_imports)]
mod bench;
mod crash_check;
mod host_tests;
mod profile;
mod qemu;
mod report;
mod suite;
mod symbolize;

use qemu::{Accel, Firmware, Machine};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// What the kernel prints right before a clean power-off.
const POWER_OFF_LINE: &str = "powering off";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: spinel run|test|bench|profile [options] (see src/main.rs)");
        return ExitCode::from(2);
    }
    let command = args.remove(0);
    let result = match command.as_str() {
        "run" => run(Args(args)),
        "test" => test(Args(args)),
        "bench" => bench_command(Args(args)),
        "profile" => profile_command(Args(args)),
        other => Err(format!("unknown command {other:?}")),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("spinel: {message}");
            ExitCode::from(2)
        }
    }
}

/// The remaining command-line arguments.
struct Args(Vec<String>);

impl Args {
    /// Removes `--name value` and returns the value.
    fn value(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(at) = self.0.iter().position(|arg| arg == name) else {
            return Ok(None);
        };
        if at + 1 >= self.0.len() {
            return Err(format!("{name} needs a value"));
        }
        let value = self.0.remove(at + 1);
        self.0.remove(at);
        Ok(Some(value))
    }

    /// Removes every `--name value` and returns the values in order.
    fn values(&mut self, name: &str) -> Result<Vec<String>, String> {
        let mut values = Vec::new();
        while let Some(value) = self.value(name)? {
            values.push(value);
        }
        Ok(values)
    }

    /// Removes `--name` and says whether it was there.
    fn flag(&mut self, name: &str) -> bool {
        let found = self.0.iter().position(|arg| arg == name);
        found.map(|at| self.0.remove(at)).is_some()
    }

    fn number(&mut self, name: &str, default: usize) -> Result<usize, String> {
        self.value(name)?.map_or(Ok(default), |v| {
            v.parse().map_err(|_| format!("bad {name}"))
        })
    }

    fn finish(self) -> Result<(), String> {
        match self.0.first() {
            Some(extra) => Err(format!("unexpected argument {extra:?}")),
            None => Ok(()),
        }
    }
}

fn run(mut args: Args) -> Result<bool, String> {
    let images = args.value("--images")?.ok_or("--images is required")?;
    let firmware = if args.flag("--uefi") {
        Firmware::Uefi
    } else {
        Firmware::Bios
    };
    let mut machine = Machine::new(images, firmware, args.number("--smp", 1)?);
    machine.topology = args.value("--topology")?;
    machine.memory_mib = args.number("--mem", machine.memory_mib)?;
    machine.accel = match args.value("--accel")?.as_deref() {
        None | Some("auto") => Accel::detect(),
        Some("tcg") => Accel::Tcg,
        Some("icount") => Accel::TcgIcount,
        Some("kvm") => Accel::Kvm,
        Some(other) => return Err(format!("unknown accelerator {other:?}")),
    };
    machine.cmdline = args.value("--cmdline")?.unwrap_or_default();
    machine.graphic = args.flag("--graphic");
    machine.gdb = args.flag("--gdb");
    let kernel = args.value("--kernel")?.map(PathBuf::from);
    args.finish()?;

    if machine.gdb {
        eprintln!("QEMU waits for GDB on localhost:1234");
    }
    let mut powered_off = false;
    let outcome = qemu::run_captured(&machine, Duration::MAX, |line| {
        println!("{}", symbolize::annotate(line, kernel.as_deref()));
        powered_off |= line.ends_with(POWER_OFF_LINE);
    })
    .map_err(|error| format!("cannot run QEMU: {error}"))?;
    qemu::clean_up(&machine.image_dir);
    match outcome.status {
        Some(0) if powered_off => Ok(true),
        Some(0) => {
            eprintln!("spinel: QEMU exited without a clean power-off (triple fault?)");
            Ok(false)
        }
        status => {
            eprintln!("spinel: the kernel failed (QEMU status {status:?})");
            Ok(false)
        }
    }
}

fn bench_command(mut args: Args) -> Result<bool, String> {
    let images = PathBuf::from(args.value("--images")?.ok_or("--images is required")?);
    let with_linux = !args.flag("--no-linux");
    args.finish()?;

    let paths = bench::BenchPaths::of_this_repo();
    let mut progress = bench::Progress::new("Spinel");
    let spinel = bench::run_spinel(&paths, &images, &mut |line| progress.serial(line))
        .map_err(|e| e.to_string())?;
    println!("{}", bench::render_spinel_table(&spinel));
    if !with_linux {
        return Ok(true);
    }
    let linux =
        bench::run_linux(&paths, &mut bench::Progress::new("Linux")).map_err(|e| e.to_string())?;
    let spinel = spinel.for_comparison();
    println!("{}", bench::report::render_table(&spinel, &linux));
    let context = bench::ReportContext::now(&paths).map_err(|e| e.to_string())?;
    let files =
        bench::write_report(&paths, &spinel, &linux, &context).map_err(|e| e.to_string())?;
    println!(
        "wrote {} and {}",
        files.json.display(),
        files.chart.display()
    );
    Ok(true)
}

fn profile_command(mut args: Args) -> Result<bool, String> {
    let required = |args: &mut Args, name: &str| -> Result<PathBuf, String> {
        Ok(PathBuf::from(
            args.value(name)?.ok_or(format!("{name} is required"))?,
        ))
    };
    let images = required(&mut args, "--images")?;
    let kernel = required(&mut args, "--kernel")?;
    let user = required(&mut args, "--user")?;
    let case = args.value("--case")?.ok_or("--case is required")?;
    let mut options = profile::Options::new(images, kernel, user, &case);
    options.skip = args.number("--skip", options.skip)?;
    options.spans = args.number("--spans", options.spans)?;
    options.max_steps = args.number("--max-steps", options.max_steps)?;
    options.lines = args.flag("--lines");
    options.check = args.flag("--check");
    args.finish()?;
    profile::run(&options)
}

fn test(mut args: Args) -> Result<bool, String> {
    let options = suite::Options {
        image_dir: args
            .value("--images")?
            .ok_or("--images is required")?
            .into(),
        kernel_elf: args.value("--kernel")?.map(PathBuf::from),
        host_steps: args
            .values("--host-step")?
            .iter()
            .map(|step| host_tests::HostStep::parse(step))
            .collect::<Result<_, _>>()?,
        filter: args.value("--filter")?,
        bench_image_dir: args.value("--bench-images")?.map(PathBuf::from),
        profile_elves: match (args.value("--bench-kernel")?, args.value("--bench-user")?) {
            (Some(kernel), Some(user)) => Some((kernel.into(), user.into())),
            _ => None,
        },
    };
    args.finish()?;
    Ok(suite::run(&options))
}
