//! The host side of `make bench`: boots a benchmark guest under QEMU, collects the figures it
//! prints on its serial console, and reports Spinel against Linux.
//!
//! The pieces, in the order a run uses them:
//! - [`debian`] fetches Debian's kernel and busybox packages into `bench/cache/` with
//!   `apt-get download` and pulls single files out of them; nothing is installed on the host.
//! - [`linux_guest`] builds the Linux side's C benchmark (`bench/linux/`) and packs it with busybox
//!   into an initramfs, skipping every step whose inputs have not changed.
//! - [`qemu`] holds the QEMU flags both guests share and boots a guest, streaming its serial
//!   lines through [`results`]'s parser into a [`RunResults`].
//! - [`spinel`] boots Spinel's benchmark image: exactly on one CPU, and on two CPUs both exactly
//!   (one host thread) and under plain TCG.
//! - [`linux`] drives the Linux guest: the exact single-CPU boot under `-icount`, and the
//!   two-CPU boots under plain TCG for the cross-CPU cases.
//! - [`report`] prints the terminal table and writes `bench/results.json` and the SVG chart.
//! - [`progress`] shows which case a guest is running while it runs.
//!
//! Invariant: every figure that reaches the report was parsed from a guest's own result line;
//! nothing is computed, guessed or carried over from an earlier run.

pub mod debian;
pub mod error;
pub mod linux;
pub mod linux_guest;
pub mod paths;
pub mod progress;
pub mod qemu;
pub mod report;
pub mod results;
pub mod spinel;

pub use error::{BenchError, Result};
pub use linux::{run_linux, run_linux_cross_cpu, run_linux_one_cpu};
pub use linux_guest::{LinuxGuest, prepare_linux_guest};
pub use paths::BenchPaths;
pub use progress::Progress;
pub use qemu::{BootRecord, GuestBoot, MachineConfig, boot_and_collect, qemu_version};
pub use report::{ReportContext, ReportFiles, write_report};
pub use results::{CaseResult, Measure, RunResults, SerialLine};
pub use spinel::{SpinelRuns, render_spinel_table, run_spinel};
