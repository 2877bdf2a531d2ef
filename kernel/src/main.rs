//! Spinel's kernel binary.
#![no_std]
#![no_main]

use bootloader_api::{BootInfo, BootloaderConfig, config::Mapping, entry_point};
use core::fmt::Write;

static CONFIG: BootloaderConfig = {
    let mut config = BootloaderConfig::new_default();
    config.mappings.physical_memory = Some(Mapping::Dynamic);
    config
};
entry_point!(kmain, config = &CONFIG);

fn kmain(_boot: &'static mut BootInfo) -> ! {
    let mut port = unsafe { uart_16550::SerialPort::new(0x3f8) };
    port.init();
    let _ = writeln!(port, "hello from spinel");
    unsafe { x86_64::instructions::port::Port::<u32>::new(0xf4).write(0) };
    loop {}
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}
