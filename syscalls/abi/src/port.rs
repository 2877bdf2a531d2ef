//! Ports and their packets (`zircon/syscalls/port.h`, spec §5.5 and §8).

use super::types::{zx_signals_t, zx_status_t, zx_time_t};
use super::wire::{Wire, wire_struct};

/// `zx_port_create`: the port may be bound to interrupts.
pub const ZX_PORT_BIND_TO_INTERRUPT: u32 = 1 << 0;

/// `zx_object_wait_async`: the default one-shot wait.
pub const ZX_WAIT_ASYNC_ONCE: u32 = 0;
/// `zx_object_wait_async`: stamp the packet with the time the trigger was met.
pub const ZX_WAIT_ASYNC_TIMESTAMP: u32 = 1;

/// A packet queued by `zx_port_queue`.
pub const ZX_PKT_TYPE_USER: u32 = 0x00;
/// A packet from a one-shot `zx_object_wait_async`.
pub const ZX_PKT_TYPE_SIGNAL_ONE: u32 = 0x01;
/// A guest bell trap.
pub const ZX_PKT_TYPE_GUEST_BELL: u32 = 0x03;
/// A guest memory trap.
pub const ZX_PKT_TYPE_GUEST_MEM: u32 = 0x04;
/// A guest I/O trap.
pub const ZX_PKT_TYPE_GUEST_IO: u32 = 0x05;
/// A guest VCPU event.
pub const ZX_PKT_TYPE_GUEST_VCPU: u32 = 0x06;
/// An interrupt.
pub const ZX_PKT_TYPE_INTERRUPT: u32 = 0x07;
/// A pager request.
pub const ZX_PKT_TYPE_PAGE_REQUEST: u32 = 0x09;

/// `ZX_PKT_TYPE_EXCEPTION(n)`: an exception packet of exception port type `n`.
pub const fn ZX_PKT_TYPE_EXCEPTION(n: u32) -> u32 {
    0x08 | ((n & 0xff) << 8)
}

/// The size of a packet's payload union.
pub const ZX_PORT_PACKET_PAYLOAD_SIZE: usize = 32;

wire_struct! {
    /// A port packet. The payload is the header's union as raw bytes; decode it according to
    /// `type` (for example with [`zx_port_packet_t::signal`]).
    pub struct zx_port_packet_t {
        /// The key given to `zx_object_wait_async`, or the user's for `zx_port_queue`.
        pub key: u64,
        /// `ZX_PKT_TYPE_*`.
        pub r#type: u32,
        /// `ZX_OK` for kernel packets; the user's value for user packets.
        pub status: zx_status_t,
        /// The union (`zx_packet_user_t`, `zx_packet_signal_t`, ...).
        pub payload: [u8; ZX_PORT_PACKET_PAYLOAD_SIZE],
    }
}

wire_struct! {
    /// The payload of a `ZX_PKT_TYPE_SIGNAL_ONE` packet.
    pub struct zx_packet_signal_t {
        /// The signals the wait watched.
        pub trigger: zx_signals_t,
        /// The signals asserted when it triggered.
        pub observed: zx_signals_t,
        /// How many times it triggered: 1 for a one-shot wait.
        pub count: u64,
        /// When it triggered, with `ZX_WAIT_ASYNC_TIMESTAMP`; 0 otherwise.
        pub timestamp: zx_time_t,
        /// Zero.
        pub reserved1: u64,
    }
}

impl zx_port_packet_t {
    /// A `ZX_PKT_TYPE_USER` packet carrying `payload` (`zx_packet_user_t`).
    pub fn user(key: u64, status: zx_status_t, payload: [u8; ZX_PORT_PACKET_PAYLOAD_SIZE]) -> Self {
        zx_port_packet_t {
            key,
            r#type: ZX_PKT_TYPE_USER,
            status,
            payload,
        }
    }

    /// The signal payload, for a `ZX_PKT_TYPE_SIGNAL_ONE` packet.
    pub fn signal(&self) -> Option<zx_packet_signal_t> {
        (self.r#type == ZX_PKT_TYPE_SIGNAL_ONE).then(|| zx_packet_signal_t::decode(&self.payload))
    }

    /// The payload as `zx_packet_user_t.u64`.
    pub fn user_u64(&self) -> [u64; 4] {
        <[u64; 4]>::decode(&self.payload)
    }
}
