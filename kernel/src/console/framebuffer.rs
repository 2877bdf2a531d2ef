//! A text console drawn on the bootloader's linear framebuffer.
//!
//! Most PCs booted from a USB stick have a screen but no serial port, so every log line is also
//! drawn here with the Noto Sans Mono bitmap font. The console keeps a cursor in character cells
//! and scrolls the whole framebuffer up by one text line when it reaches the bottom.

use bootloader_api::info::{FrameBuffer, FrameBufferInfo, PixelFormat};
use noto_sans_mono_bitmap::{FontWeight, RasterHeight, get_raster, get_raster_width};

const FONT_WEIGHT: FontWeight = FontWeight::Regular;
const FONT_HEIGHT: RasterHeight = RasterHeight::Size16;
const CHAR_WIDTH: usize = get_raster_width(FONT_WEIGHT, FONT_HEIGHT);
const LINE_HEIGHT: usize = FONT_HEIGHT.val() + LINE_SPACING;
const LINE_SPACING: usize = 2;
/// Blank pixels kept around the text.
const BORDER: usize = 4;

/// Text drawn on a framebuffer.
pub struct FramebufferConsole {
    buffer: &'static mut [u8],
    info: FrameBufferInfo,
    column: usize,
    row: usize,
}

impl FramebufferConsole {
    /// Takes over the bootloader's framebuffer and clears it.
    pub fn new(framebuffer: &'static mut FrameBuffer) -> Self {
        let info = framebuffer.info();
        let console = FramebufferConsole {
            buffer: framebuffer.buffer_mut(),
            info,
            column: 0,
            row: 0,
        };
        console.buffer.fill(0);
        console
    }

    fn columns(&self) -> usize {
        (self.info.width - 2 * BORDER) / CHAR_WIDTH
    }

    fn rows(&self) -> usize {
        (self.info.height - 2 * BORDER) / LINE_HEIGHT
    }

    /// Writes `text`, wrapping long lines and scrolling at the bottom.
    pub fn write_str(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '\n' => self.new_line(),
                '\r' => self.column = 0,
                c => self.write_char(c),
            }
        }
    }

    fn write_char(&mut self, c: char) {
        if self.column >= self.columns() {
            self.new_line();
        }
        let raster = get_raster(c, FONT_WEIGHT, FONT_HEIGHT)
            .or_else(|| get_raster('?', FONT_WEIGHT, FONT_HEIGHT))
            .expect("the font has '?'");
        let x0 = BORDER + self.column * CHAR_WIDTH;
        let y0 = BORDER + self.row * LINE_HEIGHT;
        for (y, row) in raster.raster().iter().enumerate() {
            for (x, intensity) in row.iter().enumerate() {
                self.put_pixel(x0 + x, y0 + y, *intensity);
            }
        }
        self.column += 1;
    }

    fn new_line(&mut self) {
        self.column = 0;
        if self.row + 1 < self.rows() {
            self.row += 1;
        } else {
            self.scroll_one_line();
        }
    }

    fn scroll_one_line(&mut self) {
        let line_bytes = LINE_HEIGHT * self.info.stride * self.info.bytes_per_pixel;
        let text_end = (BORDER + self.rows() * LINE_HEIGHT) * self.info.stride;
        let text_end = text_end * self.info.bytes_per_pixel;
        let text_start = BORDER * self.info.stride * self.info.bytes_per_pixel;
        self.buffer
            .copy_within(text_start + line_bytes..text_end, text_start);
        self.buffer[text_end - line_bytes..text_end].fill(0);
    }

    /// Draws a grey level (0 = black, 255 = white) at (x, y) in the framebuffer's pixel format.
    fn put_pixel(&mut self, x: usize, y: usize, intensity: u8) {
        let offset = (y * self.info.stride + x) * self.info.bytes_per_pixel;
        let color = match self.info.pixel_format {
            PixelFormat::Rgb | PixelFormat::Bgr => [intensity, intensity, intensity, 0],
            PixelFormat::U8 => [intensity, 0, 0, 0],
            // Unknown layouts get the grey level in every channel byte.
            _ => [intensity; 4],
        };
        let bytes = self.info.bytes_per_pixel.min(color.len());
        self.buffer[offset..offset + bytes].copy_from_slice(&color[..bytes]);
    }
}
