//! The MADT (Multiple APIC Description Table), boiled down to what SMP bring-up and interrupt
//! routing need: the local APIC of every usable CPU, the I/O APICs, and the ISA interrupt source
//! overrides.
//!
//! A CPU is usable when its entry is enabled or online-capable (ACPI 6.5, Table 5.23); both the
//! xAPIC (type 0) and x2APIC (type 9) entry kinds count, and an APIC id listed twice is kept
//! once. Ids are kept as the firmware gives them: they need not start at 0 or be contiguous.

use acpi::madt::{Madt, MadtEntry};
use alloc::vec::Vec;
use core::pin::Pin;

/// Local APIC flags: the processor is enabled (ACPI 6.5, Table 5.23).
const LAPIC_ENABLED: u32 = 1 << 0;
/// Local APIC flags: the processor can be brought online later (ACPI 6.5, Table 5.23).
const LAPIC_ONLINE_CAPABLE: u32 = 1 << 1;
/// Interrupt source override: the ISA bus (ACPI 6.5, Table 5.26).
const ISA_BUS: u8 = 0;

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

/// Reads the MADT's entries.
pub fn parse(madt: Pin<&Madt>) -> InterruptTopology {
    let mut topology = InterruptTopology {
        local_apic_address: u64::from(madt.local_apic_address),
        ..InterruptTopology::default()
    };
    for entry in madt.entries() {
        match entry {
            MadtEntry::LocalApic(e) => {
                let usable = { e.flags } & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE) != 0;
                topology.add_cpu(usable, u32::from(e.apic_id), u32::from(e.processor_id));
            }
            MadtEntry::LocalX2Apic(e) => {
                let usable = { e.flags } & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE) != 0;
                topology.add_cpu(usable, e.x2apic_id, e.processor_uid);
            }
            MadtEntry::IoApic(e) => topology.io_apics.push(IoApicEntry {
                id: e.io_apic_id,
                address: u64::from(e.io_apic_address),
                gsi_base: { e.global_system_interrupt_base },
            }),
            MadtEntry::InterruptSourceOverride(e) if e.bus == ISA_BUS => {
                topology.overrides.push(SourceOverride {
                    isa_irq: e.irq,
                    gsi: { e.global_system_interrupt },
                    flags: { e.flags },
                })
            }
            MadtEntry::LocalApicAddressOverride(e) => {
                topology.local_apic_address = e.local_apic_address;
            }
            _ => {}
        }
    }
    topology
}

impl InterruptTopology {
    fn add_cpu(&mut self, usable: bool, apic_id: u32, uid: u32) {
        if usable && !self.cpus.iter().any(|cpu| cpu.apic_id == apic_id) {
            self.cpus.push(LocalApicEntry { apic_id, uid });
        }
    }
}
