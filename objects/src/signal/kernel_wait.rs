//! A kernel-internal wait on one signal state, tied to no handle and no object: what a thread
//! uses to notice that it was killed, and what a faulting thread uses to notice that its
//! exception was released.
//!
//! It parks on its first poll, not when made, and unparks when it completes or is dropped,
//! with the guarantee of `waiters.rs`: once the drop returns, its waker is never called.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::state::{Registration, SignalState};
use crate::abi::Signals;
use crate::handle::HandleId;

/// Waits until one of `watched` is asserted on a signal state; resolves to the signals of
/// that moment.
pub(crate) struct StateWait<'a> {
    state: &'a SignalState,
    watched: Signals,
    /// The key of the parked waiter, once parked.
    parked: Option<usize>,
}

impl<'a> StateWait<'a> {
    /// A wait for any of `watched` on `state`; nothing is parked until the first poll.
    pub(crate) fn new(state: &'a SignalState, watched: Signals) -> Self {
        StateWait {
            state,
            watched,
            parked: None,
        }
    }
}

impl Future for StateWait<'_> {
    type Output = Signals;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Signals> {
        let this = self.get_mut();
        let Some(key) = this.parked else {
            let waker = Some(cx.waker());
            return match this
                .state
                .register_task(this.watched, HandleId::KERNEL, waker)
            {
                Registration::Satisfied(signals) => Poll::Ready(signals),
                Registration::Parked(key) => {
                    this.parked = Some(key);
                    Poll::Pending
                }
            };
        };
        let outcome = core::task::ready!(this.state.poll_task(key, cx));
        this.parked = None;
        if !outcome.removed {
            this.state.finish_task(key);
        }
        Poll::Ready(outcome.signals)
    }
}

impl Drop for StateWait<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.parked.take() {
            self.state.finish_task(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Counter, poll};

    #[test]
    fn resolves_at_once_when_a_watched_signal_is_asserted() {
        let state = SignalState::new(Signals::SIGNALED);
        let mut wait = StateWait::new(&state, Signals::SIGNALED);
        let (_, waker) = Counter::new();
        assert_eq!(poll(&mut wait, &waker), Poll::Ready(Signals::SIGNALED));
        assert_eq!(state.waiter_count(), 0);
    }

    #[test]
    fn parks_on_first_poll_and_wakes_on_assert() {
        let state = SignalState::new(Signals::empty());
        let mut wait = StateWait::new(&state, Signals::SIGNALED);
        assert_eq!(
            state.waiter_count(),
            0,
            "nothing parks before the first poll"
        );
        let (counter, waker) = Counter::new();
        assert!(poll(&mut wait, &waker).is_pending());
        assert_eq!(state.waiter_count(), 1);

        state.update(Signals::empty(), Signals::SIGNALED | Signals::USER_0);
        assert_eq!(counter.wakes(), 1);
        assert_eq!(
            poll(&mut wait, &waker),
            Poll::Ready(Signals::SIGNALED | Signals::USER_0)
        );
        assert_eq!(state.waiter_count(), 0);
    }

    #[test]
    fn dropping_a_parked_wait_unparks_it_and_is_never_woken() {
        let state = SignalState::new(Signals::empty());
        let (counter, waker) = Counter::new();
        let mut wait = StateWait::new(&state, Signals::SIGNALED);
        assert!(poll(&mut wait, &waker).is_pending());
        drop(wait);
        assert_eq!(state.waiter_count(), 0);
        state.update(Signals::empty(), Signals::SIGNALED);
        assert_eq!(counter.wakes(), 0);
    }
}
