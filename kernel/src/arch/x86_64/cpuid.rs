//! The CPUID facts the kernel acts on, read once with named leaves and bits.
//!
//! Everything here is a pure query of the CPU running the code; the bootstrap CPU's answers are
//! taken to hold for every CPU (Spinel supports only machines whose CPUs are alike).

use core::arch::x86_64::{__cpuid, __cpuid_count};

/// Leaf 01H: version and feature information (Intel SDM Vol. 2A, CPUID, Table 3-10).
const LEAF_FEATURES: u32 = 0x01;
/// Leaf 01H ECX bit 21: the local APIC supports x2APIC mode.
const ECX_X2APIC: u32 = 1 << 21;
/// Leaf 01H ECX bit 24: the local APIC timer supports TSC-deadline mode.
const ECX_TSC_DEADLINE: u32 = 1 << 24;
/// Leaf 01H EDX bit 9: the CPU has a local APIC.
const EDX_APIC: u32 = 1 << 9;
/// Leaf 15H: TSC and core crystal clock ratio (Intel SDM Vol. 2A, CPUID, leaf 15H).
const LEAF_TSC_CRYSTAL: u32 = 0x15;
/// Leaf 16H: processor base frequency in MHz.
const LEAF_FREQUENCY: u32 = 0x16;
/// Extended leaf 80000007H: EDX bit 8 is the invariant TSC.
const LEAF_POWER_MANAGEMENT: u32 = 0x8000_0007;
const EDX_INVARIANT_TSC: u32 = 1 << 8;

fn max_leaf() -> u32 {
    __cpuid(0).eax
}

fn max_extended_leaf() -> u32 {
    __cpuid(0x8000_0000).eax
}

fn features() -> (u32, u32) {
    let leaf = __cpuid(LEAF_FEATURES);
    (leaf.ecx, leaf.edx)
}

/// Whether the CPU has a local APIC.
pub fn has_apic() -> bool {
    features().1 & EDX_APIC != 0
}

/// Whether the local APIC can run in x2APIC mode.
pub fn has_x2apic() -> bool {
    features().0 & ECX_X2APIC != 0
}

/// Whether the local APIC timer has a TSC-deadline mode.
pub fn has_tsc_deadline() -> bool {
    features().0 & ECX_TSC_DEADLINE != 0
}

/// Extended leaf 80000001H: EDX bit 27 is `rdtscp` (with `IA32_TSC_AUX`).
const LEAF_EXTENDED_FEATURES: u32 = 0x8000_0001;
const EDX_RDTSCP: u32 = 1 << 27;

/// Whether the CPU has `rdtscp` and the `IA32_TSC_AUX` MSR it reads.
pub fn has_rdtscp() -> bool {
    max_extended_leaf() >= LEAF_EXTENDED_FEATURES
        && __cpuid(LEAF_EXTENDED_FEATURES).edx & EDX_RDTSCP != 0
}

/// Whether the TSC runs at a constant rate in every power state.
pub fn has_invariant_tsc() -> bool {
    if max_extended_leaf() < LEAF_POWER_MANAGEMENT {
        return false;
    }
    __cpuid(LEAF_POWER_MANAGEMENT).edx & EDX_INVARIANT_TSC != 0
}

/// The TSC frequency in Hz when leaf 15H gives it exactly (ratio and crystal frequency).
pub fn tsc_hz_from_crystal() -> Option<u64> {
    if max_leaf() < LEAF_TSC_CRYSTAL {
        return None;
    }
    let leaf = __cpuid_count(LEAF_TSC_CRYSTAL, 0);
    let (denominator, numerator, crystal_hz) = (leaf.eax, leaf.ebx, leaf.ecx);
    if denominator == 0 || numerator == 0 || crystal_hz == 0 {
        return None;
    }
    Some(u64::from(crystal_hz) * u64::from(numerator) / u64::from(denominator))
}

/// The nominal base frequency in Hz from leaf 16H: on CPUs with an invariant TSC it is the TSC's
/// rate to within the rounding of the MHz figure.
pub fn base_frequency_hz() -> Option<u64> {
    if max_leaf() < LEAF_FREQUENCY {
        return None;
    }
    let mhz = __cpuid_count(LEAF_FREQUENCY, 0).eax & 0xffff;
    (mhz != 0).then_some(u64::from(mhz) * 1_000_000)
}
