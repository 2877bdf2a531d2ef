//! What the VM layer needs from physical memory: the [`PhysicalMemory`] trait.
//!
//! The kernel implements it over its frame allocator and its direct map of physical memory;
//! host tests fake it with a vector of pages. VMOs are its only users: they allocate a frame
//! when a page is first written or faulted in, and free it when the VMO shrinks or dies.
//!
//! Lock order: the implementation's own lock is a leaf (VMOs call it under their lock).

use super::PAGE_SIZE;
use super::page_table::PhysAddr;
use crate::abi::ZxResult;

/// A page of zeros, for [`PhysicalMemory::zero`].
static ZERO_PAGE: [u8; PAGE_SIZE] = [0; PAGE_SIZE];

/// The machine's physical memory, one 4 KiB frame at a time.
///
/// Frame addresses are page-aligned. `offset + len` never exceeds [`PAGE_SIZE`] in the
/// `read`, `write` and `zero` calls the VM layer makes.
pub trait PhysicalMemory: Send + Sync {
    /// A fresh frame filled with zeros. NO_MEMORY when none is left.
    fn alloc_zeroed_frame(&self) -> ZxResult<PhysAddr>;

    /// Returns a frame that `alloc_zeroed_frame` handed out. No page table maps it any more.
    fn free_frame(&self, frame: PhysAddr);

    /// Copies `buf.len()` bytes of `frame`, starting at `offset`, into `buf`.
    fn read(&self, frame: PhysAddr, offset: usize, buf: &mut [u8]);

    /// Copies `data` into `frame`, starting at `offset`.
    fn write(&self, frame: PhysAddr, offset: usize, data: &[u8]);

    /// Fills `len` bytes of `frame`, starting at `offset`, with zeros.
    fn zero(&self, frame: PhysAddr, offset: usize, len: usize) {
        self.write(frame, offset, &ZERO_PAGE[..len]);
    }
}
