//! Waiting on signals (spec §5): `wait_one` and `wait_many` futures and `wait_async`, all
//! started through a process's handle table so that closing the handle ends them.
//!
//! The syscall layer calls these with the calling process's table; each looks the handle up,
//! checks it and registers its waiter in one hold of the table lock, then returns. The future
//! it returns is what the syscall awaits; `wait_one_deferred` does the same in its first poll,
//! where it parks the waiter with that poll's waker at once. A syscall first asks `wait_one_now` or
//! `wait_many_now`, which end a wait that need not block (a watched signal asserted, the
//! deadline past) with no future and no registration.

mod deadline;
mod registration;
mod wait_async;
mod wait_many;
mod wait_one;

pub(crate) use deadline::{Deadline, deadline_passed};
pub use wait_async::wait_async;
pub use wait_many::{WaitItem, WaitMany, WaitManyOutcome, wait_many, wait_many_now};
pub use wait_one::{
    DeferredWaitOne, WaitOne, WaitOutcome, wait_object, wait_one, wait_one_deferred, wait_one_now,
    wait_one_or_start,
};

#[cfg(test)]
mod now_tests;
#[cfg(test)]
mod tests;
