//! `zx_channel_call` on the object: a write whose reply comes back to the caller alone
//! (spec §7).
//!
//! The call writes its request with a fresh transaction id in its first four bytes (ids with
//! the high bit set, none shared by two calls pending on one endpoint) and lists itself on its
//! own endpoint. A message the peer writes afterwards whose first four bytes carry that id is
//! the reply: it goes to the caller, not to the queue, and raises no signal. The call ends with
//! the reply; `CANCELED` when its own endpoint loses its last handle; `PEER_CLOSED` when the
//! peer does; `TIMED_OUT` at the deadline. A caller that left (timed out, or its thread was
//! killed) is no longer listed, and a late reply is queued like any message.

use alloc::sync::Arc;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::message::Message;
use super::object::{Channel, Endpoint, PendingCall};
use crate::abi::{Status, Time, ZxResult};
use crate::time::Clock;
use crate::wait::Deadline;

/// The bit set in every transaction id the kernel gives a call; ids without it are left to
/// the writers that match requests and replies themselves.
pub const CALL_TXID_BIT: u32 = 0x8000_0000;

/// The bytes of a message that hold its transaction id.
const TXID_BYTES: usize = 4;

/// A pending `zx_channel_call`: the reply, or why there is none. See the module doc.
pub struct ChannelCall {
    channel: Arc<Channel>,
    txid: u32,
    /// Whether the call is still listed on its endpoint.
    listed: bool,
    deadline: Deadline,
}

impl Channel {
    /// Writes `message` as a call: its first four bytes are replaced by a transaction id, and
    /// the reply with that id comes back through the returned future. `INVALID_ARGS` for a
    /// message shorter than a transaction id; `PEER_CLOSED` or `SHOULD_WAIT` as for a write
    /// (the message's handles are then closed).
    pub fn call(
        self: &Arc<Self>,
        mut message: Message,
        deadline: Time,
        clock: &Arc<dyn Clock>,
    ) -> ZxResult<ChannelCall> {
        if message.bytes.len() < TXID_BYTES {
            return Err(Status::InvalidArgs);
        }
        let mut endpoints = self.shared.endpoints.lock();
        if let Some(status) = Channel::refusal(&endpoints[self.peer_side()]) {
            drop(endpoints);
            drop(message);
            return Err(status);
        }
        let own = &mut endpoints[self.side];
        let txid = own.allocate_txid();
        own.calls.push(PendingCall {
            txid,
            reply: None,
            waker: None,
        });
        message.bytes[..TXID_BYTES].copy_from_slice(&txid.to_ne_bytes());
        self.enqueue(endpoints, message);
        Ok(ChannelCall {
            channel: self.clone(),
            txid,
            listed: true,
            deadline: Deadline::new(deadline, clock),
        })
    }
}

impl Endpoint {
    /// A transaction id with [`CALL_TXID_BIT`] set that no pending call here holds.
    fn allocate_txid(&mut self) -> u32 {
        loop {
            let txid = CALL_TXID_BIT | self.next_txid;
            self.next_txid = (self.next_txid + 1) & !CALL_TXID_BIT;
            if self.calls.iter().all(|call| call.txid != txid) {
                return txid;
            }
        }
    }

    /// The call here still waiting for the reply `bytes` would be, if any.
    #[inline]
    pub(super) fn waiting_call(&mut self, bytes: &[u8]) -> Option<&mut PendingCall> {
        if self.calls.is_empty() {
            return None;
        }
        let txid = u32::from_ne_bytes(*bytes.first_chunk::<TXID_BYTES>()?);
        (self.calls.iter_mut()).find(|call| call.txid == txid && call.reply.is_none())
    }
}

impl ChannelCall {
    /// The transaction id the request carried.
    pub fn txid(&self) -> u32 {
        self.txid
    }

    /// The call's outcome if it has one: takes it and unlists the call. Otherwise, with `cx`,
    /// leaves `cx`'s waker for the reply.
    fn outcome(&mut self, cx: Option<&mut Context<'_>>) -> Option<ZxResult<Message>> {
        let channel = &self.channel;
        let mut endpoints = channel.shared.endpoints.lock();
        let (own_open, peer_open) = (
            endpoints[channel.side].open,
            endpoints[channel.peer_side()].open,
        );
        let calls = &mut endpoints[channel.side].calls;
        let Some(index) = calls.iter().position(|call| call.txid == self.txid) else {
            unreachable!("a listed call is on its endpoint");
        };
        let outcome = match calls[index].reply.take() {
            Some(reply) => Some(Ok(reply)),
            None if !own_open => Some(Err(Status::Canceled)),
            None if !peer_open => Some(Err(Status::PeerClosed)),
            None => None,
        };
        match (&outcome, cx) {
            (None, Some(cx)) => calls[index].waker = Some(cx.waker().clone()),
            _ => {
                calls.swap_remove(index);
                self.listed = false;
            }
        }
        outcome
    }
}

impl Future for ChannelCall {
    type Output = ZxResult<Message>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Some(outcome) = this.outcome(Some(cx)) {
            return Poll::Ready(outcome);
        }
        if this.deadline.poll_expired(cx) {
            // A reply that arrived meanwhile wins over the deadline.
            let outcome = this.outcome(None);
            return Poll::Ready(outcome.unwrap_or(Err(Status::TimedOut)));
        }
        Poll::Pending
    }
}

impl Drop for ChannelCall {
    /// A call given up (its thread killed) leaves the list; a reply already handed to it is
    /// destroyed, closing its handles, outside the channel's lock.
    fn drop(&mut self) {
        if !self.listed {
            return;
        }
        let mut endpoints = self.channel.shared.endpoints.lock();
        let calls = &mut endpoints[self.channel.side].calls;
        let reply = (calls.iter().position(|call| call.txid == self.txid))
            .and_then(|index| calls.swap_remove(index).reply);
        drop(endpoints);
        drop(reply);
    }
}
