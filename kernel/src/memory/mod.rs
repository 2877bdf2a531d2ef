//! Physical and virtual memory of the kernel.
//!
//! The bootloader maps the kernel image in the top 2 GiB and all of physical memory at a
//! dynamic offset (the direct map). From there this module owns: the frame allocator
//! ([`frame_allocator`]), the kernel half of the address space (regions carved from whole unused
//! PML4 slots, created at boot so every later address space can share them), the kernel heap
//! ([`heap`]), which grows on demand, and the audit of the kernel image's page protections
//! ([`kernel_image`]).

pub mod frame_allocator;
pub mod heap;
mod kernel_image;
pub mod pcid;
pub mod physical;
mod regions;
pub mod user_page_table;

use crate::sync::IrqMutex;
use bootloader_api::BootInfo;
use bootloader_api::info::{MemoryRegion, MemoryRegionKind, MemoryRegions};
use core::sync::atomic::{AtomicU64, Ordering};
pub use frame_allocator::FRAME_SIZE;
use frame_allocator::FrameAllocator;
use x86_64::registers::control::Cr3;
use x86_64::structures::paging::{
    Mapper, OffsetPageTable, Page, PageTable, PageTableFlags, PhysFrame, Size4KiB,
};
use x86_64::{PhysAddr, VirtAddr};

pub use regions::KernelRegion;

static FRAMES: IrqMutex<FrameAllocator> = IrqMutex::new(FrameAllocator::empty());
static KERNEL_PAGE_TABLE: IrqMutex<Option<OffsetPageTable<'static>>> = IrqMutex::new(None);
static PHYSICAL_OFFSET: AtomicU64 = AtomicU64::new(0);
static KERNEL_ROOT: spin::Once<PhysFrame> = spin::Once::new();

/// Sets up frames, the kernel address space, the heap and the image protections, and logs what
/// memory was found.
pub fn init(boot_info: &'static mut BootInfo) {
    let offset = boot_info
        .physical_memory_offset
        .into_option()
        .expect("no direct map");
    PHYSICAL_OFFSET.store(offset, Ordering::Relaxed);
    FRAMES.lock().init(&boot_info.memory_regions, offset);
    log_memory_map(&boot_info.memory_regions);

    let (level_4, _) = Cr3::read();
    KERNEL_ROOT.call_once(|| level_4);
    let level_4 = phys_to_virt(level_4.start_address()).as_mut_ptr::<PageTable>();
    // SAFETY: CR3 holds the bootloader's page table, reachable through the direct map; from
    // here on it is used only through KERNEL_PAGE_TABLE.
    let table = unsafe { OffsetPageTable::new(&mut *level_4, VirtAddr::new(offset)) };
    *KERNEL_PAGE_TABLE.lock() = Some(table);

    regions::init();
    heap::init();
    kernel_image::enforce_protections(boot_info.kernel_addr, boot_info.kernel_len);
}

fn log_memory_map(map: &MemoryRegions) {
    let ram = |region: &&MemoryRegion| is_ram(region.kind);
    let total: u64 = map
        .iter()
        .filter(ram)
        .map(|region| region.end - region.start)
        .sum();
    let usable = FRAMES.lock().stats().usable * FRAME_SIZE;
    log::info!(
        "memory: {} MiB RAM, {} MiB usable by the kernel ({} memory-map regions)",
        total >> 20,
        usable >> 20,
        map.len()
    );
}

/// Whether a memory-map region is backed by RAM (as opposed to holes and device ranges).
fn is_ram(kind: MemoryRegionKind) -> bool {
    // E820 types (ACPI 6.5, Table 15.1): 3 = ACPI reclaimable, 4 = ACPI NVS. UEFI memory types
    // (UEFI 2.10, Table 7.10): 1-4 loader and boot-services code/data, 5-6 runtime services,
    // 7 conventional, 9 ACPI reclaimable, 10 ACPI NVS.
    match kind {
        MemoryRegionKind::Usable | MemoryRegionKind::Bootloader => true,
        MemoryRegionKind::UnknownBios(kind) => matches!(kind, 3 | 4),
        MemoryRegionKind::UnknownUefi(kind) => matches!(kind, 1..=7 | 9 | 10),
        _ => false,
    }
}

/// The kernel's own level-4 table (loaded when no user address space is).
pub fn kernel_root() -> PhysFrame {
    *KERNEL_ROOT.get().expect("memory::init ran")
}

/// Where physical address `address` appears in the direct map.
pub fn phys_to_virt(address: PhysAddr) -> VirtAddr {
    VirtAddr::new(PHYSICAL_OFFSET.load(Ordering::Relaxed) + address.as_u64())
}

/// Allocates a physical frame, zero-filled.
pub fn allocate_zeroed_frame() -> Option<PhysFrame> {
    let frame = FRAMES.lock().allocate()?;
    let page = phys_to_virt(frame.start_address()).as_mut_ptr::<u8>();
    // SAFETY: the frame was just allocated, so nothing else refers to it, and the direct map
    // makes its 4 KiB writable at `page`.
    unsafe { core::ptr::write_bytes(page, 0, FRAME_SIZE as usize) };
    Some(frame)
}

/// Returns a frame obtained from [`allocate_zeroed_frame`]. A frame that is not the allocator's,
/// or is free already, is refused and logged (see [`frame_allocator`]).
pub fn free_frame(frame: PhysFrame) {
    let _ = FRAMES.lock().deallocate(frame);
}

/// Returns several frames, as [`free_frame`] does, under one acquisition of the allocator.
pub fn free_frames(frames: impl Iterator<Item = PhysFrame>) {
    let mut allocator = FRAMES.lock();
    frames.for_each(|frame| {
        let _ = allocator.deallocate(frame);
    });
}

/// Returns a frame as [`free_frame`] does, saying whether the allocator took it.
#[cfg(feature = "qemu-test")]
pub fn try_free_frame(frame: PhysFrame) -> Result<(), frame_allocator::BadFree> {
    FRAMES.lock().deallocate(frame)
}

/// Frame counters.
#[cfg(feature = "qemu-test")]
pub fn frame_stats() -> frame_allocator::FrameStats {
    FRAMES.lock().stats()
}

/// The frame below 1 MiB reserved for real-mode code.
pub fn low_frame() -> Option<PhysFrame> {
    FRAMES.lock().low_frame()
}

/// Maps `page` to a fresh zeroed frame in the kernel half with `flags` (plus PRESENT).
pub fn map_new_kernel_page(page: Page, flags: PageTableFlags) -> Result<(), MapError> {
    let frame = allocate_zeroed_frame().ok_or(MapError::OutOfMemory)?;
    map_kernel_page(page, frame, flags).inspect_err(|_| free_frame(frame))
}

/// Maps `page` to `frame` in the kernel half with `flags` (plus PRESENT).
pub fn map_kernel_page(
    page: Page,
    frame: PhysFrame,
    flags: PageTableFlags,
) -> Result<(), MapError> {
    let mut table = KERNEL_PAGE_TABLE.lock();
    let table = table.as_mut().expect("memory::init ran");
    let mut frames = PageTableFrames;
    // SAFETY: kernel-half pages mapped here belong to regions this module reserved, so the new
    // mapping cannot alias memory that Rust code already uses.
    let flush = unsafe { table.map_to(page, frame, flags | PageTableFlags::PRESENT, &mut frames) }
        .map_err(|_| MapError::AlreadyMapped)?;
    flush.flush();
    Ok(())
}

/// Removes the mapping of `page` from the kernel's table and flushes it from this CPU's TLB;
/// returns the frame it mapped. Other CPUs are the caller's to flush.
pub fn unmap_kernel_page(page: Page) -> Option<PhysFrame> {
    with_kernel_page_table(|table| {
        let (frame, flush) = table.unmap(page).ok()?;
        flush.flush();
        Some(frame)
    })
}

/// A frame below 4 GiB holding a copy of the kernel's PML4 (so it shares every lower table),
/// for code that must load a 32-bit CR3; `None` if no such frame can be found quickly.
pub fn copy_of_kernel_pml4_below_4gib() -> Option<PhysFrame> {
    const TRIES: usize = 64;
    let mut rejected = alloc::vec::Vec::new();
    let mut found = None;
    for _ in 0..TRIES {
        let frame = allocate_zeroed_frame()?;
        if frame.start_address().as_u64() >> 32 == 0 {
            found = Some(frame);
            break;
        }
        rejected.push(frame);
    }
    rejected.into_iter().for_each(free_frame);
    let copy = found?;
    let (current, _) = Cr3::read();
    // SAFETY: both frames are reachable through the direct map; `copy` was just allocated and
    // nothing else refers to it.
    unsafe {
        core::ptr::copy_nonoverlapping(
            phys_to_virt(current.start_address()).as_ptr::<u8>(),
            phys_to_virt(copy.start_address()).as_mut_ptr::<u8>(),
            FRAME_SIZE as usize,
        )
    };
    Some(copy)
}

/// Why a kernel mapping failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapError {
    OutOfMemory,
    AlreadyMapped,
}

/// Page-table frames come from the frame allocator, zeroed.
struct PageTableFrames;

// SAFETY: frames come from the frame allocator, each handed out once.
unsafe impl x86_64::structures::paging::FrameAllocator<Size4KiB> for PageTableFrames {
    fn allocate_frame(&mut self) -> Option<PhysFrame<Size4KiB>> {
        allocate_zeroed_frame()
    }
}

/// Runs `f` on the kernel's page table.
fn with_kernel_page_table<R>(f: impl FnOnce(&mut OffsetPageTable<'static>) -> R) -> R {
    f(KERNEL_PAGE_TABLE.lock().as_mut().expect("memory::init ran"))
}

/// Whether every byte of `[address, address + len)` is mapped in the current address space.
///
/// Walks the page tables through the direct map without taking any lock, so the fatal-exception
/// path can use it whatever state the kernel is in.
pub fn is_mapped(address: u64, len: u64) -> bool {
    let offset = PHYSICAL_OFFSET.load(Ordering::Relaxed);
    if offset == 0 || len == 0 {
        return offset != 0;
    }
    let first = address / FRAME_SIZE;
    let Some(last) = address.checked_add(len - 1).map(|end| end / FRAME_SIZE) else {
        return false;
    };
    (first..=last).all(|page| page_is_mapped(page * FRAME_SIZE, offset))
}

fn page_is_mapped(address: u64, offset: u64) -> bool {
    let Ok(address) = VirtAddr::try_new(address) else {
        return false;
    };
    let mut table = Cr3::read().0.start_address().as_u64();
    let indices = [
        address.p4_index(),
        address.p3_index(),
        address.p2_index(),
        address.p1_index(),
    ];
    for (level, index) in indices.into_iter().enumerate() {
        // SAFETY: `table` is the physical address of a page table of the active hierarchy, and
        // the direct map covers all physical memory; the entry is only read.
        let table_ref = unsafe { &*((offset + table) as *const PageTable) };
        let entry = &table_ref[index];
        let flags = entry.flags();
        if !flags.contains(PageTableFlags::PRESENT) {
            return false;
        }
        if level > 0 && level < 3 && flags.contains(PageTableFlags::HUGE_PAGE) {
            return true;
        }
        table = entry.addr().as_u64();
    }
    true
}

/// A kernel address for `len` bytes of ordinary memory (firmware tables) at `address`: the direct
/// map when it covers them, otherwise a fresh uncached mapping.
pub fn map_physical(address: PhysAddr, len: u64) -> VirtAddr {
    let direct = phys_to_virt(address);
    if is_mapped(direct.as_u64(), len.max(1)) {
        return direct;
    }
    map_mmio(address, len)
}

/// Next free byte of the device-memory region.
static MMIO_NEXT: IrqMutex<u64> = IrqMutex::new(0);

/// Maps `len` bytes of device registers at `address` uncached, in the device-memory region.
/// Mappings are permanent: devices are mapped once at boot.
pub fn map_mmio(address: PhysAddr, len: u64) -> VirtAddr {
    let first = PhysFrame::<Size4KiB>::containing_address(address);
    let last = PhysFrame::<Size4KiB>::containing_address(address + len.max(1) - 1u64);
    let pages = last.start_address() - first.start_address() + FRAME_SIZE;

    let mut next = MMIO_NEXT.lock();
    let base = KernelRegion::Mmio.base() + *next;
    *next += pages;
    drop(next);

    let flags = PageTableFlags::WRITABLE
        | PageTableFlags::NO_EXECUTE
        | PageTableFlags::NO_CACHE
        | PageTableFlags::WRITE_THROUGH
        | PageTableFlags::GLOBAL;
    for (i, frame) in PhysFrame::range_inclusive(first, last).enumerate() {
        let page = Page::containing_address(base + i as u64 * FRAME_SIZE);
        map_kernel_page(page, frame, flags).expect("device mapping failed");
    }
    base + (address.as_u64() - first.start_address().as_u64())
}

/// The flags of the page-table entry that maps `address` in the kernel's table.
#[cfg(feature = "qemu-test")]
fn page_flags(address: u64) -> Option<PageTableFlags> {
    use x86_64::structures::paging::Translate;
    use x86_64::structures::paging::mapper::TranslateResult;
    with_kernel_page_table(|table| match table.translate(VirtAddr::new(address)) {
        TranslateResult::Mapped { flags, .. } => Some(flags),
        _ => None,
    })
}

#[cfg(feature = "qemu-test")]
mod tests;
