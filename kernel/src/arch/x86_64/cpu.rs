//! CPU features the kernel turns on at boot, on every CPU.
//!
//! - SSE state for user programs: CR0.MP set, CR0.EM clear, CR4.OSFXSR and CR4.OSXMMEXCPT set,
//!   so `fxsave`/`fxrstor` work and user code may use SSE (Intel SDM Vol. 3A, 13.1.3). The kernel
//!   itself is built soft-float and never touches those registers.
//! - SMEP and SMAP when CPUID offers them (Intel SDM Vol. 3A, 4.6): the kernel can neither run
//!   user pages nor touch user memory outside the copy routines, which open a window with `stac`.
//! - `syscall`/`sysret` (EFER.SCE), with their MSRs set up by [`super::user`].
//! - `IA32_TSC_AUX` = the CPU's index when the CPU has `rdtscp`, so user code can tell which CPU
//!   it runs on (`rdtscp` returns the MSR in ECX; Intel SDM Vol. 2B, RDTSCP).
//! - Process-context identifiers when offered (see `memory/pcid.rs`).

use core::arch::x86_64::__cpuid_count;
use core::sync::atomic::{AtomicBool, Ordering};
use x86_64::registers::control::{Cr0, Cr0Flags, Cr4, Cr4Flags};
use x86_64::registers::model_specific::Msr;

/// `IA32_TSC_AUX` (Intel SDM Vol. 4, Table 2-2).
const IA32_TSC_AUX: u32 = 0xc000_0103;

/// CPUID.(EAX=7,ECX=0):EBX bit 7: SMEP.
const CPUID_7_EBX_SMEP: u32 = 1 << 7;
/// CPUID.(EAX=7,ECX=0):EBX bit 20: SMAP.
const CPUID_7_EBX_SMAP: u32 = 1 << 20;

static SMAP: AtomicBool = AtomicBool::new(false);

/// Turns the features on for the calling CPU.
pub fn init() {
    // SAFETY: setting MP and clearing EM/TS only changes how x87/SSE instructions trap; the
    // kernel uses neither, and user state is saved with fxsave around every user entry.
    unsafe {
        Cr0::update(|cr0| {
            cr0.insert(Cr0Flags::MONITOR_COPROCESSOR);
            cr0.remove(Cr0Flags::EMULATE_COPROCESSOR | Cr0Flags::TASK_SWITCHED);
        });
    }
    let leaf7 = __cpuid_count(7, 0);
    let mut cr4 = Cr4Flags::OSFXSR | Cr4Flags::OSXMMEXCPT_ENABLE;
    if leaf7.ebx & CPUID_7_EBX_SMEP != 0 {
        cr4 |= Cr4Flags::SUPERVISOR_MODE_EXECUTION_PROTECTION;
    }
    if leaf7.ebx & CPUID_7_EBX_SMAP != 0 {
        cr4 |= Cr4Flags::SUPERVISOR_MODE_ACCESS_PREVENTION;
        SMAP.store(true, Ordering::Relaxed);
    }
    // SAFETY: the kernel never executes user pages and touches user memory only inside the copy
    // routines, which bracket the access with stac/clac when SMAP is on.
    unsafe { Cr4::update(|flags| flags.insert(cr4)) };

    if super::cpuid::has_rdtscp() {
        let index = super::percpu::cpu_index() as u64;
        // SAFETY: CPUID says the MSR exists; it is read only by `rdtscp`/`rdpid` and means
        // nothing to the kernel.
        unsafe { Msr::new(IA32_TSC_AUX).write(index) };
    }
    crate::memory::pcid::init_cpu();
}

/// Whether SMAP is on (the copy routines then need `stac`/`clac`).
pub fn has_smap() -> bool {
    SMAP.load(Ordering::Relaxed)
}

/// A one-line summary for the boot log, e.g. "SMEP on, SMAP on, PCID on".
pub fn describe() -> alloc::string::String {
    let cr4 = Cr4::read();
    let on = |flag| if cr4.contains(flag) { "on" } else { "off" };
    alloc::format!(
        "SMEP {}, SMAP {}, PCID {}",
        on(Cr4Flags::SUPERVISOR_MODE_EXECUTION_PROTECTION),
        on(Cr4Flags::SUPERVISOR_MODE_ACCESS_PREVENTION),
        on(Cr4Flags::PCID)
    )
}

/// CPUID.1:ECX bit 30: RDRAND.
const CPUID_1_ECX_RDRAND: u32 = 1 << 30;
/// How many times to retry RDRAND when it reports no entropy (Intel DRNG guide, 5.2.1).
const RDRAND_RETRIES: usize = 10;

/// 64 random bits: RDRAND when the CPU has it, otherwise the TSC stirred with splitmix64
/// (good enough for address-space layout, not for secrets).
pub fn random_u64() -> u64 {
    if core::arch::x86_64::__cpuid(1).ecx & CPUID_1_ECX_RDRAND != 0 {
        for _ in 0..RDRAND_RETRIES {
            let (value, ok): (u64, u8);
            // SAFETY: CPUID says RDRAND exists; it only writes the two output registers.
            unsafe {
                core::arch::asm!("rdrand {}", "setc {}", out(reg) value, out(reg_byte) ok,
                    options(nomem, nostack))
            };
            if ok == 1 {
                return value;
            }
        }
    }
    // SAFETY: RDTSC is always available in long mode and has no side effects.
    let mut z = unsafe { core::arch::x86_64::_rdtsc() }.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
