//! `zx_debug_write`: text from user space to the kernel console.
//!
//! At most [`DEBUG_WRITE_MAX_BYTES`] are printed per call; the rest of a longer buffer is
//! dropped and the call still succeeds, as Zircon truncates. So the length user space passes
//! never sizes more than that much kernel memory.

use alloc::vec;

use objects::ZxResult;

use crate::abi::DEBUG_WRITE_MAX_BYTES;
use crate::context::SyscallContext;
use crate::user_ptr::UserPtr;

/// `zx_debug_write`: INVALID_ARGS (a bad `buffer`).
pub(crate) fn debug_write(cx: &SyscallContext<'_>, buffer: UserPtr<u8>, len: usize) -> ZxResult {
    let mut text = vec![0; len.min(DEBUG_WRITE_MAX_BYTES)];
    buffer.read_bytes(cx.memory, &mut text)?;
    cx.kernel.debug_write(&text);
    Ok(())
}
