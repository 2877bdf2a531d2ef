//! What the VM layer needs from the machine's page tables: the [`PageTable`] trait the kernel
//! implements for each address space, and the permissions a page-table entry carries.
//!
//! The VM layer decides what is mapped; the trait only applies it. It calls `unmap` and
//! `protect` for ranges, then `flush` for the same range before it frees any frame that was
//! mapped there, so an implementation may defer TLB invalidation (and the shoot-down of other
//! CPUs) to `flush`. When a whole address space goes, it calls `retire` once instead, and lets
//! go of its mappings without unmapping them one by one.
//!
//! Lock order: the implementation's own lock is a leaf. Spinel calls the trait while holding
//! an address space's VMAR-tree lock and a VMO's lock, so an implementation must never call
//! back into VMARs or VMOs.

use bitflags::bitflags;

use crate::abi::ZxResult;

/// A physical address.
pub type PhysAddr = u64;

bitflags! {
    /// The permissions of a page-table entry.
    ///
    /// A mapping's permissions use `READ`, `WRITE` and `EXECUTE`; every entry the VM layer
    /// creates for user space also carries `USER`. An entry is never writable or executable
    /// without being readable.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct MmuFlags: u32 {
        const READ = 1 << 0;
        const WRITE = 1 << 1;
        const EXECUTE = 1 << 2;
        /// Reachable from user mode.
        const USER = 1 << 3;

        /// Every access permission.
        const RWX = Self::READ.bits() | Self::WRITE.bits() | Self::EXECUTE.bits();
    }
}

/// One address space's page tables, as the kernel keeps them.
///
/// Addresses and lengths are page-aligned. Entries outside what the VM layer mapped are never
/// touched through this trait. `Any` lets the kernel get its own type back, to load the table.
pub trait PageTable: core::any::Any + Send + Sync {
    /// Maps the page at `vaddr` to the frame at `paddr` with `flags`, replacing any entry
    /// already there. NO_MEMORY when a page-table frame cannot be allocated.
    fn map(&self, vaddr: usize, paddr: PhysAddr, flags: MmuFlags) -> ZxResult<()>;

    /// Removes every entry in `[vaddr, vaddr + len)`; absent entries are skipped.
    fn unmap(&self, vaddr: usize, len: usize);

    /// Sets the permissions of every present entry in `[vaddr, vaddr + len)` to `flags`;
    /// absent entries stay absent. `flags` always grants at least `READ`: the VM layer unmaps
    /// a range instead of protecting it to no access.
    fn protect(&self, vaddr: usize, len: usize, flags: MmuFlags);

    /// Makes the changes to `[vaddr, vaddr + len)` visible to every CPU that may have cached
    /// entries of this address space (TLB invalidation and shoot-down), and returns when they
    /// are.
    fn flush(&self, vaddr: usize, len: usize);

    /// Removes every entry at once, for an address space being torn down, and makes that
    /// visible to every CPU as `flush` does before it returns. The VM layer then makes no
    /// `map` or `protect` call for this address space; `unmap` and `flush` may still come
    /// (from a VMO that shrinks meanwhile) and find nothing.
    fn retire(&self);
}

/// The access that caused a page fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultAccess {
    /// A load.
    Read,
    /// A store.
    Write,
    /// An instruction fetch.
    Execute,
}

impl FaultAccess {
    /// The permission the access needs.
    pub fn required(self) -> MmuFlags {
        match self {
            FaultAccess::Read => MmuFlags::READ,
            FaultAccess::Write => MmuFlags::WRITE,
            FaultAccess::Execute => MmuFlags::EXECUTE,
        }
    }
}
