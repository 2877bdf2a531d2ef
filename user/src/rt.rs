//! Program start-up and end: from `_start` to `main` and back to `zx_process_exit`.
//!
//! [`start`] (called by the `_start` that [`entry!`](crate::entry) exports) waits for the
//! startup message on the channel in `arg1`, reads it into stack buffers, names the root VMAR
//! to the heap, keeps the process and root VMAR handles for the whole run
//! ([`process_self`], [`root_vmar`]), builds the [`Startup`] value and calls `main`. `main`'s
//! return value becomes the process's return code.
//!
//! A panic prints `panic in <program>: <message>` on the console, sends the same text on the
//! channel named by [`set_panic_report`] if any, and exits the process with [`EXIT_PANIC`].

use crate::channel::Channel;
use crate::handle::{Handle, Unowned};
use crate::signals::Signals;
use crate::startup::{self, Layout, STARTUP_MAX_BYTES, STARTUP_MAX_HANDLES};
use crate::status::Status;
use crate::sys;
use crate::task::{Job, Process, Thread};
use crate::time::Time;
use crate::vmar::Vmar;
use crate::vmo::Vmo;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};
use syscalls_abi::ZX_HANDLE_INVALID;
use syscalls_abi::bootstrap::{
    HANDLE_FIRST_PROGRAM, HANDLE_PROCESS_SELF, HANDLE_ROOT_JOB, HANDLE_ROOT_VMAR,
    HANDLE_THREAD_SELF,
};

/// The return code of a process whose startup message could not be read.
pub const EXIT_BAD_STARTUP: i64 = -2;
/// The return code of a process that panicked.
pub const EXIT_PANIC: i64 = -3;

/// What a program starts with.
#[derive(Debug)]
pub struct Startup {
    /// The process's first thread.
    pub thread: Thread,
    /// The arguments (empty for `init`).
    pub args: Vec<String>,
    /// The handles the parent passed, in order (for `init`: none; see `boot`).
    pub handles: Vec<Handle>,
    /// What the kernel gave `init`; `None` for every other program.
    pub boot: Option<Boot>,
}

/// The kernel's bootstrap handles and text, for `init`.
#[derive(Debug)]
pub struct Boot {
    /// The kernel command line.
    pub cmdline: String,
    /// The root job.
    pub root_job: Job,
    /// Every program in the boot image, `init` included.
    pub programs: Vec<Program>,
}

/// A program of the boot image.
#[derive(Debug)]
pub struct Program {
    /// Its name.
    pub name: String,
    /// Its ELF file.
    pub vmo: Vmo,
}

impl Startup {
    /// Takes the `index`-th handle the parent passed, leaving an invalid one in its place.
    pub fn take_handle(&mut self, index: usize) -> Handle {
        self.handles
            .get_mut(index)
            .map(core::mem::take)
            .unwrap_or_default()
    }
}

impl Boot {
    /// The VMO of the program called `name`.
    pub fn program(&self, name: &str) -> Option<&Vmo> {
        self.programs
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.vmo)
    }
}

/// The process's own handle, kept open for the whole run.
static PROCESS_SELF: AtomicU32 = AtomicU32::new(ZX_HANDLE_INVALID);
/// The root VMAR handle, kept open for the whole run.
static ROOT_VMAR: AtomicU32 = AtomicU32::new(ZX_HANDLE_INVALID);
/// Where a panic message is also sent (a channel), if anywhere.
static PANIC_REPORT: AtomicU32 = AtomicU32::new(ZX_HANDLE_INVALID);

/// This process.
pub fn process_self() -> Unowned<'static, Process> {
    Unowned::from_raw(PROCESS_SELF.load(Ordering::Relaxed))
}

/// This process's root VMAR.
pub fn root_vmar() -> Unowned<'static, Vmar> {
    Unowned::from_raw(ROOT_VMAR.load(Ordering::Relaxed))
}

/// Also sends panic messages on `channel` (which must stay open for the rest of the run).
pub fn set_panic_report(channel: &Channel) {
    PANIC_REPORT.store(crate::AsHandleRef::raw_handle(channel), Ordering::Relaxed);
}

/// Runs the program: reads the startup message on channel `arg1`, calls `main`, exits.
pub fn start(arg1: usize, _arg2: usize, main: fn(Startup) -> i64) -> ! {
    let channel = Channel::from(Handle::from_raw(arg1 as u32));
    let startup = match read_startup(&channel) {
        Ok(startup) => startup,
        Err(what) => {
            crate::println!("startup message unreadable: {what:?}");
            sys::process_exit(EXIT_BAD_STARTUP)
        }
    };
    drop(channel);
    sys::process_exit(main(startup))
}

/// Why start-up failed.
#[derive(Debug)]
enum StartupError {
    /// The channel could not be waited on or read.
    Read(#[allow(dead_code)] Status),
    /// The message is not a startup or bootstrap message.
    Malformed(#[allow(dead_code)] startup::Malformed),
}

/// Reads and decodes the startup message.
fn read_startup(channel: &Channel) -> Result<Startup, StartupError> {
    let signals = Signals::CHANNEL_READABLE | Signals::CHANNEL_PEER_CLOSED;
    crate::AsHandleRef::wait_one(channel, signals, Time::INFINITE).map_err(StartupError::Read)?;
    let mut bytes = [0u8; STARTUP_MAX_BYTES];
    let mut raw = [ZX_HANDLE_INVALID; STARTUP_MAX_HANDLES];
    let (result, sizes) = channel.read_raw(0, &mut bytes, &mut raw);
    result.map_err(StartupError::Read)?;
    let bytes = &bytes[..sizes.bytes as usize];
    let mut handles: Vec<Handle> = Vec::new();

    let layout = startup::layout(bytes).map_err(StartupError::Malformed)?;
    let (process, vmar) = match layout {
        Layout::Bootstrap => (raw[HANDLE_PROCESS_SELF], raw[HANDLE_ROOT_VMAR]),
        Layout::Startup => (
            raw[startup::STARTUP_HANDLE_PROCESS],
            raw[startup::STARTUP_HANDLE_ROOT_VMAR],
        ),
    };
    // The heap needs the root VMAR before anything allocates.
    sys::runtime::set_heap_vmar(vmar);
    PROCESS_SELF.store(process, Ordering::Relaxed);
    ROOT_VMAR.store(vmar, Ordering::Relaxed);
    handles.extend(
        raw[..sizes.handles as usize]
            .iter()
            .map(|&h| Handle::from_raw(h)),
    );

    let malformed = StartupError::Malformed;
    match layout {
        Layout::Bootstrap => {
            let text = startup::parse_bootstrap(bytes, handles.len()).map_err(malformed)?;
            let mut handles = handles.into_iter().map(Some).collect::<Vec<_>>();
            let mut take = |i: usize| handles[i].take().expect("each index is taken once");
            forget_kept(take(HANDLE_PROCESS_SELF), take(HANDLE_ROOT_VMAR));
            let thread = take(HANDLE_THREAD_SELF).into();
            let root_job = take(HANDLE_ROOT_JOB).into();
            let programs = (text.program_names.into_iter().enumerate())
                .map(|(i, name)| Program {
                    name,
                    vmo: take(HANDLE_FIRST_PROGRAM + i).into(),
                })
                .collect();
            let boot = Boot {
                cmdline: text.cmdline,
                root_job,
                programs,
            };
            Ok(Startup {
                thread,
                args: Vec::new(),
                handles: Vec::new(),
                boot: Some(boot),
            })
        }
        Layout::Startup => {
            let args = startup::parse_startup(bytes, handles.len()).map_err(malformed)?;
            let mut fixed = handles.drain(..startup::STARTUP_FIXED_HANDLES);
            let (process, vmar) = (fixed.next().unwrap(), fixed.next().unwrap());
            let thread = fixed.next().unwrap().into();
            drop(fixed);
            forget_kept(process, vmar);
            Ok(Startup {
                thread,
                args,
                handles,
                boot: None,
            })
        }
    }
}

/// The process and root VMAR handles stay open for the whole run (the statics name them).
fn forget_kept(process: Handle, vmar: Handle) {
    process.into_raw();
    vmar.into_raw();
}

/// The panic handler of every program.
#[cfg(all(target_os = "none", not(test)))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    use core::fmt::Write;
    crate::println!("panic in {}: {}", program_name(), info);
    let report = PANIC_REPORT.load(Ordering::Relaxed);
    if report != ZX_HANDLE_INVALID {
        let mut line = crate::debug::TextBuffer::<{ crate::debug::LINE_MAX }>::new();
        let _ = write!(line, "panic: {info}");
        let _ = sys::channel_write(report, 0, line.as_bytes(), &[]);
    }
    sys::process_exit(EXIT_PANIC)
}

/// The name of this process, for panic messages.
#[cfg(all(target_os = "none", not(test)))]
fn program_name() -> crate::Name {
    crate::AsHandleRef::name(&*process_self()).unwrap_or(crate::Name::from_bytes(b"?"))
}
