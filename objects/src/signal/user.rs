//! User signals through a process's handles: `zx_object_signal` and `zx_object_signal_peer`
//! (spec §5.3).

use crate::abi::{HandleValue, Rights, Signals, ZxResult};
use crate::handle::HandleTable;

/// `zx_object_signal`: clears `clear_mask`, then sets `set_mask`, on the object behind
/// `handle`. Errors: `BAD_HANDLE`; `ACCESS_DENIED` (no `SIGNAL`); `INVALID_ARGS` (a bit outside
/// the user signals and the object's own `SIGNALED`); `NOT_SUPPORTED` (not waitable).
pub fn object_signal(
    handles: &HandleTable,
    handle: HandleValue,
    clear_mask: u32,
    set_mask: u32,
) -> ZxResult {
    let object = handles.get_object(handle, Rights::SIGNAL)?;
    object.user_signal(
        Signals::from_bits_retain(clear_mask),
        Signals::from_bits_retain(set_mask),
    )
}

/// `zx_object_signal_peer`: the same on the peer of a channel or event pair. Errors:
/// `BAD_HANDLE`; `ACCESS_DENIED` (no `SIGNAL_PEER`); `NOT_SUPPORTED` (no peer);
/// `INVALID_ARGS` (bits not allowed); `PEER_CLOSED` (the peer's last handle closed).
pub fn object_signal_peer(
    handles: &HandleTable,
    handle: HandleValue,
    clear_mask: u32,
    set_mask: u32,
) -> ZxResult {
    let object = handles.get_object(handle, Rights::SIGNAL_PEER)?;
    object.signal_peer(
        Signals::from_bits_retain(clear_mask),
        Signals::from_bits_retain(set_mask),
    )
}
