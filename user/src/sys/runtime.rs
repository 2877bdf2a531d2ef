//! The unsafe pieces of program start-up: the `_start` symbol, the entry of new threads, and
//! the heap's growth.
//!
//! - [`entry!`](crate::entry) exports `_start`, the ELF entry point, which hands its two
//!   argument registers to [`crate::rt::start`]; [`bare_entry!`](crate::bare_entry) exports
//!   one that hands them straight to the program.
//! - [`start_thread`] starts a thread of this process on a closure: the closure travels as a
//!   raw `Box` pointer in the thread's first argument register, and [`thread_entry`] takes it
//!   back, runs it and ends the thread.
//! - [`VmarHeap`] feeds `talc`: on first use it reserves [`HEAP_RESERVE`] bytes of address
//!   space (a child VMAR of the root VMAR), and each time the heap runs out it maps a fresh VMO
//!   right after the heap's end and extends the arena. VMOs commit pages on demand, so the
//!   reserve costs nothing until touched.

use super::stubs;
use alloc::boxed::Box;
use core::alloc::Layout;
use core::sync::atomic::{AtomicU32, Ordering};
use syscalls_abi::{
    ZX_VM_CAN_MAP_READ, ZX_VM_CAN_MAP_SPECIFIC, ZX_VM_CAN_MAP_WRITE, ZX_VM_PERM_READ,
    ZX_VM_PERM_WRITE, ZX_VM_SPECIFIC,
};
use talc::{OomHandler, Span, Talc};

/// Declares the program's entry point: `entry!(main)` with `fn main(Startup) -> i64`.
///
/// It exports `_start`, which the kernel (for `init`) or the process builder (for every other
/// program) enters with the registers described in the crate documentation; `_start` reads
/// the startup message, sets up the heap, calls `main` and exits the process with its result.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        /// The ELF entry point.
        #[allow(unsafe_code)]
        // SAFETY: `_start` is the one symbol the linker makes the entry point; no other item
        // of the program exports that name.
        #[unsafe(no_mangle)]
        pub extern "C" fn _start(arg1: usize, arg2: usize) -> ! {
            $crate::rt::start(arg1, arg2, $main)
        }
    };
}

/// Declares a bare entry point: `bare_entry!(start)` with `fn start(arg1: usize, arg2: usize)
/// -> !`.
///
/// It exports `_start` and hands it the two argument registers and nothing else: no startup
/// message is read, no heap is set up, `start` must end the process itself. For the smallest
/// programs, whose whole life is a syscall or two (the benchmark's `exit0` and `waiter`).
#[macro_export]
macro_rules! bare_entry {
    ($start:path) => {
        /// The ELF entry point.
        #[allow(unsafe_code)]
        // SAFETY: `_start` is the one symbol the linker makes the entry point; no other item
        // of the program exports that name.
        #[unsafe(no_mangle)]
        pub extern "C" fn _start(arg1: usize, arg2: usize) -> ! {
            $start(arg1, arg2)
        }
    };
}

/// What a new thread runs.
pub(crate) type ThreadMain = Box<dyn FnOnce() + Send + 'static>;

/// Starts `thread` on `main`, with `rsp` = `stack_top - 8` (`stack_top` 16-byte aligned, so
/// the entry sees the stack as right after a call). Returns the raw status of
/// `zx_thread_start`; on failure `main` is dropped here.
pub(crate) fn start_thread(thread: u32, stack_top: usize, main: ThreadMain) -> i32 {
    let arg = Box::into_raw(Box::new(main)) as usize;
    let entry = thread_entry as extern "C" fn(usize, usize) -> ! as usize;
    let status = stubs::thread_start(thread, entry, stack_top - 8, arg, 0);
    if status != syscalls_abi::ZX_OK {
        // SAFETY: the thread never started, so the box `arg` came from is still ours alone.
        drop(unsafe { Box::from_raw(arg as *mut ThreadMain) });
    }
    status
}

/// The first instruction of every thread [`start_thread`] starts.
extern "C" fn thread_entry(arg: usize, _arg2: usize) -> ! {
    // SAFETY: `start_thread` passed a pointer from `Box::into_raw` and gave up ownership when
    // the thread started; this is the only place that takes it back.
    let main = unsafe { Box::from_raw(arg as *mut ThreadMain) };
    main();
    stubs::thread_exit()
}

/// Address space reserved for the heap.
pub const HEAP_RESERVE: usize = 1 << 32;
/// The least the heap grows by at a time.
const GROWTH_STEP: usize = 1 << 20;
/// Bookkeeping `talc` may need beyond the requested size when it extends the arena.
const GROWTH_SLACK: usize = 4096;

/// The root VMAR the heap reserves its space in; set once at start-up.
static HEAP_PARENT_VMAR: AtomicU32 = AtomicU32::new(syscalls_abi::ZX_HANDLE_INVALID);

/// Names the VMAR the heap grows in (the process's root VMAR). Called by start-up before the
/// first allocation.
pub(crate) fn set_heap_vmar(root_vmar: u32) {
    HEAP_PARENT_VMAR.store(root_vmar, Ordering::Release);
}

/// `talc`'s memory source: VMOs mapped one after the other in a reserved VMAR.
#[derive(Debug)]
pub struct VmarHeap {
    /// The reserved region's base (0 until reserved).
    base: usize,
    /// Its VMAR handle.
    vmar: u32,
    /// Bytes mapped from `base`.
    mapped: usize,
    /// The span `talc` manages.
    heap: Span,
}

impl VmarHeap {
    /// A heap with nothing reserved yet.
    pub const fn new() -> VmarHeap {
        VmarHeap {
            base: 0,
            vmar: syscalls_abi::ZX_HANDLE_INVALID,
            mapped: 0,
            heap: Span::empty(),
        }
    }

    /// Reserves the heap's address space on first use.
    fn reserve(&mut self) -> Result<(), ()> {
        if self.base != 0 {
            return Ok(());
        }
        let parent = HEAP_PARENT_VMAR.load(Ordering::Acquire);
        let options = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC;
        let (mut vmar, mut base) = (0, 0);
        let status = stubs::vmar_allocate(parent, options, 0, HEAP_RESERVE, &mut vmar, &mut base);
        if status != syscalls_abi::ZX_OK {
            return Err(());
        }
        (self.vmar, self.base) = (vmar, base);
        Ok(())
    }

    /// Maps `bytes` (whole pages) of a fresh VMO right after the mapped part.
    fn map_more(&mut self, bytes: usize) -> Result<(), ()> {
        if self.mapped + bytes > HEAP_RESERVE {
            return Err(());
        }
        let mut vmo = 0;
        if stubs::vmo_create(bytes as u64, 0, &mut vmo) != syscalls_abi::ZX_OK {
            return Err(());
        }
        let options = ZX_VM_SPECIFIC | ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
        let mut address = 0;
        let status = stubs::vmar_map(self.vmar, options, self.mapped, vmo, 0, bytes, &mut address);
        stubs::handle_close(vmo);
        if status != syscalls_abi::ZX_OK {
            return Err(());
        }
        self.mapped += bytes;
        Ok(())
    }
}

impl Default for VmarHeap {
    fn default() -> Self {
        VmarHeap::new()
    }
}

/// Bytes of the arena the heap falls back on when it cannot map VMOs.
const FALLBACK_ARENA_SIZE: usize = 64 * 1024;

/// Memory for a process that may not create VMOs (its job's policy denies `ZX_POL_NEW_VMO`):
/// enough for the runtime's start-up and a small program, so such a process can still run
/// and report what the policy did.
#[repr(align(16))]
#[allow(
    dead_code,
    reason = "the bytes are reached through a raw pointer, never by name"
)]
struct FallbackArena([u8; FALLBACK_ARENA_SIZE]);

static mut FALLBACK_ARENA: FallbackArena = FallbackArena([0; FALLBACK_ARENA_SIZE]);
static FALLBACK_CLAIMED: core::sync::atomic::AtomicBool =
    core::sync::atomic::AtomicBool::new(false);

/// Hands the fallback arena to `talc`, once.
fn claim_fallback_arena(talc: &mut Talc<VmarHeap>) -> Result<(), ()> {
    if FALLBACK_CLAIMED.swap(true, Ordering::AcqRel) {
        return Err(());
    }
    let arena = (&raw mut FALLBACK_ARENA).cast::<u8>();
    // SAFETY: the arena is a static that nothing but this claim (done once, under the heap's
    // lock) ever refers to; talc takes it over for good.
    unsafe { talc.claim(Span::from_base_size(arena, FALLBACK_ARENA_SIZE))? };
    Ok(())
}

impl OomHandler for VmarHeap {
    fn handle_oom(talc: &mut Talc<Self>, layout: Layout) -> Result<(), ()> {
        let want = (layout.size() + layout.align() + GROWTH_SLACK).max(GROWTH_STEP);
        let want = want.next_multiple_of(crate::vm::PAGE_SIZE);
        let source = &mut talc.oom_handler;
        if source
            .reserve()
            .and_then(|()| source.map_more(want))
            .is_err()
        {
            return claim_fallback_arena(talc);
        }

        let old = source.heap;
        let new = Span::from_base_size(source.base as *mut u8, source.mapped);
        talc.oom_handler.heap = if old.is_empty() {
            // SAFETY: `new` was just mapped readable and writable, lies in a VMAR only the
            // heap maps into, and nothing else uses it.
            unsafe { talc.claim(new)? }
        } else {
            // SAFETY: `new` starts where `old` starts and adds pages just mapped after its
            // end, which nothing else uses.
            unsafe { talc.extend(old, new) }
        };
        Ok(())
    }
}

/// The program's allocator: `talc` over [`VmarHeap`], behind a spinlock (threads of one
/// process share it).
#[cfg(target_os = "none")]
#[global_allocator]
static ALLOCATOR: talc::Talck<spin::Mutex<()>, VmarHeap> = Talc::new(VmarHeap::new()).lock();
