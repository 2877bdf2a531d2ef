//! The typed vocabulary of exceptions (`syscalls/exception.h`, `syscalls/object.h`; spec §9):
//! the exception type and the channel types, with the values of the ABI crate's constants.

use syscalls_abi::*;

/// `zx_excp_type_t`.
pub type ExceptionType = zx_excp_type_t;

/// `ZX_EXCEPTION_CHANNEL_TYPE_*`: which channel an exception is waiting on, as reported in
/// `zx_info_thread_t.wait_exception_channel_type` (spec §9.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ExceptionChannelType {
    /// Not waiting on an exception channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_NONE")]
    None = ZX_EXCEPTION_CHANNEL_TYPE_NONE,
    /// A process's debugger channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER")]
    Debugger = ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER,
    /// A thread's channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_THREAD")]
    Thread = ZX_EXCEPTION_CHANNEL_TYPE_THREAD,
    /// A process's channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_PROCESS")]
    Process = ZX_EXCEPTION_CHANNEL_TYPE_PROCESS,
    /// A job's channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_JOB")]
    Job = ZX_EXCEPTION_CHANNEL_TYPE_JOB,
    /// A job's debugger channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER")]
    JobDebugger = ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::is_arch_exception;

    #[test]
    fn synthetic_types_match_exception_h() {
        assert_eq!(ZX_EXCP_THREAD_STARTING, 0x8008);
        assert_eq!(ZX_EXCP_THREAD_EXITING, 0x8108);
        assert_eq!(ZX_EXCP_POLICY_ERROR, 0x8208);
        assert_eq!(ZX_EXCP_PROCESS_STARTING, 0x8308);
        assert!(is_arch_exception(ZX_EXCP_FATAL_PAGE_FAULT));
        assert!(!is_arch_exception(ZX_EXCP_POLICY_ERROR));
    }
}
