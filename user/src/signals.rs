//! Signals (`types.h`, spec §0.3, §5): the 32 bits of state a waitable object asserts.

use crate::zx_abi::*;
use bitflags::bitflags;

bitflags! {
    /// `zx_signals_t`. Bits 0-22 mean something per object type (the aliases below); bit 23
    /// is synthetic; bits 24-31 are the user signals.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Signals: u32 {
        const READABLE = ZX_OBJECT_READABLE;
        const WRITABLE = ZX_OBJECT_WRITABLE;
        const PEER_CLOSED = ZX_OBJECT_PEER_CLOSED;
        const SIGNALED = ZX_OBJECT_SIGNALED;
        const SIGNAL_4 = ZX_OBJECT_SIGNAL_4;
        const SIGNAL_5 = ZX_OBJECT_SIGNAL_5;
        /// Only in wait results that end with `ZX_ERR_CANCELED`.
        const HANDLE_CLOSED = ZX_SIGNAL_HANDLE_CLOSED;
        const USER_0 = ZX_USER_SIGNAL_0;
        const USER_1 = ZX_USER_SIGNAL_0 << 1;
        const USER_2 = ZX_USER_SIGNAL_0 << 2;
        const USER_3 = ZX_USER_SIGNAL_0 << 3;
        const USER_4 = ZX_USER_SIGNAL_0 << 4;
        const USER_5 = ZX_USER_SIGNAL_0 << 5;
        const USER_6 = ZX_USER_SIGNAL_0 << 6;
        const USER_7 = ZX_USER_SIGNAL_0 << 7;
        const USER_ALL = ZX_USER_SIGNAL_ALL;

        const CHANNEL_READABLE = ZX_OBJECT_READABLE;
        const CHANNEL_WRITABLE = ZX_OBJECT_WRITABLE;
        const CHANNEL_PEER_CLOSED = ZX_OBJECT_PEER_CLOSED;
        const EVENT_SIGNALED = ZX_OBJECT_SIGNALED;
        const EVENTPAIR_SIGNALED = ZX_OBJECT_SIGNALED;
        const EVENTPAIR_PEER_CLOSED = ZX_OBJECT_PEER_CLOSED;
        const TASK_TERMINATED = ZX_OBJECT_SIGNALED;
        const JOB_TERMINATED = ZX_OBJECT_SIGNALED;
        const JOB_NO_JOBS = ZX_OBJECT_SIGNAL_4;
        const JOB_NO_PROCESSES = ZX_OBJECT_SIGNAL_5;
        const PROCESS_TERMINATED = ZX_OBJECT_SIGNALED;
        const THREAD_TERMINATED = ZX_OBJECT_SIGNALED;
        const THREAD_RUNNING = ZX_OBJECT_SIGNAL_4;
        const THREAD_SUSPENDED = ZX_OBJECT_SIGNAL_5;
    }
}
