//! The physical frame allocator.
//!
//! Every usable region of the bootloader's memory map is handed out, not only the largest one.
//! Fresh frames come from a bump cursor that walks the regions in order, so boot touches no
//! frame it does not use; freed frames go onto an intrusive stack whose links live in the free
//! frames themselves (reached through the direct map), so freeing needs no memory of its own.
//! Frames below 1 MiB are left out: real-mode code (the application-processor trampoline) needs
//! them, and [`FrameAllocator::low_frame`] hands one out on request.
//!
//! A bitmap with one bit per usable frame, set while the frame is handed out, lives in the first
//! frames of a usable region. A free of a frame that is not the allocator's, or that is free
//! already, is refused and logged: pushing it would link a frame twice into the free stack (or a
//! frame the kernel uses for something else), and two owners would later get the same frame.

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
    /// The bit index of each region's first frame in `in_use`.
    region_first_bit: [usize; MAX_REGIONS],
    /// One bit per frame of the regions, set while it is handed out (empty without memory).
    in_use: &'static mut [u64],
}

/// Why a free was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadFree {
    /// The frame is in no usable region (or in the allocator's own bitmap).
    NotOurs,
    /// The frame is free already.
    AlreadyFree,
}

/// Bits in a word of the bitmap.
const BITS_PER_WORD: usize = u64::BITS as usize;

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
            region_first_bit: [0; MAX_REGIONS],
            in_use: &mut [],
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
        self.place_bitmap();
        self.cursor = self.regions[0].0;
    }

    /// Takes the in-use bitmap's frames from the start of the first region with room for it,
    /// zeroes it and numbers the regions' frames.
    fn place_bitmap(&mut self) {
        let words = (self.stats.usable as usize).div_ceil(BITS_PER_WORD);
        let frames = (words * size_of::<u64>()).div_ceil(FRAME_SIZE as usize) as u64;
        let Some(region) = self.regions[..self.region_count]
            .iter_mut()
            .find(|(start, end)| (end - start) / FRAME_SIZE >= frames)
        else {
            log::warn!("memory: no region holds the frame bitmap; freed frames are not reused");
            return;
        };
        let address = region.0;
        region.0 += frames * FRAME_SIZE;
        self.stats.usable -= frames;
        self.stats.free -= frames;
        let words_pointer = (self.physical_offset + address) as *mut u64;
        // SAFETY: the bitmap's frames were just taken out of the usable regions, so nothing else
        // ever uses them, and the direct map makes them writable; `words` u64s fit in `frames`.
        self.in_use = unsafe {
            core::ptr::write_bytes(words_pointer, 0, words);
            core::slice::from_raw_parts_mut(words_pointer, words)
        };
        let mut first_bit = 0;
        for (index, &(start, end)) in self.regions[..self.region_count].iter().enumerate() {
            self.region_first_bit[index] = first_bit;
            first_bit += ((end - start) / FRAME_SIZE) as usize;
        }
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
        if let Some(bit) = self.bit_of(address) {
            self.in_use[bit / BITS_PER_WORD] |= 1 << (bit % BITS_PER_WORD);
        }
        Some(PhysFrame::containing_address(PhysAddr::new(address)))
    }

    /// Returns `frame` to the allocator; a frame that is not the allocator's, or that is free
    /// already, is refused (and logged), and the free stack is left as it was.
    pub fn deallocate(&mut self, frame: PhysFrame) -> Result<(), BadFree> {
        let address = frame.start_address().as_u64();
        let checked = self.take_back(address);
        if let Err(error) = checked {
            log::error!("memory: refusing to free frame {address:#x}: {error:?}");
            return checked;
        }
        self.write_link(address, self.free_top);
        self.free_top = address;
        self.stats.free += 1;
        Ok(())
    }

    /// Clears the in-use bit of the frame at `address`, if it is set.
    fn take_back(&mut self, address: u64) -> Result<(), BadFree> {
        let bit = self.bit_of(address).ok_or(BadFree::NotOurs)?;
        let word = &mut self.in_use[bit / BITS_PER_WORD];
        let mask = 1 << (bit % BITS_PER_WORD);
        if *word & mask == 0 {
            return Err(BadFree::AlreadyFree);
        }
        *word &= !mask;
        Ok(())
    }

    /// The in-use bit of the frame at `address`, if it is in a usable region and the bitmap
    /// exists.
    fn bit_of(&self, address: u64) -> Option<usize> {
        if self.in_use.is_empty() {
            return None;
        }
        let regions = &self.regions[..self.region_count];
        let index = regions
            .iter()
            .position(|&(start, end)| (start..end).contains(&address))?;
        let frame = ((address - regions[index].0) / FRAME_SIZE) as usize;
        Some(self.region_first_bit[index] + frame)
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
