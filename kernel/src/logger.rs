//! The `log` backend: every line goes to the console, tagged with the CPU that wrote it.
//!
//! The level is chosen at build time (`LOG=debug make qemu-smp` sets `SPINEL_LOG`) and can be
//! overridden with `log=<level>` on the kernel command line.

use crate::arch::x86_64::percpu;
use core::str::FromStr;
use log::{LevelFilter, Log, Metadata, Record};

/// The level when neither the build nor the command line chooses one.
const DEFAULT_LEVEL: LevelFilter = LevelFilter::Info;

struct KernelLogger;

static LOGGER: KernelLogger = KernelLogger;

impl Log for KernelLogger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record) {
        if self.enabled(record.metadata()) {
            let cpu = percpu::cpu_index();
            crate::kprintln!("[cpu{cpu} {:<5}] {}", record.level(), record.args());
        }
    }

    fn flush(&self) {}
}

/// Installs the logger with the level from the command line, the build, or the default.
pub fn init() {
    let build = option_env!("SPINEL_LOG").and_then(|level| LevelFilter::from_str(level).ok());
    let cmdline = crate::cmdline::get("log").and_then(|level| LevelFilter::from_str(level).ok());
    let level = cmdline.or(build).unwrap_or(DEFAULT_LEVEL);
    log::set_logger(&LOGGER).expect("the logger is installed once");
    log::set_max_level(level);
}
