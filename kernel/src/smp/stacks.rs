//! Kernel stacks in their own kernel region, each below an unmapped guard page, so that a stack
//! overflow faults instead of overwriting whatever lies below.
//!
//! Stacks are carved from [`KernelRegion::Stacks`] by a bump pointer and never freed: the only
//! users are the application processors, whose stacks live as long as the machine.

use crate::memory::{KernelRegion, map_new_kernel_page};
use crate::sync::IrqMutex;
use x86_64::VirtAddr;
use x86_64::structures::paging::{Page, PageTableFlags};

const PAGE_SIZE: u64 = 4096;

/// Bytes of the region handed out so far, guard pages included.
static NEXT: IrqMutex<u64> = IrqMutex::new(0);

/// Maps a stack of `size` bytes (rounded up to pages) above a guard page; returns its top.
pub fn allocate(size: usize) -> Option<VirtAddr> {
    let pages = (size as u64).div_ceil(PAGE_SIZE);
    let mut next = NEXT.lock();
    let guard = KernelRegion::Stacks.base() + *next;
    *next += (pages + 1) * PAGE_SIZE;
    drop(next);

    let bottom = guard + PAGE_SIZE;
    let flags = PageTableFlags::WRITABLE | PageTableFlags::NO_EXECUTE | PageTableFlags::GLOBAL;
    for i in 0..pages {
        let page = Page::containing_address(bottom + i * PAGE_SIZE);
        map_new_kernel_page(page, flags).ok()?;
    }
    Some(bottom + pages * PAGE_SIZE)
}
