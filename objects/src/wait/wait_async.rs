//! `zx_object_wait_async` (spec §5.5): a one-shot observer that queues a
//! `ZX_PKT_TYPE_SIGNAL_ONE` packet on a port when any watched signal is asserted.
//!
//! The observer registers under the table lock, tied to the handle it was started through;
//! closing that handle drops it (a packet already queued stays). If a watched signal is
//! asserted already, the packet is queued at once. The port reserves room for the packet when
//! the observer is made, so delivering it from a signal change never allocates.

use alloc::sync::Arc;

use crate::abi::{HandleValue, Rights, Signals, Status, ZX_WAIT_ASYNC_TIMESTAMP, ZxResult};
use crate::handle::HandleTable;
use crate::ipc::Port;
use crate::signal::PortObserver;
use crate::time::Clock;

/// `zx_object_wait_async`: when any of `signals` is asserted on the object behind `handle`,
/// queue one packet with `key` on `port`. `options` is 0 or `ZX_WAIT_ASYNC_TIMESTAMP` (the
/// packet then carries `clock`'s time of the trigger).
///
/// Errors: `INVALID_ARGS` (options); for `handle`, `BAD_HANDLE`, `NOT_SUPPORTED` (not
/// waitable), `ACCESS_DENIED` (no `WAIT`); for `port`, `BAD_HANDLE`, `WRONG_TYPE`,
/// `ACCESS_DENIED` (no `WRITE`); `NO_MEMORY` when the port is full.
pub fn wait_async(
    handles: &HandleTable,
    handle: HandleValue,
    port: HandleValue,
    key: u64,
    signals: Signals,
    options: u32,
    clock: &Arc<dyn Clock>,
) -> ZxResult {
    if options & !ZX_WAIT_ASYNC_TIMESTAMP != 0 {
        return Err(Status::InvalidArgs);
    }
    let immediate = {
        let table = handles.lock();
        let source = table.get(handle)?;
        let state = source.object().signal_state().ok_or(Status::NotSupported)?;
        if !source.rights().contains(Rights::WAIT) {
            return Err(Status::AccessDenied);
        }
        let port_handle = table.get(port)?;
        let port = port_handle.downcast::<Port>()?;
        if !port_handle.rights().contains(Rights::WRITE) {
            return Err(Status::AccessDenied);
        }

        port.reserve()?;
        let stamp = (options & ZX_WAIT_ASYNC_TIMESTAMP != 0).then(|| clock.clone());
        state.register_observer(signals, source.id(), PortObserver::new(&port, key, stamp))
    };
    if let Some(delivery) = immediate {
        delivery.deliver();
    }
    Ok(())
}

#[cfg(test)]
#[path = "wait_async_tests.rs"]
mod tests;
