//! Spinel's system-call layer.
//!
//! - [`abi`]: what kernel and user space share: syscall numbers and C-layout structures. Always
//!   built; the user library depends on it alone (`default-features = false`).
//! - With the `kernel` feature: [`dispatch`], which decodes a syscall's number and arguments
//!   and runs it as a future on the `objects` crate's objects, one file per syscall family.
//!
//! The crate never holds a raw user pointer: user memory is reached only through the
//! [`UserMemory`] trait, whose kernel implementation validates the range and recovers from
//! faults. A bad pointer is `ZX_ERR_INVALID_ARGS`, never a kernel fault; an unknown syscall
//! number is `ZX_ERR_BAD_SYSCALL`.

#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

pub mod abi;

#[cfg(feature = "kernel")]
extern crate alloc;

#[cfg(feature = "kernel")]
mod context;
#[cfg(feature = "kernel")]
mod dispatch;

#[cfg(feature = "kernel")]
pub use context::{BadUserAccess, Kernel, SyscallContext, UserMemory};
#[cfg(feature = "kernel")]
pub use dispatch::dispatch;
