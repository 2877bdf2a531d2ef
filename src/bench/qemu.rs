//! Booting a benchmark guest under QEMU and collecting what it prints.
//!
//! Both guests are booted with the same machine flags ([`MachineConfig::args`]): the same
//! machine type, CPU model, accelerator, memory and console; only how the kernel is loaded
//! differs (a disk image for Spinel, `-kernel`/`-initrd` for Linux), and Spinel adds the
//! `isa-debug-exit` device through which it reports a failure. The exact boots use
//! `-icount shift=0,sleep=off` so the guest TSC advances once per executed instruction, and
//! `-rtc base=2000-01-01,clock=vm` so the wall clock the guest reads is the same on every run:
//! the figures then repeat exactly.
//!
//! The CPU model is [`CPU_MODEL`]: QEMU's default `qemu64`, the model the issue's reference
//! figures for Linux were measured on, plus `rdtscp`, through which each side's user code can
//! tell which CPU it runs on (both kernels keep the CPU number in `IA32_TSC_AUX`). Not `max`:
//! it offers ERMS, and under `-icount` every iteration of a `rep` string instruction counts as
//! one instruction, so Linux's page clearing (`rep stosb` with ERMS: 4096 counted instructions
//! a page, against 512 for `rep stosq`) would inflate its figures for no cost a real CPU pays
//! (`vmo_first_touch`: 7,528 under `max` against 3,850 under `qemu64`).
//!
//! Invariant: [`boot_and_collect`] returns results only for a guest that printed `bench: done`;
//! a guest that stops, hangs past its timeout or prints a garbled benchmark line is an error,
//! and its serial log stays on disk to be read.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use super::error::{BenchError, Context, Result};
use super::results::{Measure, RunResults, SerialLine, parse_line};

/// The QEMU binary both guests run under.
pub const QEMU: &str = "qemu-system-x86_64";

/// Exact instruction counting: one TSC tick per guest instruction, no idle skipping in real time,
/// and a guest clock that starts at the same date and advances with the virtual clock.
pub const ICOUNT_ARGS: [&str; 4] = [
    "-icount",
    "shift=0,sleep=off",
    "-rtc",
    "base=2000-01-01,clock=vm",
];

/// The machine type of both guests: Q35, a PCIe chipset with HPET and ACPI, which Spinel's
/// bring-up reads.
pub const MACHINE_TYPE: &str = "q35";

/// The CPU model of both guests (see the module doc for why).
pub const CPU_MODEL: &str = "qemu64,+rdtscp";

/// How long a guest may keep running after `bench: done` before it is stopped: the time to
/// power off.
const POWER_OFF_GRACE: Duration = Duration::from_secs(30);

/// Serial lines kept to quote when a guest fails.
const TAIL_LINES: usize = 15;

/// The emulated machine a benchmark guest runs on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MachineConfig {
    /// Number of CPUs (`-smp`).
    pub cpus: u32,
    /// Exact instruction counting ([`ICOUNT_ARGS`]); otherwise plain TCG, where the TSC follows
    /// the host's clock.
    pub exact_instructions: bool,
    /// Guest memory in MiB (`-m`).
    pub memory_mib: u32,
}

impl MachineConfig {
    /// The exact single-CPU machine every comparable figure comes from.
    pub const ONE_CPU_ICOUNT: MachineConfig = MachineConfig {
        cpus: 1,
        exact_instructions: true,
        memory_mib: 512,
    };

    /// Two CPUs under plain TCG, for the cross-CPU cases.
    pub const TWO_CPU_PLAIN_TCG: MachineConfig = MachineConfig {
        cpus: 2,
        exact_instructions: false,
        memory_mib: 512,
    };

    /// Two CPUs counted exactly, both run in turn on one host thread (Spinel boots there;
    /// Linux 6.1 hangs bringing up its second CPU).
    pub const TWO_CPU_ICOUNT: MachineConfig = MachineConfig {
        cpus: 2,
        exact_instructions: true,
        memory_mib: 512,
    };

    /// What every figure of this machine counts.
    pub fn measure(&self) -> Measure {
        if self.exact_instructions {
            Measure::Instructions
        } else {
            Measure::PlainTcgTicks { runs: 1 }
        }
    }

    /// The QEMU arguments of the machine, without the guest's kernel or disk: machine type, CPU
    /// model, TCG (on one host thread when counting exactly, as `-icount` needs), the CPUs and
    /// memory, serial on stdio with no display, and an exit instead of a reboot.
    pub fn args(&self) -> Vec<String> {
        let accel = if self.exact_instructions {
            "tcg,thread=single"
        } else {
            "tcg"
        };
        let mut args: Vec<String> = ["-machine", MACHINE_TYPE, "-cpu", CPU_MODEL, "-accel", accel]
            .iter()
            .map(|a| a.to_string())
            .collect();
        if self.exact_instructions {
            args.extend(ICOUNT_ARGS.iter().map(|a| a.to_string()));
        }
        args.extend([
            "-smp".to_string(),
            self.cpus.to_string(),
            "-m".to_string(),
            format!("{}M", self.memory_mib),
            "-nographic".to_string(),
            "-no-reboot".to_string(),
        ]);
        args
    }
}

/// One QEMU run behind a set of results, for the report.
#[derive(Clone, Debug, PartialEq)]
pub struct BootRecord {
    /// What the boot was for, e.g. `linux-one-cpu`.
    pub label: String,
    /// Every argument QEMU was given.
    pub qemu_args: Vec<String>,
    /// Wall-clock time from spawning QEMU to its exit.
    pub seconds: f64,
}

/// `qemu-system-x86_64 --version`'s first line, e.g. "QEMU emulator version 7.2.22 (...)".
pub fn qemu_version() -> Result<String> {
    let output = Command::new(QEMU)
        .arg("--version")
        .output()
        .context(|| format!("running {QEMU} --version"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .next()
        .filter(|line| output.status.success() && !line.is_empty())
        .map(str::to_string)
        .ok_or_else(|| BenchError::new(format!("{QEMU} --version printed nothing")))
}

/// One benchmark boot: the QEMU command (whose stdout must be the guest's serial console) and
/// how to read and judge it.
#[derive(Debug)]
pub struct GuestBoot<'a> {
    /// The system measured, "Spinel" or "Linux": the `system` of the results.
    pub system: &'a str,
    /// Names the boot in the results, the log and errors, e.g. `linux-one-cpu`.
    pub label: &'a str,
    /// The QEMU command line.
    pub command: Command,
    /// What the figures count, given by the machine ([`MachineConfig::measure`]).
    pub measure: Measure,
    /// How long the guest may run before `bench: done`.
    pub timeout: Duration,
    /// Where every serial line is written.
    pub log: &'a Path,
}

/// Runs `boot`, streams each serial line to `on_line` as it arrives and to the boot's log, and
/// returns the figures (with the boot recorded in them) once the guest has printed
/// `bench: done` and exited.
pub fn boot_and_collect(
    boot: GuestBoot,
    on_line: &mut dyn FnMut(&SerialLine),
) -> Result<RunResults> {
    let GuestBoot {
        system,
        label,
        mut command,
        measure,
        timeout,
        log,
    } = boot;
    let qemu_args: Vec<String> = command
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if let Some(dir) = log.parent() {
        fs::create_dir_all(dir).context(|| format!("creating {}", dir.display()))?;
    }
    let mut log_file = File::create(log).context(|| format!("creating {}", log.display()))?;

    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context(|| format!("starting {QEMU} for {label}"))?;
    let lines = serial_lines(&mut child);
    let stderr = stderr_text(&mut child);

    let mut serial = Serial::new(system, measure);
    let failure = serial.read(&lines, started + timeout, &mut log_file, on_line);

    // Whatever happened, QEMU must not outlive the run: it is our own child.
    let _ = child.kill();
    let status = child
        .wait()
        .context(|| format!("waiting for {QEMU} ({label})"))?;
    let stderr = stderr.join().unwrap_or_default();

    let why = match failure {
        Some(why) => why,
        None if serial.done => {
            let seconds = started.elapsed().as_secs_f64();
            let mut results = serial.results;
            results.boots.push(BootRecord {
                label: label.to_string(),
                qemu_args,
                seconds,
            });
            return Ok(results);
        }
        None => format!("QEMU exited ({status}) before `bench: done`"),
    };
    Err(BenchError::new(format!(
        "{label}: {why}; serial log {}\n--- last serial lines ---\n{}\n--- QEMU stderr ---\n{}",
        log.display(),
        serial.tail.join("\n"),
        stderr.trim_end()
    )))
}

/// What has been read of a guest's serial console so far.
struct Serial {
    measure: Measure,
    results: RunResults,
    done: bool,
    /// The last [`TAIL_LINES`] lines, to quote when the guest fails.
    tail: Vec<String>,
}

impl Serial {
    fn new(system: &str, measure: Measure) -> Self {
        Self {
            measure,
            results: RunResults::new(system),
            done: false,
            tail: Vec::new(),
        }
    }

    /// Reads lines until the guest exits (its stdout closes) or `deadline` passes; once `bench:
    /// done` has come, the deadline becomes the power-off grace. Returns why the boot failed, or
    /// `None` if the lines ended without an error (which is success only if `done` is set).
    fn read(
        &mut self,
        lines: &mpsc::Receiver<String>,
        mut deadline: Instant,
        log: &mut File,
        on_line: &mut dyn FnMut(&SerialLine),
    ) -> Option<String> {
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            let line = match lines.recv_timeout(wait) {
                Ok(line) => line,
                Err(RecvTimeoutError::Disconnected) => return None,
                Err(RecvTimeoutError::Timeout) if self.done => return None,
                Err(RecvTimeoutError::Timeout) => return Some("no `bench: done` in time".into()),
            };
            let _ = writeln!(log, "{line}");
            self.remember(&line);

            let parsed = match parse_line(&line, self.measure) {
                Ok(parsed) => parsed,
                Err(why) => return Some(why),
            };
            match &parsed {
                SerialLine::Case(case) => self.results.cases.push(case.clone()),
                SerialLine::Kernel(release) => self.results.kernel = Some(release.clone()),
                SerialLine::Done => {
                    self.done = true;
                    deadline = Instant::now() + POWER_OFF_GRACE;
                }
                SerialLine::Running(_) | SerialLine::Other(_) => {}
            }
            on_line(&parsed);
        }
    }

    fn remember(&mut self, line: &str) {
        if self.tail.len() == TAIL_LINES {
            self.tail.remove(0);
        }
        self.tail.push(line.to_string());
    }
}

/// A channel of the child's stdout lines, read on a thread so the caller can wait with a timeout.
/// The channel disconnects when the child closes its stdout, that is when it exits.
fn serial_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().expect("stdout is piped");
    let (send, receive) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).split(b'\n') {
            let Ok(bytes) = line else { break };
            let text = String::from_utf8_lossy(&bytes)
                .trim_end_matches('\r')
                .to_string();
            if send.send(text).is_err() {
                break;
            }
        }
    });
    receive
}

/// What the child writes on stderr, read on a thread so a full pipe never blocks it.
fn stderr_text(child: &mut Child) -> thread::JoinHandle<String> {
    let mut stderr = child.stderr.take().expect("stderr is piped");
    thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_machine_carries_the_issue_flags() {
        let args = MachineConfig::ONE_CPU_ICOUNT.args().join(" ");
        assert_eq!(
            args,
            "-machine q35 -cpu qemu64,+rdtscp -accel tcg,thread=single -icount shift=0,sleep=off \
             -rtc base=2000-01-01,clock=vm -smp 1 -m 512M -nographic -no-reboot"
        );
    }

    #[test]
    fn plain_tcg_machine_has_no_icount() {
        let args = MachineConfig::TWO_CPU_PLAIN_TCG.args();
        assert!(!args.iter().any(|a| a == "-icount"));
        assert!(args.windows(2).any(|w| w[0] == "-smp" && w[1] == "2"));
        assert_eq!(
            MachineConfig::TWO_CPU_PLAIN_TCG.measure(),
            Measure::PlainTcgTicks { runs: 1 }
        );
    }

    /// A stand-in for QEMU: a shell that prints what a guest would.
    fn fake_guest(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.arg("-c").arg(script);
        command
    }

    fn log_path(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!(
            "spinel-bench-test-{}-{name}.log",
            std::process::id()
        ))
    }

    /// Boots the fake guest `script` with `timeout`, sending serial lines to `on_line`.
    fn run_fake(
        name: &str,
        script: &str,
        timeout: Duration,
        on_line: &mut dyn FnMut(&SerialLine),
    ) -> Result<RunResults> {
        let log = log_path(name);
        let boot = GuestBoot {
            system: "Fake",
            label: "fake",
            command: fake_guest(script),
            measure: Measure::Instructions,
            timeout,
            log: &log,
        };
        boot_and_collect(boot, on_line)
    }

    #[test]
    fn a_guest_that_prints_done_gives_its_figures_in_order() {
        let script = "echo 'Booting'; echo 'bench: kernel 6.1.0-57-amd64'; \
                      echo 'bench: running null_syscall'; \
                      printf 'bench: null_syscall n=1000 min=1 median=2 p99=3\\r\\n'; \
                      echo 'bench: done'";
        let mut seen = Vec::new();
        let results = run_fake("done", script, Duration::from_secs(20), &mut |line| {
            seen.push(line.clone())
        })
        .expect("a complete guest run");

        assert_eq!(results.system, "Fake");
        assert_eq!(results.kernel.as_deref(), Some("6.1.0-57-amd64"));
        assert_eq!(results.cases.len(), 1);
        assert_eq!(results.cases[0].median, 2);
        assert_eq!(seen.len(), 5);
        assert_eq!(seen[2], SerialLine::Running("null_syscall".into()));
        assert_eq!(results.boots.len(), 1);
        assert_eq!(results.boots[0].label, "fake");
        assert_eq!(results.boots[0].qemu_args[0], "-c");
    }

    #[test]
    fn a_guest_that_exits_before_done_is_an_error() {
        let script = "echo 'bench: null_syscall n=1000 min=1 median=2 p99=3'";
        let err = run_fake("early", script, Duration::from_secs(20), &mut |_| {})
            .expect_err("no done line");
        assert!(err.to_string().contains("before `bench: done`"), "{err}");
    }

    #[test]
    fn a_guest_that_hangs_is_stopped_at_the_timeout() {
        let script = "echo 'bench: running null_syscall'; exec sleep 30";
        let started = Instant::now();
        let err =
            run_fake("hang", script, Duration::from_millis(300), &mut |_| {}).expect_err("a hang");
        assert!(err.to_string().contains("no `bench: done`"), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the guest was not stopped"
        );
    }

    #[test]
    fn a_garbled_result_line_is_an_error() {
        let script = "echo 'bench: null_syscall n=1000 min=9 median=2 p99=3'; echo 'bench: done'";
        let err = run_fake("garbled", script, Duration::from_secs(20), &mut |_| {})
            .expect_err("figures out of order");
        assert!(err.to_string().contains("out of order"), "{err}");
    }
}
