//! The kernel command line: `key=value` words separated by spaces.
//!
//! Under QEMU it comes from the fw_cfg file `opt/spinel/cmdline` (see
//! [`crate::arch::x86_64::fw_cfg`]); elsewhere it is empty. Recognised keys: `log` (the log
//! level: error, warn, info, debug, trace), `test` (in a test build, run only tests whose name
//! contains the value) and `crash` (in a test build, run one deliberate crash instead).

use crate::arch::x86_64::fw_cfg;

/// Longest command line kept.
const MAX_LEN: usize = 1024;

struct CommandLine {
    bytes: [u8; MAX_LEN],
    len: usize,
}

static CMDLINE: spin::Once<CommandLine> = spin::Once::new();

/// Reads the command line from the firmware, once.
pub fn init() {
    CMDLINE.call_once(|| {
        let mut bytes = [0; MAX_LEN];
        let len = fw_cfg::read_file("opt/spinel/cmdline", &mut bytes).unwrap_or(0);
        CommandLine { bytes, len }
    });
}

/// The whole command line ("" before [`init`] or when there is none).
pub fn as_str() -> &'static str {
    let Some(cmdline) = CMDLINE.get() else {
        return "";
    };
    core::str::from_utf8(&cmdline.bytes[..cmdline.len])
        .unwrap_or("")
        .trim()
}

/// The value of `key=value`, or `Some("")` for a bare `key`.
pub fn get(key: &str) -> Option<&'static str> {
    as_str().split_ascii_whitespace().find_map(|word| {
        let (name, value) = word.split_once('=').unwrap_or((word, ""));
        (name == key).then_some(value)
    })
}
