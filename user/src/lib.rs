//! Spinel's user-space library, in the manner of Fuchsia's `zx`: safe wrappers over every
//! syscall, a status type, handles that close on drop, threads, and a process builder. The
//! programs of the boot image (`init`, `conformance`) are written against it.
//!
//! # Program entry: what the kernel and the process builder guarantee
//!
//! A program is a static, non-PIE ELF executable for `x86_64-unknown-none`, linked at
//! `0x2000_0000` (`-C relocation-model=static -C link-arg=--image-base=0x20000000`), with
//! `_start` as its entry point (exported by [`entry!`]). Its first thread starts with:
//!
//! - `rip` = the ELF entry point;
//! - `rdi` = a channel handle whose one message is the startup message (see [`startup`]):
//!   the kernel's bootstrap message for `init`, a [`ProcessBuilder`] message for every other
//!   program; `rsi` = 0. The message may arrive after the thread starts: the runtime waits for
//!   it;
//! - `rsp` = the top of a mapped, writable stack minus 8, the top 16-byte aligned: the stack
//!   looks as it does right after a `call`, as the System V ABI expects at a function entry.
//!   The stack is at least 64 KiB (the runtime itself uses about 10 KiB of it at start-up,
//!   for the startup message buffers);
//! - every other general register zero (`rbp` = 0 ends frame-pointer backtraces).
//!
//! The user address space is `[USER_BASE, USER_END)` =
//! `0x0000_0000_0100_0000 .. 0x0000_7fff_ffff_f000`.
//!
//! # Layout
//!
//! - [`sys`]: the syscall stubs and the other `unsafe` code; nothing else in the crate may
//!   use `unsafe` (`deny(unsafe_code)`).
//! - [`Status`] / [`ZxResult`]: errors, with unknown codes kept.
//! - [`Handle`], [`AsHandleRef`], [`HandleBased`], and one type per object: [`Channel`],
//!   [`Event`], [`EventPair`], [`Port`], [`Vmo`], [`Vmar`], [`Job`], [`Process`], [`Thread`],
//!   [`Exception`].
//! - [`wait_many`]: waiting on several objects at once.
//! - [`thread::spawn`]: threads of this process running closures.
//! - [`ProcessBuilder`]: new processes from ELF files.
//! - [`rt`]: start-up, the [`Startup`] value handed to `main`, panics.
//! - A heap (`talc` over VMOs mapped on demand), so `alloc` collections work.

#![cfg_attr(not(test), no_std)]
#![deny(unsafe_code)]

extern crate alloc;

pub mod channel;
pub mod cmdline;
pub mod debug;
pub mod elf;
pub mod event;
pub mod exception;
pub mod handle;
pub mod info;
pub mod port;
pub mod rights;
pub mod rt;
pub mod signals;
pub mod spawn;
pub mod startup;
pub mod status;
pub mod sys;
pub mod task;
pub mod thread;
pub mod time;
pub mod vm;
pub mod vmar;
pub mod vmo;
pub mod wait;

pub use channel::{Channel, Message};
pub use event::{Event, EventPair};
pub use exception::{Exception, read_exception};
pub use handle::{AsHandleRef, Handle, HandleBased, Unowned};
pub use info::{Koid, Name, VmoInfo};
pub use port::{Packet, Port};
pub use rights::Rights;
pub use rt::{Boot, Program, Startup};
pub use signals::Signals;
pub use spawn::{ProcessBuilder, Spawned};
pub use status::{Status, ZxResult};
pub use task::{Job, Process, Task, Thread};
pub use time::Time;
pub use vm::VmOptions;
pub use vmar::Vmar;
pub use vmo::Vmo;
pub use wait::{WaitItem, wait_many};

/// Zircon's raw constants the programs need (`ZX_*`), re-exported from the one place that
/// defines them.
pub mod abi {
    pub use syscalls_abi::*;
}
