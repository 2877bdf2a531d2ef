//! Spinel's user-space library.
//!
//! This crate will hold the `zx`-style library that user programs are written against (syscall
//! stubs, a status type, handles that close on drop, process and thread spawning helpers) and the
//! programs built into the boot image: `init` and the conformance suite.

#![no_std]
