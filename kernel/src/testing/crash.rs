//! Deliberate crashes, one per boot, to prove that a kernel fault is reported and fails the run.
//!
//! The host runner boots the test image with `crash=<name>` and expects the register dump, the
//! backtrace and a failure exit status; a crash that did not crash is itself a failure.

use crate::sched::executor;

/// An address in the user half that nothing maps in the kernel's address space.
const UNMAPPED_ADDRESS: u64 = 0x0000_5a5a_0000_0000;

/// Runs the crash `name`; never returns (a crash that did not crash fails the run).
pub async fn run(name: &str) {
    crate::kprintln!("test: crash {name}");
    match name {
        "invalid_opcode" => {
            // SAFETY: deliberately executes an undefined instruction; the fault ends the run.
            unsafe { core::arch::asm!("ud2") };
        }
        "page_fault" => {
            // SAFETY: deliberately writes to an unmapped address; the fault ends the run.
            unsafe { core::ptr::write_volatile(UNMAPPED_ADDRESS as *mut u64, 0x5a) };
        }
        "panic" => panic!("deliberate panic requested on the command line"),
        "panic_smp" => panic_on_last_cpu().await,
        "fault_while_reporting" => panic!("deliberate panic whose message faults: {}", Faulty),
        _ => crate::kprintln!("test: unknown crash {name:?}"),
    }
    crate::kprintln!("test: crash {name} did not crash");
    crate::arch::x86_64::power::exit_failure()
}

/// A value whose formatting executes an undefined instruction: a panic message holding it makes
/// the panicking CPU fault while it prints its report.
struct Faulty;

impl core::fmt::Display for Faulty {
    fn fmt(&self, _: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // SAFETY: deliberately executes an undefined instruction; the fault ends the run.
        unsafe { core::arch::asm!("ud2") };
        Ok(())
    }
}

/// Panics on the last CPU while every other CPU is busy or halted; the panic must stop them all.
async fn panic_on_last_cpu() {
    let last = executor().cpu_count() - 1;
    if last == 0 {
        crate::kprintln!("test: panic_smp needs two CPUs or more");
        return;
    }
    let task = executor().spawn_on(last, async move {
        let cpu = crate::arch::x86_64::percpu::cpu_index();
        panic!("deliberate panic on cpu {cpu} while the others run");
    });
    // Keep this CPU busy: the stop NMI must reach a CPU that is running, not only halted ones.
    let _task = task;
    loop {
        core::hint::spin_loop();
    }
}
