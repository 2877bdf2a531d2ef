//! The signal side of `wait_async`: an observer parked on an object, and the packet or release
//! it turns into for its port.
//!
//! An observer holds its port weakly: a port whose handles are all closed goes away at once,
//! and the packets that would have gone to it are dropped. Its port has reserved room for the
//! packet when the observer was made, so queueing it never allocates and never fails.

use alloc::sync::{Arc, Weak};

use crate::abi::Signals;
use crate::handle::HandleId;
use crate::ipc::{Port, PortPacket, SignalPacket};
use crate::time::Clock;

/// Where and how a triggered `wait_async` reports.
pub(crate) struct PortObserver {
    port: Weak<Port>,
    key: u64,
    /// Set for `ZX_WAIT_ASYNC_TIMESTAMP`: the clock that stamps the packet.
    clock: Option<Arc<dyn Clock>>,
}

/// A packet to queue on a port, or a reservation to give back.
pub(crate) enum PortDelivery {
    Packet {
        port: Weak<Port>,
        packet: PortPacket,
        origin: HandleId,
    },
    Release {
        port: Weak<Port>,
    },
}

impl PortObserver {
    /// An observer reporting to `port` with `key`; `clock` stamps its packet when given.
    pub(crate) fn new(port: &Arc<Port>, key: u64, clock: Option<Arc<dyn Clock>>) -> Self {
        PortObserver {
            port: Arc::downgrade(port),
            key,
            clock,
        }
    }

    /// Whether the observer reports to `port` with `key`.
    pub(crate) fn is_for(&self, port: &Port, key: u64) -> bool {
        self.key == key && core::ptr::eq(self.port.as_ptr(), port)
    }

    /// The `ZX_PKT_TYPE_SIGNAL_ONE` packet for a trigger on `trigger` that saw `observed`.
    pub(crate) fn into_packet(
        self,
        trigger: Signals,
        observed: Signals,
        origin: HandleId,
    ) -> PortDelivery {
        let timestamp = self.clock.as_ref().map_or(0, |clock| clock.now());
        let signal = SignalPacket {
            trigger,
            observed,
            count: 1,
            timestamp,
        };
        let packet = PortPacket::signal_one(self.key, signal);
        PortDelivery::Packet {
            port: self.port,
            packet,
            origin,
        }
    }

    /// The release of the observer's reservation, for an observer that will never trigger.
    pub(crate) fn into_release(self) -> PortDelivery {
        PortDelivery::Release { port: self.port }
    }
}

impl PortDelivery {
    /// Queues the packet, or releases the reservation, on a port that still exists.
    pub(crate) fn deliver(self) {
        match self {
            PortDelivery::Packet {
                port,
                packet,
                origin,
            } => {
                if let Some(port) = port.upgrade() {
                    port.deliver_reserved(packet, origin);
                }
            }
            PortDelivery::Release { port } => {
                if let Some(port) = port.upgrade() {
                    port.unreserve();
                }
            }
        }
    }
}
