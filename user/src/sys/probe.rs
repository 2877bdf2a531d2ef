//! Deliberate faults for the conformance suite: memory accesses the compiler does not see.
//!
//! Each probe is one instruction in inline assembly, so no Rust reference to the target ever
//! exists and the compiler assumes nothing about it. A probe of an unmapped, protected or
//! non-canonical address raises an exception that the kernel reports through exception
//! channels, or kills the process; a probe of mapped memory reads or writes one byte. The
//! instruction probes raise the CPU exceptions that have no memory access behind them.
//!
//! The syscall probes pass the kernel an out-pointer that is a plain address, to check how a
//! syscall treats one it cannot write.

use super::stubs::{raw7, status};
use core::arch::asm;
use syscalls_abi::numbers as nr;

/// Loads the byte at `address`.
#[inline(never)]
pub fn read_byte(address: usize) -> u8 {
    let value: u8;
    // SAFETY: a one-byte load through inline assembly creates no Rust reference and races no
    // Rust access (the compiler treats it as an opaque read); a fault is the kernel's to
    // handle and does not return here with a wrong value.
    unsafe {
        asm!("mov {value}, byte ptr [{address}]", address = in(reg) address,
             value = out(reg_byte) value, options(nostack, readonly))
    };
    value
}

/// Stores `value` at `address`.
///
/// For pages the program does not use as Rust memory: fresh mappings, protected or unmapped
/// pages, null. Aimed at memory a Rust value lives in, it would change that value behind the
/// compiler's back.
#[inline(never)]
pub fn write_byte(address: usize, value: u8) {
    // SAFETY: the caller aims the store at memory no Rust value occupies (see above); the
    // store through inline assembly creates no reference, and a fault is the kernel's.
    unsafe {
        asm!("mov byte ptr [{address}], {value}", address = in(reg) address,
             value = in(reg_byte) value, options(nostack))
    };
}

/// Executes `int3`: a software breakpoint exception (`ZX_EXCP_SW_BREAKPOINT`). If a handler
/// resumes the thread, it continues after the instruction.
#[inline(never)]
pub fn breakpoint() {
    // SAFETY: `int3` touches no memory; the kernel turns it into an exception.
    unsafe { asm!("int3", options(nostack, nomem)) };
}

/// Executes `ud2`: an invalid-opcode exception (`ZX_EXCP_UNDEFINED_INSTRUCTION`).
#[inline(never)]
pub fn undefined_instruction() -> ! {
    // SAFETY: `ud2` touches no memory and never completes.
    unsafe { asm!("ud2", options(nostack, nomem, noreturn)) };
}

/// `zx_vmar_map` whose `mapped_addr` out-pointer is the address `mapped_addr`, which need not
/// be mapped or writable.
///
/// As for [`write_byte`], aimed at writable memory it must not be memory a Rust value lives
/// in: the kernel stores the mapping's address (8 bytes) there.
#[allow(clippy::too_many_arguments, reason = "mirrors zx_vmar_map")]
pub fn vmar_map_to(
    handle: u32,
    options: u32,
    vmar_offset: usize,
    vmo: u32,
    vmo_offset: u64,
    len: usize,
    mapped_addr: usize,
) -> i32 {
    let (handle, options, vmar_offset) = (handle.into(), options.into(), vmar_offset as u64);
    let (vmo, len, mapped_addr) = (vmo.into(), len as u64, mapped_addr as u64);
    // SAFETY: the kernel checks `mapped_addr` and writes there only if it is writable user
    // memory, which the caller keeps free of Rust values (see above); the other arguments are
    // plain values (see `sys::stubs` on mapping over this process's memory).
    status(unsafe {
        raw7(
            nr::vmar_map,
            handle,
            options,
            vmar_offset,
            vmo,
            vmo_offset,
            len,
            mapped_addr,
        )
    })
}

/// Executes `hlt` in user mode: a privileged instruction, so a general-protection fault
/// (`#GP`, vector 13), reported as `ZX_EXCP_GENERAL`.
#[inline(never)]
pub fn privileged_instruction() -> ! {
    // SAFETY: `hlt` in ring 3 touches no memory and never completes: the CPU raises #GP.
    unsafe { asm!("hlt", "ud2", options(nostack, nomem, noreturn)) };
}

/// Divides by zero: a divide error (`#DE`, vector 0), reported as `ZX_EXCP_GENERAL`.
#[inline(never)]
pub fn divide_by_zero() -> ! {
    // SAFETY: `div` by a zero register touches no memory and never completes: the CPU raises
    // #DE before writing any register.
    unsafe {
        asm!(
            "xor ecx, ecx",
            "div ecx",
            "ud2",
            options(nostack, nomem, noreturn)
        )
    };
}
