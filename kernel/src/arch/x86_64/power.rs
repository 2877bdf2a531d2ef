//! Leaving the machine: ACPI power-off on success, QEMU's debug-exit device on failure.
//!
//! Success is a real power-off (ACPI sleep state S5), which QEMU turns into exit status 0 and a
//! PC turns into a switched-off machine. Failure writes to QEMU's `isa-debug-exit` device, which
//! exits with status `(value << 1) | 1`, so any failure is non-zero; on a PC the write goes
//! nowhere and the CPU halts with the failure message on screen.

use x86_64::instructions::port::Port;

/// I/O port of QEMU's `isa-debug-exit` device (`-device isa-debug-exit,iobase=0xf4`).
const DEBUG_EXIT_PORT: u16 = 0xf4;
/// The value written on failure: QEMU exits with status 3.
const DEBUG_EXIT_FAILURE: u32 = 1;
/// How long the machine may keep running after the S5 write before power-off counts as failed:
/// a virtual machine with several CPUs takes a moment to act on it.
const POWER_OFF_GRACE_NS: u64 = 500_000_000;

/// Powers the machine off (success).
pub fn power_off() -> ! {
    log::info!("powering off");
    super::acpi::enter_s5();
    super::tsc::spin_for(POWER_OFF_GRACE_NS);
    log::warn!(
        "ACPI power-off did not take effect; halting. It is now safe to turn the machine off."
    );
    halt_forever()
}

/// Ends the run with a failure status under QEMU, or halts on real hardware.
pub fn exit_failure() -> ! {
    // SAFETY: under QEMU the port is the debug-exit device; on other machines nothing decodes
    // port 0xf4 and the write is dropped.
    unsafe { Port::new(DEBUG_EXIT_PORT).write(DEBUG_EXIT_FAILURE) };
    halt_forever()
}

/// Halts this CPU for good, with interrupts off.
pub fn halt_forever() -> ! {
    loop {
        x86_64::instructions::interrupts::disable();
        x86_64::instructions::hlt();
    }
}
