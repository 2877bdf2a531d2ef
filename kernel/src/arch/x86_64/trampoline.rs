//! The real-mode trampoline an application processor starts in.
//!
//! A startup IPI starts a CPU in 16-bit real mode at the start of a 4 KiB page below 1 MiB. The
//! trampoline below is copied to such a page ([`crate::memory::low_frame`]) and, from there, in a
//! dozen instructions: loads a small GDT of its own, turns on PAE, loads a page table, sets
//! EFER.LME (and NXE, which the kernel's page tables need), and sets CR0.PE and CR0.PG together,
//! which enters long mode directly; a far jump through the 64-bit code selector then runs 64-bit
//! code, still at the page's identity address. That code loads the stack and argument the
//! bootstrap CPU left in the page's parameter block and calls the kernel's entry point for
//! application processors, which switches to the kernel's own tables.
//!
//! Invariant: the page is identity-mapped in the page table named in the parameter block for as
//! long as a CPU may run the trampoline, and that table lies below 4 GiB (real mode loads a 32-bit
//! CR3). Bring-up starts one CPU at a time, so one parameter block serves them all.

use core::arch::global_asm;

/// The parameter block at the end of the trampoline, filled in by the bootstrap CPU.
#[repr(C, packed)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Parameters {
    /// Physical address of the GDT in the page, for `lgdt` (limit in the low 16 bits).
    pub gdt_limit: u16,
    pub gdt_base: u32,
    /// The far pointer (offset, selector) of the 64-bit code in the page.
    pub long_mode_offset: u32,
    pub long_mode_selector: u16,
    /// Values loaded into CR4, CR3, EFER (low half) and CR0 before the jump to long mode.
    pub cr4: u32,
    pub cr3: u32,
    pub efer: u32,
    pub cr0: u32,
    pub padding: u32,
    /// The stack the entry point runs on, the entry point, and its one argument.
    pub stack_top: u64,
    pub entry: u64,
    pub argument: u64,
}

// The parameter block's layout as the assembly below lays it out, field by field.
const _: () = assert!(core::mem::size_of::<Parameters>() == 56);

global_asm!(
    r#"
    .section .rodata.spinel_trampoline, "a"
    .balign 16
    .global spinel_trampoline_start
spinel_trampoline_start:
    .code16
    // Real mode starts at offset 0: jump over the parameter block and the GDT, which sit at the
    // fixed offsets the 16-bit code below addresses (see `Parameters` and `PARAMETERS_OFFSET`).
    jmp trampoline_real_mode
    .balign 8
    .global spinel_trampoline_parameters
spinel_trampoline_parameters:
    .fill 56, 1, 0
    .global spinel_trampoline_gdt
spinel_trampoline_gdt:
    .quad 0
    // 64-bit ring-0 code: present, code, readable, L=1 (Intel SDM Vol. 3A, 3.4.5).
    .quad 0x00af9a000000ffff
    // Ring-0 data: present, writable, 4 GiB.
    .quad 0x00cf92000000ffff

trampoline_real_mode:
    cli
    cld
    mov ax, cs
    mov ds, ax
    lgdt [8]
    mov eax, [20]
    mov cr4, eax
    mov eax, [24]
    mov cr3, eax
    mov ecx, 0xc0000080
    mov eax, [28]
    xor edx, edx
    wrmsr
    mov eax, [32]
    mov cr0, eax
    // jmp far dword ptr [14]: 66 FF /5 with a 16-bit displacement (the far pointer).
    .byte 0x66, 0xff, 0x2e
    .word 14

    .code64
    .global spinel_trampoline_long_mode
spinel_trampoline_long_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rsp, [rip + spinel_trampoline_parameters + 32]
    mov rdi, [rip + spinel_trampoline_parameters + 48]
    xor ebp, ebp
    mov rax, [rip + spinel_trampoline_parameters + 40]
    call rax
    ud2
    .global spinel_trampoline_end
spinel_trampoline_end:
    .text
    "#
);

/// Where the parameter block sits in the trampoline; the 16-bit code addresses its fields at
/// these fixed offsets (gdt pointer 8, far pointer 14, CR4 20, CR3 24, EFER 28, CR0 32).
const PARAMETERS_OFFSET: usize = 8;

unsafe extern "C" {
    static spinel_trampoline_start: u8;
    static spinel_trampoline_long_mode: u8;
    static spinel_trampoline_gdt: u8;
    static spinel_trampoline_parameters: u8;
    static spinel_trampoline_end: u8;
}

/// The trampoline's bytes, as linked into the kernel image.
pub fn code() -> &'static [u8] {
    let start = &raw const spinel_trampoline_start;
    let end = &raw const spinel_trampoline_end;
    // SAFETY: the two symbols bound the trampoline's bytes in the read-only data section.
    unsafe { core::slice::from_raw_parts(start, end.offset_from(start) as usize) }
}

/// Offset of the parameter block in the trampoline.
pub fn parameters_offset() -> usize {
    let offset = offset_of_symbol(&raw const spinel_trampoline_parameters);
    assert_eq!(
        offset, PARAMETERS_OFFSET,
        "the trampoline's 16-bit code expects its parameters here"
    );
    offset
}

/// Offset of the GDT in the trampoline.
pub fn gdt_offset() -> usize {
    offset_of_symbol(&raw const spinel_trampoline_gdt)
}

/// Offset of the 64-bit code in the trampoline.
pub fn long_mode_offset() -> usize {
    offset_of_symbol(&raw const spinel_trampoline_long_mode)
}

fn offset_of_symbol(symbol: *const u8) -> usize {
    let start = &raw const spinel_trampoline_start;
    // SAFETY: every symbol passed here lies in the trampoline, after its start.
    unsafe { symbol.offset_from(start) as usize }
}

/// Bytes of the trampoline's GDT (three descriptors).
pub const GDT_SIZE: u16 = 24;
/// The GDT's 64-bit code selector.
pub const CODE_SELECTOR: u16 = 0x08;
