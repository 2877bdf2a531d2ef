//! Ports (spec §8): create, queue and wait, FIFO order, one waiter released per packet, and
//! the bound on queued packets.

use std::sync::Arc;

use super::*;
use crate::abi::{
    HandleValue, Rights, Status, ZX_PKT_TYPE_SIGNAL_ONE, ZX_PKT_TYPE_USER,
    ZX_PORT_BIND_TO_INTERRUPT, ZX_TIME_INFINITE, ZX_TIME_INFINITE_PAST, ZxResult,
};
use crate::handle::HandleTable;
use crate::ipc::Event;
use crate::testing::{Counter, manual_clock, poll, ready};
use crate::time::Clock;

fn port(table: &HandleTable) -> HandleValue {
    table.insert(Port::create(0).unwrap()).unwrap()
}

fn user(key: u64) -> PortPacket {
    PortPacket::user(key, 0, [key as u8; 32])
}

fn try_wait(table: &HandleTable, value: HandleValue, clock: &Arc<dyn Clock>) -> ZxResult<u64> {
    let mut wait = port_wait(table, value, ZX_TIME_INFINITE_PAST, clock)?;
    ready(&mut wait).map(|packet| packet.key)
}

#[test]
fn port_create_accepts_only_bind_to_interrupt() {
    assert!(Port::create(0).is_ok());
    let bound = Port::create(ZX_PORT_BIND_TO_INTERRUPT).unwrap();
    assert_eq!(
        bound.downcast::<Port>().unwrap().options(),
        ZX_PORT_BIND_TO_INTERRUPT
    );
    assert_eq!(Port::create(2).err(), Some(Status::InvalidArgs));
}

#[test]
fn a_port_handle_can_queue_and_read_but_not_wait() {
    let handle = Port::create(0).unwrap();
    assert!(
        handle
            .rights()
            .contains(Rights::READ | Rights::WRITE | Rights::DUPLICATE)
    );
    assert!(!handle.rights().contains(Rights::WAIT));
    assert!(handle.object().signal_state().is_none());
}

#[test]
fn packets_come_out_in_the_order_they_went_in() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    for key in 1..=5 {
        port_queue(&table, value, &user(key)).unwrap();
    }
    for key in 1..=5 {
        assert_eq!(try_wait(&table, value, &clock), Ok(key));
    }
    assert_eq!(try_wait(&table, value, &clock), Err(Status::TimedOut));
}

#[test]
fn queue_forces_the_user_type_and_keeps_the_rest() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    let mut packet = PortPacket::user(9, -7, [3; 32]);
    packet.packet_type = ZX_PKT_TYPE_SIGNAL_ONE;
    port_queue(&table, value, &packet).unwrap();
    let mut wait = port_wait(&table, value, 0, &clock).unwrap();
    let received = ready(&mut wait).unwrap();
    assert_eq!(
        received,
        PortPacket {
            packet_type: ZX_PKT_TYPE_USER,
            ..packet
        }
    );
}

#[test]
fn queue_and_wait_check_the_handle() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    let event = table.insert(Event::create(0).unwrap()).unwrap();
    let read_only = table.duplicate(value, Rights::READ.bits()).unwrap();
    let write_only = table.duplicate(value, Rights::WRITE.bits()).unwrap();

    assert_eq!(port_queue(&table, 0x1233, &user(1)), Err(Status::BadHandle));
    assert_eq!(port_queue(&table, event, &user(1)), Err(Status::WrongType));
    assert_eq!(
        port_queue(&table, read_only, &user(1)),
        Err(Status::AccessDenied)
    );
    let status = |value| port_wait(&table, value, 0, &clock).err();
    assert_eq!(status(0x1233), Some(Status::BadHandle));
    assert_eq!(status(event), Some(Status::WrongType));
    assert_eq!(status(write_only), Some(Status::AccessDenied));
}

#[test]
fn wait_with_a_past_deadline_returns_a_queued_packet_without_sleeping() {
    let (manual, clock) = manual_clock();
    manual.set(50);
    let table = HandleTable::new();
    let value = port(&table);
    port_queue(&table, value, &user(3)).unwrap();
    assert_eq!(try_wait(&table, value, &clock), Ok(3));
    assert_eq!(try_wait(&table, value, &clock), Err(Status::TimedOut));
    assert_eq!(manual.sleeps_started(), 0);
}

#[test]
fn wait_times_out_at_the_deadline() {
    let (manual, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    let (counter, waker) = Counter::new();
    let mut wait = port_wait(&table, value, 1_000, &clock).unwrap();
    assert!(poll(&mut wait, &waker).is_pending());
    manual.set(1_000);
    assert_eq!(counter.wakes(), 1);
    assert_eq!(ready(&mut wait), Err(Status::TimedOut));
}

#[test]
fn a_blocked_wait_gets_the_next_packet() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    let (counter, waker) = Counter::new();
    let mut wait = port_wait(&table, value, ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll(&mut wait, &waker).is_pending());
    port_queue(&table, value, &user(8)).unwrap();
    assert_eq!(counter.wakes(), 1);
    assert_eq!(ready(&mut wait).map(|packet| packet.key), Ok(8));
}

#[test]
fn one_packet_releases_one_waiter() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    let counters: Vec<_> = (0..3).map(|_| Counter::new()).collect();
    let mut waits: Vec<PortWait> = counters
        .iter()
        .map(|(_, waker)| {
            let mut wait = port_wait(&table, value, ZX_TIME_INFINITE, &clock).unwrap();
            assert!(poll(&mut wait, waker).is_pending());
            wait
        })
        .collect();

    port_queue(&table, value, &user(1)).unwrap();
    let wakes: Vec<usize> = counters
        .iter()
        .map(|(counter, _)| counter.wakes())
        .collect();
    assert_eq!(
        wakes,
        vec![1, 0, 0],
        "only the first waiter in line is released"
    );

    port_queue(&table, value, &user(2)).unwrap();
    let wakes: Vec<usize> = counters
        .iter()
        .map(|(counter, _)| counter.wakes())
        .collect();
    assert_eq!(wakes, vec![1, 1, 0]);

    assert_eq!(ready(&mut waits[0]).map(|packet| packet.key), Ok(1));
    assert_eq!(ready(&mut waits[1]).map(|packet| packet.key), Ok(2));
    assert!(poll(&mut waits[2], &counters[2].1).is_pending());
}

#[test]
fn a_released_waiter_dropped_early_passes_the_packet_on() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    let (first, first_waker) = Counter::new();
    let (second, second_waker) = Counter::new();
    let mut a = port_wait(&table, value, ZX_TIME_INFINITE, &clock).unwrap();
    let mut b = port_wait(&table, value, ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll(&mut a, &first_waker).is_pending());
    assert!(poll(&mut b, &second_waker).is_pending());

    port_queue(&table, value, &user(4)).unwrap();
    assert_eq!((first.wakes(), second.wakes()), (1, 0));
    drop(a);
    assert_eq!(second.wakes(), 1);
    assert_eq!(ready(&mut b).map(|packet| packet.key), Ok(4));
}

#[test]
fn a_released_waiter_that_finds_the_packet_taken_waits_on_at_the_head() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    let (first, first_waker) = Counter::new();
    let (second, second_waker) = Counter::new();
    let mut a = port_wait(&table, value, ZX_TIME_INFINITE, &clock).unwrap();
    let mut b = port_wait(&table, value, ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll(&mut a, &first_waker).is_pending());
    assert!(poll(&mut b, &second_waker).is_pending());

    port_queue(&table, value, &user(1)).unwrap();
    assert_eq!(
        try_wait(&table, value, &clock),
        Ok(1),
        "a newcomer takes the packet"
    );
    assert!(poll(&mut a, &first_waker).is_pending());

    port_queue(&table, value, &user(2)).unwrap();
    assert_eq!(
        (first.wakes(), second.wakes()),
        (2, 0),
        "the first waiter kept its place"
    );
    assert_eq!(ready(&mut a).map(|packet| packet.key), Ok(2));
}

#[test]
fn a_full_port_refuses_packets() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    let event = table.insert(Event::create(0).unwrap()).unwrap();
    for key in 0..MAX_PENDING_PACKETS as u64 - 1 {
        port_queue(&table, value, &user(key)).unwrap();
    }
    let signals = crate::abi::Signals::USER_0;
    crate::wait::wait_async(&table, event, value, 1, signals, 0, &clock).unwrap();
    assert_eq!(port_queue(&table, value, &user(0)), Err(Status::ShouldWait));
    let refused = crate::wait::wait_async(&table, event, value, 2, signals, 0, &clock);
    assert_eq!(refused, Err(Status::NoMemory));

    // The armed observer's packet still fits.
    crate::signal::object_signal(&table, event, 0, signals.bits()).unwrap();
    let port = table.get::<Port>(value, Rights::empty()).unwrap();
    assert_eq!(port.pending_packets(), MAX_PENDING_PACKETS);
}

// --- port_wait_now: the non-blocking path a syscall tries before it makes a future ---

#[test]
fn port_wait_now_takes_the_first_queued_packet_whatever_the_deadline() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    for key in 1..=4 {
        port_queue(&table, value, &user(key)).unwrap();
    }
    let deadlines = [ZX_TIME_INFINITE_PAST, 0, 1_000, ZX_TIME_INFINITE];
    for (key, deadline) in (1..=4).zip(deadlines) {
        let taken = port_wait_now(&table, value, deadline, &clock).unwrap();
        assert_eq!(taken, Some(Ok(user(key))), "deadline {deadline}");
    }
    let port = table.get::<Port>(value, Rights::empty()).unwrap();
    assert_eq!(port.pending_packets(), 0);
}

#[test]
fn port_wait_now_past_the_deadline_with_nothing_queued_times_out() {
    let (manual, clock) = manual_clock();
    manual.set(50);
    let table = HandleTable::new();
    let value = port(&table);
    for deadline in [ZX_TIME_INFINITE_PAST, 0, 50] {
        let result = port_wait_now(&table, value, deadline, &clock);
        assert_eq!(
            result,
            Ok(Some(Err(Status::TimedOut))),
            "deadline {deadline}"
        );
    }
    assert_eq!(manual.sleeps_started(), 0);
}

#[test]
fn port_wait_now_that_would_wait_is_none_and_leaves_no_waiter_behind() {
    let (manual, clock) = manual_clock();
    manual.set(50);
    let table = HandleTable::new();
    let value = port(&table);
    for deadline in [51, ZX_TIME_INFINITE] {
        let result = port_wait_now(&table, value, deadline, &clock);
        assert_eq!(result, Ok(None), "deadline {deadline}");
    }
    assert_eq!(manual.sleeps_started(), 0);

    // No waiter was left in line to claim the next packet.
    let (counter, waker) = Counter::new();
    let mut wait = port_wait(&table, value, ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll(&mut wait, &waker).is_pending());
    port_queue(&table, value, &user(6)).unwrap();
    assert_eq!(counter.wakes(), 1, "the only waiter in line is released");
    assert_eq!(ready(&mut wait).map(|packet| packet.key), Ok(6));
}

#[test]
fn port_wait_now_checks_the_handle_as_port_wait_does() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let value = port(&table);
    port_queue(&table, value, &user(1)).unwrap();
    let event = table.insert(Event::create(0).unwrap()).unwrap();
    let write_only = table.duplicate(value, Rights::WRITE.bits()).unwrap();
    for (bad, status) in [
        (0x1233, Status::BadHandle),
        (event, Status::WrongType),
        (write_only, Status::AccessDenied),
    ] {
        for deadline in [ZX_TIME_INFINITE_PAST, ZX_TIME_INFINITE] {
            let now = port_wait_now(&table, bad, deadline, &clock);
            assert_eq!(now, Err(status), "deadline {deadline}");
            assert_eq!(port_wait(&table, bad, deadline, &clock).err(), Some(status));
        }
    }
    let port = table.get::<Port>(value, Rights::empty()).unwrap();
    assert_eq!(port.pending_packets(), 1, "a refused wait takes no packet");
}

#[test]
fn port_wait_now_agrees_with_the_first_poll_of_port_wait() {
    let (manual, clock) = manual_clock();
    manual.set(10);
    let table = HandleTable::new();
    for queued in [false, true] {
        for deadline in [ZX_TIME_INFINITE_PAST, 10, 11, ZX_TIME_INFINITE] {
            let now_port = port(&table);
            let future_port = port(&table);
            if queued {
                port_queue(&table, now_port, &user(2)).unwrap();
                port_queue(&table, future_port, &user(2)).unwrap();
            }
            let now = port_wait_now(&table, now_port, deadline, &clock).unwrap();
            let mut wait = port_wait(&table, future_port, deadline, &clock).unwrap();
            let polled = match poll(&mut wait, &Counter::new().1) {
                core::task::Poll::Ready(result) => Some(result),
                core::task::Poll::Pending => None,
            };
            assert_eq!(now, polled, "queued {queued}, deadline {deadline}");
        }
    }
}
