//! The 16550 UART console on COM1.
//!
//! Real PCs often have no serial port, so the port is probed through its scratch register before
//! use; writes to a missing port are dropped instead of spinning on a line-status register that
//! never reports ready.

use uart_16550::SerialPort;
use x86_64::instructions::port::Port;

/// I/O base of COM1 (the legacy PC assignment, also QEMU's first `-serial`).
const COM1_BASE: u16 = 0x3f8;
/// Scratch register offset (16550 datasheet, register 7): holds any byte written to it.
const SCRATCH_REGISTER: u16 = 7;

/// The serial console, `None` until probed or when no UART answered.
pub struct Serial {
    port: Option<SerialPort>,
}

impl Serial {
    /// A console that has not been probed yet and drops everything written to it.
    pub const fn absent() -> Self {
        Serial { port: None }
    }

    /// Probes COM1 and initialises it (115200 8N1, FIFOs on) when a UART answers.
    pub fn probe() -> Self {
        if !uart_present(COM1_BASE) {
            return Serial::absent();
        }
        // SAFETY: COM1_BASE is the standard COM1 I/O range, and the probe above found a UART
        // there; no other code drives these ports.
        let mut port = unsafe { SerialPort::new(COM1_BASE) };
        port.init();
        Serial { port: Some(port) }
    }

    /// Writes `text`, turning `\n` into `\r\n` for terminals.
    pub fn write_str(&mut self, text: &str) {
        let Some(port) = self.port.as_mut() else {
            return;
        };
        for byte in text.bytes() {
            if byte == b'\n' {
                port.send(b'\r');
            }
            port.send(byte);
        }
    }
}

/// Writes two patterns to the scratch register and reads them back: a missing UART floats the
/// bus and reads 0xff.
fn uart_present(base: u16) -> bool {
    let mut scratch = Port::<u8>::new(base + SCRATCH_REGISTER);
    [0x5a, 0xa5].into_iter().all(|pattern| {
        // SAFETY: reading and writing the scratch register has no side effect on a 16550, and
        // on a bus with no device at this address the write is ignored.
        unsafe {
            scratch.write(pattern);
            scratch.read() == pattern
        }
    })
}
