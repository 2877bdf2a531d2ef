//! VMO syscalls (spec §4.6): `zx_vmo_create`, `zx_vmo_read`, `zx_vmo_write`,
//! `zx_vmo_get_size` and `zx_vmo_set_size`.
//!
//! Reads and writes move data between the VMO and user memory through a kernel buffer of at
//! most [`COPY_CHUNK_BYTES`], one chunk at a time, so a user-chosen length never sizes a
//! kernel allocation. The whole range is checked against the VMO's size before the first
//! chunk (OUT_OF_RANGE moves nothing); a bad user buffer stops the copy at the chunk where it
//! is found (INVALID_ARGS), after the chunks before it have moved, as a fault mid-copy does
//! in Zircon.

use alloc::sync::Arc;
use alloc::vec;

use objects::abi::HandleValue;
use objects::task::PolicyCondition;
use objects::vm::{Vmo, VmoOptions};
use objects::{Handle, Rights, Status, ZxResult};

use crate::abi::zx_handle_t;
use crate::context::SyscallContext;
use crate::handle;
use crate::user_ptr::UserPtr;

/// The most bytes one step of `zx_vmo_read` or `zx_vmo_write` holds in the kernel.
pub(crate) const COPY_CHUNK_BYTES: usize = 64 * 1024;

/// `zx_vmo_create`: INVALID_ARGS (options other than `ZX_VMO_RESIZABLE` or
/// `ZX_VMO_DISCARDABLE`, both at once, or a bad `out`); ACCESS_DENIED (the caller's
/// `ZX_POL_NEW_VMO`); OUT_OF_RANGE (`size` too large).
pub(crate) fn create(
    cx: &SyscallContext<'_>,
    size: u64,
    options: u32,
    out: UserPtr<zx_handle_t>,
) -> ZxResult {
    let options = VmoOptions::from_bits(options).ok_or(Status::InvalidArgs)?;
    if options.contains(VmoOptions::RESIZABLE | VmoOptions::DISCARDABLE) {
        return Err(Status::InvalidArgs);
    }
    cx.process.check_policy(PolicyCondition::NewVmo)?;
    let physical = cx.process.job().context().physical.clone();
    let vmo = Vmo::create(physical, size, options)?;
    handle::give(cx, Handle::new(vmo, Rights::DEFAULT_VMO), out)
}

/// `zx_vmo_read`: BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no `READ`); OUT_OF_RANGE (the range
/// runs past the size); INVALID_ARGS (a bad `buffer`).
pub(crate) fn read(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    buffer: UserPtr<u8>,
    offset: u64,
    len: usize,
) -> ZxResult {
    let vmo = cx.handles().get::<Vmo>(handle, Rights::READ)?;
    check_range(&vmo, offset, len)?;
    let mut chunk = vec![0; len.min(COPY_CHUNK_BYTES)];
    for done in (0..len).step_by(COPY_CHUNK_BYTES) {
        let piece = &mut chunk[..(len - done).min(COPY_CHUNK_BYTES)];
        vmo.read(offset + done as u64, piece)?;
        buffer.offset(done)?.write_bytes(cx.memory, piece)?;
    }
    Ok(())
}

/// `zx_vmo_write`: BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no `WRITE`); OUT_OF_RANGE (the range
/// runs past the size); INVALID_ARGS (a bad `buffer`); NO_MEMORY (no page to commit).
pub(crate) fn write(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    buffer: UserPtr<u8>,
    offset: u64,
    len: usize,
) -> ZxResult {
    let vmo = cx.handles().get::<Vmo>(handle, Rights::WRITE)?;
    check_range(&vmo, offset, len)?;
    let mut chunk = vec![0; len.min(COPY_CHUNK_BYTES)];
    for done in (0..len).step_by(COPY_CHUNK_BYTES) {
        let piece = &mut chunk[..(len - done).min(COPY_CHUNK_BYTES)];
        buffer.offset(done)?.read_bytes(cx.memory, piece)?;
        vmo.write(offset + done as u64, piece)?;
    }
    Ok(())
}

/// `zx_vmo_get_size`: BAD_HANDLE, WRONG_TYPE; INVALID_ARGS (a bad `size`).
pub(crate) fn get_size(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    size: UserPtr<u64>,
) -> ZxResult {
    let vmo = cx.handles().get::<Vmo>(handle, Rights::empty())?;
    size.write(cx.memory, &vmo.size())
}

/// `zx_vmo_set_size`: BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no `WRITE`); UNAVAILABLE (not
/// resizable); OUT_OF_RANGE (`size` too large).
pub(crate) fn set_size(cx: &SyscallContext<'_>, handle: HandleValue, size: u64) -> ZxResult {
    cx.handles()
        .get::<Vmo>(handle, Rights::WRITE)?
        .set_size(size)
}

/// OUT_OF_RANGE unless `[offset, offset + len)` lies inside the VMO.
fn check_range(vmo: &Arc<Vmo>, offset: u64, len: usize) -> ZxResult {
    match offset.checked_add(len as u64) {
        Some(end) if end <= vmo.size() => Ok(()),
        _ => Err(Status::OutOfRange),
    }
}
