//! CPU exceptions (vectors 0 to 31).
//!
//! A kernel-mode exception is either expected, when the faulting instruction has a fix-up (see
//! [`super::fixup`]), or fatal: the kernel prints what it knows (exception, error code,
//! registers, CR2 for page faults, a frame-pointer backtrace), stops every CPU and reports
//! failure. Exceptions from user mode belong to the faulting thread and never reach the fatal
//! path: the trap stub sends them to [`super::user::user_trap`].

use super::trap::TrapFrame;
use super::{backtrace, fixup};
use x86_64::registers::control::Cr2;

/// Page-fault vector (Intel SDM Vol. 3A, Table 6-1).
pub const PAGE_FAULT: u64 = 14;
/// NMI vector; also the "stop" IPI the panic path sends.
const NMI: u64 = 2;

/// Mnemonic and name of each architecture-defined exception (Intel SDM Vol. 3A, Table 6-1).
const NAMES: [(&str, &str); 32] = [
    ("#DE", "divide error"),
    ("#DB", "debug"),
    ("NMI", "non-maskable interrupt"),
    ("#BP", "breakpoint"),
    ("#OF", "overflow"),
    ("#BR", "bound range exceeded"),
    ("#UD", "invalid opcode"),
    ("#NM", "device not available"),
    ("#DF", "double fault"),
    ("--", "coprocessor segment overrun"),
    ("#TS", "invalid TSS"),
    ("#NP", "segment not present"),
    ("#SS", "stack-segment fault"),
    ("#GP", "general protection"),
    ("#PF", "page fault"),
    ("--", "reserved"),
    ("#MF", "x87 floating-point error"),
    ("#AC", "alignment check"),
    ("#MC", "machine check"),
    ("#XM", "SIMD floating-point exception"),
    ("#VE", "virtualization exception"),
    ("#CP", "control protection"),
    ("--", "reserved"),
    ("--", "reserved"),
    ("--", "reserved"),
    ("--", "reserved"),
    ("--", "reserved"),
    ("--", "reserved"),
    ("#HV", "hypervisor injection"),
    ("#VC", "VMM communication"),
    ("#SX", "security exception"),
    ("--", "reserved"),
];

/// The mnemonic and name of exception `vector`.
pub fn name(vector: u64) -> (&'static str, &'static str) {
    NAMES
        .get(vector as usize)
        .copied()
        .unwrap_or(("--", "unknown"))
}

/// Handles exception `frame.vector`.
pub fn handle(frame: &mut TrapFrame) {
    if frame.vector == NMI && crate::panic::another_cpu_is_reporting() {
        crate::panic::park_this_cpu();
    }
    let fault_address = (frame.vector == PAGE_FAULT).then(Cr2::read_raw);
    if let Some(address) = fault_address
        && resolve_user_fault(frame, address)
    {
        return;
    }
    if fixup::recover(frame, fault_address.unwrap_or(0)) {
        return;
    }
    fatal(frame, fault_address);
}

/// How the kernel resolves a page fault on a user address: (address, is write) -> resolved.
pub type UserFaultResolver = fn(u64, bool) -> bool;

static USER_FAULT_RESOLVER: spin::Once<UserFaultResolver> = spin::Once::new();

/// Registers the function that pages in user memory for the copy routines.
pub fn set_user_fault_resolver(resolver: UserFaultResolver) {
    USER_FAULT_RESOLVER.call_once(|| resolver);
}

/// A copy routine touched a user page that is not faulted in yet: let the current address space
/// resolve it, then retry the instruction. Interrupts come back on for the call when the copy
/// ran with them on, so a TLB shoot-down the resolver waits for cannot deadlock against us.
fn resolve_user_fault(frame: &TrapFrame, address: u64) -> bool {
    let in_copy_routine = fixup::has_fixup(frame.rip);
    let user_address = address < super::user::USER_SPACE_END;
    let Some(resolver) = USER_FAULT_RESOLVER.get() else {
        return false;
    };
    if !in_copy_routine || !user_address {
        return false;
    }
    let write = frame.error_code & PF_WRITE != 0;
    let interrupts_were_on = frame.rflags & RFLAGS_IF != 0;
    if interrupts_were_on {
        x86_64::instructions::interrupts::enable();
    }
    let resolved = resolver(address, write);
    x86_64::instructions::interrupts::disable();
    resolved
}

/// Page-fault error code: the access was a write (Intel SDM Vol. 3A, Figure 4-12).
const PF_WRITE: u64 = 1 << 1;
/// RFLAGS.IF.
const RFLAGS_IF: u64 = 1 << 9;

/// Prints everything known about an unexpected exception, then stops the machine.
/// `fault_address` is CR2 as [`handle`] read it on entry: resolving the fault may have run code
/// that faulted (and was resolved) since, so CR2 itself may no longer name this fault.
fn fatal(frame: &TrapFrame, fault_address: Option<u64>) -> ! {
    let cpu = super::percpu::cpu_index();
    let (mnemonic, name) = name(frame.vector);
    let mode = if frame.came_from_user() {
        "user"
    } else {
        "kernel"
    };
    crate::panic::begin_stopping();
    let p = crate::console::emergency_print;
    p(format_args!(
        "\nEXCEPTION on cpu{cpu}: {name} ({mnemonic}, vector {}) in {mode} mode\n",
        frame.vector
    ));
    p(format_args!("  error code {:#x}\n", frame.error_code));
    if let Some(address) = fault_address {
        p(format_args!("  CR2 {address:#018x}\n"));
    }
    print_registers(frame);
    backtrace::print(frame.rip, frame.rbp);
    crate::panic::stop_machine_and_fail()
}

fn print_registers(f: &TrapFrame) {
    let p = crate::console::emergency_print;
    p(format_args!(
        "  RIP {:#018x}  RSP {:#018x}  RFLAGS {:#010x}\n",
        f.rip, f.rsp, f.rflags
    ));
    p(format_args!(
        "  CS  {:#06x}              SS  {:#06x}\n",
        f.cs, f.ss
    ));
    p(format_args!(
        "  RAX {:#018x}  RBX {:#018x}  RCX {:#018x}\n",
        f.rax, f.rbx, f.rcx
    ));
    p(format_args!(
        "  RDX {:#018x}  RSI {:#018x}  RDI {:#018x}\n",
        f.rdx, f.rsi, f.rdi
    ));
    p(format_args!(
        "  RBP {:#018x}  R8  {:#018x}  R9  {:#018x}\n",
        f.rbp, f.r8, f.r9
    ));
    p(format_args!(
        "  R10 {:#018x}  R11 {:#018x}  R12 {:#018x}\n",
        f.r10, f.r11, f.r12
    ));
    p(format_args!(
        "  R13 {:#018x}  R14 {:#018x}  R15 {:#018x}\n",
        f.r13, f.r14, f.r15
    ));
}
