//! What a deliberate crash's report must contain, checked against what the kernel prints.
//!
//! A fatal exception prints (`kernel/src/arch/x86_64/exception.rs`) a header line, the error
//! code, CR2 for a page fault, and the registers as `NAME 0x<hex>` pairs, two or three a line;
//! a panic (`kernel/src/panic.rs`) prints its message and `  at <file>:<line>:<column>`. Both
//! end with `backtrace:` and one `  #<depth> 0x<address>` line per frame, `#0` being the
//! faulting or panicking instruction itself.

/// The general registers and the instruction and stack pointers every exception dump shows.
const DUMPED_REGISTERS: [&str; 18] = [
    "RIP", "RSP", "RFLAGS", "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R8", "R9", "R10",
    "R11", "R12", "R13", "R14", "R15",
];

/// What a crash boot's output must show.
pub struct CrashExpect {
    /// Text the report must contain (header lines, CR2, ...).
    pub text: &'static [&'static str],
    /// An exception dump: the error code and every register of [`DUMPED_REGISTERS`].
    pub registers: bool,
    /// A panic's `at <file>:<line>:<column>` location in this file.
    pub panic_in: Option<&'static str>,
    /// A backtrace with at least one frame past `#0` (the walk up the stack worked).
    pub frames: bool,
}

/// What `output` lacks of `expect`, in words; empty when the report is complete.
pub fn missing(output: &str, expect: &CrashExpect) -> Vec<String> {
    let mut missing: Vec<String> = expect
        .text
        .iter()
        .filter(|text| !output.contains(**text))
        .map(|text| format!("{text:?}"))
        .collect();
    if expect.registers {
        if !output.lines().any(is_error_code_line) {
            missing.push("the error code".to_string());
        }
        let shown = shown_registers(output);
        for register in DUMPED_REGISTERS {
            if !shown.contains(&register) {
                missing.push(format!("register {register}"));
            }
        }
    }
    if let Some(file) = expect.panic_in
        && !output.lines().any(|line| is_location_in(line, file))
    {
        missing.push(format!("the panic location \"at {file}:<line>:<column>\""));
    }
    if expect.frames && !has_caller_frame(output) {
        missing.push("a backtrace frame past #0".to_string());
    }
    missing
}

/// Whether `text` is `0x` and at least one hex digit.
fn is_hex(text: &str) -> bool {
    text.strip_prefix("0x")
        .is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_error_code_line(line: &str) -> bool {
    line.trim_start()
        .strip_prefix("error code ")
        .is_some_and(is_hex)
}

/// Every `NAME 0x<hex>` pair on the output's indented lines.
fn shown_registers(output: &str) -> Vec<&str> {
    let mut shown = Vec::new();
    for line in output.lines().filter(|line| line.starts_with("  ")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            if is_hex(pair[1]) && !pair[0].starts_with('#') {
                shown.push(pair[0]);
            }
        }
    }
    shown
}

/// Whether `line` is `  at <file>:<line>:<column>`.
fn is_location_in(line: &str, file: &str) -> bool {
    let Some(place) = line
        .strip_prefix("  at ")
        .and_then(|rest| rest.strip_prefix(file))
        .and_then(|rest| rest.strip_prefix(':'))
    else {
        return false;
    };
    let numbers: Vec<&str> = place.split(':').collect();
    numbers.len() == 2
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Whether a `backtrace:` line is followed by a `  #<n> 0x<address>` frame with n >= 1.
fn has_caller_frame(output: &str) -> bool {
    let mut lines = output.lines().skip_while(|line| *line != "backtrace:");
    lines.next();
    lines
        .take_while(|line| line.starts_with("  #"))
        .any(|line| {
            let mut words = line.split_whitespace();
            let depth = words
                .next()
                .and_then(|d| d.strip_prefix('#')?.parse::<usize>().ok());
            depth.is_some_and(|d| d >= 1) && words.next().is_some_and(is_hex)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An invalid-opcode report as the kernel prints it.
    const EXCEPTION: &str = "test: crash invalid_opcode\n\
        \n\
        EXCEPTION on cpu0: invalid opcode (#UD, vector 6) in kernel mode\n\
        \x20 error code 0x0\n\
        \x20 RIP 0xffffffff800f1e75  RSP 0xffff800000040a70  RFLAGS 0x00000246\n\
        \x20 CS  0x0008              SS  0x0010\n\
        \x20 RAX 0x0000000000000000  RBX 0xffff828000180988  RCX 0x0000000000000000\n\
        \x20 RDX 0x0000000000000027  RSI 0xffffffff800034ed  RDI 0xffffffff80155126\n\
        \x20 RBP 0xffff800000040b10  R8  0x0000000000000003  R9  0x0000000000000000\n\
        \x20 R10 0xffffffff8000e954  R11 0x0000000000000004  R12 0xffff810001000190\n\
        \x20 R13 0x0000000000000001  R14 0x0000000000000246  R15 0x0001000000000000\n\
        backtrace:\n\
        \x20 #0 0xffffffff800f1e75\n\
        \x20 #1 0xffffffff800f9812\n";

    const PANIC: &str = "KERNEL PANIC on cpu0: deliberate panic\n\
        \x20 at kernel/src/testing/crash.rs:23:20\n\
        backtrace:\n\
        \x20 #0 0xffffffff800c92c8\n\
        \x20 #1 0xffffffff8010557b\n";

    const DUMP: CrashExpect = CrashExpect {
        text: &["EXCEPTION on cpu0: invalid opcode (#UD, vector 6)"],
        registers: true,
        panic_in: None,
        frames: true,
    };

    const PANIC_EXPECT: CrashExpect = CrashExpect {
        text: &["KERNEL PANIC on cpu0: deliberate panic"],
        registers: false,
        panic_in: Some("kernel/src/testing/crash.rs"),
        frames: true,
    };

    #[test]
    fn a_complete_exception_dump_passes() {
        assert_eq!(missing(EXCEPTION, &DUMP), Vec::<String>::new());
    }

    #[test]
    fn an_exception_dump_without_general_registers_fails() {
        let output: String = EXCEPTION
            .lines()
            .filter(|line| !line.contains("RAX") && !line.contains("R13"))
            .map(|line| format!("{line}\n"))
            .collect();
        let missing = missing(&output, &DUMP);
        assert!(missing.contains(&"register RAX".to_string()), "{missing:?}");
        assert!(missing.contains(&"register R15".to_string()), "{missing:?}");
        assert!(
            !missing.contains(&"register RSP".to_string()),
            "{missing:?}"
        );
    }

    #[test]
    fn an_exception_dump_without_error_code_or_rsp_fails() {
        let output = EXCEPTION
            .replace("  error code 0x0\n", "")
            .replace("RSP 0xffff800000040a70", "");
        assert_eq!(
            missing(&output, &DUMP),
            vec!["the error code".to_string(), "register RSP".to_string()]
        );
    }

    #[test]
    fn a_backtrace_of_only_the_faulting_instruction_fails() {
        let output = EXCEPTION.replace("  #1 0xffffffff800f9812\n", "");
        assert_eq!(
            missing(&output, &DUMP),
            vec!["a backtrace frame past #0".to_string()]
        );
    }

    #[test]
    fn a_complete_panic_report_passes() {
        assert_eq!(missing(PANIC, &PANIC_EXPECT), Vec::<String>::new());
    }

    #[test]
    fn a_panic_without_its_location_fails() {
        let output = PANIC.replace("  at kernel/src/testing/crash.rs:23:20\n", "");
        assert_eq!(missing(&output, &PANIC_EXPECT).len(), 1);
        let elsewhere = PANIC.replace("testing/crash.rs", "testing/mod.rs");
        assert_eq!(missing(&elsewhere, &PANIC_EXPECT).len(), 1);
        let no_line = PANIC.replace(":23:20", ":?");
        assert_eq!(missing(&no_line, &PANIC_EXPECT).len(), 1);
    }
}
