//! Signals and waiting: each waitable object's [`SignalState`], the parked-waker machinery
//! behind it, and the `wait_async` observers that turn signals into port packets (spec §5).

mod kernel_wait;
mod observer;
mod state;
mod user;
mod waiters;

pub(crate) use kernel_wait::StateWait;
pub(crate) use observer::PortObserver;
pub(crate) use state::Registration;
pub use state::{SignalState, Wakeups};
pub use user::{object_signal, object_signal_peer};
pub(crate) use waiters::{WaiterList, WakeBatch};

#[cfg(test)]
mod tests;
