//! Object signals, with Zircon's bit values (`types.h`).
//!
//! Bits 0 to 22 mean different things on different objects, so several constants share a bit;
//! bit 23 is the synthetic `HANDLE_CLOSED` a cancelled wait reports; bits 24 to 31 are the eight
//! user signals every signalable object carries.

use bitflags::bitflags;

bitflags! {
    /// A set of signals (`zx_signals_t`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Signals: u32 {
        const READABLE = 1 << 0;
        const WRITABLE = 1 << 1;
        const PEER_CLOSED = 1 << 2;
        const SIGNALED = 1 << 3;
        const SIGNAL_4 = 1 << 4;
        const SIGNAL_5 = 1 << 5;
        const HANDLE_CLOSED = 1 << 23;
        const USER_0 = 1 << 24;
        const USER_1 = 1 << 25;
        const USER_2 = 1 << 26;
        const USER_3 = 1 << 27;
        const USER_4 = 1 << 28;
        const USER_5 = 1 << 29;
        const USER_6 = 1 << 30;
        const USER_7 = 1 << 31;

        /// `ZX_USER_SIGNAL_ALL`.
        const USER_ALL = 0xff00_0000;
        /// `__ZX_OBJECT_SIGNAL_ALL`: every object-specific bit.
        const OBJECT_ALL = 0x00ff_ffff;

        // Per-object names for the shared bits.
        const CHANNEL_READABLE = Self::READABLE.bits();
        const CHANNEL_WRITABLE = Self::WRITABLE.bits();
        const CHANNEL_PEER_CLOSED = Self::PEER_CLOSED.bits();
        const EVENT_SIGNALED = Self::SIGNALED.bits();
        const EVENTPAIR_SIGNALED = Self::SIGNALED.bits();
        const EVENTPAIR_PEER_CLOSED = Self::PEER_CLOSED.bits();
        const TASK_TERMINATED = Self::SIGNALED.bits();
        const JOB_TERMINATED = Self::SIGNALED.bits();
        const JOB_NO_JOBS = Self::SIGNAL_4.bits();
        const JOB_NO_PROCESSES = Self::SIGNAL_5.bits();
        const PROCESS_TERMINATED = Self::SIGNALED.bits();
        const THREAD_TERMINATED = Self::SIGNALED.bits();
        const THREAD_RUNNING = Self::SIGNAL_4.bits();
        const THREAD_SUSPENDED = Self::SIGNAL_5.bits();
        const VMO_ZERO_CHILDREN = Self::SIGNALED.bits();
    }
}

impl Signals {
    /// `ZX_EVENT_SIGNAL_MASK`: what `object_signal` may change on an event.
    pub const EVENT_MASK: Signals = Signals::USER_ALL.union(Signals::SIGNALED);
    /// `ZX_EVENTPAIR_SIGNAL_MASK`.
    pub const EVENTPAIR_MASK: Signals = Signals::USER_ALL
        .union(Signals::SIGNALED)
        .union(Signals::PEER_CLOSED);
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
