//! Regions of the kernel half carved out of whole, unused PML4 slots.
//!
//! The bootloader places its dynamic mappings (direct map, boot info, framebuffer, boot stack) in
//! PML4 slots of its choosing, so the kernel finds free slots at boot instead of assuming fixed
//! addresses. Each region's level-3 table is created right away: later kernel mappings then only
//! change tables below the PML4, and every process address space, which copies the kernel's PML4
//! entries when it is created, sees them without being updated.

use super::{allocate_zeroed_frame, with_kernel_page_table};
use core::sync::atomic::{AtomicU64, Ordering};
use x86_64::VirtAddr;
use x86_64::structures::paging::PageTableFlags;

/// Bytes covered by one PML4 entry (512 GiB).
pub const SLOT_SIZE: u64 = 1 << 39;
/// The first PML4 index of the kernel half.
const KERNEL_HALF_FIRST_SLOT: usize = 256;

/// A kernel region: one PML4 slot of virtual space.
#[derive(Clone, Copy, Debug)]
pub enum KernelRegion {
    /// The kernel heap.
    Heap = 0,
    /// Device memory (APIC, HPET, ...), mapped uncached.
    Mmio = 1,
    /// Kernel stacks with guard pages (application processors).
    Stacks = 2,
}

const REGION_COUNT: usize = 3;
static BASES: [AtomicU64; REGION_COUNT] = [const { AtomicU64::new(0) }; REGION_COUNT];

impl KernelRegion {
    /// The first address of the region.
    pub fn base(self) -> VirtAddr {
        let base = BASES[self as usize].load(Ordering::Relaxed);
        assert!(base != 0, "kernel regions are reserved in memory::init");
        VirtAddr::new(base)
    }
}

/// Picks a free kernel-half PML4 slot for each region and gives it a level-3 table.
pub fn init() {
    with_kernel_page_table(|table| {
        let level_4 = table.level_4_table_mut();
        let mut free_slots = (KERNEL_HALF_FIRST_SLOT..512).filter(|&i| level_4[i].is_unused());
        let slots: [usize; REGION_COUNT] = core::array::from_fn(|_| {
            free_slots
                .next()
                .expect("no free PML4 slot in the kernel half")
        });
        for (region, slot) in slots.into_iter().enumerate() {
            let level_3 = allocate_zeroed_frame().expect("out of memory at boot");
            let flags = PageTableFlags::PRESENT | PageTableFlags::WRITABLE;
            level_4[slot].set_frame(level_3, flags);
            let base = VirtAddr::new_truncate((slot as u64 * SLOT_SIZE) | 0xffff_0000_0000_0000);
            BASES[region].store(base.as_u64(), Ordering::Relaxed);
        }
    });
}
