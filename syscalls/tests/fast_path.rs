//! The waits that need not block (a packet queued, a signal asserted, a deadline past) end in
//! `dispatch_now`, without a future, with exactly what their future would give on its first
//! poll: the same status, the same outputs, the same thread state. `dispatch_now_or_start`
//! ends them the same way, and registers a `wait_one` that must block for `dispatch_started`.

mod common;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use common::{Harness, st};
use syscalls::abi::*;

/// The clock's reading in every case, and a deadline already past.
const NOW: i64 = 1_000;
const PAST: u64 = 500;

/// A wait to try both ways: its syscall, its arguments and the output to compare.
struct Case {
    number: u64,
    args: Vec<u64>,
    /// Address and length of what the syscall writes (0 and 0 when it writes nothing).
    output: (u64, usize),
}

/// Sets up the same state in a fresh harness and returns the wait to run there.
type Setup = fn(&Harness) -> Case;

fn signaled_event(harness: &Harness) -> zx_handle_t {
    let event = harness.event();
    harness.ok(
        numbers::object_signal,
        &[event.into(), 0, ZX_USER_SIGNAL_1.into()],
    );
    event
}

fn wait_one(handle: zx_handle_t, signals: zx_signals_t, deadline: u64, observed: u64) -> Case {
    Case {
        number: numbers::object_wait_one,
        args: vec![handle.into(), signals.into(), deadline, observed],
        output: (observed, 4),
    }
}

fn wait_many(harness: &Harness, items: &[(zx_handle_t, zx_signals_t)], deadline: u64) -> Case {
    let items: Vec<zx_wait_item_t> = items
        .iter()
        .map(|&(handle, waitfor)| zx_wait_item_t {
            handle,
            waitfor,
            pending: 0,
        })
        .collect();
    let address = harness.memory.alloc_array(&items);
    Case {
        number: numbers::object_wait_many,
        args: vec![address, items.len() as u64, deadline],
        output: (address, items.len() * 12),
    }
}

fn port_with_packet(harness: &Harness) -> zx_handle_t {
    let port = harness.port();
    let packet = zx_port_packet_t::user(42, -3, [7; ZX_PORT_PACKET_PAYLOAD_SIZE]);
    let packet = harness.memory.alloc_struct(&packet);
    harness.ok(numbers::port_queue, &[port.into(), packet]);
    port
}

fn port_wait(port: zx_handle_t, deadline: u64, packet: u64) -> Case {
    Case {
        number: numbers::port_wait,
        args: vec![port.into(), deadline, packet],
        output: (packet, 48),
    }
}

const CASES: &[(&str, Setup)] = &[
    ("wait_one satisfied", |h| {
        let event = signaled_event(h);
        wait_one(
            event,
            ZX_USER_SIGNAL_1,
            ZX_TIME_INFINITE as u64,
            h.memory.alloc(4),
        )
    }),
    ("wait_one satisfied, no observed", |h| {
        let event = signaled_event(h);
        wait_one(event, ZX_USER_SIGNAL_1 | ZX_USER_SIGNAL_2, PAST, 0)
    }),
    ("wait_one timed out", |h| {
        let event = signaled_event(h);
        wait_one(event, ZX_USER_SIGNAL_2, PAST, h.memory.alloc(4))
    }),
    ("wait_one timed out at infinite past", |h| {
        let event = h.event();
        wait_one(
            event,
            ZX_EVENT_SIGNALED,
            ZX_TIME_INFINITE_PAST as u64,
            h.memory.alloc(4),
        )
    }),
    ("wait_one bad observed", |h| {
        let event = signaled_event(h);
        wait_one(event, ZX_USER_SIGNAL_1, PAST, h.memory.unmapped())
    }),
    ("wait_one bad handle", |h| {
        wait_one(0x1233, ZX_USER_SIGNAL_1, PAST, h.memory.alloc(4))
    }),
    ("wait_one on a port", |h| {
        wait_one(h.port(), ZX_USER_SIGNAL_1, PAST, h.memory.alloc(4))
    }),
    ("wait_one without WAIT", |h| {
        let event = h.reduced(signaled_event(h), ZX_RIGHT_TRANSFER);
        wait_one(event, ZX_USER_SIGNAL_1, PAST, h.memory.alloc(4))
    }),
    ("wait_many satisfied", |h| {
        let (quiet, loud) = (h.event(), signaled_event(h));
        let items = [(quiet, ZX_EVENT_SIGNALED), (loud, ZX_USER_SIGNAL_1)];
        wait_many(h, &items, ZX_TIME_INFINITE as u64)
    }),
    ("wait_many timed out", |h| {
        let (quiet, loud) = (h.event(), signaled_event(h));
        let items = [(quiet, ZX_EVENT_SIGNALED), (loud, ZX_USER_SIGNAL_2)];
        wait_many(h, &items, PAST)
    }),
    ("wait_many of nothing timed out", |h| {
        wait_many(h, &[], PAST)
    }),
    ("wait_many bad second item", |h| {
        let items = [
            (signaled_event(h), ZX_USER_SIGNAL_1),
            (0x1233, ZX_USER_SIGNAL_1),
        ];
        wait_many(h, &items, PAST)
    }),
    ("wait_many too many items", |h| {
        let mut case = wait_many(h, &[], PAST);
        case.args[1] = ZX_WAIT_MANY_MAX_ITEMS as u64 + 1;
        case
    }),
    ("wait_many unreadable items", |h| Case {
        number: numbers::object_wait_many,
        args: vec![h.memory.unmapped(), 2, PAST],
        output: (0, 0),
    }),
    ("port_wait with a packet", |h| {
        port_wait(
            port_with_packet(h),
            ZX_TIME_INFINITE as u64,
            h.memory.alloc(48),
        )
    }),
    ("port_wait timed out", |h| {
        port_wait(h.port(), PAST, h.memory.alloc(48))
    }),
    ("port_wait bad packet pointer", |h| {
        port_wait(port_with_packet(h), PAST, h.memory.unmapped())
    }),
    ("port_wait on an event", |h| {
        port_wait(h.event(), PAST, h.memory.alloc(48))
    }),
    ("port_wait without READ", |h| {
        let port = h.reduced(port_with_packet(h), ZX_RIGHT_WRITE);
        port_wait(port, PAST, h.memory.alloc(48))
    }),
    ("nanosleep past", |_| Case {
        number: numbers::nanosleep,
        args: vec![PAST],
        output: (0, 0),
    }),
];

/// The case's status and output, run by `run` in a fresh harness.
fn outcome(setup: Setup, run: impl FnOnce(&Harness, u64, [u64; 8]) -> i64) -> (i64, Vec<u8>) {
    let harness = Harness::new();
    harness.clock.set(NOW);
    let case = setup(&harness);
    let mut args = [0; 8];
    args[..case.args.len()].copy_from_slice(&case.args);
    let status = run(&harness, case.number, args);
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_RUNNING);
    let (address, len) = case.output;
    // Nothing to read when there is no output, or when the output could not be written.
    let output = match address == 0 || len == 0 || status == st(ZX_ERR_INVALID_ARGS) {
        true => Vec::new(),
        false => harness.memory.get(address, len),
    };
    (status, output)
}

#[test]
fn a_wait_that_need_not_block_ends_at_once_as_its_future_would() {
    for &(name, setup) in CASES {
        let at_once = outcome(setup, |harness, number, args| {
            let cx = harness.context();
            syscalls::dispatch_now(&cx, number, &args).expect(name)
        });
        let as_future = outcome(setup, |harness, number, args| {
            let cx = harness.context();
            let future = pin!(syscalls::dispatch_waiting(&cx, number, &args));
            match future.poll(&mut Context::from_waker(Waker::noop())) {
                Poll::Ready(status) => status,
                Poll::Pending => panic!("{name}: the future blocked"),
            }
        });
        assert_eq!(at_once, as_future, "{name}");
    }
}

#[test]
fn a_packet_taken_at_once_leaves_the_port() {
    let harness = Harness::new();
    let port = port_with_packet(&harness);
    let packet = harness.memory.alloc(48);
    harness.ok(numbers::port_wait, &[port.into(), 0, packet]);
    let received = harness.memory.get_struct::<zx_port_packet_t>(packet);
    assert_eq!(
        (received.key, received.r#type, received.status),
        (42, ZX_PKT_TYPE_USER, -3)
    );
    assert_eq!(
        harness.call(numbers::port_wait, &[port.into(), 0, packet]),
        st(ZX_ERR_TIMED_OUT)
    );
}

#[test]
fn a_packet_lost_to_a_bad_pointer_is_gone() {
    let harness = Harness::new();
    let port = port_with_packet(&harness);
    let unmapped = harness.memory.unmapped();
    assert_eq!(
        harness.call(numbers::port_wait, &[port.into(), 0, unmapped]),
        st(ZX_ERR_INVALID_ARGS)
    );
    let packet = harness.memory.alloc(48);
    assert_eq!(
        harness.call(numbers::port_wait, &[port.into(), 0, packet]),
        st(ZX_ERR_TIMED_OUT)
    );
}

#[test]
fn a_wait_that_need_not_block_starts_nothing_and_ends_as_dispatch_now_ends_it() {
    for &(name, setup) in CASES {
        let at_once = outcome(setup, |harness, number, args| {
            let cx = harness.context();
            syscalls::dispatch_now(&cx, number, &args).expect(name)
        });
        let or_started = outcome(setup, |harness, number, args| {
            let cx = harness.context();
            let keep = |_| panic!("{name}: a wait was started");
            syscalls::dispatch_now_or_start(&cx, number, &args, keep).expect(name)
        });
        assert_eq!(at_once, or_started, "{name}");
    }
}

/// Starts a blocking `zx_object_wait_one` for `ZX_EVENT_SIGNALED` on `event` through the fast
/// path, writing `observed`.
fn start_wait_one(
    cx: &syscalls::SyscallContext<'_>,
    event: zx_handle_t,
    observed: u64,
) -> syscalls::StartedWait {
    let args = [
        event.into(),
        ZX_EVENT_SIGNALED.into(),
        ZX_TIME_INFINITE as u64,
        observed,
        0,
        0,
        0,
        0,
    ];
    let mut started = None;
    let keep = |wait| started = Some(wait);
    let ran = syscalls::dispatch_now_or_start(cx, numbers::object_wait_one, &args, keep);
    assert_eq!(ran, None, "the wait must block");
    started.expect("the fast path starts the wait")
}

#[test]
fn a_wait_one_the_fast_path_started_blocks_until_signaled() {
    let harness = Harness::new();
    let event = harness.event();
    let observed = harness.memory.alloc(4);
    let cx = harness.context();
    let mut started = start_wait_one(&cx, event, observed);
    // Registered by the fast path: a signal before the first poll is not missed.
    harness.ok(
        numbers::object_signal,
        &[event.into(), 0, ZX_EVENT_SIGNALED.into()],
    );
    harness.ok(
        numbers::object_signal,
        &[event.into(), ZX_EVENT_SIGNALED.into(), 0],
    );
    let args = [0; 8];
    let future = pin!(syscalls::dispatch_started(
        &cx,
        numbers::object_wait_one,
        &args,
        &mut started
    ));
    let status = match future.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(status) => status,
        Poll::Pending => panic!("the pulse was missed"),
    };
    assert_eq!(status, 0);
    assert_eq!(harness.memory.get_u32(observed), ZX_EVENT_SIGNALED);
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_RUNNING);
}

#[test]
fn a_wait_one_the_fast_path_started_reports_blocked_and_is_canceled_by_a_close() {
    let harness = Harness::new();
    let event = harness.event();
    let observed = harness.memory.alloc(4);
    let cx = harness.context();
    let mut started = start_wait_one(&cx, event, observed);
    let args = [0; 8];
    let mut future = pin!(syscalls::dispatch_started(
        &cx,
        numbers::object_wait_one,
        &args,
        &mut started
    ));
    let mut poll = || {
        future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
    };
    assert_eq!(poll(), Poll::Pending);
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_BLOCKED_WAIT_ONE);
    harness.ok(numbers::handle_close, &[event.into()]);
    assert_eq!(poll(), Poll::Ready(st(ZX_ERR_CANCELED)));
    assert_eq!(harness.memory.get_u32(observed), ZX_SIGNAL_HANDLE_CLOSED);
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_RUNNING);
}
