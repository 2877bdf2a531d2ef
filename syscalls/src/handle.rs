//! Handle syscalls (spec §6): `zx_handle_close`, `zx_handle_duplicate`, `zx_handle_replace`;
//! and how every syscall hands new handles to user space.
//!
//! A syscall that creates handles inserts them into the caller's table, then copies their
//! values out. If that copy fails, the handles are closed again and the syscall is
//! `ZX_ERR_INVALID_ARGS`: no handle is left that user space cannot name.

use objects::abi::HandleValue;
use objects::{Handle, ZxResult};

use crate::abi::zx_handle_t;
use crate::context::SyscallContext;
use crate::user_ptr::UserPtr;

/// `zx_handle_close`: `ZX_HANDLE_INVALID` is allowed; otherwise BAD_HANDLE.
pub(crate) fn close(cx: &SyscallContext<'_>, handle: HandleValue) -> ZxResult {
    cx.handles().close(handle)
}

/// `zx_handle_duplicate`: BAD_HANDLE; ACCESS_DENIED (no `DUPLICATE`); INVALID_ARGS (rights
/// not a subset, or a bad `out`).
pub(crate) fn duplicate(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    rights: u32,
    out: UserPtr<zx_handle_t>,
) -> ZxResult {
    let value = cx.handles().duplicate(handle, rights)?;
    copy_out_or_close(cx, &[value], &[out])
}

/// `zx_handle_replace`: the original is gone whatever happens. BAD_HANDLE; INVALID_ARGS
/// (rights not a subset, or a bad `out`, which closes the replacement too).
pub(crate) fn replace(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    rights: u32,
    out: UserPtr<zx_handle_t>,
) -> ZxResult {
    let value = cx.handles().replace(handle, rights)?;
    copy_out_or_close(cx, &[value], &[out])
}

/// Gives `handle` to the caller: inserts it and copies its value to `out`. On a bad `out`
/// the handle is closed (INVALID_ARGS); on a full table, NO_RESOURCES.
pub(crate) fn give(cx: &SyscallContext<'_>, handle: Handle, out: UserPtr<zx_handle_t>) -> ZxResult {
    let value = cx.handles().insert(handle)?;
    copy_out_or_close(cx, &[value], &[out])
}

/// Gives two handles to the caller, both or neither.
pub(crate) fn give_pair(
    cx: &SyscallContext<'_>,
    (first, second): (Handle, Handle),
    out: [UserPtr<zx_handle_t>; 2],
) -> ZxResult {
    let values = cx
        .handles()
        .insert_all([first, second].into())
        .map_err(|(status, _rejected)| status)?;
    copy_out_or_close(cx, &values, &out)
}

/// Copies each of `values` to its pointer in `outs`; if any copy fails, closes them all.
fn copy_out_or_close(
    cx: &SyscallContext<'_>,
    values: &[HandleValue],
    outs: &[UserPtr<zx_handle_t>],
) -> ZxResult {
    let copied = values
        .iter()
        .zip(outs)
        .try_for_each(|(value, out)| out.write(cx.memory, value));
    if copied.is_err() {
        for &value in values {
            // Another thread of the process may have closed it already; either way it is gone.
            let _ = cx.handles().close(value);
        }
    }
    copied
}
