//! Kernel time (`zx_time_t`): signed nanoseconds on the monotonic clock (`types.h`, spec §12).

/// A point on the monotonic clock, in nanoseconds since boot (`zx_time_t`).
pub type Time = i64;

/// `ZX_TIME_INFINITE`: a deadline that never passes.
pub const ZX_TIME_INFINITE: Time = i64::MAX;

/// `ZX_TIME_INFINITE_PAST`: a deadline that has always passed.
pub const ZX_TIME_INFINITE_PAST: Time = i64::MIN;
