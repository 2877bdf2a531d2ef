//! [`CpuSet`]: a set of CPUs by dense index, as TLB shoot-downs name their targets.

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

    /// Every CPU online now.
    pub fn all_online() -> CpuSet {
        let mut set = CpuSet::new();
        (0..super::online_count()).for_each(|cpu| set.insert(cpu));
        set
    }

    /// Adds `cpu`.
    pub fn insert(&mut self, cpu: usize) {
        self.bits[cpu / 64] |= 1 << (cpu % 64);
    }

    /// Whether `cpu` is in the set.
    pub fn contains(&self, cpu: usize) -> bool {
        cpu < MAX_CPUS && self.bits[cpu / 64] & (1 << (cpu % 64)) != 0
    }

    /// The CPUs in the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..MAX_CPUS).filter(|&cpu| self.contains(cpu))
    }
}

impl FromIterator<usize> for CpuSet {
    fn from_iter<I: IntoIterator<Item = usize>>(cpus: I) -> CpuSet {
        let mut set = CpuSet::new();
        cpus.into_iter().for_each(|cpu| set.insert(cpu));
        set
    }
}
