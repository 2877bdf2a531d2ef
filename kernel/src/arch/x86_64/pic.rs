//! The legacy 8259 interrupt controllers, silenced.
//!
//! Firmware may leave the PICs delivering the PIT timer and other legacy IRQs on vectors 8-15,
//! where they would look like CPU exceptions (vector 8 is the double fault). Spinel takes its
//! interrupts from the local APIC, so boot moves the PICs' vectors above the exceptions and masks
//! every line (8259A datasheet, initialization command words ICW1-ICW4 and OCW1).

use x86_64::instructions::port::Port;

const PIC1_COMMAND: u16 = 0x20;
const PIC1_DATA: u16 = 0x21;
const PIC2_COMMAND: u16 = 0xa0;
const PIC2_DATA: u16 = 0xa1;
/// ICW1: initialisation, ICW4 will follow.
const ICW1_INIT_WITH_ICW4: u8 = 0x11;
/// ICW2: vector bases for the two PICs, above the 32 exception vectors.
const PIC1_VECTOR_BASE: u8 = 0x20;
const PIC2_VECTOR_BASE: u8 = 0x28;
/// ICW3: the slave sits on the master's line 2.
const ICW3_MASTER_HAS_SLAVE_ON_2: u8 = 0x04;
const ICW3_SLAVE_ID_2: u8 = 0x02;
/// ICW4: 8086 mode.
const ICW4_8086: u8 = 0x01;
/// OCW1: every line masked.
const MASK_ALL: u8 = 0xff;

/// Remaps both PICs away from the exception vectors and masks all their lines.
pub fn disable() {
    let writes = [
        (PIC1_COMMAND, ICW1_INIT_WITH_ICW4),
        (PIC2_COMMAND, ICW1_INIT_WITH_ICW4),
        (PIC1_DATA, PIC1_VECTOR_BASE),
        (PIC2_DATA, PIC2_VECTOR_BASE),
        (PIC1_DATA, ICW3_MASTER_HAS_SLAVE_ON_2),
        (PIC2_DATA, ICW3_SLAVE_ID_2),
        (PIC1_DATA, ICW4_8086),
        (PIC2_DATA, ICW4_8086),
        (PIC1_DATA, MASK_ALL),
        (PIC2_DATA, MASK_ALL),
    ];
    for (port, value) in writes {
        // SAFETY: these are the PICs' fixed I/O ports, written in the order the datasheet
        // requires; masking every line stops all legacy interrupts.
        unsafe { Port::<u8>::new(port).write(value) };
    }
}
