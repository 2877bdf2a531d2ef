//! Exceptions (`zircon/syscalls/exception.h`, spec §9): types, channel types, states, and the
//! records handlers read.

use super::types::{zx_excp_type_t, zx_koid_t};
use super::wire::wire_struct;

/// Set in every synthetic (non-architectural) exception type.
pub const ZX_EXCP_SYNTH: zx_excp_type_t = 0x8000;
/// An architectural exception with no more specific type.
pub const ZX_EXCP_GENERAL: zx_excp_type_t = 0x008;
/// A page fault the address space could not resolve.
pub const ZX_EXCP_FATAL_PAGE_FAULT: zx_excp_type_t = 0x108;
/// An undefined instruction.
pub const ZX_EXCP_UNDEFINED_INSTRUCTION: zx_excp_type_t = 0x208;
/// A software breakpoint.
pub const ZX_EXCP_SW_BREAKPOINT: zx_excp_type_t = 0x308;
/// A hardware breakpoint.
pub const ZX_EXCP_HW_BREAKPOINT: zx_excp_type_t = 0x408;
/// An unaligned access.
pub const ZX_EXCP_UNALIGNED_ACCESS: zx_excp_type_t = 0x508;
/// A thread is about to run its first instruction (process debugger only).
pub const ZX_EXCP_THREAD_STARTING: zx_excp_type_t = ZX_EXCP_SYNTH | 0x008;
/// A thread is ending (process debugger only).
pub const ZX_EXCP_THREAD_EXITING: zx_excp_type_t = ZX_EXCP_SYNTH | 0x108;
/// A syscall failed a job policy with an exception action.
pub const ZX_EXCP_POLICY_ERROR: zx_excp_type_t = ZX_EXCP_SYNTH | 0x208;
/// A process's first thread is about to run (job debugger only).
pub const ZX_EXCP_PROCESS_STARTING: zx_excp_type_t = ZX_EXCP_SYNTH | 0x308;

/// `ZX_EXCP_IS_ARCH(type)`: whether `excp_type` is architectural.
pub const fn ZX_EXCP_IS_ARCH(excp_type: zx_excp_type_t) -> bool {
    excp_type & ZX_EXCP_SYNTH == 0
}

/// `zx_task_create_exception_channel`: a debugger channel (processes and jobs only).
pub const ZX_EXCEPTION_CHANNEL_DEBUGGER: u32 = 1;

/// On close, pass the exception to the next handler (the default).
pub const ZX_EXCEPTION_STATE_TRY_NEXT: u32 = 0;
/// On close, resume the thread.
pub const ZX_EXCEPTION_STATE_HANDLED: u32 = 1;

/// Not waiting on an exception channel.
pub const ZX_EXCEPTION_CHANNEL_TYPE_NONE: u32 = 0;
/// A process's debugger channel.
pub const ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER: u32 = 1;
/// A thread's channel.
pub const ZX_EXCEPTION_CHANNEL_TYPE_THREAD: u32 = 2;
/// A process's channel.
pub const ZX_EXCEPTION_CHANNEL_TYPE_PROCESS: u32 = 3;
/// A job's channel.
pub const ZX_EXCEPTION_CHANNEL_TYPE_JOB: u32 = 4;
/// A job's debugger channel.
pub const ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER: u32 = 5;

wire_struct! {
    /// The data of every exception message (24 bytes).
    pub struct zx_exception_info_t {
        /// The koid of the faulting thread's process.
        pub pid: zx_koid_t,
        /// The koid of the faulting thread.
        pub tid: zx_koid_t,
        /// The exception type.
        pub r#type: zx_excp_type_t,
        /// Zero.
        pub padding1: [u8; 4],
    }
}

wire_struct! {
    /// The start of a `zx_exception_report_t`.
    pub struct zx_exception_header_t {
        /// The size of the whole report.
        pub size: u32,
        /// The exception type.
        pub r#type: zx_excp_type_t,
    }
}

wire_struct! {
    /// What an x86_64 CPU reported about an architectural exception.
    pub struct zx_x86_64_exc_data_t {
        /// The interrupt vector (14 for a page fault).
        pub vector: u64,
        /// The error code the CPU pushed, or 0.
        pub err_code: u64,
        /// The faulting address of a page fault (CR2), or 0.
        pub cr2: u64,
    }
}

wire_struct! {
    /// The architecture's exception data. The header's union of the x86_64 and arm64 records
    /// is 24 bytes; on x86_64 it holds the x86_64 record.
    pub struct zx_exception_context_t {
        /// `arch.u.x86_64`.
        pub x86_64: zx_x86_64_exc_data_t,
    }
}

wire_struct! {
    /// The report `ZX_INFO_THREAD_EXCEPTION_REPORT` returns (32 bytes).
    pub struct zx_exception_report_t {
        /// Size and type.
        pub header: zx_exception_header_t,
        /// The architectural data; zeros for synthetic exceptions.
        pub context: zx_exception_context_t,
    }
}
