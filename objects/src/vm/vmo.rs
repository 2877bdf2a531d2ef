//! Virtual memory objects: page-granular memory that can be read, written and mapped.
//!
//! A [`Vmo`] commits memory on demand. Its pages start uncommitted: reading one gives zeros
//! and commits nothing; writing one, or a page fault through a mapping, allocates a zeroed
//! frame from [`PhysicalMemory`]. Frames go back when the VMO shrinks past them or dies.
//!
//! Invariant (kept under the VMO's lock): every page-table entry that points at one of this
//! VMO's frames lies inside a mapping registered in `mappings` and inside the VMO's size. So
//! entries are created (page faults, `MAP_RANGE`) and removed (unmap, shrink) only while the
//! lock is held, and a shrink unmaps and flushes every registered mapping before it frees a
//! frame. The VMO keeps only weak references to its mappings: the VMAR tree owns them.
//!
//! A VMO is a kernel object: it can be waited on for its user signals, and it asserts
//! `ZX_VMO_ZERO_CHILDREN` for as long as it has no child VMOs, which (without clones) is
//! always.

use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::ops::Range;

use log::debug;
use spin::Mutex;

use super::mapping::Mapping;
use super::options::VmoOptions;
use super::page_table::PhysAddr;
use super::pages::PageMap;
use super::physical::PhysicalMemory;
use super::{PAGE_SIZE, PAGE_SIZE_U64, round_up_page};
use crate::abi::{Koid, ObjectType, Signals, Status, ZxResult};
use crate::object::{KernelObject, ObjectBase};
use crate::signal::SignalState;

/// The largest VMO size: the largest page-aligned 64-bit value. A larger requested size
/// (whose rounding up would overflow) is OUT_OF_RANGE.
pub const VMO_MAX_SIZE: u64 = !(PAGE_SIZE_U64 - 1);

/// A virtual memory object (`ZX_OBJ_TYPE_VMO`).
pub struct Vmo {
    base: ObjectBase,
    signals: SignalState,
    options: VmoOptions,
    physical: Arc<dyn PhysicalMemory>,
    state: Mutex<VmoState>,
}

/// What the VMO's lock guards.
struct VmoState {
    /// The size in bytes, a multiple of the page size.
    size: u64,
    /// `ZX_PROP_VMO_CONTENT_SIZE`: the unrounded size last given, at most `size`.
    content_size: u64,
    /// The committed pages: page index to frame.
    pages: PageMap,
    /// The mappings of this VMO, in every address space.
    mappings: Vec<Weak<Mapping>>,
}

impl Vmo {
    /// `zx_vmo_create`: a zero-filled VMO of `size` bytes rounded up to whole pages, with
    /// content size `size`.
    ///
    /// INVALID_ARGS for options other than `RESIZABLE` or `DISCARDABLE`, or both at once (a
    /// discardable VMO cannot change size); OUT_OF_RANGE when `size` rounds past
    /// [`VMO_MAX_SIZE`].
    pub fn create(
        physical: Arc<dyn PhysicalMemory>,
        size: u64,
        options: VmoOptions,
    ) -> ZxResult<Arc<Vmo>> {
        if VmoOptions::from_bits(options.bits()).is_none()
            || options.contains(VmoOptions::RESIZABLE | VmoOptions::DISCARDABLE)
        {
            return Err(Status::InvalidArgs);
        }
        let rounded = round_up_page(size).ok_or(Status::OutOfRange)?;

        let vmo = Arc::new(Vmo {
            base: ObjectBase::new(ObjectType::Vmo),
            signals: SignalState::new(Signals::VMO_ZERO_CHILDREN),
            options,
            physical,
            state: Mutex::new(VmoState {
                size: rounded,
                content_size: size,
                pages: PageMap::default(),
                mappings: Vec::new(),
            }),
        });
        debug!(
            "vmo {} created: {:#x} bytes, {:?}",
            vmo.koid(),
            rounded,
            options
        );
        Ok(vmo)
    }

    /// The VMO's koid.
    pub fn koid(&self) -> Koid {
        self.base.koid()
    }

    /// The options it was created with.
    pub fn options(&self) -> VmoOptions {
        self.options
    }

    /// Whether `set_size` may change its size (`ZX_VMO_RESIZABLE`).
    pub fn is_resizable(&self) -> bool {
        self.options.contains(VmoOptions::RESIZABLE)
    }

    /// `zx_vmo_get_size`: the size in bytes, a multiple of the page size.
    pub fn size(&self) -> u64 {
        self.state.lock().size
    }

    /// `ZX_PROP_VMO_CONTENT_SIZE`.
    pub fn content_size(&self) -> u64 {
        self.state.lock().content_size
    }

    /// Sets `ZX_PROP_VMO_CONTENT_SIZE` without resizing; OUT_OF_RANGE past the size.
    pub fn set_content_size(&self, content_size: u64) -> ZxResult<()> {
        let mut state = self.state.lock();
        if content_size > state.size {
            return Err(Status::OutOfRange);
        }
        state.content_size = content_size;
        Ok(())
    }

    /// The bytes of committed pages (`committed_bytes` of `ZX_INFO_VMO`).
    pub fn committed_bytes(&self) -> u64 {
        self.state.lock().pages.len() as u64 * PAGE_SIZE_U64
    }

    /// How many mappings show the VMO now, in every address space (`num_mappings` of
    /// `ZX_INFO_VMO`).
    pub fn mapping_count(&self) -> usize {
        let state = self.state.lock();
        state
            .mappings
            .iter()
            .filter(|mapping| mapping.strong_count() > 0)
            .count()
    }

    /// `zx_vmo_read`: fills `buf` from `offset`. Uncommitted pages read as zeros and stay
    /// uncommitted. OUT_OF_RANGE when the range runs past the size.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> ZxResult<()> {
        let state = self.state.lock();
        check_range(offset, buf.len(), state.size)?;
        self.copy_out(&state, offset, buf);
        Ok(())
    }

    /// `zx_vmo_write`: copies `data` to `offset`, committing the pages it touches.
    ///
    /// OUT_OF_RANGE when the range runs past the size; NO_MEMORY when a page cannot be
    /// committed, in which case nothing is written and no page is left committed by the call.
    pub fn write(&self, offset: u64, data: &[u8]) -> ZxResult<()> {
        let mut state = self.state.lock();
        let end = check_range(offset, data.len(), state.size)?;
        self.commit_all(&mut state, page_span(offset, end))?;
        self.copy_in(&state, offset, data);
        Ok(())
    }

    /// `zx_vmo_set_size`: resizes to `size` rounded up to whole pages and sets the content
    /// size to `size`; the bytes from `size` to the next page boundary become zeros.
    ///
    /// Shrinking removes the pages past the new size from every mapping's page table, then
    /// frees their frames. UNAVAILABLE when the VMO is not resizable; OUT_OF_RANGE when `size`
    /// rounds past [`VMO_MAX_SIZE`].
    pub fn set_size(&self, size: u64) -> ZxResult<()> {
        if !self.is_resizable() {
            return Err(Status::Unavailable);
        }
        let rounded = round_up_page(size).ok_or(Status::OutOfRange)?;

        let mut state = self.state.lock();
        if rounded < state.size {
            let removed = rounded..state.size;
            state.mappings.retain(|mapping| mapping.strong_count() > 0);
            for mapping in state.mappings.iter().filter_map(Weak::upgrade) {
                mapping.unmap_vmo_range(removed.clone());
            }
            let freed = state.pages.split_off(rounded / PAGE_SIZE_U64);
            freed.for_each(|frame| self.physical.free_frame(frame));
        }

        let tail = (size % PAGE_SIZE_U64) as usize;
        if tail != 0
            && let Some(frame) = state.pages.get(size / PAGE_SIZE_U64)
        {
            self.physical.zero(frame, tail, PAGE_SIZE - tail);
        }
        state.size = rounded;
        state.content_size = size;
        debug!("vmo {} resized to {:#x}", self.koid(), rounded);
        Ok(())
    }

    /// Reads from `offset` until `buf` is full or the VMO ends; returns the bytes read.
    pub(super) fn read_up_to(&self, offset: u64, buf: &mut [u8]) -> usize {
        let state = self.state.lock();
        let len = clamp_len(offset, buf.len(), state.size);
        self.copy_out(&state, offset, &mut buf[..len]);
        len
    }

    /// Writes from `offset` until `data` is consumed or the VMO ends, committing pages one by
    /// one; returns the bytes written. NO_MEMORY only when not a byte could be written.
    pub(super) fn write_up_to(&self, offset: u64, data: &[u8]) -> ZxResult<usize> {
        let mut state = self.state.lock();
        let len = clamp_len(offset, data.len(), state.size);
        let mut done = 0;
        for chunk in page_chunks(offset, len) {
            if let Err(status) = self.commit(&mut state, chunk.page) {
                return if done == 0 { Err(status) } else { Ok(done) };
            }
            let frame = state.pages[chunk.page];
            self.physical
                .write(frame, chunk.in_page, &data[chunk.bytes.clone()]);
            done = chunk.bytes.end;
        }
        Ok(done)
    }

    /// Runs `f` on the list of this VMO's mappings, under the VMO's lock.
    ///
    /// Mappings register and unregister here, and change their page-table entries inside `f`,
    /// so that a concurrent shrink sees every entry it must remove.
    pub(super) fn with_mappings<R>(&self, f: impl FnOnce(&mut Vec<Weak<Mapping>>) -> R) -> R {
        f(&mut self.state.lock().mappings)
    }

    /// Commits the page at `offset` and hands its frame to `map`, under the VMO's lock.
    /// OUT_OF_RANGE when `offset` is past the size.
    pub(super) fn commit_and_map(
        &self,
        offset: u64,
        map: impl FnOnce(PhysAddr) -> ZxResult<()>,
    ) -> ZxResult<()> {
        let mut state = self.state.lock();
        if offset >= state.size {
            return Err(Status::OutOfRange);
        }
        let page = offset / PAGE_SIZE_U64;
        let frame = self.commit(&mut state, page)?;
        map(frame)
    }

    /// Commits every page of `range` that lies inside the VMO and hands each page's offset
    /// and frame to `map`, under the VMO's lock.
    pub(super) fn commit_range_and_map(
        &self,
        range: Range<u64>,
        mut map: impl FnMut(u64, PhysAddr) -> ZxResult<()>,
    ) -> ZxResult<()> {
        let mut state = self.state.lock();
        let end = range.end.min(state.size);
        for page in range.start / PAGE_SIZE_U64..end.div_ceil(PAGE_SIZE_U64) {
            let frame = self.commit(&mut state, page)?;
            map(page * PAGE_SIZE_U64, frame)?;
        }
        Ok(())
    }

    /// The frame holding the page at `offset`, if committed.
    #[cfg(test)]
    pub(crate) fn committed_frame(&self, offset: u64) -> Option<PhysAddr> {
        self.state.lock().pages.get(offset / PAGE_SIZE_U64)
    }

    /// The frame of `page`, committing a zeroed one if there is none.
    fn commit(&self, state: &mut VmoState, page: u64) -> ZxResult<PhysAddr> {
        if let Some(frame) = state.pages.get(page) {
            return Ok(frame);
        }
        let frame = self.physical.alloc_zeroed_frame()?;
        state.pages.insert(page, frame);
        Ok(frame)
    }

    /// Commits every page of `pages`, or none of those it lacked (NO_MEMORY).
    fn commit_all(&self, state: &mut VmoState, pages: Range<u64>) -> ZxResult<()> {
        let mut fresh = Vec::new();
        for page in pages {
            if state.pages.contains(page) {
                continue;
            }
            match self.physical.alloc_zeroed_frame() {
                Ok(frame) => fresh.push((page, frame)),
                Err(status) => {
                    fresh
                        .iter()
                        .for_each(|&(_, frame)| self.physical.free_frame(frame));
                    return Err(status);
                }
            }
        }
        state.pages.extend(fresh);
        Ok(())
    }

    fn copy_out(&self, state: &VmoState, offset: u64, buf: &mut [u8]) {
        for chunk in page_chunks(offset, buf.len()) {
            let out = &mut buf[chunk.bytes];
            match state.pages.get(chunk.page) {
                Some(frame) => self.physical.read(frame, chunk.in_page, out),
                None => out.fill(0),
            }
        }
    }

    /// Copies `data` into pages that are all committed.
    fn copy_in(&self, state: &VmoState, offset: u64, data: &[u8]) {
        for chunk in page_chunks(offset, data.len()) {
            let frame = state.pages[chunk.page];
            self.physical
                .write(frame, chunk.in_page, &data[chunk.bytes]);
        }
    }
}

impl Drop for Vmo {
    fn drop(&mut self) {
        // No mapping is left: each holds a reference to the VMO.
        let state = self.state.get_mut();
        state
            .pages
            .frames()
            .for_each(|frame| self.physical.free_frame(frame));
    }
}

impl KernelObject for Vmo {
    fn base(&self) -> &ObjectBase {
        &self.base
    }

    fn signal_state(&self) -> Option<&SignalState> {
        Some(&self.signals)
    }
}

impl core::fmt::Debug for Vmo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Vmo")
            .field("koid", &self.koid())
            .field("options", &self.options)
            .finish()
    }
}

/// The end of `[offset, offset + len)`; OUT_OF_RANGE when it passes `size` or overflows.
fn check_range(offset: u64, len: usize, size: u64) -> ZxResult<u64> {
    match offset.checked_add(len as u64) {
        Some(end) if end <= size => Ok(end),
        _ => Err(Status::OutOfRange),
    }
}

/// `len` cut down so that `[offset, offset + len)` ends by `size`.
fn clamp_len(offset: u64, len: usize, size: u64) -> usize {
    let room = size.saturating_sub(offset);
    len.min(usize::try_from(room).unwrap_or(usize::MAX))
}

/// The pages that `[start, end)` touches.
fn page_span(start: u64, end: u64) -> Range<u64> {
    start / PAGE_SIZE_U64..end.div_ceil(PAGE_SIZE_U64)
}

/// The part of a byte range that falls in one page.
struct PageChunk {
    /// The page index.
    page: u64,
    /// Where the chunk starts in the page.
    in_page: usize,
    /// Where the chunk is in the caller's buffer.
    bytes: Range<usize>,
}

/// Splits `[offset, offset + len)` at page boundaries.
fn page_chunks(offset: u64, len: usize) -> impl Iterator<Item = PageChunk> {
    let mut done = 0;
    core::iter::from_fn(move || {
        if done == len {
            return None;
        }
        let at = offset + done as u64;
        let in_page = (at % PAGE_SIZE_U64) as usize;
        let take = (PAGE_SIZE - in_page).min(len - done);
        let chunk = PageChunk {
            page: at / PAGE_SIZE_U64,
            in_page,
            bytes: done..done + take,
        };
        done += take;
        Some(chunk)
    })
}
