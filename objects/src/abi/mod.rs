//! Zircon's ABI vocabulary: status codes, rights, signals, koids, object types, handle values,
//! time, and the constants of channels, ports and waits, with the exact numeric values user
//! space sees.

mod channel;
mod handle;
mod koid;
mod object_type;
mod port;
mod rights;
mod signals;
mod status;
mod time;
mod wait;

pub use channel::{
    ZX_CHANNEL_MAX_MSG_BYTES, ZX_CHANNEL_MAX_MSG_HANDLES, ZX_CHANNEL_READ_MAY_DISCARD,
    ZX_CHANNEL_WRITE_USE_IOVEC,
};
pub use handle::{HandleValue, ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_INVALID};
pub use koid::{Koid, ZX_KOID_FIRST, ZX_KOID_INVALID, ZX_KOID_KERNEL, new_koid};
pub use object_type::{ObjectType, ZX_OBJ_PROP_NONE, ZX_OBJ_PROP_WAITABLE};
pub use port::{
    ZX_PKT_TYPE_GUEST_BELL, ZX_PKT_TYPE_GUEST_IO, ZX_PKT_TYPE_GUEST_MEM, ZX_PKT_TYPE_GUEST_VCPU,
    ZX_PKT_TYPE_INTERRUPT, ZX_PKT_TYPE_PAGE_REQUEST, ZX_PKT_TYPE_SIGNAL_ONE, ZX_PKT_TYPE_USER,
    ZX_PORT_BIND_TO_INTERRUPT, ZX_PORT_PACKET_PAYLOAD_SIZE, ZX_PORT_PACKET_SIZE,
    ZX_WAIT_ASYNC_ONCE, ZX_WAIT_ASYNC_TIMESTAMP, zx_pkt_type_exception,
};
pub use rights::{Rights, ZX_RIGHT_SAME_RIGHTS};
pub use signals::Signals;
pub use status::{Status, ZX_OK, ZxResult, status_of};
pub use time::{Time, ZX_TIME_INFINITE, ZX_TIME_INFINITE_PAST};
pub use wait::ZX_WAIT_MANY_MAX_ITEMS;
