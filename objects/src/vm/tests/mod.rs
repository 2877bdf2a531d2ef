//! Host tests of the VM layer, one file per operation of spec section 4, named after the
//! behaviour they check; `model.rs` holds the property tests against a model address space.

mod allocate;
mod fault;
mod handles;
mod map;
mod model;
mod protect;
mod unmap;
mod vmo;

use alloc::sync::Arc;

use super::fake::{FakePageTable, FakePhysicalMemory};
use super::*;
use crate::abi::{Rights, ZxResult};

/// A page.
const P: usize = PAGE_SIZE;

/// `PERM_READ | PERM_WRITE`.
const RW: VmOptions = VmOptions::PERM_READ.union(VmOptions::PERM_WRITE);

/// The rights of a root VMAR handle: every mapping right.
const VMAR_RIGHTS: Rights = Rights::DEFAULT_VMAR
    .union(Rights::READ)
    .union(Rights::WRITE)
    .union(Rights::EXECUTE);

/// A VMO handle with every right that matters here, `EXECUTE` included.
const VMO_RIGHTS: Rights = Rights::DEFAULT_VMO.union(Rights::EXECUTE);

/// The seed of every test address space.
const SEED: u64 = 0x5eed;

/// An address space over the user range, with fake page tables and memory.
struct Fixture {
    phys: Arc<FakePhysicalMemory>,
    pt: Arc<FakePageTable>,
    aspace: Arc<AddressSpace>,
    root: Arc<Vmar>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture::with_range(USER_ASPACE_BASE..USER_ASPACE_END)
    }

    fn with_range(range: core::ops::Range<usize>) -> Fixture {
        let phys = FakePhysicalMemory::new();
        let pt = FakePageTable::new();
        let aspace = AddressSpace::new(pt.clone(), range, SEED).unwrap();
        let root = aspace.root_vmar();
        Fixture {
            phys,
            pt,
            aspace,
            root,
        }
    }

    /// A VMO of `pages` pages from this fixture's memory.
    fn vmo(&self, pages: usize) -> Arc<Vmo> {
        Vmo::create(self.phys.clone(), (pages * P) as u64, VmoOptions::empty()).unwrap()
    }

    /// A resizable VMO of `pages` pages.
    fn resizable_vmo(&self, pages: usize) -> Arc<Vmo> {
        Vmo::create(self.phys.clone(), (pages * P) as u64, VmoOptions::RESIZABLE).unwrap()
    }

    /// A child VMAR of `pages` pages with every `CAN_MAP_*` option.
    fn child(&self, pages: usize) -> Arc<Vmar> {
        let options = VmOptions::CAN_MAP_RWX | VmOptions::CAN_MAP_SPECIFIC;
        self.root
            .allocate(options, 0, pages * P, VMAR_RIGHTS)
            .unwrap()
    }

    /// Maps all of `vmo` read-write somewhere in `vmar`.
    fn map_rw(&self, vmar: &Vmar, vmo: &Arc<Vmo>) -> usize {
        vmar.map(RW, 0, vmo, 0, vmo.size() as usize, VMAR_RIGHTS, VMO_RIGHTS)
            .unwrap()
    }

    /// Maps `pages` pages of `vmo` at `offset` in `vmar`, with `options` plus `SPECIFIC`.
    fn map_at(
        &self,
        vmar: &Vmar,
        offset: usize,
        vmo: &Arc<Vmo>,
        pages: usize,
        options: VmOptions,
    ) -> ZxResult<usize> {
        let options = options | VmOptions::SPECIFIC;
        vmar.map(options, offset, vmo, 0, pages * P, VMAR_RIGHTS, VMO_RIGHTS)
    }

    /// Whether the page at `vaddr` reads back through `read_memory`.
    fn is_mapped(&self, vaddr: usize) -> bool {
        self.aspace.read_memory(vaddr, &mut [0u8]).is_ok()
    }
}
