//! VMAR syscalls (spec §4.1-§4.5): `zx_vmar_allocate`, `zx_vmar_map`, `zx_vmar_protect`,
//! `zx_vmar_unmap` and `zx_vmar_destroy`.
//!
//! The VMAR objects check options, ranges and the rights the operation needs; this layer
//! passes them the rights of the handles involved. A map or protect asking for writable and
//! executable pages at once is checked against the caller's `ZX_POL_VMAR_WX` policy after the
//! handles and their rights, and before the rest: a request the handles could not grant fails
//! with ACCESS_DENIED whatever the policy, and never kills the caller. When the
//! address a map or allocate created cannot be copied out, the mapping is unmapped (the child
//! VMAR destroyed) again, and the syscall is INVALID_ARGS.

use objects::abi::HandleValue;
use objects::task::PolicyCondition;
use objects::vm::{PAGE_SIZE, VmOptions, Vmar, Vmo};
use objects::{Handle, ZxResult};

use crate::abi::{zx_handle_t, zx_vaddr_t, zx_vm_option_t};
use crate::context::SyscallContext;
use crate::handle;
use crate::user_ptr::UserPtr;

/// `zx_vmar_allocate`: BAD_HANDLE, WRONG_TYPE; then the errors of [`Vmar::allocate`];
/// INVALID_ARGS (bad `child_vmar` or `child_addr`).
pub(crate) fn allocate(
    cx: &SyscallContext<'_>,
    parent: HandleValue,
    options: zx_vm_option_t,
    offset: usize,
    size: usize,
    child_vmar: UserPtr<zx_handle_t>,
    child_addr: UserPtr<zx_vaddr_t>,
) -> ZxResult {
    let (parent, rights) = cx.object_and_rights::<Vmar>(parent)?;
    let child = parent.allocate(VmOptions::from_bits_retain(options), offset, size, rights)?;

    let handle = Handle::new(child.clone(), child.default_rights());
    let given = child_addr
        .write(cx.memory, &child.base())
        .and_then(|()| handle::give(cx, handle, child_vmar));
    if given.is_err() {
        let _ = child.destroy();
    }
    given
}

/// `zx_vmar_map`: BAD_HANDLE, WRONG_TYPE for the VMAR, then for the VMO; the errors of
/// [`Vmar::check_map_rights`]; ACCESS_DENIED (the caller's `ZX_POL_VMAR_WX`); then the other
/// errors of [`Vmar::map`]; INVALID_ARGS (a bad `mapped_addr`).
#[allow(clippy::too_many_arguments, reason = "mirrors zx_vmar_map")]
pub(crate) fn map(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    options: zx_vm_option_t,
    vmar_offset: usize,
    vmo: HandleValue,
    vmo_offset: u64,
    len: usize,
    mapped_addr: UserPtr<zx_vaddr_t>,
) -> ZxResult {
    let (vmar, vmar_rights) = cx.object_and_rights::<Vmar>(handle)?;
    let (vmo, vmo_rights) = cx.object_and_rights::<Vmo>(vmo)?;
    let options = VmOptions::from_bits_retain(options);
    Vmar::check_map_rights(options, vmar_rights, vmo_rights)?;
    check_write_execute(cx, options)?;
    let address = vmar.map(
        options,
        vmar_offset,
        &vmo,
        vmo_offset,
        len,
        vmar_rights,
        vmo_rights,
    )?;

    let copied = mapped_addr.write(cx.memory, &address);
    if copied.is_err() {
        // The map succeeded, so the rounded length did not overflow.
        let _ = vmar.unmap(address, len.next_multiple_of(PAGE_SIZE));
    }
    copied
}

/// `zx_vmar_protect`: BAD_HANDLE, WRONG_TYPE; the errors of [`Vmar::check_protect_rights`];
/// ACCESS_DENIED (the caller's `ZX_POL_VMAR_WX`); then the other errors of [`Vmar::protect`].
pub(crate) fn protect(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    options: zx_vm_option_t,
    addr: zx_vaddr_t,
    len: usize,
) -> ZxResult {
    let (vmar, rights) = cx.object_and_rights::<Vmar>(handle)?;
    let options = VmOptions::from_bits_retain(options);
    Vmar::check_protect_rights(options, rights)?;
    check_write_execute(cx, options)?;
    vmar.protect(options, addr, len, rights)
}

/// `zx_vmar_unmap`: BAD_HANDLE, WRONG_TYPE; then the errors of [`Vmar::unmap`].
pub(crate) fn unmap(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    addr: zx_vaddr_t,
    len: usize,
) -> ZxResult {
    let (vmar, _) = cx.object_and_rights::<Vmar>(handle)?;
    vmar.unmap(addr, len)
}

/// `zx_vmar_destroy`: BAD_HANDLE, WRONG_TYPE; BAD_STATE (destroyed already).
pub(crate) fn destroy(cx: &SyscallContext<'_>, handle: HandleValue) -> ZxResult {
    let (vmar, _) = cx.object_and_rights::<Vmar>(handle)?;
    vmar.destroy()
}

/// Applies the caller's `ZX_POL_VMAR_WX` to a request for writable and executable pages.
fn check_write_execute(cx: &SyscallContext<'_>, options: VmOptions) -> ZxResult {
    if options.contains(VmOptions::PERM_WRITE | VmOptions::PERM_EXECUTE) {
        cx.process.check_policy(PolicyCondition::VmarWx)?;
    }
    Ok(())
}
