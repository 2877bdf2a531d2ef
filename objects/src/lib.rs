//! Spinel's kernel objects.
//!
//! This crate will hold Zircon's object model: jobs, processes, threads, VMARs, VMOs, handles,
//! events, channels, ports and exception channels, with Zircon's status codes, rights and
//! signals. It knows nothing of x86: page tables, time and task spawning reach it through small
//! traits that the kernel implements and the host tests fake.

#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod abi;
pub mod vm;

pub use abi::{Koid, ObjectType, Rights, Signals, Status, ZxResult};
