//! Multiprocessor support. Until application processors are started, the bootstrap CPU is the
//! only one, and stopping "the others" has nothing to do.

/// Asks every other CPU to stop (used by the panic path).
pub fn stop_other_cpus() {}

/// Invalidates `[address, address + len)` of the address space rooted at `root` on the CPUs in
/// `cpus` (one bit per CPU index). With only the bootstrap CPU running there is nobody to ask.
pub fn tlb_shootdown(
    _cpus: &[u64; 4],
    _root: x86_64::structures::paging::PhysFrame,
    _address: u64,
    _len: u64,
) {
}
