//! Channel limits as sizes (`types.h`, spec §0.5 and §7): the ABI crate's
//! `ZX_CHANNEL_MAX_MSG_*` are `uint32_t`, and the objects count bytes and handles in `usize`.
//!
//! The options `ZX_CHANNEL_READ_MAY_DISCARD` and `ZX_CHANNEL_WRITE_USE_IOVEC` are the ABI
//! crate's own. The syscall layer gathers an iovec write; the kernel objects only ever see one
//! flat buffer.

/// `ZX_CHANNEL_MAX_MSG_BYTES`: the largest message payload, in bytes.
pub const ZX_CHANNEL_MAX_MSG_BYTES: usize = syscalls_abi::ZX_CHANNEL_MAX_MSG_BYTES as usize;

/// `ZX_CHANNEL_MAX_MSG_HANDLES`: the most handles one message carries.
pub const ZX_CHANNEL_MAX_MSG_HANDLES: usize = syscalls_abi::ZX_CHANNEL_MAX_MSG_HANDLES as usize;
