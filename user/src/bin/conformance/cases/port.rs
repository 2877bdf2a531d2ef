//! Ports and asynchronous waits (spec §5.5, §8).

use crate::harness::{
    Case, Context, KERNEL_ADDRESS, Outcome, case, ensure, ensure_eq, ensure_err, ensure_raw,
    eventually, lending, long, reaches_state, short,
};
use alloc::sync::Arc;
use core::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use core::time::Duration;
use syscalls_abi::numbers;
use user::abi::*;
use user::port::PAYLOAD_SIZE;
use user::sys::Outs;
use user::{AsHandleRef, Event, HandleBased, Packet, Port, Rights, Signals, Time, sys};

pub const CASES: &[Case] = &[
    case("port_wait_returns_a_queued_user_packet", queue_then_wait),
    case("port_wait_past_its_deadline_times_out", wait_times_out),
    case("port_packets_come_out_in_queue_order", fifo),
    case("port_wait_async_queues_a_signal_packet", wait_async_signal),
    case(
        "port_wait_async_fires_at_once_when_already_asserted",
        wait_async_already,
    ),
    case("port_wait_async_is_one_shot", wait_async_one_shot),
    case("port_cancel_removes_a_queued_packet", cancel_queued),
    case("port_cancel_ends_a_pending_wait", cancel_pending),
    case("port_handles_cannot_be_waited_on", not_waitable),
    case(
        "port_packet_wakes_exactly_one_waiter",
        one_waiter_per_packet,
    ),
    case(
        "port_queue_without_write_right_is_access_denied",
        queue_denied,
    ),
    case(
        "port_create_with_bad_options_is_invalid_args",
        create_options,
    ),
    case(
        "object_wait_async_on_a_non_port_is_wrong_type",
        wait_async_wrong_type,
    ),
    case(
        "object_wait_async_with_unknown_options_is_invalid_args",
        wait_async_bad_options,
    ),
    case(
        "object_wait_async_timestamp_is_the_time_of_the_trigger",
        wait_async_timestamp,
    ),
    case(
        "object_wait_async_handle_close_keeps_queued_packets",
        wait_async_close_keeps_queued,
    ),
    case("port_wait_without_read_right_is_access_denied", wait_denied),
    case("port_wait_on_a_non_port_is_wrong_type", wait_wrong_type),
    case(
        "port_wait_into_a_bad_packet_pointer_is_invalid_args",
        wait_bad_packet,
    ),
    case(
        "port_queue_from_a_bad_packet_pointer_is_invalid_args",
        queue_bad_packet,
    ),
];

fn payload(byte: u8) -> [u8; PAYLOAD_SIZE] {
    [byte; PAYLOAD_SIZE]
}

fn queue_then_wait(_: &Context) -> Outcome {
    let port = Port::create()?;
    port.queue(&Packet::user(42, payload(9)))?;
    let packet = port.wait(long())?;
    ensure_eq!((packet.key, packet.packet_type), (42, ZX_PKT_TYPE_USER));
    ensure_eq!(packet.payload, payload(9));
    Ok(())
}

fn wait_times_out(_: &Context) -> Outcome {
    let port = Port::create()?;
    let deadline = short();
    ensure_err!(port.wait(deadline), TimedOut);
    ensure!(
        Time::now() >= deadline,
        "the wait ended before its deadline"
    );
    Ok(())
}

fn fifo(_: &Context) -> Outcome {
    let port = Port::create()?;
    for key in 0..8 {
        port.queue(&Packet::user(key, payload(key as u8)))?;
    }
    for key in 0..8 {
        ensure_eq!(port.wait(long())?.key, key);
    }
    Ok(())
}

fn wait_async_signal(_: &Context) -> Outcome {
    let (port, event) = (Port::create()?, Event::create()?);
    event.wait_async(&port, 7, Signals::USER_0, 0)?;
    ensure_err!(port.wait(Time::ZERO), TimedOut);
    event.signal(Signals::empty(), Signals::USER_0 | Signals::USER_1)?;
    let packet = port.wait(long())?;
    ensure_eq!(
        (packet.key, packet.packet_type, packet.status),
        (7, ZX_PKT_TYPE_SIGNAL_ONE, 0)
    );
    let signal = packet.signal().expect("a signal packet");
    ensure_eq!(signal.trigger, Signals::USER_0);
    ensure!(signal.observed.contains(Signals::USER_0 | Signals::USER_1));
    Ok(())
}

fn wait_async_already(_: &Context) -> Outcome {
    let (port, event) = (Port::create()?, Event::create()?);
    event.signal(Signals::empty(), Signals::EVENT_SIGNALED)?;
    event.wait_async(&port, 1, Signals::EVENT_SIGNALED, 0)?;
    ensure_eq!(port.wait(long())?.key, 1);
    Ok(())
}

fn wait_async_one_shot(_: &Context) -> Outcome {
    let (port, event) = (Port::create()?, Event::create()?);
    event.wait_async(&port, 1, Signals::USER_0, 0)?;
    event.signal(Signals::empty(), Signals::USER_0)?;
    port.wait(long())?;
    event.signal(Signals::USER_0, Signals::empty())?;
    event.signal(Signals::empty(), Signals::USER_0)?;
    ensure_err!(port.wait(short()), TimedOut);
    Ok(())
}

fn cancel_queued(_: &Context) -> Outcome {
    let (port, event) = (Port::create()?, Event::create()?);
    event.wait_async(&port, 5, Signals::USER_0, 0)?;
    event.signal(Signals::empty(), Signals::USER_0)?;
    port.cancel(&event, 5)?;
    ensure_err!(port.wait(short()), TimedOut);
    Ok(())
}

fn cancel_pending(_: &Context) -> Outcome {
    let (port, event) = (Port::create()?, Event::create()?);
    event.wait_async(&port, 5, Signals::USER_0, 0)?;
    port.cancel(&event, 5)?;
    event.signal(Signals::empty(), Signals::USER_0)?;
    ensure_err!(port.wait(short()), TimedOut);
    Ok(())
}

fn not_waitable(_: &Context) -> Outcome {
    let port = Port::create()?;
    let result = port.wait_one(Signals::READABLE, Time::ZERO);
    ensure!(
        matches!(
            result,
            Err(user::Status::AccessDenied | user::Status::NotSupported)
        ),
        "wait_one on a port: {result:?}"
    );
    Ok(())
}

fn one_waiter_per_packet(_: &Context) -> Outcome {
    let port = Arc::new(Port::create()?);
    let (woken, errors) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicI32::new(0)));
    let mut waiters = alloc::vec::Vec::new();
    for _ in 0..2 {
        let (port, woken, errors) = (port.clone(), woken.clone(), errors.clone());
        waiters.push(user::thread::spawn("waiter", move || {
            match port.wait(Time::INFINITE) {
                Ok(_) => {
                    woken.fetch_add(1, Ordering::SeqCst);
                }
                Err(status) => errors.store(status.into_raw(), Ordering::SeqCst),
            }
        })?);
    }
    let blocked =
        |w: &user::thread::JoinHandle| reaches_state(w.thread(), ZX_THREAD_STATE_BLOCKED_PORT);
    ensure!(waiters.iter().all(blocked), "the waiters never blocked");

    port.queue(&Packet::user(1, payload(1)))?;
    ensure!(
        eventually(|| woken.load(Ordering::SeqCst) >= 1),
        "no waiter woke"
    );
    user::time::sleep(Duration::from_millis(50))?;
    ensure_eq!(woken.load(Ordering::SeqCst), 1);
    port.queue(&Packet::user(2, payload(2)))?;
    for waiter in waiters {
        waiter.join(long()).map_err(|(status, _)| status)?;
    }
    ensure_eq!(
        (woken.load(Ordering::SeqCst), errors.load(Ordering::SeqCst)),
        (2, 0)
    );
    Ok(())
}

fn queue_denied(_: &Context) -> Outcome {
    let port = Port::create()?.duplicate(Rights::READ | Rights::TRANSFER)?;
    ensure_err!(port.queue(&Packet::user(1, payload(0))), AccessDenied);
    Ok(())
}

fn create_options(_: &Context) -> Outcome {
    ensure_err!(Port::create_with(0x80), InvalidArgs);
    Ok(())
}

fn wait_async_wrong_type(_: &Context) -> Outcome {
    let (event, not_a_port) = (Event::create()?, Event::create()?);
    let status = sys::object_wait_async(
        event.raw_handle(),
        not_a_port.raw_handle(),
        1,
        Signals::USER_0.bits(),
        0,
    );
    ensure_raw!(status, WrongType);
    Ok(())
}

fn wait_async_bad_options(_: &Context) -> Outcome {
    let (port, event) = (Port::create()?, Event::create()?);
    let unknown = ZX_WAIT_ASYNC_TIMESTAMP << 1;
    ensure_err!(
        event.wait_async(&port, 1, Signals::USER_0, unknown),
        InvalidArgs
    );
    event.signal(Signals::empty(), Signals::USER_0)?;
    ensure_err!(port.wait(Time::ZERO), TimedOut);
    Ok(())
}

fn wait_async_timestamp(_: &Context) -> Outcome {
    let (port, event) = (Port::create()?, Event::create()?);
    event.wait_async(&port, 1, Signals::USER_0, ZX_WAIT_ASYNC_TIMESTAMP)?;
    event.wait_async(&port, 2, Signals::USER_0, 0)?;
    user::time::sleep(Duration::from_millis(2))?;
    let before = Time::now();
    event.signal(Signals::empty(), Signals::USER_0)?;
    let after = Time::now();
    for _ in 0..2 {
        let packet = port.wait(long())?;
        let stamp = Time::from_nanos(packet.signal().expect("a signal packet").timestamp);
        match packet.key {
            1 => ensure!(
                before <= stamp && stamp <= after,
                "stamped {stamp:?}, signaled between {before:?} and {after:?}"
            ),
            _ => ensure_eq!(stamp, Time::ZERO),
        }
    }
    Ok(())
}

fn wait_async_close_keeps_queued(_: &Context) -> Outcome {
    let (port, event) = (Port::create()?, Event::create()?);
    let watched = event.duplicate(Rights::SAME_RIGHTS)?;
    watched.wait_async(&port, 1, Signals::USER_0, 0)?;
    watched.wait_async(&port, 2, Signals::USER_1, 0)?;
    event.signal(Signals::empty(), Signals::USER_0)?;
    drop(watched);
    // The wait that had fired keeps its packet; the other ended with the handle.
    event.signal(Signals::empty(), Signals::USER_1)?;
    ensure_eq!(port.wait(long())?.key, 1);
    ensure_err!(port.wait(short()), TimedOut);
    Ok(())
}

fn wait_denied(_: &Context) -> Outcome {
    let port = Port::create()?;
    port.queue(&Packet::user(1, payload(1)))?;
    let write_only = port.duplicate(Rights::WRITE | Rights::TRANSFER)?;
    ensure_err!(write_only.wait(Time::ZERO), AccessDenied);
    ensure_eq!(port.wait(Time::ZERO)?.key, 1);
    Ok(())
}

fn wait_wrong_type(_: &Context) -> Outcome {
    let event = Event::create()?;
    let status = sys::port_wait(event.raw_handle(), 0, &mut [0; 48]);
    ensure_raw!(status, WrongType);
    Ok(())
}

fn wait_bad_packet(_: &Context) -> Outcome {
    let port = Port::create()?;
    let handle = port.raw_handle();
    for packet in [0, KERNEL_ADDRESS] {
        port.queue(&Packet::user(1, payload(1)))?;
        let args = [handle.into(), 0, packet, 0, 0, 0, 0, 0];
        let status = lending(numbers::port_wait, args, handle, &mut Outs::default())?;
        ensure_raw!(status, InvalidArgs);
    }
    Ok(())
}

fn queue_bad_packet(_: &Context) -> Outcome {
    let port = Port::create()?;
    let handle = port.raw_handle();
    for packet in [0, KERNEL_ADDRESS] {
        let args = [handle.into(), packet, 0, 0, 0, 0, 0, 0];
        let status = lending(numbers::port_queue, args, handle, &mut Outs::default())?;
        ensure_raw!(status, InvalidArgs);
    }
    ensure_err!(port.wait(Time::ZERO), TimedOut);
    Ok(())
}
