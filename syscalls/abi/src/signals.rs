//! Signals (`zircon/types.h`, spec §0.3).
//!
//! Bits 0 to 22 mean different things on different objects, so several names share a bit;
//! bit 23 is the synthetic `ZX_SIGNAL_HANDLE_CLOSED` a cancelled wait reports; bits 24 to 31
//! are the eight user signals every waitable object carries. The header names the shared bits
//! `__ZX_OBJECT_*` and each object's signals after them; here they are `ZX_OBJECT_*`.

use super::types::zx_signals_t;

/// No signal.
pub const ZX_SIGNAL_NONE: zx_signals_t = 0;
/// Every object-specific bit.
pub const ZX_OBJECT_SIGNAL_ALL: zx_signals_t = 0x00ff_ffff;

/// Shared bit 0: readable, on the objects that can be read.
pub const ZX_OBJECT_READABLE: zx_signals_t = 1 << 0;
/// Shared bit 1: writable, on the objects that can be written.
pub const ZX_OBJECT_WRITABLE: zx_signals_t = 1 << 1;
/// Shared bit 2: the other end is closed, on objects with a peer.
pub const ZX_OBJECT_PEER_CLOSED: zx_signals_t = 1 << 2;
/// Shared bit 3: signaled, or terminated for tasks.
pub const ZX_OBJECT_SIGNALED: zx_signals_t = 1 << 3;
/// Shared bit 4.
pub const ZX_OBJECT_SIGNAL_4: zx_signals_t = 1 << 4;
/// Shared bit 5.
pub const ZX_OBJECT_SIGNAL_5: zx_signals_t = 1 << 5;
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
pub const ZX_EVENT_SIGNALED: zx_signals_t = ZX_OBJECT_SIGNALED;
/// What `zx_object_signal` may change on an event.
pub const ZX_EVENT_SIGNAL_MASK: zx_signals_t = ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED;

/// An event pair end is signaled.
pub const ZX_EVENTPAIR_SIGNALED: zx_signals_t = ZX_OBJECT_SIGNALED;
/// The other end of an event pair is closed.
pub const ZX_EVENTPAIR_PEER_CLOSED: zx_signals_t = ZX_OBJECT_PEER_CLOSED;
/// The signals an event pair end carries.
pub const ZX_EVENTPAIR_SIGNAL_MASK: zx_signals_t =
    ZX_USER_SIGNAL_ALL | ZX_EVENTPAIR_SIGNALED | ZX_EVENTPAIR_PEER_CLOSED;

/// A channel endpoint has a message to read.
pub const ZX_CHANNEL_READABLE: zx_signals_t = ZX_OBJECT_READABLE;
/// A channel endpoint can be written (its peer is open).
pub const ZX_CHANNEL_WRITABLE: zx_signals_t = ZX_OBJECT_WRITABLE;
/// The other endpoint of a channel is closed.
pub const ZX_CHANNEL_PEER_CLOSED: zx_signals_t = ZX_OBJECT_PEER_CLOSED;

/// A job, process or thread has ended.
pub const ZX_TASK_TERMINATED: zx_signals_t = ZX_OBJECT_SIGNALED;
/// A job has ended.
pub const ZX_JOB_TERMINATED: zx_signals_t = ZX_OBJECT_SIGNALED;
/// A job has no child jobs.
pub const ZX_JOB_NO_JOBS: zx_signals_t = ZX_OBJECT_SIGNAL_4;
/// A job has no processes.
pub const ZX_JOB_NO_PROCESSES: zx_signals_t = ZX_OBJECT_SIGNAL_5;
/// A process has ended.
pub const ZX_PROCESS_TERMINATED: zx_signals_t = ZX_OBJECT_SIGNALED;
/// A thread has ended.
pub const ZX_THREAD_TERMINATED: zx_signals_t = ZX_OBJECT_SIGNALED;
/// A thread is running (started and not suspended).
pub const ZX_THREAD_RUNNING: zx_signals_t = ZX_OBJECT_SIGNAL_4;
/// A thread is suspended.
pub const ZX_THREAD_SUSPENDED: zx_signals_t = ZX_OBJECT_SIGNAL_5;

/// A VMO has no child VMOs.
pub const ZX_VMO_ZERO_CHILDREN: zx_signals_t = ZX_OBJECT_SIGNALED;
