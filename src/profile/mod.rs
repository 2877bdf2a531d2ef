//! `spinel profile`: where the instructions of one user-space benchmark case go.
//!
//! The benchmark image boots as `make bench` boots it for its exact figures (one CPU,
//! `-icount shift=0`), but stopped, with QEMU's gdbstub open, and runs only the chosen case. The
//! profiler puts a breakpoint on every `rdtsc`/`rdtscp` of the user benchmark program, since
//! each sample is the difference of two TSC reads, lets the warm-up's reads pass, and then
//! single-steps the guest from one read to the next, recording `rip` at every instruction,
//! through the kernel and back. Under `-icount` one step is one counted instruction (one
//! iteration of a `rep` instruction counts as one, as the TSC counts it), so a traced span is
//! exactly the figure the benchmark reports for that iteration, once each faulting instruction
//! is counted once ([`Span::retried`]): the run checks this by letting the guest finish and
//! comparing with the case's median. Two consecutive spans are traced by
//! default, since consecutive reads alternate between a sample's span and the loop between
//! samples; each is reported with the functions it starts and ends in.
//!
//! Invariant: every count printed is a number of stepped instructions; the figure compared
//! with them is the one the guest printed.

mod gdb;
mod report;
mod symbols;

use std::collections::HashSet;
use std::net::TcpListener;
use std::path::PathBuf;
use std::thread;
use std::time::Duration;

use crate::bench::{BenchPaths, GuestBoot, MachineConfig, Measure, boot_and_collect};
use gdb::Gdb;
use symbols::Symbols;

/// Measured iterations of the profiled case: enough for a stable median, few enough to boot
/// and finish quickly.
const ITERATIONS: usize = 100;
/// How long the whole profiled boot may take (stepping runs a few thousand instructions a
/// second).
const BOOT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// What `spinel profile` is asked.
pub struct Options {
    /// The benchmark image directory (`bios.img`).
    pub images: PathBuf,
    /// The benchmark kernel's ELF, with symbols.
    pub kernel_elf: PathBuf,
    /// The user benchmark program's ELF, with symbols.
    pub user_elf: PathBuf,
    /// The case to run, e.g. `null_syscall`.
    pub case: String,
    /// TSC reads to let pass before tracing (the warm-up's).
    pub skip: usize,
    /// Consecutive spans to trace.
    pub spans: usize,
    /// The most instructions one span may take before the trace gives up.
    pub max_steps: usize,
    /// Also break each span down by inlined source line.
    pub lines: bool,
    /// Fail unless a traced span has exactly the case's measured median.
    pub check: bool,
}

impl Options {
    /// TSC reads let pass by default: the warm-up's, and more.
    pub const DEFAULT_SKIP: usize = 40;
    /// Spans traced by default: a sample's, and the loop's between two samples.
    pub const DEFAULT_SPANS: usize = 2;
    /// The longest span traced by default.
    pub const DEFAULT_MAX_STEPS: usize = 1_000_000;

    /// The defaults for `case` of the benchmark build whose images and ELF files are given.
    pub fn new(images: PathBuf, kernel_elf: PathBuf, user_elf: PathBuf, case: &str) -> Options {
        Options {
            images,
            kernel_elf,
            user_elf,
            case: case.to_string(),
            skip: Self::DEFAULT_SKIP,
            spans: Self::DEFAULT_SPANS,
            max_steps: Self::DEFAULT_MAX_STEPS,
            lines: false,
            check: false,
        }
    }
}

/// One traced span: every `rip` from one TSC read (included) to the next (excluded).
pub struct Span {
    pub rips: Vec<u64>,
}

impl Span {
    /// User instructions that faulted and ran again after the kernel handled the fault: the
    /// trace steps such an instruction twice, the TSC counts it once, when it completes. A
    /// return to user mode at the very address the thread left it from is such a retry (a
    /// syscall returns past its instruction, and no interrupt is taken while stepping).
    pub fn retried(&self) -> usize {
        let mut retried = 0;
        let mut left_from = None;
        for pair in self.rips.windows(2) {
            let (from, to) = (pair[0], pair[1]);
            match (is_kernel(from), is_kernel(to)) {
                (false, true) => left_from = Some(from),
                (true, false) if left_from == Some(to) => retried += 1,
                _ => {}
            }
        }
        retried
    }

    /// The instructions of the span as the TSC counts them.
    pub fn instructions(&self) -> u64 {
        (self.rips.len() - self.retried()) as u64
    }
}

/// The first address of the kernel's half of the address space (the kernel's
/// `KERNEL_HALF_START`).
const KERNEL_HALF: u64 = 0xffff_8000_0000_0000;

/// Whether `rip` is in the kernel's half.
pub fn is_kernel(rip: u64) -> bool {
    rip >= KERNEL_HALF
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: u64 = 0x2000_0000;
    const KERNEL: u64 = 0xffff_ffff_8000_0000;

    #[test]
    fn a_faulting_store_is_counted_once() {
        // A store faults, the kernel handles it, the store runs again and the span goes on.
        let span = Span {
            rips: vec![USER, USER + 3, KERNEL, KERNEL + 4, USER + 3, USER + 6],
        };
        assert_eq!(span.retried(), 1);
        assert_eq!(span.instructions(), 5);
    }

    #[test]
    fn a_syscall_returns_past_its_instruction() {
        let span = Span {
            rips: vec![USER, USER + 2, KERNEL, KERNEL + 3, USER + 4],
        };
        assert_eq!(span.retried(), 0);
        assert_eq!(span.instructions(), 5);
    }
}

/// What tracing a case found: its spans, and the figures the guest printed for it.
pub struct Traced {
    pub spans: Vec<Span>,
    pub measured: crate::bench::CaseResult,
}

impl Traced {
    /// The first span whose instructions are the measured median.
    pub fn median_span(&self) -> Option<&Span> {
        let median = self.measured.median;
        self.spans.iter().find(|span| span.instructions() == median)
    }

    /// The instructions of the span that is the measured median, or why none is.
    pub fn verdict(&self) -> Result<u64, String> {
        match self.median_span() {
            Some(span) => Ok(span.instructions()),
            None => {
                let spans: Vec<u64> = self.spans.iter().map(Span::instructions).collect();
                let median = self.measured.median;
                Err(format!(
                    "no traced span {spans:?} has the measured median of {median}"
                ))
            }
        }
    }
}

/// Profiles `options.case` and prints the report; `Ok(false)` when `check` was asked and no
/// span has the measured median.
pub fn run(options: &Options) -> Result<bool, String> {
    let traced = trace_case(options)?;
    let kernel = Symbols::load(&options.kernel_elf)?;
    let user = Symbols::load(&options.user_elf)?;
    let symbols = report::Both {
        kernel: &kernel,
        user: &user,
    };
    report::print(options, &traced.spans, &symbols, &traced.measured)?;
    let verdict = traced.verdict();
    if let Err(why) = &verdict {
        println!("{why}");
    }
    Ok(verdict.is_ok() || !options.check)
}

/// Boots the guest, traces `options.spans` spans of the case and lets the guest finish.
pub fn trace_case(options: &Options) -> Result<Traced, String> {
    let markers = symbols::span_markers(&options.user_elf)?;
    if markers.is_empty() {
        return Err(format!("no rdtsc in {}", options.user_elf.display()));
    }
    let port = free_port()?;
    let guest = start_guest(options, port)?;

    let spans = trace(options, &markers, port)?;
    let results = guest
        .join()
        .map_err(|_| "the serial reader panicked".to_string())??;
    let measured = results
        .cases
        .into_iter()
        .find(|case| case.name == options.case)
        .ok_or_else(|| format!("the guest printed no figures for {}", options.case))?;
    Ok(Traced { spans, measured })
}

/// Boots the benchmark image stopped, with the gdbstub on `port`, and reads its serial console
/// on a thread of its own until it prints `bench: done`.
fn start_guest(
    options: &Options,
    port: u16,
) -> Result<thread::JoinHandle<Result<crate::bench::RunResults, String>>, String> {
    let cmdline = format!("bench.cases={} bench.iterations={ITERATIONS}", options.case);
    let machine = MachineConfig::ONE_CPU_ICOUNT;
    let mut command = crate::bench::spinel::spinel_command(&options.images, &machine, &cmdline);
    // -snapshot: the image is only read, so a profile may run beside a test of the same image.
    let gdbstub = format!("tcp:127.0.0.1:{port}");
    command.args(["-snapshot", "-S", "-gdb", &gdbstub]);
    let log = BenchPaths::of_this_repo().serial_log(&format!("profile-{}", options.case));
    Ok(thread::spawn(move || {
        let boot = GuestBoot {
            system: crate::bench::spinel::SPINEL,
            label: "spinel-profile",
            command,
            measure: Measure::Instructions,
            timeout: BOOT_TIMEOUT,
            log: &log,
        };
        boot_and_collect(boot, &mut |_| {}).map_err(|e| e.to_string())
    }))
}

/// Lets `skip` TSC reads pass, then steps through `spans` spans, and lets the guest run on.
/// If anything fails once connected, the guest is killed rather than left waiting for a
/// debugger that is gone.
fn trace(options: &Options, markers: &[u64], port: u16) -> Result<Vec<Span>, String> {
    let error = |e: std::io::Error| format!("tracing {}: {e}", options.case);
    let mut gdb = Gdb::connect(&format!("127.0.0.1:{port}")).map_err(error)?;
    match trace_connected(&mut gdb, options, markers) {
        Ok(spans) => {
            gdb.detach().map_err(error)?;
            Ok(spans)
        }
        Err(e) => {
            gdb.kill();
            Err(error(e))
        }
    }
}

fn trace_connected(
    gdb: &mut Gdb,
    options: &Options,
    markers: &[u64],
) -> std::io::Result<Vec<Span>> {
    for &marker in markers {
        gdb.set_breakpoint(marker)?;
    }
    gdb.resume()?;
    for _ in 0..options.skip {
        resume_past_breakpoint(gdb)?;
    }
    for &marker in markers {
        gdb.remove_breakpoint(marker)?;
    }

    let markers: HashSet<u64> = markers.iter().copied().collect();
    let mut spans = Vec::new();
    for _ in 0..options.spans {
        spans.push(step_span(gdb, &markers, options.max_steps)?);
    }
    Ok(spans)
}

/// Resumes the guest stopped on a breakpoint until the next one. The stub would stop again at
/// once on the breakpoint it stands on, so that one is lifted for one step, as gdb does.
fn resume_past_breakpoint(gdb: &mut Gdb) -> std::io::Result<()> {
    let here = gdb.rip()?;
    gdb.remove_breakpoint(here)?;
    gdb.step()?;
    gdb.set_breakpoint(here)?;
    gdb.resume()
}

/// Steps from the TSC read the guest stands on to the next one.
fn step_span(gdb: &mut Gdb, markers: &HashSet<u64>, max_steps: usize) -> std::io::Result<Span> {
    let mut rips = vec![gdb.rip()?];
    loop {
        gdb.step()?;
        let rip = gdb.rip()?;
        if markers.contains(&rip) {
            return Ok(Span { rips });
        }
        if rips.len() >= max_steps {
            let message = format!("no TSC read within {max_steps} instructions");
            return Err(std::io::Error::other(message));
        }
        rips.push(rip);
    }
}

/// A TCP port on the loopback interface that nothing listens on right now.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|e| format!("no free port: {e}"))
}
