//! The legacy 8259 programmable interrupt controllers, which Spinel only silences.
//!
//! The PICs are moved to vectors 0x20-0x2f, where a spurious interrupt they raise cannot be
//! mistaken for a CPU exception, and every line is masked; the local and I/O APICs take over.

use super::interrupt;
use x86_64::instructions::port::Port;

/// Command and data ports of the primary and secondary PIC (Intel 8259A data sheet).
const PRIMARY_COMMAND: u16 = 0x20;
const PRIMARY_DATA: u16 = 0x21;
const SECONDARY_COMMAND: u16 = 0xa0;
const SECONDARY_DATA: u16 = 0xa1;
/// ICW1: initialise, ICW4 follows.
const ICW1_INIT: u8 = 0x11;
/// ICW3 of the primary: the secondary hangs on line 2; of the secondary: its cascade identity.
const ICW3_PRIMARY: u8 = 1 << 2;
const ICW3_SECONDARY: u8 = 2;
/// ICW4: 8086 mode.
const ICW4_8086: u8 = 0x01;
/// OCW1 masking every line.
const MASK_ALL: u8 = 0xff;

/// Re-bases both PICs at [`interrupt::LEGACY_PIC_BASE`] and masks every line.
pub fn remap_and_mask() {
    let base = interrupt::LEGACY_PIC_BASE;
    let steps: [(u16, u8); 10] = [
        (PRIMARY_COMMAND, ICW1_INIT),
        (SECONDARY_COMMAND, ICW1_INIT),
        (PRIMARY_DATA, base),
        (SECONDARY_DATA, base + 8),
        (PRIMARY_DATA, ICW3_PRIMARY),
        (SECONDARY_DATA, ICW3_SECONDARY),
        (PRIMARY_DATA, ICW4_8086),
        (SECONDARY_DATA, ICW4_8086),
        (PRIMARY_DATA, MASK_ALL),
        (SECONDARY_DATA, MASK_ALL),
    ];
    for (port, value) in steps {
        // SAFETY: these are the PICs' fixed ports, written in the initialisation order of the
        // 8259A data sheet; the result is both PICs masked.
        unsafe { Port::<u8>::new(port).write(value) };
    }
}
