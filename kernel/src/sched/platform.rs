//! [`KernelPlatform`]: the executor's view of the machine, implemented with the per-CPU data,
//! the local APIC, the TSC and `sti; hlt`.

use super::timer;
use crate::arch::x86_64::{percpu, tsc};
use executor::{Platform, Time};
use x86_64::instructions::interrupts;

/// The machine as the executor sees it.
pub struct KernelPlatform {
    cpu_count: usize,
}

impl KernelPlatform {
    /// The platform of `cpu_count` online CPUs, indexed as [`crate::smp`] numbers them.
    pub fn new(cpu_count: usize) -> Self {
        KernelPlatform { cpu_count }
    }
}

impl Platform for KernelPlatform {
    fn cpu_count(&self) -> usize {
        self.cpu_count
    }

    #[inline]
    fn current_cpu(&self) -> usize {
        percpu::cpu_index()
    }

    fn wake_cpu(&self, cpu: usize) {
        crate::smp::wake(cpu);
    }

    fn now(&self) -> Time {
        tsc::now()
    }

    fn set_timer(&self, deadline: Time) {
        timer::set_executor_deadline(deadline);
    }

    fn disable_interrupts(&self) {
        interrupts::disable();
    }

    fn enable_interrupts(&self) {
        interrupts::enable();
    }

    fn enable_interrupts_and_halt(&self) {
        interrupts::enable_and_hlt();
    }

    fn on_all_tasks_finished(&self) {
        log::info!("no task left on any CPU");
        super::executor().stop();
    }
}
