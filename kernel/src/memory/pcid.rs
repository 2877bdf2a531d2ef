//! Which user page tables each CPU's TLB may hold entries of, and how CR3 is loaded.
//!
//! Without process-context identifiers every CR3 load flushes the TLB's non-global entries, so a
//! CPU holds entries of the table it has loaded and of no other. When the CPU offers PCIDs
//! (CPUID.1:ECX.PCID; Intel SDM Vol. 3A, 4.10.1) each CPU tags the entries of its last
//! [`SLOTS`] user tables with a PCID of its own (1 to `SLOTS`; 0 is the kernel's table), and a
//! switch back to a table it still has a tag for keeps that table's entries.
//!
//! A table keeps, in its shoot-down set, every CPU that may hold its entries. A shoot-down that
//! reaches a CPU ([`on_shootdown`]) finds the table loaded (flush the range now), cached under a
//! tag but not loaded (mark the tag stale: the next load flushes it), or gone from this CPU (the
//! caller takes the CPU out of the table's set). Tags name tables by a unique id, never by their
//! physical root, which a later table may reuse.

use crate::arch::x86_64::percpu;
use crate::smp::MAX_CPUS;
use crate::sync::IrqMutex;
use core::sync::atomic::{AtomicBool, Ordering};
use x86_64::registers::control::{Cr4, Cr4Flags};
use x86_64::structures::paging::PhysFrame;

/// User tables each CPU keeps tagged.
pub const SLOTS: usize = 8;
/// CR3 bit 63: with PCIDs on, keep the TLB entries of the PCID being loaded (Intel SDM Vol. 3A,
/// 4.10.4.1).
const CR3_NO_FLUSH: u64 = 1 << 63;
/// CPUID.1:ECX bit 17: PCID.
const CPUID_1_ECX_PCID: u32 = 1 << 17;

/// One CPU's tags.
struct CpuTags {
    /// The id of the loaded user table, or 0 when the kernel's table is loaded.
    current: u64,
    /// The table id each PCID (slot + 1) tags, 0 for none.
    slots: [u64; SLOTS],
    /// Tags whose entries must be flushed at the next load.
    stale: [bool; SLOTS],
    /// The slot the next new table takes.
    next_victim: usize,
}

static TAGS: [IrqMutex<CpuTags>; MAX_CPUS] = [const { IrqMutex::new(CpuTags::new()) }; MAX_CPUS];
static ENABLED: AtomicBool = AtomicBool::new(false);

/// Turns PCIDs on for the calling CPU when it has them. CR3 must hold PCID 0 (it does at boot).
pub fn init_cpu() {
    if core::arch::x86_64::__cpuid(1).ecx & CPUID_1_ECX_PCID == 0 {
        return;
    }
    // SAFETY: the CPU supports PCIDs and CR3's PCID field is 0, the two conditions for setting
    // CR4.PCIDE (Intel SDM Vol. 3A, 4.10.1); every later CR3 load goes through this module.
    unsafe { Cr4::update(|flags| flags.insert(Cr4Flags::PCID)) };
    ENABLED.store(true, Ordering::Relaxed);
}

/// Whether CR3 loads keep tagged entries (PCIDs are on).
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Loads user table `id`, rooted at `root`, on the calling CPU (if it is not loaded already).
pub fn load(id: u64, root: PhysFrame) {
    let mut tags = TAGS[percpu::cpu_index()].lock();
    if tags.current == id {
        return;
    }
    tags.current = id;
    let root = root.start_address().as_u64();
    if !enabled() {
        write_cr3(root);
        return;
    }
    let (pcid, keep) = tags.tag_for(id);
    write_cr3(root | pcid | if keep { CR3_NO_FLUSH } else { 0 });
}

impl CpuTags {
    const fn new() -> CpuTags {
        CpuTags {
            current: 0,
            slots: [0; SLOTS],
            stale: [false; SLOTS],
            next_victim: 0,
        }
    }

    /// The PCID for table `id`, and whether its entries may be kept (the table was tagged and
    /// no shoot-down made the tag stale). A table without a tag takes the oldest one.
    fn tag_for(&mut self, id: u64) -> (u64, bool) {
        let (slot, keep) = match self.slots.iter().position(|&owner| owner == id) {
            Some(slot) => (slot, !core::mem::take(&mut self.stale[slot])),
            None => {
                let slot = self.next_victim;
                self.next_victim = (slot + 1) % SLOTS;
                self.slots[slot] = id;
                self.stale[slot] = false;
                (slot, false)
            }
        };
        (slot as u64 + 1, keep)
    }

    /// Marks table `id`'s tag stale; false when this CPU has no tag for it.
    fn mark_stale(&mut self, id: u64) -> bool {
        let Some(slot) = self.slots.iter().position(|&owner| owner == id) else {
            return false;
        };
        self.stale[slot] = true;
        true
    }
}

/// Loads the kernel's own table (PCID 0) on the calling CPU.
pub fn load_kernel(root: PhysFrame) {
    let mut tags = TAGS[percpu::cpu_index()].lock();
    tags.current = 0;
    let keep = if enabled() { CR3_NO_FLUSH } else { 0 };
    write_cr3(root.start_address().as_u64() | keep);
}

/// What the calling CPU's TLB may hold of table `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    /// The table is loaded: flush the range with `invlpg`.
    Loaded,
    /// The table is tagged but not loaded; its tag is now stale and the next load flushes it.
    Cached,
    /// Nothing: the CPU switched away (without PCIDs) or retagged the slot since.
    Nothing,
}

/// Records a shoot-down of table `id` on the calling CPU and says what the caller must do.
pub fn on_shootdown(id: u64) -> Held {
    let mut tags = TAGS[percpu::cpu_index()].lock();
    if tags.current == id {
        return Held::Loaded;
    }
    if enabled() && tags.mark_stale(id) {
        Held::Cached
    } else {
        Held::Nothing
    }
}

fn write_cr3(value: u64) {
    // SAFETY: every table loaded here maps the kernel half exactly like the kernel's own, so the
    // running code stays mapped; callers keep a user table alive while it is loaded. The PCID and
    // no-flush bits are set only when CR4.PCIDE is on.
    unsafe { core::arch::asm!("mov cr3, {}", in(reg) value, options(nostack, preserves_flags)) };
}

#[cfg(feature = "qemu-test")]
mod tests {
    use super::{CpuTags, SLOTS};
    use crate::{check_eq, kernel_test};

    kernel_test! {
        fn a_retagged_table_keeps_its_entries_until_evicted_or_stale() -> TestResult {
            let mut tags = CpuTags::new();
            check_eq!(tags.tag_for(10), (1, false));
            check_eq!(tags.tag_for(11), (2, false));
            // Back to a tagged table: same PCID, entries kept.
            check_eq!(tags.tag_for(10), (1, true));
            // A shoot-down while it is not loaded: the next load flushes, once.
            check_eq!(tags.mark_stale(10), true);
            check_eq!(tags.tag_for(10), (1, false));
            check_eq!(tags.tag_for(10), (1, true));
            check_eq!(tags.mark_stale(99), false);
            // SLOTS more tables evict the oldest tags; 10 comes back flushed.
            for id in 0..SLOTS as u64 {
                tags.tag_for(100 + id);
            }
            check_eq!(tags.tag_for(10).1, false);
            Ok(())
        }
    }
}
