//! The records tasks report through `zx_object_get_info` (spec §2.1-§2.3, §10), and the
//! records of an exception (spec §9.2), in the kernel's typed form.
//!
//! Each record converts into its C struct of the ABI crate, which holds the one definition of
//! the layout; `to_bytes` is that struct's `Wire` encoding, the exact bytes of the x86_64
//! headers (little-endian, padding zeroed).

use syscalls_abi::{
    Wire, ZX_CPU_SET_BITS_PER_WORD, ZX_CPU_SET_MAX_CPUS, zx_cpu_set_t, zx_exception_context_t,
    zx_exception_header_t, zx_exception_info_t, zx_exception_report_t, zx_info_job_t,
    zx_info_process_t, zx_info_thread_t,
};

use crate::abi::{ExceptionChannelType, ExceptionType, Koid, ThreadState};

pub use syscalls_abi::ZX_CPU_SET_WORDS as CPU_SET_WORDS;
/// `zx_x86_64_exc_data_t`: what the CPU said about an architectural exception.
pub use syscalls_abi::zx_x86_64_exc_data_t as X86ExceptionData;

/// The `Wire` bytes of `record`, in an array of its size.
fn encode<const SIZE: usize>(record: &impl Wire) -> [u8; SIZE] {
    let mut out = [0; SIZE];
    record.encode(&mut out);
    out
}

/// `zx_info_process_t` (ruling 14.5), without its padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcessInfo {
    /// The return code; meaningful once `exited`.
    pub return_code: i64,
    /// Whether `process_start` succeeded.
    pub started: bool,
    /// Whether the process has ended (every thread dead).
    pub exited: bool,
    /// Whether a debugger exception channel is bound.
    pub debugger_attached: bool,
}

impl ProcessInfo {
    /// `sizeof(zx_info_process_t)`.
    pub const SIZE: usize = zx_info_process_t::SIZE;

    /// The record as user space sees it.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        encode(&zx_info_process_t::from(*self))
    }
}

impl From<ProcessInfo> for zx_info_process_t {
    fn from(info: ProcessInfo) -> Self {
        zx_info_process_t {
            return_code: info.return_code,
            started: info.started,
            exited: info.exited,
            debugger_attached: info.debugger_attached,
            padding1: [0; 5],
        }
    }
}

/// `zx_info_job_t`, without its padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobInfo {
    /// The return code of the kill that ended the job; meaningful once `exited`.
    pub return_code: i64,
    /// Whether the job is dead.
    pub exited: bool,
    /// `ZX_PROP_JOB_KILL_ON_OOM`.
    pub kill_on_oom: bool,
    /// Whether a debugger exception channel is bound.
    pub debugger_attached: bool,
}

impl JobInfo {
    /// `sizeof(zx_info_job_t)`.
    pub const SIZE: usize = zx_info_job_t::SIZE;

    /// The record as user space sees it.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        encode(&zx_info_job_t::from(*self))
    }
}

impl From<JobInfo> for zx_info_job_t {
    fn from(info: JobInfo) -> Self {
        zx_info_job_t {
            return_code: info.return_code,
            exited: info.exited,
            kill_on_oom: info.kill_on_oom,
            debugger_attached: info.debugger_attached,
            padding1: [0; 5],
        }
    }
}

/// `zx_info_thread_t`, with its state and channel type typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadInfo {
    /// `ZX_THREAD_STATE_*`.
    pub state: ThreadState,
    /// The channel the thread's exception waits on; `None` unless `BLOCKED_EXCEPTION`.
    pub wait_exception_channel_type: ExceptionChannelType,
    /// The CPUs the thread may run on, one bit each.
    pub cpu_affinity_mask: [u64; CPU_SET_WORDS],
}

impl ThreadInfo {
    /// `sizeof(zx_info_thread_t)`.
    pub const SIZE: usize = zx_info_thread_t::SIZE;

    /// The record as user space sees it.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        encode(&zx_info_thread_t::from(*self))
    }
}

impl From<ThreadInfo> for zx_info_thread_t {
    fn from(info: ThreadInfo) -> Self {
        zx_info_thread_t {
            state: info.state.into_raw(),
            wait_exception_channel_type: info.wait_exception_channel_type as u32,
            cpu_affinity_mask: zx_cpu_set_t {
                mask: info.cpu_affinity_mask,
            },
        }
    }
}

/// A `zx_cpu_set_t` naming the first `count` CPUs.
pub fn cpu_set_of_first(count: usize) -> [u64; CPU_SET_WORDS] {
    let mut set = [0u64; CPU_SET_WORDS];
    for cpu in 0..count.min(ZX_CPU_SET_MAX_CPUS) {
        set[cpu / ZX_CPU_SET_BITS_PER_WORD] |= 1 << (cpu % ZX_CPU_SET_BITS_PER_WORD);
    }
    set
}

/// `zx_exception_info_t`, the data of every exception message, without its padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionInfo {
    /// The koid of the faulting thread's process.
    pub pid: Koid,
    /// The koid of the faulting thread.
    pub tid: Koid,
    /// The exception type.
    pub kind: ExceptionType,
}

impl ExceptionInfo {
    /// `sizeof(zx_exception_info_t)`.
    pub const SIZE: usize = zx_exception_info_t::SIZE;

    /// The record as user space sees it.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        encode(&zx_exception_info_t::from(*self))
    }
}

impl From<ExceptionInfo> for zx_exception_info_t {
    fn from(info: ExceptionInfo) -> Self {
        zx_exception_info_t {
            pid: info.pid,
            tid: info.tid,
            r#type: info.kind,
            padding1: [0; 4],
        }
    }
}

/// `zx_exception_report_t`, read through `ZX_INFO_THREAD_EXCEPTION_REPORT`: the exception type
/// and the x86_64 context (the header's size is the record's own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionReport {
    /// The exception type.
    pub kind: ExceptionType,
    /// The architectural data; zeros for synthetic exceptions.
    pub arch: X86ExceptionData,
}

impl ExceptionReport {
    /// `sizeof(zx_exception_report_t)`: the 8-byte header and the 24-byte context union.
    pub const SIZE: usize = zx_exception_report_t::SIZE;

    /// A report of a synthetic exception, with no architectural data.
    pub fn synthetic(kind: ExceptionType) -> ExceptionReport {
        ExceptionReport {
            kind,
            arch: X86ExceptionData::default(),
        }
    }

    /// The record as user space sees it.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        encode(&zx_exception_report_t::from(*self))
    }
}

impl From<ExceptionReport> for zx_exception_report_t {
    fn from(report: ExceptionReport) -> Self {
        zx_exception_report_t {
            header: zx_exception_header_t {
                size: ExceptionReport::SIZE as u32,
                r#type: report.kind,
            },
            context: zx_exception_context_t {
                x86_64: report.arch,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_info_layout_puts_flags_after_the_return_code() {
        let info = ProcessInfo {
            return_code: -1024,
            started: true,
            exited: true,
            debugger_attached: false,
        };
        let bytes = info.to_bytes();
        assert_eq!(i64::from_le_bytes(bytes[..8].try_into().unwrap()), -1024);
        assert_eq!(&bytes[8..], &[1, 1, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn thread_info_is_72_bytes_with_the_affinity_mask_last() {
        let info = ThreadInfo {
            state: ThreadState::BlockedWaitOne,
            wait_exception_channel_type: ExceptionChannelType::None,
            cpu_affinity_mask: cpu_set_of_first(3),
        };
        let bytes = info.to_bytes();
        assert_eq!(bytes.len(), 72);
        assert_eq!(u32::from_le_bytes(bytes[..4].try_into().unwrap()), 0x603);
        assert_eq!(bytes[8], 0b111);
        assert!(bytes[9..].iter().all(|&b| b == 0));
    }

    #[test]
    fn cpu_sets_span_words() {
        let set = cpu_set_of_first(65);
        assert_eq!(set[0], u64::MAX);
        assert_eq!(set[1], 1);
        assert_eq!(cpu_set_of_first(1000)[CPU_SET_WORDS - 1], u64::MAX);
    }

    #[test]
    fn exception_records_have_the_header_sizes() {
        let info = ExceptionInfo {
            pid: 1,
            tid: 2,
            kind: 0x108,
        }
        .to_bytes();
        assert_eq!(info.len(), 24);
        assert_eq!(u32::from_le_bytes(info[16..20].try_into().unwrap()), 0x108);

        let report = ExceptionReport {
            kind: 0x108,
            arch: X86ExceptionData {
                vector: 14,
                err_code: 6,
                cr2: 0x1000,
            },
        }
        .to_bytes();
        assert_eq!(u32::from_le_bytes(report[..4].try_into().unwrap()), 32);
        assert_eq!(
            u64::from_le_bytes(report[24..32].try_into().unwrap()),
            0x1000
        );
    }
}
