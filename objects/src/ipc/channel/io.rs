//! `zx_channel_write`, `zx_channel_read` and `zx_channel_call` through a process's handles
//! (spec §7).
//!
//! The syscall layer copies user memory; these take and give kernel buffers. A write (a call's
//! too) consumes every handle it names, on success or failure, except the handle it writes
//! through; a read either moves a whole message into the caller's table or leaves it queued.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::call::ChannelCall;
use super::message::{Message, ReadError, ReadMessage};
use super::object::Channel;
use crate::abi::{
    HandleValue, Rights, Status, Time, ZX_CHANNEL_MAX_MSG_BYTES, ZX_CHANNEL_MAX_MSG_HANDLES,
    ZX_CHANNEL_READ_MAY_DISCARD, ZX_CHANNEL_WRITE_USE_IOVEC, ZxResult,
};
use crate::handle::{Handle, HandleTable};
use crate::object::KernelObject;
use crate::time::Clock;

/// `zx_channel_write`: sends `bytes` and the handles named in `handles` to the peer of the
/// channel behind `channel`.
///
/// Every handle in `handles` leaves the table whatever happens, except `channel` itself. Errors,
/// in the order they are checked: `INVALID_ARGS` (option bits other than
/// `ZX_CHANNEL_WRITE_USE_IOVEC`, whose gathering the syscall layer has done); `OUT_OF_RANGE`
/// (over 64 handles); `BAD_HANDLE`, `WRONG_TYPE` or `ACCESS_DENIED` (no `WRITE`) for the
/// channel; `OUT_OF_RANGE` (over 64 KiB); for the first bad element, `BAD_HANDLE` (invalid or
/// repeated), `NOT_SUPPORTED` (the channel's own handle) or `ACCESS_DENIED` (no `TRANSFER`);
/// then `PEER_CLOSED` or `SHOULD_WAIT` from the write itself.
pub fn channel_write(
    handles: &HandleTable,
    channel: HandleValue,
    options: u32,
    bytes: Vec<u8>,
    transfers: &[HandleValue],
) -> ZxResult {
    let (target, message) = outgoing(handles, channel, Rights::WRITE, options, bytes, transfers)?;
    target.write(message)
}

/// `zx_channel_call`: writes `bytes` (whose first four bytes become the call's transaction id)
/// and the handles named in `transfers` to the peer, and returns the wait for the reply (see
/// [`ChannelCall`]). The errors of [`channel_write`], with `READ` needed as well as `WRITE`,
/// then `INVALID_ARGS` for fewer than four bytes.
pub fn channel_call(
    handles: &HandleTable,
    channel: HandleValue,
    options: u32,
    bytes: Vec<u8>,
    transfers: &[HandleValue],
    deadline: Time,
    clock: &Arc<dyn Clock>,
) -> ZxResult<ChannelCall> {
    let rights = Rights::READ | Rights::WRITE;
    let (target, message) = outgoing(handles, channel, rights, options, bytes, transfers)?;
    target.call(message, deadline, clock)
}

/// The checks every write makes, in order (see [`channel_write`]), taking the named handles
/// out of the table: the channel and the message to send through it.
#[inline]
fn outgoing(
    handles: &HandleTable,
    channel: HandleValue,
    rights: Rights,
    options: u32,
    bytes: Vec<u8>,
    transfers: &[HandleValue],
) -> ZxResult<(Arc<Channel>, Message)> {
    let (target, taken, element_error) = take_transfers(handles, channel, rights, transfers);
    if options & !ZX_CHANNEL_WRITE_USE_IOVEC != 0 {
        return Err(Status::InvalidArgs);
    }
    if transfers.len() > ZX_CHANNEL_MAX_MSG_HANDLES {
        return Err(Status::OutOfRange);
    }
    let target = target?;
    if bytes.len() > ZX_CHANNEL_MAX_MSG_BYTES {
        return Err(Status::OutOfRange);
    }
    if let Some(error) = element_error {
        return Err(error);
    }
    Ok((target, Message::new(bytes, taken)?))
}

/// Looks up the channel (which needs `rights`) and takes every named handle out of the table,
/// in one hold of the table lock. Returns the channel (or why it is unusable), the handles
/// taken, and the first element error. The handles' waits are cancelled; dropping them closes
/// them.
fn take_transfers(
    handles: &HandleTable,
    channel: HandleValue,
    rights: Rights,
    transfers: &[HandleValue],
) -> (ZxResult<Arc<Channel>>, Vec<Handle>, Option<Status>) {
    let mut taken = Vec::with_capacity(transfers.len());
    let mut first_error = None;
    let mut table = handles.lock();

    let target = table.get(channel).and_then(|handle| {
        let target = handle.downcast::<Channel>()?;
        if !handle.rights().contains(rights) {
            return Err(Status::AccessDenied);
        }
        Ok(target)
    });
    let target_koid = target.as_ref().ok().map(|target| target.koid());

    for &value in transfers {
        let same_endpoint = match table.get(value) {
            Ok(handle) => Some(handle.object().koid()) == target_koid,
            Err(_) => false,
        };
        if value == channel || same_endpoint {
            first_error.get_or_insert(Status::NotSupported);
            continue;
        }
        match table.remove(value) {
            Ok(handle) => {
                if !handle.rights().contains(Rights::TRANSFER) {
                    first_error.get_or_insert(Status::AccessDenied);
                }
                taken.push(handle);
            }
            Err(status) => {
                first_error.get_or_insert(status);
            }
        }
    }
    drop(table);

    for handle in &taken {
        handle.cancel_waits();
    }
    (target, taken, first_error)
}

/// `zx_channel_read`: the next message of the channel behind `channel`, its handles moved into
/// `handles` (see [`Channel::read`]). The handle must be a channel with `READ`; `options` is 0
/// or `ZX_CHANNEL_READ_MAY_DISCARD` (`INVALID_ARGS` otherwise).
///
/// If copying the result out to user memory fails afterwards, the syscall layer closes the
/// returned handle values: the message is consumed, as in Zircon.
pub fn channel_read(
    handles: &HandleTable,
    channel: HandleValue,
    options: u32,
    byte_capacity: usize,
    handle_capacity: usize,
) -> Result<ReadMessage, ReadError> {
    if options & !ZX_CHANNEL_READ_MAY_DISCARD != 0 {
        return Err(Status::InvalidArgs.into());
    }
    let target = handles.get::<Channel>(channel, Rights::READ)?;
    let may_discard = options & ZX_CHANNEL_READ_MAY_DISCARD != 0;
    target.read(handles, byte_capacity, handle_capacity, may_discard)
}
