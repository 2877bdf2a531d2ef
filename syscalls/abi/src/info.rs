//! `zx_object_get_info` topics and records (`zircon/syscalls/object.h`, spec §2 and §10).
//!
//! Where Zircon has revised a record, Spinel answers one revision, named here: the process
//! record of ruling 14.5 and revision 1 of the VMO record (`ZX_INFO_VMO_V1`, topic 23; the
//! later revisions' topic values, which carry a version in bits 28 to 31, are
//! `ZX_ERR_NOT_SUPPORTED`).

use super::object::ZX_MAX_NAME_LEN;
use super::task::ZX_CPU_SET_WORDS;
use super::types::{zx_koid_t, zx_obj_props_t, zx_obj_type_t, zx_object_info_topic_t, zx_rights_t};
use super::wire::wire_struct;

/// No topic.
pub const ZX_INFO_NONE: zx_object_info_topic_t = 0;
/// Whether the handle is valid; no record.
pub const ZX_INFO_HANDLE_VALID: zx_object_info_topic_t = 1;
/// [`zx_info_handle_basic_t`].
pub const ZX_INFO_HANDLE_BASIC: zx_object_info_topic_t = 2;
/// [`zx_info_process_t`].
pub const ZX_INFO_PROCESS: zx_object_info_topic_t = 3;
/// The koids of a process's threads.
pub const ZX_INFO_PROCESS_THREADS: zx_object_info_topic_t = 4;
/// [`zx_info_vmar_t`].
pub const ZX_INFO_VMAR: zx_object_info_topic_t = 7;
/// The koids of a job's child jobs.
pub const ZX_INFO_JOB_CHILDREN: zx_object_info_topic_t = 8;
/// The koids of a job's processes.
pub const ZX_INFO_JOB_PROCESSES: zx_object_info_topic_t = 9;
/// [`zx_info_thread_t`].
pub const ZX_INFO_THREAD: zx_object_info_topic_t = 10;
/// [`zx_exception_report_t`](super::exception::zx_exception_report_t).
pub const ZX_INFO_THREAD_EXCEPTION_REPORT: zx_object_info_topic_t = 11;
/// Task statistics.
pub const ZX_INFO_TASK_STATS: zx_object_info_topic_t = 12;
/// A process's mappings.
pub const ZX_INFO_PROCESS_MAPS: zx_object_info_topic_t = 13;
/// A process's VMOs.
pub const ZX_INFO_PROCESS_VMOS: zx_object_info_topic_t = 14;
/// Thread statistics.
pub const ZX_INFO_THREAD_STATS: zx_object_info_topic_t = 15;
/// CPU statistics.
pub const ZX_INFO_CPU_STATS: zx_object_info_topic_t = 16;
/// Kernel memory statistics.
pub const ZX_INFO_KMEM_STATS: zx_object_info_topic_t = 17;
/// A resource.
pub const ZX_INFO_RESOURCE: zx_object_info_topic_t = 18;
/// [`zx_info_handle_count_t`].
pub const ZX_INFO_HANDLE_COUNT: zx_object_info_topic_t = 19;
/// A bus transaction initiator.
pub const ZX_INFO_BTI: zx_object_info_topic_t = 20;
/// A process's handle statistics.
pub const ZX_INFO_PROCESS_HANDLE_STATS: zx_object_info_topic_t = 21;
/// A socket.
pub const ZX_INFO_SOCKET: zx_object_info_topic_t = 22;
/// [`zx_info_vmo_t`] (revision 1).
pub const ZX_INFO_VMO: zx_object_info_topic_t = 23;
/// [`zx_info_job_t`].
pub const ZX_INFO_JOB: zx_object_info_topic_t = 24;
/// A timer.
pub const ZX_INFO_TIMER: zx_object_info_topic_t = 25;
/// A stream.
pub const ZX_INFO_STREAM: zx_object_info_topic_t = 26;
/// A process's handle table.
pub const ZX_INFO_HANDLE_TABLE: zx_object_info_topic_t = 27;
/// A message-signaled interrupt.
pub const ZX_INFO_MSI: zx_object_info_topic_t = 28;

wire_struct! {
    /// `ZX_INFO_HANDLE_BASIC` (32 bytes).
    pub struct zx_info_handle_basic_t {
        /// The object's koid.
        pub koid: zx_koid_t,
        /// The handle's rights.
        pub rights: zx_rights_t,
        /// The object's type.
        pub r#type: zx_obj_type_t,
        /// The peer of a channel or event pair, the job of a process, the process of a
        /// thread, the parent of a job; else 0.
        pub related_koid: zx_koid_t,
        /// `ZX_OBJ_PROP_WAITABLE` or `ZX_OBJ_PROP_NONE`.
        pub props: zx_obj_props_t,
        /// Zero.
        pub padding1: [u8; 4],
    }
}

wire_struct! {
    /// `ZX_INFO_HANDLE_COUNT`.
    pub struct zx_info_handle_count_t {
        /// How many handles refer to the object.
        pub handle_count: u32,
    }
}

wire_struct! {
    /// `ZX_INFO_PROCESS` (ruling 14.5; 16 bytes).
    pub struct zx_info_process_t {
        /// The return code; meaningful once `exited`.
        pub return_code: i64,
        /// Whether `zx_process_start` succeeded.
        pub started: bool,
        /// Whether the process has ended.
        pub exited: bool,
        /// Whether a debugger exception channel is bound.
        pub debugger_attached: bool,
        /// Zero.
        pub padding1: [u8; 5],
    }
}

wire_struct! {
    /// `ZX_INFO_JOB` (16 bytes).
    pub struct zx_info_job_t {
        /// The return code of the kill that ended the job; meaningful once `exited`.
        pub return_code: i64,
        /// Whether the job is dead.
        pub exited: bool,
        /// `ZX_PROP_JOB_KILL_ON_OOM`.
        pub kill_on_oom: bool,
        /// Whether a debugger exception channel is bound.
        pub debugger_attached: bool,
        /// Zero.
        pub padding1: [u8; 5],
    }
}

wire_struct! {
    /// A set of CPUs, one bit each.
    pub struct zx_cpu_set_t {
        /// Bit `n % 64` of word `n / 64` names CPU `n`.
        pub mask: [u64; ZX_CPU_SET_WORDS],
    }
}

wire_struct! {
    /// `ZX_INFO_THREAD` (72 bytes).
    pub struct zx_info_thread_t {
        /// `ZX_THREAD_STATE_*`.
        pub state: u32,
        /// `ZX_EXCEPTION_CHANNEL_TYPE_*` while `ZX_THREAD_STATE_BLOCKED_EXCEPTION`.
        pub wait_exception_channel_type: u32,
        /// The CPUs the thread may run on.
        pub cpu_affinity_mask: zx_cpu_set_t,
    }
}

wire_struct! {
    /// `ZX_INFO_VMAR` (16 bytes).
    pub struct zx_info_vmar_t {
        /// The first address.
        pub base: usize,
        /// The size in bytes.
        pub len: usize,
    }
}

/// `zx_info_vmo_t.flags`: backed by paged memory (every Spinel VMO).
pub const ZX_INFO_VMO_TYPE_PAGED: u32 = 1 << 0;
/// `zx_info_vmo_t.flags`: resizable.
pub const ZX_INFO_VMO_RESIZABLE: u32 = 1 << 1;
/// `zx_info_vmo_t.flags`: a copy-on-write clone.
pub const ZX_INFO_VMO_IS_COW_CLONE: u32 = 1 << 2;
/// `zx_info_vmo_t.flags`: the record came through a handle.
pub const ZX_INFO_VMO_VIA_HANDLE: u32 = 1 << 3;
/// `zx_info_vmo_t.flags`: the record came through a mapping.
pub const ZX_INFO_VMO_VIA_MAPPING: u32 = 1 << 4;
/// `zx_info_vmo_t.flags`: backed by a pager.
pub const ZX_INFO_VMO_PAGER_BACKED: u32 = 1 << 5;
/// `zx_info_vmo_t.flags`: physically contiguous.
pub const ZX_INFO_VMO_CONTIGUOUS: u32 = 1 << 6;
/// `zx_info_vmo_t.flags`: discardable.
pub const ZX_INFO_VMO_DISCARDABLE: u32 = 1 << 7;

/// `zx_info_vmo_t.cache_policy`: ordinary cached memory.
pub const ZX_CACHE_POLICY_CACHED: u32 = 0;

wire_struct! {
    /// `ZX_INFO_VMO`, revision 1 (`zx_info_vmo_v1_t`, 104 bytes).
    pub struct zx_info_vmo_t {
        /// The VMO's koid.
        pub koid: zx_koid_t,
        /// Its name, NUL-terminated.
        pub name: [u8; ZX_MAX_NAME_LEN],
        /// Its size in bytes.
        pub size_bytes: u64,
        /// The koid of the VMO it was cloned from, or 0.
        pub parent_koid: zx_koid_t,
        /// How many clones it has.
        pub num_children: usize,
        /// How many mappings show it.
        pub num_mappings: usize,
        /// How many holders share it.
        pub share_count: usize,
        /// `ZX_INFO_VMO_*`.
        pub flags: u32,
        /// Zero.
        pub padding1: [u8; 4],
        /// The bytes of its committed pages.
        pub committed_bytes: u64,
        /// The rights of the handle asked through.
        pub handle_rights: zx_rights_t,
        /// `ZX_CACHE_POLICY_*`.
        pub cache_policy: u32,
    }
}
