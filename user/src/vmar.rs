//! Virtual memory address regions (spec §4.1-§4.5): where VMOs are mapped.
//!
//! Addresses are plain `usize`s: mapping returns where the kernel put the mapping and nothing
//! here dereferences it. Unmapping, protecting or destroying a range that Rust memory lives in
//! (the heap, a stack, the program image) makes the process fault; see `sys::stubs`.

use crate::handle::{AsHandleRef, Handle, handle_type};
use crate::info::VmarInfo;
use crate::status::{Status, ZxResult};
use crate::sys;
use crate::vm::VmOptions;
use crate::vmo::Vmo;
use syscalls_abi::ZX_INFO_VMAR;

handle_type!(
    /// A VMAR.
    Vmar
);

impl Vmar {
    /// Maps `len` bytes of `vmo` from `vmo_offset`; returns the address (`zx_vmar_map`).
    /// `vmar_offset` counts only with `SPECIFIC` or `SPECIFIC_OVERWRITE`.
    pub fn map(
        &self,
        options: VmOptions,
        vmar_offset: usize,
        vmo: &Vmo,
        vmo_offset: u64,
        len: usize,
    ) -> ZxResult<usize> {
        let mut address = 0;
        let status = sys::vmar_map(
            self.raw_handle(),
            options.bits(),
            vmar_offset,
            vmo.raw_handle(),
            vmo_offset,
            len,
            &mut address,
        );
        Status::ok(status).map(|()| address)
    }

    /// Unmaps `[address, address + len)`, destroying the child VMARs inside it
    /// (`zx_vmar_unmap`).
    pub fn unmap(&self, address: usize, len: usize) -> ZxResult {
        Status::ok(sys::vmar_unmap(self.raw_handle(), address, len))
    }

    /// Sets the permissions of the mappings in `[address, address + len)` (`zx_vmar_protect`).
    pub fn protect(&self, options: VmOptions, address: usize, len: usize) -> ZxResult {
        Status::ok(sys::vmar_protect(
            self.raw_handle(),
            options.bits(),
            address,
            len,
        ))
    }

    /// A child VMAR of `size` bytes; returns it and its base (`zx_vmar_allocate`).
    pub fn allocate(
        &self,
        options: VmOptions,
        offset: usize,
        size: usize,
    ) -> ZxResult<(Vmar, usize)> {
        let (mut child, mut base) = (0, 0);
        let status = sys::vmar_allocate(
            self.raw_handle(),
            options.bits(),
            offset,
            size,
            &mut child,
            &mut base,
        );
        Status::ok(status)?;
        Ok((Handle::from_raw(child).into(), base))
    }

    /// Unmaps everything in this VMAR and makes it unusable (`zx_vmar_destroy`).
    pub fn destroy(&self) -> ZxResult {
        Status::ok(sys::vmar_destroy(self.raw_handle()))
    }

    /// Base and length (`ZX_INFO_VMAR`).
    pub fn info(&self) -> ZxResult<VmarInfo> {
        let mut buffer = [0; VmarInfo::SIZE];
        self.get_info(ZX_INFO_VMAR, &mut buffer)?;
        Ok(VmarInfo::from_bytes(&buffer))
    }
}
