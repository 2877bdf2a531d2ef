//! Copies between kernel memory and user memory that survive bad user pointers.
//!
//! User memory is touched nowhere else in the kernel. Each copy checks that the user range lies
//! in the user half, opens the SMAP window (`stac`) when SMAP is on, and copies with `rep movsq`
//! and `rep movsb` from instructions listed in the fix-up table. A page fault on the way is first
//! offered to the current process's address space (demand paging: the page may simply not be
//! faulted in yet); if nothing maps the address, the fix-up ends the copy and the caller gets
//! [`BadAccess`], which the syscall layer turns into `ZX_ERR_INVALID_ARGS`.

use super::user::USER_SPACE_END;
use core::arch::global_asm;

/// A copy touched user memory that is not mapped, or not with the needed access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadAccess;

global_asm!(
    r#"
    .section .text.spinel_usercopy, "ax"

    // usize spinel_copy_bytes(void *dst, const void *src, usize len): bytes left uncopied
    // (after a fault, at least one; callers only test for zero). Eight bytes at a time, then
    // the rest one by one; fewer than eight, one by one straight away.
    .global spinel_copy_bytes
spinel_copy_bytes:
    mov rcx, rdx
    cmp rdx, 8
    jb 2f
    shr rcx, 3
    and edx, 7
1:  rep movsq
    mov rcx, rdx
2:  rep movsb
    xor eax, eax
    ret
3:  lea rax, [rdx + rcx * 8]
    ret
4:  mov rax, rcx
    ret
    .pushsection spinel_fixups, "aR"
    .quad 1b, 3b
    .quad 2b, 4b
    .popsection
    "#
);

unsafe extern "C" {
    fn spinel_copy_bytes(dst: *mut u8, src: *const u8, len: usize) -> usize;
}

/// Whether `[address, address + len)` lies entirely in the user half.
pub fn is_user_range(address: u64, len: usize) -> bool {
    address
        .checked_add(len as u64)
        .is_some_and(|end| end <= USER_SPACE_END)
}

/// Copies `dst.len()` bytes from user address `src`.
pub fn copy_from_user(dst: &mut [u8], src: u64) -> Result<(), BadAccess> {
    if !is_user_range(src, dst.len()) {
        return Err(BadAccess);
    }
    // SAFETY: `dst` is a valid kernel buffer of that length; the source is user memory, where a
    // fault ends the copy through the fix-up table instead of crashing.
    let left = with_user_access(|| unsafe {
        spinel_copy_bytes(dst.as_mut_ptr(), src as *const u8, dst.len())
    });
    if left == 0 { Ok(()) } else { Err(BadAccess) }
}

/// Copies `src` to user address `dst`.
pub fn copy_to_user(dst: u64, src: &[u8]) -> Result<(), BadAccess> {
    if !is_user_range(dst, src.len()) {
        return Err(BadAccess);
    }
    // SAFETY: `src` is a valid kernel buffer; the destination is user memory, checked to be in
    // the user half, where a fault ends the copy through the fix-up table.
    let left =
        with_user_access(|| unsafe { spinel_copy_bytes(dst as *mut u8, src.as_ptr(), src.len()) });
    if left == 0 { Ok(()) } else { Err(BadAccess) }
}

/// Runs `copy` with SMAP's protection lifted.
fn with_user_access<R>(copy: impl FnOnce() -> R) -> R {
    let smap = super::cpu::has_smap();
    if smap {
        // SAFETY: sets RFLAGS.AC for the copy only; cleared right after.
        unsafe { core::arch::asm!("stac", options(nomem, nostack)) };
    }
    let result = copy();
    if smap {
        // SAFETY: clears RFLAGS.AC, restoring SMAP's protection.
        unsafe { core::arch::asm!("clac", options(nomem, nostack)) };
    }
    result
}
