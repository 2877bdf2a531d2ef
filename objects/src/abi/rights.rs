//! Handle rights, with Zircon's bit values (`rights.h`) and per-type defaults.

use bitflags::bitflags;

bitflags! {
    /// What a handle allows its holder to do with the object (`zx_rights_t`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Rights: u32 {
        const DUPLICATE = 1 << 0;
        const TRANSFER = 1 << 1;
        const READ = 1 << 2;
        const WRITE = 1 << 3;
        const EXECUTE = 1 << 4;
        const MAP = 1 << 5;
        const GET_PROPERTY = 1 << 6;
        const SET_PROPERTY = 1 << 7;
        const ENUMERATE = 1 << 8;
        const DESTROY = 1 << 9;
        const SET_POLICY = 1 << 10;
        const GET_POLICY = 1 << 11;
        const SIGNAL = 1 << 12;
        const SIGNAL_PEER = 1 << 13;
        const WAIT = 1 << 14;
        const INSPECT = 1 << 15;
        const MANAGE_JOB = 1 << 16;
        const MANAGE_PROCESS = 1 << 17;
        const MANAGE_THREAD = 1 << 18;
        const APPLY_PROFILE = 1 << 19;

        const BASIC = Self::TRANSFER.bits() | Self::DUPLICATE.bits() | Self::WAIT.bits()
            | Self::INSPECT.bits();
        const IO = Self::READ.bits() | Self::WRITE.bits();
        const PROPERTY = Self::GET_PROPERTY.bits() | Self::SET_PROPERTY.bits();
        const POLICY = Self::GET_POLICY.bits() | Self::SET_POLICY.bits();
    }
}

/// `ZX_RIGHT_SAME_RIGHTS`: a request value for duplicate and replace, not a right.
pub const ZX_RIGHT_SAME_RIGHTS: u32 = 1 << 31;

impl Rights {
    /// Default rights of a channel endpoint; channels cannot be duplicated.
    pub const DEFAULT_CHANNEL: Rights = Rights::BASIC
        .difference(Rights::DUPLICATE)
        .union(Rights::IO)
        .union(Rights::SIGNAL)
        .union(Rights::SIGNAL_PEER);
    /// Default rights of an event.
    pub const DEFAULT_EVENT: Rights = Rights::BASIC.union(Rights::SIGNAL);
    /// Default rights of each end of an event pair.
    pub const DEFAULT_EVENTPAIR: Rights = Rights::BASIC
        .union(Rights::SIGNAL)
        .union(Rights::SIGNAL_PEER);
    /// Default rights of a job.
    pub const DEFAULT_JOB: Rights = Rights::BASIC
        .union(Rights::IO)
        .union(Rights::PROPERTY)
        .union(Rights::POLICY)
        .union(Rights::ENUMERATE)
        .union(Rights::DESTROY)
        .union(Rights::SIGNAL)
        .union(Rights::MANAGE_JOB)
        .union(Rights::MANAGE_PROCESS)
        .union(Rights::MANAGE_THREAD);
    /// Default rights of a process.
    pub const DEFAULT_PROCESS: Rights = Rights::BASIC
        .union(Rights::IO)
        .union(Rights::PROPERTY)
        .union(Rights::ENUMERATE)
        .union(Rights::DESTROY)
        .union(Rights::SIGNAL)
        .union(Rights::MANAGE_PROCESS)
        .union(Rights::MANAGE_THREAD);
    /// Default rights of a thread.
    pub const DEFAULT_THREAD: Rights = Rights::BASIC
        .union(Rights::IO)
        .union(Rights::PROPERTY)
        .union(Rights::DESTROY)
        .union(Rights::SIGNAL)
        .union(Rights::MANAGE_THREAD);
    /// Default rights of a port; ports cannot be waited on.
    pub const DEFAULT_PORT: Rights = Rights::BASIC.difference(Rights::WAIT).union(Rights::IO);
    /// Default rights of a VMAR (the mapping rights come from the VMAR's own flags).
    pub const DEFAULT_VMAR: Rights = Rights::BASIC.difference(Rights::WAIT);
    /// Default rights of a VMO; EXECUTE is never a default.
    pub const DEFAULT_VMO: Rights = Rights::BASIC
        .union(Rights::IO)
        .union(Rights::PROPERTY)
        .union(Rights::MAP)
        .union(Rights::SIGNAL);
    /// Default rights of an exception object; it cannot be duplicated.
    pub const DEFAULT_EXCEPTION: Rights = Rights::TRANSFER
        .union(Rights::PROPERTY)
        .union(Rights::INSPECT);
    /// Rights of the read-only channel end `task_create_exception_channel` returns.
    pub const EXCEPTION_CHANNEL: Rights = Rights::TRANSFER.union(Rights::WAIT).union(Rights::READ);

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

    #[test]
    fn bit_values_match_rights_h() {
        assert_eq!(Rights::DUPLICATE.bits(), 0x1);
        assert_eq!(Rights::WAIT.bits(), 0x4000);
        assert_eq!(Rights::INSPECT.bits(), 0x8000);
        assert_eq!(Rights::APPLY_PROFILE.bits(), 0x8_0000);
        assert_eq!(Rights::BASIC.bits(), 0xc003);
    }

    #[test]
    fn channels_are_not_duplicable_and_ports_not_waitable() {
        assert!(!Rights::DEFAULT_CHANNEL.contains(Rights::DUPLICATE));
        assert!(!Rights::DEFAULT_PORT.contains(Rights::WAIT));
        assert!(!Rights::DEFAULT_EXCEPTION.contains(Rights::DUPLICATE));
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
