//! Handle rights (`rights.h`, spec §0.4, §1): what a handle lets its holder do.

use bitflags::bitflags;
use syscalls_abi::*;

bitflags! {
    /// `zx_rights_t`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Rights: u32 {
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

        /// `ZX_RIGHTS_BASIC`.
        const BASIC = ZX_RIGHT_TRANSFER | ZX_RIGHT_DUPLICATE | ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT;
        /// `ZX_RIGHTS_IO`.
        const IO = ZX_RIGHT_READ | ZX_RIGHT_WRITE;
        /// `ZX_RIGHTS_PROPERTY`.
        const PROPERTY = ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;
        /// `ZX_RIGHTS_POLICY`.
        const POLICY = ZX_RIGHT_GET_POLICY | ZX_RIGHT_SET_POLICY;
    }
}

impl Rights {
    /// `ZX_RIGHT_SAME_RIGHTS` as a request value for duplicate and replace; not a right.
    pub const SAME_RIGHTS: Rights = Rights::from_bits_retain(ZX_RIGHT_SAME_RIGHTS);
    /// No rights at all (`ZX_RIGHT_NONE`).
    pub const NONE: Rights = Rights::from_bits_retain(ZX_RIGHT_NONE);
}
