//! Channels: two endpoints, each with an ordered queue of messages written by the other
//! (spec §7).
//!
//! The two endpoints share one lock over both queues and both "has handles" flags, so writes,
//! reads and closes of either end are ordered. Endpoint `i`'s queue holds the messages for `i`
//! to read. Signals, kept beside the queues: `READABLE` while an endpoint's queue is not
//! empty, `WRITABLE` while its peer is open, `PEER_CLOSED` once the peer's last handle closed.
//! Lock order: the queues first; under them a signal state (to record a change) or the reader's
//! handle table (a read moves handles into it while the queues are locked, so that the read is
//! all-or-nothing), never both at once.

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::mem;

use log::debug;
use spin::Mutex;

use super::message::{HandleInfo, Message, ReadError, ReadMessage};
use crate::abi::{Koid, ObjectType, Rights, Signals, Status, ZxResult, new_koid};
use crate::handle::{Handle, HandleTable};
use crate::object::{KernelObject, ObjectBase};
use crate::signal::SignalState;

/// The most unread messages one endpoint holds; a write past it is `ZX_ERR_SHOULD_WAIT`.
///
/// Zircon's value (`kMaxPendingMessageCount`). Without a bound a process that never reads
/// could pour the whole kernel heap into one channel. Zircon also raises a policy exception at
/// this point; Spinel only refuses the write.
pub const MAX_PENDING_MESSAGES: usize = 3500;

/// One endpoint of a channel.
pub struct Channel {
    base: ObjectBase,
    shared: Arc<Shared>,
    side: usize,
    peer_koid: Koid,
}

struct Shared {
    endpoints: Mutex<[Endpoint; 2]>,
    signals: [SignalState; 2],
}

struct Endpoint {
    /// Messages for this endpoint to read, oldest first.
    messages: VecDeque<Message>,
    /// Whether this endpoint still has handles.
    open: bool,
}

impl Channel {
    /// Two connected endpoints, both `WRITABLE`.
    pub fn new() -> (Arc<Channel>, Arc<Channel>) {
        let endpoint = || Endpoint {
            messages: VecDeque::new(),
            open: true,
        };
        let shared = Arc::new(Shared {
            endpoints: Mutex::new([endpoint(), endpoint()]),
            signals: [
                SignalState::new(Signals::WRITABLE),
                SignalState::new(Signals::WRITABLE),
            ],
        });
        let koids = [new_koid(), new_koid()];
        let end = |side: usize| {
            Arc::new(Channel {
                base: ObjectBase::with_koid(ObjectType::Channel, koids[side]),
                shared: shared.clone(),
                side,
                peer_koid: koids[1 - side],
            })
        };
        (end(0), end(1))
    }

    /// `zx_channel_create`: two handles with the default channel rights. `options` must be 0
    /// (`INVALID_ARGS`).
    pub fn create(options: u32) -> ZxResult<(Handle, Handle)> {
        if options != 0 {
            return Err(Status::InvalidArgs);
        }
        let (a, b) = Channel::new();
        Ok((
            Handle::new(a, Rights::DEFAULT_CHANNEL),
            Handle::new(b, Rights::DEFAULT_CHANNEL),
        ))
    }

    fn peer_side(&self) -> usize {
        1 - self.side
    }

    /// Queues `message` for the peer to read. `PEER_CLOSED` if the peer has no handles left,
    /// `SHOULD_WAIT` if it holds [`MAX_PENDING_MESSAGES`] unread; on failure the message's
    /// handles are closed.
    pub fn write(&self, message: Message) -> ZxResult {
        let readable = &self.shared.signals[self.peer_side()];
        // Made before the lock, so that it is dropped (delivered) after the lock is released.
        let mut wakeups = readable.wakeups();
        let mut endpoints = self.shared.endpoints.lock();
        let peer = &mut endpoints[self.peer_side()];
        let refusal = if !peer.open {
            Some(Status::PeerClosed)
        } else if peer.messages.len() >= MAX_PENDING_MESSAGES {
            Some(Status::ShouldWait)
        } else {
            None
        };
        if let Some(status) = refusal {
            drop(endpoints);
            debug!("channel {}: write refused with {status}", self.koid());
            drop(message);
            return Err(status);
        }

        let was_empty = peer.messages.is_empty();
        peer.messages.push_back(message);
        if was_empty {
            readable.update_into(Signals::empty(), Signals::READABLE, &mut wakeups);
        }
        Ok(())
    }

    /// Reads the next message whole, moving its handles into `reader` (spec §7.2).
    ///
    /// `SHOULD_WAIT` when the queue is empty and the peer open, `PEER_CLOSED` when it is empty
    /// and the peer closed. A message larger than `byte_capacity` or `handle_capacity` gives
    /// [`ReadError::BufferTooSmall`] and stays queued, unless `may_discard`, which drops it
    /// (closing its handles). `NO_RESOURCES` when `reader` has no room for the handles; the
    /// message then stays queued.
    pub fn read(
        &self,
        reader: &HandleTable,
        byte_capacity: usize,
        handle_capacity: usize,
        may_discard: bool,
    ) -> Result<ReadMessage, ReadError> {
        let mut endpoints = self.shared.endpoints.lock();
        let peer_open = endpoints[self.peer_side()].open;
        let queue = &mut endpoints[self.side].messages;
        let Some(next) = queue.front() else {
            return Err(if peer_open {
                Status::ShouldWait
            } else {
                Status::PeerClosed
            }
            .into());
        };

        if next.bytes.len() > byte_capacity || next.handles.len() > handle_capacity {
            let needed = ReadError::BufferTooSmall {
                bytes: next.bytes.len(),
                handles: next.handles.len(),
            };
            let discarded = if may_discard { queue.pop_front() } else { None };
            let wakeups = self.clear_readable_if_empty(queue);
            drop(endpoints);
            drop(discarded);
            drop(wakeups);
            return Err(needed);
        }

        let Some(mut message) = queue.pop_front() else {
            unreachable!("the queue's front was seen under the same lock");
        };
        let infos: Vec<(ObjectType, Rights)> = message
            .handles
            .iter()
            .map(|h| (h.object().object_type(), h.rights()))
            .collect();
        let values = match reader.insert_all(mem::take(&mut message.handles)) {
            Ok(values) => values,
            Err((status, handles)) => {
                message.handles = handles;
                queue.push_front(message);
                return Err(status.into());
            }
        };
        let wakeups = self.clear_readable_if_empty(queue);
        drop(endpoints);
        drop(wakeups);

        let handles = values
            .into_iter()
            .zip(infos)
            .map(|(value, (object_type, rights))| HandleInfo {
                value,
                object_type,
                rights,
            })
            .collect();
        Ok(ReadMessage {
            bytes: message.bytes,
            handles,
        })
    }

    /// How many messages wait for this endpoint to read them.
    pub fn pending_messages(&self) -> usize {
        self.shared.endpoints.lock()[self.side].messages.len()
    }

    /// Deasserts `READABLE` once this endpoint's queue is drained (queues locked by caller).
    fn clear_readable_if_empty(
        &self,
        queue: &VecDeque<Message>,
    ) -> Option<crate::signal::Wakeups<'_>> {
        queue.is_empty().then(|| {
            self.shared.signals[self.side].update_deferred(Signals::READABLE, Signals::empty())
        })
    }
}

impl KernelObject for Channel {
    fn base(&self) -> &ObjectBase {
        &self.base
    }

    fn signal_state(&self) -> Option<&SignalState> {
        Some(&self.shared.signals[self.side])
    }

    fn related_koid(&self) -> Koid {
        self.peer_koid
    }

    fn signal_peer(&self, clear: Signals, set: Signals) -> ZxResult {
        if !self.user_signal_mask().contains(clear | set) {
            return Err(Status::InvalidArgs);
        }
        let endpoints = self.shared.endpoints.lock();
        if !endpoints[self.peer_side()].open {
            return Err(Status::PeerClosed);
        }
        let wakeups = self.shared.signals[self.peer_side()].update_deferred(clear, set);
        Ok(())
    }

    /// The endpoint's unread messages are destroyed (their handles go to `orphans` to be
    /// closed), and the peer sees `PEER_CLOSED` and loses `WRITABLE`.
    fn on_zero_handles(&self, orphans: &mut Vec<Handle>) {
        let mut endpoints = self.shared.endpoints.lock();
        let own = &mut endpoints[self.side];
        own.open = false;
        let unread = mem::take(&mut own.messages);
        let wakeups = endpoints[self.peer_side()].open.then(|| {
            self.shared.signals[self.peer_side()]
                .update_deferred(Signals::WRITABLE, Signals::PEER_CLOSED)
        });
        drop(endpoints);
        drop(wakeups);

        debug!(
            "channel {}: last handle closed, {} unread messages",
            self.koid(),
            unread.len()
        );
        for message in unread {
            orphans.extend(message.handles);
        }
    }
}
