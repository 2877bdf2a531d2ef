//! Multiprocessor support: which CPUs are online, starting the application processors, and the
//! inter-processor interrupts any CPU may send: wake-up, TLB shoot-down and stop-all.
//!
//! CPUs are numbered densely in the order they come online: the bootstrap CPU is 0, and each
//! application processor that answers gets the next index, whatever its APIC id. A CPU that does
//! not answer in time is reported and left out, so indices never have holes. The APIC id of
//! every online CPU sits in a fixed table that interrupt handlers read without locks.
//!
//! Invariant: `APIC_IDS[i]` is written once, before `ONLINE` counts CPU `i`, and never changes.

pub mod cpu_set;
pub mod shootdown;
pub mod stacks;

#[cfg(feature = "qemu-test")]
mod tests;

use crate::arch::x86_64::{acpi, apic, interrupt, percpu, smp::Trampoline, tsc};
use alloc::string::String;
use core::fmt::Write;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

pub use cpu_set::CpuSet;
#[cfg_attr(
    not(feature = "qemu-test"),
    allow(
        unused_imports,
        reason = "for the address-space code that unmaps user memory"
    )
)]
pub use shootdown::tlb_shootdown;

/// The most CPUs Spinel runs on; CPUs beyond are reported and left out.
pub const MAX_CPUS: usize = 256;
/// The highest APIC id xAPIC mode can address (0xff is the broadcast id).
const XAPIC_MAX_ID: u32 = 0xfe;
/// How long a panicking CPU waits for the others to park.
const STOP_TIMEOUT_NS: u64 = 1_000_000_000;

static APIC_IDS: [AtomicU32; MAX_CPUS] = [const { AtomicU32::new(0) }; MAX_CPUS];
static ONLINE: AtomicUsize = AtomicUsize::new(1);
static PARKED: [AtomicBool; MAX_CPUS] = [const { AtomicBool::new(false) }; MAX_CPUS];

/// How many CPUs are online (1 until application processors start).
pub fn online_count() -> usize {
    ONLINE.load(Ordering::Acquire)
}

/// The APIC id of online CPU `cpu`.
pub fn apic_id(cpu: usize) -> Option<u32> {
    (cpu < online_count()).then(|| APIC_IDS[cpu].load(Ordering::Relaxed))
}

/// Records that CPU `index` with APIC id `apic_id` is online (called by the CPU itself).
pub fn register_online(index: usize, apic_id: u32) {
    APIC_IDS[index].store(apic_id, Ordering::Relaxed);
    ONLINE.fetch_max(index + 1, Ordering::Release);
}

/// Starts every CPU the MADT lists, one at a time; returns once each is online or left out.
/// Runs on the bootstrap CPU after its APIC and the clock are set up.
pub fn start_application_processors() {
    let boot_apic_id = apic::id();
    percpu::current().set_apic_id(boot_apic_id);
    APIC_IDS[0].store(boot_apic_id, Ordering::Relaxed);

    let Some(topology) = acpi::machine().interrupts.as_ref() else {
        log::warn!("smp: no MADT, so no other CPU is known; running on one CPU");
        return;
    };
    let mut ids = String::new();
    for (i, cpu) in topology.cpus.iter().enumerate() {
        let _ = write!(ids, "{}{}", if i == 0 { "" } else { ", " }, cpu.apic_id);
    }
    log::info!(
        "smp: {} CPUs in the MADT (APIC ids {ids})",
        topology.cpus.len()
    );
    let others = topology
        .cpus
        .iter()
        .map(|cpu| cpu.apic_id)
        .filter(|&id| id != boot_apic_id);
    if others.clone().next().is_none() {
        return;
    }

    let trampoline = match Trampoline::install() {
        Ok(trampoline) => trampoline,
        Err(error) => {
            log::warn!("smp: cannot start other CPUs ({error:?}); running on one CPU");
            return;
        }
    };
    for apic_id in others {
        if online_count() == MAX_CPUS {
            log::warn!("smp: more than {MAX_CPUS} CPUs; the rest are left out");
            break;
        }
        if apic::is_xapic() && apic_id > XAPIC_MAX_ID {
            log::warn!("smp: APIC id {apic_id} needs x2APIC mode; that CPU is left out");
            continue;
        }
        if let Err(error) = trampoline.start(apic_id, online_count()) {
            log::warn!("smp: the CPU with APIC id {apic_id} did not start ({error:?}); left out");
        }
    }
    trampoline.remove();
    log::info!("smp: {} CPUs online", online_count());
}

/// Sends the wake-up IPI to CPU `cpu`: ends its `hlt`, or makes its next one return at once.
/// Interrupt-safe.
pub fn wake(cpu: usize) {
    if let Some(apic_id) = apic_id(cpu) {
        apic::send_ipi(apic_id, interrupt::WAKE_UP);
    }
}

/// Asks every other online CPU to stop (a non-maskable interrupt, whose handler parks the CPU
/// once the machine is stopping), and waits a moment for them to park. Used by the panic path:
/// takes no lock and allocates nothing.
pub fn stop_other_cpus() {
    let count = online_count();
    if count == 1 || !apic::is_ready() {
        return;
    }
    let me = percpu::cpu_index();
    for cpu in (0..count).filter(|&cpu| cpu != me) {
        apic::send_nmi(APIC_IDS[cpu].load(Ordering::Relaxed));
    }
    let parked = || {
        (0..count)
            .filter(|&cpu| cpu != me && PARKED[cpu].load(Ordering::Acquire))
            .count()
    };
    let end = tsc::read().saturating_add(tsc::ns_to_ticks(STOP_TIMEOUT_NS));
    while parked() < count - 1 && tsc::read() < end {
        core::hint::spin_loop();
    }
    crate::console::emergency_print(format_args!(
        "\ncpu{me}: stopped {} of {} other CPUs\n",
        parked(),
        count - 1
    ));
}

/// Records that the calling CPU has parked for good (the panic path's stop).
pub fn note_parked() {
    PARKED[index_by_apic_id()].store(true, Ordering::Release);
}

/// The calling CPU's index, found from its APIC id rather than through GS: the stop NMI may
/// land where GS still holds the user's base (at the syscall entry before its `swapgs`, or
/// between the last `swapgs` and `sysretq`/`iretq`). Before the APIC is set up there is only
/// CPU 0, and an unknown id counts as CPU 0 too.
pub fn index_by_apic_id() -> usize {
    if !apic::is_ready() {
        return 0;
    }
    let id = apic::id();
    (0..online_count())
        .find(|&cpu| APIC_IDS[cpu].load(Ordering::Relaxed) == id)
        .unwrap_or(0)
}
