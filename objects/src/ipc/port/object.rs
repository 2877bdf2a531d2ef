//! Ports: queues of packets from the kernel (`wait_async`) and from user space
//! (`port_queue`), read by `port_wait` (spec §8).
//!
//! Invariants kept under the port's lock:
//! - packets leave in the order they came (FIFO);
//! - `packets.len() + reserved <= MAX_PENDING_PACKETS`, where `reserved` counts the armed
//!   `wait_async` observers that will queue here;
//! - `packets.capacity() >= packets.len() + reserved`, so a kernel packet is queued without
//!   allocating, from a signal change;
//! - one waiter is released per packet: `notified`, the number of waiters told to come and take
//!   a packet, stays at least `min(packets, waiters)`, and `line` holds the waiters not yet
//!   told, oldest first.

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;

use log::debug;
use spin::{Mutex, MutexGuard};

use super::packet::PortPacket;
use crate::abi::{
    ObjectType, Rights, Status, ZX_PKT_TYPE_USER, ZX_PORT_BIND_TO_INTERRUPT, ZxResult,
};
use crate::handle::{Handle, HandleId};
use crate::object::{KernelObject, ObjectBase};
use crate::signal::{SignalState, WaiterList, WakeBatch};

/// The most packets a port holds, queued and reserved together.
///
/// Zircon allows 2 048 per port (a eighth of its 16 384-packet arena). Past it, `port_queue`
/// answers `ZX_ERR_SHOULD_WAIT` and `wait_async` answers `ZX_ERR_NO_MEMORY`, so a port nobody
/// drains costs at most about 150 KiB of kernel memory.
pub const MAX_PENDING_PACKETS: usize = 2048;

/// A port object.
pub struct Port {
    base: ObjectBase,
    options: u32,
    inner: Mutex<PortInner>,
}

pub(super) struct PortInner {
    pub(super) packets: VecDeque<Queued>,
    reserved: usize,
    pub(super) waiters: WaiterList<PortWaiter>,
    line: VecDeque<usize>,
    notified: usize,
}

/// A packet in the queue, with the handle whose `wait_async` produced it (for `port_cancel`).
pub(super) struct Queued {
    pub(super) packet: PortPacket,
    origin: Option<HandleId>,
}

/// A task blocked in `port_wait`.
pub(super) struct PortWaiter {
    /// Released to take a packet and not yet come back.
    notified: bool,
}

impl Port {
    /// A new empty port. `options` is 0 or `ZX_PORT_BIND_TO_INTERRUPT` (`INVALID_ARGS`
    /// otherwise); the latter only matters to interrupt objects bound to the port.
    pub fn new(options: u32) -> ZxResult<Arc<Port>> {
        if options & !ZX_PORT_BIND_TO_INTERRUPT != 0 {
            return Err(Status::InvalidArgs);
        }
        let inner = PortInner {
            packets: VecDeque::new(),
            reserved: 0,
            waiters: WaiterList::new(),
            line: VecDeque::new(),
            notified: 0,
        };
        let base = ObjectBase::new(ObjectType::Port);
        Ok(Arc::new(Port {
            base,
            options,
            inner: Mutex::new(inner),
        }))
    }

    /// `zx_port_create`: a handle with the default port rights (no `WAIT`: ports cannot be
    /// waited on).
    pub fn create(options: u32) -> ZxResult<Handle> {
        Ok(Handle::new(Port::new(options)?, Rights::DEFAULT_PORT))
    }

    /// The options the port was created with.
    pub fn options(&self) -> u32 {
        self.options
    }

    /// `zx_port_queue` on the object: queues a copy of `packet` as a `ZX_PKT_TYPE_USER`
    /// packet (the type is forced; key, status and payload are the user's). `SHOULD_WAIT` when
    /// the port is full.
    pub fn queue_user(&self, packet: &PortPacket) -> ZxResult {
        let packet = PortPacket {
            packet_type: ZX_PKT_TYPE_USER,
            ..*packet
        };
        let mut batch = WakeBatch::new();
        let mut inner = self.inner.lock();
        if inner.is_full() {
            debug!("port {}: full, user packet refused", self.koid());
            return Err(Status::ShouldWait);
        }
        let room = inner.reserved + 1;
        inner.packets.reserve(room);
        inner.packets.push_back(Queued {
            packet,
            origin: None,
        });
        inner.release_waiters(&mut batch);
        drop(inner);
        self.wake(&mut batch);
        Ok(())
    }

    /// Takes the first queued packet, if there is one: `port_wait` when it need not wait. The
    /// waiters keep their places; taking a packet never obliges the port to release one.
    pub fn take_queued(&self) -> Option<PortPacket> {
        self.inner
            .lock()
            .packets
            .pop_front()
            .map(|queued| queued.packet)
    }

    /// How many packets are queued.
    pub fn pending_packets(&self) -> usize {
        self.inner.lock().packets.len()
    }

    /// How many tasks are blocked in `port_wait` on this port.
    pub fn waiter_count(&self) -> usize {
        self.inner.lock().waiters.len()
    }

    /// Reserves room for the packet of a new `wait_async` observer; `NO_MEMORY` when full.
    pub(crate) fn reserve(&self) -> ZxResult {
        let mut inner = self.inner.lock();
        if inner.is_full() {
            debug!("port {}: full, wait_async refused", self.koid());
            return Err(Status::NoMemory);
        }
        inner.reserved += 1;
        let room = inner.reserved;
        inner.packets.reserve(room);
        Ok(())
    }

    /// Gives back the room of an observer that will never queue its packet.
    pub(crate) fn unreserve(&self) {
        self.inner.lock().reserved -= 1;
    }

    /// Queues the packet of a triggered observer in its reserved room; never allocates.
    pub(crate) fn deliver_reserved(&self, packet: PortPacket, origin: HandleId) {
        let mut batch = WakeBatch::new();
        let mut inner = self.inner.lock();
        inner.reserved -= 1;
        debug_assert!(inner.packets.len() < inner.packets.capacity());
        inner.packets.push_back(Queued {
            packet,
            origin: Some(origin),
        });
        inner.release_waiters(&mut batch);
        drop(inner);
        self.wake(&mut batch);
    }

    /// `port_cancel`'s queue side: removes the packets queued by `wait_async`s started through
    /// `origin` with `key`. True if there was one.
    pub(crate) fn cancel_queued(&self, origin: HandleId, key: u64) -> bool {
        let mut inner = self.inner.lock();
        let before = inner.packets.len();
        inner
            .packets
            .retain(|queued| queued.origin != Some(origin) || queued.packet.key != key);
        inner.packets.len() != before
    }

    /// Locks the port once the waiter at `key` (if any) has no wake in flight, so that it can
    /// be removed.
    pub(super) fn lock_quiet(&self, key: Option<usize>) -> MutexGuard<'_, PortInner> {
        loop {
            let inner = self.inner.lock();
            if !key.is_some_and(|key| inner.waiters.is_waking(key)) {
                return inner;
            }
            drop(inner);
            core::hint::spin_loop();
        }
    }

    /// Calls the wakers in `batch` (no lock held), then uncounts their wakes. The batch is
    /// passed by reference: it is large, and moving it would copy it whole.
    pub(super) fn wake(&self, batch: &mut WakeBatch) {
        if batch.is_empty() {
            return;
        }
        let woken = batch.wake_all();
        if woken.is_empty() {
            return;
        }
        let mut inner = self.inner.lock();
        for key in woken.iter() {
            inner.waiters.end_waking(key);
        }
    }
}

impl PortInner {
    fn is_full(&self) -> bool {
        self.packets.len() + self.reserved >= MAX_PENDING_PACKETS
    }

    /// Parks a new waiter at the end of the line.
    pub(super) fn park(&mut self) -> usize {
        let key = self.waiters.insert(PortWaiter { notified: false });
        self.line.push_back(key);
        key
    }

    /// A released waiter came back and found no packet (another took it): it goes back to the
    /// head of the line.
    pub(super) fn unnotify(&mut self, key: usize) {
        let waiter = &mut self.waiters.get_mut(key).data;
        if waiter.notified {
            waiter.notified = false;
            self.notified -= 1;
            self.line.push_front(key);
        }
    }

    /// Removes the waiter at `key`, which has no wake in flight.
    pub(super) fn remove_waiter(&mut self, key: usize) {
        let Some(waiter) = self.waiters.try_remove(key) else {
            unreachable!("the port was locked with `lock_quiet` for this waiter");
        };
        if waiter.notified {
            self.notified -= 1;
        } else {
            self.line.retain(|&waiting| waiting != key);
        }
    }

    /// Releases waiters from the head of the line until one is released per queued packet.
    pub(super) fn release_waiters(&mut self, batch: &mut WakeBatch) {
        while self.notified < self.packets.len().min(self.waiters.len()) && !batch.is_full() {
            let Some(key) = self.line.pop_front() else {
                break;
            };
            let slot = self.waiters.get_mut(key);
            slot.data.notified = true;
            self.notified += 1;
            batch.take_from(key, slot);
        }
    }
}

impl KernelObject for Port {
    fn base(&self) -> &ObjectBase {
        &self.base
    }

    fn signal_state(&self) -> Option<&SignalState> {
        None
    }

    fn on_zero_handles(&self, _orphans: &mut Vec<Handle>) {
        // Nobody can read the packets any more; free them now rather than when the last
        // kernel reference goes.
        self.inner.lock().packets.clear();
    }
}
