//! `zx_debug_write`'s limit, a Spinel value (Zircon's is smaller and not in its headers).

/// The most bytes one `zx_debug_write` prints; the kernel prints the first
/// `DEBUG_WRITE_MAX_BYTES` of a longer buffer and returns `ZX_OK`, as Zircon truncates. User
/// libraries that print more write in pieces of this size.
pub const DEBUG_WRITE_MAX_BYTES: usize = 4096;
