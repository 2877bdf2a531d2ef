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

    /// Each typed signal, with its bit in spec §0.3 typed as a literal (the ABI crate pins
    /// its raw constants the same way).
    const TYPES_H: &[(&str, Signals, u32)] = &[
        ("READABLE", Signals::READABLE, 0x1),
        ("WRITABLE", Signals::WRITABLE, 0x2),
        ("PEER_CLOSED", Signals::PEER_CLOSED, 0x4),
        ("SIGNALED", Signals::SIGNALED, 0x8),
        ("SIGNAL_4", Signals::SIGNAL_4, 0x10),
        ("SIGNAL_5", Signals::SIGNAL_5, 0x20),
        ("HANDLE_CLOSED", Signals::HANDLE_CLOSED, 0x0080_0000),
        ("USER_0", Signals::USER_0, 0x0100_0000),
        ("USER_1", Signals::USER_1, 0x0200_0000),
        ("USER_2", Signals::USER_2, 0x0400_0000),
        ("USER_3", Signals::USER_3, 0x0800_0000),
        ("USER_4", Signals::USER_4, 0x1000_0000),
        ("USER_5", Signals::USER_5, 0x2000_0000),
        ("USER_6", Signals::USER_6, 0x4000_0000),
        ("USER_7", Signals::USER_7, 0x8000_0000),
        ("USER_ALL", Signals::USER_ALL, 0xff00_0000),
        ("OBJECT_ALL", Signals::OBJECT_ALL, 0x00ff_ffff),
        ("CHANNEL_READABLE", Signals::CHANNEL_READABLE, 0x1),
        ("CHANNEL_WRITABLE", Signals::CHANNEL_WRITABLE, 0x2),
        ("CHANNEL_PEER_CLOSED", Signals::CHANNEL_PEER_CLOSED, 0x4),
        ("EVENT_SIGNALED", Signals::EVENT_SIGNALED, 0x8),
        ("EVENTPAIR_SIGNALED", Signals::EVENTPAIR_SIGNALED, 0x8),
        ("EVENTPAIR_PEER_CLOSED", Signals::EVENTPAIR_PEER_CLOSED, 0x4),
        ("TASK_TERMINATED", Signals::TASK_TERMINATED, 0x8),
        ("JOB_TERMINATED", Signals::JOB_TERMINATED, 0x8),
        ("JOB_NO_JOBS", Signals::JOB_NO_JOBS, 0x10),
        ("JOB_NO_PROCESSES", Signals::JOB_NO_PROCESSES, 0x20),
        ("PROCESS_TERMINATED", Signals::PROCESS_TERMINATED, 0x8),
        ("THREAD_TERMINATED", Signals::THREAD_TERMINATED, 0x8),
        ("THREAD_RUNNING", Signals::THREAD_RUNNING, 0x10),
        ("THREAD_SUSPENDED", Signals::THREAD_SUSPENDED, 0x20),
        ("VMO_ZERO_CHILDREN", Signals::VMO_ZERO_CHILDREN, 0x8),
        ("EVENT_MASK", Signals::EVENT_MASK, 0xff00_0008),
        ("EVENTPAIR_MASK", Signals::EVENTPAIR_MASK, 0xff00_000c),
    ];

    #[test]
    fn every_typed_signal_has_the_bit_of_types_h() {
        for &(name, signals, value) in TYPES_H {
            assert_eq!(signals.bits(), value, "Signals::{name}");
        }
    }

    #[test]
    fn every_named_flag_is_in_the_table_and_the_flags_cover_all_bits() {
        for (name, signals) in Signals::all().iter_names() {
            assert!(
                TYPES_H.contains(&(name, signals, signals.bits())),
                "Signals::{name}"
            );
        }
        assert_eq!(
            Signals::USER_ALL | Signals::OBJECT_ALL | Signals::HANDLE_CLOSED,
            Signals::all()
        );
    }
}
