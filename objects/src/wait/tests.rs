//! `wait_one` and `wait_many` (spec §5.1, §5.2), driven by hand with a manual clock.

use super::*;
use crate::abi::{
    HandleValue, Rights, Signals, Status, ZX_RIGHT_SAME_RIGHTS, ZX_TIME_INFINITE,
    ZX_TIME_INFINITE_PAST, ZX_WAIT_MANY_MAX_ITEMS,
};
use crate::handle::HandleTable;
use crate::testing::{Counter, event, manual_clock, poll, poll_noop, port, ready, signal};

const U0: Signals = Signals::USER_0;
const U1: Signals = Signals::USER_1;

// --- wait_one (spec §5.1) ---

#[test]
fn wait_one_returns_at_once_when_a_signal_is_asserted_already() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    signal(&table, value, Signals::empty(), U0 | U1);
    let mut wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
    let outcome = ready(&mut wait);
    assert_eq!(outcome.status, Ok(()));
    assert_eq!(
        outcome.observed,
        U0 | U1,
        "observed carries every asserted signal"
    );
}

#[test]
fn wait_one_completes_when_a_watched_signal_is_asserted_later() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (counter, waker) = Counter::new();
    let mut wait = wait_one(&table, value, U1, ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll(&mut wait, &waker).is_pending());

    signal(&table, value, Signals::empty(), U0);
    assert_eq!(counter.wakes(), 0, "an unwatched signal wakes nobody");
    assert!(poll(&mut wait, &waker).is_pending());

    signal(&table, value, Signals::empty(), U1);
    assert_eq!(counter.wakes(), 1);
    assert_eq!(
        ready(&mut wait),
        WaitOutcome {
            status: Ok(()),
            observed: U0 | U1
        }
    );
}

#[test]
fn wait_one_sees_a_pulse_cleared_before_it_runs() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let mut wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll_noop(&mut wait).is_pending());
    signal(&table, value, Signals::empty(), U0);
    signal(&table, value, U0, Signals::empty());
    assert_eq!(
        ready(&mut wait),
        WaitOutcome {
            status: Ok(()),
            observed: U0
        }
    );
}

#[test]
fn wait_one_registered_before_its_first_poll_misses_nothing() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let mut wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
    signal(&table, value, Signals::empty(), U0);
    signal(&table, value, U0, Signals::empty());
    assert_eq!(ready(&mut wait).status, Ok(()));
}

#[test]
fn wait_one_uses_the_waker_of_the_latest_poll() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (first, first_waker) = Counter::new();
    let (second, second_waker) = Counter::new();
    let mut wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll(&mut wait, &first_waker).is_pending());
    assert!(poll(&mut wait, &second_waker).is_pending());
    signal(&table, value, Signals::empty(), U0);
    assert_eq!((first.wakes(), second.wakes()), (0, 1));
}

#[test]
fn wait_one_with_a_past_deadline_times_out_without_sleeping() {
    let (manual, clock) = manual_clock();
    manual.set(1_000);
    let table = HandleTable::new();
    let value = event(&table);
    signal(&table, value, Signals::empty(), U1);
    for deadline in [ZX_TIME_INFINITE_PAST, 0, 1_000] {
        let mut wait = wait_one(&table, value, U0, deadline, &clock).unwrap();
        assert_eq!(
            ready(&mut wait),
            WaitOutcome {
                status: Err(Status::TimedOut),
                observed: U1
            }
        );
    }
    assert_eq!(manual.sleeps_started(), 0);
}

#[test]
fn wait_one_with_a_past_deadline_still_reports_asserted_signals() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    signal(&table, value, Signals::empty(), U0);
    let mut wait = wait_one(&table, value, U0, ZX_TIME_INFINITE_PAST, &clock).unwrap();
    assert_eq!(ready(&mut wait).status, Ok(()));
}

#[test]
fn wait_one_times_out_at_the_deadline_with_the_current_signals() {
    let (manual, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (counter, waker) = Counter::new();
    let mut wait = wait_one(&table, value, U0, 500, &clock).unwrap();
    assert!(poll(&mut wait, &waker).is_pending());
    signal(&table, value, Signals::empty(), U1);
    manual.set(499);
    assert_eq!(counter.wakes(), 0);
    manual.set(500);
    assert_eq!(counter.wakes(), 1);
    assert_eq!(
        ready(&mut wait),
        WaitOutcome {
            status: Err(Status::TimedOut),
            observed: U1
        }
    );
    assert_eq!(manual.sleeping(), 0);
}

#[test]
fn wait_one_with_an_infinite_deadline_never_sleeps() {
    let (manual, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let mut wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
    for _ in 0..3 {
        assert!(poll_noop(&mut wait).is_pending());
    }
    manual.set(i64::MAX - 1);
    assert!(poll_noop(&mut wait).is_pending());
    assert_eq!(manual.sleeps_started(), 0);
}

#[test]
fn wait_one_on_a_bad_handle_is_bad_handle() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    assert_eq!(
        wait_one(&table, 0x1233, U0, 0, &clock).err(),
        Some(Status::BadHandle)
    );
}

#[test]
fn wait_one_without_the_wait_right_is_access_denied() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let no_wait = table.duplicate(value, Rights::SIGNAL.bits()).unwrap();
    assert_eq!(
        wait_one(&table, no_wait, U0, 0, &clock).err(),
        Some(Status::AccessDenied)
    );
}

#[test]
fn wait_one_on_a_port_is_not_supported() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (value, _) = port(&table);
    assert_eq!(
        wait_one(&table, value, U0, 0, &clock).err(),
        Some(Status::NotSupported)
    );
}

#[test]
fn closing_the_handle_cancels_wait_one_with_handle_closed() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let other = table.duplicate(value, ZX_RIGHT_SAME_RIGHTS).unwrap();
    signal(&table, value, Signals::empty(), U1);
    let (counter, waker) = Counter::new();
    let mut wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll(&mut wait, &waker).is_pending());
    table.close(value).unwrap();
    assert_eq!(counter.wakes(), 1);
    let outcome = ready(&mut wait);
    assert_eq!(outcome.status, Err(Status::Canceled));
    assert_eq!(outcome.observed, U1 | Signals::HANDLE_CLOSED);
    table.close(other).unwrap();
}

#[test]
fn closing_another_handle_to_the_object_leaves_the_wait_alone() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let other = table.duplicate(value, ZX_RIGHT_SAME_RIGHTS).unwrap();
    let mut wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
    table.close(other).unwrap();
    assert!(poll_noop(&mut wait).is_pending());
    signal(&table, value, Signals::empty(), U0);
    assert_eq!(ready(&mut wait).status, Ok(()));
}

#[test]
fn replacing_the_handle_cancels_the_wait() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let mut wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
    let _new = table.replace(value, ZX_RIGHT_SAME_RIGHTS).unwrap();
    assert_eq!(ready(&mut wait).status, Err(Status::Canceled));
}

#[test]
fn a_dropped_wait_unregisters_itself() {
    let (manual, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let object = table.get_object(value, Rights::empty()).unwrap();
    let state = object.signal_state().unwrap();
    let mut wait = wait_one(&table, value, U0, 1_000, &clock).unwrap();
    assert!(poll_noop(&mut wait).is_pending());
    assert_eq!((state.waiter_count(), manual.sleeping()), (1, 1));
    drop(wait);
    assert_eq!((state.waiter_count(), manual.sleeping()), (0, 0));
}

#[test]
fn a_kernel_wait_on_an_object_ends_only_on_signals_or_the_deadline() {
    let (manual, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let object = table.get_object(value, Rights::empty()).unwrap();
    let mut signaled = wait_object(&object, U0, ZX_TIME_INFINITE, &clock).unwrap();
    let mut timed = wait_object(&object, U1, 10, &clock).unwrap();
    assert!(poll_noop(&mut signaled).is_pending());
    assert!(poll_noop(&mut timed).is_pending());

    table.close(value).unwrap();
    assert!(
        poll_noop(&mut signaled).is_pending(),
        "no handle close ends a kernel wait"
    );
    object.user_signal(Signals::empty(), U0).unwrap();
    assert_eq!(
        ready(&mut signaled),
        WaitOutcome {
            status: Ok(()),
            observed: U0
        }
    );
    manual.set(10);
    assert_eq!(
        ready(&mut timed),
        WaitOutcome {
            status: Err(Status::TimedOut),
            observed: U0
        }
    );

    let (_, a_port) = port(&table);
    let a_port: std::sync::Arc<dyn crate::object::KernelObject> = a_port;
    assert_eq!(
        wait_object(&a_port, U0, 0, &clock).err(),
        Some(Status::NotSupported)
    );
}

// --- wait_many (spec §5.2) ---

/// One wait item per handle value, all watching `waitfor`.
pub(super) fn items(values: &[HandleValue], waitfor: Signals) -> Vec<WaitItem> {
    values
        .iter()
        .map(|&handle| WaitItem { handle, waitfor })
        .collect()
}

#[test]
fn wait_many_fills_pending_for_every_item() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let values: Vec<HandleValue> = (0..3).map(|_| event(&table)).collect();
    signal(&table, values[2], Signals::empty(), U1);
    let mut wait = wait_many(&table, &items(&values, U0), ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll_noop(&mut wait).is_pending());
    signal(&table, values[1], Signals::empty(), U0);
    let outcome = ready(&mut wait);
    assert_eq!(outcome.status, Ok(()));
    assert_eq!(outcome.pending, vec![Signals::empty(), U0, U1]);
}

#[test]
fn wait_many_times_out_with_every_items_signals() {
    let (manual, clock) = manual_clock();
    let table = HandleTable::new();
    let values: Vec<HandleValue> = (0..2).map(|_| event(&table)).collect();
    signal(&table, values[0], Signals::empty(), U1);
    let mut wait = wait_many(&table, &items(&values, U0), 10, &clock).unwrap();
    assert!(poll_noop(&mut wait).is_pending());
    manual.set(10);
    let outcome = ready(&mut wait);
    assert_eq!(outcome.status, Err(Status::TimedOut));
    assert_eq!(outcome.pending, vec![U1, Signals::empty()]);
}

#[test]
fn closing_one_handle_cancels_wait_many() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let values: Vec<HandleValue> = (0..3).map(|_| event(&table)).collect();
    let mut wait = wait_many(&table, &items(&values, U0), ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll_noop(&mut wait).is_pending());
    table.close(values[1]).unwrap();
    let outcome = ready(&mut wait);
    assert_eq!(outcome.status, Err(Status::Canceled));
    assert_eq!(
        outcome.pending,
        vec![Signals::empty(), Signals::HANDLE_CLOSED, Signals::empty()]
    );
}

#[test]
fn wait_many_accepts_64_items_and_refuses_65() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let max = items(&vec![value; ZX_WAIT_MANY_MAX_ITEMS], U0);
    assert!(wait_many(&table, &max, 0, &clock).is_ok());
    let over = items(&vec![value; ZX_WAIT_MANY_MAX_ITEMS + 1], U0);
    assert_eq!(
        wait_many(&table, &over, 0, &clock).err(),
        Some(Status::OutOfRange)
    );
}

#[test]
fn wait_many_refuses_any_bad_item() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let good = event(&table);
    let no_wait = table.duplicate(good, Rights::SIGNAL.bits()).unwrap();
    let (a_port, _) = port(&table);
    for (bad, status) in [
        (0x1233, Status::BadHandle),
        (no_wait, Status::AccessDenied),
        (a_port, Status::NotSupported),
    ] {
        let result = wait_many(&table, &items(&[good, bad], U0), 0, &clock);
        assert_eq!(result.err(), Some(status));
    }
    let object = table.get_object(good, Rights::empty()).unwrap();
    assert_eq!(
        object.signal_state().unwrap().waiter_count(),
        0,
        "failed waits unregister"
    );
}

#[test]
fn wait_many_with_no_items_sleeps_until_the_deadline() {
    let (manual, clock) = manual_clock();
    let table = HandleTable::new();
    let mut wait = wait_many(&table, &[], 100, &clock).unwrap();
    assert!(poll_noop(&mut wait).is_pending());
    manual.set(100);
    assert_eq!(ready(&mut wait).status, Err(Status::TimedOut));
}

// --- wait_one_deferred: the wait made in its first poll ---

#[test]
fn a_deferred_wait_one_reports_bad_handles_and_rights_at_its_first_poll() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let no_wait = table.duplicate(value, Rights::SIGNAL.bits()).unwrap();
    let (a_port, _) = port(&table);
    for (handle, status) in [
        (0x1233, Status::BadHandle),
        (no_wait, Status::AccessDenied),
        (a_port, Status::NotSupported),
    ] {
        let mut wait = wait_one_deferred(&table, handle, U0, ZX_TIME_INFINITE, &clock);
        assert_eq!(ready(&mut wait), Err(status));
    }
}

#[test]
fn a_deferred_wait_one_looks_the_handle_up_at_its_first_poll() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let mut wait = wait_one_deferred(&table, value, U0, ZX_TIME_INFINITE, &clock);
    table.close(value).unwrap();
    assert_eq!(ready(&mut wait), Err(Status::BadHandle));
}

#[test]
fn a_deferred_wait_one_ends_at_its_first_poll_when_a_signal_is_asserted() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    signal(&table, value, Signals::empty(), U0 | U1);
    let mut wait = wait_one_deferred(&table, value, U0, ZX_TIME_INFINITE, &clock);
    let expected = WaitOutcome {
        status: Ok(()),
        observed: U0 | U1,
    };
    assert_eq!(ready(&mut wait), Ok(expected));
}

#[test]
fn a_deferred_wait_one_parks_with_the_waker_of_its_first_poll() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (counter, waker) = Counter::new();
    let mut wait = wait_one_deferred(&table, value, U1, ZX_TIME_INFINITE, &clock);
    assert!(poll(&mut wait, &waker).is_pending());
    signal(&table, value, Signals::empty(), U0);
    assert_eq!(counter.wakes(), 0, "an unwatched signal wakes nobody");
    signal(&table, value, Signals::empty(), U1);
    signal(&table, value, U1, Signals::empty());
    assert_eq!(counter.wakes(), 1, "the first poll's waker is woken");
    let expected = WaitOutcome {
        status: Ok(()),
        observed: U0 | U1,
    };
    assert_eq!(
        poll(&mut wait, &waker),
        core::task::Poll::Ready(Ok(expected))
    );
}

#[test]
fn a_deferred_wait_one_is_canceled_when_its_handle_closes() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let other = table.duplicate(value, ZX_RIGHT_SAME_RIGHTS).unwrap();
    let (counter, waker) = Counter::new();
    let mut wait = wait_one_deferred(&table, value, U0, ZX_TIME_INFINITE, &clock);
    assert!(poll(&mut wait, &waker).is_pending());
    table.close(value).unwrap();
    assert_eq!(counter.wakes(), 1);
    let outcome = ready(&mut wait).unwrap();
    assert_eq!(outcome.status, Err(Status::Canceled));
    assert_eq!(outcome.observed, Signals::HANDLE_CLOSED);
    table.close(other).unwrap();
}

#[test]
fn a_deferred_wait_one_times_out_and_unregisters_when_dropped() {
    let (manual, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let object = table.get_object(value, Rights::empty()).unwrap();
    let state = object.signal_state().unwrap();

    let mut past = wait_one_deferred(&table, value, U0, ZX_TIME_INFINITE_PAST, &clock);
    let outcome = ready(&mut past).unwrap();
    assert_eq!(outcome.status, Err(Status::TimedOut));
    assert_eq!(state.waiter_count(), 0);

    let mut wait = wait_one_deferred(&table, value, U0, 1_000, &clock);
    assert!(poll_noop(&mut wait).is_pending());
    assert_eq!((state.waiter_count(), manual.sleeping()), (1, 1));
    manual.set(1_000);
    assert_eq!(ready(&mut wait).unwrap().status, Err(Status::TimedOut));
    assert_eq!((state.waiter_count(), manual.sleeping()), (0, 0));

    let mut dropped = wait_one_deferred(&table, value, U0, 1_000_000, &clock);
    assert!(poll_noop(&mut dropped).is_pending());
    drop(dropped);
    assert_eq!((state.waiter_count(), manual.sleeping()), (0, 0));
}

// --- wait_one_or_start: the outcome now, or the wait registered ---

#[test]
fn wait_one_or_start_ends_at_once_when_it_need_not_wait_and_registers_nothing() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let object = table.get_object(value, Rights::empty()).unwrap();
    let state = object.signal_state().unwrap();
    signal(&table, value, Signals::empty(), U1);

    let satisfied = wait_one_or_start(&table, value, U1, ZX_TIME_INFINITE, &clock).unwrap();
    let expected = WaitOutcome {
        status: Ok(()),
        observed: U1,
    };
    assert_eq!(satisfied.ok(), Some(expected));
    let timed_out = wait_one_or_start(&table, value, U0, ZX_TIME_INFINITE_PAST, &clock).unwrap();
    let expected = WaitOutcome {
        status: Err(Status::TimedOut),
        observed: U1,
    };
    assert_eq!(timed_out.ok(), Some(expected));
    assert_eq!(state.waiter_count(), 0);
    assert_eq!(
        wait_one_or_start(&table, 0x1233, U0, 0, &clock).err(),
        Some(Status::BadHandle)
    );
}

#[test]
fn wait_one_or_start_registers_a_wait_that_must_block_before_returning_it() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let Err(mut wait) = wait_one_or_start(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap()
    else {
        panic!("the wait must block");
    };
    signal(&table, value, Signals::empty(), U0);
    signal(&table, value, U0, Signals::empty());
    assert_eq!(
        ready(&mut wait),
        WaitOutcome {
            status: Ok(()),
            observed: U0
        }
    );
}
