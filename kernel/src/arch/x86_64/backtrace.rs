//! Frame-pointer backtraces.
//!
//! The kernel is built with frame pointers (`-C force-frame-pointers=yes`), so each frame starts
//! with the caller's RBP followed by the return address. The walk stops at a null, misaligned or
//! non-kernel frame pointer, or after [`MAX_FRAMES`], so a corrupt stack cannot fault the dump.
//! Addresses are printed raw; `make` symbolises them with the kernel ELF (`addr2line`).

/// The lowest address of the kernel's higher half.
const KERNEL_SPACE_START: u64 = 0xffff_8000_0000_0000;
/// The deepest backtrace printed.
const MAX_FRAMES: usize = 32;

/// Prints the backtrace that starts at `rip`, with `rbp` pointing at the current frame.
pub fn print(rip: u64, mut rbp: u64) {
    let p = crate::console::emergency_print;
    p(format_args!("backtrace:\n  #0 {rip:#018x}\n"));
    for depth in 1..MAX_FRAMES {
        if rbp < KERNEL_SPACE_START || !rbp.is_multiple_of(8) || !crate::memory::is_mapped(rbp, 16)
        {
            break;
        }
        let frame = rbp as *const u64;
        // SAFETY: `frame` is an aligned kernel address whose 16 bytes are mapped (checked above),
        // the two words of a frame record.
        let (caller_rbp, return_address) = unsafe { (*frame, *frame.add(1)) };
        if return_address == 0 {
            break;
        }
        p(format_args!("  #{depth} {return_address:#018x}\n"));
        rbp = caller_rbp;
    }
}
