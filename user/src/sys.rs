//! The raw system-call layer: every `unsafe` of the library lives under this module.
//!
//! [`stubs`] turns each syscall into a safe function over registers and slices: the kernel
//! reads and writes user memory only through the pointers it is given and only within the
//! lengths passed beside them, so a stub that derives both from a Rust slice or reference
//! cannot make the kernel touch memory that the caller does not own. [`runtime`] holds the
//! three pieces of program start-up that need `unsafe`: the `_start` symbol (via
//! [`entry!`](crate::entry)), the entry trampoline of threads, and the heap's growth. [`probe`]
//! holds the deliberate faults the conformance suite needs, [`sandbox`] the objects and memory its
//! garbage fuzzer aims syscalls at, [`tsc`] the time-stamp counter reads of the benchmark.
//!
//! The rest of the crate is `#![deny(unsafe_code)]`; the wrappers in `handle`, `channel`, ...
//! are written against these stubs.

#![allow(unsafe_code)]

pub mod probe;
pub mod runtime;
pub mod sandbox;
pub mod signatures;
pub mod stubs;
pub mod tsc;

pub use stubs::*;
