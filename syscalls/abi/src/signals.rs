//! Signals (`zircon/types.h`, spec §0.3).
//!
//! Bits 0 to 22 mean different things on different objects, so several names share a bit;
//! bit 23 is the synthetic `ZX_SIGNAL_HANDLE_CLOSED` a cancelled wait reports; bits 24 to 31
//! are the eight user signals every waitable object carries.

use super::types::zx_signals_t;

/// No signal.
pub const ZX_SIGNAL_NONE: zx_signals_t = 0;
/// Every object-specific bit.
pub const ZX_OBJECT_SIGNAL_ALL: zx_signals_t = 0x00ff_ffff;
/// Reported by a wait whose handle was closed (with `ZX_ERR_CANCELED`).
pub const ZX_SIGNAL_HANDLE_CLOSED: zx_signals_t = 1 << 23;

/// User signal 0.
pub const ZX_USER_SIGNAL_0: zx_signals_t = 1 << 24;
/// User signal 1.
pub const ZX_USER_SIGNAL_1: zx_signals_t = 1 << 25;
/// User signal 2.
pub const ZX_USER_SIGNAL_2: zx_signals_t = 1 << 26;
/// User signal 3.
pub const ZX_USER_SIGNAL_3: zx_signals_t = 1 << 27;
/// User signal 4.
pub const ZX_USER_SIGNAL_4: zx_signals_t = 1 << 28;
/// User signal 5.
pub const ZX_USER_SIGNAL_5: zx_signals_t = 1 << 29;
/// User signal 6.
pub const ZX_USER_SIGNAL_6: zx_signals_t = 1 << 30;
/// User signal 7.
pub const ZX_USER_SIGNAL_7: zx_signals_t = 1 << 31;
/// Every user signal.
pub const ZX_USER_SIGNAL_ALL: zx_signals_t = 0xff00_0000;

/// An event is signaled.
pub const ZX_EVENT_SIGNALED: zx_signals_t = 1 << 3;
/// What `zx_object_signal` may change on an event.
pub const ZX_EVENT_SIGNAL_MASK: zx_signals_t = ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED;

/// An event pair end is signaled.
pub const ZX_EVENTPAIR_SIGNALED: zx_signals_t = 1 << 3;
/// The other end of an event pair is closed.
pub const ZX_EVENTPAIR_PEER_CLOSED: zx_signals_t = 1 << 2;
/// The signals an event pair end carries.
pub const ZX_EVENTPAIR_SIGNAL_MASK: zx_signals_t =
    ZX_USER_SIGNAL_ALL | ZX_EVENTPAIR_SIGNALED | ZX_EVENTPAIR_PEER_CLOSED;

/// A channel endpoint has a message to read.
pub const ZX_CHANNEL_READABLE: zx_signals_t = 1 << 0;
/// A channel endpoint can be written (its peer is open).
pub const ZX_CHANNEL_WRITABLE: zx_signals_t = 1 << 1;
/// The other endpoint of a channel is closed.
pub const ZX_CHANNEL_PEER_CLOSED: zx_signals_t = 1 << 2;

/// A job, process or thread has ended.
pub const ZX_TASK_TERMINATED: zx_signals_t = 1 << 3;
/// A job has ended.
pub const ZX_JOB_TERMINATED: zx_signals_t = 1 << 3;
/// A job has no child jobs.
pub const ZX_JOB_NO_JOBS: zx_signals_t = 1 << 4;
/// A job has no processes.
pub const ZX_JOB_NO_PROCESSES: zx_signals_t = 1 << 5;
/// A process has ended.
pub const ZX_PROCESS_TERMINATED: zx_signals_t = 1 << 3;
/// A thread has ended.
pub const ZX_THREAD_TERMINATED: zx_signals_t = 1 << 3;
/// A thread is running (started and not suspended).
pub const ZX_THREAD_RUNNING: zx_signals_t = 1 << 4;
/// A thread is suspended.
pub const ZX_THREAD_SUSPENDED: zx_signals_t = 1 << 5;

/// A VMO has no child VMOs.
pub const ZX_VMO_ZERO_CHILDREN: zx_signals_t = 1 << 3;
