//! `zx_object_wait_many` as a future (spec §5.2).
//!
//! Every item registers when the wait is made, under one hold of the table lock. The wait ends
//! when any item is satisfied, when any item's handle is closed, or at the deadline; then every
//! item reports its object's signals in `pending` (the signals of the moment it was satisfied,
//! for satisfied items). A closed item's `pending` carries `HANDLE_CLOSED` and the status is
//! `CANCELED`, which wins over `OK`. With no items the wait is a sleep until the deadline.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::deadline::{Deadline, deadline_passed};
use super::registration::{Watcher, waitable};
use crate::abi::{HandleValue, Signals, Status, Time, ZX_WAIT_MANY_MAX_ITEMS, ZxResult};
use crate::handle::{HandleTable, TableInner};
use crate::time::Clock;

/// One entry of a `wait_many` (`zx_wait_item_t` without its output field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitItem {
    /// The handle to wait on.
    pub handle: HandleValue,
    /// The signals that satisfy the wait.
    pub waitfor: Signals,
}

/// How a `wait_many` ended: its status and each item's `pending` signals, in item order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitManyOutcome {
    /// `Ok`, `CANCELED` or `TIMED_OUT`.
    pub status: ZxResult,
    /// Each item's signals; `HANDLE_CLOSED` marks the items whose handle closed.
    pub pending: Vec<Signals>,
}

/// A pending `wait_many`; see the module doc.
pub struct WaitMany {
    watchers: Vec<Watcher>,
    deadline: Deadline,
}

/// `zx_object_wait_many`: waits for any item until `deadline`. Errors before waiting:
/// `OUT_OF_RANGE` (more than `ZX_WAIT_MANY_MAX_ITEMS` items), then for the first failing item
/// `BAD_HANDLE`, `NOT_SUPPORTED` (not waitable) or `ACCESS_DENIED` (no `WAIT`).
pub fn wait_many(
    handles: &HandleTable,
    items: &[WaitItem],
    deadline: Time,
    clock: &Arc<dyn Clock>,
) -> ZxResult<WaitMany> {
    if items.len() > ZX_WAIT_MANY_MAX_ITEMS {
        return Err(Status::OutOfRange);
    }
    let mut watchers = Vec::with_capacity(items.len());
    {
        let table = handles.lock();
        for item in items {
            watchers.push(Watcher::start(table.get(item.handle)?, item.waitfor, None)?);
        }
    }
    Ok(WaitMany {
        watchers,
        deadline: Deadline::new(deadline, clock),
    })
}

/// `zx_object_wait_many` when it need not wait: the outcome if an item is satisfied now or
/// the deadline has passed, `None` if the caller must wait (with [`wait_many`]). Errors as
/// [`wait_many`]'s. The outcome is the one [`wait_many`]'s future would give, without
/// registering anything: everything is read under the table lock, so no close comes between.
pub fn wait_many_now(
    handles: &HandleTable,
    items: &[WaitItem],
    deadline: Time,
    clock: &Arc<dyn Clock>,
) -> ZxResult<Option<WaitManyOutcome>> {
    if items.len() > ZX_WAIT_MANY_MAX_ITEMS {
        return Err(Status::OutOfRange);
    }
    let table = handles.lock();
    let outcome = pending_now(&table, items)?;
    if outcome.status.is_ok() {
        return Ok(Some(outcome));
    }
    if !deadline_passed(deadline, clock) {
        return Ok(None);
    }
    // An item satisfied before the deadline was seen to pass wins over it.
    pending_now(&table, items).map(Some)
}

/// Every item's signals now, in a `wait_many` outcome that is `OK` if one is satisfied and
/// `TIMED_OUT` otherwise; errors for the first item that cannot be waited on.
fn pending_now(table: &TableInner, items: &[WaitItem]) -> ZxResult<WaitManyOutcome> {
    let mut pending = Vec::with_capacity(items.len());
    let mut satisfied = false;
    for item in items {
        let signals = waitable(table.get(item.handle)?)?.signals();
        satisfied |= signals.intersects(item.waitfor);
        pending.push(signals);
    }
    let status = if satisfied {
        Ok(())
    } else {
        Err(Status::TimedOut)
    };
    Ok(WaitManyOutcome { status, pending })
}

impl WaitMany {
    /// Removes every item's waiter and reports.
    fn finish(&mut self) -> WaitManyOutcome {
        let mut pending = Vec::with_capacity(self.watchers.len());
        let (mut satisfied, mut canceled) = (false, false);
        for watcher in &mut self.watchers {
            let (outcome, now) = watcher.finish();
            if let Some(outcome) = outcome {
                satisfied = true;
                canceled |= outcome.contains(Signals::HANDLE_CLOSED);
            }
            pending.push(outcome.unwrap_or(now));
        }

        let status = match (canceled, satisfied) {
            (true, _) => Err(Status::Canceled),
            (false, true) => Ok(()),
            (false, false) => Err(Status::TimedOut),
        };
        WaitManyOutcome { status, pending }
    }
}

impl Future for WaitMany {
    type Output = WaitManyOutcome;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<WaitManyOutcome> {
        let this = self.get_mut();
        let mut ready = false;
        for watcher in &mut this.watchers {
            ready |= watcher.poll(cx).is_ready();
        }
        if ready || this.deadline.poll_expired(cx) {
            return Poll::Ready(this.finish());
        }
        Poll::Pending
    }
}
