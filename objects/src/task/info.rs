//! The C-layout records tasks report through `zx_object_get_info` (spec §2.1-§2.3, §10), and
//! the records of an exception (spec §9.2): plain structs with `to_bytes`, which writes the
//! exact layout of the x86_64 headers (little-endian, padding zeroed).

use crate::abi::{
    ExceptionChannelType, ExceptionType, Koid, ThreadState, ZX_CPU_SET_BITS_PER_WORD,
    ZX_CPU_SET_MAX_CPUS,
};

/// Words in a `zx_cpu_set_t`.
pub const CPU_SET_WORDS: usize = ZX_CPU_SET_MAX_CPUS / ZX_CPU_SET_BITS_PER_WORD;

/// `zx_info_process_t` (ruling 14.5): `{int64 return_code; bool started; bool exited;
/// bool debugger_attached; uint8 padding[5]}`.
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
    pub const SIZE: usize = 16;

    /// The record as user space sees it.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut out = [0; Self::SIZE];
        out[..8].copy_from_slice(&self.return_code.to_le_bytes());
        out[8] = self.started.into();
        out[9] = self.exited.into();
        out[10] = self.debugger_attached.into();
        out
    }
}

/// `zx_info_job_t`: `{int64 return_code; bool exited; bool kill_on_oom;
/// bool debugger_attached; uint8 padding[5]}`.
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
    pub const SIZE: usize = 16;

    /// The record as user space sees it.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut out = [0; Self::SIZE];
        out[..8].copy_from_slice(&self.return_code.to_le_bytes());
        out[8] = self.exited.into();
        out[9] = self.kill_on_oom.into();
        out[10] = self.debugger_attached.into();
        out
    }
}

/// `zx_info_thread_t`: `{uint32 state; uint32 wait_exception_channel_type;
/// zx_cpu_set_t cpu_affinity_mask}`.
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
    pub const SIZE: usize = 8 + 8 * CPU_SET_WORDS;

    /// The record as user space sees it.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut out = [0; Self::SIZE];
        out[..4].copy_from_slice(&self.state.into_raw().to_le_bytes());
        out[4..8].copy_from_slice(&(self.wait_exception_channel_type as u32).to_le_bytes());
        for (i, word) in self.cpu_affinity_mask.iter().enumerate() {
            out[8 + 8 * i..16 + 8 * i].copy_from_slice(&word.to_le_bytes());
        }
        out
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

/// `zx_exception_info_t`, the data of every exception message: `{zx_koid_t pid;
/// zx_koid_t tid; zx_excp_type_t type; uint8 padding[4]}`.
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
    pub const SIZE: usize = 24;

    /// The record as user space sees it.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut out = [0; Self::SIZE];
        out[..8].copy_from_slice(&self.pid.to_le_bytes());
        out[8..16].copy_from_slice(&self.tid.to_le_bytes());
        out[16..20].copy_from_slice(&self.kind.to_le_bytes());
        out
    }
}

/// `zx_x86_64_exc_data_t`: what the CPU said about an architectural exception.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct X86ExceptionData {
    /// The interrupt vector (14 for a page fault).
    pub vector: u64,
    /// The error code the CPU pushed, or 0.
    pub err_code: u64,
    /// The faulting address of a page fault (CR2), or 0.
    pub cr2: u64,
}

/// `zx_exception_report_t`, read through `ZX_INFO_THREAD_EXCEPTION_REPORT`: a header
/// `{uint32 size; zx_excp_type_t type}` and the x86_64 context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionReport {
    /// The exception type.
    pub kind: ExceptionType,
    /// The architectural data; zeros for synthetic exceptions.
    pub arch: X86ExceptionData,
}

impl ExceptionReport {
    /// `sizeof(zx_exception_report_t)`: the 8-byte header and the 24-byte context union.
    pub const SIZE: usize = 32;

    /// A report of a synthetic exception, with no architectural data.
    pub fn synthetic(kind: ExceptionType) -> ExceptionReport {
        ExceptionReport {
            kind,
            arch: X86ExceptionData::default(),
        }
    }

    /// The record as user space sees it.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut out = [0; Self::SIZE];
        out[..4].copy_from_slice(&(Self::SIZE as u32).to_le_bytes());
        out[4..8].copy_from_slice(&self.kind.to_le_bytes());
        out[8..16].copy_from_slice(&self.arch.vector.to_le_bytes());
        out[16..24].copy_from_slice(&self.arch.err_code.to_le_bytes());
        out[24..32].copy_from_slice(&self.arch.cr2.to_le_bytes());
        out
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
