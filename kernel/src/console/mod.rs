//! The kernel console: everything the kernel prints goes to the serial port and the screen.
//!
//! Both sinks sit behind one [`IrqMutex`], so lines from different CPUs and from interrupt
//! handlers never interleave within a line. The panic path uses [`emergency_print`], which takes
//! the lock over from a CPU that will never release it.

mod framebuffer;
mod serial;

use crate::sync::IrqMutex;
use bootloader_api::info::FrameBuffer;
use core::fmt::{self, Write};
use framebuffer::FramebufferConsole;
use serial::Serial;

struct Console {
    serial: Serial,
    screen: Option<FramebufferConsole>,
}

impl Write for Console {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.serial.write_str(text);
        if let Some(screen) = self.screen.as_mut() {
            screen.write_str(text);
        }
        Ok(())
    }
}

static CONSOLE: IrqMutex<Console> = IrqMutex::new(Console {
    serial: Serial::absent(),
    screen: None,
});

/// How long the panic path waits for the console lock before taking it over.
const EMERGENCY_LOCK_SPINS: usize = 10_000_000;

/// Probes the serial port; output before this call is dropped.
pub fn init_serial() {
    CONSOLE.lock().serial = Serial::probe();
}

/// Starts drawing on the bootloader's framebuffer, if it gave one.
pub fn init_framebuffer(framebuffer: Option<&'static mut FrameBuffer>) {
    CONSOLE.lock().screen = framebuffer.map(FramebufferConsole::new);
}

/// Prints formatted text on every console.
pub fn print(args: fmt::Arguments) {
    // The console's `write_str` cannot fail.
    let _ = CONSOLE.lock().write_fmt(args);
}

/// Prints from the panic and fatal-exception paths, even if another CPU died holding the lock.
pub fn emergency_print(args: fmt::Arguments) {
    let _ = CONSOLE.lock_or_steal(EMERGENCY_LOCK_SPINS).write_fmt(args);
}

/// `print!` for the kernel console.
#[macro_export]
macro_rules! kprint {
    ($($arg:tt)*) => ($crate::console::print(format_args!($($arg)*)));
}

/// `println!` for the kernel console.
#[macro_export]
macro_rules! kprintln {
    () => ($crate::kprint!("\n"));
    ($($arg:tt)*) => ($crate::console::print(format_args!("{}\n", format_args!($($arg)*))));
}
