//! Signals (`types.h`, spec §0.3, §5): the 32 bits of state a waitable object asserts.

use bitflags::bitflags;
use syscalls_abi::*;

bitflags! {
    /// `zx_signals_t`. Bits 0-22 mean something per object type (the aliases below); bit 23
    /// is synthetic; bits 24-31 are the user signals.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Signals: u32 {
        /// Bit 0: the object has something to read (channels).
        const READABLE = ZX_CHANNEL_READABLE;
        /// Bit 1: the object can be written (channels).
        const WRITABLE = ZX_CHANNEL_WRITABLE;
        /// Bit 2: the other end of a peered object closed.
        const PEER_CLOSED = ZX_CHANNEL_PEER_CLOSED;
        /// Bit 3: events and event pairs signaled, tasks terminated.
        const SIGNALED = ZX_EVENT_SIGNALED;
        /// Only in wait results that end with `ZX_ERR_CANCELED`.
        const HANDLE_CLOSED = ZX_SIGNAL_HANDLE_CLOSED;
        const USER_0 = ZX_USER_SIGNAL_0;
        const USER_1 = ZX_USER_SIGNAL_1;
        const USER_2 = ZX_USER_SIGNAL_2;
        const USER_3 = ZX_USER_SIGNAL_3;
        const USER_4 = ZX_USER_SIGNAL_4;
        const USER_5 = ZX_USER_SIGNAL_5;
        const USER_6 = ZX_USER_SIGNAL_6;
        const USER_7 = ZX_USER_SIGNAL_7;
        const USER_ALL = ZX_USER_SIGNAL_ALL;

        const CHANNEL_READABLE = ZX_CHANNEL_READABLE;
        const CHANNEL_WRITABLE = ZX_CHANNEL_WRITABLE;
        const CHANNEL_PEER_CLOSED = ZX_CHANNEL_PEER_CLOSED;
        const EVENT_SIGNALED = ZX_EVENT_SIGNALED;
        const EVENTPAIR_SIGNALED = ZX_EVENTPAIR_SIGNALED;
        const EVENTPAIR_PEER_CLOSED = ZX_EVENTPAIR_PEER_CLOSED;
        const TASK_TERMINATED = ZX_TASK_TERMINATED;
        const JOB_TERMINATED = ZX_JOB_TERMINATED;
        const JOB_NO_JOBS = ZX_JOB_NO_JOBS;
        const JOB_NO_PROCESSES = ZX_JOB_NO_PROCESSES;
        const PROCESS_TERMINATED = ZX_PROCESS_TERMINATED;
        const THREAD_TERMINATED = ZX_THREAD_TERMINATED;
        const THREAD_RUNNING = ZX_THREAD_RUNNING;
        const THREAD_SUSPENDED = ZX_THREAD_SUSPENDED;
        const VMO_ZERO_CHILDREN = ZX_VMO_ZERO_CHILDREN;
    }
}
