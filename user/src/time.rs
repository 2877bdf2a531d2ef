//! Monotonic time: deadlines, sleeping and the clock (spec §12).

use crate::status::ZxResult;
use crate::sys;
use core::time::Duration;
use syscalls_abi::ZX_TIME_INFINITE;

/// A point on the monotonic clock, in nanoseconds since boot (`zx_time_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(i64);

impl Time {
    /// `ZX_TIME_INFINITE`: a deadline that never comes.
    pub const INFINITE: Time = Time(ZX_TIME_INFINITE);
    /// A deadline that has always passed: waits with it only poll.
    pub const ZERO: Time = Time(0);

    /// The time `nanos` nanoseconds after boot.
    pub const fn from_nanos(nanos: i64) -> Time {
        Time(nanos)
    }

    /// Nanoseconds since boot.
    pub const fn into_nanos(self) -> i64 {
        self.0
    }

    /// Now (`zx_clock_get_monotonic`).
    #[inline]
    pub fn now() -> Time {
        Time(sys::clock_get_monotonic())
    }

    /// The deadline `duration` from now, saturating at [`Time::INFINITE`].
    pub fn after(duration: Duration) -> Time {
        Time::now().saturating_add(duration)
    }

    /// `self + duration`, saturating at [`Time::INFINITE`].
    pub fn saturating_add(self, duration: Duration) -> Time {
        let nanos = i64::try_from(duration.as_nanos()).unwrap_or(i64::MAX);
        Time(self.0.saturating_add(nanos))
    }

    /// The time from `earlier` to `self` (zero if `earlier` is later).
    pub fn since(self, earlier: Time) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0).max(0) as u64)
    }
}

/// Sleeps until `deadline` (`zx_nanosleep`).
pub fn sleep_until(deadline: Time) -> ZxResult {
    crate::Status::ok(sys::nanosleep(deadline.into_nanos()))
}

/// Sleeps for `duration`.
pub fn sleep(duration: Duration) -> ZxResult {
    sleep_until(Time::after(duration))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_saturates_at_infinite() {
        assert_eq!(
            Time::from_nanos(5).saturating_add(Duration::MAX),
            Time::INFINITE
        );
        let t = Time::from_nanos(1_000).saturating_add(Duration::from_micros(1));
        assert_eq!(t, Time::from_nanos(2_000));
    }

    #[test]
    fn since_never_goes_negative() {
        let (a, b) = (Time::from_nanos(10), Time::from_nanos(30));
        assert_eq!(b.since(a), Duration::from_nanos(20));
        assert_eq!(a.since(b), Duration::ZERO);
    }
}
