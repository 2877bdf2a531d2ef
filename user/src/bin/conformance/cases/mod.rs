//! The case table: one module per family of syscalls, in the order of the spec's sections.

use crate::harness::Case;
use alloc::vec::Vec;

mod channel;
mod channel_call;
mod containment;
mod exception;
mod exception_order;
mod handle;
mod info;
mod job;
mod memory;
mod policy;
mod port;
mod process;
mod thread;
mod vmar;
mod vmar_ranges;
mod vmo;
mod wait;

/// Every case, in a fixed order.
pub fn all() -> Vec<&'static Case> {
    [
        process::CASES,
        job::CASES,
        thread::CASES,
        memory::CASES,
        vmar::CASES,
        vmar_ranges::CASES,
        vmo::CASES,
        wait::CASES,
        handle::CASES,
        channel::CASES,
        channel_call::CASES,
        port::CASES,
        exception::CASES,
        exception_order::CASES,
        info::CASES,
        policy::CASES,
        containment::CASES,
    ]
    .into_iter()
    .flatten()
    .collect()
}
