//! Handle syscalls (spec §6): `zx_handle_close`, `zx_handle_duplicate`, `zx_handle_replace`;
//! and how every syscall hands new handles to user space.
//!
//! A syscall that creates handles inserts them into the caller's table *pending*, copies their
//! values out, and only then publishes them. If that copy fails, the pending handles are
//! discarded (closed) and the syscall is `ZX_ERR_INVALID_ARGS`: no other thread of the process
//! ever saw a value for them.

use objects::abi::HandleValue;
use objects::handle::Pending;
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
    copy_out_and_publish(cx, cx.handles().duplicate_pending(handle, rights)?, &[out])
}

/// `zx_handle_replace`: the original is gone whatever happens. BAD_HANDLE; INVALID_ARGS
/// (rights not a subset, or a bad `out`, which closes the replacement too).
pub(crate) fn replace(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    rights: u32,
    out: UserPtr<zx_handle_t>,
) -> ZxResult {
    copy_out_and_publish(cx, cx.handles().replace_pending(handle, rights)?, &[out])
}

/// Gives `handle` to the caller: inserts it and copies its value to `out`. On a bad `out`
/// the handle is closed (INVALID_ARGS); on a full table, NO_RESOURCES.
pub(crate) fn give(cx: &SyscallContext<'_>, handle: Handle, out: UserPtr<zx_handle_t>) -> ZxResult {
    copy_out_and_publish(cx, cx.handles().insert_pending(handle)?, &[out])
}

/// Gives two handles to the caller, both or neither.
pub(crate) fn give_pair(
    cx: &SyscallContext<'_>,
    (first, second): (Handle, Handle),
    out: [UserPtr<zx_handle_t>; 2],
) -> ZxResult {
    let pending = cx
        .handles()
        .insert_all_pending([first, second])
        .map_err(|(status, _rejected)| status)?;
    copy_out_and_publish(cx, pending, &out)
}

/// Copies each pending value to its pointer in `outs`, then publishes them all; if any copy
/// fails, they are discarded instead.
fn copy_out_and_publish(
    cx: &SyscallContext<'_>,
    pending: Pending<'_>,
    outs: &[UserPtr<zx_handle_t>],
) -> ZxResult {
    let values = pending.values();
    values
        .iter()
        .zip(outs)
        .try_for_each(|(value, out)| out.write(cx.memory, value))?;
    pending.publish();
    Ok(())
}
