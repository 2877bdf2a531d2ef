//! `zx_object_wait_one` as a future (spec §5.1).
//!
//! The wait registers when it is made ([`wait_one`]), or in its first poll with that poll's
//! waker ([`wait_one_deferred`], what the syscall awaits), under the table lock either way, so
//! it is tied to the handle it was started through: closing or replacing that handle from any
//! thread ends it with `CANCELED` and `HANDLE_CLOSED`. It ends with `OK` when a watched signal
//! is asserted (the signals of that moment, even if cleared again before the waiting task
//! runs), or with `TIMED_OUT` and the current signals at the deadline. A deadline already past
//! is seen without sleeping; `ZX_TIME_INFINITE` never sleeps.

use alloc::sync::Arc;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::deadline::{Deadline, deadline_passed};
use super::registration::{Watcher, status_of_outcome, waitable};
use crate::abi::{HandleValue, Signals, Status, Time, ZxResult};
use crate::handle::{HandleId, HandleTable};
use crate::object::KernelObject;
use crate::time::Clock;

/// How a `wait_one` ended: its status and the signals to report in `observed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitOutcome {
    /// `Ok`, `CANCELED` or `TIMED_OUT`.
    pub status: ZxResult,
    /// The signals when the wait was satisfied, cancelled (with `HANDLE_CLOSED`) or timed out.
    pub observed: Signals,
}

/// A pending `wait_one`; see the module doc.
pub struct WaitOne {
    watcher: Watcher,
    deadline: Deadline,
}

/// `zx_object_wait_one`: waits for any of `signals` on the object behind `handle` until
/// `deadline`. Errors before waiting: `BAD_HANDLE`, `NOT_SUPPORTED` (not waitable, e.g. a port),
/// `ACCESS_DENIED` (no `WAIT`).
pub fn wait_one(
    handles: &HandleTable,
    handle: HandleValue,
    signals: Signals,
    deadline: Time,
    clock: &Arc<dyn Clock>,
) -> ZxResult<WaitOne> {
    let watcher = {
        let table = handles.lock();
        Watcher::start(table.get(handle)?, signals, None)?
    };
    Ok(WaitOne {
        watcher,
        deadline: Deadline::new(deadline, clock),
    })
}

/// `zx_object_wait_one` as a syscall awaits it: [`wait_one`] made in the future's first poll.
/// That poll looks `handle` up and parks the waiter under the table lock, as [`wait_one`]
/// does, but with the poll's own waker, so that it has nothing to store afterwards; the errors
/// of [`wait_one`] are its output. Awaited as soon as it is made, it behaves as [`wait_one`]
/// awaited: nothing comes between making the wait and its first poll.
pub fn wait_one_deferred<'a>(
    handles: &'a HandleTable,
    handle: HandleValue,
    signals: Signals,
    deadline: Time,
    clock: &'a Arc<dyn Clock>,
) -> DeferredWaitOne<'a> {
    DeferredWaitOne {
        handles,
        handle,
        signals,
        deadline,
        clock,
        wait: None,
    }
}

/// A `wait_one` that starts in its first poll; see [`wait_one_deferred`].
pub struct DeferredWaitOne<'a> {
    handles: &'a HandleTable,
    handle: HandleValue,
    signals: Signals,
    deadline: Time,
    clock: &'a Arc<dyn Clock>,
    /// The wait, once the first poll has made it.
    wait: Option<WaitOne>,
}

impl Future for DeferredWaitOne<'_> {
    type Output = ZxResult<WaitOutcome>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Some(wait) = &mut this.wait {
            return Pin::new(wait).poll(cx).map(Ok);
        }
        let watcher = {
            let table = this.handles.lock();
            Watcher::start(table.get(this.handle)?, this.signals, Some(cx.waker()))?
        };
        let wait = this.wait.insert(WaitOne {
            watcher,
            deadline: Deadline::new(this.deadline, this.clock),
        });
        wait.poll_registered(cx).map(Ok)
    }
}

/// `zx_object_wait_one` when it need not wait: the outcome if a watched signal is asserted now
/// or the deadline has passed, `None` if the caller must wait (with [`wait_one`]). Errors as
/// [`wait_one`]'s. The outcome is the one [`wait_one`]'s future would give, without registering
/// anything: everything is read under the table lock, so no close of the handle comes between.
pub fn wait_one_now(
    handles: &HandleTable,
    handle: HandleValue,
    signals: Signals,
    deadline: Time,
    clock: &Arc<dyn Clock>,
) -> ZxResult<Option<WaitOutcome>> {
    let table = handles.lock();
    let state = waitable(table.get(handle)?)?;
    if let Some(outcome) = satisfied(state.signals(), signals) {
        return Ok(Some(outcome));
    }
    if !deadline_passed(deadline, clock) {
        return Ok(None);
    }
    // A signal asserted before the deadline was seen to pass wins over it.
    let observed = state.signals();
    Ok(Some(satisfied(observed, signals).unwrap_or(WaitOutcome {
        status: Err(Status::TimedOut),
        observed,
    })))
}

/// `zx_object_wait_one` as far as it goes without waiting: the outcome if a watched signal is
/// asserted now or the deadline has passed, as [`wait_one_now`] finds it, and otherwise the
/// wait, registered as [`wait_one`] registers it (its first poll stores the waker), for the
/// caller to await. Errors as [`wait_one`]'s. One hold of the table lock does it all, so a
/// wait that must block looks its handle up once.
pub fn wait_one_or_start(
    handles: &HandleTable,
    handle: HandleValue,
    signals: Signals,
    deadline: Time,
    clock: &Arc<dyn Clock>,
) -> ZxResult<Result<WaitOutcome, WaitOne>> {
    let table = handles.lock();
    let entry = table.get(handle)?;
    let state = waitable(entry)?;
    if deadline_passed(deadline, clock) {
        // A signal asserted before the deadline was seen to pass wins over it.
        let observed = state.signals();
        return Ok(Ok(satisfied(observed, signals).unwrap_or(WaitOutcome {
            status: Err(Status::TimedOut),
            observed,
        })));
    }
    match Watcher::start_unless_satisfied(entry, state, signals) {
        Err(observed) => Ok(Ok(WaitOutcome {
            status: status_of_outcome(observed),
            observed,
        })),
        Ok(watcher) => Ok(Err(WaitOne {
            watcher,
            deadline: Deadline::new(deadline, clock),
        })),
    }
}

/// The outcome of a wait for `watched` when the object's signals are `observed`, if they
/// satisfy it.
fn satisfied(observed: Signals, watched: Signals) -> Option<WaitOutcome> {
    observed.intersects(watched).then(|| WaitOutcome {
        status: status_of_outcome(observed),
        observed,
    })
}

/// A kernel-internal wait for any of `signals` on `object` until `deadline`, with no handle
/// involved (so no close ends it): for the kernel's own waits, such as a task waiting for
/// another to terminate. `NOT_SUPPORTED` if the object cannot be waited on.
pub fn wait_object(
    object: &Arc<dyn KernelObject>,
    signals: Signals,
    deadline: Time,
    clock: &Arc<dyn Clock>,
) -> ZxResult<WaitOne> {
    let watcher = Watcher::start_on(object, signals, HandleId::KERNEL)?;
    Ok(WaitOne {
        watcher,
        deadline: Deadline::new(deadline, clock),
    })
}

impl WaitOne {
    /// The first poll, in the poll that registered the waiter with `cx`'s waker: a parked
    /// waiter has nothing to check, since whatever decides it from now on wakes that waker and
    /// so polls the wait again; only the deadline is left to look at.
    fn poll_registered(&mut self, cx: &mut Context<'_>) -> Poll<WaitOutcome> {
        if self.watcher.is_decided() {
            return Pin::new(self).poll(cx);
        }
        self.poll_deadline(cx)
    }

    /// Whether the deadline has passed, and if so the outcome, whatever came first.
    fn poll_deadline(&mut self, cx: &mut Context<'_>) -> Poll<WaitOutcome> {
        if !self.deadline.poll_expired(cx) {
            return Poll::Pending;
        }

        // A signal or close that raced with the deadline wins over it.
        let outcome = match self.watcher.finish() {
            (Some(observed), _) => WaitOutcome {
                status: status_of_outcome(observed),
                observed,
            },
            (None, now) => WaitOutcome {
                status: Err(Status::TimedOut),
                observed: now,
            },
        };
        Poll::Ready(outcome)
    }
}

impl Future for WaitOne {
    type Output = WaitOutcome;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<WaitOutcome> {
        let this = self.get_mut();
        if let Poll::Ready(observed) = this.watcher.poll(cx) {
            this.watcher.finish();
            return Poll::Ready(WaitOutcome {
                status: status_of_outcome(observed),
                observed,
            });
        }
        this.poll_deadline(cx)
    }
}
