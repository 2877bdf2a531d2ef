//! Booting a benchmark guest under QEMU and collecting what it prints.
//!
//! Both guests are booted with the same machine flags ([`MachineConfig::args`]); only how the
//! kernel is loaded differs (a disk image for Spinel, `-kernel`/`-initrd` for Linux). The exact
//! single-CPU boot uses `-icount shift=0,sleep=off` so the guest TSC advances once per executed
//! instruction, and `-rtc base=2000-01-01,clock=vm` so the wall clock the guest reads is the same
//! on every run: the figures then repeat exactly.
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

    /// What every figure of this machine counts.
    pub fn measure(&self) -> Measure {
        if self.exact_instructions {
            Measure::Instructions
        } else {
            Measure::PlainTcgTicks { runs: 1 }
        }
    }

    /// The QEMU arguments of the machine, without the guest's kernel or disk: TCG, the CPUs and
    /// memory, serial on stdio with no display, and an exit instead of a reboot.
    pub fn args(&self) -> Vec<String> {
        let mut args = vec!["-accel".to_string(), "tcg".to_string()];
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

/// Boots the guest `qemu` describes (stdout must be its serial console), streams each serial
/// line to `on_line` as it arrives and to the log at `log`, and returns the figures once the
/// guest has printed `bench: done` and exited. `label` names the boot in the results and errors.
pub fn boot_and_collect(
    label: &str,
    mut qemu: Command,
    measure: Measure,
    timeout: Duration,
    log: &Path,
    on_line: &mut dyn FnMut(&SerialLine),
) -> Result<(RunResults, BootRecord)> {
    let record_args: Vec<String> = qemu
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if let Some(dir) = log.parent() {
        fs::create_dir_all(dir).context(|| format!("creating {}", dir.display()))?;
    }
    let mut log_file = File::create(log).context(|| format!("creating {}", log.display()))?;

    let started = Instant::now();
    let mut child = qemu
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context(|| format!("starting {QEMU} for {label}"))?;
    let lines = serial_lines(&mut child);
    let stderr = stderr_text(&mut child);

    let mut results = RunResults::new("");
    let mut tail: Vec<String> = Vec::new();
    let mut deadline = started + timeout;
    let mut done = false;
    let failure = loop {
        let wait = deadline.saturating_duration_since(Instant::now());
        let line = match lines.recv_timeout(wait) {
            Ok(line) => line,
            Err(RecvTimeoutError::Disconnected) => break None,
            Err(RecvTimeoutError::Timeout) if done => break None,
            Err(RecvTimeoutError::Timeout) => {
                break Some(format!("no `bench: done` within {} s", timeout.as_secs()));
            }
        };
        let _ = writeln!(log_file, "{line}");
        remember(&mut tail, &line);

        let parsed = match parse_line(&line, measure) {
            Ok(parsed) => parsed,
            Err(why) => break Some(why),
        };
        match &parsed {
            SerialLine::Case(case) => results.cases.push(case.clone()),
            SerialLine::Kernel(release) => results.kernel = Some(release.clone()),
            SerialLine::Done => {
                done = true;
                deadline = Instant::now() + POWER_OFF_GRACE;
            }
            SerialLine::Running(_) | SerialLine::Other(_) => {}
        }
        on_line(&parsed);
    };

    // Whatever happened, QEMU must not outlive the run: it is our own child.
    if failure.is_some() || done {
        let _ = child.kill();
    }
    let status = child
        .wait()
        .context(|| format!("waiting for {QEMU} ({label})"))?;
    let stderr = stderr.join().unwrap_or_default();
    let record = BootRecord {
        label: label.to_string(),
        qemu_args: record_args,
        seconds: started.elapsed().as_secs_f64(),
    };

    let why = match (failure, done) {
        (Some(why), _) => why,
        (None, true) => return Ok((results, record)),
        (None, false) => format!("QEMU exited ({status}) before `bench: done`"),
    };
    Err(BenchError::new(format!(
        "{label}: {why}; serial log {}\n--- last serial lines ---\n{}\n--- QEMU stderr ---\n{}",
        log.display(),
        tail.join("\n"),
        stderr.trim_end()
    )))
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

/// Keeps the last [`TAIL_LINES`] lines.
fn remember(tail: &mut Vec<String>, line: &str) {
    if tail.len() == TAIL_LINES {
        tail.remove(0);
    }
    tail.push(line.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_machine_carries_the_issue_flags() {
        let args = MachineConfig::ONE_CPU_ICOUNT.args().join(" ");
        assert_eq!(
            args,
            "-accel tcg -icount shift=0,sleep=off -rtc base=2000-01-01,clock=vm -smp 1 -m 512M \
             -nographic -no-reboot"
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

    #[test]
    fn a_guest_that_prints_done_gives_its_figures_in_order() {
        let script = "echo 'Booting'; echo 'bench: kernel 6.1.0-57-amd64'; \
                      echo 'bench: running null_syscall'; \
                      printf 'bench: null_syscall n=1000 min=1 median=2 p99=3\\r\\n'; \
                      echo 'bench: done'";
        let mut seen = Vec::new();
        let (results, record) = boot_and_collect(
            "fake",
            fake_guest(script),
            Measure::Instructions,
            Duration::from_secs(20),
            &log_path("done"),
            &mut |line| seen.push(line.clone()),
        )
        .expect("a complete guest run");

        assert_eq!(results.kernel.as_deref(), Some("6.1.0-57-amd64"));
        assert_eq!(results.cases.len(), 1);
        assert_eq!(results.cases[0].median, 2);
        assert_eq!(seen.len(), 5);
        assert_eq!(seen[2], SerialLine::Running("null_syscall".into()));
        assert_eq!(record.label, "fake");
    }

    #[test]
    fn a_guest_that_exits_before_done_is_an_error() {
        let script = "echo 'bench: null_syscall n=1000 min=1 median=2 p99=3'";
        let err = boot_and_collect(
            "fake",
            fake_guest(script),
            Measure::Instructions,
            Duration::from_secs(20),
            &log_path("early"),
            &mut |_| {},
        )
        .expect_err("no done line");
        assert!(err.to_string().contains("before `bench: done`"), "{err}");
    }

    #[test]
    fn a_guest_that_hangs_is_stopped_at_the_timeout() {
        let err = boot_and_collect(
            "fake",
            fake_guest("echo 'bench: running null_syscall'; exec sleep 30"),
            Measure::Instructions,
            Duration::from_millis(300),
            &log_path("hang"),
            &mut |_| {},
        )
        .expect_err("a hang");
        assert!(err.to_string().contains("no `bench: done`"), "{err}");
    }

    #[test]
    fn a_garbled_result_line_is_an_error() {
        let err = boot_and_collect(
            "fake",
            fake_guest(
                "echo 'bench: null_syscall n=1000 min=9 median=2 p99=3'; echo 'bench: done'",
            ),
            Measure::Instructions,
            Duration::from_secs(20),
            &log_path("garbled"),
            &mut |_| {},
        )
        .expect_err("figures out of order");
        assert!(err.to_string().contains("out of order"), "{err}");
    }
}
