//! Spinel's kernel: the bare-metal binary the bootloader starts.
//!
//! `kmain` brings the bootstrap CPU up in a fixed order: per-CPU data and descriptor tables
//! first (so any fault is reported), then the consoles and the log, memory, ACPI, the clock, the
//! interrupt controllers, the other CPUs (each logs `cpu N online`), and the executor over every
//! CPU that came online. The bootstrap CPU then spawns the first task and joins the others in
//! the executor's loop: a normal build runs the SMP demo, a test build (`--features qemu-test`)
//! the in-kernel tests, a benchmark build (`--features bench`) the benchmark cases. When no task
//! is left on any CPU the kernel powers the machine off.

#![no_std]
#![no_main]

extern crate alloc;

mod arch;
#[cfg(feature = "bench")]
mod bench;
mod cmdline;
mod console;
mod logger;
mod memory;
mod panic;
mod process;
mod programs;
mod sched;
mod smp;
mod sync;
#[cfg(feature = "qemu-test")]
mod testing;

#[cfg(all(feature = "qemu-test", feature = "bench"))]
compile_error!("the test and benchmark builds are separate images");

#[cfg(feature = "qemu-test")]
use arch::x86_64::power;
use arch::x86_64::{self as x86};
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
    // The screen console allocates nothing, so it starts before memory: a PC without a serial
    // port shows the boot from its first line.
    let framebuffer = boot_info.framebuffer.as_mut();
    // SAFETY: the framebuffer lives for the whole run and is handed to the console alone; the
    // boot info is not used to reach it again.
    let framebuffer = framebuffer.map(|fb| unsafe { &mut *(fb as *mut _) });
    console::init_framebuffer(framebuffer);
    cmdline::init();
    logger::init();
    log::info!("Spinel {} booting", env!("CARGO_PKG_VERSION"));
    if !cmdline::as_str().is_empty() {
        log::info!("command line: {}", cmdline::as_str());
    }

    let rsdp = boot_info.rsdp_addr.into_option();
    memory::init(boot_info);
    log::info!("cpu: {}", x86::cpu::describe());
    x86::acpi::init(rsdp);
    x86::tsc::init();
    x86::apic::init_boot_cpu();
    x86::ioapic::init();
    smp::start_application_processors();
    sched::init(smp::online_count());
    process::init(smp::online_count());

    spawn_first_task();
    sched::run_boot_cpu()
}

/// The normal boot: the SMP demo, then `init`, which runs the user-space demonstration.
#[cfg(not(any(feature = "qemu-test", feature = "bench")))]
fn spawn_first_task() {
    let boot = async {
        sched::demo::run().await;
        process::start_init(cmdline::as_str());
    };
    sched::executor()
        .spawn_on(0, boot)
        .expect("the first task fits")
        .detach();
}

/// The test boot: the in-kernel tests, then, when the command line asks for a user-space mode
/// (`spinel.mode=test` for the conformance suite), `init`.
#[cfg(feature = "qemu-test")]
fn spawn_first_task() {
    let harness = async {
        if !testing::run().await {
            power::exit_failure();
        }
        if cmdline::get("spinel.mode").is_some() {
            process::start_init(cmdline::as_str());
        }
    };
    sched::executor()
        .spawn_on(0, harness)
        .expect("the first task fits")
        .detach();
}

/// The benchmark boot: the in-kernel cases, then `init` in benchmark mode for the user-space
/// cases, told how many CPUs are online (`bench.cpus`).
#[cfg(feature = "bench")]
fn spawn_first_task() {
    let bench = async {
        bench::run().await;
        let cmdline = alloc::format!(
            "{} spinel.mode=bench bench.cpus={}",
            cmdline::as_str(),
            smp::online_count()
        );
        process::start_init(&cmdline);
    };
    sched::executor()
        .spawn_on(0, bench)
        .expect("the first task fits")
        .detach();
}
