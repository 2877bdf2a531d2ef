//! Recoverable faults: instructions allowed to fault, and where to resume when they do.
//!
//! A few kernel routines touch memory that may legitimately be absent or protected: the copies
//! to and from user memory (`usercopy.rs`) and the probes of the in-kernel tests (`probe.rs`).
//! Each such instruction is listed in the `spinel_fixups` section as a pair (faulting address,
//! recovery address). The exception handler looks the faulting RIP up there; on a match it
//! records the fault in per-CPU data and resumes at the recovery address instead of treating the
//! fault as fatal.

use super::trap::TrapFrame;
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
#[cfg(feature = "qemu-test")]
pub fn last_recovered() -> (u64, u64, u64) {
    let [a, b, c] = &LAST_RECOVERED;
    (
        a.load(Ordering::Relaxed),
        b.load(Ordering::Relaxed),
        c.load(Ordering::Relaxed),
    )
}
