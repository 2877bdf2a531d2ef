//! Channel and port syscalls (spec §7, §8).

mod common;

use std::task::Poll;

use common::{Harness, begin, poll, st};
use syscalls::abi::*;

/// `zx_channel_write` of `bytes` and `handles` through `channel`.
fn write(harness: &Harness, channel: zx_handle_t, bytes: &[u8], handles: &[zx_handle_t]) -> i64 {
    let data = harness.memory.alloc_with(bytes);
    let list = harness.memory.alloc_array(handles);
    let args = [
        channel.into(),
        0,
        data,
        bytes.len() as u64,
        list,
        handles.len() as u64,
    ];
    harness.call(numbers::channel_write, &args)
}

/// What one `zx_channel_read` returned.
struct Read {
    status: i64,
    bytes: Vec<u8>,
    handles: Vec<zx_handle_t>,
    actual_bytes: u32,
    actual_handles: u32,
}

/// `zx_channel_read` into buffers of `num_bytes` and `num_handles`.
fn read(
    harness: &Harness,
    channel: zx_handle_t,
    options: u32,
    num_bytes: u32,
    num_handles: u32,
) -> Read {
    let bytes = harness.memory.alloc(num_bytes as usize);
    let handles = harness.memory.alloc(4 * num_handles as usize);
    let actual = harness.memory.alloc(8);
    let args = [
        channel.into(),
        options.into(),
        bytes,
        handles,
        num_bytes.into(),
        num_handles.into(),
        actual,
        actual + 4,
    ];
    let status = harness.call(numbers::channel_read, &args);
    let actual_bytes = harness.memory.get_u32(actual);
    let actual_handles = harness.memory.get_u32(actual + 4);
    let count = if status == 0 {
        actual_handles as usize
    } else {
        0
    };
    Read {
        status,
        bytes: harness.memory.get(
            bytes,
            if status == 0 {
                actual_bytes as usize
            } else {
                0
            },
        ),
        handles: (0..count)
            .map(|i| harness.memory.get_u32(handles + 4 * i as u64))
            .collect(),
        actual_bytes,
        actual_handles,
    }
}

#[test]
fn a_message_carries_bytes_and_handles_across() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    let event = harness.event();
    let koid = harness.basic_info(event).koid;
    assert_eq!(write(&harness, a, b"ping", &[event]), 0);
    assert_eq!(
        harness.call(numbers::handle_close, &[event.into()]),
        st(ZX_ERR_BAD_HANDLE),
        "sent away"
    );

    let message = read(&harness, b, 0, 64, 4);
    assert_eq!(message.status, 0);
    assert_eq!(message.bytes, b"ping");
    assert_eq!((message.actual_bytes, message.actual_handles), (4, 1));
    assert_eq!(harness.basic_info(message.handles[0]).koid, koid);
}

#[test]
fn new_channel_ends_have_the_default_rights_and_are_peers() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    let (a, b) = (harness.basic_info(a), harness.basic_info(b));
    assert_eq!(
        (a.r#type, a.rights),
        (ZX_OBJ_TYPE_CHANNEL, ZX_DEFAULT_CHANNEL_RIGHTS)
    );
    assert_eq!((a.related_koid, b.related_koid), (b.koid, a.koid));
}

#[test]
fn channel_create_refuses_options_and_bad_outs() {
    let harness = Harness::new();
    let out = harness.memory.alloc(8);
    assert_eq!(
        harness.call(numbers::channel_create, &[1, out, out + 4]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::channel_create, &[0, out, 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(harness.handle_count(), 0);
}

#[test]
fn read_of_an_empty_channel_should_wait_then_peer_closed() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    assert_eq!(read(&harness, b, 0, 8, 0).status, st(ZX_ERR_SHOULD_WAIT));
    harness.ok(numbers::handle_close, &[a.into()]);
    assert_eq!(read(&harness, b, 0, 8, 0).status, st(ZX_ERR_PEER_CLOSED));
}

#[test]
fn a_small_read_buffer_reports_the_sizes_and_keeps_the_message() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    let event = harness.event();
    assert_eq!(write(&harness, a, &[7; 100], &[event]), 0);
    let small = read(&harness, b, 0, 99, 1);
    assert_eq!(small.status, st(ZX_ERR_BUFFER_TOO_SMALL));
    assert_eq!((small.actual_bytes, small.actual_handles), (100, 1));
    let no_handles = read(&harness, b, 0, 100, 0);
    assert_eq!(no_handles.status, st(ZX_ERR_BUFFER_TOO_SMALL));
    assert_eq!(read(&harness, b, 0, 100, 1).status, 0);
}

#[test]
fn may_discard_drops_a_message_too_big_for_the_buffers() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    assert_eq!(write(&harness, a, &[1; 10], &[]), 0);
    let dropped = read(&harness, b, ZX_CHANNEL_READ_MAY_DISCARD, 5, 0);
    assert_eq!(dropped.status, st(ZX_ERR_BUFFER_TOO_SMALL));
    assert_eq!(read(&harness, b, 0, 10, 0).status, st(ZX_ERR_SHOULD_WAIT));
}

#[test]
fn read_errors() {
    let harness = Harness::new();
    let (_a, b) = harness.channel();
    let event = harness.event();
    let no_read = harness.create(numbers::handle_replace, &[b.into(), ZX_RIGHT_WAIT.into()]);
    assert_eq!(
        read(&harness, 0x1233, 0, 8, 0).status,
        st(ZX_ERR_BAD_HANDLE)
    );
    assert_eq!(read(&harness, event, 0, 8, 0).status, st(ZX_ERR_WRONG_TYPE));
    assert_eq!(
        read(&harness, no_read, 0, 8, 0).status,
        st(ZX_ERR_ACCESS_DENIED)
    );
    let (_c, d) = harness.channel();
    assert_eq!(read(&harness, d, 2, 8, 0).status, st(ZX_ERR_INVALID_ARGS));
}

#[test]
fn a_read_into_a_bad_buffer_consumes_the_message_and_closes_its_handles() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    let event = harness.event();
    assert_eq!(write(&harness, a, b"data", &[event]), 0);
    let before = harness.handle_count();
    let handles = harness.memory.alloc(4);
    let unmapped = harness.memory.unmapped();
    let args = [b.into(), 0, unmapped, handles, 4, 1, 0, 0];
    assert_eq!(
        harness.call(numbers::channel_read, &args),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.handle_count(),
        before,
        "the received handle was closed"
    );
    assert_eq!(read(&harness, b, 0, 8, 1).status, st(ZX_ERR_SHOULD_WAIT));
}

#[test]
fn read_without_actual_pointers_is_fine() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    assert_eq!(write(&harness, a, b"x", &[]), 0);
    let bytes = harness.memory.alloc(1);
    harness.ok(numbers::channel_read, &[b.into(), 0, bytes, 0, 1, 0, 0, 0]);
    assert_eq!(harness.memory.get(bytes, 1), b"x");
}

#[test]
fn write_over_the_limits_is_out_of_range() {
    let harness = Harness::new();
    let (a, _b) = harness.channel();
    let big = vec![0; ZX_CHANNEL_MAX_MSG_BYTES as usize + 1];
    assert_eq!(write(&harness, a, &big, &[]), st(ZX_ERR_OUT_OF_RANGE));
    let max = vec![0; ZX_CHANNEL_MAX_MSG_BYTES as usize];
    assert_eq!(write(&harness, a, &max, &[]), 0);
    let data = harness.memory.alloc(4);
    let huge = [a.into(), 0, data, u32::MAX.into(), 0, 0];
    assert_eq!(
        harness.call(numbers::channel_write, &huge),
        st(ZX_ERR_OUT_OF_RANGE)
    );
    let too_many = [a.into(), 0, data, 0, data, 65];
    assert_eq!(
        harness.call(numbers::channel_write, &too_many),
        st(ZX_ERR_OUT_OF_RANGE)
    );
}

#[test]
fn a_failed_write_consumes_the_handles_it_names() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    let unmapped = harness.memory.unmapped();
    // A bad byte pointer, oversized bytes, bad options, a closed peer.
    let (e1, e2, e3) = (harness.event(), harness.event(), harness.event());
    let list = harness.memory.alloc_array(&[e1]);
    let bad_bytes = [a.into(), 0, unmapped, 4, list, 1];
    assert_eq!(
        harness.call(numbers::channel_write, &bad_bytes),
        st(ZX_ERR_INVALID_ARGS)
    );
    let list = harness.memory.alloc_array(&[e2]);
    let oversized = [a.into(), 0, 0, 70_000, list, 1];
    assert_eq!(
        harness.call(numbers::channel_write, &oversized),
        st(ZX_ERR_OUT_OF_RANGE)
    );
    let list = harness.memory.alloc_array(&[e3]);
    let bad_options = [a.into(), 4, 0, 0, list, 1];
    assert_eq!(
        harness.call(numbers::channel_write, &bad_options),
        st(ZX_ERR_INVALID_ARGS)
    );
    for event in [e1, e2, e3] {
        assert_eq!(
            harness.call(numbers::handle_close, &[event.into()]),
            st(ZX_ERR_BAD_HANDLE)
        );
    }

    harness.ok(numbers::handle_close, &[b.into()]);
    let event = harness.event();
    assert_eq!(
        write(&harness, a, b"late", &[event]),
        st(ZX_ERR_PEER_CLOSED)
    );
    assert_eq!(harness.handle_count(), 1, "only the channel end is left");
}

#[test]
fn the_channel_error_comes_before_a_bad_byte_pointer() {
    let harness = Harness::new();
    let event = harness.event();
    let other = harness.event();
    let list = harness.memory.alloc_array(&[other]);
    let unmapped = harness.memory.unmapped();
    let args = [event.into(), 0, unmapped, 4, list, 1];
    assert_eq!(
        harness.call(numbers::channel_write, &args),
        st(ZX_ERR_WRONG_TYPE)
    );
    assert_eq!(harness.handle_count(), 1, "the named handle was consumed");
}

#[test]
fn an_unreadable_handle_array_consumes_nothing() {
    let harness = Harness::new();
    let (a, _b) = harness.channel();
    let unmapped = harness.memory.unmapped();
    let before = harness.handle_count();
    assert_eq!(
        harness.call(numbers::channel_write, &[a.into(), 0, 0, 0, unmapped, 2]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(harness.handle_count(), before);
}

#[test]
fn write_element_errors() {
    let harness = Harness::new();
    let (a, _b) = harness.channel();
    let event = harness.event();
    let untransferable = harness.reduced(event, ZX_RIGHT_WAIT);
    assert_eq!(write(&harness, a, b"", &[a]), st(ZX_ERR_NOT_SUPPORTED));
    assert_eq!(
        write(&harness, a, b"", &[untransferable]),
        st(ZX_ERR_ACCESS_DENIED)
    );
    assert_eq!(write(&harness, a, b"", &[0x1233]), st(ZX_ERR_BAD_HANDLE));
    assert_eq!(
        write(&harness, a, b"", &[event, event]),
        st(ZX_ERR_BAD_HANDLE),
        "repeated"
    );
    let read_only = harness.create(numbers::handle_replace, &[a.into(), ZX_RIGHT_READ.into()]);
    assert_eq!(
        write(&harness, read_only, b"", &[]),
        st(ZX_ERR_ACCESS_DENIED)
    );
}

/// Writes `pieces` as iovecs; returns the status.
fn write_iovecs(harness: &Harness, channel: zx_handle_t, pieces: &[&[u8]], reserved: u32) -> i64 {
    let iovecs: Vec<zx_channel_iovec_t> = pieces
        .iter()
        .map(|piece| zx_channel_iovec_t {
            buffer: harness.memory.alloc_with(piece),
            capacity: piece.len() as u32,
            reserved,
        })
        .collect();
    let list = harness.memory.alloc_array(&iovecs);
    let args = [
        channel.into(),
        ZX_CHANNEL_WRITE_USE_IOVEC.into(),
        list,
        iovecs.len() as u64,
        0,
        0,
    ];
    harness.call(numbers::channel_write, &args)
}

#[test]
fn iovecs_are_gathered_in_order() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    assert_eq!(write_iovecs(&harness, a, &[b"gat", b"", b"hered"], 0), 0);
    assert_eq!(read(&harness, b, 0, 16, 0).bytes, b"gathered");
}

#[test]
fn iovec_errors() {
    let harness = Harness::new();
    let (a, _b) = harness.channel();
    assert_eq!(
        write_iovecs(&harness, a, &[b"x"], 1),
        st(ZX_ERR_INVALID_ARGS),
        "reserved"
    );
    let half = vec![0; 40_000];
    assert_eq!(
        write_iovecs(&harness, a, &[&half, &half], 0),
        st(ZX_ERR_OUT_OF_RANGE)
    );
    let unmapped = harness.memory.unmapped();
    let bad = [zx_channel_iovec_t {
        buffer: unmapped,
        capacity: 4,
        reserved: 0,
    }];
    let list = harness.memory.alloc_array(&bad);
    let args = [a.into(), ZX_CHANNEL_WRITE_USE_IOVEC.into(), list, 1, 0, 0];
    assert_eq!(
        harness.call(numbers::channel_write, &args),
        st(ZX_ERR_INVALID_ARGS)
    );
    let too_many = [
        a.into(),
        ZX_CHANNEL_WRITE_USE_IOVEC.into(),
        list,
        8193,
        0,
        0,
    ];
    assert_eq!(
        harness.call(numbers::channel_write, &too_many),
        st(ZX_ERR_OUT_OF_RANGE)
    );
}

/// A `zx_channel_call` of `request` through `channel`, with room for `room` reply bytes and
/// one handle: its arguments, and where the reply's bytes, handle and sizes land.
struct CallBuffers {
    args: [u64; 6],
    reply: u64,
    reply_handle: u64,
    actual: u64,
}

fn call_buffers(harness: &Harness, channel: zx_handle_t, request: &[u8], room: u32) -> CallBuffers {
    let (reply, reply_handle) = (harness.memory.alloc(room as usize), harness.memory.alloc(4));
    let call_args = zx_channel_call_args_t {
        wr_bytes: harness.memory.alloc_with(request),
        wr_handles: 0,
        rd_bytes: reply,
        rd_handles: reply_handle,
        wr_num_bytes: request.len() as u32,
        wr_num_handles: 0,
        rd_num_bytes: room,
        rd_num_handles: 1,
    };
    let actual = harness.memory.alloc(8);
    let call_args = harness.memory.alloc_struct(&call_args);
    let args = [
        channel.into(),
        0,
        ZX_TIME_INFINITE as u64,
        call_args,
        actual,
        actual + 4,
    ];
    CallBuffers {
        args,
        reply,
        reply_handle,
        actual,
    }
}

#[test]
fn channel_call_blocks_in_blocked_channel_until_its_reply() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    let buffers = call_buffers(&harness, a, b"\0\0\0\0ping", 16);
    let cx = harness.context();
    let mut call = begin(&cx, numbers::channel_call, &buffers.args);
    assert_eq!(poll(&mut call), Poll::Pending);
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_BLOCKED_CHANNEL);

    let request = read(&harness, b, 0, 64, 0);
    assert_eq!(&request.bytes[4..], b"ping");
    let event = harness.event();
    assert_eq!(
        write(
            &harness,
            b,
            &[&request.bytes[..4], b"pong"].concat(),
            &[event]
        ),
        0
    );
    assert_eq!(poll(&mut call), Poll::Ready(0));
    assert_eq!(harness.memory.get(buffers.reply + 4, 4), b"pong");
    assert_eq!(harness.memory.get(buffers.reply, 4), request.bytes[..4]);
    assert_eq!(harness.memory.get_u32(buffers.actual), 8);
    assert_eq!(harness.memory.get_u32(buffers.actual + 4), 1);
    let received = harness.memory.get_u32(buffers.reply_handle);
    assert_eq!(harness.basic_info(received).r#type, ZX_OBJ_TYPE_EVENT);
}

#[test]
fn channel_call_with_no_room_for_the_reply_is_buffer_too_small() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    let buffers = call_buffers(&harness, a, &[0; 4], 4);
    let cx = harness.context();
    let mut call = begin(&cx, numbers::channel_call, &buffers.args);
    assert_eq!(poll(&mut call), Poll::Pending);
    let request = read(&harness, b, 0, 64, 0);
    assert_eq!(
        write(&harness, b, &[&request.bytes[..4], &[9; 60]].concat(), &[]),
        0
    );
    assert_eq!(poll(&mut call), Poll::Ready(st(ZX_ERR_BUFFER_TOO_SMALL)));
    assert_eq!(harness.memory.get_u32(buffers.actual), 64);
    assert_eq!(read(&harness, a, 0, 64, 0).status, st(ZX_ERR_SHOULD_WAIT));
}

#[test]
fn channel_call_checks_its_arguments() {
    let harness = Harness::new();
    let (a, _b) = harness.channel();
    let unreadable = [
        a.into(),
        0,
        ZX_TIME_INFINITE as u64,
        harness.memory.unmapped(),
        0,
        0,
    ];
    assert_eq!(
        harness.call(numbers::channel_call, &unreadable),
        st(ZX_ERR_INVALID_ARGS)
    );
    let short = call_buffers(&harness, a, &[0; 3], 4);
    assert_eq!(
        harness.call(numbers::channel_call, &short.args),
        st(ZX_ERR_INVALID_ARGS)
    );
    let event = harness.event();
    let wrong_type = call_buffers(&harness, event, &[0; 4], 4);
    assert_eq!(
        harness.call(numbers::channel_call, &wrong_type.args),
        st(ZX_ERR_WRONG_TYPE)
    );
}

fn user_packet(key: u64, word: u64) -> zx_port_packet_t {
    let mut payload = [0; 32];
    payload[..8].copy_from_slice(&word.to_le_bytes());
    zx_port_packet_t {
        key,
        r#type: ZX_PKT_TYPE_SIGNAL_ONE, // forced to ZX_PKT_TYPE_USER
        status: -5,
        payload,
    }
}

#[test]
fn a_queued_packet_comes_back_as_a_user_packet() {
    let harness = Harness::new();
    let port = harness.port();
    let packet = harness.memory.alloc_struct(&user_packet(9, 0xfeed));
    harness.ok(numbers::port_queue, &[port.into(), packet]);
    let out = harness.memory.alloc(48);
    harness.ok(
        numbers::port_wait,
        &[port.into(), ZX_TIME_INFINITE as u64, out],
    );
    let received = harness.memory.get_struct::<zx_port_packet_t>(out);
    assert_eq!(
        (received.key, received.r#type, received.status),
        (9, ZX_PKT_TYPE_USER, -5)
    );
    assert_eq!(received.user_u64()[0], 0xfeed);
}

#[test]
fn port_wait_blocks_reporting_blocked_port() {
    let harness = Harness::new();
    let port = harness.port();
    let out = harness.memory.alloc(48);
    let cx = harness.context();
    let mut call = begin(
        &cx,
        numbers::port_wait,
        &[port.into(), ZX_TIME_INFINITE as u64, out],
    );
    assert_eq!(poll(&mut call), Poll::Pending);
    assert_eq!(harness.thread_state(), ZX_THREAD_STATE_BLOCKED_PORT);
    let packet = harness.memory.alloc_struct(&user_packet(1, 2));
    harness.ok(numbers::port_queue, &[port.into(), packet]);
    assert_eq!(poll(&mut call), Poll::Ready(0));
    assert_eq!(harness.memory.get_struct::<zx_port_packet_t>(out).key, 1);
}

#[test]
fn port_wait_times_out() {
    let harness = Harness::new();
    let port = harness.port();
    let out = harness.memory.alloc(48);
    assert_eq!(
        harness.call(numbers::port_wait, &[port.into(), 0, out]),
        st(ZX_ERR_TIMED_OUT)
    );
}

#[test]
fn port_errors() {
    let harness = Harness::new();
    let port = harness.port();
    let event = harness.event();
    let write_only = harness.reduced(port, ZX_RIGHT_WRITE);
    let read_only = harness.reduced(port, ZX_RIGHT_READ);
    let packet = harness.memory.alloc_struct(&user_packet(1, 2));
    let unmapped = harness.memory.unmapped();
    let out = harness.memory.alloc(48);

    let queue =
        |handle: u32, packet: u64| harness.call(numbers::port_queue, &[handle.into(), packet]);
    assert_eq!(queue(0x1233, packet), st(ZX_ERR_BAD_HANDLE));
    assert_eq!(queue(event, packet), st(ZX_ERR_WRONG_TYPE));
    assert_eq!(queue(read_only, packet), st(ZX_ERR_ACCESS_DENIED));
    assert_eq!(queue(port, unmapped), st(ZX_ERR_INVALID_ARGS));
    // The handle is checked before the packet is read, as in Zircon.
    assert_eq!(queue(0x1233, unmapped), st(ZX_ERR_BAD_HANDLE));
    assert_eq!(queue(event, unmapped), st(ZX_ERR_WRONG_TYPE));
    assert_eq!(queue(read_only, unmapped), st(ZX_ERR_ACCESS_DENIED));

    let wait = |handle: u32, out: u64| harness.call(numbers::port_wait, &[handle.into(), 0, out]);
    assert_eq!(wait(0x1233, out), st(ZX_ERR_BAD_HANDLE));
    assert_eq!(wait(event, out), st(ZX_ERR_WRONG_TYPE));
    assert_eq!(wait(write_only, out), st(ZX_ERR_ACCESS_DENIED));
    assert_eq!(queue(port, packet), 0);
    assert_eq!(wait(port, unmapped), st(ZX_ERR_INVALID_ARGS));

    let mut out = harness.memory.alloc(8);
    assert_eq!(
        harness.call(numbers::port_create, &[2, out]),
        st(ZX_ERR_INVALID_ARGS)
    );
    out = harness.memory.unmapped();
    assert_eq!(
        harness.call(numbers::port_create, &[0, out]),
        st(ZX_ERR_INVALID_ARGS)
    );
}

#[test]
fn port_cancel_removes_a_pending_wait_async() {
    let harness = Harness::new();
    let (event, port) = (harness.event(), harness.port());
    let watched = ZX_USER_SIGNAL_0.into();
    harness.ok(
        numbers::object_wait_async,
        &[event.into(), port.into(), 5, watched, 0],
    );
    harness.ok(numbers::port_cancel, &[port.into(), event.into(), 5]);
    assert_eq!(
        harness.call(numbers::port_cancel, &[port.into(), event.into(), 5]),
        st(ZX_ERR_NOT_FOUND)
    );
    harness.ok(
        numbers::object_signal,
        &[event.into(), 0, ZX_USER_SIGNAL_0.into()],
    );
    let out = harness.memory.alloc(48);
    assert_eq!(
        harness.call(numbers::port_wait, &[port.into(), 0, out]),
        st(ZX_ERR_TIMED_OUT)
    );
    assert_eq!(
        harness.call(numbers::port_cancel, &[event.into(), event.into(), 5]),
        st(ZX_ERR_WRONG_TYPE)
    );
}
