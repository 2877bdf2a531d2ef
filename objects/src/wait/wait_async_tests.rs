//! `wait_async` and `port_cancel` (spec §5.5, §8), driven by hand with a manual clock.

use std::sync::Arc;

use super::*;
use crate::abi::{
    Rights, Signals, Status, ZX_OK, ZX_PKT_TYPE_SIGNAL_ONE, ZX_RIGHT_SAME_RIGHTS, ZX_TIME_INFINITE,
    ZX_TIME_INFINITE_PAST, ZX_WAIT_ASYNC_TIMESTAMP,
};
use crate::handle::{Handle, HandleTable};
use crate::ipc::{Port, PortPacket, port_cancel};
use crate::testing::{Counter, event, manual_clock, poll, port, ready, signal};
use crate::time::Clock;
use crate::wait::{WaitOne, wait_one};

const U0: Signals = Signals::USER_0;
const U1: Signals = Signals::USER_1;

fn take_packet(port: &Arc<Port>, clock: &Arc<dyn Clock>) -> Option<PortPacket> {
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
