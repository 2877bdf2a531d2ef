//! Where the firmware's reference clocks are: the HPET (from its own table) and the ACPI PM
//! timer (from the FADT). The kernel uses them only at boot, to measure the TSC and the local
//! APIC timer when CPUID does not give their frequencies.

use super::DirectMap;
use acpi::address::AddressSpace;
use acpi::fadt::Fadt;
use acpi::hpet::HpetTable;
use acpi::{AcpiTables, PhysicalMapping};

/// Byte offset of the base address's address-space id in the HPET table (IA-PC HPET 1.0a,
/// Table 3: a 36-byte header and the 4-byte block id come first).
const HPET_ADDRESS_SPACE_OFFSET: usize = 40;
/// Byte offset of the 64-bit base address in the HPET table.
const HPET_ADDRESS_OFFSET: usize = 44;
/// The generic address space id of system memory (ACPI 6.5, Table 5.1).
const SYSTEM_MEMORY: u8 = 0;

/// The ACPI PM timer: a free-running 3.579545 MHz counter in I/O space.
#[derive(Clone, Copy, Debug)]
pub struct PmTimer {
    pub port: u16,
    /// The counter has 32 bits rather than 24.
    pub is_32_bit: bool,
}

/// The physical address of the HPET's register block, if the machine has an HPET in memory
/// space.
pub fn hpet_address(tables: &AcpiTables<DirectMap>) -> Option<u64> {
    let table: PhysicalMapping<DirectMap, HpetTable> = tables.find_table::<HpetTable>().ok()?;
    if table.region_length() < HPET_ADDRESS_OFFSET + 8 {
        return None;
    }
    let bytes = table.virtual_start().as_ptr().cast::<u8>();
    // SAFETY: the mapping covers the whole table, checked above to reach past the base address;
    // the fields are unaligned bytes of a packed firmware table.
    let (space, address) = unsafe {
        (
            bytes.add(HPET_ADDRESS_SPACE_OFFSET).read(),
            bytes
                .add(HPET_ADDRESS_OFFSET)
                .cast::<u64>()
                .read_unaligned(),
        )
    };
    (space == SYSTEM_MEMORY && address != 0).then_some(address)
}

/// The PM timer's port, if the FADT describes one in I/O space.
pub fn pm_timer(tables: &AcpiTables<DirectMap>) -> Option<PmTimer> {
    let fadt = tables.find_table::<Fadt>().ok()?;
    let block = fadt.pm_timer_block().ok()??;
    if block.address_space != AddressSpace::SystemIo {
        return None;
    }
    Some(PmTimer {
        port: u16::try_from(block.address).ok().filter(|&p| p != 0)?,
        is_32_bit: { fadt.flags }.pm_timer_is_32_bit(),
    })
}
