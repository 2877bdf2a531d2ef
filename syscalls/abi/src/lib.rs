//! The ABI shared by the kernel and user space: Zircon's status codes, rights, signals,
//! object types, options and C-layout records, with the exact values of Zircon's headers
//! (spec §0 and the sections each file names); the syscall numbers ([`numbers`]); and the
//! bootstrap message ([`bootstrap`]).
//!
//! Everything here is a plain `pub const`, a `const fn` for a header macro, or a
//! `#[repr(C)]` struct. The crate has no dependency and no kernel code, so user programs build
//! it alone; the kernel reaches it as `syscalls::abi`. Names are spelled as Zircon spells
//! them, types included (`zx_port_packet_t`, field `r#type`), so code reads like Zircon's C.
//! Every struct implements [`Wire`]: the kernel copies it to and from user memory as the
//! exact bytes of the C layout. The kernel's typed forms of the same values (`Status`,
//! `Rights`, `Signals`...) live in the `objects` crate; tests check that both agree, value
//! for value.

#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![allow(non_camel_case_types, non_snake_case)]

pub mod bootstrap;
pub mod numbers;
pub mod wire;

mod channel;
mod debug;
mod exception;
mod info;
mod object;
mod policy;
mod port;
mod rights;
mod signals;
mod status;
mod task;
mod time;
mod types;
mod vm;
mod wait;

pub use channel::*;
pub use debug::*;
pub use exception::*;
pub use info::*;
pub use object::*;
pub use policy::*;
pub use port::*;
pub use rights::*;
pub use signals::*;
pub use status::*;
pub use task::*;
pub use time::*;
pub use types::*;
pub use vm::*;
pub use wait::*;
pub use wire::Wire;

#[cfg(test)]
mod tests;
