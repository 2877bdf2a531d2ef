//! [`CpuSet`]: a set of CPUs by dense index, as TLB shoot-downs name their targets.
//!
//! The set is a bitmap, and every operation works a 64-bit word at a time: a shoot-down builds
//! and walks one on each unmap, so a walk costs one step per member, not one per possible CPU.

use super::MAX_CPUS;

const WORDS: usize = MAX_CPUS / 64;

/// A set of CPU indices below [`MAX_CPUS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuSet {
    bits: [u64; WORDS],
}

impl CpuSet {
    /// No CPU.
    pub const fn new() -> CpuSet {
        CpuSet { bits: [0; WORDS] }
    }

    /// The set whose bitmap is `bits` (bit `cpu % 64` of word `cpu / 64` for each member).
    pub const fn from_words(bits: [u64; WORDS]) -> CpuSet {
        CpuSet { bits }
    }

    /// The CPUs below `count`.
    pub fn below(count: usize) -> CpuSet {
        let mut set = CpuSet::new();
        for (word, bits) in set.bits.iter_mut().enumerate() {
            let members = count.saturating_sub(word * 64).min(64);
            *bits = match members {
                64 => u64::MAX,
                members => (1 << members) - 1,
            };
        }
        set
    }

    /// Every CPU online now.
    pub fn all_online() -> CpuSet {
        CpuSet::below(super::online_count())
    }

    /// Adds `cpu`.
    pub fn insert(&mut self, cpu: usize) {
        self.bits[cpu / 64] |= 1 << (cpu % 64);
    }

    /// Removes `cpu`.
    pub fn remove(&mut self, cpu: usize) {
        self.bits[cpu / 64] &= !(1 << (cpu % 64));
    }

    /// Whether `cpu` is in the set.
    pub fn contains(&self, cpu: usize) -> bool {
        cpu < MAX_CPUS && self.bits[cpu / 64] & (1 << (cpu % 64)) != 0
    }

    /// The CPUs in both sets.
    pub fn intersection(&self, other: &CpuSet) -> CpuSet {
        let mut set = *self;
        for (bits, other) in set.bits.iter_mut().zip(other.bits) {
            *bits &= other;
        }
        set
    }

    /// How many CPUs the set holds.
    pub fn len(&self) -> usize {
        self.bits
            .iter()
            .map(|bits| bits.count_ones() as usize)
            .sum()
    }

    /// The CPUs in the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(word, &bits)| {
            let mut rest = bits;
            core::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(word * 64 + bit)
            })
        })
    }
}

impl FromIterator<usize> for CpuSet {
    fn from_iter<I: IntoIterator<Item = usize>>(cpus: I) -> CpuSet {
        let mut set = CpuSet::new();
        cpus.into_iter().for_each(|cpu| set.insert(cpu));
        set
    }
}

#[cfg(feature = "qemu-test")]
mod tests {
    use super::CpuSet;
    use crate::smp::MAX_CPUS;
    use crate::{check_eq, kernel_test};
    use alloc::vec::Vec;

    kernel_test! {
        fn a_cpu_set_works_word_by_word() -> TestResult {
            check_eq!(CpuSet::below(0).len(), 0);
            check_eq!(CpuSet::below(70).len(), 70);
            check_eq!(CpuSet::below(MAX_CPUS).len(), MAX_CPUS);
            check_eq!(CpuSet::below(3).iter().collect::<Vec<_>>(), [0, 1, 2]);

            let mut set: CpuSet = [1, 63, 64, 200, MAX_CPUS - 1].into_iter().collect();
            set.remove(63);
            check_eq!(set.iter().collect::<Vec<_>>(), [1, 64, 200, MAX_CPUS - 1]);
            let below = set.intersection(&CpuSet::below(201));
            check_eq!(below.iter().collect::<Vec<_>>(), [1, 64, 200]);
            check_eq!(below.len(), 3);
            check_eq!(below.contains(64) && !below.contains(63), true);
            Ok(())
        }
    }
}
