//! The time-stamp counter read from user mode: the clock of the benchmark.
//!
//! Under QEMU's `-icount shift=0` the guest TSC advances by exactly one per executed
//! instruction, so the difference of two reads is the number of instructions run between them
//! (on every CPU QEMU ran meanwhile). Elsewhere it counts TSC ticks.
//!
//! Each read is one inline `rdtsc` (or `rdtscp`) that the compiler must treat as touching
//! memory, so no load or store is moved across it: a span holds exactly the code written
//! between its two reads, plus the two instructions that join `edx:eax` into one value.
//! `rdtscp` also returns `IA32_TSC_AUX`, which Spinel's kernel sets to the CPU's index.

use core::arch::asm;

/// Reads the TSC.
#[inline(always)]
pub fn read() -> u64 {
    let (low, high): (u32, u32);
    // SAFETY: `rdtsc` reads the counter into edx:eax and has no other effect; user mode may
    // run it (Spinel leaves CR4.TSD clear). No `nomem`: it orders memory accesses around it.
    unsafe { asm!("rdtsc", out("eax") low, out("edx") high, options(nostack, preserves_flags)) };
    (u64::from(high) << 32) | u64::from(low)
}

/// Reads the TSC and the index of the CPU the read ran on, or `None` if the CPU has no
/// `rdtscp` (CPUID 8000_0001H EDX bit 27).
#[inline(always)]
pub fn read_with_cpu() -> Option<(u64, u32)> {
    if !has_rdtscp() {
        return None;
    }
    let (low, high, aux): (u32, u32, u32);
    // SAFETY: CPUID says `rdtscp` exists; it reads the counter into edx:eax and IA32_TSC_AUX
    // into ecx, and has no other effect.
    unsafe {
        asm!("rdtscp", out("eax") low, out("edx") high, out("ecx") aux,
             options(nostack, preserves_flags))
    };
    Some(((u64::from(high) << 32) | u64::from(low), aux))
}

/// CPUID leaf 8000_0001H, EDX bit 27: `rdtscp` and `IA32_TSC_AUX` exist (Intel SDM Vol. 2A,
/// CPUID, Table 3-8).
const EXTENDED_FEATURES: u32 = 0x8000_0001;
const EDX_RDTSCP: u32 = 1 << 27;

/// Whether the CPU has `rdtscp`.
pub fn has_rdtscp() -> bool {
    let max_extended = core::arch::x86_64::__cpuid(0x8000_0000).eax;
    max_extended >= EXTENDED_FEATURES
        && core::arch::x86_64::__cpuid(EXTENDED_FEATURES).edx & EDX_RDTSCP != 0
}
