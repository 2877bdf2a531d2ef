//! Channel limits, options and the iovec of `ZX_CHANNEL_WRITE_USE_IOVEC` (`zircon/types.h`,
//! spec §0.5 and §7).

use super::wire::wire_struct;

/// The largest message payload, in bytes.
pub const ZX_CHANNEL_MAX_MSG_BYTES: u32 = 65_536;
/// The most handles one message carries.
pub const ZX_CHANNEL_MAX_MSG_HANDLES: u32 = 64;
/// The most iovecs one `ZX_CHANNEL_WRITE_USE_IOVEC` write gathers.
pub const ZX_CHANNEL_MAX_MSG_IOVECS: u32 = 8192;

/// `zx_channel_read`: a message too big for the buffers is dropped instead of kept.
pub const ZX_CHANNEL_READ_MAY_DISCARD: u32 = 1;
/// `zx_channel_write`: `bytes` is an array of [`zx_channel_iovec_t`] and `num_bytes` their
/// count.
pub const ZX_CHANNEL_WRITE_USE_IOVEC: u32 = 2;

wire_struct! {
    /// One piece of a gathered channel message.
    pub struct zx_channel_iovec_t {
        /// The user address of the piece.
        pub buffer: u64,
        /// Its length in bytes.
        pub capacity: u32,
        /// Must be zero.
        pub reserved: u32,
    }
}

wire_struct! {
    /// The buffers of a `zx_channel_call`: the request to write, room for the reply.
    pub struct zx_channel_call_args_t {
        /// The request's bytes (at least four: the transaction id comes first).
        pub wr_bytes: u64,
        /// The request's handles, consumed by the call.
        pub wr_handles: u64,
        /// Room for the reply's bytes.
        pub rd_bytes: u64,
        /// Room for the reply's handle values.
        pub rd_handles: u64,
        /// The request's size in bytes.
        pub wr_num_bytes: u32,
        /// The request's handle count.
        pub wr_num_handles: u32,
        /// The room in `rd_bytes`.
        pub rd_num_bytes: u32,
        /// The room in `rd_handles`.
        pub rd_num_handles: u32,
    }
}
