//! The global descriptor table and task-state segment of each CPU.
//!
//! Long mode ignores most of segmentation, but it still needs code and data selectors for both
//! privilege levels and a TSS for two things: the stack the CPU switches to when an interrupt
//! arrives from user mode (`RSP0`), and the interrupt stack table (IST), whose dedicated stacks
//! let the double-fault, NMI and machine-check handlers run even when the current stack is
//! broken. Selector order is fixed by `sysret` (Intel SDM Vol. 2B, SYSRET): user data must sit
//! 8 bytes below user code, both above the kernel pair.

use alloc::boxed::Box;
use x86_64::VirtAddr;
use x86_64::instructions::segmentation::{CS, DS, ES, SS, Segment};
use x86_64::instructions::tables::load_tss;
use x86_64::structures::gdt::{Descriptor, GlobalDescriptorTable, SegmentSelector};
use x86_64::structures::tss::TaskStateSegment;

/// IST slot of the double-fault handler (the TSS's IST1; the IDT counts from 1).
pub const DOUBLE_FAULT_IST: u16 = 0;
/// IST slot of the NMI handler.
pub const NMI_IST: u16 = 1;
/// IST slot of the machine-check handler.
pub const MACHINE_CHECK_IST: u16 = 2;

/// Size of each IST stack and of the user-entry stack.
const STACK_SIZE: usize = 16 * 1024;

/// The kernel code selector (GDT entry 1).
pub const KERNEL_CODE: SegmentSelector = SegmentSelector(0x08);
/// The kernel data selector (GDT entry 2).
pub const KERNEL_DATA: SegmentSelector = SegmentSelector(0x10);
/// The user data selector (GDT entry 3, RPL 3).
pub const USER_DATA: SegmentSelector = SegmentSelector(0x18 | 3);
/// The user code selector (GDT entry 4, RPL 3).
pub const USER_CODE: SegmentSelector = SegmentSelector(0x20 | 3);
/// The TSS selector (GDT entries 5 and 6: a system descriptor takes two slots).
const TSS: SegmentSelector = SegmentSelector(0x28);

#[repr(align(16))]
struct Stack([u8; STACK_SIZE]);

/// The stacks of the bootstrap CPU, which needs them before the heap exists.
static mut BOOT_STACKS: [Stack; 4] = [const { Stack([0; STACK_SIZE]) }; 4];
static BOOT_TSS: spin::Once<TaskStateSegment> = spin::Once::new();
static BOOT_GDT: spin::Once<GlobalDescriptorTable> = spin::Once::new();

/// Loads the bootstrap CPU's GDT and TSS; runs before the heap exists.
pub fn init_boot_cpu() {
    let stacks = &raw mut BOOT_STACKS;
    // SAFETY: BOOT_STACKS is used only here, once, on the bootstrap CPU; afterwards only the CPU
    // itself touches the stacks through the TSS.
    let tops = unsafe { (*stacks).each_mut().map(|stack| stack_top(&mut stack.0)) };
    let tss = BOOT_TSS.call_once(|| new_tss(tops));
    load(BOOT_GDT.call_once(|| new_gdt(tss)));
}

/// Builds and loads a GDT and TSS with freshly allocated stacks for an application processor.
pub fn init_application_cpu() {
    let tops = [(); 4].map(|_| {
        let stack = Box::leak(Box::new(Stack([0; STACK_SIZE])));
        stack_top(&mut stack.0)
    });
    let tss = Box::leak(Box::new(new_tss(tops)));
    load(Box::leak(Box::new(new_gdt(tss))));
}

fn stack_top(stack: &mut [u8]) -> VirtAddr {
    VirtAddr::from_ptr(stack.as_mut_ptr_range().end)
}

/// `tops`: the three IST stacks, then the stack used on entry from user mode.
fn new_tss(tops: [VirtAddr; 4]) -> TaskStateSegment {
    let mut tss = TaskStateSegment::new();
    tss.interrupt_stack_table[DOUBLE_FAULT_IST as usize] = tops[0];
    tss.interrupt_stack_table[NMI_IST as usize] = tops[1];
    tss.interrupt_stack_table[MACHINE_CHECK_IST as usize] = tops[2];
    tss.privilege_stack_table[0] = tops[3];
    tss
}

/// The GDT in `sysret` order, followed by the TSS descriptor (entries 5 and 6).
fn new_gdt(tss: &'static TaskStateSegment) -> GlobalDescriptorTable {
    let mut gdt = GlobalDescriptorTable::new();
    let selectors = [
        gdt.append(Descriptor::kernel_code_segment()),
        gdt.append(Descriptor::kernel_data_segment()),
        gdt.append(Descriptor::user_data_segment()),
        gdt.append(Descriptor::user_code_segment()),
        gdt.append(Descriptor::tss_segment(tss)),
    ];
    assert_eq!(
        selectors,
        [KERNEL_CODE, KERNEL_DATA, USER_DATA, USER_CODE, TSS]
    );
    gdt
}

fn load(gdt: &'static GlobalDescriptorTable) {
    gdt.load();
    // SAFETY: the selectors index the GDT just loaded, and the TSS descriptor describes a TSS
    // that lives forever. FS and GS are left alone: their bases are set through MSRs.
    unsafe {
        CS::set_reg(KERNEL_CODE);
        SS::set_reg(KERNEL_DATA);
        DS::set_reg(KERNEL_DATA);
        ES::set_reg(KERNEL_DATA);
        load_tss(TSS);
    }
}
