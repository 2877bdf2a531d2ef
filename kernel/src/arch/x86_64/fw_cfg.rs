//! QEMU's firmware configuration device, the source of the kernel command line.
//!
//! The bootloader has no command line, so Spinel reads one from the fw_cfg file
//! `opt/spinel/cmdline` when running under QEMU (`-fw_cfg name=opt/spinel/cmdline,string=...`).
//! The device is probed only when CPUID reports a hypervisor, and then only after its "QEMU"
//! signature checks out, so real machines never see these port accesses. Register layout from
//! QEMU's `docs/specs/fw_cfg.rst`.

use core::arch::x86_64::__cpuid;
use x86_64::instructions::port::Port;

/// The selector register (16-bit, write).
const SELECTOR_PORT: u16 = 0x510;
/// The data register (8-bit, read).
const DATA_PORT: u16 = 0x511;
/// Item holding the signature "QEMU".
const SIGNATURE_KEY: u16 = 0x0000;
/// Item holding the file directory.
const FILE_DIR_KEY: u16 = 0x0019;
/// Length of a file name in a directory entry.
const FILE_NAME_LEN: usize = 56;
/// CPUID.1:ECX bit 31, set by hypervisors.
const CPUID_HYPERVISOR_BIT: u32 = 1 << 31;

/// Copies the contents of fw_cfg file `name` into `buffer`; returns the bytes copied, or `None`
/// when there is no fw_cfg device or no such file.
pub fn read_file(name: &str, buffer: &mut [u8]) -> Option<usize> {
    if !running_under_hypervisor() {
        return None;
    }
    select(SIGNATURE_KEY);
    if read_array::<4>() != *b"QEMU" {
        return None;
    }
    let (size, key) = find_file(name)?;
    select(key);
    let len = buffer.len().min(size as usize);
    buffer[..len].iter_mut().for_each(|byte| *byte = read_u8());
    Some(len)
}

fn running_under_hypervisor() -> bool {
    let leaf = __cpuid(1);
    leaf.ecx & CPUID_HYPERVISOR_BIT != 0
}

/// Looks `name` up in the file directory: (size, selector key).
fn find_file(name: &str) -> Option<(u32, u16)> {
    select(FILE_DIR_KEY);
    let count = u32::from_be_bytes(read_array());
    for _ in 0..count {
        let size = u32::from_be_bytes(read_array());
        let key = u16::from_be_bytes(read_array());
        let _reserved: [u8; 2] = read_array();
        let entry_name: [u8; FILE_NAME_LEN] = read_array();
        let entry_name = entry_name.split(|&b| b == 0).next().unwrap_or(&[]);
        if entry_name == name.as_bytes() {
            return Some((size, key));
        }
    }
    None
}

fn select(key: u16) {
    // SAFETY: the selector port belongs to fw_cfg, present under QEMU (checked by the callers
    // through CPUID and the signature); selecting an item has no other effect.
    unsafe { Port::new(SELECTOR_PORT).write(key) };
}

fn read_u8() -> u8 {
    // SAFETY: reading the data port returns the next byte of the selected item.
    unsafe { Port::new(DATA_PORT).read() }
}

fn read_array<const N: usize>() -> [u8; N] {
    core::array::from_fn(|_| read_u8())
}
