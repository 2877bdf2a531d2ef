//! Deliberate crashes, one per boot, to prove that a kernel fault is reported and fails the run.
//!
//! The host runner boots the test image with `crash=<name>` and expects the register dump, the
//! backtrace and a failure exit status; a crash that did not crash is itself a failure.

/// An address in the user half that nothing maps in the kernel's address space.
const UNMAPPED_ADDRESS: u64 = 0x0000_5a5a_0000_0000;

/// Runs the crash `name`; never returns.
pub fn run(name: &str) -> ! {
    crate::kprintln!("test: crash {name}");
    match name {
        "invalid_opcode" => {
            // SAFETY: deliberately executes an undefined instruction; the fault ends the run.
            unsafe { core::arch::asm!("ud2") };
        }
        "page_fault" => {
            // SAFETY: deliberately writes to an unmapped address; the fault ends the run.
            unsafe { core::ptr::write_volatile(UNMAPPED_ADDRESS as *mut u64, 0x5a) };
        }
        "panic" => panic!("deliberate panic requested on the command line"),
        _ => crate::kprintln!("test: unknown crash {name:?}"),
    }
    crate::kprintln!("test: crash {name} did not crash");
    crate::arch::x86_64::power::exit_failure()
}
