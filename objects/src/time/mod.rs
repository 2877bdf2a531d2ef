//! Time for deadlines: the [`Clock`] trait the kernel implements with its timers, and a
//! [`ManualClock`] that moves only when told, for tests and deterministic runs.
//!
//! Times are `zx_time_t`: nanoseconds on the monotonic clock, `ZX_TIME_INFINITE` for never.

mod manual;

use alloc::boxed::Box;
use core::future::Future;
use core::pin::Pin;

pub use manual::ManualClock;

use crate::abi::Time;

/// A future that completes once its deadline has passed.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The monotonic clock and its timers, as the objects need them.
pub trait Clock: Send + Sync {
    /// The current time. Called with spin locks held (to stamp `wait_async` packets), so it
    /// must not block.
    fn now(&self) -> Time;

    /// A future that completes once `now() >= deadline`. Waits call it only for a finite
    /// deadline still in the future, and drop it when they end first.
    fn sleep_until(&self, deadline: Time) -> Sleep;
}
