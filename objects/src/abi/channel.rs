//! Channel limits and options, with Zircon's values (`types.h`, spec §0.5 and §7).

/// `ZX_CHANNEL_MAX_MSG_BYTES`: the largest message payload, in bytes.
pub const ZX_CHANNEL_MAX_MSG_BYTES: usize = 65_536;

/// `ZX_CHANNEL_MAX_MSG_HANDLES`: the most handles one message carries.
pub const ZX_CHANNEL_MAX_MSG_HANDLES: usize = 64;

/// `ZX_CHANNEL_READ_MAY_DISCARD`: a read that finds the buffers too small drops the message.
pub const ZX_CHANNEL_READ_MAY_DISCARD: u32 = 1;

/// `ZX_CHANNEL_WRITE_USE_IOVEC`: the bytes come as an array of `zx_channel_iovec_t`. The
/// syscall layer gathers them; the kernel objects only ever see one flat buffer.
pub const ZX_CHANNEL_WRITE_USE_IOVEC: u32 = 2;
