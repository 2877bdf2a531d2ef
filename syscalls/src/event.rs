//! Event syscalls (spec §5.4): `zx_event_create` and `zx_eventpair_create`.

use objects::ipc::{Event, EventPair};
use objects::task::PolicyCondition;
use objects::{Status, ZxResult};

use crate::abi::zx_handle_t;
use crate::context::SyscallContext;
use crate::handle;
use crate::user_ptr::UserPtr;

/// `zx_event_create`: INVALID_ARGS (options not 0, bad `out`); ACCESS_DENIED (the caller's
/// `ZX_POL_NEW_EVENT`).
pub(crate) fn event_create(
    cx: &SyscallContext<'_>,
    options: u32,
    out: UserPtr<zx_handle_t>,
) -> ZxResult {
    if options != 0 {
        return Err(Status::InvalidArgs);
    }
    cx.process.check_policy(PolicyCondition::NewEvent)?;
    handle::give(cx, Event::create(options)?, out)
}

/// `zx_eventpair_create`: INVALID_ARGS (options not 0, bad `out0` or `out1`); ACCESS_DENIED
/// (the caller's `ZX_POL_NEW_EVENTPAIR`).
pub(crate) fn eventpair_create(
    cx: &SyscallContext<'_>,
    options: u32,
    out0: UserPtr<zx_handle_t>,
    out1: UserPtr<zx_handle_t>,
) -> ZxResult {
    if options != 0 {
        return Err(Status::InvalidArgs);
    }
    cx.process.check_policy(PolicyCondition::NewEventPair)?;
    handle::give_pair(cx, EventPair::create(options)?, [out0, out1])
}
