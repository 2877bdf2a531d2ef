//! The page table of a user address space.
//!
//! Each process gets its own PML4. Its upper half is a copy of the kernel's PML4 entries, which
//! never change after boot (see `regions.rs`), so every address space shares the kernel's
//! mappings; the lower half holds the process's pages, created by the `objects` crate's
//! VMAR/VMO code through the [`PageTable`] trait implemented here. Frames of user pages belong
//! to VMOs; this table owns only its own page-table frames and frees them when retired or dropped.
//!
//! A CPU runs a process's threads with its table loaded in CR3 ([`UserPageTable::activate`]);
//! the table remembers which CPUs loaded it, so that a flush reaches every CPU whose TLB may hold
//! its entries.
//!
//! When its process dies the table is retired: the user half's PML4 entries are cut off, one
//! flush makes every CPU forget them, and the tables below are freed; the leaf entries are never
//! cleared one by one. The table remembers which user PML4 entries it filled and every table
//! frame it created below them, so that retiring and freeing need no walk of the tree.

use super::pcid;
use super::{
    FRAME_SIZE, allocate_zeroed_frame, free_frame, free_frames, phys_to_virt,
    with_kernel_page_table,
};
use crate::smp::CpuSet;
use crate::smp::shootdown::TableShootdown;
use crate::sync::IrqMutex;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use objects::vm::{MmuFlags, PageTable, PhysAddr, USER_ASPACE_END};
use objects::{Status, ZxResult};
use x86_64::VirtAddr;
use x86_64::registers::control::Cr3;
use x86_64::structures::paging::page_table::PageTableEntry;
use x86_64::structures::paging::{
    Mapper, OffsetPageTable, Page, PageTable as X86PageTable, PageTableFlags, PhysFrame,
};

/// PML4 entries of the user half (the lower 256).
const USER_PML4_ENTRIES: usize = 256;
/// Flags of the intermediate tables of user mappings: the leaf entry decides the access.
const TABLE_FLAGS: PageTableFlags = PageTableFlags::PRESENT
    .union(PageTableFlags::WRITABLE)
    .union(PageTableFlags::USER_ACCESSIBLE);

/// Ids of page tables, never reused (see `pcid.rs`: TLB tags name tables by id).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// One process's page table.
pub struct UserPageTable {
    /// This table's id, unique for the kernel's lifetime.
    id: u64,
    level_4: PhysFrame,
    /// Every table frame below the PML4 that `map` created (they live as long as this table);
    /// the lock serialises changes, while the CPU walks the table without it.
    tables: IrqMutex<Vec<PhysFrame>>,
    /// CPUs that have loaded this table since boot, one bit per CPU index (up to 256).
    loaded_on: [AtomicU64; 4],
    /// The user PML4 entries `map` has filled, one bit per entry; changed under `tables`.
    filled: [AtomicU64; USER_PML4_ENTRIES / 64],
    /// Set by `retire`; `map` then refuses. Changed under `tables`.
    retired: AtomicBool,
}

impl UserPageTable {
    /// A table with an empty user half and the kernel's upper half.
    pub fn new() -> ZxResult<UserPageTable> {
        let level_4 = allocate_zeroed_frame().ok_or(Status::NoMemory)?;
        let table = Self::table_at(level_4);
        with_kernel_page_table(|kernel| {
            let kernel = kernel.level_4_table();
            for index in USER_PML4_ENTRIES..512 {
                table[index] = kernel[index].clone();
            }
        });
        Ok(UserPageTable {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            level_4,
            tables: IrqMutex::new(Vec::new()),
            loaded_on: Default::default(),
            filled: Default::default(),
            retired: AtomicBool::new(false),
        })
    }

    /// The user PML4 entries `map` has filled, in increasing order (read under `tables`).
    fn filled_entries(&self) -> impl Iterator<Item = usize> + '_ {
        self.filled.iter().enumerate().flat_map(|(word, bits)| {
            let mut rest = bits.load(Ordering::Relaxed);
            core::iter::from_fn(move || {
                let bit = (rest != 0).then(|| rest.trailing_zeros() as usize)?;
                rest &= rest - 1;
                Some(word * 64 + bit)
            })
        })
    }

    /// Empties the user PML4 entries `map` filled; the tables below them stay allocated.
    /// Called under `tables`.
    fn cut_user_half(&self) {
        let level_4 = Self::table_at(self.level_4);
        for index in self.filled_entries() {
            level_4[index].set_unused();
        }
        self.filled
            .iter()
            .for_each(|word| word.store(0, Ordering::Relaxed));
    }

    fn table_at(frame: PhysFrame) -> &'static mut X86PageTable {
        // SAFETY: `frame` is a page-table frame owned by this table (or being set up), mapped
        // through the direct map; callers hold `tables` or have the only reference.
        unsafe { &mut *phys_to_virt(frame.start_address()).as_mut_ptr::<X86PageTable>() }
    }

    /// The level-1 entry of `page`, one walk down from the PML4 that creates the missing tables
    /// above it (zeroed before they are linked in, and recorded in `tables`). Called under
    /// `tables`. NO_MEMORY when a table frame cannot be had; INTERNAL at a huge-page entry,
    /// which user mappings never make.
    fn leaf_entry(
        &self,
        page: Page,
        tables: &mut Vec<PhysFrame>,
    ) -> ZxResult<&'static mut PageTableEntry> {
        let mut table = Self::table_at(self.level_4);
        for index in [page.p4_index(), page.p3_index(), page.p2_index()] {
            let entry = &mut table[index];
            if entry.is_unused() {
                tables.try_reserve(1).map_err(|_| Status::NoMemory)?;
                let frame = allocate_zeroed_frame().ok_or(Status::NoMemory)?;
                tables.push(frame);
                entry.set_frame(frame, TABLE_FLAGS);
            }
            table = Self::table_at(entry.frame().map_err(|_| Status::Internal)?);
        }
        Ok(&mut table[page.p1_index()])
    }

    /// Runs `f` with a mapper over this table and the list of its table frames, under its lock.
    fn with_mapper<R>(
        &self,
        f: impl FnOnce(&mut OffsetPageTable<'static>, &mut Vec<PhysFrame>) -> R,
    ) -> R {
        let mut tables = self.tables.lock();
        let offset = phys_to_virt(x86_64::PhysAddr::new(0));
        // SAFETY: the level-4 table is ours and the direct map covers all physical memory.
        let mut mapper = unsafe { OffsetPageTable::new(Self::table_at(self.level_4), offset) };
        f(&mut mapper, &mut tables)
    }

    /// Loads this table on the calling CPU, if it is not loaded already. The caller keeps the
    /// table alive while it is loaded.
    pub fn activate(&self) {
        forget_loaded_space();
        let cpu = crate::arch::x86_64::percpu::cpu_index();
        // Join the shoot-down set before the TLB can cache anything of this table; a flush that
        // changed the table before reading the set then reaches this CPU.
        self.loaded_on[cpu / 64].fetch_or(1 << (cpu % 64), Ordering::SeqCst);
        pcid::load(self.id, self.level_4);
    }

    /// Removes `cpu` from the CPUs a flush must reach: its TLB holds nothing of this table any
    /// more (it loaded another table without PCIDs, or retagged the slot).
    pub fn forget_cpu(&self, cpu: usize) {
        self.loaded_on[cpu / 64].fetch_and(!(1 << (cpu % 64)), Ordering::Relaxed);
    }

    /// Whether this table is the one loaded on the calling CPU.
    pub fn is_active(&self) -> bool {
        Cr3::read().0 == self.level_4
    }
}

/// Switches the calling CPU back to the kernel's own table (before a user table is freed).
pub fn deactivate_user_table() {
    forget_loaded_space();
    pcid::load_kernel(super::kernel_root());
}

/// Clears the calling CPU's record of its loaded address space before CR3 changes, so that
/// `process::address_space::activate` takes its slow path next time.
fn forget_loaded_space() {
    let this_cpu = crate::arch::x86_64::percpu::current();
    this_cpu
        .loaded_space
        .store(core::ptr::null_mut(), Ordering::Relaxed);
}

fn leaf_flags(flags: MmuFlags) -> PageTableFlags {
    let mut leaf = PageTableFlags::PRESENT;
    leaf.set(
        PageTableFlags::USER_ACCESSIBLE,
        flags.contains(MmuFlags::USER),
    );
    leaf.set(PageTableFlags::WRITABLE, flags.contains(MmuFlags::WRITE));
    leaf.set(
        PageTableFlags::NO_EXECUTE,
        !flags.contains(MmuFlags::EXECUTE),
    );
    leaf
}

fn page(vaddr: usize) -> Page {
    Page::containing_address(VirtAddr::new(vaddr as u64))
}

fn pages(vaddr: usize, len: usize) -> impl Iterator<Item = Page> {
    (vaddr..vaddr + len).step_by(FRAME_SIZE as usize).map(page)
}

impl PageTable for UserPageTable {
    fn map(&self, vaddr: usize, paddr: PhysAddr, flags: MmuFlags) -> ZxResult<()> {
        let frame = PhysFrame::containing_address(x86_64::PhysAddr::new(paddr));
        let page = page(vaddr);
        let replaced = {
            let mut tables = self.tables.lock();
            if self.retired.load(Ordering::Relaxed) {
                return Err(Status::BadState);
            }
            let index = usize::from(page.p4_index());
            self.filled[index / 64].fetch_or(1 << (index % 64), Ordering::Relaxed);
            let entry = self.leaf_entry(page, &mut tables)?;
            let replaced = !entry.is_unused();
            entry.set_frame(frame, leaf_flags(flags));
            replaced
        };
        if replaced {
            self.flush(vaddr, FRAME_SIZE as usize);
        }
        Ok(())
    }

    fn unmap(&self, vaddr: usize, len: usize) {
        self.with_mapper(|mapper, _| {
            for page in pages(vaddr, len) {
                if let Ok((_, flush)) = mapper.unmap(page) {
                    flush.ignore();
                }
            }
        });
    }

    fn protect(&self, vaddr: usize, len: usize, flags: MmuFlags) {
        let flags = leaf_flags(flags);
        self.with_mapper(|mapper, _| {
            for page in pages(vaddr, len) {
                // SAFETY: only user pages of this table change; their frames stay VMO-owned.
                if let Ok(flush) = unsafe { mapper.update_flags(page, flags) } {
                    flush.ignore();
                }
            }
        });
    }

    fn flush(&self, vaddr: usize, len: usize) {
        // Every CPU that may hold entries of this table, this one included: the shoot-down
        // decides on each whether to flush now, mark its tag stale, or leave the set.
        core::sync::atomic::fence(Ordering::SeqCst);
        let cpus = CpuSet::from_words(self.loaded_on.each_ref().map(|w| w.load(Ordering::Relaxed)));
        let start = VirtAddr::new(vaddr as u64);
        let table = TableShootdown {
            id: self.id,
            cpus: &self.loaded_on,
        };
        crate::smp::shootdown::tlb_shootdown_table(&cpus, table, start..start + len as u64);
    }

    fn retire(&self) {
        {
            let _tables = self.tables.lock();
            self.retired.store(true, Ordering::Relaxed);
            self.cut_user_half();
        }
        // Once every CPU has flushed, none can walk into the tables that hung below the user
        // half, which go now.
        self.flush(0, USER_ASPACE_END);
        free_frames(self.tables.lock().drain(..));
    }
}

impl Drop for UserPageTable {
    fn drop(&mut self) {
        if self.is_active() {
            deactivate_user_table();
        }
        free_frames(self.tables.lock().drain(..));
        free_frame(self.level_4);
    }
}
