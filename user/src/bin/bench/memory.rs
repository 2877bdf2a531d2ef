//! `vmo_first_touch`: the first write to the page of a fresh VMO mapping.
//!
//! Each iteration creates a one-page VMO and maps it at the same address (offset 0 of a VMAR
//! reserved once, so the page tables above it exist after the first iteration, as Linux's
//! `mmap` hands back the same address each time); the span is one byte store into the page,
//! which faults: the exception, the VMAR lookup, committing a zeroed page to the VMO, mapping
//! it, and the return to the store, plus the call around the store (`sys::probe::write_byte`,
//! two instructions). The unmapping and the VMO's close happen outside the span. Linux: the
//! store into a fresh `mmap(MAP_PRIVATE | MAP_ANONYMOUS)` page.

use alloc::vec::Vec;
use user::sys::{probe, tsc};
use user::vm::{PAGE_SIZE, VmOptions};
use user::{Vmo, rt};

use crate::harness::{CaseResult, Context, OrFail};

/// `vmo_first_touch`.
pub fn vmo_first_touch(_cx: &Context, iterations: usize) -> CaseResult {
    let options = VmOptions::CAN_MAP_READ | VmOptions::CAN_MAP_WRITE | VmOptions::CAN_MAP_SPECIFIC;
    let (vmar, _base) = rt::root_vmar()
        .allocate(options, 0, PAGE_SIZE)
        .or_fail("vmar_allocate")?;
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let vmo = Vmo::create(PAGE_SIZE as u64).or_fail("vmo_create")?;
        let address = vmar
            .map(
                VmOptions::SPECIFIC | VmOptions::PERM_RW,
                0,
                &vmo,
                0,
                PAGE_SIZE,
            )
            .or_fail("vmar_map")?;
        let start = tsc::read();
        probe::write_byte(address, 1);
        let end = tsc::read();
        samples.push(end - start);
        vmar.unmap(address, PAGE_SIZE).or_fail("vmar_unmap")?;
    }
    vmar.destroy().or_fail("vmar_destroy")?;
    Ok(samples)
}
