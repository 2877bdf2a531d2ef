//! Kernel time (`zx_time_t`): signed nanoseconds on the monotonic clock (`types.h`, spec §12).
//! The deadlines that never and always passed are the ABI crate's `ZX_TIME_INFINITE` and
//! `ZX_TIME_INFINITE_PAST`.

/// A point on the monotonic clock, in nanoseconds since boot (`zx_time_t`).
pub type Time = syscalls_abi::zx_time_t;
