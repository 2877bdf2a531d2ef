//! One waiter parked on one object's signal state, owned by a `wait_one` or `wait_many`
//! future and removed when the future ends or is dropped.

use alloc::sync::Arc;
use core::task::{Context, Poll, Waker, ready};

use crate::abi::{Rights, Signals, Status, ZxResult};
use crate::handle::{Handle, HandleId};
use crate::object::KernelObject;
use crate::signal::{Registration, SignalState};

/// A task waiter on one object, tied to the handle the wait was started through.
pub(crate) struct Watcher {
    object: Arc<dyn KernelObject>,
    state: State,
}

enum State {
    /// The outcome is known and nothing is parked: watched signals were asserted at
    /// registration, or the waiter was removed when its outcome was taken.
    Decided(Signals),
    /// Parked in the object's signal state under this key.
    Parked(usize),
    /// Removed; the outcome (if any) has been taken.
    Finished,
}

impl Watcher {
    /// Parks a waiter for `watched` on the object of `handle`. The caller holds the handle's
    /// table lock, so a close of the handle comes entirely before (and this finds it gone) or
    /// after (and cancels the waiter). `NOT_SUPPORTED` for objects that cannot be waited on,
    /// then `ACCESS_DENIED` without `WAIT`: a port fails the first way, as spec §5.1 says.
    /// With a `waker` (that of the poll making the wait), the waiter parks with it.
    pub(crate) fn start(
        handle: &Handle,
        watched: Signals,
        waker: Option<&Waker>,
    ) -> ZxResult<Watcher> {
        let signal_state = waitable(handle)?;
        Ok(Watcher::park(
            handle.object(),
            signal_state,
            watched,
            handle.id(),
            waker,
        ))
    }

    /// Parks a waiter for `watched` on `object`, tied to `handle` (`HandleId::KERNEL` for a
    /// kernel-internal wait). `NOT_SUPPORTED` for objects that cannot be waited on.
    pub(crate) fn start_on(
        object: &Arc<dyn KernelObject>,
        watched: Signals,
        handle: HandleId,
    ) -> ZxResult<Watcher> {
        let signal_state = object.signal_state().ok_or(Status::NotSupported)?;
        Ok(Watcher::park(object, signal_state, watched, handle, None))
    }

    /// Parks a waiter for `watched` on `signal_state`, the state of `object`.
    fn park(
        object: &Arc<dyn KernelObject>,
        signal_state: &SignalState,
        watched: Signals,
        handle: HandleId,
        waker: Option<&Waker>,
    ) -> Watcher {
        let state = match signal_state.register_task(watched, handle, waker) {
            Registration::Satisfied(signals) => State::Decided(signals),
            Registration::Parked(key) => State::Parked(key),
        };
        Watcher {
            object: object.clone(),
            state,
        }
    }

    /// [`Watcher::start`] without a waker, on `signal_state` (that of `handle`, as [`waitable`]
    /// found it), except that a wait satisfied at once parks nothing and needs no watcher: the
    /// signals of that moment come back instead.
    pub(crate) fn start_unless_satisfied(
        handle: &Handle,
        signal_state: &SignalState,
        watched: Signals,
    ) -> Result<Watcher, Signals> {
        match signal_state.register_task(watched, handle.id(), None) {
            Registration::Satisfied(signals) => Err(signals),
            Registration::Parked(key) => Ok(Watcher {
                object: handle.object().clone(),
                state: State::Parked(key),
            }),
        }
    }

    /// Whether the outcome is known already (nothing is parked).
    pub(crate) fn is_decided(&self) -> bool {
        matches!(self.state, State::Decided(_))
    }

    fn signal_state(&self) -> &SignalState {
        let Some(state) = self.object.signal_state() else {
            unreachable!("a watcher is only made on a waitable object");
        };
        state
    }

    /// The outcome: the signals that satisfied the wait, with `HANDLE_CLOSED` when the handle
    /// closed. `Pending` stores `cx`'s waker (on every poll).
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Signals> {
        let key = match self.state {
            State::Decided(signals) => return Poll::Ready(signals),
            State::Parked(key) => key,
            State::Finished => unreachable!("a finished watcher is not polled"),
        };
        let outcome = ready!(self.signal_state().poll_task(key, cx));
        if outcome.removed {
            self.state = State::Decided(outcome.signals);
        }
        Poll::Ready(outcome.signals)
    }

    /// Removes the waiter; returns its outcome if it had one, and the object's signals now (or
    /// the outcome again, once decided: callers read the signals only when there is none).
    pub(crate) fn finish(&mut self) -> (Option<Signals>, Signals) {
        match core::mem::replace(&mut self.state, State::Finished) {
            State::Decided(signals) => (Some(signals), signals),
            State::Parked(key) => self.signal_state().finish_task(key),
            State::Finished => (None, self.signal_state().signals()),
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if let State::Parked(key) = self.state {
            self.signal_state().finish_task(key);
        }
    }
}

/// The signal state a wait through `handle` watches: `NOT_SUPPORTED` for objects that cannot be
/// waited on, then `ACCESS_DENIED` without `WAIT` (a port fails the first way, as spec §5.1
/// says).
pub(crate) fn waitable(handle: &Handle) -> ZxResult<&SignalState> {
    let state = handle.object().signal_state().ok_or(Status::NotSupported)?;
    if !handle.rights().contains(Rights::WAIT) {
        return Err(Status::AccessDenied);
    }
    Ok(state)
}

/// The status a finished wait reports for an outcome.
pub(crate) fn status_of_outcome(outcome: Signals) -> ZxResult {
    if outcome.contains(Signals::HANDLE_CLOSED) {
        Err(Status::Canceled)
    } else {
        Ok(())
    }
}
