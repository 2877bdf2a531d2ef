//! Time syscalls (spec §12): `zx_clock_get_monotonic` and `zx_nanosleep`.

use core::future::pending;

use objects::ZxResult;
use objects::abi::{Time, ZX_TIME_INFINITE};
use objects::task::BlockedReason;

use crate::context::SyscallContext;

/// `zx_clock_get_monotonic`: the time, returned in `rax` itself (the one syscall that returns
/// a value instead of a status, as in Zircon).
pub(crate) fn clock_get_monotonic(cx: &SyscallContext<'_>) -> Time {
    cx.clock().now()
}

/// `zx_nanosleep`: returns `ZX_OK` once `deadline` has passed, at once for a deadline in the
/// past, never for `ZX_TIME_INFINITE`. The thread is `BLOCKED_SLEEPING` meanwhile.
pub(crate) async fn nanosleep(cx: &SyscallContext<'_>, deadline: Time) -> ZxResult {
    let clock = cx.clock();
    if clock.now() >= deadline {
        return Ok(());
    }
    if deadline == ZX_TIME_INFINITE {
        return cx.blocking(BlockedReason::Sleeping, pending::<()>()).await;
    }
    cx.blocking(BlockedReason::Sleeping, clock.sleep_until(deadline))
        .await
}

/// [`nanosleep`] when the deadline has passed already: `ZX_OK` at once; `None` when it must
/// sleep.
pub(crate) fn nanosleep_now(cx: &SyscallContext<'_>, deadline: Time) -> Option<ZxResult> {
    (cx.clock().now() >= deadline).then_some(Ok(()))
}
