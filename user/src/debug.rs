//! Console output through `zx_debug_write`, one write per line.
//!
//! [`println!`](crate::println) formats into a [`TextBuffer`] on the stack (no allocation, so
//! it works in the panic handler and before the heap exists) and issues a single
//! `zx_debug_write` per line, so lines from different processes and CPUs do not interleave. A
//! line longer than [`LINE_MAX`] bytes is cut there.

use crate::sys;
use core::fmt;

/// The longest line [`println!`](crate::println) writes, newline included.
pub const LINE_MAX: usize = 512;

/// Writes `bytes` to the kernel console as they are.
pub fn write(bytes: &[u8]) {
    // The console is best effort: there is nowhere to report its failure.
    let _ = sys::debug_write(bytes);
}

/// Formatted text in a fixed buffer of `N` bytes; what does not fit is dropped.
pub struct TextBuffer<const N: usize> {
    buffer: [u8; N],
    len: usize,
}

impl<const N: usize> TextBuffer<N> {
    /// An empty buffer.
    pub const fn new() -> Self {
        TextBuffer {
            buffer: [0; N],
            len: 0,
        }
    }

    /// The text so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buffer[..self.len]
    }
}

impl<const N: usize> Default for TextBuffer<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> fmt::Write for TextBuffer<N> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let room = N - self.len;
        let take = text.len().min(room);
        self.buffer[self.len..self.len + take].copy_from_slice(&text.as_bytes()[..take]);
        self.len += take;
        Ok(())
    }
}

/// Formats `args` and a newline into one console write. Used by [`println!`](crate::println).
pub fn print_line(args: fmt::Arguments<'_>) {
    let mut line = TextBuffer::<LINE_MAX>::new();
    let _ = fmt::Write::write_fmt(&mut line, args);
    if line.len == LINE_MAX {
        line.len -= 1;
    }
    let _ = fmt::Write::write_str(&mut line, "\n");
    write(line.as_bytes());
}

/// Prints one line to the kernel console.
#[macro_export]
macro_rules! println {
    ($($arg:tt)*) => {
        $crate::debug::print_line(format_args!($($arg)*))
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write;

    #[test]
    fn text_buffers_keep_what_fits_and_drop_the_rest() {
        let mut buffer = TextBuffer::<8>::new();
        write!(buffer, "{}-{}", 1234, 5678.5).unwrap();
        assert_eq!(buffer.as_bytes(), b"1234-567");
    }
}
