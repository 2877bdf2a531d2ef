//! The progress line a run shows while a guest works: which system, and which case is running.
//!
//! On a terminal the line is rewritten in place; anywhere else (a log, CI) each event is its own
//! line, so the output stays readable. Preparation steps ("downloading …", "building …") go
//! through the same printer.
//!
//! Invariant: the printer writes only to stderr, so the table on stdout stays clean.

use std::io::{IsTerminal, Write};

use super::results::SerialLine;

/// Prints progress for `system` ("Spinel", "Linux") on stderr.
#[derive(Debug)]
pub struct Progress {
    system: String,
    in_place: bool,
}

impl Progress {
    /// A printer for `system`, rewriting its line in place when stderr is a terminal.
    pub fn new(system: &str) -> Self {
        Self {
            system: system.to_string(),
            in_place: std::io::stderr().is_terminal(),
        }
    }

    /// Shows a preparation step, e.g. "building the C benchmark".
    pub fn step(&mut self, text: &str) {
        self.show(text, false);
    }

    /// Shows what a serial line says about the run: the case starting, the case done, the end.
    pub fn serial(&mut self, line: &SerialLine) {
        match line {
            SerialLine::Running(case) => self.show(&format!("running {case}"), false),
            SerialLine::Case(case) => {
                self.show(&format!("{} median {}", case.name, case.median), false)
            }
            SerialLine::Done => self.show("all cases done", true),
            SerialLine::Kernel(_) | SerialLine::Other(_) => {}
        }
    }

    fn show(&self, text: &str, last: bool) {
        let mut stderr = std::io::stderr().lock();
        let _ = if self.in_place {
            // Carriage return and "erase line" (ECMA-48 EL), then the text, ending the line
            // only when the run is over.
            write!(
                stderr,
                "\r\x1b[2K[{}] {text}{}",
                self.system,
                if last { "\n" } else { "" }
            )
        } else {
            writeln!(stderr, "[{}] {text}", self.system)
        };
        let _ = stderr.flush();
    }
}
