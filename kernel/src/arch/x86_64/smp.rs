//! Starting the application processors: INIT, startup IPIs and the real-mode trampoline.
//!
//! The bootstrap CPU copies the [`trampoline`] to the low page reserved for it, maps that page at
//! its own address, and starts the CPUs the MADT lists one at a time: INIT, wait 10 ms, startup
//! IPI, wait 200 µs, a second startup IPI if the CPU has not yet arrived (Intel SDM Vol. 3A,
//! 9.4.4.1). Each CPU gets a fresh stack; its first Rust code, [`application_cpu_entry`], moves to
//! the kernel's page table and control-register settings, then builds its own GDT, TSS, IDT and
//! per-CPU data and starts its APIC.
//!
//! A handshake word decides the fate of a CPU that is slow to answer: the CPU swaps it from
//! `STARTING` to `ARRIVED` on entry, and the bootstrap CPU swaps it from `STARTING` to
//! `ABANDONED` when it gives up. Exactly one swap succeeds, so a CPU either joins with the index
//! it was given or parks itself (and is sent INIT to make sure), never both.

use super::{apic, gdt, idt, percpu, trampoline, tsc};
use crate::memory::{self, MapError};
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use x86_64::registers::control::{Cr0, Cr3, Cr4, Cr4Flags, Efer, EferFlags};
use x86_64::registers::model_specific::Msr;
use x86_64::structures::paging::{Page, PageTableFlags, PhysFrame};
use x86_64::{PhysAddr, VirtAddr};

/// Wait after INIT before the first startup IPI (Intel SDM Vol. 3A, 9.4.4.1).
const INIT_DELAY_NS: u64 = 10_000_000;
/// Wait after a startup IPI before the second.
const STARTUP_DELAY_NS: u64 = 200_000;
/// How long a CPU has to reach its Rust entry point before it is left out.
const ARRIVAL_TIMEOUT_NS: u64 = 1_000_000_000;
/// How long a CPU that arrived has to finish its bring-up; not doing so is a kernel bug.
const ONLINE_TIMEOUT_NS: u64 = 10_000_000_000;
/// Size of each application processor's kernel stack.
const STACK_SIZE: usize = 128 * 1024;
/// IA32_PAT MSR (Intel SDM Vol. 3A, 12.12.2): copied so every CPU caches memory alike.
const IA32_PAT: u32 = 0x277;

/// Handshake states.
const IDLE: u32 = 0;
const STARTING: u32 = 1;
const ARRIVED: u32 = 2;
const ONLINE: u32 = 3;
const ABANDONED: u32 = 4;

static HANDSHAKE: AtomicU32 = AtomicU32::new(IDLE);
/// The bootstrap CPU's CR3, CR4, EFER and PAT, which every CPU copies.
static KERNEL_CR3: AtomicU64 = AtomicU64::new(0);
static KERNEL_CR4: AtomicU64 = AtomicU64::new(0);
static KERNEL_EFER: AtomicU64 = AtomicU64::new(0);
static KERNEL_PAT: AtomicU64 = AtomicU64::new(0);

/// Why a CPU was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartError {
    /// It did not reach the kernel within the timeout.
    NoAnswer,
    /// No memory for its stack.
    OutOfMemory,
}

/// The trampoline page, copied and mapped at its own address for the duration of bring-up.
pub struct Trampoline {
    frame: PhysFrame,
    /// A page table below 4 GiB for real mode's 32-bit CR3, when the kernel's is above.
    low_table: Option<PhysFrame>,
}

/// Why application processors cannot be started at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrampolineError {
    /// The memory map had no usable page below 1 MiB.
    NoLowPage,
    /// The low page could not be mapped at its own address.
    Map(MapError),
    /// No page-table frame below 4 GiB for real mode's 32-bit CR3.
    NoTableBelow4GiB,
}

impl Trampoline {
    /// Copies the trampoline to the low page, maps the page at its own address and fills in the
    /// parameters that are the same for every CPU.
    pub fn install() -> Result<Trampoline, TrampolineError> {
        let frame = memory::low_frame().ok_or(TrampolineError::NoLowPage)?;
        let identity = Page::containing_address(VirtAddr::new(frame.start_address().as_u64()));
        memory::map_kernel_page(identity, frame, PageTableFlags::WRITABLE)
            .map_err(TrampolineError::Map)?;
        let (kernel_table, _) = Cr3::read();
        let low_table = match kernel_table.start_address().as_u64() >> 32 {
            0 => None,
            _ => match memory::copy_of_kernel_pml4_below_4gib() {
                Some(copy) => Some(copy),
                None => {
                    memory::unmap_kernel_page(identity);
                    return Err(TrampolineError::NoTableBelow4GiB);
                }
            },
        };
        KERNEL_CR3.store(kernel_table.start_address().as_u64(), Ordering::Relaxed);
        KERNEL_CR4.store(Cr4::read_raw(), Ordering::Relaxed);
        KERNEL_EFER.store(Efer::read_raw(), Ordering::Relaxed);
        // SAFETY: IA32_PAT exists on every x86_64 CPU; reading it has no side effects.
        KERNEL_PAT.store(unsafe { Msr::new(IA32_PAT).read() }, Ordering::Relaxed);

        let base = frame.start_address().as_u64() as u32;
        let code = trampoline::code();
        let page = memory::phys_to_virt(frame.start_address()).as_mut_ptr::<u8>();
        // SAFETY: the low frame is reserved for the trampoline and mapped by the direct map;
        // the code is smaller than a page.
        unsafe { core::ptr::copy_nonoverlapping(code.as_ptr(), page, code.len()) };
        let paging = Cr4Flags::PHYSICAL_ADDRESS_EXTENSION | Cr4Flags::PAGE_GLOBAL;
        let efer = EferFlags::LONG_MODE_ENABLE | EferFlags::NO_EXECUTE_ENABLE;
        let table = low_table.unwrap_or(kernel_table);
        let trampoline = Trampoline { frame, low_table };
        trampoline.write_parameters(trampoline::Parameters {
            gdt_limit: trampoline::GDT_SIZE - 1,
            gdt_base: base + trampoline::gdt_offset() as u32,
            long_mode_offset: base + trampoline::long_mode_offset() as u32,
            long_mode_selector: trampoline::CODE_SELECTOR,
            cr4: (Cr4::read() & paging).bits() as u32,
            cr3: table.start_address().as_u64() as u32,
            efer: efer.bits() as u32,
            cr0: Cr0::read_raw() as u32,
            ..trampoline::Parameters::default()
        });
        Ok(trampoline)
    }

    fn write_parameters(&self, parameters: trampoline::Parameters) {
        let page = memory::phys_to_virt(self.frame.start_address());
        let at = page + trampoline::parameters_offset() as u64;
        // SAFETY: the parameter block lies inside the trampoline page, which only this CPU
        // writes, while no application processor is between its startup IPI and its entry.
        unsafe {
            at.as_mut_ptr::<trampoline::Parameters>()
                .write_unaligned(parameters)
        };
    }

    fn read_parameters(&self) -> trampoline::Parameters {
        let page = memory::phys_to_virt(self.frame.start_address());
        let at = page + trampoline::parameters_offset() as u64;
        // SAFETY: as in `write_parameters`.
        unsafe { at.as_ptr::<trampoline::Parameters>().read_unaligned() }
    }

    /// The startup IPI's vector: the page number of the trampoline.
    fn startup_vector(&self) -> u8 {
        (self.frame.start_address().as_u64() >> 12) as u8
    }

    /// Starts the CPU with APIC id `apic_id` as CPU `index`; returns once it is online.
    pub fn start(&self, apic_id: u32, index: usize) -> Result<(), StartError> {
        let stack_top = crate::smp::stacks::allocate(STACK_SIZE).ok_or(StartError::OutOfMemory)?;
        self.write_parameters(trampoline::Parameters {
            stack_top: stack_top.as_u64(),
            entry: application_cpu_entry as *const () as u64,
            argument: index as u64,
            ..self.read_parameters()
        });
        HANDSHAKE.store(STARTING, Ordering::SeqCst);

        apic::send_init(apic_id);
        tsc::spin_for(INIT_DELAY_NS);
        apic::send_startup(apic_id, self.startup_vector());
        tsc::spin_for(STARTUP_DELAY_NS);
        if HANDSHAKE.load(Ordering::Acquire) == STARTING {
            apic::send_startup(apic_id, self.startup_vector());
        }

        if !wait_while(STARTING, ARRIVAL_TIMEOUT_NS)
            && HANDSHAKE
                .compare_exchange(STARTING, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            // Put it back into wait-for-SIPI, so it cannot run the trampoline later.
            apic::send_init(apic_id);
            tsc::spin_for(INIT_DELAY_NS);
            return Err(StartError::NoAnswer);
        }
        assert!(
            wait_while(ARRIVED, ONLINE_TIMEOUT_NS),
            "cpu {index} (APIC id {apic_id}) entered the kernel but never came online"
        );
        Ok(())
    }

    /// Unmaps the page and returns the low page table, once no CPU can be in the trampoline.
    pub fn remove(self) {
        let page = Page::containing_address(VirtAddr::new(self.frame.start_address().as_u64()));
        memory::unmap_kernel_page(page);
        crate::smp::shootdown::flush_everywhere(
            page.start_address()..page.start_address() + 4096u64,
        );
        if let Some(table) = self.low_table {
            memory::free_frame(table);
        }
    }
}

/// Spins while the handshake is `state`, for at most `timeout_ns`; false on timeout.
fn wait_while(state: u32, timeout_ns: u64) -> bool {
    let end = tsc::read().saturating_add(tsc::ns_to_ticks(timeout_ns));
    while HANDSHAKE.load(Ordering::Acquire) == state {
        if tsc::read() > end {
            return false;
        }
        core::hint::spin_loop();
    }
    true
}

/// Where an application processor enters the kernel, from the trampoline, on its new stack.
extern "sysv64" fn application_cpu_entry(index: usize) -> ! {
    // SAFETY: the values are the bootstrap CPU's own, under which the whole kernel already runs;
    // the trampoline's table (if it was a copy) maps the kernel exactly as the real one does.
    unsafe {
        let cr3 = PhysFrame::containing_address(PhysAddr::new(KERNEL_CR3.load(Ordering::Relaxed)));
        let (_, flags) = Cr3::read();
        Cr3::write(cr3, flags);
        Cr4::write_raw(KERNEL_CR4.load(Ordering::Relaxed));
        Efer::write_raw(KERNEL_EFER.load(Ordering::Relaxed));
        Msr::new(IA32_PAT).write(KERNEL_PAT.load(Ordering::Relaxed));
    }
    if HANDSHAKE
        .compare_exchange(STARTING, ARRIVED, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        // The bootstrap CPU gave up on us and moved on: take no part.
        super::power::halt_forever();
    }

    percpu::init_application_cpu(index, 0);
    gdt::init_application_cpu();
    idt::load();
    super::cpu::init();
    super::user::init_cpu();
    apic::init_this_cpu();
    let apic_id = apic::id();
    percpu::current().set_apic_id(apic_id);
    crate::smp::register_online(index, apic_id);
    log::info!("cpu {index} online (apic id {apic_id})");
    HANDSHAKE.store(ONLINE, Ordering::Release);

    crate::sched::run_application_cpu()
}
