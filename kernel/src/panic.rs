//! Panics and the machine-wide stop.
//!
//! A panic or fatal exception on any CPU stops the whole machine: the first CPU to fail marks
//! the system as stopping, asks the other CPUs to park (once they exist), prints its report
//! through the console's emergency path and exits with a failure status. A CPU that fails while
//! another is already reporting parks itself instead of interleaving a second report.

use crate::arch::x86_64::{percpu, power};
use core::sync::atomic::{AtomicBool, Ordering};

static STOPPING: AtomicBool = AtomicBool::new(false);

/// Whether some CPU has started stopping the machine.
pub fn is_stopping() -> bool {
    STOPPING.load(Ordering::Acquire)
}

/// Marks the machine as stopping; a CPU that loses the race parks for good.
pub fn begin_stopping() {
    x86_64::instructions::interrupts::disable();
    if STOPPING.swap(true, Ordering::AcqRel) {
        park_this_cpu();
    }
    crate::smp::stop_other_cpus();
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
