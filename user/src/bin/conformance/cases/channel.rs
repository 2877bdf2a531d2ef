//! Channels (spec §7): messages, their limits, and what happens to handles in transit.

use crate::harness::{
    Case, Context, KERNEL_ADDRESS, Outcome, case, ensure, ensure_eq, ensure_err, ensure_raw,
    lending, long, short,
};
use alloc::vec;
use alloc::vec::Vec;
use syscalls_abi::numbers;
use user::abi::*;
use user::handle::is_live_handle_value;
use user::sys::Outs;
use user::{AsHandleRef, Channel, Event, Handle, HandleBased, Rights, Signals, Task, Time, sys};

pub const CASES: &[Case] = &[
    case(
        "channel_write_then_read_carries_bytes_and_handles",
        round_trip,
    ),
    case(
        "channel_read_of_an_empty_channel_should_wait",
        empty_should_wait,
    ),
    case(
        "channel_read_after_the_peer_closed_is_peer_closed",
        read_peer_closed,
    ),
    case(
        "channel_messages_queued_before_peer_close_can_be_read",
        queued_survive,
    ),
    case(
        "channel_read_into_a_small_buffer_keeps_the_message",
        too_small_keeps,
    ),
    case(
        "channel_read_may_discard_drops_a_message_too_large",
        may_discard,
    ),
    case("channel_messages_keep_their_order", order),
    case(
        "channel_write_to_a_closed_peer_is_peer_closed",
        write_peer_closed,
    ),
    case(
        "channel_write_consumes_handles_even_when_it_fails",
        consumes_on_failure,
    ),
    case(
        "channel_write_of_its_own_handle_is_not_supported",
        own_handle,
    ),
    case(
        "channel_write_of_too_many_bytes_is_out_of_range",
        too_many_bytes,
    ),
    case(
        "channel_write_of_too_many_handles_is_out_of_range",
        too_many_handles,
    ),
    case(
        "channel_write_of_a_repeated_handle_is_bad_handle",
        repeated_handle,
    ),
    case(
        "channel_write_of_a_handle_without_transfer_is_access_denied",
        no_transfer,
    ),
    case(
        "channel_peer_closed_signal_is_asserted_on_close",
        peer_closed_signal,
    ),
    case("channel_readable_signal_follows_the_queue", readable_signal),
    case(
        "channel_create_with_options_is_invalid_args",
        create_options,
    ),
    case("channel_moves_handles_between_processes", across_processes),
    case(
        "channel_read_without_read_right_is_access_denied",
        read_denied,
    ),
    case(
        "channel_read_of_a_non_channel_is_wrong_type",
        read_wrong_type,
    ),
    case(
        "channel_read_with_a_bad_pointer_is_invalid_args",
        read_bad_pointers,
    ),
    case(
        "channel_write_to_a_non_channel_is_wrong_type",
        write_wrong_type,
    ),
    case("channel_write_iovec_gathers_its_pieces", iovec_write),
    case(
        "channel_write_iovec_with_reserved_bits_is_invalid_args",
        iovec_reserved,
    ),
    case(
        "library_byte_stub_of_channel_write_refuses_iovec_and_closes_its_handles",
        byte_stub_refuses_iovec,
    ),
];

fn round_trip(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    let event = Event::create()?;
    let koid = event.koid()?;
    a.write(b"hello", vec![event.into()])?;
    let message = b.read()?;
    ensure_eq!(message.bytes.as_slice(), b"hello".as_slice());
    ensure_eq!(message.handles.len(), 1);
    ensure_eq!(message.handles[0].koid()?, koid);
    Ok(())
}

fn empty_should_wait(_: &Context) -> Outcome {
    let (_a, b) = Channel::create()?;
    ensure_err!(b.read(), ShouldWait);
    Ok(())
}

fn read_peer_closed(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    drop(a);
    ensure_err!(b.read(), PeerClosed);
    Ok(())
}

fn queued_survive(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    a.write(b"last words", Vec::new())?;
    drop(a);
    ensure_eq!(b.read()?.bytes.as_slice(), b"last words".as_slice());
    ensure_err!(b.read(), PeerClosed);
    Ok(())
}

fn too_small_keeps(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    a.write(&[7; 100], vec![Event::create()?.into()])?;
    let (mut bytes, mut handles) = ([0u8; 10], [0u32; 0]);
    let (result, sizes) = b.read_raw(0, &mut bytes, &mut handles);
    ensure_err!(result, BufferTooSmall);
    ensure_eq!((sizes.bytes, sizes.handles), (100, 1));
    let message = b.read()?;
    ensure_eq!((message.bytes.len(), message.handles.len()), (100, 1));
    Ok(())
}

fn may_discard(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    a.write(&[7; 100], Vec::new())?;
    let mut bytes = [0u8; 10];
    let (result, _) = b.read_raw(ZX_CHANNEL_READ_MAY_DISCARD, &mut bytes, &mut []);
    ensure_err!(result, BufferTooSmall);
    ensure_err!(b.read(), ShouldWait);
    Ok(())
}

fn order(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    for i in 0..10u8 {
        a.write(&[i], Vec::new())?;
    }
    for i in 0..10u8 {
        ensure_eq!(b.read()?.bytes, vec![i]);
    }
    Ok(())
}

fn write_peer_closed(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    drop(b);
    ensure_err!(a.write(b"x", Vec::new()), PeerClosed);
    Ok(())
}

fn consumes_on_failure(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    drop(b);
    let event = Event::create()?;
    let raw = event.raw_handle();
    ensure_err!(a.write(b"x", vec![event.into()]), PeerClosed);
    ensure!(
        !is_live_handle_value(raw),
        "the event handle survived the failed write"
    );
    Ok(())
}

fn own_handle(_: &Context) -> Outcome {
    let (a, _b) = Channel::create()?;
    let raw = a.raw_handle();
    ensure_err!(a.write_raw(0, b"x", &[raw]), NotSupported);
    // The kernel may have consumed the handle with the failed write: do not close it again.
    let _ = a.into_handle().into_raw();
    Ok(())
}

fn too_many_bytes(_: &Context) -> Outcome {
    let (a, _b) = Channel::create()?;
    ensure_err!(
        a.write(&vec![0; ZX_CHANNEL_MAX_MSG_BYTES as usize + 1], Vec::new()),
        OutOfRange
    );
    a.write(&vec![0; ZX_CHANNEL_MAX_MSG_BYTES as usize], Vec::new())?;
    Ok(())
}

fn too_many_handles(_: &Context) -> Outcome {
    let (a, _b) = Channel::create()?;
    let events = (0..=ZX_CHANNEL_MAX_MSG_HANDLES).map(|_| Event::create().map(Handle::from));
    let events = events.collect::<Result<Vec<_>, _>>()?;
    ensure_err!(a.write(b"", events), OutOfRange);
    Ok(())
}

fn repeated_handle(_: &Context) -> Outcome {
    let (a, _b) = Channel::create()?;
    let raw = Event::create()?.into_handle().into_raw();
    ensure_err!(a.write_raw(0, b"", &[raw, raw]), BadHandle);
    let _ = sys::handle_close(raw);
    Ok(())
}

fn no_transfer(_: &Context) -> Outcome {
    let (a, _b) = Channel::create()?;
    let event = Event::create()?.duplicate(Rights::WAIT | Rights::SIGNAL)?;
    ensure_err!(a.write(b"", vec![event.into()]), AccessDenied);
    Ok(())
}

fn peer_closed_signal(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    ensure_err!(
        b.wait_one(Signals::CHANNEL_PEER_CLOSED, Time::ZERO),
        TimedOut
    );
    drop(a);
    let observed = b.wait_one(Signals::CHANNEL_PEER_CLOSED, long())?;
    ensure!(observed.contains(Signals::CHANNEL_PEER_CLOSED));
    Ok(())
}

fn readable_signal(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    ensure_err!(b.wait_one(Signals::CHANNEL_READABLE, short()), TimedOut);
    a.write(b"x", Vec::new())?;
    b.wait_one(Signals::CHANNEL_READABLE, Time::ZERO)?;
    b.read()?;
    ensure_err!(b.wait_one(Signals::CHANNEL_READABLE, Time::ZERO), TimedOut);
    Ok(())
}

fn create_options(_: &Context) -> Outcome {
    let (mut a, mut b) = (0, 0);
    ensure_raw!(sys::channel_create(1, &mut a, &mut b), InvalidArgs);
    Ok(())
}

fn across_processes(context: &Context) -> Outcome {
    let (echo, channel) = context.helper_with_channel("echo", &[])?;
    let event = Event::create()?;
    let koid = event.koid()?;
    channel.write(b"ping", vec![event.into()])?;
    let reply = channel.read_wait(long())?;
    ensure_eq!(reply.bytes.as_slice(), b"ping".as_slice());
    ensure_eq!(reply.handles.len(), 1);
    ensure_eq!(reply.handles[0].koid()?, koid);
    drop(channel);
    echo.process.wait_terminated(long())?;
    Ok(())
}

fn read_denied(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    a.write(b"x", Vec::new())?;
    let b = b.replace(Rights::WRITE | Rights::TRANSFER | Rights::WAIT)?;
    ensure_err!(b.read(), AccessDenied);
    Ok(())
}

fn read_wrong_type(_: &Context) -> Outcome {
    let event = Event::create()?;
    let status = sys::channel_read(event.raw_handle(), 0, &mut [], &mut [], &mut 0, &mut 0);
    ensure_raw!(status, WrongType);
    Ok(())
}

fn write_wrong_type(_: &Context) -> Outcome {
    let event = Event::create()?;
    ensure_raw!(
        sys::channel_write(event.raw_handle(), 0, b"x", &[]),
        WrongType
    );
    Ok(())
}

/// `zx_channel_read` on `channel` with `bytes`, `handles` and the two actual counts as given
/// (room for 16 bytes and 1 handle); a NULL count is replaced by a word of `outs`.
fn read_at(channel: &Channel, pointers: [u64; 4]) -> Result<i32, crate::harness::Fail> {
    let mut outs = Outs::default();
    let [bytes, handles, actual_bytes, actual_handles] = pointers;
    let mut or_out = |pointer: u64, word| {
        if pointer == 0 {
            outs.address(word)
        } else {
            pointer
        }
    };
    let (actual_bytes, actual_handles) = (or_out(actual_bytes, 0), or_out(actual_handles, 1));
    let handle = channel.raw_handle();
    let args = [
        handle.into(),
        0,
        bytes,
        handles,
        16,
        1,
        actual_bytes,
        actual_handles,
    ];
    lending(numbers::channel_read, args, handle, &mut outs)
}

fn read_bad_pointers(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    let bad = KERNEL_ADDRESS;
    // Bytes (a message with bytes), handles (a message with a handle and no bytes, whose
    // byte buffer may then be NULL), and each actual count (an empty message).
    a.write(b"bytes", Vec::new())?;
    ensure_raw!(read_at(&b, [bad, 0, 0, 0])?, InvalidArgs);
    a.write(b"", vec![Event::create()?.into()])?;
    ensure_raw!(read_at(&b, [0, bad, 0, 0])?, InvalidArgs);
    a.write(b"", Vec::new())?;
    ensure_raw!(read_at(&b, [0, 0, bad, 0])?, InvalidArgs);
    a.write(b"", Vec::new())?;
    ensure_raw!(read_at(&b, [0, 0, 0, bad])?, InvalidArgs);
    // The channel still works.
    a.write(b"fine", Vec::new())?;
    ensure_eq!(b.read_wait(long())?.bytes.as_slice(), b"fine".as_slice());
    Ok(())
}

fn iovec_write(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    let event = Event::create()?;
    let koid = event.koid()?;
    a.write_iovec(&[b"gath", b"", b"ered", b"!"], vec![event.into()])?;
    let message = b.read()?;
    ensure_eq!(message.bytes.as_slice(), b"gathered!".as_slice());
    ensure_eq!(message.handles.len(), 1);
    ensure_eq!(message.handles[0].koid()?, koid);
    Ok(())
}

fn iovec_reserved(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    let mut iovec = sys::iovec(b"piece");
    iovec.reserved = 1;
    ensure_err!(a.write_iovec_raw(0, &[iovec], &[]), InvalidArgs);
    ensure_err!(b.read(), ShouldWait);
    Ok(())
}

/// Checks the user library, not the kernel: its byte stub of `zx_channel_write` refuses
/// `ZX_CHANNEL_WRITE_USE_IOVEC` without a syscall, and closes the handles itself (a syscall
/// each), as the kernel would have consumed them. The handle closing is why this runs here and
/// not as a host test of the library.
fn byte_stub_refuses_iovec(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    let raw = Event::create()?.into_handle().into_raw();
    // Read as iovecs, these bytes would send the kernel to whatever addresses they spell.
    let bytes = [0x41u8; 32];
    ensure_err!(
        a.write_raw(ZX_CHANNEL_WRITE_USE_IOVEC, &bytes, &[raw]),
        InvalidArgs
    );
    ensure!(
        !is_live_handle_value(raw),
        "the handle outlived the refused write"
    );
    ensure_err!(b.read(), ShouldWait);
    Ok(())
}
