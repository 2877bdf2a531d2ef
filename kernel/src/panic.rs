//! Panics and the machine-wide stop.
//!
//! A panic or fatal exception on any CPU stops the whole machine: the first CPU to fail becomes
//! the reporter, asks the other CPUs to park (once they exist), prints its report through the
//! console's emergency path and exits with a failure status. A CPU that fails while another is
//! already reporting parks itself instead of interleaving a second report. The reporter itself
//! failing again (a fault or panic while it prints its report) exits at once: parking it would
//! leave nobody to end the run, and the machine would hang instead of failing.

use crate::arch::x86_64::{percpu, power};
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The index of the CPU that is reporting a crash, or [`NO_REPORTER`].
static REPORTER: AtomicUsize = AtomicUsize::new(NO_REPORTER);
const NO_REPORTER: usize = usize::MAX;
/// Set when the reporter failed again and is saying so, so a third failure prints nothing more.
static REPORTER_FAILED_AGAIN: AtomicBool = AtomicBool::new(false);

/// Whether another CPU than this one is reporting a crash (this one must park when told to).
/// Asked by the stop NMI, which may find GS holding the user's base, so the CPU is named by its
/// APIC id.
pub fn another_cpu_is_reporting() -> bool {
    let reporter = REPORTER.load(Ordering::Acquire);
    reporter != NO_REPORTER && reporter != crate::smp::index_by_apic_id()
}

/// Marks the machine as stopping with this CPU as the reporter. A CPU that loses the race parks
/// for good; the reporter entering again exits with failure at once.
pub fn begin_stopping() {
    x86_64::instructions::interrupts::disable();
    let cpu = percpu::cpu_index();
    match REPORTER.compare_exchange(NO_REPORTER, cpu, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => crate::smp::stop_other_cpus(),
        Err(reporter) if reporter == cpu => reporter_failed_again(cpu),
        Err(_) => park_this_cpu(),
    }
}

/// The reporter faulted or panicked while it printed its report: one line, if printing itself
/// is not what fails, then the failure exit.
fn reporter_failed_again(cpu: usize) -> ! {
    if !REPORTER_FAILED_AGAIN.swap(true, Ordering::AcqRel) {
        crate::console::emergency_print(format_args!(
            "\ncpu{cpu} failed again while reporting a crash; exiting at once\n"
        ));
    }
    stop_machine_and_fail()
}

/// Parks the calling CPU forever.
pub fn park_this_cpu() -> ! {
    crate::smp::note_parked();
    power::halt_forever()
}

/// Ends the run with a failure status once the report is printed.
pub fn stop_machine_and_fail() -> ! {
    power::exit_failure()
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    begin_stopping();
    let cpu = percpu::cpu_index();
    let location = info.location();
    let p = crate::console::emergency_print;
    p(format_args!(
        "\nKERNEL PANIC on cpu{cpu}: {}\n",
        info.message()
    ));
    if let Some(location) = location {
        p(format_args!(
            "  at {}:{}:{}\n",
            location.file(),
            location.line(),
            location.column()
        ));
    }
    let rbp: u64;
    // SAFETY: reads the frame pointer register; no memory is touched.
    unsafe { core::arch::asm!("mov {}, rbp", out(reg) rbp, options(nomem, nostack)) };
    crate::arch::x86_64::backtrace::print(x86_64::instructions::read_rip().as_u64(), rbp);
    stop_machine_and_fail()
}
