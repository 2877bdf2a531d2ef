//! The user address space and the option bits of VMAR calls (spec §0.5, §4).

use bitflags::bitflags;
use syscalls_abi::*;

/// Bytes in a page.
pub const PAGE_SIZE: usize = 4096;
/// The lowest user address: the root VMAR starts here.
pub const USER_BASE: usize = 0x0000_0000_0100_0000;
/// One past the highest user address.
pub const USER_END: usize = 0x0000_7fff_ffff_f000;

/// The lowest non-canonical address, one past the lower canonical half: with 48-bit linear
/// addresses, bits 63..48 of a canonical address copy bit 47 (Intel SDM Vol. 1, 3.3.7.1).
pub const NON_CANONICAL_START: usize = 0x0000_8000_0000_0000;
/// A non-canonical address: the CPU refuses an access to it with a general-protection fault,
/// not a page fault.
pub const NON_CANONICAL: usize = 0x8000_0000_0000_0000;
/// The lowest address of the upper canonical half, the kernel's: no user pointer may name it.
pub const KERNEL_ADDRESS: usize = 0xffff_8000_0000_0000;

bitflags! {
    /// `zx_vm_option_t`: permissions, placement and capabilities of maps and VMARs.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct VmOptions: u32 {
        const PERM_READ = ZX_VM_PERM_READ;
        const PERM_WRITE = ZX_VM_PERM_WRITE;
        const PERM_EXECUTE = ZX_VM_PERM_EXECUTE;
        const COMPACT = ZX_VM_COMPACT;
        const SPECIFIC = ZX_VM_SPECIFIC;
        const SPECIFIC_OVERWRITE = ZX_VM_SPECIFIC_OVERWRITE;
        const CAN_MAP_SPECIFIC = ZX_VM_CAN_MAP_SPECIFIC;
        const CAN_MAP_READ = ZX_VM_CAN_MAP_READ;
        const CAN_MAP_WRITE = ZX_VM_CAN_MAP_WRITE;
        const CAN_MAP_EXECUTE = ZX_VM_CAN_MAP_EXECUTE;
        const MAP_RANGE = ZX_VM_MAP_RANGE;
        const REQUIRE_NON_RESIZABLE = ZX_VM_REQUIRE_NON_RESIZABLE;
        const ALLOW_FAULTS = ZX_VM_ALLOW_FAULTS;

        /// Read and write.
        const PERM_RW = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
        /// Every `CAN_MAP_*` permission.
        const CAN_MAP_RWX = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE;
    }
}

/// Whether `address` lies in the user address range `[USER_BASE, USER_END)`.
pub const fn is_user_address(address: u64) -> bool {
    USER_BASE as u64 <= address && address < USER_END as u64
}

/// `value` rounded up to a whole number of pages.
pub const fn round_up_page(value: usize) -> usize {
    value.next_multiple_of(PAGE_SIZE)
}

/// `value` rounded down to a page boundary.
pub const fn round_down_page(value: usize) -> usize {
    value - value % PAGE_SIZE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_range_includes_its_base_and_excludes_its_end() {
        let (base, end) = (USER_BASE as u64, USER_END as u64);
        assert!(is_user_address(base));
        assert!(is_user_address(end - 1));
        assert!(!is_user_address(base - 1));
        assert!(!is_user_address(end));
        assert!(!is_user_address(0));
        assert!(!is_user_address(KERNEL_ADDRESS as u64));
    }
}
