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
//!
//! An endpoint also lists its callers: the `zx_channel_call`s written through it that wait for
//! their reply ([`super::call`]). A message written to the endpoint whose transaction id one of
//! them waits for goes to that caller instead of the queue.

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::mem;
use core::task::Waker;

use log::debug;
use spin::{Mutex, MutexGuard};

use super::message::{Message, ReadError, ReadMessage};
use crate::abi::{Koid, ObjectType, Rights, Signals, Status, ZxResult, new_koid};
use crate::handle::{Handle, HandleTable};
use crate::object::{KernelObject, ObjectBase};
use crate::signal::{SignalState, Wakeups};

/// The most unread messages one endpoint holds; a write past it is `ZX_ERR_SHOULD_WAIT`.
///
/// Zircon's value (`kMaxPendingMessageCount`). Without a bound a process that never reads
/// could pour the whole kernel heap into one channel. Zircon also raises a policy exception at
/// this point; Spinel only refuses the write.
pub const MAX_PENDING_MESSAGES: usize = 3500;

/// One endpoint of a channel.
pub struct Channel {
    base: ObjectBase,
    pub(super) shared: Arc<Shared>,
    pub(super) side: usize,
    peer_koid: Koid,
}

pub(super) struct Shared {
    pub(super) endpoints: Mutex<[Endpoint; 2]>,
    signals: [SignalState; 2],
}

pub(super) struct Endpoint {
    /// Messages for this endpoint to read, oldest first.
    messages: VecDeque<Message>,
    /// Whether this endpoint still has handles.
    pub(super) open: bool,
    /// The calls through this endpoint waiting for their reply.
    pub(super) calls: Vec<PendingCall>,
    /// The low 31 bits of the next transaction id a call through this endpoint tries.
    pub(super) next_txid: u32,
}

/// A `zx_channel_call` waiting for the reply that carries its transaction id.
pub(super) struct PendingCall {
    pub(super) txid: u32,
    /// The reply, once the peer wrote it.
    pub(super) reply: Option<Message>,
    /// Woken when the reply arrives or either endpoint closes.
    pub(super) waker: Option<Waker>,
}

impl Channel {
    /// Two connected endpoints, both `WRITABLE`.
    pub fn new() -> (Arc<Channel>, Arc<Channel>) {
        let endpoint = || Endpoint {
            messages: VecDeque::new(),
            open: true,
            calls: Vec::new(),
            next_txid: 0,
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

    pub(super) fn peer_side(&self) -> usize {
        1 - self.side
    }

    /// Queues `message` for the peer to read. `PEER_CLOSED` if the peer has no handles left,
    /// `SHOULD_WAIT` if it holds [`MAX_PENDING_MESSAGES`] unread; on failure the message's
    /// handles are closed.
    pub fn write(&self, message: Message) -> ZxResult {
        let mut endpoints = self.shared.endpoints.lock();
        let peer = &mut endpoints[self.peer_side()];
        if let Some(status) = Channel::refusal(peer) {
            drop(endpoints);
            debug!("channel {}: write refused with {status}", self.koid());
            drop(message);
            return Err(status);
        }

        if let Some(call) = peer.waiting_call(&message.bytes) {
            call.reply = Some(message);
            let caller = call.waker.take();
            drop(endpoints);
            if let Some(caller) = caller {
                caller.wake();
            }
            return Ok(());
        }
        self.enqueue(endpoints, message);
        Ok(())
    }

    /// Queues `message` for the peer (whose endpoint must be open and have room) and raises
    /// its `READABLE`; unlocks the queues.
    #[inline]
    pub(super) fn enqueue(&self, mut endpoints: MutexGuard<'_, [Endpoint; 2]>, message: Message) {
        let readable = &self.shared.signals[self.peer_side()];
        // Filled in place and delivered as it drops, after the unlock: the wake-ups are large,
        // and moving them would copy them.
        let mut wakeups = readable.wakeups();
        let peer = &mut endpoints[self.peer_side()];
        let was_empty = peer.messages.is_empty();
        peer.messages.push_back(message);
        if was_empty {
            readable.update_into(Signals::empty(), Signals::READABLE, &mut wakeups);
        }
        drop(endpoints);
    }

    /// Whether the peer still has handles (a writer's check before it writes).
    pub(super) fn refusal(peer: &Endpoint) -> Option<Status> {
        if !peer.open {
            Some(Status::PeerClosed)
        } else if peer.messages.len() >= MAX_PENDING_MESSAGES {
            Some(Status::ShouldWait)
        } else {
            None
        }
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
        // Made before the lock, so that it is delivered as it drops after the lock.
        let mut wakeups = self.shared.signals[self.side].wakeups();
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
            self.clear_readable_if_empty(queue, &mut wakeups);
            drop(endpoints);
            drop(discarded);
            return Err(needed);
        }

        let Some(message) = queue.pop_front() else {
            unreachable!("the queue's front was seen under the same lock");
        };
        let received = match message.receive(reader) {
            Ok(received) => received,
            Err((status, message)) => {
                queue.push_front(message);
                return Err(status.into());
            }
        };
        self.clear_readable_if_empty(queue, &mut wakeups);
        drop(endpoints);
        Ok(received)
    }

    /// How many messages wait for this endpoint to read them.
    pub fn pending_messages(&self) -> usize {
        self.shared.endpoints.lock()[self.side].messages.len()
    }

    /// Deasserts `READABLE` once this endpoint's queue is drained (queues locked by caller),
    /// recording the wake-ups in `wakeups`, made from this endpoint's signal state.
    fn clear_readable_if_empty(&self, queue: &VecDeque<Message>, wakeups: &mut Wakeups<'_>) {
        if queue.is_empty() {
            self.shared.signals[self.side].update_into(
                Signals::READABLE,
                Signals::empty(),
                wakeups,
            );
        }
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
        let peer = &self.shared.signals[self.peer_side()];
        // Made before the lock, so that it is delivered as it drops after the lock.
        let mut wakeups = peer.wakeups();
        let endpoints = self.shared.endpoints.lock();
        if !endpoints[self.peer_side()].open {
            return Err(Status::PeerClosed);
        }
        peer.update_into(clear, set, &mut wakeups);
        drop(endpoints);
        Ok(())
    }

    /// The endpoint's unread messages are destroyed (their handles go to `orphans` to be
    /// closed), and the peer sees `PEER_CLOSED` and loses `WRITABLE`. The calls waiting on
    /// either endpoint wake: this one's end `CANCELED`, the peer's `PEER_CLOSED`.
    fn on_zero_handles(&self, orphans: &mut Vec<Handle>) {
        let mut endpoints = self.shared.endpoints.lock();
        let own = &mut endpoints[self.side];
        own.open = false;
        let unread = mem::take(&mut own.messages);
        let callers: Vec<Waker> = (endpoints.iter_mut())
            .flat_map(|endpoint| endpoint.calls.iter_mut())
            .filter_map(|call| call.waker.take())
            .collect();
        let wakeups = endpoints[self.peer_side()].open.then(|| {
            self.shared.signals[self.peer_side()]
                .update_deferred(Signals::WRITABLE, Signals::PEER_CLOSED)
        });
        drop(endpoints);
        drop(wakeups);
        callers.into_iter().for_each(Waker::wake);

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
