//! Port packets, and their exact byte layout as `zx_port_packet_t` (spec §8.2).
//!
//! The C struct is 48 bytes: `key` (u64) at 0, `type` (u32) at 8, `status` (i32) at 12, and a
//! 32-byte union at 16. A `ZX_PKT_TYPE_SIGNAL_ONE` payload is `zx_packet_signal_t`: `trigger`
//! (u32) at 0, `observed` (u32) at 4, `count` (u64) at 8, `timestamp` (i64) at 16 and a
//! reserved u64 at 24. Values are little-endian, as on x86_64. The syscall layer copies
//! [`PortPacket::to_bytes`] to user memory and builds queued packets with
//! [`PortPacket::from_bytes`].

use crate::abi::{
    Signals, Time, ZX_OK, ZX_PKT_TYPE_SIGNAL_ONE, ZX_PKT_TYPE_USER, ZX_PORT_PACKET_PAYLOAD_SIZE,
    ZX_PORT_PACKET_SIZE,
};

/// Offsets in `zx_port_packet_t`.
const KEY_AT: usize = 0;
const TYPE_AT: usize = 8;
const STATUS_AT: usize = 12;
const PAYLOAD_AT: usize = 16;

/// Offsets in `zx_packet_signal_t`, within the payload.
const TRIGGER_AT: usize = 0;
const OBSERVED_AT: usize = 4;
const COUNT_AT: usize = 8;
const TIMESTAMP_AT: usize = 16;

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
        put(
            &mut payload,
            TRIGGER_AT,
            &signal.trigger.bits().to_le_bytes(),
        );
        put(
            &mut payload,
            OBSERVED_AT,
            &signal.observed.bits().to_le_bytes(),
        );
        put(&mut payload, COUNT_AT, &signal.count.to_le_bytes());
        put(&mut payload, TIMESTAMP_AT, &signal.timestamp.to_le_bytes());
        PortPacket {
            key,
            packet_type: ZX_PKT_TYPE_SIGNAL_ONE,
            status: ZX_OK,
            payload,
        }
    }

    /// The signal payload, if this is a `ZX_PKT_TYPE_SIGNAL_ONE` packet.
    pub fn signal(&self) -> Option<SignalPacket> {
        if self.packet_type != ZX_PKT_TYPE_SIGNAL_ONE {
            return None;
        }
        let p = &self.payload;
        Some(SignalPacket {
            trigger: Signals::from_bits_retain(u32::from_le_bytes(take(p, TRIGGER_AT))),
            observed: Signals::from_bits_retain(u32::from_le_bytes(take(p, OBSERVED_AT))),
            count: u64::from_le_bytes(take(p, COUNT_AT)),
            timestamp: i64::from_le_bytes(take(p, TIMESTAMP_AT)),
        })
    }

    /// The packet as the bytes of `zx_port_packet_t`.
    pub fn to_bytes(&self) -> [u8; ZX_PORT_PACKET_SIZE] {
        let mut bytes = [0; ZX_PORT_PACKET_SIZE];
        put(&mut bytes, KEY_AT, &self.key.to_le_bytes());
        put(&mut bytes, TYPE_AT, &self.packet_type.to_le_bytes());
        put(&mut bytes, STATUS_AT, &self.status.to_le_bytes());
        put(&mut bytes, PAYLOAD_AT, &self.payload);
        bytes
    }

    /// The packet held in the bytes of a `zx_port_packet_t`.
    pub fn from_bytes(bytes: &[u8; ZX_PORT_PACKET_SIZE]) -> Self {
        PortPacket {
            key: u64::from_le_bytes(take(bytes, KEY_AT)),
            packet_type: u32::from_le_bytes(take(bytes, TYPE_AT)),
            status: i32::from_le_bytes(take(bytes, STATUS_AT)),
            payload: take(bytes, PAYLOAD_AT),
        }
    }
}

fn put(bytes: &mut [u8], at: usize, field: &[u8]) {
    bytes[at..at + field.len()].copy_from_slice(field);
}

fn take<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    let mut field = [0; N];
    field.copy_from_slice(&bytes[at..at + N]);
    field
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
