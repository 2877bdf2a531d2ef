//! An address space: a process's root VMAR, its tree of VMARs and mappings, and the page
//! tables that show them to the CPU.
//!
//! The [`AddressSpace`] owns the VMAR tree behind one lock (the first in the VM lock order,
//! see `vm/mod.rs`) and resolves what needs the whole tree: page faults, and the reads and
//! writes of `zx_process_read_memory` / `zx_process_write_memory`. Destroying it (or dropping
//! it) destroys the root VMAR, which removes every page-table entry it made.

use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::ops::Range;

use log::{debug, trace};
use spin::Mutex;

use super::PAGE_SIZE;
use super::mapping::MappingInfo;
use super::options::VmOptions;
use super::page_table::{FaultAccess, PageTable};
use super::tree::VmarTree;
use super::vmar::Vmar;
use crate::abi::{Koid, Status, ZxResult, new_koid};

/// The first address of a process's root VMAR: user space starts at 16 MiB, so that small
/// and null pointers, and offsets from them, fault.
pub const USER_ASPACE_BASE: usize = 0x0000_0000_0100_0000;

/// One past the last address of a process's root VMAR: the top of the lower canonical half
/// of a 48-bit x86_64 address space, less one page, so that no user range ends at or crosses
/// the non-canonical hole.
pub const USER_ASPACE_END: usize = 0x0000_7fff_ffff_f000;

/// The options of a root VMAR: everything may be mapped, anywhere (as Zircon's root VMAR).
const ROOT_VMAR_FLAGS: VmOptions = VmOptions::CAN_MAP_SPECIFIC.union(VmOptions::CAN_MAP_RWX);

/// A process's address space.
pub struct AddressSpace {
    range: Range<usize>,
    root_koid: Koid,
    /// The root VMAR while someone holds it, so that every view of it is one object.
    root_vmar: Mutex<Weak<Vmar>>,
    page_table: Arc<dyn PageTable>,
    /// The VMAR tree; first in the lock order.
    pub(super) tree: Mutex<VmarTree>,
}

impl AddressSpace {
    /// An empty address space whose root VMAR spans `range` and whose page tables are
    /// `page_table`. `aslr_seed` seeds the placement of mappings and VMARs (the kernel passes
    /// a hardware random number; tests a constant).
    ///
    /// INVALID_ARGS unless `range` is non-empty, page-aligned and does not start at 0.
    pub fn new(
        page_table: Arc<dyn PageTable>,
        range: Range<usize>,
        aslr_seed: u64,
    ) -> ZxResult<Arc<AddressSpace>> {
        let aligned = range.start.is_multiple_of(PAGE_SIZE) && range.end.is_multiple_of(PAGE_SIZE);
        if !aligned || range.start == 0 || range.end <= range.start {
            return Err(Status::InvalidArgs);
        }
        let tree = VmarTree::new(range.clone(), ROOT_VMAR_FLAGS, aslr_seed);
        let root_koid = new_koid();
        debug!(
            "address space with root vmar {} over {:#x}..{:#x}",
            root_koid, range.start, range.end
        );
        Ok(Arc::new(AddressSpace {
            range,
            root_koid,
            root_vmar: Mutex::new(Weak::new()),
            page_table,
            tree: Mutex::new(tree),
        }))
    }

    /// The root VMAR, with the same koid on every call: the same object while anyone holds
    /// it, a new object for the same VMAR once it has been dropped.
    pub fn root_vmar(self: &Arc<Self>) -> Arc<Vmar> {
        let mut cached = self.root_vmar.lock();
        if let Some(root) = cached.upgrade() {
            return root;
        }
        let id = self.tree.lock().root();
        let root = Vmar::new(
            self.root_koid,
            id,
            self.range.clone(),
            ROOT_VMAR_FLAGS,
            self.clone(),
        );
        *cached = Arc::downgrade(&root);
        root
    }

    /// The range of the root VMAR.
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    /// The page tables of this address space.
    pub fn page_table(&self) -> &Arc<dyn PageTable> {
        &self.page_table
    }

    /// Resolves a page fault at `vaddr`: finds the mapping, checks that it allows `access`,
    /// commits the VMO page and maps it. On error the fault is real and the thread must get
    /// a fatal page-fault exception: NOT_FOUND (nothing mapped there), ACCESS_DENIED (the
    /// mapping forbids the access) or OUT_OF_RANGE (the page lies past the end of the VMO).
    /// NO_MEMORY when no frame is left.
    pub fn handle_page_fault(&self, vaddr: usize, access: FaultAccess) -> ZxResult<()> {
        let tree = self.tree.lock();
        let mapping = tree.find_mapping(vaddr).ok_or(Status::NotFound)?;
        let result = mapping.fault_in(vaddr, access);
        trace!("page fault at {:#x} ({:?}): {:?}", vaddr, access, result);
        result
    }

    /// Reads `buf.len()` bytes from `vaddr` through the mappings, whatever their permissions,
    /// and returns how many were read: fewer when the range runs into unmapped memory or past
    /// the end of a VMO. NO_MEMORY when nothing is mapped at `vaddr`.
    pub fn read_memory(&self, vaddr: usize, buf: &mut [u8]) -> ZxResult<usize> {
        let tree = self.tree.lock();
        let mut done = 0;
        while done < buf.len() {
            let Some(at) = vaddr.checked_add(done) else {
                break;
            };
            let Some(mapping) = tree.find_mapping(at) else {
                break;
            };
            let len = (mapping.end() - at).min(buf.len() - done);
            let offset = mapping.vmo_offset + (at - mapping.base) as u64;
            let read = mapping.vmo.read_up_to(offset, &mut buf[done..done + len]);
            done += read;
            if read < len {
                break;
            }
        }
        if done == 0 {
            Err(Status::NoMemory)
        } else {
            Ok(done)
        }
    }

    /// Writes `data` at `vaddr` through the mappings, whatever their permissions, committing
    /// pages as needed, and returns how many bytes were written: fewer when the range runs
    /// into unmapped memory or past the end of a VMO, or memory runs out. NO_MEMORY when
    /// nothing is mapped at `vaddr` or not a byte could be committed.
    pub fn write_memory(&self, vaddr: usize, data: &[u8]) -> ZxResult<usize> {
        let tree = self.tree.lock();
        let mut done = 0;
        while done < data.len() {
            let Some(at) = vaddr.checked_add(done) else {
                break;
            };
            let Some(mapping) = tree.find_mapping(at) else {
                break;
            };
            let len = (mapping.end() - at).min(data.len() - done);
            let offset = mapping.vmo_offset + (at - mapping.base) as u64;
            let written = match mapping.vmo.write_up_to(offset, &data[done..done + len]) {
                Ok(written) => written,
                Err(status) if done == 0 => return Err(status),
                Err(_) => break,
            };
            done += written;
            if written < len {
                break;
            }
        }
        if done == 0 {
            Err(Status::NoMemory)
        } else {
            Ok(done)
        }
    }

    /// Every mapping, in address order.
    pub fn mappings(&self) -> Vec<MappingInfo> {
        self.tree.lock().mappings()
    }

    /// Destroys the root VMAR: every mapping and child VMAR goes, with their page-table
    /// entries. Process teardown calls it once the threads are gone; dropping the address
    /// space does it too.
    ///
    /// The caller guarantees that no thread runs here any more, so the page table is retired
    /// as a whole (one flush) and the mappings go without unmapping each.
    pub fn destroy(&self) {
        let mut tree = self.tree.lock();
        if tree.node(tree.root()).is_err() {
            return;
        }
        self.page_table.retire();
        tree.destroy_retired();
    }
}

impl Drop for AddressSpace {
    fn drop(&mut self) {
        self.destroy();
    }
}

impl core::fmt::Debug for AddressSpace {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AddressSpace")
            .field("range", &self.range)
            .field("root_koid", &self.root_koid)
            .finish()
    }
}
