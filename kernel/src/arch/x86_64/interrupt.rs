//! Device and inter-processor interrupts (vectors 32 to 255).
//!
//! The vector map lives here so that every owner of a vector is visible in one place.

use super::trap::TrapFrame;

/// Spurious-interrupt vector of the local APIC (its low four bits must be set, Intel SDM Vol. 3A,
/// 11.9).
pub const SPURIOUS: u8 = 0xff;

/// Handles vector `vector`.
pub fn handle(vector: u8, _frame: &mut TrapFrame) {
    match vector {
        SPURIOUS => {}
        _ => log::warn!("unexpected interrupt on vector {vector:#x}"),
    }
}
