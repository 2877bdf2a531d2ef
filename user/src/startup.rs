//! The startup message: what a program finds on the channel in its first argument register.
//!
//! Two layouts share the channel, told apart by their first four bytes:
//!
//! - `init` gets the kernel's bootstrap message (`syscalls_abi::bootstrap`, magic `SPNL`):
//!   the kernel command line, the program names, and the handles of its process, root VMAR,
//!   root job, thread and one VMO per program.
//! - Every other program gets the message its parent's [`ProcessBuilder`](crate::spawn)
//!   wrote, magic `SPST`:
//!
//! ```text
//! bytes:   StartupHeader (24 bytes, little-endian u32s)
//!            magic "SPST" | version 1 | arg_count | args_len | handle_count | reserved 0
//!          args: args_len bytes, arg_count UTF-8 strings each ended by a NUL
//! handles: [the process itself, its root VMAR, its first thread, then the parent's
//!           handles in the order they were added]   (handle_count in all)
//! ```
//!
//! Both fit in [`STARTUP_MAX_BYTES`] and [`STARTUP_MAX_HANDLES`]: the runtime reads the
//! message into stack buffers before the heap exists.

use alloc::string::String;
use alloc::vec::Vec;
use syscalls_abi::bootstrap::{BootstrapHeader, HANDLE_FIRST_PROGRAM};

/// "SPST", little-endian.
pub const STARTUP_MAGIC: u32 = u32::from_le_bytes(*b"SPST");
/// The layout described here.
pub const STARTUP_VERSION: u32 = 1;
/// The largest startup message, in bytes.
pub const STARTUP_MAX_BYTES: usize = 8192;
/// The most handles a startup message carries.
pub const STARTUP_MAX_HANDLES: usize = 64;
/// Handles every startup message starts with: process, root VMAR, thread.
pub const STARTUP_FIXED_HANDLES: usize = 3;
/// Index of the process's own handle.
pub const STARTUP_HANDLE_PROCESS: usize = 0;
/// Index of the root VMAR handle.
pub const STARTUP_HANDLE_ROOT_VMAR: usize = 1;
/// Index of the first thread's handle.
pub const STARTUP_HANDLE_THREAD: usize = 2;

/// Size of the startup header.
const HEADER_SIZE: usize = 24;

/// Why a startup or bootstrap message could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Malformed {
    /// Neither magic, or an unknown version.
    UnknownLayout,
    /// Shorter than its header says, or too large to build.
    Truncated,
    /// The header's handle count differs from the handles that came with the message.
    HandleCount,
    /// A string that is not UTF-8 or misses its NUL.
    BadString,
}

/// Encodes the bytes of a startup message with `args` for `extra_handles` handles after the
/// fixed three. Fails if it would exceed [`STARTUP_MAX_BYTES`] or [`STARTUP_MAX_HANDLES`].
pub fn encode(args: &[&str], extra_handles: usize) -> Result<Vec<u8>, Malformed> {
    let args_len: usize = args.iter().map(|arg| arg.len() + 1).sum();
    let handle_count = STARTUP_FIXED_HANDLES + extra_handles;
    if HEADER_SIZE + args_len > STARTUP_MAX_BYTES || handle_count > STARTUP_MAX_HANDLES {
        return Err(Malformed::Truncated);
    }
    if args.iter().any(|arg| arg.contains('\0')) {
        return Err(Malformed::BadString);
    }
    let header = [
        STARTUP_MAGIC,
        STARTUP_VERSION,
        args.len() as u32,
        args_len as u32,
        handle_count as u32,
        0,
    ];
    let mut bytes = Vec::with_capacity(HEADER_SIZE + args_len);
    header
        .iter()
        .for_each(|word| bytes.extend_from_slice(&word.to_le_bytes()));
    for arg in args {
        bytes.extend_from_slice(arg.as_bytes());
        bytes.push(0);
    }
    Ok(bytes)
}

/// Which layout a message has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The kernel's bootstrap message (`init`).
    Bootstrap,
    /// A parent's startup message.
    Startup,
}

/// Tells the layout from the first bytes.
pub fn layout(bytes: &[u8]) -> Result<Layout, Malformed> {
    let magic = bytes.get(..4).ok_or(Malformed::Truncated)?;
    match u32::from_le_bytes(magic.try_into().expect("4 bytes")) {
        STARTUP_MAGIC => Ok(Layout::Startup),
        syscalls_abi::bootstrap::BOOTSTRAP_MAGIC => Ok(Layout::Bootstrap),
        _ => Err(Malformed::UnknownLayout),
    }
}

/// Reads `count` NUL-terminated UTF-8 strings that fill `bytes` exactly.
fn strings(bytes: &[u8], count: usize) -> Result<Vec<String>, Malformed> {
    let mut out = Vec::with_capacity(count);
    let mut rest = bytes;
    for _ in 0..count {
        let end = rest
            .iter()
            .position(|&b| b == 0)
            .ok_or(Malformed::BadString)?;
        let text = core::str::from_utf8(&rest[..end]).map_err(|_| Malformed::BadString)?;
        out.push(String::from(text));
        rest = &rest[end + 1..];
    }
    if rest.is_empty() {
        Ok(out)
    } else {
        Err(Malformed::BadString)
    }
}

/// Reads the little-endian `u32` word `index` of `bytes`.
fn word(bytes: &[u8], index: usize) -> u32 {
    u32::from_le_bytes(bytes[index * 4..index * 4 + 4].try_into().expect("4 bytes"))
}

/// Parses a startup message that came with `handle_count` handles: its arguments.
pub fn parse_startup(bytes: &[u8], handle_count: usize) -> Result<Vec<String>, Malformed> {
    if bytes.len() < HEADER_SIZE {
        return Err(Malformed::Truncated);
    }
    if word(bytes, 0) != STARTUP_MAGIC || word(bytes, 1) != STARTUP_VERSION {
        return Err(Malformed::UnknownLayout);
    }
    let (arg_count, args_len) = (word(bytes, 2) as usize, word(bytes, 3) as usize);
    let declared_handles = word(bytes, 4) as usize;
    if declared_handles != handle_count || handle_count < STARTUP_FIXED_HANDLES {
        return Err(Malformed::HandleCount);
    }
    let args = bytes
        .get(HEADER_SIZE..)
        .filter(|rest| rest.len() == args_len);
    strings(args.ok_or(Malformed::Truncated)?, arg_count)
}

/// What the bootstrap message says besides its handles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootstrapText {
    /// The kernel command line.
    pub cmdline: String,
    /// The program names, in the order of the program VMOs.
    pub program_names: Vec<String>,
}

/// Parses the kernel's bootstrap message that came with `handle_count` handles.
pub fn parse_bootstrap(bytes: &[u8], handle_count: usize) -> Result<BootstrapText, Malformed> {
    let header = BootstrapHeader::from_bytes(bytes).ok_or(Malformed::UnknownLayout)?;
    let programs = header.program_count as usize;
    if header.handle_count as usize != handle_count
        || handle_count != HANDLE_FIRST_PROGRAM + programs
    {
        return Err(Malformed::HandleCount);
    }
    let cmdline_end = BootstrapHeader::SIZE + header.cmdline_len as usize;
    let names_end = cmdline_end + header.names_len as usize;
    if names_end != bytes.len() {
        return Err(Malformed::Truncated);
    }
    let cmdline = core::str::from_utf8(&bytes[BootstrapHeader::SIZE..cmdline_end])
        .map_err(|_| Malformed::BadString)?;
    Ok(BootstrapText {
        cmdline: String::from(cmdline),
        program_names: strings(&bytes[cmdline_end..names_end], programs)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use syscalls_abi::bootstrap::{BOOTSTRAP_MAGIC, BOOTSTRAP_VERSION};

    #[test]
    fn startup_messages_round_trip() {
        let bytes = encode(&["conformance", "run", "case_name"], 2).unwrap();
        assert_eq!(layout(&bytes), Ok(Layout::Startup));
        let args = parse_startup(&bytes, 5).unwrap();
        assert_eq!(args, ["conformance", "run", "case_name"]);
    }

    #[test]
    fn an_empty_argument_list_is_just_the_header() {
        let bytes = encode(&[], 0).unwrap();
        assert_eq!(bytes.len(), HEADER_SIZE);
        assert_eq!(parse_startup(&bytes, 3).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn a_handle_count_mismatch_is_refused() {
        let bytes = encode(&["x"], 1).unwrap();
        assert_eq!(parse_startup(&bytes, 3), Err(Malformed::HandleCount));
    }

    #[test]
    fn truncated_or_unterminated_arguments_are_refused() {
        let bytes = encode(&["abc", "de"], 0).unwrap();
        assert_eq!(
            parse_startup(&bytes[..bytes.len() - 1], 3),
            Err(Malformed::Truncated)
        );
        let mut unterminated = bytes.clone();
        let last = unterminated.len() - 1;
        unterminated[last] = b'x';
        assert_eq!(parse_startup(&unterminated, 3), Err(Malformed::BadString));
        assert_eq!(encode(&["a\0b"], 0), Err(Malformed::BadString));
    }

    #[test]
    fn oversized_messages_are_refused_when_encoding() {
        let long = "x".repeat(STARTUP_MAX_BYTES);
        assert_eq!(encode(&[&long], 0), Err(Malformed::Truncated));
        assert_eq!(encode(&[], STARTUP_MAX_HANDLES), Err(Malformed::Truncated));
    }

    fn bootstrap_bytes(cmdline: &str, names: &[&str]) -> Vec<u8> {
        let names_len: usize = names.iter().map(|n| n.len() + 1).sum();
        let header = BootstrapHeader {
            magic: BOOTSTRAP_MAGIC,
            version: BOOTSTRAP_VERSION,
            handle_count: (HANDLE_FIRST_PROGRAM + names.len()) as u32,
            cmdline_len: cmdline.len() as u32,
            program_count: names.len() as u32,
            names_len: names_len as u32,
        };
        let mut bytes = header.to_bytes().to_vec();
        bytes.extend_from_slice(cmdline.as_bytes());
        for name in names {
            bytes.extend_from_slice(name.as_bytes());
            bytes.push(0);
        }
        bytes
    }

    #[test]
    fn bootstrap_messages_give_the_command_line_and_program_names() {
        let bytes = bootstrap_bytes("spinel.mode=test", &["init", "conformance"]);
        assert_eq!(layout(&bytes), Ok(Layout::Bootstrap));
        let text = parse_bootstrap(&bytes, 6).unwrap();
        assert_eq!(text.cmdline, "spinel.mode=test");
        assert_eq!(text.program_names, ["init", "conformance"]);
        assert_eq!(parse_bootstrap(&bytes, 5), Err(Malformed::HandleCount));
        assert_eq!(
            parse_bootstrap(&bytes[..bytes.len() - 1], 6),
            Err(Malformed::Truncated)
        );
    }

    #[test]
    fn unknown_magic_is_an_unknown_layout() {
        assert_eq!(layout(b"ELF\x7f...."), Err(Malformed::UnknownLayout));
        assert_eq!(layout(b"SP"), Err(Malformed::Truncated));
    }
}
