//! The entry stubs of every interrupt vector and the frame they build.
//!
//! One table of 256 stubs, 16 bytes apart, is generated in assembly: each stub pushes a dummy
//! error code when the CPU does not push one, pushes its vector number and jumps to a common
//! path that saves the general registers, swaps GS when the trap came from user mode, and calls
//! [`trap_dispatch`] with the [`TrapFrame`] it built on the stack. Returning from the dispatcher
//! restores the registers (possibly modified, e.g. by an exception fix-up) and leaves with
//! `iretq`. Traps from user mode take another way out: the frame goes to
//! [`super::user::user_trap`], and the stub returns to the kernel stack of the thread's future
//! (see `user.rs`). Stable Rust has no `extern "x86-interrupt"`, and one uniform frame for all
//! vectors is what the exception dump, the fix-ups and the user-mode return path want anyway.

use core::arch::global_asm;

/// Distance between two stubs in the table.
pub const STUB_SIZE: usize = 16;
/// The first vector that is not a CPU exception.
pub const FIRST_INTERRUPT_VECTOR: u8 = 32;

/// The registers a trap saves, lowest address first.
#[repr(C)]
#[derive(Clone, Debug, Default)]
pub struct TrapFrame {
    pub r15: u64,
    pub r14: u64,
    pub r13: u64,
    pub r12: u64,
    pub r11: u64,
    pub r10: u64,
    pub r9: u64,
    pub r8: u64,
    pub rbp: u64,
    pub rdi: u64,
    pub rsi: u64,
    pub rdx: u64,
    pub rcx: u64,
    pub rbx: u64,
    pub rax: u64,
    /// The vector number pushed by the stub.
    pub vector: u64,
    /// The CPU's error code, or 0 for vectors without one.
    pub error_code: u64,
    // The interrupt frame the CPU pushed (Intel SDM Vol. 3A, 6.14.2).
    pub rip: u64,
    pub cs: u64,
    pub rflags: u64,
    pub rsp: u64,
    pub ss: u64,
}

impl TrapFrame {
    /// Whether the trap interrupted user mode (requested privilege level 3 in the saved CS).
    pub fn came_from_user(&self) -> bool {
        self.cs & 3 == 3
    }
}

// The vectors for which the CPU pushes an error code (Intel SDM Vol. 3A, Table 6-1): #DF 8,
// #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17, #CP 21, #VC 29, #SX 30.
global_asm!(
    r#"
    .section .text.trap_stubs, "ax"
    .balign 16
    .global spinel_trap_stubs
spinel_trap_stubs:
    .set vector, 0
    .rept 256
    .balign 16
    .set error_code, (vector == 8) || (vector == 10) || (vector == 11) || (vector == 12)
    .set error_code, error_code || (vector == 13) || (vector == 14) || (vector == 17)
    .set error_code, error_code || (vector == 21) || (vector == 29) || (vector == 30)
    .if error_code == 0
    push 0
    .endif
    push vector
    jmp spinel_trap_common
    .set vector, vector + 1
    .endr

spinel_trap_common:
    // [rsp] vector, [rsp + 8] error code, [rsp + 16] rip, [rsp + 24] cs.
    test qword ptr [rsp + 24], 3
    jz 1f
    swapgs
1:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp
    cld
    test qword ptr [rsp + {cs_offset}], 3
    jnz 3f
    call {dispatch}
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    test qword ptr [rsp + 24], 3
    jz 2f
    swapgs
2:
    add rsp, 16
    iretq

3:  // From user mode: save the user state into the running context and return from
    // `UserContext::enter` on the kernel stack; this entry stack is abandoned.
    call {user_trap}
    mov rsp, gs:[{kernel_rsp}]
    jmp spinel_return_to_kernel
    "#,
    dispatch = sym trap_dispatch,
    user_trap = sym super::user::user_trap,
    kernel_rsp = const super::percpu::KERNEL_RSP_OFFSET,
    cs_offset = const core::mem::offset_of!(TrapFrame, cs),
);

unsafe extern "C" {
    /// The first of the 256 stubs; stub `n` is at `spinel_trap_stubs + n * STUB_SIZE`.
    static spinel_trap_stubs: [u8; 256 * STUB_SIZE];
}

/// The entry address of vector `vector`'s stub.
pub fn stub_address(vector: u8) -> u64 {
    // Only the symbol's address is taken; the stubs are code, never read as data.
    let base = (&raw const spinel_trap_stubs) as u64;
    base + vector as u64 * STUB_SIZE as u64
}

/// Called by the common stub with the frame it saved; may change the frame before returning.
extern "C" fn trap_dispatch(frame: &mut TrapFrame) {
    match frame.vector {
        0..32 => super::exception::handle(frame),
        vector => super::interrupt::handle(vector as u8, frame),
    }
}
