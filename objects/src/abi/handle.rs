//! Handle values (`zx_handle_t`), with Zircon's reserved value and fixed bits (`types.h`):
//! `ZX_HANDLE_INVALID` and `ZX_HANDLE_FIXED_BITS_MASK` of the ABI crate.
//!
//! A handle value means something only inside the process whose table issued it. Every valid
//! value has its two low bits set, so no valid value is ever `ZX_HANDLE_INVALID`.

/// A handle value as user space sees it (`zx_handle_t`).
pub type HandleValue = syscalls_abi::zx_handle_t;
