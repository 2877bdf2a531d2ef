//! `conformance`: Spinel's syscall conformance suite, one case per process.
//!
//! `init` starts this program once as `conformance list` to learn the cases, then once per
//! case as `conformance run <case>` in a job of its own (see `init`'s `suite` module for the
//! handles it passes). A case passes when its process ends with the return code the list
//! gives for it: 0 for most cases; before failing, a case sends its reason as text on the
//! report channel. Cases start helper processes of this same program as
//! `conformance helper <role> ...` (see [`helpers`]).

#![no_std]
#![no_main]
#![deny(unsafe_code)]

extern crate alloc;

mod cases;
mod fuzz;
mod harness;
mod helpers;

use alloc::format;
use alloc::string::String;
use user::{Channel, Startup};

user::entry!(main);

/// The return code of a case that failed, or of a bad command line.
const EXIT_FAILED: i64 = 1;

fn main(mut startup: Startup) -> i64 {
    let args: alloc::vec::Vec<String> = startup.args.clone();
    let args: alloc::vec::Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [_, "list"] => list(Channel::from(startup.take_handle(0))),
        [_, "run", name] => run(name, &mut startup),
        [_, "helper", role, rest @ ..] => helpers::run(role, rest, &mut startup),
        _ => {
            user::println!("conformance: usage: conformance list | run <case> | helper <role>");
            EXIT_FAILED
        }
    }
}

/// Sends the case list: one line `<name> <expected return code>` per case.
fn list(report: Channel) -> i64 {
    let mut text = String::new();
    for case in cases::all() {
        text.push_str(&format!("{} {}\n", case.name, case.expect));
    }
    match report.write(text.as_bytes(), alloc::vec::Vec::new()) {
        Ok(()) => 0,
        Err(_) => EXIT_FAILED,
    }
}

/// Runs the case called `name`.
fn run(name: &str, startup: &mut Startup) -> i64 {
    let context = harness::Context::from_startup(startup);
    user::rt::set_panic_report(&context.report);
    let Some(case) = cases::all().into_iter().find(|case| case.name == name) else {
        context.fail(&format!("no case named {name}"));
        return EXIT_FAILED;
    };
    match (case.run)(&context) {
        Ok(()) => 0,
        Err(failure) => {
            context.fail(&failure.0);
            EXIT_FAILED
        }
    }
}
