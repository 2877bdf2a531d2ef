//! Spinel's kernel objects.
//!
//! Zircon's object model, without the machine: handles and per-process handle tables
//! ([`handle`]), signals and the waiters parked on them ([`signal`]), the `wait_one`,
//! `wait_many` and `wait_async` operations ([`wait`]), and the objects for waiting and talking
//! ([`ipc`]: events, event pairs, channels, ports), all with Zircon's status codes, rights and
//! signals ([`abi`]). [`object`] explains how a kernel object is put together and how to add
//! one.
//!
//! The crate knows nothing of x86: time reaches it through the [`time::Clock`] trait, which the
//! kernel implements with its timers and the host tests fake with [`time::ManualClock`].
//! Waiting operations are futures, run by the kernel's per-CPU executor.

#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod abi;
pub mod handle;
pub mod ipc;
pub mod object;
pub mod signal;
pub mod task;
pub mod time;
pub mod vm;
pub mod wait;

#[cfg(test)]
mod testing;

pub use abi::{Koid, ObjectType, Rights, Signals, Status, ZxResult};
pub use handle::{Handle, HandleTable};
pub use object::KernelObject;
