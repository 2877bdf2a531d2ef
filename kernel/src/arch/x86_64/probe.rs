//! Loads and stores allowed to fault, for the in-kernel tests: each instruction is listed in the
//! fix-up table (see `fixup.rs`), so a fault ends the probe with a failure instead of the kernel.

use core::arch::global_asm;

global_asm!(
    r#"
    .section .text.spinel_probe, "ax"

    // bool spinel_probe_write_u8(u8 *address, u8 value): 1 if the store went through.
    .global spinel_probe_write_u8
spinel_probe_write_u8:
1:  mov byte ptr [rdi], sil
    mov eax, 1
    ret
2:  xor eax, eax
    ret
    .pushsection spinel_fixups, "aR"
    .quad 1b, 2b
    .popsection

    // bool spinel_probe_read_u8(const u8 *address, u8 *out): 1 if the load went through.
    .global spinel_probe_read_u8
spinel_probe_read_u8:
3:  mov al, byte ptr [rdi]
    mov byte ptr [rsi], al
    mov eax, 1
    ret
4:  xor eax, eax
    ret
    .pushsection spinel_fixups, "aR"
    .quad 3b, 4b
    .popsection
    "#
);

unsafe extern "C" {
    fn spinel_probe_write_u8(address: *mut u8, value: u8) -> bool;
    fn spinel_probe_read_u8(address: *const u8, out: *mut u8) -> bool;
}

/// Stores `value` at `address` unless the store faults; `false` when it faulted.
///
/// # Safety
/// A store that succeeds must not break any invariant: `address` must be memory the caller may
/// write (or memory expected to be unwritable).
pub unsafe fn probe_write_u8(address: *mut u8, value: u8) -> bool {
    // SAFETY: the caller vouches for the store; a fault is recovered by the fix-up table.
    unsafe { spinel_probe_write_u8(address, value) }
}

/// Loads the byte at `address` unless the load faults.
pub fn probe_read_u8(address: *const u8) -> Option<u8> {
    let mut value = 0;
    // SAFETY: a load cannot break an invariant, a fault is recovered by the fix-up table, and
    // `value` is a valid place for the result.
    unsafe { spinel_probe_read_u8(address, &mut value) }.then_some(value)
}
