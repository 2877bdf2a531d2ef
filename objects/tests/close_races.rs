//! Closing a handle while another thread waits on it, on OS threads standing in for CPUs: the
//! wait either finds the handle gone (BAD_HANDLE) or is registered and ends with CANCELED, and
//! every round ends one of the two ways.

mod common;

use std::future::Future;
use std::sync::{Arc, Barrier};
use std::task::{Context, Waker};
use std::thread;

use common::{block_on, clock, event};
use objects::abi::{HandleValue, Signals, Status, ZX_TIME_INFINITE};
use objects::handle::HandleTable;
use objects::wait::{WaitItem, wait_many, wait_one};

const U0: Signals = Signals::USER_0;

/// When a round of a close-versus-wait race closes the handle: whenever the scheduler lets
/// it, before the wait is made, or once the wait is registered and has been polled.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Timing {
    Race,
    CloseFirst,
    WaitFirst,
}

impl Timing {
    /// The timing of round `round`: the three in turn, so that both outcomes are forced in
    /// some rounds and the free race runs in the others.
    fn of_round(round: usize) -> Timing {
        [Timing::Race, Timing::CloseFirst, Timing::WaitFirst][round % 3]
    }
}

/// How many rounds of a close-versus-wait race ended each way.
#[derive(Default)]
struct RaceCount {
    /// The handle was gone when the wait was made: BAD_HANDLE.
    bad_handle: usize,
    /// The wait was registered, then the close ended it with CANCELED.
    canceled: usize,
}

impl RaceCount {
    /// Checks that every forced round ended the way it was forced to, so both outcomes
    /// happened.
    fn assert_both_happened(&self, rounds: usize) {
        let forced = rounds / 3;
        assert!(
            self.bad_handle >= forced,
            "BAD_HANDLE in {}",
            self.bad_handle
        );
        assert!(self.canceled >= forced, "CANCELED in {}", self.canceled);
        assert_eq!(self.bad_handle + self.canceled, rounds);
    }
}

/// Closes `value` on another thread with `timing`: after the caller registered its wait and
/// met `barrier` (`WaitFirst`), or before meeting it (`CloseFirst`).
fn close_with(
    table: &Arc<HandleTable>,
    value: HandleValue,
    timing: Timing,
    barrier: &Arc<Barrier>,
) -> thread::JoinHandle<()> {
    let (table, barrier) = (table.clone(), barrier.clone());
    thread::spawn(move || {
        if timing == Timing::WaitFirst {
            barrier.wait();
        }
        table.close(value).unwrap();
        if timing == Timing::CloseFirst {
            barrier.wait();
        }
    })
}

/// Polls a registered `wait` once; in a `WaitFirst` round it must still be pending, and the
/// close may then go ahead. Returns the outcome if the poll already ended the wait.
fn poll_then_release<F: Future + Unpin>(
    wait: &mut F,
    timing: Timing,
    barrier: &Barrier,
) -> Option<F::Output> {
    let polled = std::pin::Pin::new(wait).poll(&mut Context::from_waker(Waker::noop()));
    if timing == Timing::WaitFirst {
        assert!(polled.is_pending(), "nothing has closed the handle yet");
        barrier.wait();
    }
    match polled {
        std::task::Poll::Ready(outcome) => Some(outcome),
        std::task::Poll::Pending => None,
    }
}

/// Ends one round with its `wait`, made after the close in a `CloseFirst` round: BAD_HANDLE
/// unless the wait was registered, which only a `WaitFirst` round forces; otherwise it is
/// polled, the close let go ahead, and `check` given its outcome. Counts the outcome.
fn finish_round<F: Future + Unpin>(
    wait: Result<F, Status>,
    timing: Timing,
    barrier: &Barrier,
    count: &mut RaceCount,
    check: impl FnOnce(F::Output),
) {
    match wait {
        Err(status) => {
            assert_eq!(status, Status::BadHandle);
            assert!(timing != Timing::WaitFirst);
            count.bad_handle += 1;
        }
        Ok(mut wait) => {
            assert!(timing != Timing::CloseFirst);
            let outcome =
                poll_then_release(&mut wait, timing, barrier).unwrap_or_else(|| block_on(wait));
            check(outcome);
            count.canceled += 1;
        }
    }
}

#[test]
fn closing_a_handle_races_with_wait_one() {
    const ROUNDS: usize = 1_200;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    let barrier = Arc::new(Barrier::new(2));
    let mut count = RaceCount::default();
    for round in 0..ROUNDS {
        let timing = Timing::of_round(round);
        let value = event(&table);
        let closer = close_with(&table, value, timing, &barrier);
        if timing == Timing::CloseFirst {
            barrier.wait();
        }
        let wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock);
        finish_round(wait, timing, &barrier, &mut count, |outcome| {
            assert_eq!(outcome.status, Err(Status::Canceled));
            assert!(outcome.observed.contains(Signals::HANDLE_CLOSED));
        });
        closer.join().unwrap();
    }
    count.assert_both_happened(ROUNDS);
    assert!(table.is_empty());
}

#[test]
fn closing_a_handle_races_with_wait_many() {
    const ROUNDS: usize = 1_200;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    let barrier = Arc::new(Barrier::new(2));
    let kept = event(&table);
    let mut count = RaceCount::default();
    for round in 0..ROUNDS {
        let timing = Timing::of_round(round);
        let closed = event(&table);
        let items = [
            WaitItem {
                handle: kept,
                waitfor: U0,
            },
            WaitItem {
                handle: closed,
                waitfor: U0,
            },
        ];
        let closer = close_with(&table, closed, timing, &barrier);
        if timing == Timing::CloseFirst {
            barrier.wait();
        }
        let wait = wait_many(&table, &items, ZX_TIME_INFINITE, &clock);
        finish_round(wait, timing, &barrier, &mut count, |outcome| {
            assert_eq!(outcome.status, Err(Status::Canceled));
            assert_eq!(
                outcome.pending,
                vec![Signals::empty(), Signals::HANDLE_CLOSED]
            );
        });
        closer.join().unwrap();
    }
    count.assert_both_happened(ROUNDS);
    assert_eq!(table.len(), 1, "only the kept event is left");
}
