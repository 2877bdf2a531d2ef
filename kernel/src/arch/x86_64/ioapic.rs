//! The I/O APICs: where device interrupts enter. Spinel drives no interrupting device yet, so
//! boot only finds them, masks every input, and reports what the MADT says about them.
//!
//! Invariant: after [`init`], no I/O APIC input can raise an interrupt.

use super::acpi;
use crate::memory::map_mmio;
use x86_64::{PhysAddr, VirtAddr};

/// Register-select and data-window offsets (82093AA I/O APIC data sheet, 3.1).
const IOREGSEL: u64 = 0x00;
const IOWIN: u64 = 0x10;
/// The version register; bits 16-23 hold the index of the last redirection entry.
const IOAPICVER: u32 = 0x01;
/// The first redirection-table register; entry `n` is registers `0x10 + 2n` (low) and `+ 1`.
const REDIRECTION_TABLE: u32 = 0x10;
/// Redirection entry bit 16: the input is masked.
const REDIRECTION_MASKED: u32 = 1 << 16;
/// Bytes of registers mapped per I/O APIC.
const REGISTERS_LEN: u64 = 0x20;

struct IoApic {
    registers: VirtAddr,
}

impl IoApic {
    fn read(&self, register: u32) -> u32 {
        // SAFETY: the I/O APIC's registers are mapped uncached; selecting a register and reading
        // the window has no other effect. Boot runs this on one CPU, so the pair is not raced.
        unsafe {
            (self.registers + IOREGSEL)
                .as_mut_ptr::<u32>()
                .write_volatile(register);
            (self.registers + IOWIN).as_ptr::<u32>().read_volatile()
        }
    }

    fn write(&self, register: u32, value: u32) {
        // SAFETY: as in `read`; the callers only write redirection entries.
        unsafe {
            (self.registers + IOREGSEL)
                .as_mut_ptr::<u32>()
                .write_volatile(register);
            (self.registers + IOWIN)
                .as_mut_ptr::<u32>()
                .write_volatile(value);
        }
    }

    fn input_count(&self) -> u32 {
        ((self.read(IOAPICVER) >> 16) & 0xff) + 1
    }
}

/// Masks every input of every I/O APIC the MADT lists.
pub fn init() {
    let Some(topology) = acpi::machine().interrupts.as_ref() else {
        return;
    };
    for entry in &topology.io_apics {
        let ioapic = IoApic {
            registers: map_mmio(PhysAddr::new(entry.address), REGISTERS_LEN),
        };
        let inputs = ioapic.input_count();
        for input in 0..inputs {
            ioapic.write(REDIRECTION_TABLE + 2 * input, REDIRECTION_MASKED);
        }
        log::info!(
            "ioapic: id {} at {:#x}, GSIs {}-{}, all masked",
            entry.id,
            entry.address,
            entry.gsi_base,
            entry.gsi_base + inputs - 1
        );
    }
    for o in &topology.overrides {
        log::debug!(
            "ioapic: ISA IRQ {} arrives on GSI {} (flags {:#x})",
            o.isa_irq,
            o.gsi,
            o.flags
        );
    }
    log::debug!(
        "ioapic: the PIT (ISA IRQ 0) is GSI {}",
        topology.isa_irq_to_gsi(0)
    );
}
