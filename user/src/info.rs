//! The records `zx_object_get_info` writes, decoded from their x86_64 C layout (spec §10,
//! §2.1-§2.3, §9.2), and object names.
//!
//! Records are read into byte buffers and decoded field by field (little-endian), so no
//! record type needs to be transmuted from memory the kernel wrote.

use syscalls_abi::ZX_MAX_NAME_LEN;

/// A kernel object id (`zx_koid_t`).
pub type Koid = u64;

/// Reads the little-endian `u32` at `offset`.
fn u32_at(bytes: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes(bytes[offset..offset + 4].try_into().expect("4 bytes"))
}

/// Reads the little-endian `u64` at `offset`.
fn u64_at(bytes: &[u8], offset: usize) -> u64 {
    u64::from_le_bytes(bytes[offset..offset + 8].try_into().expect("8 bytes"))
}

/// `zx_info_handle_basic_t` (`ZX_INFO_HANDLE_BASIC`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandleBasicInfo {
    /// The object's koid.
    pub koid: Koid,
    /// The handle's rights.
    pub rights: crate::Rights,
    /// `ZX_OBJ_TYPE_*`.
    pub object_type: u32,
    /// The related object's koid (channel peer, a thread's process, a process's job), or 0.
    pub related_koid: Koid,
    /// `ZX_OBJ_PROP_WAITABLE` if the object can be waited on.
    pub props: u32,
}

impl HandleBasicInfo {
    /// `sizeof(zx_info_handle_basic_t)`.
    pub const SIZE: usize = 32;

    /// Decodes the record.
    pub fn from_bytes(bytes: &[u8; Self::SIZE]) -> HandleBasicInfo {
        HandleBasicInfo {
            koid: u64_at(bytes, 0),
            rights: crate::Rights::from_bits_retain(u32_at(bytes, 8)),
            object_type: u32_at(bytes, 12),
            related_koid: u64_at(bytes, 16),
            props: u32_at(bytes, 24),
        }
    }
}

/// `zx_info_process_t` (`ZX_INFO_PROCESS`, ruling 14.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcessInfo {
    /// The return code; meaningful once `exited`.
    pub return_code: i64,
    /// Whether `zx_process_start` succeeded.
    pub started: bool,
    /// Whether the process has ended.
    pub exited: bool,
    /// Whether a debugger exception channel is bound.
    pub debugger_attached: bool,
}

impl ProcessInfo {
    /// `sizeof(zx_info_process_t)`.
    pub const SIZE: usize = 16;

    /// Decodes the record.
    pub fn from_bytes(bytes: &[u8; Self::SIZE]) -> ProcessInfo {
        ProcessInfo {
            return_code: u64_at(bytes, 0) as i64,
            started: bytes[8] != 0,
            exited: bytes[9] != 0,
            debugger_attached: bytes[10] != 0,
        }
    }
}

/// `zx_info_job_t` (`ZX_INFO_JOB`).
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

    /// Decodes the record.
    pub fn from_bytes(bytes: &[u8; Self::SIZE]) -> JobInfo {
        JobInfo {
            return_code: u64_at(bytes, 0) as i64,
            exited: bytes[8] != 0,
            kill_on_oom: bytes[9] != 0,
            debugger_attached: bytes[10] != 0,
        }
    }
}

/// `zx_info_thread_t` (`ZX_INFO_THREAD`), without the CPU affinity mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadInfo {
    /// `ZX_THREAD_STATE_*`.
    pub state: u32,
    /// `ZX_EXCEPTION_CHANNEL_TYPE_*` of the channel the thread's exception waits on.
    pub wait_exception_channel_type: u32,
}

impl ThreadInfo {
    /// `sizeof(zx_info_thread_t)`: two `u32`s and a 512-bit `zx_cpu_set_t`.
    pub const SIZE: usize = 8 + 64;

    /// Decodes the record.
    pub fn from_bytes(bytes: &[u8; Self::SIZE]) -> ThreadInfo {
        ThreadInfo {
            state: u32_at(bytes, 0),
            wait_exception_channel_type: u32_at(bytes, 4),
        }
    }
}

/// `zx_info_vmar_t` (`ZX_INFO_VMAR`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VmarInfo {
    /// The first address of the region.
    pub base: usize,
    /// Its length in bytes.
    pub len: usize,
}

impl VmarInfo {
    /// `sizeof(zx_info_vmar_t)`.
    pub const SIZE: usize = 16;

    /// Decodes the record.
    pub fn from_bytes(bytes: &[u8; Self::SIZE]) -> VmarInfo {
        VmarInfo {
            base: u64_at(bytes, 0) as usize,
            len: u64_at(bytes, 8) as usize,
        }
    }
}

/// `zx_info_vmo_t` (`ZX_INFO_VMO`, revision 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VmoInfo {
    /// The VMO's koid.
    pub koid: Koid,
    /// Its name.
    pub name: Name,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// The koid of the VMO it was made from, or 0.
    pub parent_koid: Koid,
    /// How many child VMOs it has.
    pub num_children: usize,
    /// How many mappings show it.
    pub num_mappings: usize,
    /// How many holders share it.
    pub share_count: usize,
    /// `ZX_INFO_VMO_*`.
    pub flags: u32,
    /// The bytes of its committed pages.
    pub committed_bytes: u64,
    /// The rights of the handle the record was asked through.
    pub handle_rights: crate::Rights,
    /// `ZX_CACHE_POLICY_*`.
    pub cache_policy: u32,
}

impl VmoInfo {
    /// `sizeof(zx_info_vmo_t)`.
    pub const SIZE: usize = 104;

    /// Decodes the record.
    pub fn from_bytes(bytes: &[u8; Self::SIZE]) -> VmoInfo {
        VmoInfo {
            koid: u64_at(bytes, 0),
            name: Name::from_bytes(&bytes[8..8 + ZX_MAX_NAME_LEN]),
            size_bytes: u64_at(bytes, 40),
            parent_koid: u64_at(bytes, 48),
            num_children: u64_at(bytes, 56) as usize,
            num_mappings: u64_at(bytes, 64) as usize,
            share_count: u64_at(bytes, 72) as usize,
            flags: u32_at(bytes, 80),
            committed_bytes: u64_at(bytes, 88),
            handle_rights: crate::Rights::from_bits_retain(u32_at(bytes, 96)),
            cache_policy: u32_at(bytes, 100),
        }
    }
}

/// `zx_exception_info_t`: the data of every exception-channel message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionInfo {
    /// The koid of the faulting thread's process.
    pub pid: Koid,
    /// The koid of the faulting thread.
    pub tid: Koid,
    /// `ZX_EXCP_*`.
    pub kind: u32,
}

impl ExceptionInfo {
    /// `sizeof(zx_exception_info_t)`.
    pub const SIZE: usize = 24;

    /// Decodes the record.
    pub fn from_bytes(bytes: &[u8; Self::SIZE]) -> ExceptionInfo {
        ExceptionInfo {
            pid: u64_at(bytes, 0),
            tid: u64_at(bytes, 8),
            kind: u32_at(bytes, 16),
        }
    }
}

/// `zx_exception_report_t` (`ZX_INFO_THREAD_EXCEPTION_REPORT`) with x86_64 data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionReport {
    /// `ZX_EXCP_*`.
    pub kind: u32,
    /// The CPU's vector (14 for a page fault).
    pub vector: u64,
    /// The CPU's error code.
    pub err_code: u64,
    /// The faulting address of a page fault.
    pub cr2: u64,
}

impl ExceptionReport {
    /// `sizeof(zx_exception_report_t)`.
    pub const SIZE: usize = 32;

    /// Decodes the record.
    pub fn from_bytes(bytes: &[u8; Self::SIZE]) -> ExceptionReport {
        ExceptionReport {
            kind: u32_at(bytes, 4),
            vector: u64_at(bytes, 8),
            err_code: u64_at(bytes, 16),
            cr2: u64_at(bytes, 24),
        }
    }
}

/// Decodes an array of koids (`ZX_INFO_PROCESS_THREADS`, `ZX_INFO_JOB_CHILDREN`, ...).
pub fn koids_from_bytes(bytes: &[u8], count: usize) -> impl Iterator<Item = Koid> + '_ {
    bytes
        .chunks_exact(8)
        .take(count)
        .map(|chunk| u64_at(chunk, 0))
}

/// An object name (`ZX_PROP_NAME`): at most `ZX_MAX_NAME_LEN - 1` bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Name {
    bytes: [u8; ZX_MAX_NAME_LEN],
    len: usize,
}

impl Name {
    /// The name in `bytes`, up to the first NUL.
    pub fn from_bytes(bytes: &[u8]) -> Name {
        let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        let len = len.min(ZX_MAX_NAME_LEN - 1);
        let mut name = Name {
            bytes: [0; ZX_MAX_NAME_LEN],
            len,
        };
        name.bytes[..len].copy_from_slice(&bytes[..len]);
        name
    }

    /// The name's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl core::fmt::Display for Name {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(core::str::from_utf8(self.as_bytes()).unwrap_or("<not UTF-8>"))
    }
}

impl core::fmt::Debug for Name {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{:?}",
            core::str::from_utf8(self.as_bytes()).unwrap_or("<not UTF-8>")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_info_reads_flags_after_the_return_code() {
        let mut bytes = [0u8; ProcessInfo::SIZE];
        bytes[..8].copy_from_slice(&(-1028i64).to_le_bytes());
        bytes[8] = 1;
        bytes[9] = 1;
        let info = ProcessInfo::from_bytes(&bytes);
        assert_eq!(info.return_code, -1028);
        assert!(info.started && info.exited && !info.debugger_attached);
    }

    #[test]
    fn handle_basic_info_fields_sit_at_their_c_offsets() {
        let mut bytes = [0u8; HandleBasicInfo::SIZE];
        bytes[..8].copy_from_slice(&1025u64.to_le_bytes());
        bytes[8..12].copy_from_slice(&0x4_000eu32.to_le_bytes());
        bytes[12..16].copy_from_slice(&4u32.to_le_bytes());
        bytes[16..24].copy_from_slice(&1026u64.to_le_bytes());
        bytes[24..28].copy_from_slice(&1u32.to_le_bytes());
        let info = HandleBasicInfo::from_bytes(&bytes);
        assert_eq!(
            (info.koid, info.object_type, info.related_koid),
            (1025, 4, 1026)
        );
        assert_eq!(info.rights.bits(), 0x4_000e);
        assert_eq!(info.props, 1);
    }

    #[test]
    fn exception_report_skips_the_size_word() {
        let mut bytes = [0u8; ExceptionReport::SIZE];
        bytes[..4].copy_from_slice(&32u32.to_le_bytes());
        bytes[4..8].copy_from_slice(&0x108u32.to_le_bytes());
        bytes[8..16].copy_from_slice(&14u64.to_le_bytes());
        bytes[24..32].copy_from_slice(&0xdeadu64.to_le_bytes());
        let report = ExceptionReport::from_bytes(&bytes);
        assert_eq!(
            (report.kind, report.vector, report.cr2),
            (0x108, 14, 0xdead)
        );
    }

    #[test]
    fn vmo_info_fields_sit_at_their_c_offsets() {
        let mut bytes = [0u8; VmoInfo::SIZE];
        bytes[..8].copy_from_slice(&1030u64.to_le_bytes());
        bytes[8..11].copy_from_slice(b"vmo");
        bytes[40..48].copy_from_slice(&8192u64.to_le_bytes());
        bytes[64..72].copy_from_slice(&2u64.to_le_bytes());
        bytes[72..80].copy_from_slice(&3u64.to_le_bytes());
        bytes[80..84].copy_from_slice(&0xbu32.to_le_bytes());
        bytes[88..96].copy_from_slice(&4096u64.to_le_bytes());
        bytes[96..100].copy_from_slice(&0x1_d00fu32.to_le_bytes());
        let info = VmoInfo::from_bytes(&bytes);
        assert_eq!((info.koid, info.name.as_bytes()), (1030, b"vmo".as_slice()));
        assert_eq!((info.size_bytes, info.committed_bytes), (8192, 4096));
        assert_eq!((info.num_mappings, info.share_count), (2, 3));
        assert_eq!((info.flags, info.handle_rights.bits()), (0xb, 0x1_d00f));
        assert_eq!(
            (info.parent_koid, info.num_children, info.cache_policy),
            (0, 0, 0)
        );
    }

    #[test]
    fn names_stop_at_nul_and_at_31_bytes() {
        assert_eq!(Name::from_bytes(b"init\0junk").as_bytes(), b"init");
        let long = [b'x'; 40];
        assert_eq!(Name::from_bytes(&long).as_bytes().len(), 31);
    }

    #[test]
    fn koid_arrays_decode_in_order() {
        let mut bytes = [0u8; 24];
        bytes[..8].copy_from_slice(&7u64.to_le_bytes());
        bytes[8..16].copy_from_slice(&9u64.to_le_bytes());
        let koids: Vec<_> = koids_from_bytes(&bytes, 2).collect();
        assert_eq!(koids, [7, 9]);
    }
}
