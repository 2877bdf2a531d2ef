//! Waiting and signals (spec §5): `wait_one`, `wait_many`, `object_signal`, `event_create` and
//! `wait_async`, driven by hand with a manual clock.

use std::sync::Arc;
use std::task::Poll;

use super::*;
use crate::abi::{
    HandleValue, Rights, Signals, Status, ZX_OK, ZX_PKT_TYPE_SIGNAL_ONE, ZX_RIGHT_SAME_RIGHTS,
    ZX_TIME_INFINITE, ZX_TIME_INFINITE_PAST, ZX_WAIT_ASYNC_TIMESTAMP, ZX_WAIT_MANY_MAX_ITEMS,
};
use crate::handle::{Handle, HandleTable};
use crate::ipc::{Channel, Event, EventPair, Port, port_cancel};
use crate::signal::{object_signal, object_signal_peer};
use crate::testing::{Counter, manual_clock, poll, poll_noop};
use crate::time::Clock;

const U0: Signals = Signals::USER_0;
const U1: Signals = Signals::USER_1;

fn event(table: &HandleTable) -> HandleValue {
    table.insert(Event::create(0).unwrap()).unwrap()
}

fn port(table: &HandleTable) -> (HandleValue, Arc<Port>) {
    let value = table.insert(Port::create(0).unwrap()).unwrap();
    (value, table.get::<Port>(value, Rights::empty()).unwrap())
}

fn signal(table: &HandleTable, value: HandleValue, clear: Signals, set: Signals) {
    object_signal(table, value, clear.bits(), set.bits()).unwrap();
}

fn ready<F: std::future::Future + Unpin>(future: &mut F) -> F::Output {
    match poll_noop(future) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future is still pending"),
    }
}

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

// --- wait_many (spec §5.2) ---

fn items(values: &[HandleValue], waitfor: Signals) -> Vec<WaitItem> {
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

// --- object_signal and event_create (spec §5.3, §5.4) ---

#[test]
fn event_create_with_options_is_invalid_args() {
    assert_eq!(Event::create(1).err(), Some(Status::InvalidArgs));
}

#[test]
fn an_event_handle_has_basic_and_signal_rights() {
    let handle = Event::create(0).unwrap();
    assert_eq!(handle.rights(), Rights::BASIC | Rights::SIGNAL);
    assert_eq!(
        handle.object().signal_state().unwrap().signals(),
        Signals::empty()
    );
}

#[test]
fn object_signal_clears_before_it_sets() {
    let table = HandleTable::new();
    let value = event(&table);
    signal(&table, value, Signals::empty(), U0 | U1);
    signal(&table, value, U0 | U1, U1 | Signals::SIGNALED);
    let object = table.get_object(value, Rights::empty()).unwrap();
    assert_eq!(
        object.signal_state().unwrap().signals(),
        U1 | Signals::SIGNALED
    );
}

#[test]
fn object_signal_needs_the_signal_right() {
    let table = HandleTable::new();
    let value = event(&table);
    let no_signal = table.duplicate(value, Rights::WAIT.bits()).unwrap();
    assert_eq!(
        object_signal(&table, no_signal, 0, U0.bits()),
        Err(Status::AccessDenied)
    );
    assert_eq!(
        object_signal(&table, 0x1233, 0, U0.bits()),
        Err(Status::BadHandle)
    );
}

#[test]
fn object_signal_refuses_bits_the_object_does_not_allow() {
    let table = HandleTable::new();
    let value = event(&table);
    for bit in [
        Signals::READABLE,
        Signals::PEER_CLOSED,
        Signals::HANDLE_CLOSED,
    ] {
        assert_eq!(
            object_signal(&table, value, 0, bit.bits()),
            Err(Status::InvalidArgs)
        );
        assert_eq!(
            object_signal(&table, value, bit.bits(), 0),
            Err(Status::InvalidArgs)
        );
    }

    let (a, _b) = EventPair::create(0).unwrap();
    let pair = table.insert(a).unwrap();
    assert_eq!(
        object_signal(&table, pair, 0, Signals::SIGNALED.bits()),
        Ok(())
    );
    assert_eq!(
        object_signal(&table, pair, 0, Signals::PEER_CLOSED.bits()),
        Err(Status::InvalidArgs)
    );

    let (a, _b) = Channel::create(0).unwrap();
    let channel = table.insert(a).unwrap();
    assert_eq!(object_signal(&table, channel, 0, U0.bits()), Ok(()));
    assert_eq!(
        object_signal(&table, channel, 0, Signals::SIGNALED.bits()),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn object_signal_peer_signals_the_other_end() {
    let table = HandleTable::new();
    let (a, b) = EventPair::create(0).unwrap();
    let (a, b) = (table.insert(a).unwrap(), table.insert(b).unwrap());
    object_signal_peer(&table, a, 0, (U0 | Signals::SIGNALED).bits()).unwrap();
    let peer = table.get_object(b, Rights::empty()).unwrap();
    assert_eq!(
        peer.signal_state().unwrap().signals(),
        U0 | Signals::SIGNALED
    );

    table.close(b).unwrap();
    assert_eq!(
        object_signal_peer(&table, a, 0, U0.bits()),
        Err(Status::PeerClosed)
    );
    let own = table.get_object(a, Rights::empty()).unwrap();
    assert_eq!(own.signal_state().unwrap().signals(), Signals::PEER_CLOSED);
}

#[test]
fn object_signal_peer_needs_a_peer_and_the_right() {
    let table = HandleTable::new();
    let value = event(&table);
    let bare = table.duplicate(value, Rights::SIGNAL.bits()).unwrap();
    assert_eq!(
        object_signal_peer(&table, bare, 0, U0.bits()),
        Err(Status::AccessDenied)
    );
    let (a, _b) = EventPair::create(0).unwrap();
    let pair = table.insert(a).unwrap();
    let no_peer_right = table.duplicate(pair, Rights::SIGNAL.bits()).unwrap();
    assert_eq!(
        object_signal_peer(&table, no_peer_right, 0, U0.bits()),
        Err(Status::AccessDenied)
    );
    let event = Handle::new(Event::new(), Rights::SIGNAL_PEER);
    let event = table.insert(event).unwrap();
    assert_eq!(
        object_signal_peer(&table, event, 0, U0.bits()),
        Err(Status::NotSupported)
    );
}

// --- wait_async (spec §5.5) ---

fn take_packet(port: &Arc<Port>, clock: &Arc<dyn Clock>) -> Option<crate::ipc::PortPacket> {
    ready(&mut port.wait(ZX_TIME_INFINITE_PAST, clock)).ok()
}

#[test]
fn wait_async_queues_one_packet_when_a_signal_is_asserted() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (port_value, port) = port(&table);
    wait_async(&table, value, port_value, 42, U0 | U1, 0, &clock).unwrap();
    assert_eq!(port.pending_packets(), 0);

    signal(&table, value, Signals::empty(), U1 | Signals::SIGNALED);
    let packet = take_packet(&port, &clock).unwrap();
    assert_eq!(
        (packet.key, packet.packet_type, packet.status),
        (42, ZX_PKT_TYPE_SIGNAL_ONE, ZX_OK)
    );
    let signal_packet = packet.signal().unwrap();
    assert_eq!(signal_packet.trigger, U0 | U1);
    assert_eq!(signal_packet.observed, U1 | Signals::SIGNALED);
    assert_eq!((signal_packet.count, signal_packet.timestamp), (1, 0));

    // One-shot: later changes queue nothing.
    signal(&table, value, U1, Signals::empty());
    signal(&table, value, Signals::empty(), U0);
    assert_eq!(port.pending_packets(), 0);
}

#[test]
fn wait_async_on_an_asserted_signal_queues_at_once() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (port_value, port) = port(&table);
    signal(&table, value, Signals::empty(), U0);
    wait_async(&table, value, port_value, 7, U0, 0, &clock).unwrap();
    assert_eq!(
        take_packet(&port, &clock)
            .unwrap()
            .signal()
            .unwrap()
            .observed,
        U0
    );
}

#[test]
fn wait_async_timestamp_records_when_the_trigger_was_met() {
    let (manual, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (port_value, port) = port(&table);
    wait_async(
        &table,
        value,
        port_value,
        1,
        U0,
        ZX_WAIT_ASYNC_TIMESTAMP,
        &clock,
    )
    .unwrap();
    manual.set(12_345);
    signal(&table, value, Signals::empty(), U0);
    manual.set(99_999);
    assert_eq!(
        take_packet(&port, &clock)
            .unwrap()
            .signal()
            .unwrap()
            .timestamp,
        12_345
    );
}

#[test]
fn wait_async_with_unknown_options_is_invalid_args() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (port_value, _) = port(&table);
    assert_eq!(
        wait_async(&table, value, port_value, 1, U0, 2, &clock),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn wait_async_checks_the_handle_and_the_port() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (port_value, _) = port(&table);
    let no_wait = table.duplicate(value, Rights::SIGNAL.bits()).unwrap();
    let read_only_port = table.duplicate(port_value, Rights::READ.bits()).unwrap();
    let other_port = table.get::<Port>(port_value, Rights::empty()).unwrap();
    let other_port = table
        .insert(Handle::new(other_port, Rights::DEFAULT_PORT))
        .unwrap();

    let cases = [
        (0x1233, port_value, Status::BadHandle),
        (other_port, port_value, Status::NotSupported),
        (no_wait, port_value, Status::AccessDenied),
        (value, 0x1233, Status::BadHandle),
        (value, value, Status::WrongType),
        (value, read_only_port, Status::AccessDenied),
    ];
    for (handle, port, status) in cases {
        assert_eq!(
            wait_async(&table, handle, port, 1, U0, 0, &clock),
            Err(status)
        );
    }
}

#[test]
fn closing_the_handle_ends_wait_async_but_keeps_queued_packets() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (port_value, port) = port(&table);
    let other = table.duplicate(value, ZX_RIGHT_SAME_RIGHTS).unwrap();
    wait_async(&table, value, port_value, 1, U0, 0, &clock).unwrap();
    wait_async(&table, value, port_value, 2, U1, 0, &clock).unwrap();
    signal(&table, other, Signals::empty(), U0);
    table.close(value).unwrap();
    signal(&table, other, Signals::empty(), U1);
    assert_eq!(take_packet(&port, &clock).map(|packet| packet.key), Some(1));
    assert_eq!(take_packet(&port, &clock), None);
}

#[test]
fn port_cancel_ends_the_wait_and_removes_its_queued_packet() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (port_value, port) = port(&table);
    wait_async(&table, value, port_value, 1, U0, 0, &clock).unwrap();
    wait_async(&table, value, port_value, 2, U1, 0, &clock).unwrap();
    signal(&table, value, Signals::empty(), U1);
    assert_eq!(port.pending_packets(), 1);

    assert_eq!(port_cancel(&table, port_value, value, 1), Ok(()));
    assert_eq!(port_cancel(&table, port_value, value, 2), Ok(()));
    assert_eq!(
        port_cancel(&table, port_value, value, 2),
        Err(Status::NotFound)
    );
    signal(&table, value, Signals::empty(), U0);
    assert_eq!(port.pending_packets(), 0);
}

#[test]
fn a_port_whose_handles_closed_drops_its_packets() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (port_value, port) = port(&table);
    let weak = Arc::downgrade(&port);
    drop(port);
    wait_async(&table, value, port_value, 1, U0, 0, &clock).unwrap();
    table.close(port_value).unwrap();
    assert!(weak.upgrade().is_none());
    signal(&table, value, Signals::empty(), U0);
}

#[test]
fn many_waiters_are_woken_by_one_signal_in_batches() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = event(&table);
    let (port_value, port) = port(&table);
    let (counter, waker) = Counter::new();
    let mut waits: Vec<WaitOne> = (0..50)
        .map(|_| wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap())
        .collect();
    for wait in &mut waits {
        assert!(poll(wait, &waker).is_pending());
    }
    for key in 0..30 {
        wait_async(&table, value, port_value, key, U0, 0, &clock).unwrap();
    }
    signal(&table, value, Signals::empty(), U0);
    assert_eq!(counter.wakes(), 50);
    assert_eq!(port.pending_packets(), 30);
    for wait in &mut waits {
        assert_eq!(ready(wait).status, Ok(()));
    }
}
