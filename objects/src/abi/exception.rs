//! The ABI of exceptions: exception types, channel types and options, and exception states
//! (`syscalls/exception.h`, `syscalls/object.h`; spec §9).

/// `zx_excp_type_t`.
pub type ExceptionType = u32;

/// `ZX_EXCP_SYNTH`: set in every synthetic (non-architectural) exception type.
pub const ZX_EXCP_SYNTH: ExceptionType = 0x8000;

/// `ZX_EXCP_GENERAL`: an architectural exception with no more specific type.
pub const ZX_EXCP_GENERAL: ExceptionType = 0x008;
/// `ZX_EXCP_FATAL_PAGE_FAULT`: a page fault the address space could not resolve.
pub const ZX_EXCP_FATAL_PAGE_FAULT: ExceptionType = 0x108;
/// `ZX_EXCP_UNDEFINED_INSTRUCTION`.
pub const ZX_EXCP_UNDEFINED_INSTRUCTION: ExceptionType = 0x208;
/// `ZX_EXCP_SW_BREAKPOINT`.
pub const ZX_EXCP_SW_BREAKPOINT: ExceptionType = 0x308;
/// `ZX_EXCP_HW_BREAKPOINT`.
pub const ZX_EXCP_HW_BREAKPOINT: ExceptionType = 0x408;
/// `ZX_EXCP_UNALIGNED_ACCESS`.
pub const ZX_EXCP_UNALIGNED_ACCESS: ExceptionType = 0x508;

/// `ZX_EXCP_THREAD_STARTING`: a thread is about to run its first instruction (process
/// debugger only).
pub const ZX_EXCP_THREAD_STARTING: ExceptionType = ZX_EXCP_SYNTH | 0x008;
/// `ZX_EXCP_THREAD_EXITING`: a thread is ending (process debugger only).
pub const ZX_EXCP_THREAD_EXITING: ExceptionType = ZX_EXCP_SYNTH | 0x108;
/// `ZX_EXCP_POLICY_ERROR`: a syscall failed a job policy with an exception action.
pub const ZX_EXCP_POLICY_ERROR: ExceptionType = ZX_EXCP_SYNTH | 0x208;
/// `ZX_EXCP_PROCESS_STARTING`: a process's first thread is about to run (job debugger only).
pub const ZX_EXCP_PROCESS_STARTING: ExceptionType = ZX_EXCP_SYNTH | 0x308;

/// `ZX_EXCP_IS_ARCH(type)`: whether `exception` is architectural.
pub const fn is_arch_exception(exception: ExceptionType) -> bool {
    exception & ZX_EXCP_SYNTH == 0
}

/// `ZX_EXCEPTION_CHANNEL_DEBUGGER`: `task_create_exception_channel` option for a debugger
/// channel (processes and jobs only).
pub const ZX_EXCEPTION_CHANNEL_DEBUGGER: u32 = 1;

/// `ZX_EXCEPTION_STATE_TRY_NEXT`: on close, pass the exception to the next handler.
pub const ZX_EXCEPTION_STATE_TRY_NEXT: u32 = 0;
/// `ZX_EXCEPTION_STATE_HANDLED`: on close, resume the thread.
pub const ZX_EXCEPTION_STATE_HANDLED: u32 = 1;

/// `ZX_EXCEPTION_CHANNEL_TYPE_*`: which channel an exception is waiting on, as reported in
/// `zx_info_thread_t.wait_exception_channel_type` (spec §9.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ExceptionChannelType {
    /// Not waiting on an exception channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_NONE")]
    None = 0,
    /// A process's debugger channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER")]
    Debugger = 1,
    /// A thread's channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_THREAD")]
    Thread = 2,
    /// A process's channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_PROCESS")]
    Process = 3,
    /// A job's channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_JOB")]
    Job = 4,
    /// A job's debugger channel.
    #[doc(alias = "ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER")]
    JobDebugger = 5,
}

#[cfg(test)]
mod tests {
    use super::*;

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
