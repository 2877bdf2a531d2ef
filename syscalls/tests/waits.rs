//! Waiting and signalling syscalls (spec §5): wait_one, wait_many, wait_async, signal and
//! signal_peer, with the blocked states they report.

mod common;

use std::task::Poll;

use common::{Harness, begin, poll, st};
use syscalls::abi::*;

#[test]
fn wait_one_on_an_asserted_signal_returns_at_once_with_observed() {
    let harness = Harness::new();
    let event = harness.event();
    harness.ok(
        numbers::object_signal,
        &[event.into(), 0, ZX_USER_SIGNAL_0.into()],
    );
    let observed = harness.memory.alloc(4);
    harness.ok(
        numbers::object_wait_one,
        &[
            event.into(),
            ZX_USER_SIGNAL_0.into(),
            ZX_TIME_INFINITE as u64,
            observed,
        ],
    );
    assert_eq!(harness.memory.get_u32(observed), ZX_USER_SIGNAL_0);
}

#[test]
fn wait_one_blocks_reporting_blocked_wait_one_until_signaled() {
    let harness = Harness::new();
    let event = harness.event();
    let observed = harness.memory.alloc(4);
    let cx = harness.context();
    let args = [
        event.into(),
        ZX_EVENT_SIGNALED.into(),
        ZX_TIME_INFINITE as u64,
        observed,
    ];
    let mut call = begin(&cx, numbers::object_wait_one, &args);
    assert_eq!(poll(&mut call), Poll::Pending);
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_BLOCKED_WAIT_ONE);

    harness.ok(
        numbers::object_signal,
        &[event.into(), 0, ZX_EVENT_SIGNALED.into()],
    );
    assert_eq!(poll(&mut call), Poll::Ready(0));
    assert_eq!(harness.memory.get_u32(observed), ZX_EVENT_SIGNALED);
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_RUNNING);
}

#[test]
fn wait_one_times_out_with_the_current_signals() {
    let harness = Harness::new();
    let event = harness.event();
    harness.ok(
        numbers::object_signal,
        &[event.into(), 0, ZX_USER_SIGNAL_1.into()],
    );
    let observed = harness.memory.alloc(4);
    let cx = harness.context();
    let args = [event.into(), ZX_USER_SIGNAL_0.into(), 500, observed];
    let mut call = begin(&cx, numbers::object_wait_one, &args);
    assert_eq!(poll(&mut call), Poll::Pending);
    harness.clock.set(500);
    assert_eq!(poll(&mut call), Poll::Ready(st(ZX_ERR_TIMED_OUT)));
    assert_eq!(harness.memory.get_u32(observed), ZX_USER_SIGNAL_1);
}

#[test]
fn closing_the_handle_cancels_wait_one_with_handle_closed() {
    let harness = Harness::new();
    let event = harness.event();
    let observed = harness.memory.alloc(4);
    let cx = harness.context();
    let args = [
        event.into(),
        ZX_USER_SIGNAL_0.into(),
        ZX_TIME_INFINITE as u64,
        observed,
    ];
    let mut call = begin(&cx, numbers::object_wait_one, &args);
    assert_eq!(poll(&mut call), Poll::Pending);
    harness.ok(numbers::handle_close, &[event.into()]);
    assert_eq!(poll(&mut call), Poll::Ready(st(ZX_ERR_CANCELED)));
    assert_eq!(harness.memory.get_u32(observed), ZX_SIGNAL_HANDLE_CLOSED);
}

#[test]
fn wait_one_without_observed_is_fine() {
    let harness = Harness::new();
    let event = harness.event();
    let status = harness.call(numbers::object_wait_one, &[event.into(), 0, 0, 0]);
    assert_eq!(status, st(ZX_ERR_TIMED_OUT));
}

#[test]
fn wait_one_with_a_bad_observed_pointer_is_invalid_args() {
    let harness = Harness::new();
    let event = harness.event();
    let unmapped = harness.memory.unmapped();
    let status = harness.call(numbers::object_wait_one, &[event.into(), 0, 0, unmapped]);
    assert_eq!(status, st(ZX_ERR_INVALID_ARGS));
}

#[test]
fn wait_one_errors_come_before_waiting() {
    let harness = Harness::new();
    let port = harness.port();
    let event = harness.event();
    let no_wait = harness.reduced(event, ZX_RIGHT_SIGNAL);
    let infinite = ZX_TIME_INFINITE as u64;
    let cases = [
        (0x1233, ZX_ERR_BAD_HANDLE),
        (port, ZX_ERR_NOT_SUPPORTED),
        (no_wait, ZX_ERR_ACCESS_DENIED),
    ];
    for (handle, expected) in cases {
        let status = harness.call(numbers::object_wait_one, &[handle.into(), 1, infinite, 0]);
        assert_eq!(status, st(expected));
    }
}

#[test]
fn a_killed_thread_drops_its_wait() {
    let harness = Harness::new();
    let event = harness.event();
    let cx = harness.context();
    let args = [event.into(), 1, ZX_TIME_INFINITE as u64, 0];
    let mut call = begin(&cx, numbers::object_wait_one, &args);
    assert_eq!(poll(&mut call), Poll::Pending);
    harness.thread.kill();
    assert_eq!(
        poll(&mut call),
        Poll::Ready(st(ZX_ERR_INTERNAL_INTR_KILLED))
    );
}

fn items(harness: &Harness, items: &[(zx_handle_t, zx_signals_t)]) -> u64 {
    let items: Vec<zx_wait_item_t> = items
        .iter()
        .map(|&(handle, waitfor)| zx_wait_item_t {
            handle,
            waitfor,
            pending: 0,
        })
        .collect();
    harness.memory.alloc_array(&items)
}

fn pending(harness: &Harness, items: u64, index: u64) -> zx_signals_t {
    harness
        .memory
        .get_struct::<zx_wait_item_t>(items + index * 12)
        .pending
}

#[test]
fn wait_many_reports_every_items_signals() {
    let harness = Harness::new();
    let (a, b) = (harness.event(), harness.event());
    harness.ok(
        numbers::object_signal,
        &[b.into(), 0, ZX_USER_SIGNAL_2.into()],
    );
    let list = items(&harness, &[(a, ZX_EVENT_SIGNALED), (b, ZX_EVENT_SIGNALED)]);
    let cx = harness.context();
    let mut call = begin(
        &cx,
        numbers::object_wait_many,
        &[list, 2, ZX_TIME_INFINITE as u64],
    );
    assert_eq!(poll(&mut call), Poll::Pending);
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_BLOCKED_WAIT_MANY);

    harness.ok(
        numbers::object_signal,
        &[a.into(), 0, ZX_EVENT_SIGNALED.into()],
    );
    assert_eq!(poll(&mut call), Poll::Ready(0));
    assert_eq!(pending(&harness, list, 0), ZX_EVENT_SIGNALED);
    assert_eq!(pending(&harness, list, 1), ZX_USER_SIGNAL_2);
    let first = harness.memory.get_struct::<zx_wait_item_t>(list);
    assert_eq!(
        (first.handle, first.waitfor),
        (a, ZX_EVENT_SIGNALED),
        "inputs untouched"
    );
}

#[test]
fn wait_many_over_the_item_limit_is_out_of_range() {
    let harness = Harness::new();
    let event = harness.event();
    let list = items(&harness, &vec![(event, 1); ZX_WAIT_MANY_MAX_ITEMS + 1]);
    let count = (ZX_WAIT_MANY_MAX_ITEMS + 1) as u64;
    let status = harness.call(numbers::object_wait_many, &[list, count, 0]);
    assert_eq!(status, st(ZX_ERR_OUT_OF_RANGE));
    let huge = harness.call(numbers::object_wait_many, &[list, u64::MAX, 0]);
    assert_eq!(huge, st(ZX_ERR_OUT_OF_RANGE));
}

#[test]
fn wait_many_with_the_most_items_times_out_normally() {
    let harness = Harness::new();
    let event = harness.event();
    let list = items(&harness, &vec![(event, 1); ZX_WAIT_MANY_MAX_ITEMS]);
    let count = ZX_WAIT_MANY_MAX_ITEMS as u64;
    let status = harness.call(numbers::object_wait_many, &[list, count, 0]);
    assert_eq!(status, st(ZX_ERR_TIMED_OUT));
}

#[test]
fn wait_many_with_bad_items_is_invalid_args() {
    let harness = Harness::new();
    let unmapped = harness.memory.unmapped();
    assert_eq!(
        harness.call(numbers::object_wait_many, &[unmapped, 1, 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::object_wait_many, &[0, 2, 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
}

#[test]
fn wait_many_with_a_bad_item_handle_is_bad_handle() {
    let harness = Harness::new();
    let event = harness.event();
    let list = items(&harness, &[(event, 1), (0x1233, 1)]);
    let status = harness.call(numbers::object_wait_many, &[list, 2, 0]);
    assert_eq!(status, st(ZX_ERR_BAD_HANDLE));
}

#[test]
fn closing_one_item_cancels_wait_many() {
    let harness = Harness::new();
    let (a, b) = (harness.event(), harness.event());
    let list = items(&harness, &[(a, 1), (b, 1)]);
    let cx = harness.context();
    let mut call = begin(
        &cx,
        numbers::object_wait_many,
        &[list, 2, ZX_TIME_INFINITE as u64],
    );
    assert_eq!(poll(&mut call), Poll::Pending);
    harness.ok(numbers::handle_close, &[b.into()]);
    assert_eq!(poll(&mut call), Poll::Ready(st(ZX_ERR_CANCELED)));
    assert_eq!(pending(&harness, list, 1), ZX_SIGNAL_HANDLE_CLOSED);
}

#[test]
fn wait_async_queues_a_signal_packet_on_the_port() {
    let harness = Harness::new();
    let (event, port) = (harness.event(), harness.port());
    let args = [event.into(), port.into(), 77, ZX_USER_SIGNAL_3.into(), 0];
    harness.ok(numbers::object_wait_async, &args);
    harness.ok(
        numbers::object_signal,
        &[event.into(), 0, ZX_USER_SIGNAL_3.into()],
    );

    let packet = harness.memory.alloc(48);
    harness.ok(numbers::port_wait, &[port.into(), 0, packet]);
    let packet = harness.memory.get_struct::<zx_port_packet_t>(packet);
    assert_eq!(
        (packet.key, packet.r#type, packet.status),
        (77, ZX_PKT_TYPE_SIGNAL_ONE, ZX_OK)
    );
    let signal = packet.signal().unwrap();
    assert_eq!(
        (signal.trigger, signal.observed, signal.count),
        (ZX_USER_SIGNAL_3, ZX_USER_SIGNAL_3, 1)
    );
}

#[test]
fn wait_async_checks_options_then_handle_then_port() {
    let harness = Harness::new();
    let (event, port) = (harness.event(), harness.port());
    let other_event = harness.event();
    let read_only_port = harness.reduced(port, ZX_RIGHT_READ);
    let cases = [
        (event, port, 2, ZX_ERR_INVALID_ARGS),
        (0x1233, port, 0, ZX_ERR_BAD_HANDLE),
        (port, port, 0, ZX_ERR_NOT_SUPPORTED),
        (event, 0x1233, 0, ZX_ERR_BAD_HANDLE),
        (event, other_event, 0, ZX_ERR_WRONG_TYPE),
        (event, read_only_port, 0, ZX_ERR_ACCESS_DENIED),
    ];
    for (handle, port, options, expected) in cases {
        let args = [handle.into(), port.into(), 1, 1, options];
        assert_eq!(
            harness.call(numbers::object_wait_async, &args),
            st(expected)
        );
    }
}

#[test]
fn signal_sets_and_clears_user_and_event_signals() {
    let harness = Harness::new();
    let event = harness.event();
    let set = ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_7 | ZX_EVENT_SIGNALED;
    harness.ok(numbers::object_signal, &[event.into(), 0, set.into()]);
    harness.ok(
        numbers::object_signal,
        &[event.into(), ZX_USER_SIGNAL_0.into(), 0],
    );
    assert_eq!(harness.signals(event), ZX_USER_SIGNAL_7 | ZX_EVENT_SIGNALED);
}

#[test]
fn signal_errors() {
    let harness = Harness::new();
    let event = harness.event();
    let no_signal = harness.reduced(event, ZX_RIGHT_WAIT);
    let port = harness.port();
    let cases = [
        (0x1233, ZX_USER_SIGNAL_0, ZX_ERR_BAD_HANDLE),
        (no_signal, ZX_USER_SIGNAL_0, ZX_ERR_ACCESS_DENIED),
        (event, ZX_CHANNEL_READABLE, ZX_ERR_INVALID_ARGS),
        (port, ZX_USER_SIGNAL_0, ZX_ERR_ACCESS_DENIED),
    ];
    for (handle, set, expected) in cases {
        let status = harness.call(numbers::object_signal, &[handle.into(), 0, set.into()]);
        assert_eq!(status, st(expected), "{handle:#x}");
    }
}

#[test]
fn signal_peer_reaches_the_other_end_until_it_closes() {
    let harness = Harness::new();
    let (a, b) = harness.eventpair();
    harness.ok(
        numbers::object_signal_peer,
        &[a.into(), 0, ZX_EVENTPAIR_SIGNALED.into()],
    );
    assert_eq!(harness.signals(b), ZX_EVENTPAIR_SIGNALED);
    assert_eq!(harness.signals(a), 0);
    harness.ok(numbers::handle_close, &[b.into()]);
    let status = harness.call(
        numbers::object_signal_peer,
        &[a.into(), 0, ZX_USER_SIGNAL_0.into()],
    );
    assert_eq!(status, st(ZX_ERR_PEER_CLOSED));
    assert_eq!(harness.signals(a), ZX_EVENTPAIR_PEER_CLOSED);
}

#[test]
fn signal_peer_errors() {
    let harness = Harness::new();
    let event = harness.event();
    let (a, _b) = harness.eventpair();
    let no_peer_right = harness.reduced(a, ZX_RIGHT_SIGNAL);
    let cases = [
        (0x1233, ZX_USER_SIGNAL_0, ZX_ERR_BAD_HANDLE),
        (no_peer_right, ZX_USER_SIGNAL_0, ZX_ERR_ACCESS_DENIED),
        (a, ZX_EVENTPAIR_PEER_CLOSED, ZX_ERR_INVALID_ARGS),
    ];
    for (handle, set, expected) in cases {
        let status = harness.call(numbers::object_signal_peer, &[handle.into(), 0, set.into()]);
        assert_eq!(status, st(expected));
    }
    // An event has no peer, and its handles no SIGNAL_PEER right.
    let status = harness.call(
        numbers::object_signal_peer,
        &[event.into(), 0, ZX_USER_SIGNAL_0.into()],
    );
    assert_eq!(status, st(ZX_ERR_ACCESS_DENIED));
}

#[test]
fn events_and_eventpairs_refuse_options() {
    let harness = Harness::new();
    let out = harness.memory.alloc(8);
    assert_eq!(
        harness.call(numbers::event_create, &[1, out]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::eventpair_create, &[1, out, out + 4]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::event_create, &[0, 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(harness.handle_count(), 0);
}

#[test]
fn new_events_and_eventpairs_have_their_default_rights() {
    let harness = Harness::new();
    let event = harness.event();
    let (a, b) = harness.eventpair();
    let info = harness.basic_info(event);
    assert_eq!(
        (info.r#type, info.rights),
        (ZX_OBJ_TYPE_EVENT, ZX_DEFAULT_EVENT_RIGHTS)
    );
    let (a, b) = (harness.basic_info(a), harness.basic_info(b));
    assert_eq!(a.rights, ZX_DEFAULT_EVENTPAIR_RIGHTS);
    assert_eq!((a.related_koid, b.related_koid), (b.koid, a.koid));
}
