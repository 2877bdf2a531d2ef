//! Object signals, with Zircon's bit values (`types.h`), taken from the signal constants of the
//! ABI crate.
//!
//! Bits 0 to 22 mean different things on different objects, so several constants share a bit;
//! bit 23 is the synthetic `HANDLE_CLOSED` a cancelled wait reports; bits 24 to 31 are the eight
//! user signals every signalable object carries.

use bitflags::bitflags;
use syscalls_abi::*;

bitflags! {
    /// A set of signals (`zx_signals_t`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Signals: zx_signals_t {
        const READABLE = ZX_OBJECT_READABLE;
        const WRITABLE = ZX_OBJECT_WRITABLE;
        const PEER_CLOSED = ZX_OBJECT_PEER_CLOSED;
        const SIGNALED = ZX_OBJECT_SIGNALED;
        const SIGNAL_4 = ZX_OBJECT_SIGNAL_4;
        const SIGNAL_5 = ZX_OBJECT_SIGNAL_5;
        const HANDLE_CLOSED = ZX_SIGNAL_HANDLE_CLOSED;
        const USER_0 = ZX_USER_SIGNAL_0;
        const USER_1 = ZX_USER_SIGNAL_1;
        const USER_2 = ZX_USER_SIGNAL_2;
        const USER_3 = ZX_USER_SIGNAL_3;
        const USER_4 = ZX_USER_SIGNAL_4;
        const USER_5 = ZX_USER_SIGNAL_5;
        const USER_6 = ZX_USER_SIGNAL_6;
        const USER_7 = ZX_USER_SIGNAL_7;

        /// `ZX_USER_SIGNAL_ALL`.
        const USER_ALL = ZX_USER_SIGNAL_ALL;
        /// `__ZX_OBJECT_SIGNAL_ALL`: every object-specific bit.
        const OBJECT_ALL = ZX_OBJECT_SIGNAL_ALL;

        // Per-object names for the shared bits.
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

impl Signals {
    /// `ZX_EVENT_SIGNAL_MASK`: what `object_signal` may change on an event.
    pub const EVENT_MASK: Signals = Signals::from_bits_retain(ZX_EVENT_SIGNAL_MASK);
    /// `ZX_EVENTPAIR_SIGNAL_MASK`.
    pub const EVENTPAIR_MASK: Signals = Signals::from_bits_retain(ZX_EVENTPAIR_SIGNAL_MASK);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_values_match_types_h() {
        assert_eq!(Signals::HANDLE_CLOSED.bits(), 0x0080_0000);
        assert_eq!(Signals::USER_0.bits(), 0x0100_0000);
        assert_eq!(Signals::USER_7.bits(), 0x8000_0000);
        assert_eq!(Signals::TASK_TERMINATED.bits(), 0x8);
        assert_eq!(Signals::JOB_NO_PROCESSES.bits(), 0x20);
        assert_eq!(
            Signals::USER_ALL | Signals::OBJECT_ALL | Signals::HANDLE_CLOSED,
            Signals::all()
        );
    }
}
