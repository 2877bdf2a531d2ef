//! The bootstrap message: how the first process (`init`) gets its handles.
//!
//! The kernel starts `init` with a channel handle in its first argument register (`rdi`), the
//! process's end of the bootstrap channel, and `rsi` = 0. Exactly one message waits on that
//! channel:
//!
//! - bytes: a [`BootstrapHeader`] (24 bytes, little-endian), then `cmdline_len` bytes of the
//!   kernel command line, then `program_count` program names, each terminated by a NUL byte;
//! - handles, in this order: the process itself ([`HANDLE_PROCESS_SELF`]), its root VMAR, the
//!   root job, the initial thread, then one VMO per program holding that program's ELF file, in
//!   the order of the names.
//!
//! Every program built into the image is there, `init` included, so `init` can start the others
//! (and further copies of itself) from user space.
//!
//! Program VMOs carry `ZX_RIGHT_EXECUTE` (VMOs made by `zx_vmo_create` never do). A loader maps
//! a program's text and read-only segments straight from its VMO (ELF keeps `p_offset` and
//! `p_vaddr` congruent modulo the page size) and copies writable segments into fresh VMOs.
//!
//! `init` starts with `rsp` pointing 8 bytes below a 16-byte boundary, as right after a `call`,
//! so `_start` may be an ordinary `extern "C"` function; its stack is at least 256 KiB.

/// "SPNL", little-endian.
pub const BOOTSTRAP_MAGIC: u32 = u32::from_le_bytes(*b"SPNL");
/// The layout described here.
pub const BOOTSTRAP_VERSION: u32 = 1;

/// Index of the handle to the process itself.
pub const HANDLE_PROCESS_SELF: usize = 0;
/// Index of the handle to the process's root VMAR.
pub const HANDLE_ROOT_VMAR: usize = 1;
/// Index of the handle to the root job.
pub const HANDLE_ROOT_JOB: usize = 2;
/// Index of the handle to the initial thread.
pub const HANDLE_THREAD_SELF: usize = 3;
/// Index of the first program VMO.
pub const HANDLE_FIRST_PROGRAM: usize = 4;

/// The fixed-size start of the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BootstrapHeader {
    pub magic: u32,
    pub version: u32,
    /// Handles in the message (4 + `program_count`).
    pub handle_count: u32,
    /// Bytes of kernel command line after the header.
    pub cmdline_len: u32,
    /// Program names (and program VMOs) in the message.
    pub program_count: u32,
    /// Bytes of NUL-terminated names after the command line.
    pub names_len: u32,
}

impl BootstrapHeader {
    /// Size of the encoded header.
    pub const SIZE: usize = 24;

    /// The header's bytes.
    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let fields = [
            self.magic,
            self.version,
            self.handle_count,
            self.cmdline_len,
            self.program_count,
            self.names_len,
        ];
        let mut bytes = [0; Self::SIZE];
        for (chunk, field) in bytes.chunks_exact_mut(4).zip(fields) {
            chunk.copy_from_slice(&field.to_le_bytes());
        }
        bytes
    }

    /// Decodes a header; `None` when `bytes` is too short or the magic or version is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<BootstrapHeader> {
        let word = |i: usize| {
            Some(u32::from_le_bytes(
                bytes.get(i * 4..i * 4 + 4)?.try_into().ok()?,
            ))
        };
        let header = BootstrapHeader {
            magic: word(0)?,
            version: word(1)?,
            handle_count: word(2)?,
            cmdline_len: word(3)?,
            program_count: word(4)?,
            names_len: word(5)?,
        };
        (header.magic == BOOTSTRAP_MAGIC && header.version == BOOTSTRAP_VERSION).then_some(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_and_rejects_bad_magic() {
        let header = BootstrapHeader {
            magic: BOOTSTRAP_MAGIC,
            version: BOOTSTRAP_VERSION,
            handle_count: 6,
            cmdline_len: 3,
            program_count: 2,
            names_len: 10,
        };
        assert_eq!(
            BootstrapHeader::from_bytes(&header.to_bytes()),
            Some(header)
        );
        let mut bytes = header.to_bytes();
        bytes[0] ^= 1;
        assert_eq!(BootstrapHeader::from_bytes(&bytes), None);
        assert_eq!(BootstrapHeader::from_bytes(&bytes[..20]), None);
    }
}
