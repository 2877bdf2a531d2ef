//! The MADT (Multiple APIC Description Table), boiled down to what SMP bring-up and interrupt
//! routing need: the local APIC of every usable CPU, the I/O APICs, and the ISA interrupt source
//! overrides.
//!
//! A CPU is usable when its entry is enabled or online-capable (ACPI 6.5, Table 5.23); both the
//! xAPIC (type 0) and x2APIC (type 9) entry kinds count, and an APIC id listed twice is kept
//! once. Ids are kept as the firmware gives them: they need not start at 0 or be contiguous.
//!
//! The table is parsed from its bytes, and every entry header is checked before the entry is
//! read: an entry shorter than its header or its type's fields, or one running past the end of
//! the table, makes the whole table [`MadtError`] (firmware that gets one entry wrong cannot be
//! trusted with the rest), and the kernel boots on one CPU.
use alloc::vec::Vec;
use core::fmt;

/// Local APIC flags: the processor is enabled (ACPI 6.5, Table 5.23).
const LAPIC_ENABLED: u32 = 1 << 0;
/// Local APIC flags: the processor can be brought online later (ACPI 6.5, Table 5.23).
const LAPIC_ONLINE_CAPABLE: u32 = 1 << 1;
/// Interrupt source override: the ISA bus (ACPI 6.5, Table 5.26).
const ISA_BUS: u8 = 0;

/// The system description table header every ACPI table starts with (ACPI 6.5, Table 5.4),
/// followed in the MADT by the local APIC address and the flags (Table 5.19): 44 bytes, then the
/// entries.
const SDT_HEADER_LEN: usize = 36;
/// Where the SDT header keeps the table's length in bytes.
const SDT_LENGTH_OFFSET: usize = 4;
const LOCAL_APIC_ADDRESS_OFFSET: usize = SDT_HEADER_LEN;
const ENTRIES_OFFSET: usize = SDT_HEADER_LEN + 8;
/// Every entry starts with its type and its length in bytes, the header included (Table 5.20).
const ENTRY_HEADER_LEN: usize = 2;

/// Entry types (ACPI 6.5, Table 5.20) and the length of each one Spinel reads (Tables 5.22, 5.24,
/// 5.25, 5.29, 5.39).
const PROCESSOR_LOCAL_APIC: u8 = 0;
const PROCESSOR_LOCAL_APIC_LEN: usize = 8;
const IO_APIC: u8 = 1;
const IO_APIC_LEN: usize = 12;
const INTERRUPT_SOURCE_OVERRIDE: u8 = 2;
const INTERRUPT_SOURCE_OVERRIDE_LEN: usize = 10;
const LOCAL_APIC_ADDRESS_OVERRIDE: u8 = 5;
const LOCAL_APIC_ADDRESS_OVERRIDE_LEN: usize = 12;
const PROCESSOR_LOCAL_X2APIC: u8 = 9;
const PROCESSOR_LOCAL_X2APIC_LEN: usize = 16;

/// Why a MADT cannot be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MadtError {
    /// The table (by its length field, or the bytes given) is too short for the MADT's header.
    TooShort { length: usize },
    /// The table's length field says more bytes than there are.
    LengthPastEnd { length: usize, available: usize },
    /// Fewer than two bytes are left for the entry header at `offset`.
    TruncatedHeader { offset: usize },
    /// The entry at `offset` is shorter than its header, or than its type's fields.
    EntryTooShort {
        offset: usize,
        entry_type: u8,
        length: usize,
    },
    /// The entry at `offset` runs past the end of the table.
    EntryPastEnd {
        offset: usize,
        entry_type: u8,
        length: usize,
        table_length: usize,
    },
}

impl fmt::Display for MadtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MadtError::TooShort { length } => write!(f, "the table is only {length} bytes long"),
            MadtError::LengthPastEnd { length, available } => {
                write!(
                    f,
                    "the table says {length} bytes long but {available} are mapped"
                )
            }
            MadtError::TruncatedHeader { offset } => {
                write!(f, "the entry at byte {offset} has no room for its header")
            }
            MadtError::EntryTooShort {
                offset,
                entry_type,
                length,
            } => write!(
                f,
                "the entry of type {entry_type} at byte {offset} is only {length} bytes long"
            ),
            MadtError::EntryPastEnd {
                offset,
                entry_type,
                length,
                table_length,
            } => write!(
                f,
                "the entry of type {entry_type} at byte {offset} is {length} bytes long, past \
                 the table's end at byte {table_length}"
            ),
        }
    }
}

/// One CPU's local APIC as the MADT lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalApicEntry {
    /// The APIC id (8 bits for xAPIC entries, 32 for x2APIC ones).
    pub apic_id: u32,
    /// The processor's ACPI UID.
    pub uid: u32,
}

/// An I/O APIC: where its registers are and the first global system interrupt it serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IoApicEntry {
    pub id: u8,
    pub address: u64,
    pub gsi_base: u32,
}

/// An ISA IRQ wired to another global system interrupt, with its MPS INTI flags (polarity in
/// bits 0-1, trigger mode in bits 2-3; ACPI 6.5, Table 5.27).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceOverride {
    pub isa_irq: u8,
    pub gsi: u32,
    pub flags: u16,
}

/// What the MADT says about the machine's interrupt controllers and CPUs.
#[derive(Clone, Debug, Default)]
pub struct InterruptTopology {
    /// Physical address of the local APICs' register page (xAPIC mode).
    pub local_apic_address: u64,
    /// Every usable CPU, in the MADT's order (which is the order to start them in).
    pub cpus: Vec<LocalApicEntry>,
    pub io_apics: Vec<IoApicEntry>,
    pub overrides: Vec<SourceOverride>,
}

impl InterruptTopology {
    /// The global system interrupt an ISA IRQ arrives on (identity unless overridden).
    pub fn isa_irq_to_gsi(&self, irq: u8) -> u32 {
        self.overrides
            .iter()
            .find(|o| o.isa_irq == irq)
            .map_or(u32::from(irq), |o| o.gsi)
    }
}

/// Reads a MADT from its bytes (the whole table, header included), checking every entry.
pub fn parse(table: &[u8]) -> Result<InterruptTopology, MadtError> {
    let length = table_length(table)?;
    let mut topology = InterruptTopology {
        local_apic_address: u64::from(read_u32(table, LOCAL_APIC_ADDRESS_OFFSET)),
        ..InterruptTopology::default()
    };
    let mut offset = ENTRIES_OFFSET;
    while offset < length {
        let entry = entry_at(&table[..length], offset)?;
        topology.add(entry[0], entry);
        offset += entry.len();
    }
    Ok(topology)
}

/// The table's length from its header, checked against the bytes there are.
fn table_length(table: &[u8]) -> Result<usize, MadtError> {
    if table.len() < ENTRIES_OFFSET {
        return Err(MadtError::TooShort {
            length: table.len(),
        });
    }
    let length = read_u32(table, SDT_LENGTH_OFFSET) as usize;
    if length < ENTRIES_OFFSET {
        return Err(MadtError::TooShort { length });
    }
    if length > table.len() {
        return Err(MadtError::LengthPastEnd {
            length,
            available: table.len(),
        });
    }
    Ok(length)
}

/// The entry at `offset` of `table`, once its header says a length that fits both its type and
/// the table.
fn entry_at(table: &[u8], offset: usize) -> Result<&[u8], MadtError> {
    let Some(&[entry_type, length]) = table.get(offset..offset + ENTRY_HEADER_LEN) else {
        return Err(MadtError::TruncatedHeader { offset });
    };
    let length = usize::from(length);
    if length < ENTRY_HEADER_LEN.max(fields_len(entry_type)) {
        return Err(MadtError::EntryTooShort {
            offset,
            entry_type,
            length,
        });
    }
    table
        .get(offset..offset + length)
        .ok_or(MadtError::EntryPastEnd {
            offset,
            entry_type,
            length,
            table_length: table.len(),
        })
}

/// The bytes an entry of `entry_type` needs for the fields Spinel reads (0 for types it skips).
fn fields_len(entry_type: u8) -> usize {
    match entry_type {
        PROCESSOR_LOCAL_APIC => PROCESSOR_LOCAL_APIC_LEN,
        IO_APIC => IO_APIC_LEN,
        INTERRUPT_SOURCE_OVERRIDE => INTERRUPT_SOURCE_OVERRIDE_LEN,
        LOCAL_APIC_ADDRESS_OVERRIDE => LOCAL_APIC_ADDRESS_OVERRIDE_LEN,
        PROCESSOR_LOCAL_X2APIC => PROCESSOR_LOCAL_X2APIC_LEN,
        _ => 0,
    }
}

/// Little-endian fields of a checked entry or header; `at` is within bounds by the checks above.
fn read_u16(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    u64::from(read_u32(bytes, at)) | u64::from(read_u32(bytes, at + 4)) << 32
}

impl InterruptTopology {
    /// Takes in one checked entry (field offsets from ACPI 6.5, Tables 5.22-5.29 and 5.39).
    fn add(&mut self, entry_type: u8, e: &[u8]) {
        let usable = |flags: u32| flags & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE) != 0;
        match entry_type {
            PROCESSOR_LOCAL_APIC => {
                let (uid, apic_id) = (u32::from(e[2]), u32::from(e[3]));
                self.add_cpu(usable(read_u32(e, 4)), apic_id, uid);
            }
            PROCESSOR_LOCAL_X2APIC => {
                let (apic_id, uid) = (read_u32(e, 4), read_u32(e, 12));
                self.add_cpu(usable(read_u32(e, 8)), apic_id, uid);
            }
            IO_APIC => self.io_apics.push(IoApicEntry {
                id: e[2],
                address: u64::from(read_u32(e, 4)),
                gsi_base: read_u32(e, 8),
            }),
            INTERRUPT_SOURCE_OVERRIDE if e[2] == ISA_BUS => self.overrides.push(SourceOverride {
                isa_irq: e[3],
                gsi: read_u32(e, 4),
                flags: read_u16(e, 8),
            }),
            LOCAL_APIC_ADDRESS_OVERRIDE => self.local_apic_address = read_u64(e, 4),
            _ => {}
        }
    }
}

impl InterruptTopology {
    fn add_cpu(&mut self, usable: bool, apic_id: u32, uid: u32) {
        if usable && !self.cpus.iter().any(|cpu| cpu.apic_id == apic_id) {
            self.cpus.push(LocalApicEntry { apic_id, uid });
        }
    }
}

#[cfg(feature = "qemu-test")]
mod tests;
