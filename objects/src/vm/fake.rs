//! Fakes of the two machine traits, for tests here and in the crates above (feature
//! `vm-fakes`).
//!
//! [`FakePhysicalMemory`] keeps frames in a map and never reuses an address, so an entry left
//! pointing at a freed frame stays detectable; it panics on a double free or on touching a
//! frame that is not allocated. [`FakePageTable`] keeps entries in a map and logs unmaps,
//! protects, flushes and its retirement (after which a map or protect panics). Both stamp their
//! events from one global counter, so a test can check that a range was flushed before its
//! frames were freed.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::ops::Range;
use core::sync::atomic::{AtomicU64, Ordering};

use spin::Mutex;

use super::page_table::{MmuFlags, PageTable, PhysAddr};
use super::physical::PhysicalMemory;
use super::{PAGE_SIZE, PAGE_SIZE_U64};
use crate::abi::{Status, ZxResult};

/// Orders the events of every fake.
static EVENT_CLOCK: AtomicU64 = AtomicU64::new(0);

fn stamp() -> u64 {
    EVENT_CLOCK.fetch_add(1, Ordering::Relaxed)
}

/// The first fake frame address: non-zero, so that 0 never looks like a frame.
const FIRST_FAKE_FRAME: PhysAddr = 0x10_0000;

/// Physical memory as a map of boxed pages, with an optional limit on live frames.
pub struct FakePhysicalMemory {
    state: Mutex<Frames>,
}

struct Frames {
    live: BTreeMap<PhysAddr, Box<[u8; PAGE_SIZE]>>,
    next: PhysAddr,
    limit: usize,
    /// Each freed frame, with the stamp of its freeing.
    freed: Vec<(u64, PhysAddr)>,
}

impl FakePhysicalMemory {
    /// Memory without a limit.
    pub fn new() -> Arc<FakePhysicalMemory> {
        FakePhysicalMemory::with_limit(usize::MAX)
    }

    /// Memory that holds at most `frames` live frames at a time.
    pub fn with_limit(frames: usize) -> Arc<FakePhysicalMemory> {
        let frames = Frames {
            live: BTreeMap::new(),
            next: FIRST_FAKE_FRAME,
            limit: frames,
            freed: Vec::new(),
        };
        Arc::new(FakePhysicalMemory {
            state: Mutex::new(frames),
        })
    }

    /// Changes the limit on live frames.
    pub fn set_limit(&self, frames: usize) {
        self.state.lock().limit = frames;
    }

    /// How many frames are allocated.
    pub fn allocated(&self) -> usize {
        self.state.lock().live.len()
    }

    /// Whether `frame` is allocated.
    pub fn is_live(&self, frame: PhysAddr) -> bool {
        self.state.lock().live.contains_key(&frame)
    }

    /// The frames freed so far, each with the stamp of its freeing.
    pub fn freed(&self) -> Vec<(u64, PhysAddr)> {
        self.state.lock().freed.clone()
    }
}

impl PhysicalMemory for FakePhysicalMemory {
    fn alloc_zeroed_frame(&self) -> ZxResult<PhysAddr> {
        let mut state = self.state.lock();
        if state.live.len() >= state.limit {
            return Err(Status::NoMemory);
        }
        let frame = state.next;
        state.next += PAGE_SIZE_U64;
        state.live.insert(frame, Box::new([0; PAGE_SIZE]));
        Ok(frame)
    }

    fn free_frame(&self, frame: PhysAddr) {
        let mut state = self.state.lock();
        assert!(
            state.live.remove(&frame).is_some(),
            "freeing {frame:#x}, which is not allocated"
        );
        state.freed.push((stamp(), frame));
    }

    fn read(&self, frame: PhysAddr, offset: usize, buf: &mut [u8]) {
        let state = self.state.lock();
        let page = state
            .live
            .get(&frame)
            .expect("reading a frame that is not allocated");
        buf.copy_from_slice(&page[offset..offset + buf.len()]);
    }

    fn write(&self, frame: PhysAddr, offset: usize, data: &[u8]) {
        let mut state = self.state.lock();
        let page = state
            .live
            .get_mut(&frame)
            .expect("writing a frame that is not allocated");
        page[offset..offset + data.len()].copy_from_slice(data);
    }
}

/// A call a [`FakePageTable`] received, other than `map`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageTableEvent {
    /// `unmap` of a range.
    Unmap(Range<usize>),
    /// `protect` of a range.
    Protect(Range<usize>, MmuFlags),
    /// `flush` of a range.
    Flush(Range<usize>),
    /// `retire`: every entry removed and flushed.
    Retire,
}

/// Page tables as a map from page address to frame and flags.
pub struct FakePageTable {
    state: Mutex<Entries>,
}

struct Entries {
    map: BTreeMap<usize, (PhysAddr, MmuFlags)>,
    log: Vec<(u64, PageTableEvent)>,
    maps: usize,
    retired: bool,
}

impl FakePageTable {
    /// Empty page tables.
    pub fn new() -> Arc<FakePageTable> {
        let entries = Entries {
            map: BTreeMap::new(),
            log: Vec::new(),
            maps: 0,
            retired: false,
        };
        Arc::new(FakePageTable {
            state: Mutex::new(entries),
        })
    }

    /// The entry for the page at `vaddr`.
    pub fn entry(&self, vaddr: usize) -> Option<(PhysAddr, MmuFlags)> {
        self.state.lock().map.get(&vaddr).copied()
    }

    /// Every entry, by page address.
    pub fn entries(&self) -> BTreeMap<usize, (PhysAddr, MmuFlags)> {
        self.state.lock().map.clone()
    }

    /// How many `map` calls it received.
    pub fn map_calls(&self) -> usize {
        self.state.lock().maps
    }

    /// Every unmap, protect, flush and retire so far, each with its stamp.
    pub fn log(&self) -> Vec<(u64, PageTableEvent)> {
        self.state.lock().log.clone()
    }
}

impl PageTable for FakePageTable {
    fn map(&self, vaddr: usize, paddr: PhysAddr, flags: MmuFlags) -> ZxResult<()> {
        assert_eq!(vaddr % PAGE_SIZE, 0, "unaligned map of {vaddr:#x}");
        let mut state = self.state.lock();
        assert!(!state.retired, "map of {vaddr:#x} after retire");
        state.maps += 1;
        state.map.insert(vaddr, (paddr, flags));
        Ok(())
    }

    fn unmap(&self, vaddr: usize, len: usize) {
        let mut state = self.state.lock();
        let range = vaddr..vaddr + len;
        let doomed: Vec<usize> = state
            .map
            .range(range.clone())
            .map(|(&page, _)| page)
            .collect();
        doomed.iter().for_each(|page| _ = state.map.remove(page));
        state.log.push((stamp(), PageTableEvent::Unmap(range)));
    }

    fn protect(&self, vaddr: usize, len: usize, flags: MmuFlags) {
        assert!(
            flags.contains(MmuFlags::READ),
            "protect to {flags:?} instead of an unmap"
        );
        let mut state = self.state.lock();
        assert!(!state.retired, "protect of {vaddr:#x} after retire");
        let range = vaddr..vaddr + len;
        state
            .map
            .range_mut(range.clone())
            .for_each(|(_, entry)| entry.1 = flags);
        state
            .log
            .push((stamp(), PageTableEvent::Protect(range, flags)));
    }

    fn flush(&self, vaddr: usize, len: usize) {
        let mut state = self.state.lock();
        state
            .log
            .push((stamp(), PageTableEvent::Flush(vaddr..vaddr + len)));
    }

    fn retire(&self) {
        let mut state = self.state.lock();
        state.retired = true;
        state.map.clear();
        state.log.push((stamp(), PageTableEvent::Retire));
    }
}
