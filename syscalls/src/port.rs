//! Port syscalls (spec §8): `zx_port_create`, `zx_port_queue`, `zx_port_wait` and
//! `zx_port_cancel`. Packets cross user memory as `zx_port_packet_t`.

use objects::abi::{HandleValue, Time};
use objects::ipc::{self, Port, PortPacket};
use objects::task::{BlockedReason, PolicyCondition};
use objects::{Status, ZxResult};

use crate::abi::{ZX_PORT_BIND_TO_INTERRUPT, zx_handle_t, zx_port_packet_t};
use crate::context::SyscallContext;
use crate::handle;
use crate::user_ptr::UserPtr;

/// `zx_port_create`: INVALID_ARGS (options other than `ZX_PORT_BIND_TO_INTERRUPT`, bad
/// `out`); ACCESS_DENIED (the caller's `ZX_POL_NEW_PORT`).
pub(crate) fn create(cx: &SyscallContext<'_>, options: u32, out: UserPtr<zx_handle_t>) -> ZxResult {
    if options & !ZX_PORT_BIND_TO_INTERRUPT != 0 {
        return Err(Status::InvalidArgs);
    }
    cx.process.check_policy(PolicyCondition::NewPort)?;
    handle::give(cx, Port::create(options)?, out)
}

/// `zx_port_queue`: BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no `WRITE`); then INVALID_ARGS (bad
/// `packet`); SHOULD_WAIT (the port is full). The packet becomes a `ZX_PKT_TYPE_USER` packet.
pub(crate) fn queue(
    cx: &SyscallContext<'_>,
    port: HandleValue,
    packet: UserPtr<zx_port_packet_t>,
) -> ZxResult {
    ipc::port_queue_read(cx.handles(), port, || {
        Ok(PortPacket::from(packet.read(cx.memory)?))
    })
}

/// `zx_port_wait`: BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no `READ`); TIMED_OUT; INVALID_ARGS
/// (bad `packet`, the packet then being lost, as in Zircon). The thread is
/// `BLOCKED_PORT` while it waits.
pub(crate) async fn wait(
    cx: &SyscallContext<'_>,
    port: HandleValue,
    deadline: Time,
    packet: UserPtr<zx_port_packet_t>,
) -> ZxResult {
    let wait = ipc::port_wait(cx.handles(), port, deadline, cx.clock())?;
    let received = cx.blocking(BlockedReason::Port, wait).await??;
    packet.write(cx.memory, &zx_port_packet_t::from(received))
}

/// [`wait`] when it ends without waiting (a packet queued, or the deadline past), with the
/// same outcome; `None` when it must wait.
pub(crate) fn wait_now(
    cx: &SyscallContext<'_>,
    port: HandleValue,
    deadline: Time,
    packet: UserPtr<zx_port_packet_t>,
) -> Option<ZxResult> {
    let received = match ipc::port_wait_now(cx.handles(), port, deadline, cx.clock()) {
        Ok(None) => return None,
        Ok(Some(received)) => received,
        Err(status) => Err(status),
    };
    Some(received.and_then(|received| packet.write(cx.memory, &zx_port_packet_t::from(received))))
}

/// `zx_port_cancel`: BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no `WRITE` on the port);
/// BAD_HANDLE (`source`); NOT_SUPPORTED (`source` cannot be waited on); NOT_FOUND (nothing to
/// cancel).
pub(crate) fn cancel(
    cx: &SyscallContext<'_>,
    port: HandleValue,
    source: HandleValue,
    key: u64,
) -> ZxResult {
    ipc::port_cancel(cx.handles(), port, source, key)
}
