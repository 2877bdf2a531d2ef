//! Handle values (`zx_handle_t`), with Zircon's reserved value and fixed bits (`types.h`).
//!
//! A handle value means something only inside the process whose table issued it. Every valid
//! value has its two low bits set, so no valid value is ever `ZX_HANDLE_INVALID`.

/// A handle value as user space sees it (`zx_handle_t`).
pub type HandleValue = u32;

/// `ZX_HANDLE_INVALID`: never refers to a handle; closing it is allowed and does nothing.
pub const ZX_HANDLE_INVALID: HandleValue = 0;

/// `ZX_HANDLE_FIXED_BITS_MASK`: the bits set in every valid handle value.
pub const ZX_HANDLE_FIXED_BITS_MASK: u32 = 0x3;
