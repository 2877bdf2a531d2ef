//! Port packet types and the options of `port_create` and `object_wait_async`, with Zircon's
//! values (`syscalls/port.h`, spec §5.5 and §8).

/// `ZX_PKT_TYPE_USER`: a packet queued by `zx_port_queue`.
pub const ZX_PKT_TYPE_USER: u32 = 0x00;
/// `ZX_PKT_TYPE_SIGNAL_ONE`: a packet from a one-shot `zx_object_wait_async`.
pub const ZX_PKT_TYPE_SIGNAL_ONE: u32 = 0x01;
/// `ZX_PKT_TYPE_GUEST_BELL`.
pub const ZX_PKT_TYPE_GUEST_BELL: u32 = 0x03;
/// `ZX_PKT_TYPE_GUEST_MEM`.
pub const ZX_PKT_TYPE_GUEST_MEM: u32 = 0x04;
/// `ZX_PKT_TYPE_GUEST_IO`.
pub const ZX_PKT_TYPE_GUEST_IO: u32 = 0x05;
/// `ZX_PKT_TYPE_GUEST_VCPU`.
pub const ZX_PKT_TYPE_GUEST_VCPU: u32 = 0x06;
/// `ZX_PKT_TYPE_INTERRUPT`.
pub const ZX_PKT_TYPE_INTERRUPT: u32 = 0x07;
/// `ZX_PKT_TYPE_PAGE_REQUEST`.
pub const ZX_PKT_TYPE_PAGE_REQUEST: u32 = 0x09;

/// `ZX_PKT_TYPE_EXCEPTION(n)`: an exception packet of exception port type `n`.
pub const fn zx_pkt_type_exception(n: u32) -> u32 {
    0x08 | ((n & 0xff) << 8)
}

/// `ZX_WAIT_ASYNC_ONCE`: the default, one-shot wait (Zircon calls the name superfluous).
pub const ZX_WAIT_ASYNC_ONCE: u32 = 0;
/// `ZX_WAIT_ASYNC_TIMESTAMP`: stamp the packet with the time the trigger was met.
pub const ZX_WAIT_ASYNC_TIMESTAMP: u32 = 1;

/// `ZX_PORT_BIND_TO_INTERRUPT`: the port may be bound to interrupt objects.
pub const ZX_PORT_BIND_TO_INTERRUPT: u32 = 1 << 0;

/// The size of `zx_port_packet_t`: key (8), type (4), status (4) and a 32-byte union.
pub const ZX_PORT_PACKET_SIZE: usize = 48;
/// The size of the packet's payload union (`zx_packet_user_t`).
pub const ZX_PORT_PACKET_PAYLOAD_SIZE: usize = 32;
