//! `port_wait` as a future: the first queued packet, or `TIMED_OUT` at the deadline.
//!
//! A waiter that finds no packet parks at the end of the port's line. A queued packet releases
//! the waiter at the head of the line, and only that one (spec §8.2). A released waiter that
//! finds the packet gone goes back to the head of the line; one dropped before it took its
//! packet passes the release on, so no packet is left with a waiter asleep.

use alloc::sync::Arc;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::object::Port;
use super::packet::PortPacket;
use crate::abi::{Status, Time, ZxResult};
use crate::signal::WakeBatch;
use crate::time::Clock;
use crate::wait::Deadline;

/// A pending `port_wait`; see the module doc.
pub struct PortWait {
    port: Arc<Port>,
    /// The waiter's key in the port's line, once parked.
    key: Option<usize>,
    deadline: Deadline,
}

impl Port {
    /// `port_wait` on the object: waits for the first packet until `deadline`.
    pub fn wait(self: &Arc<Self>, deadline: Time, clock: &Arc<dyn Clock>) -> PortWait {
        PortWait {
            port: self.clone(),
            key: None,
            deadline: Deadline::new(deadline, clock),
        }
    }
}

impl PortWait {
    /// Takes the first packet. Without one, parks (or stays parked) with `cx`'s waker when
    /// `cx` is given, and leaves the line when it is not.
    fn take_or_park(&mut self, cx: Option<&mut Context<'_>>) -> Option<PortPacket> {
        let mut batch = WakeBatch::new();
        let mut inner = self.port.lock_quiet(self.key);
        let packet = inner.packets.pop_front().map(|queued| queued.packet);

        match (&packet, cx) {
            (None, Some(cx)) => {
                let key = match self.key {
                    Some(key) => {
                        inner.unnotify(key);
                        key
                    }
                    None => *self.key.insert(inner.park()),
                };
                inner.waiters.get_mut(key).set_waker(cx.waker());
            }
            _ => {
                if let Some(key) = self.key.take() {
                    inner.remove_waiter(key);
                }
            }
        }
        inner.release_waiters(&mut batch);
        drop(inner);
        self.port.wake(&mut batch);
        packet
    }
}

impl Future for PortWait {
    type Output = ZxResult<PortPacket>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Some(packet) = this.take_or_park(Some(cx)) {
            return Poll::Ready(Ok(packet));
        }
        if this.deadline.poll_expired(cx) {
            // A packet that arrived meanwhile wins over the deadline.
            return Poll::Ready(this.take_or_park(None).ok_or(Status::TimedOut));
        }
        Poll::Pending
    }
}

impl Drop for PortWait {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else { return };
        let mut batch = WakeBatch::new();
        let mut inner = self.port.lock_quiet(Some(key));
        inner.remove_waiter(key);
        inner.release_waiters(&mut batch);
        drop(inner);
        self.port.wake(&mut batch);
    }
}
