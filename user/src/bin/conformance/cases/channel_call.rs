//! `zx_channel_call` (spec §7): a request and its reply matched by transaction id, and each way
//! a call ends without one.

use crate::harness::{
    Case, Context, Outcome, case, ensure, ensure_eq, ensure_err, ensure_raw, long, reaches_state,
    short,
};
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicI32, Ordering};
use user::abi::*;
use user::{AsHandleRef, Channel, Event, HandleBased, Rights, Signals, Task, Time, sys};

pub const CASES: &[Case] = &[
    case(
        "channel_call_gets_its_reply_from_another_process",
        reply_from_process,
    ),
    case(
        "channel_call_of_fewer_than_four_bytes_is_invalid_args",
        too_short,
    ),
    case("channel_call_needs_the_read_right", needs_read),
    case(
        "channel_call_times_out_and_a_late_reply_is_queued",
        timed_out,
    ),
    case(
        "channel_call_ends_with_peer_closed_when_the_peer_closes",
        peer_closes,
    ),
    case(
        "channel_call_reply_too_big_is_buffer_too_small",
        reply_too_big,
    ),
    case(
        "channel_call_blocks_the_thread_in_blocked_channel",
        blocked_channel,
    ),
];

/// The transaction id at the front of a message.
fn txid(bytes: &[u8]) -> u32 {
    u32::from_ne_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

fn reply_from_process(context: &Context) -> Outcome {
    let (echo, channel) = context.helper_with_channel("echo", &[])?;
    let event = Event::create()?;
    let koid = event.koid()?;
    let reply = channel.call(long(), b"\0\0\0\0ping", vec![event.into()])?;
    ensure_eq!(&reply.bytes[4..], b"ping".as_slice());
    ensure!(
        txid(&reply.bytes) & 0x8000_0000 != 0,
        "txid {:#x} lacks the high bit",
        txid(&reply.bytes)
    );
    ensure_eq!(reply.handles.len(), 1);
    ensure_eq!(reply.handles[0].koid()?, koid);
    ensure_err!(channel.read(), ShouldWait);
    drop(channel);
    echo.process.wait_terminated(long())?;
    Ok(())
}

fn too_short(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    ensure_err!(a.call(short(), b"abc", Vec::new()), InvalidArgs);
    ensure_err!(b.read(), ShouldWait);
    Ok(())
}

fn needs_read(_: &Context) -> Outcome {
    let (a, _b) = Channel::create()?;
    let a = a.replace(Rights::WRITE | Rights::TRANSFER)?;
    ensure_err!(a.call(short(), b"abcd", Vec::new()), AccessDenied);
    Ok(())
}

fn timed_out(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    ensure_err!(a.call(short(), b"\0\0\0\0late", Vec::new()), TimedOut);
    let request = b.read()?;
    b.write(&request.bytes, Vec::new())?;
    let queued = a.read()?;
    ensure_eq!(queued.bytes, request.bytes);
    Ok(())
}

fn peer_closes(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    let server = user::thread::spawn("server", move || {
        let _ = b.read_wait(Time::INFINITE);
        drop(b);
    })?;
    ensure_err!(a.call(long(), b"\0\0\0\0bye", Vec::new()), PeerClosed);
    server.join(long()).map_err(|(status, _)| status)?;
    ensure_err!(a.call(short(), b"\0\0\0\0bye", Vec::new()), PeerClosed);
    Ok(())
}

fn reply_too_big(context: &Context) -> Outcome {
    let (echo, channel) = context.helper_with_channel("echo", &[])?;
    let request = [7u8; 100];
    let (mut reply, mut reply_handles) = ([0u8; 10], [0u32; 1]);
    let (mut actual_bytes, mut actual_handles) = (0, 0);
    let buffers = sys::CallBuffers {
        write_bytes: &request,
        write_handles: &[],
        read_bytes: &mut reply,
        read_handles: &mut reply_handles,
    };
    let status = sys::channel_call(
        channel.raw_handle(),
        0,
        long().into_nanos(),
        buffers,
        &mut actual_bytes,
        &mut actual_handles,
    );
    ensure_raw!(status, BufferTooSmall);
    ensure_eq!((actual_bytes, actual_handles), (100, 0));
    ensure_err!(channel.read(), ShouldWait);
    drop(channel);
    echo.process.wait_terminated(long())?;
    Ok(())
}

fn blocked_channel(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    let status = Arc::new(AtomicI32::new(1));
    let caller = {
        let status = status.clone();
        user::thread::spawn("caller", move || {
            let outcome = a.call(Time::INFINITE, b"\0\0\0\0wait", Vec::new());
            status.store(
                outcome.map_or_else(|s| s.into_raw(), |_| 0),
                Ordering::SeqCst,
            );
        })?
    };
    ensure!(
        reaches_state(caller.thread(), ZX_THREAD_STATE_BLOCKED_CHANNEL),
        "the caller never blocked"
    );
    let request = b.read_wait(long())?;
    b.write(&request.bytes, Vec::new())?;
    caller.join(long()).map_err(|(status, _)| status)?;
    ensure_eq!(status.load(Ordering::SeqCst), 0);
    ensure!(
        b.wait_one(Signals::CHANNEL_READABLE, Time::ZERO).is_err(),
        "the reply stayed queued"
    );
    Ok(())
}
