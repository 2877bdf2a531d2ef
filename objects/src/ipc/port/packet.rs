//! Port packets: [`PortPacket`] and its signal payload [`SignalPacket`], the kernel's typed
//! forms of `zx_port_packet_t` and `zx_packet_signal_t` (spec §8.2).
//!
//! The byte layout is the ABI crate's: each type converts to and from its C struct, whose
//! `Wire` encoding gives the exact bytes user space sees. The syscall layer copies packets out
//! and in as `zx_port_packet_t`.

use syscalls_abi::{Wire, zx_packet_signal_t, zx_port_packet_t};

use crate::abi::{
    Signals, Time, ZX_OK, ZX_PKT_TYPE_SIGNAL_ONE, ZX_PKT_TYPE_USER, ZX_PORT_PACKET_PAYLOAD_SIZE,
};

/// One port packet (`zx_port_packet_t`); the payload is the raw 32-byte union.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortPacket {
    /// The key given to `wait_async`, or chosen by the user for `port_queue`.
    pub key: u64,
    /// `ZX_PKT_TYPE_*`.
    pub packet_type: u32,
    /// `ZX_OK` for kernel packets; whatever the user chose for user packets.
    pub status: i32,
    /// The union's bytes, to read according to `packet_type`.
    pub payload: [u8; ZX_PORT_PACKET_PAYLOAD_SIZE],
}

/// The payload of a `ZX_PKT_TYPE_SIGNAL_ONE` packet (`zx_packet_signal_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignalPacket {
    /// The signals `wait_async` watched.
    pub trigger: Signals,
    /// The signals asserted when the wait triggered.
    pub observed: Signals,
    /// How many times the trigger was met: always 1 for a one-shot wait.
    pub count: u64,
    /// When the trigger was met, with `ZX_WAIT_ASYNC_TIMESTAMP`; 0 otherwise.
    pub timestamp: Time,
}

impl PortPacket {
    /// A `ZX_PKT_TYPE_USER` packet.
    pub fn user(key: u64, status: i32, payload: [u8; ZX_PORT_PACKET_PAYLOAD_SIZE]) -> Self {
        PortPacket {
            key,
            packet_type: ZX_PKT_TYPE_USER,
            status,
            payload,
        }
    }

    /// A `ZX_PKT_TYPE_SIGNAL_ONE` packet with status `ZX_OK`.
    pub fn signal_one(key: u64, signal: SignalPacket) -> Self {
        let mut payload = [0; ZX_PORT_PACKET_PAYLOAD_SIZE];
        zx_packet_signal_t::from(signal).encode(&mut payload);
        PortPacket {
            key,
            packet_type: ZX_PKT_TYPE_SIGNAL_ONE,
            status: ZX_OK,
            payload,
        }
    }

    /// The signal payload, if this is a `ZX_PKT_TYPE_SIGNAL_ONE` packet.
    pub fn signal(&self) -> Option<SignalPacket> {
        zx_port_packet_t::from(*self)
            .signal()
            .map(SignalPacket::from)
    }

    /// The packet as the bytes of `zx_port_packet_t`.
    pub fn to_bytes(&self) -> [u8; zx_port_packet_t::SIZE] {
        let mut bytes = [0; zx_port_packet_t::SIZE];
        zx_port_packet_t::from(*self).encode(&mut bytes);
        bytes
    }

    /// The packet held in the bytes of a `zx_port_packet_t`.
    pub fn from_bytes(bytes: &[u8; zx_port_packet_t::SIZE]) -> Self {
        zx_port_packet_t::decode(bytes).into()
    }
}

impl From<PortPacket> for zx_port_packet_t {
    fn from(packet: PortPacket) -> Self {
        zx_port_packet_t {
            key: packet.key,
            r#type: packet.packet_type,
            status: packet.status,
            payload: packet.payload,
        }
    }
}

impl From<zx_port_packet_t> for PortPacket {
    fn from(packet: zx_port_packet_t) -> Self {
        PortPacket {
            key: packet.key,
            packet_type: packet.r#type,
            status: packet.status,
            payload: packet.payload,
        }
    }
}

impl From<SignalPacket> for zx_packet_signal_t {
    fn from(signal: SignalPacket) -> Self {
        zx_packet_signal_t {
            trigger: signal.trigger.bits(),
            observed: signal.observed.bits(),
            count: signal.count,
            timestamp: signal.timestamp,
            reserved1: 0,
        }
    }
}

impl From<zx_packet_signal_t> for SignalPacket {
    fn from(signal: zx_packet_signal_t) -> Self {
        SignalPacket {
            trigger: Signals::from_bits_retain(signal.trigger),
            observed: Signals::from_bits_retain(signal.observed),
            count: signal.count,
            timestamp: signal.timestamp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packet_bytes_follow_the_c_layout() {
        let packet = PortPacket::user(0x0102_0304_0506_0708, -24, [0xab; 32]);
        let bytes = packet.to_bytes();
        assert_eq!(bytes.len(), 48);
        assert_eq!(bytes[0..8], 0x0102_0304_0506_0708u64.to_le_bytes());
        assert_eq!(bytes[8..12], ZX_PKT_TYPE_USER.to_le_bytes());
        assert_eq!(bytes[12..16], (-24i32).to_le_bytes());
        assert_eq!(bytes[16..48], [0xab; 32]);
        assert_eq!(PortPacket::from_bytes(&bytes), packet);
    }

    #[test]
    fn signal_payload_follows_zx_packet_signal_t() {
        let signal = SignalPacket {
            trigger: Signals::USER_0,
            observed: Signals::USER_0 | Signals::SIGNALED,
            count: 1,
            timestamp: 12_345,
        };
        let packet = PortPacket::signal_one(9, signal);
        let bytes = packet.to_bytes();
        assert_eq!(bytes[8..12], 1u32.to_le_bytes());
        assert_eq!(bytes[16..20], 0x0100_0000u32.to_le_bytes());
        assert_eq!(bytes[20..24], 0x0100_0008u32.to_le_bytes());
        assert_eq!(bytes[24..32], 1u64.to_le_bytes());
        assert_eq!(bytes[32..40], 12_345i64.to_le_bytes());
        assert_eq!(bytes[40..48], [0; 8]);
        assert_eq!(packet.signal(), Some(signal));
    }

    #[test]
    fn user_packets_have_no_signal_payload() {
        assert_eq!(PortPacket::user(1, 0, [0; 32]).signal(), None);
    }
}
