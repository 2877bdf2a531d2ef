//! Channels (spec §7): two-ended message queues that carry bytes and handles.

use crate::handle::{AsHandleRef, Handle, handle_type};
use crate::signals::Signals;
use crate::status::{Status, ZxResult};
use crate::sys;
use crate::time::Time;
use alloc::vec;
use alloc::vec::Vec;
use syscalls_abi::*;

handle_type!(
    /// One end of a channel.
    Channel
);

/// A message read from a channel: its bytes and the handles it carried.
#[derive(Debug, Default)]
pub struct Message {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The handles, now owned by this process.
    pub handles: Vec<Handle>,
}

/// What [`Channel::read_raw`] reports besides its status: the message's sizes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadSizes {
    /// Bytes in the message (read, or needed when the buffer was too small).
    pub bytes: u32,
    /// Handles in the message (read, or needed).
    pub handles: u32,
}

/// Bytes a first read attempt makes room for; larger messages take a second attempt.
const FIRST_READ_BYTES: usize = 256;
/// Handles a first read attempt makes room for.
const FIRST_READ_HANDLES: usize = 8;

impl Channel {
    /// A new channel: both ends (`zx_channel_create`).
    pub fn create() -> ZxResult<(Channel, Channel)> {
        let (mut a, mut b) = (0, 0);
        Status::ok(sys::channel_create(0, &mut a, &mut b))?;
        Ok((Handle::from_raw(a).into(), Handle::from_raw(b).into()))
    }

    /// Writes one message; the handles move into it (and are closed if the write fails).
    pub fn write(&self, bytes: &[u8], handles: Vec<Handle>) -> ZxResult {
        let raw: Vec<u32> = handles.into_iter().map(Handle::into_raw).collect();
        self.write_raw(0, bytes, &raw)
    }

    /// `zx_channel_write` with raw handle values, which the kernel consumes either way: the
    /// caller must have given up ownership of them. `ZX_CHANNEL_WRITE_USE_IOVEC` is refused
    /// with `INVALID_ARGS` (see [`Channel::write_iovec_raw`]).
    pub fn write_raw(&self, options: u32, bytes: &[u8], handles: &[u32]) -> ZxResult {
        Status::ok(sys::channel_write(
            self.raw_handle(),
            options,
            bytes,
            handles,
        ))
    }

    /// Writes one message gathered from `pieces` (`ZX_CHANNEL_WRITE_USE_IOVEC`); the handles
    /// move into it (and are closed if the write fails).
    pub fn write_iovec(&self, pieces: &[&[u8]], handles: Vec<Handle>) -> ZxResult {
        let iovecs: Vec<zx_channel_iovec_t> =
            pieces.iter().map(|piece| sys::iovec(piece)).collect();
        let raw: Vec<u32> = handles.into_iter().map(Handle::into_raw).collect();
        self.write_iovec_raw(0, &iovecs, &raw)
    }

    /// `zx_channel_write` of the pieces `iovecs` describe, with raw handle values, which the
    /// kernel consumes either way.
    pub fn write_iovec_raw(
        &self,
        options: u32,
        iovecs: &[zx_channel_iovec_t],
        handles: &[u32],
    ) -> ZxResult {
        Status::ok(sys::channel_write_iovec(
            self.raw_handle(),
            options,
            iovecs,
            handles,
        ))
    }

    /// `zx_channel_read` into caller buffers. The handle values read are owned by the
    /// caller, who should wrap them with [`Handle::from_raw`].
    pub fn read_raw(
        &self,
        options: u32,
        bytes: &mut [u8],
        handles: &mut [u32],
    ) -> (ZxResult, ReadSizes) {
        let mut sizes = ReadSizes::default();
        let status = sys::channel_read(
            self.raw_handle(),
            options,
            bytes,
            handles,
            &mut sizes.bytes,
            &mut sizes.handles,
        );
        (Status::ok(status), sizes)
    }

    /// Reads the next message, whatever its size: `SHOULD_WAIT` if there is none yet,
    /// `PEER_CLOSED` if there will be none.
    pub fn read(&self) -> ZxResult<Message> {
        let (mut bytes, mut handles) = (vec![0; FIRST_READ_BYTES], vec![0; FIRST_READ_HANDLES]);
        loop {
            let (result, sizes) = self.read_raw(0, &mut bytes, &mut handles);
            match result {
                Ok(()) => {
                    bytes.truncate(sizes.bytes as usize);
                    let handles = handles[..sizes.handles as usize]
                        .iter()
                        .map(|&raw| Handle::from_raw(raw))
                        .collect();
                    return Ok(Message { bytes, handles });
                }
                Err(Status::BufferTooSmall) => {
                    bytes.resize(sizes.bytes as usize, 0);
                    handles.resize(sizes.handles as usize, 0);
                }
                Err(status) => return Err(status),
            }
        }
    }

    /// Waits until a message arrives (or the peer closes, or `deadline`), then reads it.
    pub fn read_wait(&self, deadline: Time) -> ZxResult<Message> {
        self.wait_one(
            Signals::CHANNEL_READABLE | Signals::CHANNEL_PEER_CLOSED,
            deadline,
        )?;
        self.read()
    }

    /// `zx_channel_call`: writes `bytes` and `handles` (the first four bytes are the
    /// transaction id the kernel fills in) and waits for the reply.
    pub fn call(&self, deadline: Time, bytes: &[u8], handles: Vec<Handle>) -> ZxResult<Message> {
        let raw: Vec<u32> = handles.into_iter().map(Handle::into_raw).collect();
        let mut reply = vec![0; ZX_CHANNEL_MAX_MSG_BYTES as usize];
        let mut reply_handles = vec![0; ZX_CHANNEL_MAX_MSG_HANDLES as usize];
        let mut sizes = ReadSizes::default();
        let buffers = sys::CallBuffers {
            write_bytes: bytes,
            write_handles: &raw,
            read_bytes: &mut reply,
            read_handles: &mut reply_handles,
        };
        let status = sys::channel_call(
            self.raw_handle(),
            0,
            deadline.into_nanos(),
            buffers,
            &mut sizes.bytes,
            &mut sizes.handles,
        );
        Status::ok(status)?;
        reply.truncate(sizes.bytes as usize);
        let handles = reply_handles[..sizes.handles as usize]
            .iter()
            .map(|&h| Handle::from_raw(h))
            .collect();
        Ok(Message {
            bytes: reply,
            handles,
        })
    }
}
