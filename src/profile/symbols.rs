//! What the profiler knows of the two ELF files it traces through, asked of the host's binutils
//! (as the runner's backtrace symbolizer does): function start addresses from `nm`, the `rdtsc`
//! instructions that bound a benchmark span from `objdump`, and inlined source lines from
//! `addr2line`.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// The functions of one ELF file, by start address.
pub struct Symbols {
    /// (start address, demangled name), sorted by address.
    functions: Vec<(u64, String)>,
}

impl Symbols {
    /// Reads the text symbols of `elf`.
    pub fn load(elf: &Path) -> Result<Symbols, String> {
        let listing = run_tool("nm", &["-C", "-n", "--defined-only"], elf)?;
        Ok(Symbols::parse(&listing))
    }

    fn parse(listing: &str) -> Symbols {
        let mut functions: Vec<(u64, String)> = listing.lines().filter_map(text_symbol).collect();
        functions.sort_by_key(|(address, _)| *address);
        Symbols { functions }
    }

    /// The function `address` lies in: the nearest symbol at or below it.
    pub fn function_at(&self, address: u64) -> Option<&str> {
        let after = self
            .functions
            .partition_point(|(start, _)| *start <= address);
        let (_, name) = self.functions.get(after.checked_sub(1)?)?;
        Some(name)
    }
}

/// A `nm` line naming a text symbol: `<address> <t|T|w|W> <name>`, the name without the hash
/// suffix of legacy Rust mangling.
fn text_symbol(line: &str) -> Option<(u64, String)> {
    let mut fields = line.splitn(3, ' ');
    let address = u64::from_str_radix(fields.next()?, 16).ok()?;
    let kind = fields.next()?;
    let name = fields.next()?;
    if !matches!(kind, "t" | "T" | "w" | "W") {
        return None;
    }
    Some((address, without_hash(name).to_string()))
}

/// `name` without a trailing `::h<16 hex digits>`.
fn without_hash(name: &str) -> &str {
    match name.rsplit_once("::h") {
        Some((stem, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            stem
        }
        _ => name,
    }
}

/// The addresses of every `rdtsc` and `rdtscp` instruction in `elf`: where a benchmark's spans
/// begin and end (each span is the difference of two reads).
pub fn span_markers(elf: &Path) -> Result<Vec<u64>, String> {
    let listing = run_tool("objdump", &["-d", "--no-show-raw-insn"], elf)?;
    Ok(listing.lines().filter_map(tsc_read).collect())
}

/// An `objdump -d` line `  <address>:\t<mnemonic> ...` whose mnemonic reads the TSC.
fn tsc_read(line: &str) -> Option<u64> {
    let (address, instruction) = line.trim_start().split_once(":\t")?;
    let mnemonic = instruction.split_whitespace().next()?;
    matches!(mnemonic, "rdtsc" | "rdtscp")
        .then(|| u64::from_str_radix(address, 16).ok())
        .flatten()
}

/// One level of an address's inline chain: the function and its source line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub function: String,
    /// `file:line`, the file without its directories.
    pub location: String,
}

/// The inline chain of each of `addresses` in `elf`, innermost first.
pub fn inline_frames(elf: &Path, addresses: &[u64]) -> Result<HashMap<u64, Vec<Frame>>, String> {
    let mut frames = HashMap::new();
    // A few thousand addresses at a time keep the command line short.
    for chunk in addresses.chunks(2048) {
        let arguments: Vec<String> = chunk.iter().map(|a| format!("{a:#x}")).collect();
        let mut command = Command::new("addr2line");
        command
            .args(["-f", "-C", "-i", "-a", "-e"])
            .arg(elf)
            .args(&arguments);
        let output = command
            .output()
            .map_err(|e| format!("running addr2line: {e}"))?;
        parse_addr2line(&String::from_utf8_lossy(&output.stdout), &mut frames);
    }
    Ok(frames)
}

/// `addr2line -f -i -a` output: each address on a line of its own, then pairs of function and
/// location lines, innermost first.
fn parse_addr2line(output: &str, frames: &mut HashMap<u64, Vec<Frame>>) {
    let mut current: Option<u64> = None;
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        if let Some(hex) = line.strip_prefix("0x") {
            current = u64::from_str_radix(hex, 16).ok();
            continue;
        }
        let (Some(address), Some(location)) = (current, lines.next()) else {
            continue;
        };
        let location = location.rsplit('/').next().unwrap_or(location);
        let location = location.split(" (").next().unwrap_or(location);
        frames.entry(address).or_insert_with(Vec::new).push(Frame {
            function: without_hash(line).to_string(),
            location: location.to_string(),
        });
    }
}

fn run_tool(tool: &str, arguments: &[&str], elf: &Path) -> Result<String, String> {
    let output = Command::new(tool)
        .args(arguments)
        .arg(elf)
        .output()
        .map_err(|e| format!("running {tool} (from binutils): {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{tool} {}: {}",
            elf.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_found_by_the_nearest_start_below() {
        let symbols = Symbols::parse(
            "ffffffff80000100 T spinel_syscall_entry\n\
             ffffffff80000040 t kernel::main::h0123456789abcdef\n\
             ffffffff80000200 D SOME_DATA\n\
             0000000020000000 W user::entry\n",
        );
        assert_eq!(
            symbols.function_at(0xffff_ffff_8000_0040),
            Some("kernel::main")
        );
        assert_eq!(
            symbols.function_at(0xffff_ffff_8000_00ff),
            Some("kernel::main")
        );
        assert_eq!(
            symbols.function_at(0xffff_ffff_8000_0300),
            Some("spinel_syscall_entry")
        );
        assert_eq!(symbols.function_at(0x2000_0010), Some("user::entry"));
        assert_eq!(symbols.function_at(0x1000), None);
    }

    #[test]
    fn hashes_go_but_other_suffixes_stay() {
        assert_eq!(without_hash("a::b::h0123456789abcdef"), "a::b");
        assert_eq!(without_hash("a::hello"), "a::hello");
        assert_eq!(without_hash("a::h0123"), "a::h0123");
    }

    #[test]
    fn tsc_reads_are_picked_out_of_a_disassembly() {
        let listing = "0000000020005180 <bench::ipc::null_syscall>:\n\
                       \x20   20005180:\trdtsc\n\
                       \x20   20005182:\tmov    rcx,rdx\n\
                       \x20   20003662:\trdtscp\n\
                       \x20   20003670:\tcall   20004000 <rdtsc_helper>\n";
        let reads: Vec<u64> = listing.lines().filter_map(tsc_read).collect();
        assert_eq!(reads, vec![0x2000_5180, 0x2000_3662]);
    }

    #[test]
    fn inline_chains_come_innermost_first() {
        let output = "0x0000000000001000\n\
                      poll\n\
                      /src/objects/src/wait/registration.rs:71\n\
                      kernel::process::thread::run::{{closure}}\n\
                      /src/kernel/src/process/thread.rs:119 (discriminator 2)\n\
                      0x0000000000002000\n\
                      ??\n\
                      ??:0\n";
        let mut frames = HashMap::new();
        parse_addr2line(output, &mut frames);
        assert_eq!(frames[&0x1000].len(), 2);
        assert_eq!(frames[&0x1000][0].location, "registration.rs:71");
        assert_eq!(frames[&0x1000][1].location, "thread.rs:119");
        assert_eq!(frames[&0x2000][0].function, "??");
    }
}
