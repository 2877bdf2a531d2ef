//! The port operations through a process's handles: `port_queue`, `port_wait` and
//! `port_cancel`, with their rights checks (spec §8).

use alloc::sync::Arc;

use super::object::Port;
use super::packet::PortPacket;
use super::wait::PortWait;
use crate::abi::{HandleValue, Rights, Status, Time, ZxResult};
use crate::handle::HandleTable;
use crate::time::Clock;
use crate::wait::deadline_passed;

/// `zx_port_queue`: queues a user packet; the handle must be a port with `WRITE`.
pub fn port_queue(handles: &HandleTable, port: HandleValue, packet: &PortPacket) -> ZxResult {
    port_queue_read(handles, port, || Ok(*packet))
}

/// [`port_queue`] with a packet still to be read (from user memory): `read` runs only once the
/// handle has passed its checks, so that a bad handle is reported before a bad packet, in
/// Zircon's order.
pub fn port_queue_read(
    handles: &HandleTable,
    port: HandleValue,
    read: impl FnOnce() -> ZxResult<PortPacket>,
) -> ZxResult {
    let port = handles.get::<Port>(port, Rights::WRITE)?;
    port.queue_user(&read()?)
}

/// `zx_port_wait`: a future for the first packet until `deadline`; the handle must be a port
/// with `READ`. Closing the handle does not end the wait (spec §6.1 names only `wait_one` and
/// `wait_many`).
pub fn port_wait(
    handles: &HandleTable,
    port: HandleValue,
    deadline: Time,
    clock: &Arc<dyn Clock>,
) -> ZxResult<PortWait> {
    Ok(handles
        .get::<Port>(port, Rights::READ)?
        .wait(deadline, clock))
}

/// `zx_port_wait` when it need not wait: the first packet if one is queued, `TIMED_OUT` if none
/// is and the deadline has passed, `None` if the caller must wait (with [`port_wait`]). Errors
/// as [`port_wait`]'s. Either outcome is the one [`port_wait`]'s future would give.
pub fn port_wait_now(
    handles: &HandleTable,
    port: HandleValue,
    deadline: Time,
    clock: &Arc<dyn Clock>,
) -> ZxResult<Option<ZxResult<PortPacket>>> {
    let port = handles.get::<Port>(port, Rights::READ)?;
    if let Some(packet) = port.take_queued() {
        return Ok(Some(Ok(packet)));
    }
    if !deadline_passed(deadline, clock) {
        return Ok(None);
    }
    // A packet queued before the deadline was seen to pass wins over it.
    Ok(Some(port.take_queued().ok_or(Status::TimedOut)))
}

/// `zx_port_cancel`: ends the `wait_async`s started through `source` that would queue on the
/// port with `key`, and removes their queued packets. The port needs `WRITE`; `NOT_FOUND`
/// when there was nothing to cancel.
pub fn port_cancel(
    handles: &HandleTable,
    port: HandleValue,
    source: HandleValue,
    key: u64,
) -> ZxResult {
    let port = handles.get::<Port>(port, Rights::WRITE)?;
    let (object, id) = {
        let table = handles.lock();
        let handle = table.get(source)?;
        (handle.object().clone(), handle.id())
    };
    let state = object.signal_state().ok_or(Status::NotSupported)?;

    let observers = state.cancel_observers(&port, id, key);
    let packets = port.cancel_queued(id, key);
    if observers || packets {
        Ok(())
    } else {
        Err(Status::NotFound)
    }
}
