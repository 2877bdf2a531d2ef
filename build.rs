//! Turns a kernel ELF into bootable BIOS and UEFI disk images.
//!
//! The Makefile builds the kernel first (on stable Rust) and runs this build script through the
//! pinned nightly with `KERNEL_PATH` (the ELF) and `IMAGE_DIR` (where `bios.img` and `uefi.img`
//! go). Without `KERNEL_PATH` it does nothing, so the host runner in `src/` builds on its own.

use bootloader::{BiosBoot, BootConfig, UefiBoot};
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=KERNEL_PATH");
    println!("cargo:rerun-if-env-changed=IMAGE_DIR");
    let Some(kernel) = std::env::var_os("KERNEL_PATH").map(PathBuf::from) else {
        return;
    };
    let images = PathBuf::from(std::env::var_os("IMAGE_DIR").expect("IMAGE_DIR is set"));
    println!("cargo:rerun-if-changed={}", kernel.display());
    std::fs::create_dir_all(&images).expect("cannot create IMAGE_DIR");

    // The kernel prints its own log on serial and screen; keep the bootloader's out of it.
    let mut config = BootConfig::default();
    config.serial_logging = false;
    config.frame_buffer_logging = false;

    BiosBoot::new(&kernel)
        .set_boot_config(&config)
        .create_disk_image(&images.join("bios.img"))
        .expect("cannot write the BIOS image");
    UefiBoot::new(&kernel)
        .set_boot_config(&config)
        .create_disk_image(&images.join("uefi.img"))
        .expect("cannot write the UEFI image");
}
