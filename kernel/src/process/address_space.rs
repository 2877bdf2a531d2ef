//! Which address space each CPU has loaded, and paging user memory in for the copy routines.
//!
//! A CPU switches page tables only when the next thread belongs to another address space. Each
//! CPU remembers the address space it has loaded: that keeps the page table alive while CR3
//! points at it, tells the copy routines' fault resolver which address space a faulting user
//! address belongs to, and lets the CPU drop out of the previous table's shoot-down set once
//! the switch has flushed its TLB.
//!
//! Activating the space already loaded happens at every entry to user mode and every user copy,
//! so the per-CPU block keeps a pointer to it ([`PerCpu::loaded_space`]) and that case costs one
//! comparison. Invariant: the pointer is non-null only while CR3 holds that space's table and
//! [`LOADED`] holds the space; every CR3 write of `UserPageTable` clears it first.
//!
//! [`PerCpu::loaded_space`]: crate::arch::x86_64::percpu::PerCpu::loaded_space

use crate::arch::x86_64::{exception, percpu};
use crate::memory::pcid;
use crate::memory::user_page_table::{UserPageTable, deactivate_user_table};
use alloc::sync::Arc;
use core::sync::atomic::Ordering;
use objects::vm::{AddressSpace, FaultAccess, PageTable};

/// The most CPUs the kernel supports (the executor's limit).
pub const MAX_CPUS: usize = 256;

/// The address space each CPU has loaded.
static LOADED: [spin::Mutex<Option<Arc<AddressSpace>>>; MAX_CPUS] =
    [const { spin::Mutex::new(None) }; MAX_CPUS];

/// The kernel's page table behind an address space (the kernel makes every one of them).
pub fn page_table_of(space: &AddressSpace) -> &UserPageTable {
    let table: &dyn PageTable = space.page_table().as_ref();
    (table as &dyn core::any::Any)
        .downcast_ref::<UserPageTable>()
        .expect("every address space uses the kernel's UserPageTable")
}

/// Makes `space` the calling CPU's address space, switching page tables if needed.
#[inline]
pub fn activate(space: &Arc<AddressSpace>) {
    let this_cpu = percpu::current();
    let wanted = Arc::as_ptr(space) as *mut ();
    if this_cpu.loaded_space.load(Ordering::Relaxed) != wanted {
        load(space);
        this_cpu.loaded_space.store(wanted, Ordering::Relaxed);
    }
}

/// [`activate`]'s slow path: loads `space`'s table and makes it the CPU's loaded space.
#[inline(never)]
fn load(space: &Arc<AddressSpace>) {
    let cpu = percpu::cpu_index();
    let mut loaded = LOADED[cpu].lock();
    if loaded
        .as_ref()
        .is_some_and(|current| Arc::ptr_eq(current, space))
    {
        // Usually nothing to do; after `release` the kernel's table may be loaded instead.
        page_table_of(space).activate();
        return;
    }
    page_table_of(space).activate();
    if let Some(previous) = loaded.replace(space.clone())
        && !pcid::enabled()
    {
        // Without PCIDs the switch flushed the previous table's entries from this CPU.
        page_table_of(&previous).forget_cpu(cpu);
    }
}

/// Unloads `space` from the calling CPU if it is loaded there (its process is gone).
pub fn release(space: &Arc<AddressSpace>) {
    let cpu = percpu::cpu_index();
    let mut loaded = LOADED[cpu].lock();
    if loaded
        .as_ref()
        .is_some_and(|current| Arc::ptr_eq(current, space))
    {
        deactivate_user_table();
        page_table_of(space).forget_cpu(cpu);
        *loaded = None;
    }
}

/// Registers the resolver the copy routines use when they fault on a user address.
pub fn init() {
    exception::set_user_fault_resolver(resolve_copy_fault);
}

/// Pages in `address` of the calling CPU's address space; false when nothing maps it.
fn resolve_copy_fault(address: u64, write: bool) -> bool {
    let cpu = percpu::cpu_index();
    let Some(space) = LOADED[cpu].try_lock().and_then(|loaded| loaded.clone()) else {
        return false;
    };
    let access = if write {
        FaultAccess::Write
    } else {
        FaultAccess::Read
    };
    space.handle_page_fault(address as usize, access).is_ok()
}
