//! Spinel's system-call layer.
//!
//! This crate will hold the ABI shared by the kernel and user space (syscall numbers, option
//! flags and the C-layout structs of Zircon's headers), one file per syscall family, and the
//! dispatch table that decodes a syscall's arguments and runs it, as a future, on the objects of
//! the `objects` crate. User memory is reached only through a validated-copy interface.

#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
