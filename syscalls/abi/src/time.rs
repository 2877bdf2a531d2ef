//! Time (`zircon/types.h`, `zircon/time.h`, spec §12): deadlines are absolute nanoseconds on
//! the monotonic clock.

use super::types::{zx_clock_t, zx_duration_t, zx_time_t};

/// A deadline that never passes.
pub const ZX_TIME_INFINITE: zx_time_t = i64::MAX;
/// A deadline that has always passed.
pub const ZX_TIME_INFINITE_PAST: zx_time_t = i64::MIN;

/// The monotonic clock (`zx_clock_get_monotonic`, the clock of every deadline).
pub const ZX_CLOCK_MONOTONIC: zx_clock_t = 0;

/// `n` nanoseconds.
pub const fn ZX_NSEC(n: i64) -> zx_duration_t {
    n
}

/// `n` microseconds, saturating.
pub const fn ZX_USEC(n: i64) -> zx_duration_t {
    n.saturating_mul(1_000)
}

/// `n` milliseconds, saturating.
pub const fn ZX_MSEC(n: i64) -> zx_duration_t {
    n.saturating_mul(1_000_000)
}

/// `n` seconds, saturating.
pub const fn ZX_SEC(n: i64) -> zx_duration_t {
    n.saturating_mul(1_000_000_000)
}

/// The deadline `duration` after `now`, saturating at the infinities (`zx_deadline_after`
/// given the current time).
pub const fn zx_time_add_duration(now: zx_time_t, duration: zx_duration_t) -> zx_time_t {
    now.saturating_add(duration)
}
