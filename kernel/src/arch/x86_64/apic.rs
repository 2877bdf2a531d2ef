//! The local APIC: each CPU's interrupt controller, its one-shot timer, and inter-processor
//! interrupts.
//!
//! The APIC is driven in x2APIC mode (registers as MSRs) when CPUID offers it, and in xAPIC mode
//! (registers in one uncached MMIO page) otherwise; the mode is chosen once on the bootstrap CPU
//! and every CPU uses the same. QEMU's TCG has no x2APIC, so under QEMU the xAPIC path is the
//! one exercised; the x2APIC path follows the manual but has not run under test.
//!
//! The timer runs in TSC-deadline mode when CPUID has it (the deadline is a TSC value, the
//! clock's own unit) and in one-shot mode otherwise, counting down at a frequency measured
//! against the TSC at boot.
//!
//! Written by hand rather than taken from a crate: the driver is a dozen registers, and Spinel
//! needs both access modes behind one interface, the IPI write kept atomic against interrupts on
//! the same CPU, and the timer in the clock's units.
//!
//! Invariant: an xAPIC ICR write (high half, then low half) is never interrupted on its CPU, so
//! an interrupt handler that sends an IPI cannot change the destination of one half-written.

use super::{cpuid, interrupt, pic, tsc};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use x86_64::instructions::interrupts;
use x86_64::registers::model_specific::Msr;
use x86_64::{PhysAddr, VirtAddr};

/// IA32_APIC_BASE MSR (Intel SDM Vol. 3A, 11.4.4): the xAPIC page address and enable bits.
const IA32_APIC_BASE: u32 = 0x1b;
/// IA32_APIC_BASE bit 11: the APIC is enabled.
const APIC_BASE_ENABLE: u64 = 1 << 11;
/// IA32_APIC_BASE bit 10: x2APIC mode (Intel SDM Vol. 3A, 11.12.1).
const APIC_BASE_X2APIC: u64 = 1 << 10;
/// IA32_APIC_BASE bits 12 and up: the physical address of the xAPIC page.
const APIC_BASE_ADDRESS_MASK: u64 = 0x000f_ffff_ffff_f000;
/// IA32_TSC_DEADLINE MSR (Intel SDM Vol. 3A, 11.5.4.1).
const IA32_TSC_DEADLINE: u32 = 0x6e0;
/// The first x2APIC MSR; register `offset` is at `X2APIC_MSR_BASE + offset / 16`.
const X2APIC_MSR_BASE: u32 = 0x800;

/// A local APIC register, by its xAPIC MMIO offset (Intel SDM Vol. 3A, Table 11-1).
#[derive(Clone, Copy)]
struct Register(u32);

impl Register {
    const ID: Register = Register(0x020);
    const TASK_PRIORITY: Register = Register(0x080);
    const EOI: Register = Register(0x0b0);
    const SPURIOUS_VECTOR: Register = Register(0x0f0);
    const ERROR_STATUS: Register = Register(0x280);
    const ICR_LOW: Register = Register(0x300);
    const ICR_HIGH: Register = Register(0x310);
    const LVT_TIMER: Register = Register(0x320);
    const LVT_LINT0: Register = Register(0x350);
    const LVT_ERROR: Register = Register(0x370);
    const TIMER_INITIAL_COUNT: Register = Register(0x380);
    const TIMER_CURRENT_COUNT: Register = Register(0x390);
    const TIMER_DIVIDE: Register = Register(0x3e0);
}

/// Spurious-vector register bit 8: software enable.
const SVR_ENABLE: u32 = 1 << 8;
/// LVT bit 16: the entry is masked.
const LVT_MASKED: u32 = 1 << 16;
/// LVT timer mode field (bits 17-18): one-shot is 0, TSC-deadline is 2 (Intel SDM Vol. 3A, 11.5.1).
const LVT_TIMER_TSC_DEADLINE: u32 = 2 << 17;
/// Divide configuration value for "divide by 1" (Intel SDM Vol. 3A, Figure 11-10).
const TIMER_DIVIDE_BY_1: u32 = 0b1011;
/// ICR delivery modes, bits 8-10 (Intel SDM Vol. 3A, 11.6.1).
const ICR_FIXED: u32 = 0b000 << 8;
const ICR_NMI: u32 = 0b100 << 8;
const ICR_INIT: u32 = 0b101 << 8;
const ICR_STARTUP: u32 = 0b110 << 8;
/// ICR bit 12 (xAPIC only): the previous IPI has not been sent yet.
const ICR_SEND_PENDING: u32 = 1 << 12;
/// ICR bit 14: level assert (required for every mode but INIT de-assert).
const ICR_ASSERT: u32 = 1 << 14;
/// Shift of the destination field in the xAPIC ICR high register.
const XAPIC_DESTINATION_SHIFT: u32 = 24;
/// How long to wait for the xAPIC to accept an IPI before sending anyway.
const SEND_PENDING_SPINS: usize = 1_000_000;
/// How long the timer is measured against the TSC at boot.
const TIMER_CALIBRATION_NS: u64 = 10_000_000;

/// How the registers are reached.
#[derive(Clone, Copy, Debug)]
enum Mode {
    XApic { registers: VirtAddr },
    X2Apic,
}

static MODE: spin::Once<Mode> = spin::Once::new();
static TSC_DEADLINE: AtomicBool = AtomicBool::new(false);
/// The one-shot timer's count rate in Hz (divide by 1).
static TIMER_HZ: AtomicU64 = AtomicU64::new(0);

fn mode() -> Mode {
    *MODE.get().expect("apic::init_boot_cpu ran")
}

/// Whether the local APIC is set up on the bootstrap CPU (so IPIs can be sent).
pub fn is_ready() -> bool {
    MODE.get().is_some()
}

/// Whether the APIC runs in xAPIC mode (8-bit destination ids).
pub fn is_xapic() -> bool {
    matches!(mode(), Mode::XApic { .. })
}

fn read(register: Register) -> u32 {
    match mode() {
        // SAFETY: the APIC page is mapped uncached and `register` is one of its registers;
        // reads of the registers used here have no side effects.
        Mode::XApic { registers } => unsafe {
            (registers + u64::from(register.0))
                .as_ptr::<u32>()
                .read_volatile()
        },
        // SAFETY: x2APIC mode is enabled on this CPU, so the MSR exists.
        Mode::X2Apic => unsafe { Msr::new(X2APIC_MSR_BASE + register.0 / 16).read() as u32 },
    }
}

fn write(register: Register, value: u32) {
    match mode() {
        // SAFETY: as in `read`; each write's effect is the one its caller documents.
        Mode::XApic { registers } => unsafe {
            (registers + u64::from(register.0))
                .as_mut_ptr::<u32>()
                .write_volatile(value)
        },
        // SAFETY: as in `read`.
        Mode::X2Apic => unsafe {
            Msr::new(X2APIC_MSR_BASE + register.0 / 16).write(u64::from(value))
        },
    }
}

/// Chooses the APIC mode, masks the 8259 PICs, sets up the bootstrap CPU's APIC and measures
/// the timer. Runs once, after the clock is initialised.
pub fn init_boot_cpu() {
    assert!(cpuid::has_apic(), "Spinel needs a CPU with a local APIC");
    pic::remap_and_mask();
    // SAFETY: IA32_APIC_BASE exists on every CPU with an APIC; reading it has no side effects.
    let base = unsafe { Msr::new(IA32_APIC_BASE).read() };
    let mode = if cpuid::has_x2apic() || base & APIC_BASE_X2APIC != 0 {
        Mode::X2Apic
    } else {
        let address = PhysAddr::new(base & APIC_BASE_ADDRESS_MASK);
        Mode::XApic {
            registers: crate::memory::map_mmio(address, 4096),
        }
    };
    MODE.call_once(|| mode);
    TSC_DEADLINE.store(cpuid::has_tsc_deadline(), Ordering::Relaxed);
    init_this_cpu();
    let timer = if TSC_DEADLINE.load(Ordering::Relaxed) {
        "TSC-deadline timer".into()
    } else {
        calibrate_timer();
        let hz = TIMER_HZ.load(Ordering::Relaxed);
        alloc::format!(
            "one-shot timer at {}.{:03} MHz",
            hz / 1_000_000,
            hz / 1_000 % 1_000
        )
    };
    log::info!(
        "apic: {} mode, {timer}; boot CPU has APIC id {}",
        match mode {
            Mode::XApic { .. } => "xAPIC",
            Mode::X2Apic => "x2APIC",
        },
        id()
    );
}

/// Enables the calling CPU's APIC in the chosen mode: spurious vector, error vector, timer
/// masked, LINT0 (the PICs' ExtINT line) masked, all priorities accepted.
pub fn init_this_cpu() {
    // SAFETY: IA32_APIC_BASE exists; setting the enable bits (x2APIC after xAPIC, as the manual
    // requires for the transition) only changes how this CPU's APIC is reached.
    unsafe {
        let mut msr = Msr::new(IA32_APIC_BASE);
        let base = msr.read() | APIC_BASE_ENABLE;
        msr.write(base);
        if let Mode::X2Apic = mode() {
            msr.write(base | APIC_BASE_X2APIC);
        }
    }
    write(Register::TASK_PRIORITY, 0);
    write(
        Register::SPURIOUS_VECTOR,
        SVR_ENABLE | u32::from(interrupt::SPURIOUS),
    );
    write(Register::LVT_ERROR, u32::from(interrupt::APIC_ERROR));
    write(Register::LVT_LINT0, LVT_MASKED);
    let timer_mode = if TSC_DEADLINE.load(Ordering::Relaxed) {
        LVT_TIMER_TSC_DEADLINE
    } else {
        0
    };
    write(
        Register::LVT_TIMER,
        timer_mode | u32::from(interrupt::TIMER),
    );
    write(Register::TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
    // The error status register latches on a write; two writes clear it (Intel SDM Vol. 3A,
    // 11.5.3).
    write(Register::ERROR_STATUS, 0);
    write(Register::ERROR_STATUS, 0);
    end_of_interrupt();
}

/// Counts how fast the one-shot timer runs, against the TSC.
fn calibrate_timer() {
    write(
        Register::LVT_TIMER,
        LVT_MASKED | u32::from(interrupt::TIMER),
    );
    write(Register::TIMER_INITIAL_COUNT, u32::MAX);
    let start = tsc::read();
    tsc::spin_for(TIMER_CALIBRATION_NS);
    let remaining = read(Register::TIMER_CURRENT_COUNT);
    let ns = tsc::ticks_to_ns(tsc::read() - start).max(1);
    write(Register::TIMER_INITIAL_COUNT, 0);
    write(Register::LVT_TIMER, u32::from(interrupt::TIMER));
    let counted = u64::from(u32::MAX - remaining);
    let hz = (counted as u128 * tsc::NS_PER_SECOND as u128 / ns as u128) as u64;
    TIMER_HZ.store(hz.max(1), Ordering::Relaxed);
}

/// The calling CPU's APIC id.
pub fn id() -> u32 {
    let raw = read(Register::ID);
    match mode() {
        Mode::XApic { .. } => raw >> XAPIC_DESTINATION_SHIFT,
        Mode::X2Apic => raw,
    }
}

/// Signals the end of the interrupt being handled.
pub fn end_of_interrupt() {
    write(Register::EOI, 0);
}

/// Reads and clears the error status register.
pub fn take_error_status() -> u32 {
    write(Register::ERROR_STATUS, 0);
    read(Register::ERROR_STATUS)
}

/// Arms this CPU's timer to interrupt once the clock reaches `deadline` (nanoseconds since
/// boot), at once if it already has; `None` disarms it.
pub fn set_timer(deadline: Option<i64>) {
    if TSC_DEADLINE.load(Ordering::Relaxed) {
        // Zero disarms; a deadline in the past fires at once (Intel SDM Vol. 3A, 11.5.4.1).
        let value = deadline.map_or(0, |d| tsc::deadline_to_tsc(d).max(1));
        // SAFETY: the timer is in TSC-deadline mode; the MSR only arms it.
        unsafe { Msr::new(IA32_TSC_DEADLINE).write(value) };
        return;
    }
    let count = deadline.map_or(0, |deadline| {
        let delta = deadline.saturating_sub(tsc::now()).max(0) as u64;
        let hz = TIMER_HZ.load(Ordering::Relaxed) as u128;
        let ticks = (delta as u128 * hz).div_ceil(tsc::NS_PER_SECOND as u128);
        // A deadline past the counter's reach fires early; the executor then re-arms.
        ticks.clamp(1, u128::from(u32::MAX)) as u32
    });
    write(Register::TIMER_INITIAL_COUNT, count);
}

/// Sends interrupt `vector` to the CPU with APIC id `apic_id`.
pub fn send_ipi(apic_id: u32, vector: u8) {
    send(apic_id, ICR_FIXED | ICR_ASSERT | u32::from(vector));
}

/// Sends a non-maskable interrupt to the CPU with APIC id `apic_id`.
pub fn send_nmi(apic_id: u32) {
    send(apic_id, ICR_NMI | ICR_ASSERT);
}

/// Sends INIT to `apic_id`: the CPU resets and waits for a startup IPI.
pub fn send_init(apic_id: u32) {
    send(apic_id, ICR_INIT | ICR_ASSERT);
}

/// Sends a startup IPI: the CPU starts in real mode at `page_number * 4096`.
pub fn send_startup(apic_id: u32, page_number: u8) {
    send(apic_id, ICR_STARTUP | ICR_ASSERT | u32::from(page_number));
}

fn send(apic_id: u32, command: u32) {
    let were_enabled = interrupts::are_enabled();
    interrupts::disable();
    match mode() {
        Mode::XApic { .. } => {
            wait_until_sent();
            write(Register::ICR_HIGH, apic_id << XAPIC_DESTINATION_SHIFT);
            write(Register::ICR_LOW, command);
        }
        Mode::X2Apic => {
            // An x2APIC ICR write is not serialising: make earlier stores visible to the target
            // before the IPI can arrive there.
            // SAFETY: fences only order memory accesses.
            unsafe { core::arch::asm!("mfence", "lfence", options(nostack, preserves_flags)) };
            let value = (u64::from(apic_id) << 32) | u64::from(command);
            // SAFETY: x2APIC mode is enabled; the ICR MSR sends the IPI described by `value`.
            unsafe { Msr::new(X2APIC_MSR_BASE + Register::ICR_LOW.0 / 16).write(value) };
        }
    }
    if were_enabled {
        interrupts::enable();
    }
}

/// Waits (boundedly) until the xAPIC has sent the previous IPI.
fn wait_until_sent() {
    for _ in 0..SEND_PENDING_SPINS {
        if read(Register::ICR_LOW) & ICR_SEND_PENDING == 0 {
            return;
        }
        core::hint::spin_loop();
    }
}
