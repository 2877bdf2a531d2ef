//! Turning backtrace addresses into function names and source lines.
//!
//! The kernel prints raw return addresses (`  #3 0xffffffff80012345`); the runner appends what
//! `addr2line` says about each one, using the kernel ELF with its debug information.

use std::path::Path;
use std::process::Command;

/// `line` with the symbol of its backtrace address appended, or `line` unchanged.
pub fn annotate(line: &str, kernel: Option<&Path>) -> String {
    let (Some(kernel), Some(address)) = (kernel, backtrace_address(line)) else {
        return line.to_string();
    };
    match lookup(kernel, address) {
        Some(symbol) => format!("{line}  {symbol}"),
        None => line.to_string(),
    }
}

/// The address of a backtrace line `  #N 0x...`.
fn backtrace_address(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix('#')?;
    let (_, address) = rest.split_once(' ')?;
    address.starts_with("0x").then_some(address.trim())
}

fn lookup(kernel: &Path, address: &str) -> Option<String> {
    let output = Command::new("addr2line")
        .args(["-f", "-C", "-i", "-e"])
        .arg(kernel)
        .arg(address)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    let function = lines.next()?;
    let location = lines.next().unwrap_or("?");
    let location = location.rsplit('/').take(2).collect::<Vec<_>>();
    let location = location.into_iter().rev().collect::<Vec<_>>().join("/");
    (function != "??").then(|| format!("{function} ({location})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_backtrace_addresses() {
        assert_eq!(
            backtrace_address("  #3 0xffffffff80012345"),
            Some("0xffffffff80012345")
        );
        assert_eq!(backtrace_address("backtrace:"), None);
        assert_eq!(backtrace_address("  RIP 0x1"), None);
    }
}
