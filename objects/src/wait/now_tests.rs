//! `wait_one_now` and `wait_many_now`: the non-blocking paths a syscall tries before it makes
//! a future (spec §5.1, §5.2). Each must give the outcome the future would give, or `None`
//! when the caller must wait, and register nothing either way.

use super::tests::items;
use super::*;
use crate::abi::{
    HandleValue, Rights, Signals, Status, Time, ZX_TIME_INFINITE, ZX_TIME_INFINITE_PAST,
    ZX_WAIT_MANY_MAX_ITEMS,
};
use crate::handle::HandleTable;
use crate::testing::{event, manual_clock, poll_noop, port, signal};

const U0: Signals = Signals::USER_0;
const U1: Signals = Signals::USER_1;

/// How many waiters the object behind `value` has registered.
fn waiters(table: &HandleTable, value: HandleValue) -> usize {
    let object = table.get_object(value, Rights::empty()).unwrap();
    object.signal_state().unwrap().waiter_count()
}

/// The output of `future`'s first poll, `None` while it is pending.
fn first_poll<F: core::future::Future + Unpin>(future: &mut F) -> Option<F::Output> {
    match poll_noop(future) {
        core::task::Poll::Ready(output) => Some(output),
        core::task::Poll::Pending => None,
    }
}

// --- wait_one_now ---

#[test]
fn wait_one_now_is_satisfied_by_a_signal_asserted_now_whatever_the_deadline() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    signal(&table, value, Signals::empty(), U0 | U1);
    for deadline in [ZX_TIME_INFINITE_PAST, 0, 1_000, ZX_TIME_INFINITE] {
        let outcome = wait_one_now(&table, value, U0, deadline, &clock).unwrap();
        assert_eq!(
            outcome,
            Some(WaitOutcome {
                status: Ok(()),
                observed: U0 | U1
            }),
            "deadline {deadline}"
        );
    }
}

#[test]
fn wait_one_now_past_the_deadline_times_out_with_the_current_signals() {
    let (manual, clock) = manual_clock();
    manual.set(50);
    let table = HandleTable::new();
    let value = event(&table);
    signal(&table, value, Signals::empty(), U1);
    for deadline in [ZX_TIME_INFINITE_PAST, 0, 49, 50] {
        let outcome = wait_one_now(&table, value, U0, deadline, &clock).unwrap();
        assert_eq!(
            outcome,
            Some(WaitOutcome {
                status: Err(Status::TimedOut),
                observed: U1
            }),
            "deadline {deadline}"
        );
    }
    assert_eq!(manual.sleeps_started(), 0);
}

#[test]
fn wait_one_now_that_would_wait_is_none_and_registers_nothing() {
    let (manual, clock) = manual_clock();
    manual.set(50);
    let table = HandleTable::new();
    let value = event(&table);
    signal(&table, value, Signals::empty(), U1);
    for deadline in [51, ZX_TIME_INFINITE] {
        assert_eq!(
            wait_one_now(&table, value, U0, deadline, &clock),
            Ok(None),
            "deadline {deadline}"
        );
    }
    assert_eq!(waiters(&table, value), 0);
    assert_eq!(manual.sleeps_started(), 0);
}

#[test]
fn wait_one_now_errors_are_those_of_wait_one() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let no_wait = table.duplicate(value, Rights::SIGNAL.bits()).unwrap();
    let (a_port, _) = port(&table);
    for (bad, status) in [
        (0x1233, Status::BadHandle),
        (no_wait, Status::AccessDenied),
        (a_port, Status::NotSupported),
    ] {
        for deadline in [ZX_TIME_INFINITE_PAST, ZX_TIME_INFINITE] {
            let now = wait_one_now(&table, bad, U0, deadline, &clock);
            assert_eq!(now, Err(status), "deadline {deadline}");
            let future = wait_one(&table, bad, U0, deadline, &clock);
            assert_eq!(future.err(), Some(status));
        }
    }
}

#[test]
fn wait_one_now_agrees_with_the_first_poll_of_wait_one() {
    let (manual, clock) = manual_clock();
    manual.set(10);
    let table = HandleTable::new();
    for asserted in [Signals::empty(), U0, U1, U0 | U1] {
        let value = event(&table);
        signal(&table, value, Signals::empty(), asserted);
        for deadline in [ZX_TIME_INFINITE_PAST, 10, 11, ZX_TIME_INFINITE] {
            let now = wait_one_now(&table, value, U0, deadline, &clock).unwrap();
            let mut wait = wait_one(&table, value, U0, deadline, &clock).unwrap();
            let polled = first_poll(&mut wait);
            assert_eq!(now, polled, "{asserted:?} by {deadline}");
        }
    }
}

// --- wait_many_now ---

#[test]
fn wait_many_now_is_satisfied_by_any_item_and_reports_every_item() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let values: Vec<HandleValue> = (0..3).map(|_| event(&table)).collect();
    signal(&table, values[0], Signals::empty(), U1);
    signal(&table, values[2], Signals::empty(), U0);
    for deadline in [ZX_TIME_INFINITE_PAST, ZX_TIME_INFINITE] {
        let outcome = wait_many_now(&table, &items(&values, U0), deadline, &clock).unwrap();
        assert_eq!(
            outcome,
            Some(WaitManyOutcome {
                status: Ok(()),
                pending: vec![U1, Signals::empty(), U0]
            }),
            "deadline {deadline}"
        );
    }
}

#[test]
fn wait_many_now_past_the_deadline_times_out_with_every_items_signals() {
    let (manual, clock) = manual_clock();
    manual.set(50);
    let table = HandleTable::new();
    let values: Vec<HandleValue> = (0..2).map(|_| event(&table)).collect();
    signal(&table, values[1], Signals::empty(), U1);
    for deadline in [ZX_TIME_INFINITE_PAST, 50] {
        let outcome = wait_many_now(&table, &items(&values, U0), deadline, &clock).unwrap();
        assert_eq!(
            outcome,
            Some(WaitManyOutcome {
                status: Err(Status::TimedOut),
                pending: vec![Signals::empty(), U1]
            }),
            "deadline {deadline}"
        );
    }
    assert_eq!(manual.sleeps_started(), 0);
}

#[test]
fn wait_many_now_that_would_wait_is_none_and_registers_nothing() {
    let (manual, clock) = manual_clock();
    manual.set(50);
    let table = HandleTable::new();
    let values: Vec<HandleValue> = (0..2).map(|_| event(&table)).collect();
    signal(&table, values[0], Signals::empty(), U1);
    for deadline in [51, ZX_TIME_INFINITE] {
        let result = wait_many_now(&table, &items(&values, U0), deadline, &clock);
        assert_eq!(result, Ok(None), "deadline {deadline}");
    }
    assert_eq!(waiters(&table, values[0]) + waiters(&table, values[1]), 0);
    assert_eq!(manual.sleeps_started(), 0);
}

#[test]
fn wait_many_now_with_no_items_times_out_only_past_the_deadline() {
    let (manual, clock) = manual_clock();
    manual.set(50);
    let table = HandleTable::new();
    let timed_out = WaitManyOutcome {
        status: Err(Status::TimedOut),
        pending: vec![],
    };
    assert_eq!(wait_many_now(&table, &[], 50, &clock), Ok(Some(timed_out)));
    assert_eq!(wait_many_now(&table, &[], 51, &clock), Ok(None));
    assert_eq!(
        wait_many_now(&table, &[], ZX_TIME_INFINITE, &clock),
        Ok(None)
    );
}

#[test]
fn wait_many_now_accepts_64_items_and_refuses_65_before_looking_at_them() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    signal(&table, value, Signals::empty(), U0);
    let max = items(&vec![value; ZX_WAIT_MANY_MAX_ITEMS], U0);
    let outcome = wait_many_now(&table, &max, ZX_TIME_INFINITE, &clock).unwrap();
    assert_eq!(outcome.map(|outcome| outcome.pending.len()), Some(64));
    let over = items(&vec![value; ZX_WAIT_MANY_MAX_ITEMS + 1], U0);
    assert_eq!(
        wait_many_now(&table, &over, ZX_TIME_INFINITE, &clock),
        Err(Status::OutOfRange)
    );
    let bad = items(&[0x1233; ZX_WAIT_MANY_MAX_ITEMS + 1], U0);
    assert_eq!(
        wait_many_now(&table, &bad, ZX_TIME_INFINITE, &clock),
        Err(Status::OutOfRange),
        "the count is checked before any handle"
    );
}

#[test]
fn wait_many_now_refuses_any_bad_item_even_beside_a_satisfied_one() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let good = event(&table);
    signal(&table, good, Signals::empty(), U0);
    let no_wait = table.duplicate(good, Rights::SIGNAL.bits()).unwrap();
    let (a_port, _) = port(&table);
    for (bad, status) in [
        (0x1233, Status::BadHandle),
        (no_wait, Status::AccessDenied),
        (a_port, Status::NotSupported),
    ] {
        for pair in [[good, bad], [bad, good]] {
            let now = wait_many_now(&table, &items(&pair, U0), ZX_TIME_INFINITE, &clock);
            assert_eq!(now, Err(status), "{pair:?}");
            let future = wait_many(&table, &items(&pair, U0), ZX_TIME_INFINITE, &clock);
            assert_eq!(future.err(), Some(status), "{pair:?}");
        }
    }
}

#[test]
fn wait_many_now_agrees_with_the_first_poll_of_wait_many() {
    let (manual, clock) = manual_clock();
    manual.set(10);
    let table = HandleTable::new();
    for asserted in [Signals::empty(), U0, U1] {
        let values = [event(&table), event(&table)];
        signal(&table, values[1], Signals::empty(), asserted);
        let deadlines: [Time; 4] = [ZX_TIME_INFINITE_PAST, 10, 11, ZX_TIME_INFINITE];
        for deadline in deadlines {
            let items = items(&values, U0);
            let now = wait_many_now(&table, &items, deadline, &clock).unwrap();
            let mut wait = wait_many(&table, &items, deadline, &clock).unwrap();
            let polled = first_poll(&mut wait);
            assert_eq!(now, polled, "{asserted:?} by {deadline}");
        }
    }
}
