//! The kernel's executor: the one [`Executor`] of the machine, the [`Platform`] it runs on, and
//! how each CPU enters it.
//!
//! The bootstrap CPU makes the executor once every CPU that answered is online (the CPU count
//! is then fixed) and wakes the application processors, which have been halted waiting for it.
//! Every CPU then runs the executor's loop until no task is left anywhere: the CPU whose task
//! ended last stops the executor, the bootstrap CPU powers the machine off and the others halt.
//!
//! Time and preemption are in [`timer`]: the executor's one-shot deadline and an optional
//! time slice share each CPU's APIC timer.
//!
//! [`Platform`]: executor::Platform

pub mod event;
mod platform;
pub mod timer;

#[cfg(not(any(feature = "qemu-test", feature = "bench")))]
pub mod demo;
#[cfg(feature = "qemu-test")]
pub(crate) mod tests;

use crate::arch::x86_64::power;
use executor::Executor;
use x86_64::instructions::interrupts;

pub use platform::KernelPlatform;
pub use timer::CpuTimer;

/// The kernel's executor type.
pub type KernelExecutor = Executor<KernelPlatform>;

/// The most tasks (threads and kernel tasks) alive at once; the ready queues take about 24
/// bytes per task in all.
const MAX_TASKS: usize = 1 << 16;

static EXECUTOR: spin::Once<KernelExecutor> = spin::Once::new();

/// Makes the executor for the `cpu_count` CPUs online and wakes the application processors
/// waiting for it. Runs once, on the bootstrap CPU.
pub fn init(cpu_count: usize) {
    EXECUTOR.call_once(|| Executor::new(KernelPlatform::new(cpu_count), MAX_TASKS));
    log::info!("executor: {cpu_count} CPUs, room for {MAX_TASKS} tasks");
    (1..cpu_count).for_each(crate::smp::wake);
}

/// The machine's executor.
///
/// # Panics
/// Before [`init`].
pub fn executor() -> &'static KernelExecutor {
    EXECUTOR.get().expect("sched::init ran")
}

/// Runs the executor on the bootstrap CPU; powers the machine off when no task is left.
pub fn run_boot_cpu() -> ! {
    interrupts::enable();
    executor().run();
    power::power_off()
}

/// Runs the executor on an application processor once it exists; halts for good when no task is
/// left.
pub fn run_application_cpu() -> ! {
    loop {
        interrupts::disable();
        if EXECUTOR.get().is_some() {
            break;
        }
        // The wake-up IPI sent by `init` ends the halt; `sti; hlt` cannot lose it.
        interrupts::enable_and_hlt();
    }
    interrupts::enable();
    executor().run();
    power::halt_forever()
}
