//! The dispatch table as a whole: numbers, unknown numbers, the time, the console, sleeping,
//! and the job policies applied after a failed syscall.

mod common;

use std::task::Poll;

use common::{Harness, begin, poll, st};
use objects::task::BasicPolicy;
use syscalls::abi::*;

#[test]
fn every_syscall_number_is_implemented() {
    let harness = Harness::new();
    for number in 0..64 {
        let Some(name) = numbers::name(number) else {
            continue;
        };
        if number == numbers::process_exit
            || number == numbers::thread_exit
            || number == numbers::nanosleep
        {
            continue; // They end or block the caller; their own tests cover them.
        }
        // Zero arguments, but a topic and a property that exist, so that an answer of
        // NOT_SUPPORTED could only mean a missing syscall.
        let args: &[u64] = match number {
            numbers::object_get_info => &[0, ZX_INFO_HANDLE_BASIC as u64],
            numbers::object_get_property | numbers::object_set_property => {
                &[0, ZX_PROP_NAME as u64]
            }
            _ => &[],
        };
        let status = harness.call(number, args);
        assert_ne!(status, st(ZX_ERR_NOT_SUPPORTED), "{name}");
        assert_ne!(status, st(ZX_ERR_BAD_SYSCALL), "{name}");
    }
}

#[test]
fn only_the_syscalls_that_may_wait_are_left_to_a_future() {
    let harness = Harness::new();
    let cx = harness.context();
    for number in 0..64 {
        if number == numbers::process_exit || number == numbers::thread_exit {
            continue; // They end the caller.
        }
        if !syscalls::may_wait(number) {
            assert!(
                syscalls::dispatch_now(&cx, number, &[0; 8]).is_some(),
                "syscall {number}"
            );
        }
    }

    // The waits that must block are left to a future; `fast_path.rs` covers those that need not.
    let (event, port) = (harness.event(), harness.port());
    let (packet, observed) = (harness.memory.alloc(48), harness.memory.alloc(4));
    let item = zx_wait_item_t {
        handle: event,
        waitfor: ZX_EVENT_SIGNALED,
        pending: 0,
    };
    let items = harness.memory.alloc_array(&[item]);
    let forever = ZX_TIME_INFINITE as u64;
    let blocking = [
        (
            numbers::object_wait_one,
            vec![event.into(), ZX_EVENT_SIGNALED.into(), forever, observed],
        ),
        (numbers::object_wait_many, vec![items, 1, forever]),
        (numbers::port_wait, vec![port.into(), forever, packet]),
        (numbers::nanosleep, vec![forever]),
        (numbers::channel_call, vec![]),
    ];
    for (number, args) in blocking {
        assert!(syscalls::may_wait(number));
        let mut raw = [0; 8];
        raw[..args.len()].copy_from_slice(&args);
        assert_eq!(
            syscalls::dispatch_now(&cx, number, &raw),
            None,
            "syscall {number}"
        );
    }
}

#[test]
fn unknown_numbers_are_bad_syscall() {
    let harness = Harness::new();
    for number in [49, 1000, u64::MAX] {
        assert_eq!(numbers::name(number), None);
        assert_eq!(harness.call(number, &[1, 2, 3]), st(ZX_ERR_BAD_SYSCALL));
    }
}

#[test]
fn the_dispatch_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let harness = Harness::new();
    let cx = harness.context();
    let future = syscalls::dispatch(&cx, numbers::object_wait_one, [0; 8]);
    assert_send(&future);
}

#[test]
fn clock_get_monotonic_returns_the_time_itself() {
    let harness = Harness::new();
    harness.clock.set(123_456);
    assert_eq!(harness.call(numbers::clock_get_monotonic, &[]), 123_456);
}

#[test]
fn debug_write_reaches_the_console() {
    let harness = Harness::new();
    let text = harness.memory.alloc_with(b"hello, spinel\n");
    harness.ok(numbers::debug_write, &[text, 14]);
    assert_eq!(&*harness.kernel.console.lock().unwrap(), b"hello, spinel\n");
}

#[test]
fn debug_write_truncates_past_the_limit() {
    let harness = Harness::new();
    let long = vec![b'x'; DEBUG_WRITE_MAX_BYTES + 100];
    let text = harness.memory.alloc_with(&long);
    harness.ok(numbers::debug_write, &[text, long.len() as u64]);
    assert_eq!(
        harness.kernel.console.lock().unwrap().len(),
        DEBUG_WRITE_MAX_BYTES
    );
}

#[test]
fn debug_write_with_a_bad_buffer_is_invalid_args() {
    let harness = Harness::new();
    let unmapped = harness.memory.unmapped();
    assert_eq!(
        harness.call(numbers::debug_write, &[unmapped, 4]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::debug_write, &[0, 4]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert!(harness.kernel.console.lock().unwrap().is_empty());
}

#[test]
fn nanosleep_in_the_past_returns_at_once() {
    let harness = Harness::new();
    harness.clock.set(1_000);
    harness.ok(numbers::nanosleep, &[500]);
    harness.ok(numbers::nanosleep, &[ZX_TIME_INFINITE_PAST as u64]);
}

#[test]
fn nanosleep_blocks_until_the_deadline_reporting_blocked_sleeping() {
    let harness = Harness::new();
    let cx = harness.context();
    let mut call = begin(&cx, numbers::nanosleep, &[1_000]);
    assert_eq!(poll(&mut call), Poll::Pending);
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_BLOCKED_SLEEPING);
    harness.clock.set(999);
    assert_eq!(poll(&mut call), Poll::Pending);
    harness.clock.set(1_000);
    assert_eq!(poll(&mut call), Poll::Ready(0));
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_RUNNING);
}

#[test]
fn an_infinite_nanosleep_ends_only_when_the_thread_is_killed() {
    let harness = Harness::new();
    let cx = harness.context();
    let mut call = begin(&cx, numbers::nanosleep, &[ZX_TIME_INFINITE as u64]);
    assert_eq!(poll(&mut call), Poll::Pending);
    harness.clock.set(i64::MAX - 1);
    assert_eq!(poll(&mut call), Poll::Pending);
    harness.thread.kill();
    assert_eq!(
        poll(&mut call),
        Poll::Ready(st(ZX_ERR_INTERNAL_INTR_KILLED))
    );
    assert!(harness.thread.is_dying());
}

#[test]
fn a_bad_handle_under_a_kill_policy_kills_the_process() {
    let harness = Harness::with_policy(&[BasicPolicy {
        condition: ZX_POL_BAD_HANDLE,
        action: ZX_POL_ACTION_KILL,
    }]);
    assert_eq!(
        harness.call(numbers::handle_close, &[0x1233]),
        st(ZX_ERR_BAD_HANDLE)
    );
    assert!(harness.thread.is_dying());
    assert_eq!(
        harness.process.info().return_code,
        ZX_TASK_RETCODE_POLICY_KILL
    );
}

#[test]
fn a_bad_handle_under_a_deny_policy_is_still_bad_handle() {
    let harness = Harness::with_policy(&[BasicPolicy {
        condition: ZX_POL_BAD_HANDLE,
        action: ZX_POL_ACTION_DENY,
    }]);
    assert_eq!(
        harness.call(numbers::task_kill, &[0x1233]),
        st(ZX_ERR_BAD_HANDLE)
    );
    assert!(!harness.thread.is_dying());
}

#[test]
fn asking_whether_a_handle_is_valid_escapes_the_bad_handle_policy() {
    let harness = Harness::with_policy(&[BasicPolicy {
        condition: ZX_POL_BAD_HANDLE,
        action: ZX_POL_ACTION_KILL,
    }]);
    let status = harness.call(
        numbers::object_get_info,
        &[0x1233, ZX_INFO_HANDLE_VALID.into(), 0, 0, 0, 0],
    );
    assert_eq!(status, st(ZX_ERR_BAD_HANDLE));
    assert!(!harness.thread.is_dying());
}

#[test]
fn a_wrong_type_under_a_kill_policy_kills_the_process() {
    let harness = Harness::with_policy(&[BasicPolicy {
        condition: ZX_POL_WRONG_OBJECT,
        action: ZX_POL_ACTION_KILL,
    }]);
    let event = harness.event();
    let port = harness.memory.alloc(48);
    assert_eq!(
        harness.call(numbers::port_wait, &[event.into(), 0, port]),
        st(ZX_ERR_WRONG_TYPE)
    );
    assert!(harness.thread.is_dying());
}

#[test]
fn creating_under_a_deny_policy_is_access_denied_and_leaves_no_handle() {
    let harness = Harness::with_policy(&[BasicPolicy {
        condition: ZX_POL_NEW_ANY,
        action: ZX_POL_ACTION_DENY,
    }]);
    let out = harness.memory.alloc(8);
    let denied = [
        (numbers::event_create, vec![0, out]),
        (numbers::eventpair_create, vec![0, out, out + 4]),
        (numbers::channel_create, vec![0, out, out + 4]),
        (numbers::port_create, vec![0, out]),
        (numbers::vmo_create, vec![4096, 0, out]),
    ];
    for (number, args) in denied {
        assert_eq!(
            harness.call(number, &args),
            st(ZX_ERR_ACCESS_DENIED),
            "{number}"
        );
    }
    assert_eq!(harness.handle_count(), 0);
}
