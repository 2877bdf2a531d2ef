//! Device and inter-processor interrupts (vectors 32 to 255).
//!
//! The vector map lives here so that every owner of a vector is visible in one place. A vector's
//! upper four bits are its priority class (Intel SDM Vol. 3A, 11.8.3.1): the IPIs and the timer
//! sit above any device vector.
//!
//! | vectors | owner |
//! |---|---|
//! | 0x20-0x2f | the 8259 PICs, re-based and masked: only their spurious interrupts arrive |
//! | 0xe0 | local APIC timer ([`crate::sched::timer`]) |
//! | 0xf0 | wake-up IPI (ends a `hlt`; nothing else to do) |
//! | 0xf1 | TLB shoot-down IPI ([`crate::smp::shootdown`]) |
//! | 0xfe | local APIC error |
//! | 0xff | local APIC spurious interrupt |
//!
//! The stop IPI of the panic path is an NMI (vector 2), handled with the exceptions.

use super::apic;
use super::trap::TrapFrame;

/// The 8259 PICs' first vector (16 vectors from here).
pub const LEGACY_PIC_BASE: u8 = 0x20;
const LEGACY_PIC_LAST: u8 = LEGACY_PIC_BASE + 15;
/// The local APIC timer.
pub const TIMER: u8 = 0xe0;
/// Wake-up IPI: sent to a halted CPU that has new work.
pub const WAKE_UP: u8 = 0xf0;
/// TLB shoot-down IPI.
pub const TLB_SHOOTDOWN: u8 = 0xf1;
/// Local APIC error interrupt.
pub const APIC_ERROR: u8 = 0xfe;
/// Spurious-interrupt vector of the local APIC (its low four bits must be set, Intel SDM Vol. 3A,
/// 11.9).
pub const SPURIOUS: u8 = 0xff;

/// Handles vector `vector`.
pub fn handle(vector: u8, _frame: &mut TrapFrame) {
    match vector {
        TIMER => {
            crate::sched::timer::on_timer_interrupt();
            apic::end_of_interrupt();
        }
        WAKE_UP => apic::end_of_interrupt(),
        TLB_SHOOTDOWN => {
            crate::smp::shootdown::on_interrupt();
            apic::end_of_interrupt();
        }
        APIC_ERROR => {
            let status = apic::take_error_status();
            apic::end_of_interrupt();
            log::warn!("apic: error interrupt, status {status:#x}");
        }
        // Spurious interrupts are not acknowledged (Intel SDM Vol. 3A, 11.9).
        SPURIOUS | LEGACY_PIC_BASE..=LEGACY_PIC_LAST => {}
        _ => log::warn!("unexpected interrupt on vector {vector:#x}"),
    }
}
