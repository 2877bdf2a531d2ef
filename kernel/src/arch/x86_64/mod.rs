//! Everything specific to x86_64: descriptor tables, traps, per-CPU data, ACPI and the devices
//! the kernel drives directly.

pub mod acpi;
pub mod apic;
pub mod backtrace;
pub mod cpu;
pub mod cpuid;
pub mod exception;
pub mod fixup;
pub mod fw_cfg;
pub mod gdt;
pub mod idt;
pub mod interrupt;
pub mod ioapic;
pub mod percpu;
mod pic;
pub mod power;
#[cfg(feature = "qemu-test")]
pub mod probe;
pub mod reference_clock;
pub mod smp;
pub mod trampoline;
pub mod trap;
pub mod tsc;
pub mod user;
pub mod usercopy;

/// The bootstrap CPU's first steps: per-CPU data, descriptor tables and traps.
pub fn init_boot_cpu() {
    gdt::init_boot_cpu();
    percpu::init_boot_cpu();
    idt::load();
    cpu::init();
    user::init_cpu();
}
#[cfg(feature = "qemu-test")]
mod user_tests;
