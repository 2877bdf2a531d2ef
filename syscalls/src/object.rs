//! Waiting and signalling syscalls (spec §5): `zx_object_wait_one`, `zx_object_wait_many`,
//! `zx_object_wait_async`, `zx_object_signal` and `zx_object_signal_peer`.
//!
//! A wait that can end at once (a watched signal asserted, the deadline past) ends without a
//! future (`wait_one_now`, `wait_many_now`). The others are futures of the objects crate,
//! registered (and so tied to their handles) before the syscall first yields; the thread
//! reports `BLOCKED_WAIT_ONE` or `BLOCKED_WAIT_MANY` while one is pending, and a kill drops it.

use core::mem::offset_of;

use alloc::vec::Vec;

use objects::abi::{HandleValue, Time};
use objects::signal;
use objects::task::BlockedReason;
use objects::wait::{self, WaitItem, WaitManyOutcome, WaitOne, WaitOutcome};
use objects::{Signals, Status, ZxResult};

use crate::abi::{ZX_WAIT_MANY_MAX_ITEMS, zx_signals_t, zx_wait_item_t};
use crate::context::SyscallContext;
use crate::user_ptr::UserPtr;

/// `zx_object_wait_one`: BAD_HANDLE; NOT_SUPPORTED (not waitable); ACCESS_DENIED (no
/// `WAIT`); then OK, TIMED_OUT or CANCELED with the signals in `observed` (optional);
/// INVALID_ARGS when `observed` cannot be written.
pub(crate) async fn wait_one(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    signals: zx_signals_t,
    deadline: Time,
    observed: UserPtr<zx_signals_t>,
) -> ZxResult {
    let signals = Signals::from_bits_retain(signals);
    let wait = wait::wait_one_deferred(cx.handles(), handle, signals, deadline, cx.clock());
    let outcome = cx.blocking(BlockedReason::WaitOne, wait).await??;
    report_one(cx, outcome, observed)
}

/// A `zx_object_wait_one` that the fast path registered because it must wait, with where its
/// `observed` goes; [`wait_one_started`] awaits it.
pub(crate) struct StartedWaitOne {
    wait: WaitOne,
    observed: UserPtr<zx_signals_t>,
}

/// [`wait_one`] as far as it goes without waiting: its result when it ends at once (as
/// [`wait_one_now`]), otherwise the registered wait, its handle looked up once for both.
pub(crate) fn wait_one_or_start(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    signals: zx_signals_t,
    deadline: Time,
    observed: UserPtr<zx_signals_t>,
) -> Result<ZxResult, StartedWaitOne> {
    let signals = Signals::from_bits_retain(signals);
    match wait::wait_one_or_start(cx.handles(), handle, signals, deadline, cx.clock()) {
        Err(status) => Ok(Err(status)),
        Ok(Ok(outcome)) => Ok(report_one(cx, outcome, observed)),
        Ok(Err(wait)) => Err(StartedWaitOne { wait, observed }),
    }
}

/// The rest of a `zx_object_wait_one` that [`wait_one_or_start`] registered: as [`wait_one`]
/// from its wait on. The wait is borrowed, not moved into the future: its owner drops it (and
/// unregisters it, if a kill ended it) once this returns.
pub(crate) async fn wait_one_started(
    cx: &SyscallContext<'_>,
    started: &mut StartedWaitOne,
) -> ZxResult {
    let outcome = cx
        .blocking(BlockedReason::WaitOne, &mut started.wait)
        .await?;
    report_one(cx, outcome, started.observed)
}

/// [`wait_one`] when it ends without waiting (a watched signal asserted, or the deadline
/// past), with the same outcome; `None` when it must wait.
pub(crate) fn wait_one_now(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    signals: zx_signals_t,
    deadline: Time,
    observed: UserPtr<zx_signals_t>,
) -> Option<ZxResult> {
    let signals = Signals::from_bits_retain(signals);
    let outcome = wait::wait_one_now(cx.handles(), handle, signals, deadline, cx.clock());
    Some(
        outcome
            .transpose()?
            .and_then(|outcome| report_one(cx, outcome, observed)),
    )
}

/// A `wait_one`'s ending: the signals to `observed`, then the wait's status.
fn report_one(
    cx: &SyscallContext<'_>,
    outcome: WaitOutcome,
    observed: UserPtr<zx_signals_t>,
) -> ZxResult {
    observed.write_if_present(cx.memory, &outcome.observed.bits())?;
    outcome.status
}

/// `zx_object_wait_many`: OUT_OF_RANGE (more than `ZX_WAIT_MANY_MAX_ITEMS`); INVALID_ARGS
/// (unreadable items); for the first bad item BAD_HANDLE, NOT_SUPPORTED or ACCESS_DENIED;
/// then OK, TIMED_OUT or CANCELED with every item's `pending` written.
pub(crate) async fn wait_many(
    cx: &SyscallContext<'_>,
    items: UserPtr<zx_wait_item_t>,
    count: usize,
    deadline: Time,
) -> ZxResult {
    let requested = read_items(cx, items, count)?;
    let wait = wait::wait_many(cx.handles(), &requested, deadline, cx.clock())?;
    let outcome = cx.blocking(BlockedReason::WaitMany, wait).await?;
    report_many(cx, outcome, items)
}

/// [`wait_many`] when it ends without waiting (an item satisfied, or the deadline past), with
/// the same outcome; `None` when it must wait.
pub(crate) fn wait_many_now(
    cx: &SyscallContext<'_>,
    items: UserPtr<zx_wait_item_t>,
    count: usize,
    deadline: Time,
) -> Option<ZxResult> {
    let requested = match read_items(cx, items, count) {
        Ok(requested) => requested,
        Err(status) => return Some(Err(status)),
    };
    let outcome = wait::wait_many_now(cx.handles(), &requested, deadline, cx.clock());
    Some(
        outcome
            .transpose()?
            .and_then(|outcome| report_many(cx, outcome, items)),
    )
}

/// The items of a `wait_many`: OUT_OF_RANGE (too many), INVALID_ARGS (unreadable).
fn read_items(
    cx: &SyscallContext<'_>,
    items: UserPtr<zx_wait_item_t>,
    count: usize,
) -> ZxResult<Vec<WaitItem>> {
    if count > ZX_WAIT_MANY_MAX_ITEMS {
        return Err(Status::OutOfRange);
    }
    let requested = items
        .read_array(cx.memory, count)?
        .iter()
        .map(|item| WaitItem {
            handle: item.handle,
            waitfor: Signals::from_bits_retain(item.waitfor),
        })
        .collect();
    Ok(requested)
}

/// A `wait_many`'s ending: every item's `pending`, then the wait's status.
fn report_many(
    cx: &SyscallContext<'_>,
    outcome: WaitManyOutcome,
    items: UserPtr<zx_wait_item_t>,
) -> ZxResult {
    for (index, pending) in outcome.pending.iter().enumerate() {
        let item = items.element(index)?.address();
        let field = UserPtr::<zx_signals_t>::new(item + offset_of!(zx_wait_item_t, pending) as u64);
        field.write(cx.memory, &pending.bits())?;
    }
    outcome.status
}

/// `zx_object_wait_async`: INVALID_ARGS (options); BAD_HANDLE, NOT_SUPPORTED, ACCESS_DENIED
/// (no `WAIT`) for `handle`; BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no `WRITE`) for `port`;
/// NO_MEMORY (the port is full).
pub(crate) fn wait_async(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    port: HandleValue,
    key: u64,
    signals: zx_signals_t,
    options: u32,
) -> ZxResult {
    let signals = Signals::from_bits_retain(signals);
    wait::wait_async(
        cx.handles(),
        handle,
        port,
        key,
        signals,
        options,
        cx.clock(),
    )
}

/// `zx_object_signal`: BAD_HANDLE; ACCESS_DENIED (no `SIGNAL`); INVALID_ARGS (bits the
/// object does not let user space change); NOT_SUPPORTED (not waitable).
pub(crate) fn signal(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    clear_mask: zx_signals_t,
    set_mask: zx_signals_t,
) -> ZxResult {
    signal::object_signal(cx.handles(), handle, clear_mask, set_mask)
}

/// `zx_object_signal_peer`: BAD_HANDLE; ACCESS_DENIED (no `SIGNAL_PEER`); NOT_SUPPORTED (no
/// peer); INVALID_ARGS (bits not allowed); PEER_CLOSED.
pub(crate) fn signal_peer(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    clear_mask: zx_signals_t,
    set_mask: zx_signals_t,
) -> ZxResult {
    signal::object_signal_peer(cx.handles(), handle, clear_mask, set_mask)
}
