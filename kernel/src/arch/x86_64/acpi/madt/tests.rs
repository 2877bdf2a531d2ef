//! MADT parsing on synthetic tables: which CPUs count, and that a malformed entry is refused
//! rather than looped over or read past.

use super::*;
use crate::{check, check_eq, kernel_test};
use alloc::vec;

/// The local APIC address the synthetic tables give.
const LAPIC_ADDRESS: u32 = 0xfee0_0000;
const DISABLED: u32 = 0;

/// A MADT with `entries` after its header, its length field set to the whole.
fn table(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = vec![0; ENTRIES_OFFSET];
    bytes[..4].copy_from_slice(b"APIC");
    bytes[LOCAL_APIC_ADDRESS_OFFSET..][..4].copy_from_slice(&LAPIC_ADDRESS.to_le_bytes());
    for entry in entries {
        bytes.extend_from_slice(entry);
    }
    let length = bytes.len() as u32;
    bytes[SDT_LENGTH_OFFSET..][..4].copy_from_slice(&length.to_le_bytes());
    bytes
}

fn xapic(uid: u8, apic_id: u8, flags: u32) -> Vec<u8> {
    let mut e = vec![
        PROCESSOR_LOCAL_APIC,
        PROCESSOR_LOCAL_APIC_LEN as u8,
        uid,
        apic_id,
    ];
    e.extend_from_slice(&flags.to_le_bytes());
    e
}

fn x2apic(apic_id: u32, flags: u32, uid: u32) -> Vec<u8> {
    let mut e = vec![
        PROCESSOR_LOCAL_X2APIC,
        PROCESSOR_LOCAL_X2APIC_LEN as u8,
        0,
        0,
    ];
    for field in [apic_id, flags, uid] {
        e.extend_from_slice(&field.to_le_bytes());
    }
    e
}

fn io_apic(id: u8, address: u32, gsi_base: u32) -> Vec<u8> {
    let mut e = vec![IO_APIC, IO_APIC_LEN as u8, id, 0];
    e.extend_from_slice(&address.to_le_bytes());
    e.extend_from_slice(&gsi_base.to_le_bytes());
    e
}

fn source_override(bus: u8, irq: u8, gsi: u32, flags: u16) -> Vec<u8> {
    let mut e = vec![
        INTERRUPT_SOURCE_OVERRIDE,
        INTERRUPT_SOURCE_OVERRIDE_LEN as u8,
        bus,
        irq,
    ];
    e.extend_from_slice(&gsi.to_le_bytes());
    e.extend_from_slice(&flags.to_le_bytes());
    e
}

fn apic_ids(topology: &InterruptTopology) -> Vec<u32> {
    topology.cpus.iter().map(|cpu| cpu.apic_id).collect()
}

kernel_test! {
    fn madt_keeps_enabled_and_online_capable_cpus_of_both_kinds_once() -> TestResult {
        let bytes = table(&[
            xapic(0, 0, LAPIC_ENABLED),
            xapic(1, 1, LAPIC_ONLINE_CAPABLE),
            xapic(2, 2, DISABLED),
            x2apic(300, LAPIC_ENABLED, 3),
            x2apic(301, DISABLED, 4),
            // The same CPUs again, as either kind of entry.
            xapic(5, 0, LAPIC_ENABLED),
            x2apic(1, LAPIC_ENABLED, 6),
        ]);
        let topology = parse(&bytes).map_err(|e| alloc::format!("{e}"))?;
        check_eq!(apic_ids(&topology), vec![0, 1, 300]);
        check_eq!(topology.cpus[2].uid, 3);
        check_eq!(topology.local_apic_address, u64::from(LAPIC_ADDRESS));
        Ok(())
    }
}

kernel_test! {
    fn madt_reads_io_apics_and_isa_overrides_and_skips_unknown_entries() -> TestResult {
        let bytes = table(&[
            io_apic(7, 0xfec0_0000, 24),
            source_override(ISA_BUS, 0, 2, 0x5),
            source_override(1, 9, 40, 0),
            // A type Spinel does not read, with a body of its own.
            vec![0x80, 5, 1, 2, 3],
        ]);
        let topology = parse(&bytes).map_err(|e| alloc::format!("{e}"))?;
        check_eq!(
            topology.io_apics,
            vec![IoApicEntry { id: 7, address: 0xfec0_0000, gsi_base: 24 }]
        );
        check_eq!(topology.isa_irq_to_gsi(0), 2);
        check_eq!(topology.isa_irq_to_gsi(9), 9);
        check_eq!(topology.overrides[0].flags, 0x5);
        Ok(())
    }
}

kernel_test! {
    fn madt_entry_of_length_zero_is_refused() -> TestResult {
        let bytes = table(&[xapic(0, 0, LAPIC_ENABLED), vec![PROCESSOR_LOCAL_APIC, 0, 0, 0]]);
        check_eq!(
            parse(&bytes).err(),
            Some(MadtError::EntryTooShort {
                offset: ENTRIES_OFFSET + PROCESSOR_LOCAL_APIC_LEN,
                entry_type: PROCESSOR_LOCAL_APIC,
                length: 0,
            })
        );
        // A skipped type with length 0 or 1 would loop as surely.
        for length in [0, 1] {
            let bytes = table(&[vec![0x80, length, 0, 0]]);
            check!(parse(&bytes).is_err(), "type 0x80 of length {length} accepted");
        }
        Ok(())
    }
}

kernel_test! {
    fn madt_entry_running_past_the_table_is_refused() -> TestResult {
        let mut long = x2apic(2, LAPIC_ENABLED, 2);
        long[1] = 40;
        let bytes = table(&[xapic(0, 0, LAPIC_ENABLED), long]);
        check_eq!(
            parse(&bytes).err(),
            Some(MadtError::EntryPastEnd {
                offset: ENTRIES_OFFSET + PROCESSOR_LOCAL_APIC_LEN,
                entry_type: PROCESSOR_LOCAL_X2APIC,
                length: 40,
                table_length: bytes.len(),
            })
        );
        Ok(())
    }
}

kernel_test! {
    fn madt_entry_cut_short_is_refused() -> TestResult {
        // The table ends one byte into an entry header.
        let bytes = table(&[xapic(0, 0, LAPIC_ENABLED), vec![PROCESSOR_LOCAL_APIC]]);
        check_eq!(
            parse(&bytes).err(),
            Some(MadtError::TruncatedHeader { offset: ENTRIES_OFFSET + PROCESSOR_LOCAL_APIC_LEN })
        );
        // An x2APIC entry whose length leaves out its UID.
        let mut short = x2apic(1, LAPIC_ENABLED, 1);
        short.truncate(12);
        short[1] = 12;
        check!(
            matches!(parse(&table(&[short])), Err(MadtError::EntryTooShort { length: 12, .. })),
            "a 12-byte x2APIC entry was accepted"
        );
        Ok(())
    }
}

kernel_test! {
    fn madt_whose_length_field_disagrees_with_its_bytes_is_refused() -> TestResult {
        let mut bytes = table(&[xapic(0, 0, LAPIC_ENABLED)]);
        let available = bytes.len();
        bytes[SDT_LENGTH_OFFSET] += 1;
        check_eq!(
            parse(&bytes).err(),
            Some(MadtError::LengthPastEnd { length: available + 1, available })
        );
        check_eq!(
            parse(&bytes[..ENTRIES_OFFSET - 1]).err(),
            Some(MadtError::TooShort { length: ENTRIES_OFFSET - 1 })
        );
        // A table of only its header is well formed, and lists no CPU.
        let topology = parse(&table(&[])).map_err(|e| alloc::format!("{e}"))?;
        check!(topology.cpus.is_empty());
        Ok(())
    }
}
