//! The stubs of memory: VMOs and VMARs.

use super::{mut_ptr, ptr, raw1, raw2, raw3, raw4, raw6, raw7, status};
use syscalls_abi::numbers as nr;

/// `zx_vmo_create`.
#[inline]
pub fn vmo_create(size: u64, options: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw3(nr::vmo_create, size, options.into(), mut_ptr(out)) })
}

/// `zx_vmo_read`: `buffer.len()` bytes from `offset`.
#[inline]
pub fn vmo_read(handle: u32, buffer: &mut [u8], offset: u64) -> i32 {
    let (handle, len) = (handle.into(), buffer.len() as u64);
    // SAFETY: `buffer` is `len` writable bytes.
    status(unsafe { raw4(nr::vmo_read, handle, mut_ptr(buffer), offset, len) })
}

/// `zx_vmo_write`: `buffer` at `offset`.
#[inline]
pub fn vmo_write(handle: u32, buffer: &[u8], offset: u64) -> i32 {
    let (handle, len) = (handle.into(), buffer.len() as u64);
    // SAFETY: `buffer` is `len` readable bytes.
    status(unsafe { raw4(nr::vmo_write, handle, ptr(buffer), offset, len) })
}

/// `zx_vmo_get_size`.
#[inline]
pub fn vmo_get_size(handle: u32, size: &mut u64) -> i32 {
    // SAFETY: `size` is one writable `u64`.
    status(unsafe { raw2(nr::vmo_get_size, handle.into(), mut_ptr(size)) })
}

/// `zx_vmo_set_size`.
#[inline]
pub fn vmo_set_size(handle: u32, size: u64) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe { raw2(nr::vmo_set_size, handle.into(), size) })
}

/// `zx_vmar_allocate`.
#[inline]
pub fn vmar_allocate(
    parent: u32,
    options: u32,
    offset: usize,
    size: usize,
    child: &mut u32,
    child_addr: &mut usize,
) -> i32 {
    let (parent, options, offset, size) =
        (parent.into(), options.into(), offset as u64, size as u64);
    let (child, child_addr) = (mut_ptr(child), mut_ptr(child_addr));
    // SAFETY: `child` is a writable `u32` and `child_addr` a writable `usize`.
    status(unsafe {
        raw6(
            nr::vmar_allocate,
            parent,
            options,
            offset,
            size,
            child,
            child_addr,
        )
    })
}

/// `zx_vmar_destroy`.
#[inline]
pub fn vmar_destroy(handle: u32) -> i32 {
    // SAFETY: no pointer arguments (see the module doc on changing this process's mappings).
    status(unsafe { raw1(nr::vmar_destroy, handle.into()) })
}

/// `zx_vmar_map`.
#[inline]
pub fn vmar_map(
    handle: u32,
    options: u32,
    vmar_offset: usize,
    vmo: u32,
    vmo_offset: u64,
    len: usize,
    mapped_addr: &mut usize,
) -> i32 {
    let (handle, options, vmar_offset) = (handle.into(), options.into(), vmar_offset as u64);
    let (vmo, len, mapped_addr) = (vmo.into(), len as u64, mut_ptr(mapped_addr));
    // SAFETY: `mapped_addr` is a writable `usize` (see the module doc on overwriting
    // mappings).
    status(unsafe {
        raw7(
            nr::vmar_map,
            handle,
            options,
            vmar_offset,
            vmo,
            vmo_offset,
            len,
            mapped_addr,
        )
    })
}

/// `zx_vmar_unmap`.
#[inline]
pub fn vmar_unmap(handle: u32, addr: usize, len: usize) -> i32 {
    // SAFETY: no pointer arguments for the kernel to follow (see the module doc on unmapping).
    status(unsafe { raw3(nr::vmar_unmap, handle.into(), addr as u64, len as u64) })
}

/// `zx_vmar_protect`.
#[inline]
pub fn vmar_protect(handle: u32, options: u32, addr: usize, len: usize) -> i32 {
    let (handle, options, addr, len) = (handle.into(), options.into(), addr as u64, len as u64);
    // SAFETY: no pointer arguments for the kernel to follow (see the module doc on changing
    // protections).
    status(unsafe { raw4(nr::vmar_protect, handle, options, addr, len) })
}
