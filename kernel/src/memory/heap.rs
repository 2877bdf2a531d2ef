//! The kernel heap: `talc` over a virtual region that grows on demand.
//!
//! The heap starts with [`INITIAL_SIZE`] bytes mapped at the start of its kernel region. When
//! `talc` runs out it calls [`GrowOnDemand`], which maps enough fresh frames right after the
//! current end (at least [`GROWTH_STEP`]) and extends the arena, so the heap is bounded only by
//! physical memory and the region's 512 GiB. The lock keeps interrupts off while held, so an
//! interrupt handler that allocates cannot deadlock against the code it interrupted.
//! Lock order: heap, then kernel page table, then frame allocator.

use super::{KernelRegion, MapError, map_new_kernel_page};
use crate::sync::IrqRawMutex;
use core::alloc::Layout;
use talc::{OomHandler, Span, Talc, Talck};
use x86_64::structures::paging::{Page, PageTableFlags};

/// Bytes mapped when the heap is created.
pub const INITIAL_SIZE: usize = 1 << 20;
/// The least the heap grows by at a time.
const GROWTH_STEP: usize = 1 << 20;
/// Bookkeeping `talc` may need beyond the requested size when extending.
const GROWTH_SLACK: usize = 4096;

/// Grows the heap by mapping pages after its end.
pub struct GrowOnDemand {
    /// The mapped span that `talc` manages (empty before init).
    heap: Span,
    /// Pages mapped so far, from the region's base.
    mapped: usize,
}

#[global_allocator]
static ALLOCATOR: Talck<IrqRawMutex, GrowOnDemand> = Talc::new(GrowOnDemand {
    heap: Span::empty(),
    mapped: 0,
})
.lock();

impl GrowOnDemand {
    /// Maps `bytes` more (rounded up to pages) after the mapped part of the region.
    fn map_more(&mut self, bytes: usize) -> Result<(), MapError> {
        let base = KernelRegion::Heap.base();
        let pages = bytes.div_ceil(4096);
        let flags = PageTableFlags::WRITABLE | PageTableFlags::NO_EXECUTE | PageTableFlags::GLOBAL;
        for _ in 0..pages {
            let page = Page::containing_address(base + self.mapped as u64);
            map_new_kernel_page(page, flags)?;
            self.mapped += 4096;
        }
        Ok(())
    }

    fn mapped_span(&self) -> Span {
        let base = KernelRegion::Heap.base().as_mut_ptr::<u8>();
        Span::from_base_size(base, self.mapped)
    }
}

impl OomHandler for GrowOnDemand {
    fn handle_oom(talc: &mut Talc<Self>, layout: Layout) -> Result<(), ()> {
        let want = (layout.size() + layout.align() + GROWTH_SLACK).max(GROWTH_STEP);
        talc.oom_handler.map_more(want).map_err(|_| ())?;
        let old = talc.oom_handler.heap;
        let new = talc.oom_handler.mapped_span();
        // SAFETY: `new` starts where `old` starts and covers freshly mapped pages that nothing
        // else uses; talc only requires that the extension be valid, unused memory.
        talc.oom_handler.heap = unsafe { talc.extend(old, new) };
        Ok(())
    }
}

/// Maps the initial heap and hands it to `talc`.
pub fn init() {
    let mut talc = ALLOCATOR.lock();
    talc.oom_handler
        .map_more(INITIAL_SIZE)
        .expect("out of memory mapping the initial heap");
    let span = talc.oom_handler.mapped_span();
    // SAFETY: the span was just mapped, is writable, and belongs to the heap region alone.
    talc.oom_handler.heap = unsafe { talc.claim(span) }.expect("the initial heap is big enough");
    log::debug!(
        "heap: {} KiB at {:?}",
        INITIAL_SIZE >> 10,
        KernelRegion::Heap.base()
    );
}

/// Bytes of virtual space the heap has mapped so far.
#[cfg(feature = "qemu-test")]
pub fn mapped_bytes() -> usize {
    ALLOCATOR.lock().oom_handler.mapped
}
