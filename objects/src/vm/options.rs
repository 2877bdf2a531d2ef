//! The option words of the VM syscalls: `zx_vm_option_t` for VMARs and the `zx_vmo_create`
//! options, with Zircon's bit values (`types.h`, spec section 0.5), taken from the `ZX_VM_*`
//! and `ZX_VMO_*` constants of the ABI crate.
//!
//! Each operation accepts only the options its syscall documents; [`VmOptions::alignment`]
//! decodes the `ZX_VM_ALIGN_*` field and [`VmOptions::perms`] turns the `PERM_*` bits into the
//! page-table permissions a mapping carries.

use bitflags::bitflags;
use syscalls_abi::*;

use super::PAGE_SIZE;
use super::page_table::MmuFlags;
use crate::abi::{Rights, Status, ZxResult};

bitflags! {
    /// `zx_vm_option_t`: options of `zx_vmar_map`, `zx_vmar_allocate` and `zx_vmar_protect`.
    ///
    /// Bits 24 to 31 hold the `ZX_VM_ALIGN_*` field (log2 of an alignment), so build a value
    /// from user space with [`VmOptions::from_bits_retain`] and let the operation reject the
    /// bits it does not accept.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct VmOptions: zx_vm_option_t {
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
        const OFFSET_IS_UPPER_LIMIT = ZX_VM_OFFSET_IS_UPPER_LIMIT;
        const PERM_READ_IF_XOM_UNSUPPORTED = ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED;

        /// Every `PERM_*` bit.
        const PERMS = Self::PERM_READ.bits() | Self::PERM_WRITE.bits()
            | Self::PERM_EXECUTE.bits();
        /// Every `CAN_MAP_{READ,WRITE,EXECUTE}` bit.
        const CAN_MAP_RWX = Self::CAN_MAP_READ.bits() | Self::CAN_MAP_WRITE.bits()
            | Self::CAN_MAP_EXECUTE.bits();
        /// The `ZX_VM_ALIGN_*` field, bits 24 to 31.
        const ALIGN_MASK = 0xff << ZX_VM_ALIGN_BASE;
    }
}

/// The smallest alignment the field may name, as log2 (`ZX_VM_ALIGN_1KB`).
pub const ZX_VM_ALIGN_MIN_LOG2: u32 = 10;
/// The largest alignment the field may name, as log2 (`ZX_VM_ALIGN_4GB`).
pub const ZX_VM_ALIGN_MAX_LOG2: u32 = 32;

impl VmOptions {
    /// `ZX_VM_ALIGN_1KB`.
    pub const ALIGN_1KB: VmOptions = VmOptions::from_bits_retain(ZX_VM_ALIGN_1KB);
    /// `ZX_VM_ALIGN_64KB`.
    pub const ALIGN_64KB: VmOptions = VmOptions::from_bits_retain(ZX_VM_ALIGN_64KB);
    /// `ZX_VM_ALIGN_1MB`.
    pub const ALIGN_1MB: VmOptions = VmOptions::from_bits_retain(ZX_VM_ALIGN_1MB);
    /// `ZX_VM_ALIGN_2MB`.
    pub const ALIGN_2MB: VmOptions = VmOptions::from_bits_retain(ZX_VM_ALIGN_2MB);
    /// `ZX_VM_ALIGN_1GB`.
    pub const ALIGN_1GB: VmOptions = VmOptions::from_bits_retain(ZX_VM_ALIGN_1GB);
    /// `ZX_VM_ALIGN_4GB`.
    pub const ALIGN_4GB: VmOptions = VmOptions::from_bits_retain(ZX_VM_ALIGN_4GB);

    /// The alignment field set to `log2` (any value; [`VmOptions::alignment`] validates it).
    pub const fn align_log2(log2: u32) -> VmOptions {
        VmOptions::from_bits_retain((log2 & 0xff) << ZX_VM_ALIGN_BASE)
    }

    /// The alignment in bytes these options ask for, never less than a page.
    ///
    /// INVALID_ARGS when the field is neither 0 nor a log2 between 10 (1 KiB) and 32 (4 GiB).
    pub fn alignment(self) -> ZxResult<usize> {
        let log2 = (self.bits() & VmOptions::ALIGN_MASK.bits()) >> ZX_VM_ALIGN_BASE;
        if log2 == 0 {
            return Ok(PAGE_SIZE);
        }
        if !(ZX_VM_ALIGN_MIN_LOG2..=ZX_VM_ALIGN_MAX_LOG2).contains(&log2) {
            return Err(Status::InvalidArgs);
        }
        Ok((1usize << log2).max(PAGE_SIZE))
    }

    /// The options outside `allowed` (the alignment field excluded), as an error.
    pub(super) fn accept_only(self, allowed: VmOptions) -> ZxResult<()> {
        let unknown = self.bits() & !allowed.bits() & !VmOptions::ALIGN_MASK.bits();
        if unknown != 0 {
            return Err(Status::InvalidArgs);
        }
        Ok(())
    }

    /// The `PERM_*` bits as page-table permissions, after the protection rules every
    /// mapping follows.
    ///
    /// Spinel maps no execute-only pages (the x86 page tables cannot express them), so
    /// `PERM_READ_IF_XOM_UNSUPPORTED` adds `PERM_READ`. A writable or executable mapping must
    /// also be readable: INVALID_ARGS otherwise (`zx_vmar_protect`'s "WRITE without READ").
    pub fn perms(self) -> ZxResult<MmuFlags> {
        let mut perms = self;
        if perms.contains(VmOptions::PERM_READ_IF_XOM_UNSUPPORTED) {
            perms |= VmOptions::PERM_READ;
        }
        let readable = perms.contains(VmOptions::PERM_READ);
        if !readable && perms.intersects(VmOptions::PERM_WRITE | VmOptions::PERM_EXECUTE) {
            return Err(Status::InvalidArgs);
        }

        let mut flags = MmuFlags::empty();
        flags.set(MmuFlags::READ, readable);
        flags.set(MmuFlags::WRITE, perms.contains(VmOptions::PERM_WRITE));
        flags.set(MmuFlags::EXECUTE, perms.contains(VmOptions::PERM_EXECUTE));
        Ok(flags)
    }

    /// The `CAN_MAP_{READ,WRITE,EXECUTE}` bits as page-table permissions.
    pub fn can_map(self) -> MmuFlags {
        let mut flags = MmuFlags::empty();
        flags.set(MmuFlags::READ, self.contains(VmOptions::CAN_MAP_READ));
        flags.set(MmuFlags::WRITE, self.contains(VmOptions::CAN_MAP_WRITE));
        flags.set(MmuFlags::EXECUTE, self.contains(VmOptions::CAN_MAP_EXECUTE));
        flags
    }
}

/// The handle rights (`READ`, `WRITE`, `EXECUTE`) that grant each page-table permission.
pub fn rights_for(perms: MmuFlags) -> Rights {
    let mut rights = Rights::empty();
    rights.set(Rights::READ, perms.contains(MmuFlags::READ));
    rights.set(Rights::WRITE, perms.contains(MmuFlags::WRITE));
    rights.set(Rights::EXECUTE, perms.contains(MmuFlags::EXECUTE));
    rights
}

bitflags! {
    /// Options of `zx_vmo_create`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct VmoOptions: u32 {
        /// `ZX_VMO_RESIZABLE`: `set_size` may change the VMO's size.
        const RESIZABLE = ZX_VMO_RESIZABLE;
        /// `ZX_VMO_DISCARDABLE`: the kernel may reclaim the pages while they are unlocked.
        const DISCARDABLE = ZX_VMO_DISCARDABLE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_values_match_types_h() {
        assert_eq!(VmOptions::PERM_READ.bits(), 1);
        assert_eq!(VmOptions::SPECIFIC_OVERWRITE.bits(), 0x20);
        assert_eq!(VmOptions::CAN_MAP_EXECUTE.bits(), 0x200);
        assert_eq!(VmOptions::ALLOW_FAULTS.bits(), 0x1000);
        assert_eq!(VmOptions::PERM_READ_IF_XOM_UNSUPPORTED.bits(), 0x4000);
        assert_eq!(VmOptions::ALIGN_1KB.bits(), 10 << 24);
        assert_eq!(VmOptions::ALIGN_4GB.bits(), 32 << 24);
        assert_eq!(VmoOptions::RESIZABLE.bits(), 2);
        assert_eq!(VmoOptions::DISCARDABLE.bits(), 4);
    }

    #[test]
    fn alignment_is_at_least_a_page_and_rejects_out_of_range_fields() {
        assert_eq!(VmOptions::empty().alignment(), Ok(PAGE_SIZE));
        assert_eq!(VmOptions::ALIGN_1KB.alignment(), Ok(PAGE_SIZE));
        assert_eq!(VmOptions::ALIGN_2MB.alignment(), Ok(2 << 20));
        assert_eq!(VmOptions::ALIGN_4GB.alignment(), Ok(4 << 30));
        assert_eq!(
            VmOptions::align_log2(9).alignment(),
            Err(Status::InvalidArgs)
        );
        assert_eq!(
            VmOptions::align_log2(33).alignment(),
            Err(Status::InvalidArgs)
        );
    }

    #[test]
    fn write_or_execute_without_read_is_invalid() {
        assert_eq!(VmOptions::PERM_WRITE.perms(), Err(Status::InvalidArgs));
        assert_eq!(VmOptions::PERM_EXECUTE.perms(), Err(Status::InvalidArgs));
        assert_eq!(VmOptions::empty().perms(), Ok(MmuFlags::empty()));
        assert_eq!(
            (VmOptions::PERM_EXECUTE | VmOptions::PERM_READ_IF_XOM_UNSUPPORTED).perms(),
            Ok(MmuFlags::READ | MmuFlags::EXECUTE)
        );
    }
}
