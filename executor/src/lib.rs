//! Spinel's per-CPU async executor.
//!
//! Every kernel thread in Spinel is a future. This crate will hold the executor that polls them:
//! one ready queue per CPU, wakers that push a task back onto its owner's queue (and ask the
//! platform to wake that CPU), per-CPU timer queues, and the `Platform` trait through which the
//! kernel supplies the machine (CPU ids, inter-processor wake-ups, the clock, halting). It knows
//! nothing of x86 and is tested on the host with OS threads standing in for CPUs.

#![cfg_attr(not(test), no_std)]
