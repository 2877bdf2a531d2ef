//! The interrupt descriptor table, shared by every CPU.
//!
//! Every one of the 256 vectors gets an interrupt gate to its stub in [`super::trap`]. The table
//! is built by hand rather than with the `x86_64` crate's typed IDT: that type hides the reserved
//! exception vectors, and Spinel installs one uniform stub table for all vectors anyway.
//! Interrupt gates (not trap gates) keep interrupts off until the handler decides otherwise.

use super::gdt::{DOUBLE_FAULT_IST, KERNEL_CODE, MACHINE_CHECK_IST, NMI_IST};
use super::trap::stub_address;
use x86_64::VirtAddr;
use x86_64::instructions::tables::lidt;
use x86_64::structures::DescriptorTablePointer;

/// Vector numbers of the CPU exceptions that use an IST stack (Intel SDM Vol. 3A, Table 6-1).
const NMI_VECTOR: u8 = 2;
const BREAKPOINT_VECTOR: u8 = 3;
const DOUBLE_FAULT_VECTOR: u8 = 8;
const MACHINE_CHECK_VECTOR: u8 = 18;

/// Type field of a 64-bit interrupt gate (Intel SDM Vol. 3A, 3.5 "System descriptor types").
const INTERRUPT_GATE: u8 = 0xe;
/// Present bit of a gate's attribute byte.
const PRESENT: u8 = 1 << 7;
/// Descriptor privilege level shift in the attribute byte.
const DPL_SHIFT: u8 = 5;

/// A 64-bit IDT gate descriptor (Intel SDM Vol. 3A, Figure 6-8).
#[derive(Clone, Copy)]
#[repr(C)]
struct Gate {
    offset_low: u16,
    selector: u16,
    /// Bits 0-2: IST index (0 = none, else 1-7).
    ist: u8,
    attributes: u8,
    offset_middle: u16,
    offset_high: u32,
    reserved: u32,
}
const _: () = assert!(core::mem::size_of::<Gate>() == 16);

impl Gate {
    const MISSING: Gate = Gate {
        offset_low: 0,
        selector: 0,
        ist: 0,
        attributes: 0,
        offset_middle: 0,
        offset_high: 0,
        reserved: 0,
    };

    fn new(handler: u64, ist: Option<u16>, user_callable: bool) -> Gate {
        let dpl = if user_callable { 3 } else { 0 };
        Gate {
            offset_low: handler as u16,
            selector: KERNEL_CODE.0,
            ist: ist.map_or(0, |slot| slot as u8 + 1),
            attributes: PRESENT | (dpl << DPL_SHIFT) | INTERRUPT_GATE,
            offset_middle: (handler >> 16) as u16,
            offset_high: (handler >> 32) as u32,
            reserved: 0,
        }
    }
}

#[repr(C, align(16))]
struct Idt([Gate; 256]);

static IDT: spin::Once<Idt> = spin::Once::new();

fn build() -> Idt {
    let mut idt = Idt([Gate::MISSING; 256]);
    for (vector, gate) in idt.0.iter_mut().enumerate() {
        let vector = vector as u8;
        let ist = match vector {
            DOUBLE_FAULT_VECTOR => Some(DOUBLE_FAULT_IST),
            NMI_VECTOR => Some(NMI_IST),
            MACHINE_CHECK_VECTOR => Some(MACHINE_CHECK_IST),
            _ => None,
        };
        // `int3` from user mode must reach the breakpoint handler rather than fault.
        *gate = Gate::new(stub_address(vector), ist, vector == BREAKPOINT_VECTOR);
    }
    idt
}

/// Loads the IDT on the calling CPU (building it on first use). The GDT must be loaded.
pub fn load() {
    let idt = IDT.call_once(build);
    let pointer = DescriptorTablePointer {
        limit: (core::mem::size_of::<Idt>() - 1) as u16,
        base: VirtAddr::from_ptr(idt),
    };
    // SAFETY: the table lives forever in a static, and each present gate points at a stub of
    // the trap table with the kernel code selector loaded by `gdt`.
    unsafe { lidt(&pointer) };
}
