//! Spinel's kernel: the bare-metal binary the bootloader starts.
//!
//! `kmain` brings the bootstrap CPU up in a fixed order: per-CPU data and descriptor tables
//! first (so any fault is reported), then the consoles and the log, memory, and ACPI. A normal
//! build then runs the system; a test build (`--features qemu-test`) runs the in-kernel tests.
//! When nothing is left to run the kernel powers the machine off.

#![no_std]
#![no_main]

extern crate alloc;

mod arch;
mod cmdline;
mod console;
mod logger;
mod memory;
mod panic;
mod programs;
mod smp;
mod sync;
#[cfg(feature = "qemu-test")]
mod testing;

use arch::x86_64::{self as x86, power};
use bootloader_api::config::Mapping;
use bootloader_api::{BootInfo, BootloaderConfig, entry_point};

/// Lowest address the bootloader may use for its dynamic mappings: keeping them in the kernel
/// half leaves the lower half entirely to user space.
const KERNEL_HALF_START: u64 = 0xffff_8000_0000_0000;
/// Stack of the bootstrap CPU, which also runs its executor.
const BOOT_STACK_SIZE: u64 = 256 * 1024;

static BOOTLOADER_CONFIG: BootloaderConfig = {
    let mut config = BootloaderConfig::new_default();
    config.mappings.physical_memory = Some(Mapping::Dynamic);
    config.mappings.dynamic_range_start = Some(KERNEL_HALF_START);
    config.kernel_stack_size = BOOT_STACK_SIZE;
    config
};

entry_point!(kmain, config = &BOOTLOADER_CONFIG);

fn kmain(boot_info: &'static mut BootInfo) -> ! {
    x86::init_boot_cpu();
    console::init_serial();
    cmdline::init();
    logger::init();
    log::info!("Spinel {} booting", env!("CARGO_PKG_VERSION"));
    if !cmdline::as_str().is_empty() {
        log::info!("command line: {}", cmdline::as_str());
    }

    let rsdp = boot_info.rsdp_addr.into_option();
    let framebuffer = boot_info.framebuffer.as_mut();
    // SAFETY: the framebuffer lives for the whole run and is handed to the console alone; the
    // boot info is not used to reach it again.
    let framebuffer = framebuffer.map(|fb| unsafe { &mut *(fb as *mut _) });
    memory::init(boot_info);
    console::init_framebuffer(framebuffer);
    x86::acpi::init(rsdp);

    run()
}

#[cfg(not(feature = "qemu-test"))]
fn run() -> ! {
    log::info!("boot complete; nothing to run yet");
    power::power_off()
}

#[cfg(feature = "qemu-test")]
fn run() -> ! {
    if testing::run() {
        power::power_off()
    } else {
        power::exit_failure()
    }
}
