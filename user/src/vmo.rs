//! Virtual memory objects (spec §4.6): memory that can be read, written and mapped.

use crate::handle::{AsHandleRef, Handle, handle_type};
use crate::status::{Status, ZxResult};
use crate::sys;

handle_type!(
    /// A VMO.
    Vmo
);

impl Vmo {
    /// A zero-filled VMO of `size` bytes, rounded up to pages (`zx_vmo_create`).
    pub fn create(size: u64) -> ZxResult<Vmo> {
        Self::create_with(size, 0)
    }

    /// The same with `options` (`ZX_VMO_RESIZABLE`).
    pub fn create_with(size: u64, options: u32) -> ZxResult<Vmo> {
        let mut out = 0;
        Status::ok(sys::vmo_create(size, options, &mut out))?;
        Ok(Handle::from_raw(out).into())
    }

    /// Reads `buffer.len()` bytes from `offset` (`zx_vmo_read`).
    pub fn read(&self, buffer: &mut [u8], offset: u64) -> ZxResult {
        Status::ok(sys::vmo_read(self.raw_handle(), buffer, offset))
    }

    /// Writes `data` at `offset` (`zx_vmo_write`).
    pub fn write(&self, data: &[u8], offset: u64) -> ZxResult {
        Status::ok(sys::vmo_write(self.raw_handle(), data, offset))
    }

    /// The size in bytes, a whole number of pages (`zx_vmo_get_size`).
    pub fn size(&self) -> ZxResult<u64> {
        let mut size = 0;
        Status::ok(sys::vmo_get_size(self.raw_handle(), &mut size))?;
        Ok(size)
    }

    /// Resizes a resizable VMO (`zx_vmo_set_size`).
    pub fn set_size(&self, size: u64) -> ZxResult {
        Status::ok(sys::vmo_set_size(self.raw_handle(), size))
    }
}
