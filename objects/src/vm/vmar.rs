//! Virtual memory address regions: the handle-facing side of an address space's VMAR tree.
//!
//! A [`Vmar`] names one VMAR of an [`AddressSpace`] and carries its fixed range and options;
//! what it holds lives in the address space's tree (`tree.rs`), under the address space's
//! lock. The parent holds each child: dropping a `Vmar` (closing its handles) leaves the VMAR
//! and its mappings in place; only [`Vmar::destroy`] (or an unmap over it) removes them, after
//! which every operation through the `Vmar` is BAD_STATE.
//!
//! The operations follow spec section 4 (`zx_vmar_allocate`, `zx_vmar_map`, `zx_vmar_protect`,
//! `zx_vmar_unmap`, `zx_vmar_destroy`). Checks that need the rights of the handles involved
//! take those rights as parameters; the syscall layer passes them through unchanged.
//!
//! Decisions where Zircon's documents leave room: `map` rounds `len` up to whole pages, as
//! the newer documents say (spec §4.2 records both readings), and `protect` rounds `len` up
//! too (its error list does not name an unaligned length), while `unmap` rejects an unaligned
//! `len` (its list does). An `unmap` whose range holds no mapping
//! and no child VMAR is NOT_FOUND. Beyond section 4, `OFFSET_IS_UPPER_LIMIT` (map and
//! allocate) places the region anywhere that ends by `offset`, as in current Zircon.
//!
//! A VMAR is a kernel object that cannot be waited on: it has no signals (spec §1.1 gives
//! its handles no `WAIT` right).

use alloc::sync::Arc;
use core::ops::Range;

use log::debug;

use super::address_space::AddressSpace;
use super::mapping::Mapping;
use super::options::{VmOptions, rights_for};
use super::page_table::MmuFlags;
use super::tree::{VmarId, VmarTree};
use super::vmo::Vmo;
use super::{PAGE_SIZE, round_up_page_len};
use crate::abi::{Koid, ObjectType, Rights, Status, ZxResult, new_koid};
use crate::object::{KernelObject, ObjectBase};
use crate::signal::SignalState;

/// The options `zx_vmar_map` accepts (besides the alignment field).
const MAP_OPTIONS: VmOptions = VmOptions::PERMS
    .union(VmOptions::PERM_READ_IF_XOM_UNSUPPORTED)
    .union(VmOptions::SPECIFIC)
    .union(VmOptions::SPECIFIC_OVERWRITE)
    .union(VmOptions::MAP_RANGE)
    .union(VmOptions::REQUIRE_NON_RESIZABLE)
    .union(VmOptions::ALLOW_FAULTS)
    .union(VmOptions::OFFSET_IS_UPPER_LIMIT);

/// The options `zx_vmar_allocate` accepts (besides the alignment field).
const ALLOCATE_OPTIONS: VmOptions = VmOptions::COMPACT
    .union(VmOptions::SPECIFIC)
    .union(VmOptions::CAN_MAP_SPECIFIC)
    .union(VmOptions::CAN_MAP_RWX)
    .union(VmOptions::OFFSET_IS_UPPER_LIMIT);

/// The options a child VMAR keeps.
const VMAR_FLAGS: VmOptions = VmOptions::COMPACT
    .union(VmOptions::CAN_MAP_SPECIFIC)
    .union(VmOptions::CAN_MAP_RWX);

/// The options `zx_vmar_protect` accepts.
const PROTECT_OPTIONS: VmOptions = VmOptions::PERMS.union(VmOptions::PERM_READ_IF_XOM_UNSUPPORTED);

/// A virtual memory address region (`ZX_OBJ_TYPE_VMAR`).
pub struct Vmar {
    base: ObjectBase,
    id: VmarId,
    range: Range<usize>,
    flags: VmOptions,
    aspace: Arc<AddressSpace>,
}

/// Where an operation places its region.
enum Where {
    /// At this address (`SPECIFIC`, `SPECIFIC_OVERWRITE`).
    At(usize),
    /// Anywhere free that ends by this address.
    Below(usize),
}

impl Vmar {
    /// The `Vmar` for node `id` of `aspace`'s tree.
    pub(super) fn new(
        koid: Koid,
        id: VmarId,
        range: Range<usize>,
        flags: VmOptions,
        aspace: Arc<AddressSpace>,
    ) -> Arc<Vmar> {
        Arc::new(Vmar {
            base: ObjectBase::with_koid(ObjectType::Vmar, koid),
            id,
            range,
            flags,
            aspace,
        })
    }

    /// The VMAR's koid.
    pub fn koid(&self) -> Koid {
        self.base.koid()
    }

    /// Its first address.
    pub fn base(&self) -> usize {
        self.range.start
    }

    /// Its size in bytes.
    pub fn size(&self) -> usize {
        self.range.len()
    }

    /// Its options: `CAN_MAP_*` and `COMPACT`.
    pub fn flags(&self) -> VmOptions {
        self.flags
    }

    /// The address space it belongs to.
    pub fn address_space(&self) -> &Arc<AddressSpace> {
        &self.aspace
    }

    /// The rights a new handle to this VMAR gets: the VMAR defaults plus `READ`, `WRITE` and
    /// `EXECUTE` for each `CAN_MAP_*` it has.
    pub fn default_rights(&self) -> Rights {
        Rights::DEFAULT_VMAR | rights_for(self.flags.can_map())
    }

    /// Whether the VMAR has been destroyed.
    pub fn is_destroyed(&self) -> bool {
        self.aspace.tree.lock().node(self.id).is_err()
    }

    /// The first checks of `zx_vmar_map`, which need only its options and the rights of its
    /// two handles; returns the permissions asked for. [`Vmar::map`] starts with them; the
    /// syscall layer also runs them before it applies the caller's `ZX_POL_VMAR_WX` policy,
    /// so that a request the handles could not grant fails on its rights, not on the policy.
    ///
    /// Errors: INVALID_ARGS (unsupported options; `PERM_WRITE` or `PERM_EXECUTE` without
    /// `PERM_READ`; `MAP_RANGE` with `SPECIFIC_OVERWRITE`); ACCESS_DENIED (no `MAP` right on
    /// the VMO handle; `PERM_x` without the right x on either handle).
    pub fn check_map_rights(
        options: VmOptions,
        vmar_rights: Rights,
        vmo_rights: Rights,
    ) -> ZxResult<MmuFlags> {
        options.accept_only(MAP_OPTIONS)?;
        if !vmo_rights.contains(Rights::MAP) {
            return Err(Status::AccessDenied);
        }
        let perms = options.perms()?;
        if options.contains(VmOptions::MAP_RANGE | VmOptions::SPECIFIC_OVERWRITE) {
            return Err(Status::InvalidArgs);
        }
        let needed = rights_for(perms);
        if !vmar_rights.contains(needed) || !vmo_rights.contains(needed) {
            return Err(Status::AccessDenied);
        }
        Ok(perms)
    }

    /// The first checks of `zx_vmar_protect`, on its options and the rights of its handle;
    /// returns the permissions asked for. As [`Vmar::check_map_rights`] for `map`.
    ///
    /// Errors: INVALID_ARGS (options other than `PERM_*`; `PERM_WRITE` or `PERM_EXECUTE`
    /// without `PERM_READ`); ACCESS_DENIED (`PERM_x` without the right x on the handle).
    pub fn check_protect_rights(options: VmOptions, vmar_rights: Rights) -> ZxResult<MmuFlags> {
        if options.bits() & !PROTECT_OPTIONS.bits() != 0 {
            return Err(Status::InvalidArgs);
        }
        let perms = options.perms()?;
        if !vmar_rights.contains(rights_for(perms)) {
            return Err(Status::AccessDenied);
        }
        Ok(perms)
    }

    /// `zx_vmar_allocate`: a child VMAR of `size` bytes, with the `COMPACT`, `CAN_MAP_*`
    /// options of `options`. `vmar_rights` are the rights of this VMAR's handle.
    ///
    /// Errors: INVALID_ARGS (options other than `COMPACT`, `SPECIFIC`, `CAN_MAP_*`,
    /// `OFFSET_IS_UPPER_LIMIT` and an alignment; `offset` non-zero without `SPECIFIC`; `offset`
    /// or `size` not page-aligned; `size` zero; the range outside this VMAR); ACCESS_DENIED
    /// (`CAN_MAP_x` this VMAR lacks or without the handle right x; `SPECIFIC` without this
    /// VMAR's `CAN_MAP_SPECIFIC`); BAD_STATE (destroyed); NO_MEMORY (no room, or a `SPECIFIC`
    /// range already used).
    pub fn allocate(
        &self,
        options: VmOptions,
        offset: usize,
        size: usize,
        vmar_rights: Rights,
    ) -> ZxResult<Arc<Vmar>> {
        options.accept_only(ALLOCATE_OPTIONS)?;
        let can_map = options.can_map();
        if !vmar_rights.contains(rights_for(can_map)) {
            return Err(Status::AccessDenied);
        }
        let align = options.alignment()?;
        if size == 0 || !size.is_multiple_of(PAGE_SIZE) {
            return Err(Status::InvalidArgs);
        }
        let place = self.place(options, offset, size, align)?;

        let mut tree = self.aspace.tree.lock();
        if !tree.node(self.id)?.flags.can_map().contains(can_map) {
            return Err(Status::AccessDenied);
        }
        let base = self.claim(&mut tree, place, size, align, false)?;

        let flags = options & VMAR_FLAGS;
        let id = tree.insert_vmar(self.id, base..base + size, flags);
        let child = Vmar::new(
            new_koid(),
            id,
            base..base + size,
            flags,
            self.aspace.clone(),
        );
        debug!(
            "vmar {} allocated vmar {} at {:#x}+{:#x}",
            self.koid(),
            child.koid(),
            base,
            size
        );
        Ok(child)
    }

    /// `zx_vmar_map`: maps `len` bytes (rounded up to whole pages) of `vmo` from `vmo_offset`
    /// and returns the address. `vmar_rights` and `vmo_rights` are the rights of the two
    /// handles; the mapping remembers `vmo_rights` to bound later protects.
    ///
    /// Errors: INVALID_ARGS (unsupported options; `PERM_WRITE` or `PERM_EXECUTE` without
    /// `PERM_READ`; `MAP_RANGE` with `SPECIFIC_OVERWRITE`; `vmar_offset` non-zero without
    /// `SPECIFIC`; unaligned offsets; `len` zero; the range outside the VMAR; a
    /// `SPECIFIC_OVERWRITE` range over a child VMAR); ACCESS_DENIED (no `MAP` right; `PERM_x`
    /// without the VMAR's `CAN_MAP_x` or the right x on either handle; `SPECIFIC` without
    /// `CAN_MAP_SPECIFIC`); NOT_SUPPORTED (a resizable VMO without `ALLOW_FAULTS`, or with
    /// `REQUIRE_NON_RESIZABLE`); BUFFER_TOO_SMALL (past the end of the VMO without
    /// `ALLOW_FAULTS`); NO_MEMORY (no room; a `SPECIFIC` range already used; out of memory
    /// for `MAP_RANGE`); OUT_OF_RANGE (`vmo_offset + len` overflows); BAD_STATE (destroyed).
    #[allow(
        clippy::too_many_arguments,
        reason = "mirrors zx_vmar_map plus the handle rights"
    )]
    pub fn map(
        &self,
        options: VmOptions,
        vmar_offset: usize,
        vmo: &Arc<Vmo>,
        vmo_offset: u64,
        len: usize,
        vmar_rights: Rights,
        vmo_rights: Rights,
    ) -> ZxResult<usize> {
        let perms = Vmar::check_map_rights(options, vmar_rights, vmo_rights)?;
        check_resizable(options, vmo)?;

        let align = options.alignment()?;
        if len == 0 || !vmo_offset.is_multiple_of(PAGE_SIZE as u64) {
            return Err(Status::InvalidArgs);
        }
        let len = round_up_page_len(len).ok_or(Status::OutOfRange)?;
        let vmo_end = vmo_offset
            .checked_add(len as u64)
            .ok_or(Status::OutOfRange)?;
        if !options.contains(VmOptions::ALLOW_FAULTS) && vmo_end > vmo.size() {
            return Err(Status::BufferTooSmall);
        }
        let place = self.place(options, vmar_offset, len, align)?;

        let mut tree = self.aspace.tree.lock();
        if !tree.node(self.id)?.flags.can_map().contains(perms) {
            return Err(Status::AccessDenied);
        }
        let overwrite = options.contains(VmOptions::SPECIFIC_OVERWRITE);
        let base = self.claim(&mut tree, place, len, align, overwrite)?;

        let page_table = self.aspace.page_table().clone();
        let mapping = Mapping::new(
            base,
            len,
            vmo.clone(),
            vmo_offset,
            perms,
            vmo_rights,
            page_table,
        );
        mapping.install();
        tree.insert_mapping(self.id, mapping.clone());
        if options.contains(VmOptions::MAP_RANGE)
            && let Err(status) = mapping.prefault()
        {
            tree.unmap(self.id, base..base + len, false)?;
            return Err(status);
        }
        debug!(
            "vmar {} mapped vmo {} at {:#x}+{:#x} {:?}",
            self.koid(),
            vmo.koid(),
            base,
            len,
            perms
        );
        Ok(base)
    }

    /// `zx_vmar_protect`: gives `[addr, addr + len)` (`len` rounded up to whole pages) the
    /// permissions in `options`. `vmar_rights` are the rights of this VMAR's handle.
    ///
    /// Errors: INVALID_ARGS (options other than `PERM_*`; `PERM_WRITE` or `PERM_EXECUTE`
    /// without `PERM_READ`; `addr` unaligned; `len` zero; the range outside the VMAR or
    /// holding a child VMAR); ACCESS_DENIED (the right x missing on this handle, or the
    /// VMAR's `CAN_MAP_x` or the mapping's VMO handle right x missing, for a `PERM_x` asked);
    /// NOT_FOUND (part of the range unmapped); BAD_STATE (destroyed).
    pub fn protect(
        &self,
        options: VmOptions,
        addr: usize,
        len: usize,
        vmar_rights: Rights,
    ) -> ZxResult<()> {
        let perms = Vmar::check_protect_rights(options, vmar_rights)?;
        let range = page_range(addr, round_up_page_len(len).ok_or(Status::InvalidArgs)?)?;

        let mut tree = self.aspace.tree.lock();
        tree.node(self.id)?;
        self.check_inside(&range)?;
        tree.protect(self.id, range.clone(), perms)?;
        debug!(
            "vmar {} protected {:#x}..{:#x} to {:?}",
            self.koid(),
            range.start,
            range.end,
            perms
        );
        Ok(())
    }

    /// `zx_vmar_unmap`: unmaps every mapping in `[addr, addr + len)`, cutting those partly
    /// inside, and destroys every child VMAR inside.
    ///
    /// Errors: INVALID_ARGS (`addr` or `len` unaligned; `len` zero; the range outside the
    /// VMAR; a child VMAR partly inside); NOT_FOUND (nothing in the range); BAD_STATE
    /// (destroyed).
    pub fn unmap(&self, addr: usize, len: usize) -> ZxResult<()> {
        if !len.is_multiple_of(PAGE_SIZE) {
            return Err(Status::InvalidArgs);
        }
        let range = page_range(addr, len)?;

        let mut tree = self.aspace.tree.lock();
        tree.node(self.id)?;
        self.check_inside(&range)?;
        if !tree.unmap(self.id, range.clone(), true)? {
            return Err(Status::NotFound);
        }
        debug!(
            "vmar {} unmapped {:#x}..{:#x}",
            self.koid(),
            range.start,
            range.end
        );
        Ok(())
    }

    /// `zx_vmar_destroy`: unmaps everything in the VMAR, destroys its children and makes
    /// every later operation on it (or them) BAD_STATE. The range becomes free in the parent.
    pub fn destroy(&self) -> ZxResult<()> {
        let mut tree = self.aspace.tree.lock();
        tree.node(self.id)?;
        tree.destroy(self.id);
        debug!("vmar {} destroyed", self.koid());
        Ok(())
    }

    /// Where `options` and `offset` ask to place `size` bytes aligned to `align`, checked
    /// against the VMAR's range (INVALID_ARGS when it cannot fit there).
    fn place(
        &self,
        options: VmOptions,
        offset: usize,
        size: usize,
        align: usize,
    ) -> ZxResult<Where> {
        let specific = options.intersects(VmOptions::SPECIFIC | VmOptions::SPECIFIC_OVERWRITE);
        let upper_limit = options.contains(VmOptions::OFFSET_IS_UPPER_LIMIT);
        if specific && upper_limit {
            return Err(Status::InvalidArgs);
        }

        if specific {
            if !offset.is_multiple_of(PAGE_SIZE)
                || offset >= self.size()
                || size > self.size() - offset
            {
                return Err(Status::InvalidArgs);
            }
            let base = self.base() + offset;
            if !base.is_multiple_of(align) {
                return Err(Status::InvalidArgs);
            }
            return Ok(Where::At(base));
        }

        let limit = if upper_limit { offset } else { self.size() };
        if (!upper_limit && offset != 0) || limit > self.size() {
            return Err(Status::InvalidArgs);
        }
        // Placement chosen by the kernel: a size that fits nowhere is "no free range of that
        // size" (NO_MEMORY), as for a VMAR whose gaps are all too small.
        if size > limit {
            return Err(Status::NoMemory);
        }
        Ok(Where::Below(self.base() + limit))
    }

    /// The base of a free range of `size` bytes at `place`, in the locked `tree`.
    ///
    /// ACCESS_DENIED for a specific place when the VMAR lacks `CAN_MAP_SPECIFIC`; NO_MEMORY
    /// when the specific range is in use, or when no range fits. With `overwrite`, the
    /// mappings in a specific range are unmapped instead (INVALID_ARGS, with nothing changed,
    /// when a child VMAR is there).
    fn claim(
        &self,
        tree: &mut VmarTree,
        place: Where,
        size: usize,
        align: usize,
        overwrite: bool,
    ) -> ZxResult<usize> {
        match place {
            Where::At(base) => {
                if !tree
                    .node(self.id)?
                    .flags
                    .contains(VmOptions::CAN_MAP_SPECIFIC)
                {
                    return Err(Status::AccessDenied);
                }
                let range = base..base + size;
                if !tree.is_free(self.id, &range) {
                    if !overwrite {
                        return Err(Status::NoMemory);
                    }
                    tree.unmap(self.id, range, false)?;
                }
                Ok(base)
            }
            Where::Below(limit) => tree
                .find_spot(self.id, size, align, limit)
                .ok_or(Status::NoMemory),
        }
    }

    /// INVALID_ARGS unless `range` lies inside the VMAR.
    fn check_inside(&self, range: &Range<usize>) -> ZxResult<()> {
        if range.start < self.range.start || range.end > self.range.end {
            return Err(Status::InvalidArgs);
        }
        Ok(())
    }
}

impl KernelObject for Vmar {
    fn base(&self) -> &ObjectBase {
        &self.base
    }

    fn signal_state(&self) -> Option<&SignalState> {
        None
    }
}

impl core::fmt::Debug for Vmar {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Vmar")
            .field("koid", &self.koid())
            .field("range", &self.range)
            .field("flags", &self.flags)
            .finish()
    }
}

/// NOT_SUPPORTED when `options` forbid mapping a resizable `vmo`: it needs `ALLOW_FAULTS`
/// (its end may move under the mapping) and must not meet `REQUIRE_NON_RESIZABLE`.
fn check_resizable(options: VmOptions, vmo: &Vmo) -> ZxResult<()> {
    let refused = options.contains(VmOptions::REQUIRE_NON_RESIZABLE)
        || !options.contains(VmOptions::ALLOW_FAULTS);
    if vmo.is_resizable() && refused {
        return Err(Status::NotSupported);
    }
    Ok(())
}

/// `[addr, addr + len)`; INVALID_ARGS when `addr` is unaligned, `len` is zero or the end
/// overflows.
fn page_range(addr: usize, len: usize) -> ZxResult<Range<usize>> {
    if !addr.is_multiple_of(PAGE_SIZE) || len == 0 {
        return Err(Status::InvalidArgs);
    }
    let end = addr.checked_add(len).ok_or(Status::InvalidArgs)?;
    Ok(addr..end)
}
