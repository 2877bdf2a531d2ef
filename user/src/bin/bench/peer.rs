//! Peer processes: the second process of the two-process cases, which is this same program
//! started as `bench peer <role> <iterations>` in the benchmark's job.
//!
//! Roles and the handles they get, in order:
//! - [`EVENT_WAITER`]: the event it waits on, the event it answers on, and a VMO into which it
//!   writes each TSC reading (`event_switch_processes`'s side B).
//! - [`CHANNEL_ECHO`]: a channel end on which it sends back every message
//!   (`channel_roundtrip_64`'s side B).
//!
//! A peer's return code is 0 when it ran every iteration; before it fails it prints why.

use alloc::string::ToString;
use alloc::vec::Vec;
use user::{
    AsHandleRef, Channel, Event, Handle, HandleBased, ProcessBuilder, Rights, Signals, Spawned,
    Startup, Task, Time, Vmo, println,
};

use crate::EXIT_FAILED;
use crate::harness::{Context, Failure, OrFail};
use crate::ipc::{self, Events};

/// The role of `event_switch_processes`'s side B.
pub const EVENT_WAITER: &str = "event_waiter";
/// The role of `channel_roundtrip_64`'s side B.
pub const CHANNEL_ECHO: &str = "channel_echo";

/// Starts a peer with `role` for `iterations` iterations, handing it `handles`.
pub fn spawn(
    cx: &Context,
    role: &str,
    iterations: usize,
    handles: Vec<Handle>,
) -> Result<Spawned, Failure> {
    let count = iterations.to_string();
    let mut builder =
        ProcessBuilder::new(&cx.job, role, &cx.program).args(["bench", "peer", role, &count]);
    for handle in handles {
        builder = builder.handle(handle);
    }
    builder.spawn().or_fail("starting the peer process")
}

/// A duplicate of `handle` to give a peer.
pub fn dup(handle: &impl HandleBased) -> Result<Handle, Failure> {
    Ok(handle
        .duplicate(Rights::SAME_RIGHTS)
        .or_fail("handle_duplicate")?
        .into_handle())
}

/// Waits for a peer to end; fails unless it ran every iteration.
pub fn finish(peer: Spawned) -> Result<(), Failure> {
    peer.process
        .wait_terminated(Time::INFINITE)
        .or_fail("waiting for the peer")?;
    match peer.process.info().or_fail("peer info")?.return_code {
        0 => Ok(()),
        code => Err(Failure(alloc::format!("the peer ended with {code}"))),
    }
}

/// `bench peer <role> <iterations>`.
pub fn run(role: &str, rest: &[&str], startup: &mut Startup) -> i64 {
    let Some(iterations) = rest.first().and_then(|n| n.parse().ok()) else {
        println!("bench-error: peer {role}: no iteration count");
        return EXIT_FAILED;
    };
    let result = match role {
        EVENT_WAITER => {
            let events = Events {
                to_waiter: Event::from(startup.take_handle(0)),
                to_signaller: Event::from(startup.take_handle(1)),
            };
            let readings = Vmo::from(startup.take_handle(2));
            let result = ipc::waiter_side(&events, iterations, |woke| {
                readings.write(&woke.to_le_bytes(), 0).or_fail("vmo_write")
            });
            if result.is_err() {
                // Let side A see the failure (through our return code) rather than wait for
                // ever.
                let _ = events
                    .to_signaller
                    .signal(Signals::empty(), Signals::SIGNALED);
            }
            result
        }
        CHANNEL_ECHO => ipc::channel_echo(&Channel::from(startup.take_handle(0)), iterations),
        _ => Err(Failure("unknown role".into())),
    };
    match result {
        Ok(()) => 0,
        Err(Failure(why)) => {
            println!("bench-error: peer {role}: {why}");
            EXIT_FAILED
        }
    }
}
