//! Recoverable faults: instructions allowed to fault, and where to resume when they do.
//!
//! A few kernel routines touch memory that may legitimately be absent or protected: probes used
//! by tests and, later, the copies to and from user memory. Each such instruction is listed in
//! the `spinel_fixups` section as a pair (faulting address, recovery address). The exception
//! handler looks the faulting RIP up there; on a match it records the fault in per-CPU data and
//! resumes at the recovery address instead of treating the fault as fatal.

use super::trap::TrapFrame;
use core::arch::global_asm;
use core::sync::atomic::{AtomicU64, Ordering};

/// One entry of the fix-up table, as the assembly below emits it.
#[repr(C)]
struct Fixup {
    fault_ip: u64,
    recover_ip: u64,
}

unsafe extern "C" {
    // Section bounds defined by the linker for the `spinel_fixups` section.
    static __start_spinel_fixups: Fixup;
    static __stop_spinel_fixups: Fixup;
}

/// The most recent recovered fault: (vector, error code, fault address). Only tests read it.
static LAST_RECOVERED: [AtomicU64; 3] = [const { AtomicU64::new(0) }; 3];

fn table() -> &'static [Fixup] {
    let start = &raw const __start_spinel_fixups;
    let end = &raw const __stop_spinel_fixups;
    // SAFETY: the linker places every `spinel_fixups` entry contiguously between the two
    // symbols; the entries are plain integers emitted by the assembly in this module.
    unsafe { core::slice::from_raw_parts(start, end.offset_from(start) as usize) }
}

/// Resumes at the recovery address if the faulting instruction has one.
pub fn recover(frame: &mut TrapFrame, fault_address: u64) -> bool {
    let Some(entry) = table().iter().find(|entry| entry.fault_ip == frame.rip) else {
        return false;
    };
    for (slot, value) in LAST_RECOVERED
        .iter()
        .zip([frame.vector, frame.error_code, fault_address])
    {
        slot.store(value, Ordering::Relaxed);
    }
    frame.rip = entry.recover_ip;
    true
}

/// Whether the instruction at `rip` has a fix-up (it is allowed to fault).
pub fn has_fixup(rip: u64) -> bool {
    table().iter().any(|entry| entry.fault_ip == rip)
}

/// The last recovered fault as (vector, error code, fault address).
pub fn last_recovered() -> (u64, u64, u64) {
    let [a, b, c] = &LAST_RECOVERED;
    (
        a.load(Ordering::Relaxed),
        b.load(Ordering::Relaxed),
        c.load(Ordering::Relaxed),
    )
}

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
