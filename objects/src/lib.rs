//! Spinel's kernel objects.
//!
//! Zircon's object model, without the machine: handles and per-process handle tables
//! ([`handle`]), signals and the waiters parked on them ([`signal`]), the `wait_one`,
//! `wait_many` and `wait_async` operations ([`wait`]), the objects for waiting and talking
//! ([`ipc`]: events, event pairs, channels, ports), virtual memory ([`vm`]: VMOs, VMARs,
//! address spaces), and tasks ([`task`]: jobs, processes, threads, exceptions, policies), all
//! with Zircon's status codes, rights and signals ([`abi`]). [`object`] explains how a kernel
//! object is put together and how to add one.
//!
//! The crate knows nothing of x86: time reaches it through the [`time::Clock`] trait, page
//! tables and memory through the traits of [`vm`], and thread spawning through
//! [`task::ThreadSpawner`]; the kernel implements them and the host tests fake them. Waiting
//! operations are futures, run by the kernel's per-CPU executor, and a user thread is one too
//! (see [`task`]).

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
