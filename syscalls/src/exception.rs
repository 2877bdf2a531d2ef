//! Exception syscalls (spec §3.11, §9.4): `zx_task_create_exception_channel`,
//! `zx_exception_get_thread` and `zx_exception_get_process`. (`ZX_PROP_EXCEPTION_STATE` is
//! in `property.rs`.)

use objects::ZxResult;
use objects::abi::HandleValue;
use objects::task::ops;

use crate::abi::zx_handle_t;
use crate::context::SyscallContext;
use crate::handle;
use crate::user_ptr::UserPtr;

/// `zx_task_create_exception_channel`: the errors of
/// [`ops::task_create_exception_channel`]; INVALID_ARGS (a bad `out`, which unbinds the
/// channel again).
pub(crate) fn task_create_exception_channel(
    cx: &SyscallContext<'_>,
    task: HandleValue,
    options: u32,
    out: UserPtr<zx_handle_t>,
) -> ZxResult {
    let channel = ops::task_create_exception_channel(cx.process, task, options)?;
    handle::give(cx, channel, out)
}

/// `zx_exception_get_thread`: BAD_HANDLE; WRONG_TYPE (not an exception); INVALID_ARGS (a bad
/// `out`).
pub(crate) fn get_thread(
    cx: &SyscallContext<'_>,
    exception: HandleValue,
    out: UserPtr<zx_handle_t>,
) -> ZxResult {
    let thread = ops::exception_get_thread(cx.handles(), exception)?;
    handle::give(cx, thread, out)
}

/// `zx_exception_get_process`: BAD_HANDLE; WRONG_TYPE; ACCESS_DENIED (the exception came
/// through a thread's channel); INVALID_ARGS (a bad `out`).
pub(crate) fn get_process(
    cx: &SyscallContext<'_>,
    exception: HandleValue,
    out: UserPtr<zx_handle_t>,
) -> ZxResult {
    let process = ops::exception_get_process(cx.handles(), exception)?;
    handle::give(cx, process, out)
}
