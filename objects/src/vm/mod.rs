//! Virtual memory: VMOs, VMARs, mappings and address spaces, with Zircon's semantics (spec
//! section 4).
//!
//! - [`Vmo`] (`vmo.rs`): memory committed page by page on first write or fault, from the
//!   kernel's [`PhysicalMemory`].
//! - [`AddressSpace`] (`address_space.rs`): a process's root VMAR and its tree of child VMARs
//!   and mappings (`tree.rs`, `mapping.rs`), shown to the CPU through the kernel's
//!   [`PageTable`]; it resolves page faults and the process memory syscalls.
//! - [`Vmar`] (`vmar.rs`): one VMAR of that tree, with `allocate`, `map`, `protect`, `unmap`
//!   and `destroy`; placement of non-specific regions is in `placement.rs`.
//! - [`VmOptions`] and [`VmoOptions`] (`options.rs`): the option words, with Zircon's values.
//!
//! Mapping is lazy: a mapping has no page-table entries until a fault (or `MAP_RANGE`) asks
//! for a page. Every change to a mapping (unmap, protect, destroy) and every VMO shrink
//! removes or changes the entries it affects in every address space that maps the VMO, and
//! flushes them before a frame is freed.
//!
//! # Lock order
//!
//! 1. An address space's VMAR-tree lock (`AddressSpace::tree`).
//! 2. A VMO's lock (`Vmo::state`): its pages, size and list of mappings.
//! 3. The kernel's page-table and frame-allocator locks, inside the trait implementations.
//!    They are leaves: an implementation never calls back into this module.
//!
//! A VMO's lock is never held while a tree lock is taken. Page-table entries that point at a
//! VMO's frames are created and removed only under that VMO's lock, so a shrink on one CPU and
//! a fault or unmap on another cannot leave an entry pointing at a freed frame; the page-table
//! trait is therefore called with the VMO lock held, which is safe because its own lock is a
//! leaf. The kernel's `flush` must not wait for a CPU that spins on one of these locks with
//! interrupts disabled.

mod address_space;
mod mapping;
mod options;
mod page_table;
mod pages;
mod physical;
mod placement;
mod tree;
mod vmar;
mod vmo;

#[cfg(any(test, feature = "vm-fakes"))]
pub mod fake;
#[cfg(test)]
mod tests;

pub use address_space::{AddressSpace, USER_ASPACE_BASE, USER_ASPACE_END};
pub use mapping::MappingInfo;
pub use options::{VmOptions, VmoOptions, rights_for};
pub use page_table::{FaultAccess, MmuFlags, PageTable, PhysAddr};
pub use physical::PhysicalMemory;
pub use syscalls_abi::ZX_VM_ALIGN_BASE;
pub use vmar::Vmar;
pub use vmo::{VMO_MAX_SIZE, Vmo};

/// The size of a page and of a physical frame (4 KiB): the ABI's `ZX_PAGE_SIZE`.
pub const PAGE_SIZE: usize = syscalls_abi::ZX_PAGE_SIZE;

/// [`PAGE_SIZE`] as a VMO offset.
pub const PAGE_SIZE_U64: u64 = PAGE_SIZE as u64;

// Addresses (`usize`) and VMO offsets (`u64`) convert into each other with `as`; this holds
// on every target Spinel builds for (x86_64 and 64-bit hosts).
const _: () = assert!(usize::BITS == u64::BITS);

/// `size` rounded up to whole pages; `None` when that overflows.
pub(crate) fn round_up_page(size: u64) -> Option<u64> {
    size.checked_next_multiple_of(PAGE_SIZE_U64)
}

/// `len` rounded up to whole pages; `None` when that overflows.
pub(crate) fn round_up_page_len(len: usize) -> Option<usize> {
    len.checked_next_multiple_of(PAGE_SIZE)
}

/// The start of the page holding `vaddr`.
pub(crate) fn page_align_down(vaddr: usize) -> usize {
    vaddr & !(PAGE_SIZE - 1)
}
