//! Channel messages: bytes and the handles travelling with them.
//!
//! A message owns its handles; they are in transit, belonging to no process. Dropping an
//! unread message closes them.

use alloc::vec::Vec;
use core::mem;

use crate::abi::{
    HandleValue, ObjectType, Rights, Status, ZX_CHANNEL_MAX_MSG_BYTES, ZX_CHANNEL_MAX_MSG_HANDLES,
    ZxResult,
};
use crate::handle::{Handle, HandleTable};

/// One channel message.
#[derive(Debug)]
pub struct Message {
    pub(super) bytes: Vec<u8>,
    pub(super) handles: Vec<Handle>,
}

impl Message {
    /// A message of `bytes` and `handles`; `OUT_OF_RANGE` past 64 KiB or 64 handles (spec
    /// §7.3). On failure the handles are closed.
    pub fn new(bytes: Vec<u8>, handles: Vec<Handle>) -> ZxResult<Message> {
        if bytes.len() > ZX_CHANNEL_MAX_MSG_BYTES || handles.len() > ZX_CHANNEL_MAX_MSG_HANDLES {
            return Err(Status::OutOfRange);
        }
        Ok(Message { bytes, handles })
    }

    /// The payload.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The handles in transit.
    pub fn handles(&self) -> &[Handle] {
        &self.handles
    }

    /// Moves the message's handles into `reader`, all or none: the bytes and the handles'
    /// new values. `NO_RESOURCES` when `reader` has no room, the message then given back whole.
    #[inline]
    pub fn receive(mut self, reader: &HandleTable) -> Result<ReadMessage, (Status, Message)> {
        let infos: Vec<(ObjectType, Rights)> = (self.handles.iter())
            .map(|h| (h.object().object_type(), h.rights()))
            .collect();
        let values = match reader.insert_all(mem::take(&mut self.handles)) {
            Ok(values) => values,
            Err((status, handles)) => {
                self.handles = handles;
                return Err((status, self));
            }
        };
        let handles = (values.into_iter().zip(infos))
            .map(|(value, (object_type, rights))| HandleInfo {
                value,
                object_type,
                rights,
            })
            .collect();
        Ok(ReadMessage {
            bytes: self.bytes,
            handles,
        })
    }
}

/// A handle received by `channel_read`: its new value in the reader's table, with what
/// `zx_channel_read_etc` reports of it (`zx_handle_info_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandleInfo {
    /// The value in the reader's table.
    pub value: HandleValue,
    /// The object's type.
    pub object_type: ObjectType,
    /// The handle's rights.
    pub rights: Rights,
}

/// A message read from a channel: its bytes, and its handles now in the reader's table.
#[derive(Debug, PartialEq, Eq)]
pub struct ReadMessage {
    /// The payload.
    pub bytes: Vec<u8>,
    /// The handles, in message order.
    pub handles: Vec<HandleInfo>,
}

/// Why `channel_read` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// `ZX_ERR_BUFFER_TOO_SMALL`: the next message needs this many bytes and handles.
    BufferTooSmall {
        /// The message's size in bytes.
        bytes: usize,
        /// The message's handle count.
        handles: usize,
    },
    /// Any other failure.
    Status(Status),
}

impl ReadError {
    /// The status the syscall returns.
    pub fn status(&self) -> Status {
        match self {
            ReadError::BufferTooSmall { .. } => Status::BufferTooSmall,
            ReadError::Status(status) => *status,
        }
    }
}

impl From<Status> for ReadError {
    fn from(status: Status) -> Self {
        ReadError::Status(status)
    }
}
