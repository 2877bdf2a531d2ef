//! Mappings: a range of a VMAR that shows a range of a VMO.
//!
//! A [`Mapping`] never changes after it is made. Unmapping part of it, or protecting part of
//! it, replaces it with new mappings for the pieces that remain; the replacement and the
//! page-table changes happen together under the VMO's lock (see the invariant in `vmo.rs`).
//!
//! Page-table entries appear lazily: a page fault commits the VMO page and maps it with the
//! mapping's permissions. `MAP_RANGE` does the same for every page up front.

use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::ops::Range;

use super::page_table::{FaultAccess, MmuFlags, PageTable};
use super::vmo::Vmo;
use super::{PAGE_SIZE, page_align_down};
use crate::abi::{Koid, Rights, Status, ZxResult};

/// A VMO range mapped into an address space.
pub(super) struct Mapping {
    /// The first address, page-aligned.
    pub base: usize,
    /// The size in bytes, a non-zero multiple of the page size.
    pub size: usize,
    /// The VMO shown; the mapping keeps it alive.
    pub vmo: Arc<Vmo>,
    /// The VMO offset shown at `base`, page-aligned.
    pub vmo_offset: u64,
    /// The access permissions (`READ`, `WRITE`, `EXECUTE`; possibly none).
    pub perms: MmuFlags,
    /// The rights of the VMO handle the mapping was made with, which bound later protects.
    pub vmo_rights: Rights,
    /// The page tables of the address space the mapping lives in.
    page_table: Arc<dyn PageTable>,
}

/// What a caller may learn about a mapping (for `ZX_INFO_PROCESS_MAPS` and the tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MappingInfo {
    /// The first address.
    pub base: usize,
    /// The size in bytes.
    pub size: usize,
    /// The koid of the VMO shown.
    pub vmo_koid: Koid,
    /// The VMO offset shown at `base`.
    pub vmo_offset: u64,
    /// The access permissions.
    pub perms: MmuFlags,
}

impl Mapping {
    /// A mapping that is not yet registered with its VMO (see [`Mapping::install`]).
    pub fn new(
        base: usize,
        size: usize,
        vmo: Arc<Vmo>,
        vmo_offset: u64,
        perms: MmuFlags,
        vmo_rights: Rights,
        page_table: Arc<dyn PageTable>,
    ) -> Arc<Mapping> {
        Arc::new(Mapping {
            base,
            size,
            vmo,
            vmo_offset,
            perms,
            vmo_rights,
            page_table,
        })
    }

    /// One past the last address.
    pub fn end(&self) -> usize {
        self.base + self.size
    }

    /// The public description of the mapping.
    pub fn info(&self) -> MappingInfo {
        MappingInfo {
            base: self.base,
            size: self.size,
            vmo_koid: self.vmo.koid(),
            vmo_offset: self.vmo_offset,
            perms: self.perms,
        }
    }

    /// Registers the mapping with its VMO, so that a VMO shrink reaches its page tables.
    pub fn install(self: &Arc<Self>) {
        self.vmo
            .with_mappings(|mappings| mappings.push(Arc::downgrade(self)));
    }

    /// Removes `range` (inside the mapping) from the address space: its page-table entries go,
    /// and the pieces left below and above it replace this mapping. Returns those pieces.
    pub fn cut(self: &Arc<Self>, range: Range<usize>) -> Vec<Arc<Mapping>> {
        let mut pieces = Vec::new();
        if range.start > self.base {
            pieces.push(self.piece(self.base..range.start, self.perms));
        }
        if range.end < self.end() {
            pieces.push(self.piece(range.end..self.end(), self.perms));
        }

        self.vmo.with_mappings(|mappings| {
            self.replace_registration(mappings, &pieces);
            self.page_table.unmap(range.start, range.len());
            self.page_table.flush(range.start, range.len());
        });
        pieces
    }

    /// Takes the mapping out of its VMO's list and leaves the page table alone: its address
    /// space's page table has been retired (see [`PageTable::retire`]).
    pub fn detach(self: &Arc<Self>) {
        let this = Arc::as_ptr(self);
        self.vmo.with_mappings(|mappings| {
            if let Some(index) = mappings.iter().position(|mapping| mapping.as_ptr() == this) {
                mappings.swap_remove(index);
            }
        });
    }

    /// Gives `range` (inside the mapping) the permissions `perms`: the pieces (one to three,
    /// in address order) replace this mapping, and the present entries change with them.
    pub fn reprotect(self: &Arc<Self>, range: Range<usize>, perms: MmuFlags) -> Vec<Arc<Mapping>> {
        let mut pieces = Vec::new();
        if range.start > self.base {
            pieces.push(self.piece(self.base..range.start, self.perms));
        }
        pieces.push(self.piece(range.clone(), perms));
        if range.end < self.end() {
            pieces.push(self.piece(range.end..self.end(), self.perms));
        }

        self.vmo.with_mappings(|mappings| {
            self.replace_registration(mappings, &pieces);
            if perms.contains(MmuFlags::READ) {
                self.page_table
                    .protect(range.start, range.len(), perms | MmuFlags::USER);
            } else {
                self.page_table.unmap(range.start, range.len());
            }
            self.page_table.flush(range.start, range.len());
        });
        pieces
    }

    /// Resolves a fault at `vaddr` (inside the mapping): checks the permission, commits the
    /// VMO page and maps it. ACCESS_DENIED when the mapping forbids `access`; OUT_OF_RANGE
    /// when the page lies past the end of the VMO.
    pub fn fault_in(&self, vaddr: usize, access: FaultAccess) -> ZxResult<()> {
        if !self.perms.contains(access.required()) {
            return Err(Status::AccessDenied);
        }
        let page = page_align_down(vaddr);
        let offset = self.vmo_offset + (page - self.base) as u64;
        let flags = self.perms | MmuFlags::USER;
        self.vmo
            .commit_and_map(offset, |frame| self.page_table.map(page, frame, flags))
    }

    /// Commits and maps every page of the mapping that lies inside the VMO (`MAP_RANGE`).
    pub fn prefault(&self) -> ZxResult<()> {
        if self.perms.is_empty() {
            return Ok(());
        }
        let flags = self.perms | MmuFlags::USER;
        let vmo_range = self.vmo_offset..self.vmo_offset + self.size as u64;
        self.vmo.commit_range_and_map(vmo_range, |offset, frame| {
            let vaddr = self.base + (offset - self.vmo_offset) as usize;
            self.page_table.map(vaddr, frame, flags)
        })
    }

    /// Removes the entries that show VMO offsets in `removed` (a VMO shrink). Called with the
    /// VMO's lock held.
    pub fn unmap_vmo_range(&self, removed: Range<u64>) {
        let shown = self.vmo_offset..self.vmo_offset + self.size as u64;
        let start = removed.start.max(shown.start);
        let end = removed.end.min(shown.end);
        if start >= end {
            return;
        }
        let vaddr = self.base + (start - self.vmo_offset) as usize;
        let len = (end - start) as usize;
        self.page_table.unmap(vaddr, len);
        self.page_table.flush(vaddr, len);
    }

    /// A mapping of `range` (inside this one) with `perms`, showing the same VMO pages.
    fn piece(&self, range: Range<usize>, perms: MmuFlags) -> Arc<Mapping> {
        debug_assert!(range.start >= self.base && range.end <= self.end());
        debug_assert!(range.start.is_multiple_of(PAGE_SIZE) && range.end.is_multiple_of(PAGE_SIZE));
        Mapping::new(
            range.start,
            range.len(),
            self.vmo.clone(),
            self.vmo_offset + (range.start - self.base) as u64,
            perms,
            self.vmo_rights,
            self.page_table.clone(),
        )
    }

    /// Swaps this mapping for `pieces` in the VMO's list, dropping dead entries on the way.
    fn replace_registration(
        self: &Arc<Self>,
        mappings: &mut Vec<Weak<Mapping>>,
        pieces: &[Arc<Self>],
    ) {
        let this = Arc::as_ptr(self);
        mappings.retain(|mapping| mapping.as_ptr() != this && mapping.strong_count() > 0);
        mappings.extend(pieces.iter().map(Arc::downgrade));
    }
}
