//! TLB shoot-down: make other CPUs forget translations that were changed or removed.
//!
//! Each CPU has one request slot (the range it wants flushed and how many CPUs have yet to do
//! it) and one set of pending senders. A sender fills its slot, marks itself pending on every
//! target, sends each the shoot-down IPI and spins until its count reaches zero. A target, in
//! the IPI's handler, takes its pending set, flushes each sender's range and counts itself done.
//!
//! A sender spins with interrupts masked, so two CPUs that shoot each other down at once would
//! each wait for an interrupt the other cannot take. To avoid that, a spinning sender serves its
//! own pending set between looks at its count. What a sender must not do is hold a lock that a
//! target may be spinning on with interrupts masked (an `IrqMutex`): that target could neither
//! take the IPI nor serve its pending set.
//!
//! Invariant: a sender rewrites its slot only after its previous count reached zero, that is
//! after every target has read the range.

use super::{CpuSet, MAX_CPUS};
use crate::arch::x86_64::{apic, interrupt, percpu};
use crate::memory::pcid::{self, Held};
use core::ops::Range;
use core::sync::atomic::{AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use x86_64::VirtAddr;
use x86_64::instructions::{interrupts, tlb};
use x86_64::registers::control::{Cr4, Cr4Flags};

/// Past this many pages, flushing the whole TLB is cheaper than `invlpg` page by page.
const MAX_PAGES_ONE_BY_ONE: u64 = 32;
const PAGE_SIZE: u64 = 4096;
const WORDS: usize = MAX_CPUS / 64;

/// One sender's request.
struct Request {
    start: AtomicU64,
    end: AtomicU64,
    /// The user page table the range belongs to (its id), or 0 for kernel memory.
    table: AtomicU64,
    /// The table's set of CPUs (`TableShootdown::cpus`), valid while the sender waits; null for
    /// kernel memory.
    table_cpus: AtomicPtr<[AtomicU64; WORDS]>,
    /// Targets that have not flushed yet.
    remaining: AtomicUsize,
}

static REQUESTS: [Request; MAX_CPUS] = [const {
    Request {
        start: AtomicU64::new(0),
        end: AtomicU64::new(0),
        table: AtomicU64::new(0),
        table_cpus: AtomicPtr::new(core::ptr::null_mut()),
        remaining: AtomicUsize::new(0),
    }
}; MAX_CPUS];

/// For each target, the senders whose requests it has not served (one bit per sender).
static PENDING: [[AtomicU64; WORDS]; MAX_CPUS] =
    [const { [const { AtomicU64::new(0) }; WORDS] }; MAX_CPUS];

/// A user page table whose translations a shoot-down removes: its id, and its set of CPUs that
/// may hold its entries (one bit per CPU), from which a CPU that holds nothing leaves.
#[derive(Clone, Copy)]
pub struct TableShootdown<'a> {
    pub id: u64,
    pub cpus: &'a [AtomicU64; WORDS],
}

/// Flushes the kernel translations of `range` on every online CPU of `cpus` (the caller's own
/// TLB too, if it is in the set), and returns once all have done it. Callable with interrupts
/// masked; must not be called while holding a lock that another CPU may spin on with interrupts
/// masked.
pub fn tlb_shootdown(cpus: &CpuSet, range: Range<VirtAddr>) {
    shoot_down(cpus, None, range);
}

/// Like [`tlb_shootdown`], for the user translations of `table`: each CPU flushes the range if
/// it has the table loaded, marks its PCID stale if it keeps the table tagged but not loaded, and
/// otherwise leaves the table's set of CPUs (see `memory/pcid.rs`).
pub fn tlb_shootdown_table(cpus: &CpuSet, table: TableShootdown<'_>, range: Range<VirtAddr>) {
    shoot_down(cpus, Some(table), range);
}

fn shoot_down(cpus: &CpuSet, table: Option<TableShootdown<'_>>, range: Range<VirtAddr>) {
    let me = percpu::cpu_index();
    let were_enabled = interrupts::are_enabled();
    interrupts::disable();

    let mut targets = cpus.intersection(&CpuSet::all_online());
    targets.remove(me);
    let count = targets.len();
    let request = &REQUESTS[me];
    let (table_id, table_cpus) = match table {
        Some(table) => (table.id, table.cpus as *const _ as *mut _),
        None => (0, core::ptr::null_mut()),
    };
    if count > 0 {
        request.start.store(range.start.as_u64(), Ordering::Relaxed);
        request.end.store(range.end.as_u64(), Ordering::Relaxed);
        request.table.store(table_id, Ordering::Relaxed);
        request.table_cpus.store(table_cpus, Ordering::Relaxed);
        request.remaining.store(count, Ordering::Relaxed);
        for target in targets.iter() {
            PENDING[target][me / 64].fetch_or(1 << (me % 64), Ordering::Release);
            if let Some(apic_id) = super::apic_id(target) {
                apic::send_ipi(apic_id, interrupt::TLB_SHOOTDOWN);
            }
        }
    }
    if cpus.contains(me) {
        serve_one(
            table_id,
            table_cpus,
            range.start.as_u64(),
            range.end.as_u64(),
        );
    }
    while request.remaining.load(Ordering::Acquire) != 0 {
        serve_pending();
        core::hint::spin_loop();
    }

    if were_enabled {
        interrupts::enable();
    }
}

/// Flushes `range` on every online CPU.
pub fn flush_everywhere(range: Range<VirtAddr>) {
    tlb_shootdown(&CpuSet::all_online(), range);
}

/// The shoot-down IPI's handler: serves every request pending on this CPU.
pub fn on_interrupt() {
    serve_pending();
}

fn serve_pending() {
    let me = percpu::cpu_index();
    for (word, pending) in PENDING[me].iter().enumerate() {
        let mut senders = pending.swap(0, Ordering::Acquire);
        while senders != 0 {
            let sender = word * 64 + senders.trailing_zeros() as usize;
            senders &= senders - 1;
            let request = &REQUESTS[sender];
            serve_one(
                request.table.load(Ordering::Relaxed),
                request.table_cpus.load(Ordering::Relaxed),
                request.start.load(Ordering::Relaxed),
                request.end.load(Ordering::Relaxed),
            );
            request.remaining.fetch_sub(1, Ordering::Release);
        }
    }
}

/// Serves one request on this CPU: kernel memory (`table` 0) is flushed; a user table's range is
/// flushed only where the table is loaded (see `memory::pcid::on_shootdown`).
fn serve_one(table: u64, table_cpus: *mut [AtomicU64; WORDS], start: u64, end: u64) {
    if table == 0 {
        flush_local(start, end);
        return;
    }
    match pcid::on_shootdown(table) {
        Held::Loaded => flush_local(start, end),
        Held::Cached => {}
        Held::Nothing => {
            let me = percpu::cpu_index();
            // SAFETY: the sender keeps the table, and so its set of CPUs, alive until every
            // target has counted itself done, which happens after this.
            let cpus = unsafe { &*table_cpus };
            cpus[me / 64].fetch_and(!(1 << (me % 64)), Ordering::Relaxed);
        }
    }
}

/// Flushes `[start, end)` from this CPU's TLB, global translations included.
fn flush_local(start: u64, end: u64) {
    let first = start / PAGE_SIZE;
    let last = end.div_ceil(PAGE_SIZE);
    if last.saturating_sub(first) <= MAX_PAGES_ONE_BY_ONE {
        for page in first..last {
            tlb::flush(VirtAddr::new_truncate(page * PAGE_SIZE));
        }
        return;
    }
    let cr4 = Cr4::read();
    if cr4.contains(Cr4Flags::PAGE_GLOBAL) {
        // SAFETY: clearing and restoring CR4.PGE flushes every translation, global ones included
        // (Intel SDM Vol. 3A, 4.10.4.1); nothing else about paging changes.
        unsafe {
            Cr4::write(cr4 - Cr4Flags::PAGE_GLOBAL);
            Cr4::write(cr4);
        }
    } else {
        tlb::flush_all();
    }
}
