//! One safe function per syscall of `syscalls_abi::numbers`, each a single `syscall`
//! instruction.
//!
//! Register convention (see `syscalls_abi::numbers`): the number in `rax`; arguments in `rdi`,
//! `rsi`, `rdx`, `r10`, `r8`, `r9`, `r12`, `r13`; the `syscall` instruction itself clobbers
//! `rcx` and `r11`; the `zx_status_t` comes back in `rax`, sign-extended. Every other register
//! is preserved by the kernel.
//!
//! Why these functions are safe: each pointer passed to the kernel is taken from a Rust
//! reference or slice, and the length passed with it is that slice's length. The kernel
//! validates every user pointer, copies only within the lengths given, and never keeps a
//! pointer past the syscall, so the worst a wrong argument can do is make the syscall fail.
//! The one stub that passes addresses it cannot vouch for, [`channel_write_iovec`], passes
//! them to be read only (a bad one fails the write); the byte stubs of `zx_channel_write` and
//! `zx_channel_call` refuse `ZX_CHANNEL_WRITE_USE_IOVEC`, under which the kernel would take
//! their bytes for addresses. The doors for deliberately bad arguments ([`syscall_inert`],
//! [`syscall_lending`], and [`Sandbox`](crate::sys::sandbox::Sandbox)) check each argument
//! against the syscall's signature ([`crate::sys::signatures`]).
//! Syscalls that change this process's own mappings (`vmar_unmap`, `vmar_protect`,
//! `vmar_destroy`, `vmar_map` with `ZX_VM_SPECIFIC_OVERWRITE`) can take memory away from under
//! Rust code; the library's own allocations (heap, stacks) live in regions it never passes to
//! them, and programs must not point them at memory they hold references into (the kernel then
//! kills the faulting process, it cannot reach another one).
//!
//! Status values are returned raw (`i32`); [`crate::Status`] gives them meaning.
//!
//! This file holds the raw `syscall` instructions and the argument helpers; the stubs sit one
//! file per family: [`object`] (handles and the calls every object answers), [`ipc`], [`vm`],
//! [`task`] and [`system`].

use core::arch::asm;

/// Declares `raw0` .. `raw8`: the `syscall` instruction with that many arguments.
macro_rules! raw_syscalls {
    ($($name:ident($($arg:ident => $reg:tt),*);)*) => {
        $(
            /// Issues syscall `number` with these arguments and returns `rax`.
            ///
            /// # Safety
            ///
            /// Every argument the kernel treats as a pointer must point to memory that the
            /// kernel may read or write for the syscall's whole length, as the syscall's
            /// document describes.
            #[inline(always)]
            // The syscall ABI passes up to eight arguments, one register each.
            #[allow(clippy::too_many_arguments)]
            pub(crate) unsafe fn $name(number: u64 $(, $arg: u64)*) -> i64 {
                let ret: i64;
                // SAFETY: `syscall` enters the kernel, which preserves every register but
                // `rax` (the result), `rcx` and `r11`; the memory it touches is the caller's
                // obligation (see `# Safety`).
                unsafe {
                    asm!(
                        "syscall",
                        inlateout("rax") number as i64 => ret,
                        $(in($reg) $arg,)*
                        lateout("rcx") _,
                        lateout("r11") _,
                        options(nostack),
                    );
                }
                ret
            }
        )*
    };
}

raw_syscalls! {
    raw0();
    raw1(a0 => "rdi");
    raw2(a0 => "rdi", a1 => "rsi");
    raw3(a0 => "rdi", a1 => "rsi", a2 => "rdx");
    raw4(a0 => "rdi", a1 => "rsi", a2 => "rdx", a3 => "r10");
    raw5(a0 => "rdi", a1 => "rsi", a2 => "rdx", a3 => "r10", a4 => "r8");
    raw6(a0 => "rdi", a1 => "rsi", a2 => "rdx", a3 => "r10", a4 => "r8", a5 => "r9");
    raw7(a0 => "rdi", a1 => "rsi", a2 => "rdx", a3 => "r10", a4 => "r8", a5 => "r9",
         a6 => "r12");
    raw8(a0 => "rdi", a1 => "rsi", a2 => "rdx", a3 => "r10", a4 => "r8", a5 => "r9",
         a6 => "r12", a7 => "r13");
}

/// A `zx_status_t` from `rax`: the kernel sign-extends the 32-bit status.
#[inline(always)]
pub(crate) fn status(rax: i64) -> i32 {
    rax as i32
}

/// A pointer argument for a shared reference.
#[inline(always)]
pub(crate) fn ptr<T: ?Sized>(value: &T) -> u64 {
    value as *const T as *const u8 as u64
}

/// A pointer argument for an exclusive reference.
#[inline(always)]
pub(crate) fn mut_ptr<T: ?Sized>(value: &mut T) -> u64 {
    value as *mut T as *mut u8 as u64
}

mod ipc;
mod object;
mod system;
mod task;
mod vm;

pub use ipc::*;
pub use object::*;
pub use system::*;
pub use task::*;
pub use vm::*;
