//! Virtual memory objects (spec §4.6): memory that can be read, written and mapped.

use crate::handle::{AsHandleRef, Handle, handle_type};
use crate::info::VmoInfo;
use crate::status::{Status, ZxResult};
use crate::sys;
use syscalls_abi::{ZX_INFO_VMO, ZX_PROP_VMO_CONTENT_SIZE, ZX_VMO_RESIZABLE};

handle_type!(
    /// A VMO.
    Vmo
);

impl Vmo {
    /// A zero-filled VMO of `size` bytes, rounded up to pages (`zx_vmo_create`).
    pub fn create(size: u64) -> ZxResult<Vmo> {
        Self::create_with(size, 0)
    }

    /// A zero-filled VMO whose size [`set_size`](Self::set_size) may change
    /// (`ZX_VMO_RESIZABLE`).
    pub fn create_resizable(size: u64) -> ZxResult<Vmo> {
        Self::create_with(size, ZX_VMO_RESIZABLE)
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

    /// `ZX_PROP_VMO_CONTENT_SIZE`: the unrounded size last given at creation or resize.
    pub fn content_size(&self) -> ZxResult<u64> {
        let mut value = [0; 8];
        self.get_property(ZX_PROP_VMO_CONTENT_SIZE, &mut value)?;
        Ok(u64::from_le_bytes(value))
    }

    /// Size, mappings, flags and committed bytes (`ZX_INFO_VMO`).
    pub fn info(&self) -> ZxResult<VmoInfo> {
        let mut buffer = [0; VmoInfo::SIZE];
        self.get_info(ZX_INFO_VMO, &mut buffer)?;
        Ok(VmoInfo::from_bytes(&buffer))
    }
}
