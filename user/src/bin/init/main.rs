//! `init`: the first user program, started by the kernel.
//!
//! The kernel command line in the bootstrap message picks what it does (see
//! `user::cmdline`): the conformance suite (`spinel.mode=test`, [`suite`]), the benchmarks
//! (`spinel.mode=bench`, [`bench`]), or the demonstration ([`demo`]). When it returns, its process
//! exits and the kernel powers the machine off.
//!
//! `init` is also the demonstration's worker program: started by the process builder (no
//! bootstrap message, arguments `init worker ...`) it runs [`demo::worker`].

#![no_std]
#![no_main]
#![deny(unsafe_code)]

extern crate alloc;

mod bench;
mod demo;
mod suite;

use user::cmdline::{self, Mode};
use user::{Startup, println};

user::entry!(main);

/// The return code of `init` when it was started in a way it does not understand.
const EXIT_USAGE: i64 = 2;

fn main(startup: Startup) -> i64 {
    let Some(boot) = startup.boot.as_ref() else {
        return match startup.args.get(1).map(|a| a.as_str()) {
            Some("worker") => demo::worker(startup),
            _ => {
                println!(
                    "init: started without a bootstrap message and no role: {:?}",
                    startup.args
                );
                EXIT_USAGE
            }
        };
    };
    println!("init: command line {:?}", boot.cmdline);
    match cmdline::mode(&boot.cmdline) {
        Mode::Test { filter } => suite::run(boot, filter),
        Mode::Bench => bench::run(boot),
        Mode::Demo => demo::run(boot),
    }
}
