//! The physical frame allocator.
//!
//! Every usable region of the bootloader's memory map is handed out, not only the largest one.
//! Fresh frames come from a bump cursor that walks the regions in order, so boot touches no
//! frame it does not use; freed frames go onto an intrusive stack whose links live in the free
//! frames themselves (reached through the direct map), so freeing needs no memory of its own.
//! Frames below 1 MiB are left out: real-mode code (the application-processor trampoline) needs
//! them, and [`FrameAllocator::low_frame`] hands one out on request.

use bootloader_api::info::{MemoryRegionKind, MemoryRegions};
use x86_64::PhysAddr;
use x86_64::structures::paging::{PhysFrame, Size4KiB};

/// Size of a frame.
pub const FRAME_SIZE: u64 = 4096;
/// The first megabyte: reserved for real-mode code.
const LOW_MEMORY_END: u64 = 0x10_0000;
/// The most usable regions tracked; firmware maps rarely list more than a few dozen.
const MAX_REGIONS: usize = 128;

/// Counters for boot messages and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameStats {
    /// Frames in every usable region above 1 MiB.
    pub usable: u64,
    /// Frames not allocated right now.
    pub free: u64,
}

/// Hands out and takes back 4 KiB physical frames.
pub struct FrameAllocator {
    regions: [(u64, u64); MAX_REGIONS],
    region_count: usize,
    /// Index of the region the bump cursor is in, and the next fresh frame address.
    cursor_region: usize,
    cursor: u64,
    /// Top of the stack of freed frames (0 = empty); each free frame stores the next address.
    free_top: u64,
    /// Where the direct map of physical memory starts.
    physical_offset: u64,
    /// The first usable frame below 1 MiB, if any, kept for real-mode code.
    low_frame: Option<u64>,
    stats: FrameStats,
}

impl FrameAllocator {
    /// An allocator with no memory, until [`init`](Self::init).
    pub const fn empty() -> Self {
        FrameAllocator {
            regions: [(0, 0); MAX_REGIONS],
            region_count: 0,
            cursor_region: 0,
            cursor: 0,
            free_top: 0,
            physical_offset: 0,
            low_frame: None,
            stats: FrameStats { usable: 0, free: 0 },
        }
    }

    /// Takes every usable region of `map` (page-aligned inwards).
    pub fn init(&mut self, map: &MemoryRegions, physical_offset: u64) {
        self.physical_offset = physical_offset;
        for region in map
            .iter()
            .filter(|region| region.kind == MemoryRegionKind::Usable)
        {
            let start = region.start.next_multiple_of(FRAME_SIZE);
            let end = region.end / FRAME_SIZE * FRAME_SIZE;
            if start < LOW_MEMORY_END && self.low_frame.is_none() {
                // Frame 0 holds the real-mode interrupt table; never hand it out.
                let first = start.max(FRAME_SIZE);
                self.low_frame = (first + FRAME_SIZE <= end.min(LOW_MEMORY_END)).then_some(first);
            }
            self.add_region(start.max(LOW_MEMORY_END), end);
        }
        self.cursor = self.regions[0].0;
    }

    fn add_region(&mut self, start: u64, end: u64) {
        if start >= end {
            return;
        }
        if self.region_count == MAX_REGIONS {
            log::warn!("memory map has more than {MAX_REGIONS} usable regions; ignoring the rest");
            return;
        }
        self.regions[self.region_count] = (start, end);
        self.region_count += 1;
        let frames = (end - start) / FRAME_SIZE;
        self.stats.usable += frames;
        self.stats.free += frames;
    }

    /// A free frame, or `None` when memory is exhausted. Its contents are undefined.
    pub fn allocate(&mut self) -> Option<PhysFrame> {
        let address = self.pop_freed().or_else(|| self.bump())?;
        self.stats.free -= 1;
        Some(PhysFrame::containing_address(PhysAddr::new(address)))
    }

    /// Returns `frame` to the allocator.
    pub fn deallocate(&mut self, frame: PhysFrame) {
        let address = frame.start_address().as_u64();
        debug_assert!(
            self.owns(address),
            "freeing a frame this allocator never gave out"
        );
        self.write_link(address, self.free_top);
        self.free_top = address;
        self.stats.free += 1;
    }

    /// The current counters.
    pub fn stats(&self) -> FrameStats {
        self.stats
    }

    /// The frame below 1 MiB kept for real-mode code, if the map had one.
    pub fn low_frame(&self) -> Option<PhysFrame> {
        self.low_frame
            .map(|address| PhysFrame::containing_address(PhysAddr::new(address)))
    }

    fn pop_freed(&mut self) -> Option<u64> {
        if self.free_top == 0 {
            return None;
        }
        let address = self.free_top;
        self.free_top = self.read_link(address);
        Some(address)
    }

    fn bump(&mut self) -> Option<u64> {
        while self.cursor_region < self.region_count {
            let (_, end) = self.regions[self.cursor_region];
            if self.cursor < end {
                let address = self.cursor;
                self.cursor += FRAME_SIZE;
                return Some(address);
            }
            self.cursor_region += 1;
            self.cursor = self
                .regions
                .get(self.cursor_region)
                .map_or(0, |region| region.0);
        }
        None
    }

    fn owns(&self, address: u64) -> bool {
        self.regions[..self.region_count]
            .iter()
            .any(|&(start, end)| (start..end).contains(&address))
    }

    fn link_pointer(&self, address: u64) -> *mut u64 {
        (self.physical_offset + address) as *mut u64
    }

    fn write_link(&mut self, frame: u64, next: u64) {
        // SAFETY: `frame` is a free frame owned by this allocator, so nothing else uses it, and
        // the direct map makes it writable at `physical_offset + frame`.
        unsafe { self.link_pointer(frame).write(next) };
    }

    fn read_link(&self, frame: u64) -> u64 {
        // SAFETY: `frame` is on the free stack, whose first word holds the next link written by
        // `write_link`.
        unsafe { self.link_pointer(frame).read() }
    }
}

// SAFETY: the allocator only hands out frames from usable regions, each at most once until it is
// deallocated.
unsafe impl x86_64::structures::paging::FrameAllocator<Size4KiB> for FrameAllocator {
    fn allocate_frame(&mut self) -> Option<PhysFrame<Size4KiB>> {
        self.allocate()
    }
}
