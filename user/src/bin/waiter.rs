//! `waiter`: a program that blocks in `zx_object_wait_one` until it is killed; the members of
//! the job that the benchmark's `job_kill_10` case kills.
//!
//! It creates an event nobody else holds and waits for it to be signaled, which never happens.
//! No startup message is read and no heap is set up. If the event cannot be created or the wait
//! fails, the process exits with [`EXIT_FAILED`], which the benchmark sees as a member that never
//! blocked.

#![no_std]
#![no_main]
#![deny(unsafe_code)]

use user::{AsHandleRef, Event, Signals, Time};

user::bare_entry!(start);

/// The return code when the wait could not start or ended.
const EXIT_FAILED: i64 = 1;

fn start(_startup_channel: usize, _arg2: usize) -> ! {
    if let Ok(event) = Event::create() {
        let _ = event.wait_one(Signals::SIGNALED, Time::INFINITE);
    }
    user::sys::process_exit(EXIT_FAILED)
}
