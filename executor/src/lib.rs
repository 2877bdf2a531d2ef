//! Spinel's per-CPU async executor.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

mod cpu;
mod executor;
mod join;
mod platform;
mod queue;
mod run;
mod sync;
mod task;
mod timer;
mod waker;
mod yield_now;

pub use executor::{Executor, SpawnError};
pub use join::JoinHandle;
pub use platform::{INFINITE, Platform, Time};
pub use timer::{Sleep, TimedOut};
pub use yield_now::{YieldNow, yield_now};
