//! Ports (spec §8): queues of packets, from `zx_port_queue` or from asynchronous waits.

use crate::handle::{AsHandleRef, Handle, handle_type};
use crate::status::{Status, ZxResult};
use crate::sys;
use crate::time::Time;
use syscalls_abi::{ZX_PKT_TYPE_SIGNAL_ONE, ZX_PKT_TYPE_USER, zx_port_packet_t};

/// `sizeof(zx_port_packet_t)`.
const ZX_PORT_PACKET_SIZE: usize = core::mem::size_of::<zx_port_packet_t>();

handle_type!(
    /// A port.
    Port
);

/// Bytes of a packet's payload union.
pub const PAYLOAD_SIZE: usize = 32;

/// `zx_port_packet_t`: a key, a type, a status and 32 bytes whose meaning the type gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet {
    /// The key given to `zx_object_wait_async` or chosen by the queuer.
    pub key: u64,
    /// `ZX_PKT_TYPE_*`.
    pub packet_type: u32,
    /// `ZX_OK` for kernel packets.
    pub status: i32,
    /// The payload union.
    pub payload: [u8; PAYLOAD_SIZE],
}

/// `zx_packet_signal_t`: the payload of a `ZX_PKT_TYPE_SIGNAL_ONE` packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignalPacket {
    /// The signals that were waited for.
    pub trigger: crate::Signals,
    /// The signals asserted when the packet was queued.
    pub observed: crate::Signals,
    /// Always 1 for one-shot waits.
    pub count: u64,
    /// When the trigger was met, with `ZX_WAIT_ASYNC_TIMESTAMP`; otherwise 0.
    pub timestamp: i64,
}

impl Packet {
    /// A user packet (`ZX_PKT_TYPE_USER`).
    pub fn user(key: u64, payload: [u8; PAYLOAD_SIZE]) -> Packet {
        Packet {
            key,
            packet_type: ZX_PKT_TYPE_USER,
            status: 0,
            payload,
        }
    }

    /// The packet in its C layout.
    pub fn to_bytes(&self) -> [u8; ZX_PORT_PACKET_SIZE] {
        let mut bytes = [0; ZX_PORT_PACKET_SIZE];
        bytes[..8].copy_from_slice(&self.key.to_le_bytes());
        bytes[8..12].copy_from_slice(&self.packet_type.to_le_bytes());
        bytes[12..16].copy_from_slice(&self.status.to_le_bytes());
        bytes[16..].copy_from_slice(&self.payload);
        bytes
    }

    /// Decodes a packet.
    pub fn from_bytes(bytes: &[u8; ZX_PORT_PACKET_SIZE]) -> Packet {
        let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        Packet {
            key: u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")),
            packet_type: word(8),
            status: word(12) as i32,
            payload: bytes[16..].try_into().expect("32 bytes"),
        }
    }

    /// The signal payload, if this is a `ZX_PKT_TYPE_SIGNAL_ONE` packet.
    pub fn signal(&self) -> Option<SignalPacket> {
        if self.packet_type != ZX_PKT_TYPE_SIGNAL_ONE {
            return None;
        }
        let p = &self.payload;
        let word = |at: usize| u32::from_le_bytes(p[at..at + 4].try_into().expect("4 bytes"));
        let quad = |at: usize| u64::from_le_bytes(p[at..at + 8].try_into().expect("8 bytes"));
        Some(SignalPacket {
            trigger: crate::Signals::from_bits_retain(word(0)),
            observed: crate::Signals::from_bits_retain(word(4)),
            count: quad(8),
            timestamp: quad(16) as i64,
        })
    }
}

impl Port {
    /// A new port (`zx_port_create`).
    pub fn create() -> ZxResult<Port> {
        Self::create_with(0)
    }

    /// A new port with `options`.
    pub fn create_with(options: u32) -> ZxResult<Port> {
        let mut out = 0;
        Status::ok(sys::port_create(options, &mut out))?;
        Ok(Handle::from_raw(out).into())
    }

    /// Queues `packet` (`zx_port_queue`).
    pub fn queue(&self, packet: &Packet) -> ZxResult {
        Status::ok(sys::port_queue(self.raw_handle(), &packet.to_bytes()))
    }

    /// Waits for the next packet (`zx_port_wait`).
    pub fn wait(&self, deadline: Time) -> ZxResult<Packet> {
        let mut bytes = [0; ZX_PORT_PACKET_SIZE];
        Status::ok(sys::port_wait(
            self.raw_handle(),
            deadline.into_nanos(),
            &mut bytes,
        ))?;
        Ok(Packet::from_bytes(&bytes))
    }

    /// Cancels the asynchronous waits of `source` with `key`, and drops their queued
    /// packets (`zx_port_cancel`).
    pub fn cancel(&self, source: &impl AsHandleRef, key: u64) -> ZxResult {
        Status::ok(sys::port_cancel(
            self.raw_handle(),
            source.raw_handle(),
            key,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_round_trip_through_their_c_layout() {
        let mut payload = [0; PAYLOAD_SIZE];
        payload[0] = 7;
        payload[31] = 9;
        let packet = Packet::user(0x1122_3344_5566_7788, payload);
        let bytes = packet.to_bytes();
        assert_eq!(&bytes[..8], &0x1122_3344_5566_7788u64.to_le_bytes());
        assert_eq!(Packet::from_bytes(&bytes), packet);
        assert_eq!(packet.signal(), None);
    }

    #[test]
    fn signal_packets_decode_trigger_and_observed() {
        let mut packet = Packet::user(1, [0; PAYLOAD_SIZE]);
        packet.packet_type = ZX_PKT_TYPE_SIGNAL_ONE;
        packet.payload[..4].copy_from_slice(&8u32.to_le_bytes());
        packet.payload[4..8].copy_from_slice(&0x0100_0008u32.to_le_bytes());
        packet.payload[8..16].copy_from_slice(&1u64.to_le_bytes());
        let signal = packet.signal().expect("a signal packet");
        assert_eq!(signal.trigger, crate::Signals::SIGNALED);
        assert_eq!(
            signal.observed,
            crate::Signals::SIGNALED | crate::Signals::USER_0
        );
        assert_eq!(signal.count, 1);
    }
}
