//! Building QEMU command lines and running them with a timeout.
//!
//! Every boot of a Spinel image goes through [`Machine`]: firmware (BIOS or UEFI through OVMF),
//! CPU count, memory, accelerator, the kernel command line (passed as the fw_cfg file
//! `opt/spinel/cmdline`), and the `isa-debug-exit` device through which a failing kernel exits
//! with a non-zero status. A clean ACPI power-off makes QEMU exit with status 0.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// OVMF firmware as Debian's `ovmf` package installs it.
const OVMF_CODE: &str = "/usr/share/OVMF/OVMF_CODE_4M.fd";
const OVMF_VARS: &str = "/usr/share/OVMF/OVMF_VARS_4M.fd";
/// The kernel command-line file the kernel reads through fw_cfg.
pub const CMDLINE_FILE: &str = "opt/spinel/cmdline";

/// How the guest is started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Firmware {
    Bios,
    Uefi,
}

/// Which accelerator QEMU uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accel {
    /// Software emulation.
    Tcg,
    /// Software emulation counting instructions exactly: the guest TSC advances one per
    /// instruction, and the clock the guest sees is pinned, so runs repeat exactly.
    TcgIcount,
    /// Hardware virtualisation.
    Kvm,
}

impl Accel {
    /// KVM when the host CPU advertises VMX or SVM and /dev/kvm exists, TCG otherwise.
    pub fn detect() -> Accel {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let has_virt = cpuinfo
            .lines()
            .filter(|line| line.starts_with("flags"))
            .any(|line| {
                line.split_whitespace()
                    .any(|flag| flag == "vmx" || flag == "svm")
            });
        if has_virt && Path::new("/dev/kvm").exists() {
            Accel::Kvm
        } else {
            Accel::Tcg
        }
    }
}

/// A virtual machine to boot.
#[derive(Clone, Debug)]
pub struct Machine {
    pub image_dir: PathBuf,
    pub firmware: Firmware,
    pub cpus: usize,
    /// `-smp` topology override, e.g. `6,sockets=2,cores=3`.
    pub topology: Option<String>,
    pub memory_mib: usize,
    pub accel: Accel,
    pub cmdline: String,
    /// Show the framebuffer in a window instead of running headless.
    pub graphic: bool,
    /// Wait for GDB on localhost:1234 before running.
    pub gdb: bool,
    /// The CPU model under TCG instead of `max`, e.g. `qemu64`.
    pub cpu_model: Option<String>,
}

impl Machine {
    /// A headless machine with `cpus` CPUs booting the image in `image_dir`.
    pub fn new(image_dir: impl Into<PathBuf>, firmware: Firmware, cpus: usize) -> Machine {
        Machine {
            image_dir: image_dir.into(),
            firmware,
            cpus,
            topology: None,
            memory_mib: 256,
            accel: Accel::Tcg,
            cmdline: String::new(),
            graphic: false,
            gdb: false,
            cpu_model: None,
        }
    }

    /// The full QEMU command.
    pub fn command(&self) -> std::io::Result<Command> {
        let mut qemu = Command::new("qemu-system-x86_64");
        qemu.args(["-machine", "q35", "-m", &format!("{}M", self.memory_mib)]);
        qemu.args([
            "-smp",
            self.topology.as_deref().unwrap_or(&self.cpus.to_string()),
        ]);
        qemu.args([
            "-device",
            "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-no-reboot",
        ]);
        qemu.args(["-serial", "stdio"]);
        if !self.graphic {
            qemu.args(["-display", "none"]);
        }
        self.add_accel(&mut qemu);
        self.add_firmware(&mut qemu)?;
        if !self.cmdline.is_empty() {
            // QEMU's option syntax separates parameters with commas; a literal one is doubled.
            let cmdline = self.cmdline.replace(',', ",,");
            qemu.args(["-fw_cfg", &format!("name={CMDLINE_FILE},string={cmdline}")]);
        }
        if self.gdb {
            qemu.args(["-s", "-S"]);
        }
        Ok(qemu)
    }

    fn add_accel(&self, qemu: &mut Command) {
        let model = self.cpu_model.as_deref().unwrap_or("max");
        match self.accel {
            Accel::Tcg => qemu.args(["-accel", "tcg", "-cpu", model]),
            Accel::TcgIcount => qemu.args([
                "-accel",
                "tcg,thread=single",
                "-cpu",
                model,
                "-icount",
                "shift=0,sleep=off",
                "-rtc",
                "base=2000-01-01,clock=vm",
            ]),
            Accel::Kvm => qemu.args(["-accel", "kvm", "-cpu", "host"]),
        };
    }

    fn add_firmware(&self, qemu: &mut Command) -> std::io::Result<()> {
        let image = match self.firmware {
            Firmware::Bios => self.image_dir.join("bios.img"),
            Firmware::Uefi => {
                // OVMF writes to its variable store; give each boot a private copy.
                let vars = self
                    .image_dir
                    .join(format!("ovmf-vars-{}.fd", std::process::id()));
                std::fs::copy(OVMF_VARS, &vars)?;
                let code = format!("if=pflash,format=raw,readonly=on,file={OVMF_CODE}");
                qemu.args(["-drive", &code]);
                qemu.args([
                    "-drive",
                    &format!("if=pflash,format=raw,file={}", vars.display()),
                ]);
                self.image_dir.join("uefi.img")
            }
        };
        qemu.args(["-drive", &format!("format=raw,file={}", image.display())]);
        Ok(())
    }
}

/// How a captured run ended.
#[derive(Debug)]
pub struct Outcome {
    /// QEMU's exit status; `None` if it was killed at the timeout.
    pub status: Option<i32>,
    /// Everything the guest printed on its serial port.
    pub output: String,
    pub elapsed: Duration,
}

/// Boots `machine`, passing each serial line to `on_line` as it arrives, and kills QEMU after
/// `timeout`.
pub fn run_captured(
    machine: &Machine,
    timeout: Duration,
    mut on_line: impl FnMut(&str),
) -> std::io::Result<Outcome> {
    let start = Instant::now();
    let mut child = machine
        .command()?
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (lines, received) = mpsc::channel();
    let reader = std::thread::spawn(move || forward_lines(stdout, lines));

    let mut output = String::new();
    let status = loop {
        while let Ok(line) = received.try_recv() {
            on_line(&line);
            output.push_str(&line);
            output.push('\n');
        }
        if let Some(status) = child.try_wait()? {
            break status.code();
        }
        if start.elapsed() > timeout {
            child.kill()?;
            child.wait()?;
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = reader.join();
    for line in received.try_iter() {
        on_line(&line);
        output.push_str(&line);
        output.push('\n');
    }
    Ok(Outcome {
        status,
        output,
        elapsed: start.elapsed(),
    })
}

/// Sends each line of `source` (lossily decoded, `\r` dropped) down `lines`.
fn forward_lines(source: impl Read, lines: mpsc::Sender<String>) {
    let mut reader = BufReader::new(source);
    let mut buffer = Vec::new();
    while reader.read_until(b'\n', &mut buffer).unwrap_or(0) > 0 {
        let line = String::from_utf8_lossy(&buffer);
        let line = line.trim_end_matches(['\n', '\r']).replace('\r', "");
        if lines.send(line).is_err() {
            return;
        }
        buffer.clear();
    }
}

/// Removes the private OVMF variable stores left by UEFI boots of this process.
pub fn clean_up(image_dir: &Path) {
    let _ = std::fs::remove_file(image_dir.join(format!("ovmf-vars-{}.fd", std::process::id())));
}
