//! `bench`: Spinel's user-space benchmark, the user half of `make bench`.
//!
//! `init` starts it in benchmark mode (`spinel.mode=bench`) as `bench run <settings>`, after
//! the kernel has run its own cases, with four handles: a job to start processes in, and the
//! ELF VMOs of `bench` itself, `exit0` and `waiter`. The settings are the kernel command line's
//! `bench.*` words (see [`harness::Settings`]). It runs every case the settings and the CPU
//! count allow, prints one line per case in the format the host runner reads, and ends with
//! `bench: done`, the last line of the whole benchmark:
//!
//! ```text
//! bench: running <case>
//! bench: <case> n=<iterations> min=<u64> median=<u64> p99=<u64>
//! bench: done
//! ```
//!
//! Figures are differences of two `rdtsc` reads, so under QEMU's `-icount shift=0` they are
//! counts of guest instructions. The cases, and exactly what each span holds, are documented in
//! [`ipc`], [`tasks`], [`memory`] and [`cross_cpu`], and summed up in `bench/README.md`.
//!
//! Cases that need a second process start this program again as `bench peer <role> ...`
//! ([`peer`]).

#![no_std]
#![no_main]
#![deny(unsafe_code)]

extern crate alloc;

mod cross_cpu;
mod harness;
mod ipc;
mod memory;
mod peer;
mod tasks;

use alloc::string::String;
use alloc::vec::Vec;
use user::Startup;

user::entry!(main);

/// The return code of a bad command line or a failed case.
const EXIT_FAILED: i64 = 1;

fn main(mut startup: Startup) -> i64 {
    let args: Vec<String> = startup.args.clone();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [_, "run", settings @ ..] => harness::run(settings, &mut startup),
        [_, "peer", role, rest @ ..] => peer::run(role, rest, &mut startup),
        _ => {
            user::println!("bench: usage: bench run [bench.*=...] | bench peer <role> ...");
            EXIT_FAILED
        }
    }
}
