//! Channel syscalls (spec §7): `zx_channel_create`, `zx_channel_read`, `zx_channel_write`,
//! `zx_channel_call`.
//!
//! The objects do the message work; this layer copies. A write first copies the handle
//! values in (at most 64; an unreadable array consumes nothing, since its values are
//! unknown), then gathers the bytes (at most 64 KiB, from one buffer or from up to 8192
//! iovecs with `ZX_CHANNEL_WRITE_USE_IOVEC`); from the moment the values are known, every
//! handle they name is consumed, whatever the outcome. A read copies the bytes, then the
//! handle values; if that copy fails the message is still consumed and its handles are
//! closed, as in Zircon. A call writes as a write does, waits (`BLOCKED_CHANNEL`) and
//! delivers its reply as a read does, except that a reply too big for the buffers is dropped.

use alloc::vec;
use alloc::vec::Vec;

use objects::abi::{HandleValue, Time};
use objects::ipc::{self, Channel, Message, ReadError, ReadMessage};
use objects::task::{BlockedReason, PolicyCondition};
use objects::{Rights, Status, ZxResult};

use crate::abi::{
    ZX_CHANNEL_MAX_MSG_BYTES, ZX_CHANNEL_MAX_MSG_HANDLES, ZX_CHANNEL_MAX_MSG_IOVECS,
    ZX_CHANNEL_WRITE_USE_IOVEC, zx_channel_call_args_t, zx_channel_iovec_t, zx_handle_t,
};
use crate::context::SyscallContext;
use crate::handle;
use crate::user_ptr::UserPtr;

/// `zx_channel_create`: INVALID_ARGS (options not 0, bad `out0` or `out1`); ACCESS_DENIED
/// (the caller's `ZX_POL_NEW_CHANNEL`).
pub(crate) fn create(
    cx: &SyscallContext<'_>,
    options: u32,
    out0: UserPtr<zx_handle_t>,
    out1: UserPtr<zx_handle_t>,
) -> ZxResult {
    if options != 0 {
        return Err(Status::InvalidArgs);
    }
    cx.process.check_policy(PolicyCondition::NewChannel)?;
    handle::give_pair(cx, Channel::create(options)?, [out0, out1])
}

/// The buffers of a `zx_channel_read`.
pub(crate) struct ReadBuffers {
    pub bytes: UserPtr<u8>,
    pub handles: UserPtr<zx_handle_t>,
    pub num_bytes: u32,
    pub num_handles: u32,
    pub actual_bytes: UserPtr<u32>,
    pub actual_handles: UserPtr<u32>,
}

impl ReadBuffers {
    /// Writes a message's sizes to `actual_bytes` and `actual_handles`, where given.
    fn report_sizes(&self, cx: &SyscallContext<'_>, bytes: usize, handles: usize) -> ZxResult {
        self.actual_bytes
            .write_if_present(cx.memory, &(bytes as u32))?;
        self.actual_handles
            .write_if_present(cx.memory, &(handles as u32))
    }

    /// Copies a received message out: its bytes, its handle values and its sizes. If a copy
    /// fails, the handles (already in the caller's table) are closed.
    fn give(&self, cx: &SyscallContext<'_>, message: ReadMessage) -> ZxResult {
        let values: Vec<HandleValue> = message.handles.iter().map(|info| info.value).collect();
        let copied = self
            .bytes
            .write_bytes(cx.memory, &message.bytes)
            .and_then(|()| self.handles.write_array(cx.memory, &values))
            .and_then(|()| self.report_sizes(cx, message.bytes.len(), values.len()));
        if copied.is_err() {
            for value in values {
                let _ = cx.handles().close(value);
            }
        }
        copied
    }
}

/// `zx_channel_read`: the errors of [`ipc::channel_read`]; with BUFFER_TOO_SMALL the sizes
/// the message needs go to `actual_bytes` and `actual_handles` (both optional); INVALID_ARGS
/// when a buffer cannot be written, the message then being consumed.
pub(crate) fn read(
    cx: &SyscallContext<'_>,
    channel: HandleValue,
    options: u32,
    out: ReadBuffers,
) -> ZxResult {
    let (num_bytes, num_handles) = (out.num_bytes as usize, out.num_handles as usize);
    let message = match ipc::channel_read(cx.handles(), channel, options, num_bytes, num_handles) {
        Ok(message) => message,
        Err(ReadError::BufferTooSmall { bytes, handles }) => {
            out.report_sizes(cx, bytes, handles)?;
            return Err(Status::BufferTooSmall);
        }
        Err(ReadError::Status(status)) => return Err(status),
    };

    out.give(cx, message)
}

/// `zx_channel_write`: OUT_OF_RANGE (over 64 handles, nothing consumed); INVALID_ARGS (an
/// unreadable handle array, nothing consumed); then, with every named handle consumed: the
/// errors of [`ipc::channel_write`], with those of gathering the bytes (INVALID_ARGS for a
/// bad pointer or a non-zero iovec `reserved`, OUT_OF_RANGE past 64 KiB or 8192 iovecs)
/// coming right after the channel's own.
pub(crate) fn write(
    cx: &SyscallContext<'_>,
    channel: HandleValue,
    options: u32,
    bytes: UserPtr<u8>,
    num_bytes: u32,
    handles: UserPtr<zx_handle_t>,
    num_handles: u32,
) -> ZxResult {
    if num_handles > ZX_CHANNEL_MAX_MSG_HANDLES {
        return Err(Status::OutOfRange);
    }
    let transfers = handles.read_array(cx.memory, num_handles as usize)?;

    // Unknown option bits: the objects refuse them first, and consume the handles.
    let payload = match options & !ZX_CHANNEL_WRITE_USE_IOVEC {
        0 => gather(cx, options, bytes, num_bytes),
        _ => Ok(Vec::new()),
    };
    match payload {
        Ok(payload) => ipc::channel_write(cx.handles(), channel, options, payload, &transfers),
        Err(status) => Err(refuse(cx, channel, &transfers, status)),
    }
}

/// The message's bytes: `num_bytes` from `bytes`, or with `ZX_CHANNEL_WRITE_USE_IOVEC` the
/// pieces of the `num_bytes` iovecs at `bytes`, in order.
fn gather(
    cx: &SyscallContext<'_>,
    options: u32,
    bytes: UserPtr<u8>,
    num_bytes: u32,
) -> ZxResult<Vec<u8>> {
    if options & ZX_CHANNEL_WRITE_USE_IOVEC == 0 {
        if num_bytes > ZX_CHANNEL_MAX_MSG_BYTES {
            return Err(Status::OutOfRange);
        }
        let mut payload = vec![0; num_bytes as usize];
        bytes.read_bytes(cx.memory, &mut payload)?;
        return Ok(payload);
    }

    if num_bytes > ZX_CHANNEL_MAX_MSG_IOVECS {
        return Err(Status::OutOfRange);
    }
    let iovecs = UserPtr::<zx_channel_iovec_t>::new(bytes.address())
        .read_array(cx.memory, num_bytes as usize)?;
    if iovecs.iter().any(|iovec| iovec.reserved != 0) {
        return Err(Status::InvalidArgs);
    }
    let total: u64 = iovecs.iter().map(|iovec| u64::from(iovec.capacity)).sum();
    if total > u64::from(ZX_CHANNEL_MAX_MSG_BYTES) {
        return Err(Status::OutOfRange);
    }
    let mut payload = vec![0; total as usize];
    let mut at = 0;
    for iovec in &iovecs {
        let piece = &mut payload[at..at + iovec.capacity as usize];
        UserPtr::<u8>::new(iovec.buffer).read_bytes(cx.memory, piece)?;
        at += piece.len();
    }
    Ok(payload)
}

/// A write whose bytes could not be gathered: consumes the handles named (the channel's own
/// excepted) and returns the channel's error if it has one, else `status`.
fn refuse(
    cx: &SyscallContext<'_>,
    channel: HandleValue,
    transfers: &[HandleValue],
    status: Status,
) -> Status {
    let channel_error = cx.handles().get::<Channel>(channel, Rights::WRITE).err();
    for &value in transfers.iter().filter(|&&value| value != channel) {
        let _ = cx.handles().close(value);
    }
    channel_error.unwrap_or(status)
}

/// `zx_channel_call`: INVALID_ARGS (unreadable `args`); the errors of `zx_channel_write`,
/// with READ needed besides WRITE and INVALID_ARGS for a request under four bytes; then
/// TIMED_OUT, PEER_CLOSED (the peer closed before the reply) or CANCELED (the channel's handle
/// closed meanwhile); BUFFER_TOO_SMALL when the reply does not fit (it is dropped, its sizes
/// going to `actual_bytes` and `actual_handles`); NO_RESOURCES when the caller's table has
/// no room for its handles (also dropped); INVALID_ARGS when the reply cannot be written out
/// (its handles are then closed).
pub(crate) async fn call(
    cx: &SyscallContext<'_>,
    channel: HandleValue,
    options: u32,
    deadline: Time,
    args: UserPtr<zx_channel_call_args_t>,
    actual_bytes: UserPtr<u32>,
    actual_handles: UserPtr<u32>,
) -> ZxResult {
    let args = args.read(cx.memory)?;
    if args.wr_num_handles > ZX_CHANNEL_MAX_MSG_HANDLES {
        return Err(Status::OutOfRange);
    }
    let transfers = UserPtr::<zx_handle_t>::new(args.wr_handles)
        .read_array(cx.memory, args.wr_num_handles as usize)?;
    let request = UserPtr::new(args.wr_bytes);
    let payload = match options & !ZX_CHANNEL_WRITE_USE_IOVEC {
        0 => gather(cx, options, request, args.wr_num_bytes),
        _ => Ok(Vec::new()),
    };
    let payload = payload.map_err(|status| refuse(cx, channel, &transfers, status))?;
    let clock = cx.clock();
    let call = ipc::channel_call(
        cx.handles(),
        channel,
        options,
        payload,
        &transfers,
        deadline,
        clock,
    )?;
    let reply = cx.blocking(BlockedReason::Channel, call).await??;

    let out = ReadBuffers {
        bytes: UserPtr::new(args.rd_bytes),
        handles: UserPtr::new(args.rd_handles),
        num_bytes: args.rd_num_bytes,
        num_handles: args.rd_num_handles,
        actual_bytes,
        actual_handles,
    };
    deliver_reply(cx, reply, out)
}

/// Moves a call's reply into the caller's buffers and handle table.
fn deliver_reply(cx: &SyscallContext<'_>, reply: Message, out: ReadBuffers) -> ZxResult {
    let (bytes, handles) = (reply.bytes().len(), reply.handles().len());
    if bytes > out.num_bytes as usize || handles > out.num_handles as usize {
        drop(reply);
        out.report_sizes(cx, bytes, handles)?;
        return Err(Status::BufferTooSmall);
    }
    let received = reply.receive(cx.handles()).map_err(|(status, _)| status)?;
    out.give(cx, received)
}
