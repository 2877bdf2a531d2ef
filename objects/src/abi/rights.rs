//! Handle rights, with Zircon's bit values (`rights.h`) and per-type defaults, both taken from
//! the `ZX_RIGHT_*` and `ZX_DEFAULT_*_RIGHTS` constants of the ABI crate.

use bitflags::bitflags;
use syscalls_abi::*;

bitflags! {
    /// What a handle allows its holder to do with the object (`zx_rights_t`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Rights: zx_rights_t {
        const DUPLICATE = ZX_RIGHT_DUPLICATE;
        const TRANSFER = ZX_RIGHT_TRANSFER;
        const READ = ZX_RIGHT_READ;
        const WRITE = ZX_RIGHT_WRITE;
        const EXECUTE = ZX_RIGHT_EXECUTE;
        const MAP = ZX_RIGHT_MAP;
        const GET_PROPERTY = ZX_RIGHT_GET_PROPERTY;
        const SET_PROPERTY = ZX_RIGHT_SET_PROPERTY;
        const ENUMERATE = ZX_RIGHT_ENUMERATE;
        const DESTROY = ZX_RIGHT_DESTROY;
        const SET_POLICY = ZX_RIGHT_SET_POLICY;
        const GET_POLICY = ZX_RIGHT_GET_POLICY;
        const SIGNAL = ZX_RIGHT_SIGNAL;
        const SIGNAL_PEER = ZX_RIGHT_SIGNAL_PEER;
        const WAIT = ZX_RIGHT_WAIT;
        const INSPECT = ZX_RIGHT_INSPECT;
        const MANAGE_JOB = ZX_RIGHT_MANAGE_JOB;
        const MANAGE_PROCESS = ZX_RIGHT_MANAGE_PROCESS;
        const MANAGE_THREAD = ZX_RIGHT_MANAGE_THREAD;
        const APPLY_PROFILE = ZX_RIGHT_APPLY_PROFILE;

        const BASIC = ZX_RIGHTS_BASIC;
        const IO = ZX_RIGHTS_IO;
        const PROPERTY = ZX_RIGHTS_PROPERTY;
        const POLICY = ZX_RIGHTS_POLICY;
    }
}

impl Rights {
    /// Default rights of a channel endpoint; channels cannot be duplicated.
    pub const DEFAULT_CHANNEL: Rights = Rights::from_bits_retain(ZX_DEFAULT_CHANNEL_RIGHTS);
    /// Default rights of an event.
    pub const DEFAULT_EVENT: Rights = Rights::from_bits_retain(ZX_DEFAULT_EVENT_RIGHTS);
    /// Default rights of each end of an event pair.
    pub const DEFAULT_EVENTPAIR: Rights = Rights::from_bits_retain(ZX_DEFAULT_EVENTPAIR_RIGHTS);
    /// Default rights of a job.
    pub const DEFAULT_JOB: Rights = Rights::from_bits_retain(ZX_DEFAULT_JOB_RIGHTS);
    /// Default rights of a process.
    pub const DEFAULT_PROCESS: Rights = Rights::from_bits_retain(ZX_DEFAULT_PROCESS_RIGHTS);
    /// Default rights of a thread.
    pub const DEFAULT_THREAD: Rights = Rights::from_bits_retain(ZX_DEFAULT_THREAD_RIGHTS);
    /// Default rights of a port; ports cannot be waited on.
    pub const DEFAULT_PORT: Rights = Rights::from_bits_retain(ZX_DEFAULT_PORT_RIGHTS);
    /// Default rights of a VMAR (the mapping rights come from the VMAR's own flags).
    pub const DEFAULT_VMAR: Rights = Rights::from_bits_retain(ZX_DEFAULT_VMAR_RIGHTS);
    /// Default rights of a VMO; EXECUTE is never a default.
    pub const DEFAULT_VMO: Rights = Rights::from_bits_retain(ZX_DEFAULT_VMO_RIGHTS);
    /// Default rights of an exception object; it cannot be duplicated.
    pub const DEFAULT_EXCEPTION: Rights = Rights::from_bits_retain(ZX_DEFAULT_EXCEPTION_RIGHTS);
    /// Rights of the read-only channel end `task_create_exception_channel` returns.
    pub const EXCEPTION_CHANNEL: Rights = Rights::from_bits_retain(ZX_EXCEPTION_CHANNEL_RIGHTS);

    /// The rights a duplicate or replacement asks for: `ZX_RIGHT_SAME_RIGHTS` keeps `self`,
    /// otherwise the request must be a subset of `self` (`None` when it is not).
    pub fn reduce_to(self, requested: u32) -> Option<Rights> {
        if requested == ZX_RIGHT_SAME_RIGHTS {
            return Some(self);
        }
        let requested = Rights::from_bits(requested)?;
        self.contains(requested).then_some(requested)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each typed right and rights set, with its value in spec §0.4 and §1.1 typed as a
    /// literal (the ABI crate pins its raw constants the same way).
    const RIGHTS_H: &[(&str, Rights, u32)] = &[
        ("DUPLICATE", Rights::DUPLICATE, 0x1),
        ("TRANSFER", Rights::TRANSFER, 0x2),
        ("READ", Rights::READ, 0x4),
        ("WRITE", Rights::WRITE, 0x8),
        ("EXECUTE", Rights::EXECUTE, 0x10),
        ("MAP", Rights::MAP, 0x20),
        ("GET_PROPERTY", Rights::GET_PROPERTY, 0x40),
        ("SET_PROPERTY", Rights::SET_PROPERTY, 0x80),
        ("ENUMERATE", Rights::ENUMERATE, 0x100),
        ("DESTROY", Rights::DESTROY, 0x200),
        ("SET_POLICY", Rights::SET_POLICY, 0x400),
        ("GET_POLICY", Rights::GET_POLICY, 0x800),
        ("SIGNAL", Rights::SIGNAL, 0x1000),
        ("SIGNAL_PEER", Rights::SIGNAL_PEER, 0x2000),
        ("WAIT", Rights::WAIT, 0x4000),
        ("INSPECT", Rights::INSPECT, 0x8000),
        ("MANAGE_JOB", Rights::MANAGE_JOB, 0x1_0000),
        ("MANAGE_PROCESS", Rights::MANAGE_PROCESS, 0x2_0000),
        ("MANAGE_THREAD", Rights::MANAGE_THREAD, 0x4_0000),
        ("APPLY_PROFILE", Rights::APPLY_PROFILE, 0x8_0000),
        ("BASIC", Rights::BASIC, 0xc003),
        ("IO", Rights::IO, 0xc),
        ("PROPERTY", Rights::PROPERTY, 0xc0),
        ("POLICY", Rights::POLICY, 0xc00),
        ("DEFAULT_CHANNEL", Rights::DEFAULT_CHANNEL, 0xf00e),
        ("DEFAULT_EVENT", Rights::DEFAULT_EVENT, 0xd003),
        ("DEFAULT_EVENTPAIR", Rights::DEFAULT_EVENTPAIR, 0xf003),
        ("DEFAULT_JOB", Rights::DEFAULT_JOB, 0x7_dfcf),
        ("DEFAULT_PROCESS", Rights::DEFAULT_PROCESS, 0x6_d3cf),
        ("DEFAULT_THREAD", Rights::DEFAULT_THREAD, 0x4_d2cf),
        ("DEFAULT_PORT", Rights::DEFAULT_PORT, 0x800f),
        ("DEFAULT_VMAR", Rights::DEFAULT_VMAR, 0x8003),
        ("DEFAULT_VMO", Rights::DEFAULT_VMO, 0xd0ef),
        ("DEFAULT_EXCEPTION", Rights::DEFAULT_EXCEPTION, 0x80c2),
        ("EXCEPTION_CHANNEL", Rights::EXCEPTION_CHANNEL, 0x4006),
    ];

    #[test]
    fn every_typed_right_and_default_has_the_value_of_rights_h() {
        for &(name, rights, value) in RIGHTS_H {
            assert_eq!(rights.bits(), value, "Rights::{name}");
        }
    }

    #[test]
    fn every_named_flag_is_in_the_table() {
        for (name, rights) in Rights::all().iter_names() {
            assert!(
                RIGHTS_H.contains(&(name, rights, rights.bits())),
                "Rights::{name}"
            );
        }
    }

    #[test]
    fn channels_are_not_duplicable_and_ports_not_waitable() {
        assert!(!Rights::DEFAULT_CHANNEL.contains(Rights::DUPLICATE));
        assert!(!Rights::DEFAULT_PORT.contains(Rights::WAIT));
        assert!(!Rights::DEFAULT_EXCEPTION.contains(Rights::DUPLICATE));
    }

    #[test]
    fn every_named_right_and_nothing_else_is_a_right() {
        let named = Rights::all()
            .iter()
            .fold(0, |all, right| all | right.bits());
        assert_eq!(named, 0xf_ffff);
    }

    #[test]
    fn reduce_to_keeps_same_rights_and_refuses_more() {
        let rights = Rights::DEFAULT_EVENT;
        assert_eq!(rights.reduce_to(ZX_RIGHT_SAME_RIGHTS), Some(rights));
        assert_eq!(rights.reduce_to(Rights::WAIT.bits()), Some(Rights::WAIT));
        assert_eq!(rights.reduce_to(0), Some(Rights::empty()));
        assert_eq!(rights.reduce_to(Rights::WRITE.bits()), None);
        assert_eq!(rights.reduce_to(1 << 30), None);
    }
}
