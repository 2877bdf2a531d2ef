//! Exception syscalls (spec §3.11, §9.4): exception channels, reading an exception, the
//! handles it gives and the state that decides the faulting thread's fate.

mod common;

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use common::{ENTRY, Harness, st};
use objects::task::{ExceptionOutcome, ExceptionReport, Thread};
use objects::{Handle, KernelObject, Rights};
use syscalls::abi::*;

/// A second thread of the calling process, started, and the kernel's `Arc` of it.
fn faulting_thread(harness: &Harness) -> (Arc<Thread>, zx_handle_t) {
    let thread = Thread::create(&harness.process, b"faulty").unwrap();
    let handle = harness.insert(Handle::new(thread.clone(), Rights::DEFAULT_THREAD));
    harness.ok(numbers::thread_start, &[handle.into(), ENTRY, 0, 0, 0]);
    (thread, handle)
}

/// Polls `future` once.
fn poll_once<F: Future>(future: Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn an_exception_goes_through_the_channel_and_the_handler_resumes_the_thread() {
    let harness = Harness::new();
    let (thread, _) = faulting_thread(&harness);
    let process = harness.process_handle();
    let channel = harness.create(numbers::task_create_exception_channel, &[process.into(), 0]);
    assert_eq!(
        harness.basic_info(channel).rights,
        ZX_EXCEPTION_CHANNEL_RIGHTS
    );

    let report = ExceptionReport::synthetic(ZX_EXCP_SW_BREAKPOINT);
    let mut raised = pin!(thread.raise_exception(report));
    assert!(poll_once(raised.as_mut()).is_pending());
    let thread_handle = harness.insert(Handle::new(thread.clone(), Rights::DEFAULT_THREAD));
    let info: zx_info_thread_t = harness.info(thread_handle, ZX_INFO_THREAD);
    assert_eq!(info.state, ZX_THREAD_STATE_BLOCKED_EXCEPTION);
    assert_eq!(
        info.wait_exception_channel_type,
        ZX_EXCEPTION_CHANNEL_TYPE_PROCESS
    );
    let report: zx_exception_report_t =
        harness.info(thread_handle, ZX_INFO_THREAD_EXCEPTION_REPORT);
    assert_eq!(report.header.r#type, ZX_EXCP_SW_BREAKPOINT);

    let data = harness.memory.alloc(24);
    let handles = harness.memory.alloc(4);
    harness.ok(
        numbers::channel_read,
        &[channel.into(), 0, data, handles, 24, 1, 0, 0],
    );
    let info = harness.memory.get_struct::<zx_exception_info_t>(data);
    assert_eq!(
        (info.pid, info.tid, info.r#type),
        (harness.process.koid(), thread.koid(), ZX_EXCP_SW_BREAKPOINT)
    );
    let exception = harness.memory.get_u32(handles);
    assert_eq!(harness.basic_info(exception).r#type, ZX_OBJ_TYPE_EXCEPTION);

    let got_thread = harness.create(numbers::exception_get_thread, &[exception.into()]);
    assert_eq!(harness.basic_info(got_thread).koid, thread.koid());
    let got_process = harness.create(numbers::exception_get_process, &[exception.into()]);
    assert_eq!(harness.basic_info(got_process).koid, harness.process.koid());

    let state = harness
        .memory
        .alloc_with(&ZX_EXCEPTION_STATE_HANDLED.to_le_bytes());
    harness.ok(
        numbers::object_set_property,
        &[exception.into(), ZX_PROP_EXCEPTION_STATE.into(), state, 4],
    );
    let read_back = harness.memory.alloc(4);
    harness.ok(
        numbers::object_get_property,
        &[
            exception.into(),
            ZX_PROP_EXCEPTION_STATE.into(),
            read_back,
            4,
        ],
    );
    assert_eq!(
        harness.memory.get_u32(read_back),
        ZX_EXCEPTION_STATE_HANDLED
    );
    assert!(
        poll_once(raised.as_mut()).is_pending(),
        "waits for the handle to close"
    );
    harness.ok(numbers::handle_close, &[exception.into()]);
    assert_eq!(
        poll_once(raised.as_mut()),
        Poll::Ready(ExceptionOutcome::Resume)
    );
}

#[test]
fn a_thread_channels_exception_gives_no_process() {
    let harness = Harness::new();
    let (thread, thread_handle) = faulting_thread(&harness);
    let channel = harness.create(
        numbers::task_create_exception_channel,
        &[thread_handle.into(), 0],
    );
    let mut raised = pin!(thread.raise_exception(ExceptionReport::synthetic(ZX_EXCP_GENERAL)));
    assert!(poll_once(raised.as_mut()).is_pending());

    let (data, handles) = (harness.memory.alloc(24), harness.memory.alloc(4));
    harness.ok(
        numbers::channel_read,
        &[channel.into(), 0, data, handles, 24, 1, 0, 0],
    );
    let exception = harness.memory.get_u32(handles);
    let out = harness.memory.alloc(4);
    let status = harness.call(numbers::exception_get_process, &[exception.into(), out]);
    assert_eq!(status, st(ZX_ERR_ACCESS_DENIED));
    let bad_state = harness.memory.alloc_with(&7u32.to_le_bytes());
    let args = [
        exception.into(),
        ZX_PROP_EXCEPTION_STATE.into(),
        bad_state,
        4,
    ];
    assert_eq!(
        harness.call(numbers::object_set_property, &args),
        st(ZX_ERR_INVALID_ARGS)
    );
    let short = [
        exception.into(),
        ZX_PROP_EXCEPTION_STATE.into(),
        bad_state,
        3,
    ];
    assert_eq!(
        harness.call(numbers::object_set_property, &short),
        st(ZX_ERR_BUFFER_TOO_SMALL)
    );
    assert_eq!(
        harness.call(numbers::exception_get_thread, &[exception.into(), 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
    let event = harness.event();
    assert_eq!(
        harness.call(numbers::exception_get_thread, &[event.into(), out]),
        st(ZX_ERR_WRONG_TYPE)
    );
    thread.kill();
    assert_eq!(
        poll_once(raised.as_mut()),
        Poll::Ready(ExceptionOutcome::Stop)
    );
}

#[test]
fn task_create_exception_channel_errors() {
    let harness = Harness::new();
    let process = harness.process_handle();
    let thread = harness.thread_handle();
    let event = harness.event();
    let no_enumerate = harness.reduced(process, ZX_DEFAULT_PROCESS_RIGHTS & !ZX_RIGHT_ENUMERATE);
    let out = harness.memory.alloc(4);
    let cases = [
        (process, 2, ZX_ERR_INVALID_ARGS),
        (thread, ZX_EXCEPTION_CHANNEL_DEBUGGER, ZX_ERR_INVALID_ARGS),
        (event, 0, ZX_ERR_WRONG_TYPE),
        (0x1233, 0, ZX_ERR_BAD_HANDLE),
        (no_enumerate, 0, ZX_ERR_ACCESS_DENIED),
    ];
    for (task, options, expected) in cases {
        let args = [task.into(), options.into(), out];
        assert_eq!(
            harness.call(numbers::task_create_exception_channel, &args),
            st(expected)
        );
    }

    // A bad out pointer leaves the channel unbound: the next create succeeds.
    let args = [process.into(), 0, 0];
    assert_eq!(
        harness.call(numbers::task_create_exception_channel, &args),
        st(ZX_ERR_INVALID_ARGS)
    );
    harness.create(numbers::task_create_exception_channel, &[process.into(), 0]);
    let again = [process.into(), 0, out];
    assert_eq!(
        harness.call(numbers::task_create_exception_channel, &again),
        st(ZX_ERR_ALREADY_BOUND)
    );
    harness.create(
        numbers::task_create_exception_channel,
        &[process.into(), ZX_EXCEPTION_CHANNEL_DEBUGGER.into()],
    );
    assert!(
        harness
            .info::<zx_info_process_t>(process, ZX_INFO_PROCESS)
            .debugger_attached
    );
}
