//! Virtual memory options (`zircon/types.h`, spec §0.5 and §4).

use super::types::zx_vm_option_t;

/// The size of a page.
pub const ZX_PAGE_SIZE: usize = 4096;

/// Map readable.
pub const ZX_VM_PERM_READ: zx_vm_option_t = 1 << 0;
/// Map writable.
pub const ZX_VM_PERM_WRITE: zx_vm_option_t = 1 << 1;
/// Map executable.
pub const ZX_VM_PERM_EXECUTE: zx_vm_option_t = 1 << 2;
/// Place child regions compactly instead of at random.
pub const ZX_VM_COMPACT: zx_vm_option_t = 1 << 3;
/// Use the given offset.
pub const ZX_VM_SPECIFIC: zx_vm_option_t = 1 << 4;
/// Use the given offset, replacing the mappings there.
pub const ZX_VM_SPECIFIC_OVERWRITE: zx_vm_option_t = 1 << 5;
/// The new VMAR allows `ZX_VM_SPECIFIC`.
pub const ZX_VM_CAN_MAP_SPECIFIC: zx_vm_option_t = 1 << 6;
/// The new VMAR allows readable mappings.
pub const ZX_VM_CAN_MAP_READ: zx_vm_option_t = 1 << 7;
/// The new VMAR allows writable mappings.
pub const ZX_VM_CAN_MAP_WRITE: zx_vm_option_t = 1 << 8;
/// The new VMAR allows executable mappings.
pub const ZX_VM_CAN_MAP_EXECUTE: zx_vm_option_t = 1 << 9;
/// Commit and map every page now.
pub const ZX_VM_MAP_RANGE: zx_vm_option_t = 1 << 10;
/// Refuse a resizable VMO.
pub const ZX_VM_REQUIRE_NON_RESIZABLE: zx_vm_option_t = 1 << 11;
/// Allow faults past the end of the VMO (needed for resizable VMOs).
pub const ZX_VM_ALLOW_FAULTS: zx_vm_option_t = 1 << 12;
/// The offset is the highest end the region may have.
pub const ZX_VM_OFFSET_IS_UPPER_LIMIT: zx_vm_option_t = 1 << 13;
/// Execute-only is unsupported: make the mapping readable too.
pub const ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED: zx_vm_option_t = 1 << 14;

/// The shift of the alignment field: bits 24 to 31 hold log2 of the alignment.
pub const ZX_VM_ALIGN_BASE: u32 = 24;
/// Align to 1 KiB.
pub const ZX_VM_ALIGN_1KB: zx_vm_option_t = 10 << ZX_VM_ALIGN_BASE;
/// Align to 2 KiB.
pub const ZX_VM_ALIGN_2KB: zx_vm_option_t = 11 << ZX_VM_ALIGN_BASE;
/// Align to 4 KiB.
pub const ZX_VM_ALIGN_4KB: zx_vm_option_t = 12 << ZX_VM_ALIGN_BASE;
/// Align to 64 KiB.
pub const ZX_VM_ALIGN_64KB: zx_vm_option_t = 16 << ZX_VM_ALIGN_BASE;
/// Align to 1 MiB.
pub const ZX_VM_ALIGN_1MB: zx_vm_option_t = 20 << ZX_VM_ALIGN_BASE;
/// Align to 2 MiB.
pub const ZX_VM_ALIGN_2MB: zx_vm_option_t = 21 << ZX_VM_ALIGN_BASE;
/// Align to 1 GiB.
pub const ZX_VM_ALIGN_1GB: zx_vm_option_t = 30 << ZX_VM_ALIGN_BASE;
/// Align to 4 GiB.
pub const ZX_VM_ALIGN_4GB: zx_vm_option_t = 32 << ZX_VM_ALIGN_BASE;

/// `zx_vmo_create`: the VMO may change size.
pub const ZX_VMO_RESIZABLE: u32 = 1 << 1;
/// `zx_vmo_create`: the kernel may reclaim the VMO's pages while unlocked.
pub const ZX_VMO_DISCARDABLE: u32 = 1 << 2;
