fn main() {
    println!("cargo:rerun-if-env-changed=KERNEL_PATH");
    println!("cargo:rerun-if-env-changed=IMAGE_DIR");
    let Some(kernel) = std::env::var_os("KERNEL_PATH") else { return };
    let kernel = std::path::PathBuf::from(kernel);
    println!("cargo:rerun-if-changed={}", kernel.display());
    let dir = std::path::PathBuf::from(std::env::var_os("IMAGE_DIR").expect("IMAGE_DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    bootloader::BiosBoot::new(&kernel).create_disk_image(&dir.join("bios.img")).unwrap();
    bootloader::UefiBoot::new(&kernel).create_disk_image(&dir.join("uefi.img")).unwrap();
}
