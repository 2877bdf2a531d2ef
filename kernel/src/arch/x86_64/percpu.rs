//! Per-CPU data, reached through the GS segment base.
//!
//! Each CPU owns one [`PerCpu`] block for its whole life. The block's first field points at the
//! block itself, so `mov reg, gs:[0]` turns the GS base into an ordinary reference; fields that
//! hot paths read without a reference (the CPU index) sit at fixed offsets checked at compile
//! time. Fields are atomics or cells touched only by the owning CPU, so the block is shared
//! through `&'static` references. While a CPU runs user code its kernel GS base is parked in
//! `IA32_KERNEL_GS_BASE` by `swapgs`, so entry paths swap it back before touching the block.

use core::mem::offset_of;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering};
use x86_64::VirtAddr;
use x86_64::registers::model_specific::GsBase;

/// The per-CPU block. `repr(C)` because assembly reads fields at fixed offsets.
#[repr(C)]
pub struct PerCpu {
    /// Points at this block (read by `gs:[0]`).
    self_ptr: AtomicPtr<PerCpu>,
    /// Dense CPU index, 0 for the bootstrap CPU.
    index: usize,
    /// The local APIC id of this CPU.
    apic_id: AtomicU32,

    // User-mode entry and exit (see `user.rs`); read and written by assembly.
    /// Kernel stack pointer saved by `enter_user`, restored when user mode traps.
    kernel_rsp: AtomicU64,
    /// The user context being run, while this CPU is in user mode.
    user_context: AtomicU64,
    /// The user stack pointer, parked here by the syscall entry for one instruction.
    user_rsp_scratch: AtomicU64,
    /// The syscall fast path of the user context being run: the function the syscall entry
    /// calls, and its first argument (see `user.rs`).
    fast_syscall_fn: AtomicU64,
    fast_syscall_data: AtomicU64,

    // ---- SMP and scheduling (owned by `crate::sched`; touched only by this CPU) ----
    /// This CPU's timer: the executor's deadline, the time slice, the preemption request.
    pub timer: crate::sched::CpuTimer,
    /// The address space whose page table CR3 holds, as a pointer to compare with; null when
    /// unknown (owned by `crate::process::address_space`, cleared by every CR3 write of
    /// `crate::memory::user_page_table`).
    pub loaded_space: AtomicPtr<()>,
}

/// Offset of [`PerCpu::index`], for the fast accessor.
const INDEX_OFFSET: usize = offset_of!(PerCpu, index);
/// Offsets of the fields the user-mode entry and exit assembly uses.
pub const KERNEL_RSP_OFFSET: usize = offset_of!(PerCpu, kernel_rsp);
pub const USER_CONTEXT_OFFSET: usize = offset_of!(PerCpu, user_context);
pub const USER_RSP_SCRATCH_OFFSET: usize = offset_of!(PerCpu, user_rsp_scratch);
pub const FAST_SYSCALL_FN_OFFSET: usize = offset_of!(PerCpu, fast_syscall_fn);
pub const FAST_SYSCALL_DATA_OFFSET: usize = offset_of!(PerCpu, fast_syscall_data);
const _: () = assert!(offset_of!(PerCpu, self_ptr) == 0);

static BOOT_CPU: PerCpu = PerCpu::new(0);
static GS_READY: AtomicBool = AtomicBool::new(false);

impl PerCpu {
    const fn new(index: usize) -> PerCpu {
        PerCpu {
            self_ptr: AtomicPtr::new(core::ptr::null_mut()),
            index,
            apic_id: AtomicU32::new(0),
            kernel_rsp: AtomicU64::new(0),
            user_context: AtomicU64::new(0),
            user_rsp_scratch: AtomicU64::new(0),
            fast_syscall_fn: AtomicU64::new(0),
            fast_syscall_data: AtomicU64::new(0),
            timer: crate::sched::CpuTimer::new(),
            loaded_space: AtomicPtr::new(core::ptr::null_mut()),
        }
    }

    /// Records this CPU's local APIC id once the APIC is known.
    pub fn set_apic_id(&self, apic_id: u32) {
        self.apic_id.store(apic_id, Ordering::Relaxed);
    }

    /// The user context this CPU is running, or 0 in kernel mode (set by the entry assembly;
    /// it stays set while the syscall fast path runs).
    pub fn user_context(&self) -> u64 {
        self.user_context.load(Ordering::Relaxed)
    }

    /// Sets the syscall fast path that the syscall entry calls: `function(data, context)`.
    pub fn set_fast_syscall(&self, function: u64, data: u64) {
        self.fast_syscall_fn.store(function, Ordering::Relaxed);
        self.fast_syscall_data.store(data, Ordering::Relaxed);
    }
}

/// Installs `block` as this CPU's per-CPU data.
fn install(block: &'static PerCpu) {
    let ptr = block as *const PerCpu as *mut PerCpu;
    block.self_ptr.store(ptr, Ordering::Relaxed);
    GsBase::write(VirtAddr::from_ptr(ptr));
    GS_READY.store(true, Ordering::Release);
}

/// Sets up the bootstrap CPU's block; the first thing the kernel does.
pub fn init_boot_cpu() {
    install(&BOOT_CPU);
}

/// Sets up an application processor's block, allocated for it and never freed.
pub fn init_application_cpu(index: usize, apic_id: u32) {
    let block = alloc::boxed::Box::leak(alloc::boxed::Box::new(PerCpu::new(index)));
    block.set_apic_id(apic_id);
    install(block);
}

/// This CPU's per-CPU block.
pub fn current() -> &'static PerCpu {
    let block: *const PerCpu;
    // SAFETY: GS holds this CPU's per-CPU block (installed before any caller runs), whose first
    // field is its own address.
    unsafe { core::arch::asm!("mov {}, gs:[0]", out(reg) block, options(nostack, readonly)) };
    // SAFETY: per-CPU blocks are statics or leaked allocations, never freed.
    unsafe { &*block }
}

/// The dense index of the CPU running this code (0 before per-CPU data exists).
#[inline]
pub fn cpu_index() -> usize {
    if !GS_READY.load(Ordering::Acquire) {
        return 0;
    }
    let index: usize;
    // SAFETY: GS points at this CPU's block once GS_READY is set; INDEX_OFFSET is the offset of
    // its `index` field.
    unsafe {
        core::arch::asm!("mov {}, gs:[{off}]", out(reg) index, off = const INDEX_OFFSET,
            options(nostack, readonly))
    };
    index
}
