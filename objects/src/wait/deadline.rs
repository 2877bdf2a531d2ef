//! The deadline every waiting future shares: checked against the clock first, slept on only
//! when it is finite and still ahead.
//!
//! The job's timer-slack policy (`JobPolicy::timer_slack`, spec §11) is not applied, and need
//! not be: a wait ends at its deadline itself, which lies inside the window of every slack
//! mode (`CENTER` [d - s, d + s], `EARLY` [d - s, d], `LATE` [d, d + s]).

use alloc::sync::Arc;
use core::task::Context;

use crate::abi::{Time, ZX_TIME_INFINITE};
use crate::time::{Clock, Sleep};

/// A deadline and, once needed, the sleep that ends at it.
pub(crate) struct Deadline {
    at: Time,
    /// `None` for `ZX_TIME_INFINITE`: such a wait never reads the clock.
    clock: Option<Arc<dyn Clock>>,
    sleep: Option<Sleep>,
}

/// Whether deadline `at` has passed on `clock`, for a wait that tries to end without waiting;
/// `ZX_TIME_INFINITE` never passes and never reads the clock.
pub(crate) fn deadline_passed(at: Time, clock: &Arc<dyn Clock>) -> bool {
    at != ZX_TIME_INFINITE && clock.now() >= at
}

impl Deadline {
    /// A deadline at `at` on `clock`.
    pub(crate) fn new(at: Time, clock: &Arc<dyn Clock>) -> Self {
        let clock = (at != ZX_TIME_INFINITE).then(|| clock.clone());
        Deadline {
            at,
            clock,
            sleep: None,
        }
    }

    /// Whether the deadline has passed. A deadline already past is seen without sleeping; one
    /// ahead starts a sleep on first need and polls it (with `cx`'s waker) afterwards.
    pub(crate) fn poll_expired(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(clock) = &self.clock else {
            return false;
        };
        if clock.now() >= self.at {
            // Give the timer back at once rather than when the wait is dropped.
            self.sleep = None;
            return true;
        }
        let at = self.at;
        let sleep = self.sleep.get_or_insert_with(|| clock.sleep_until(at));
        let expired = sleep.as_mut().poll(cx).is_ready();
        if expired {
            self.sleep = None;
        }
        expired
    }
}
