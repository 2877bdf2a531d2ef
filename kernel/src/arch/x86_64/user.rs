//! Running user code: the user register context, entering user mode, and coming back.
//!
//! [`UserContext::enter`] behaves like a call that returns at the next trap. It saves the
//! kernel's callee-saved registers and stack pointer in per-CPU data, loads the thread's user
//! registers and leaves with `sysretq` (after a syscall, when the return address is canonical)
//! or `iretq` (otherwise). When user mode traps, the entry code stores the user registers into
//! the same context, switches back to the saved kernel stack and "returns" from `enter`, so the
//! thread's future continues in the poll that called it, on the CPU's own stack. A thread has no
//! kernel stack of its own: while it is blocked it is only its future's state.
//!
//! Three ways back from user mode land here: `syscall` ([`spinel_syscall_entry`]), and
//! interrupts and exceptions, whose common stub (see [`super::trap`]) calls [`user_trap`] for
//! frames from user mode. Interrupts stay disabled from the moment `enter` publishes the context
//! until the return to the kernel's stack, and come back on as the assembly returns to `enter`.
//!
//! A syscall first goes to the fast path that [`UserContext::enter_with`] publishes: the entry
//! code saves only the caller-saved registers and the arguments, calls it on the kernel stack
//! with interrupts enabled, and returns to user mode with `sysretq` if it ran the syscall and the
//! thread can go on; only otherwise does it complete the context and return from `enter`.
//!
//! The FPU/SSE state is saved with `fxsave` on every return from `enter` and restored with
//! `fxrstor` on every entry through it; the kernel is built soft-float and never touches it in
//! between, so the syscall fast path leaves it in the registers.

use super::gdt::{KERNEL_CODE, USER_CODE, USER_DATA};
use super::percpu::{FAST_SYSCALL_DATA_OFFSET, FAST_SYSCALL_FN_OFFSET};
use super::percpu::{KERNEL_RSP_OFFSET, USER_CONTEXT_OFFSET, USER_RSP_SCRATCH_OFFSET};
use super::trap::TrapFrame;
use core::arch::global_asm;
use core::mem::offset_of;
use x86_64::VirtAddr;
use x86_64::registers::model_specific::{Efer, EferFlags, LStar, SFMask, Star};
use x86_64::registers::rflags::RFlags;

/// The first address above the user half (canonical lower half of a 48-bit address space).
pub const USER_SPACE_END: u64 = 0x0000_8000_0000_0000;

/// How the last stay in user mode ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trap {
    /// The thread executed `syscall`; the number and arguments are in its registers. The syscall
    /// fast path left it to the caller.
    Syscall,
    /// The thread executed `syscall` and the fast path ran it ([`FastSyscall::Ran`]): its result
    /// is in `rax`.
    SyscallRan,
    /// A device or inter-processor interrupt (already handled and acknowledged).
    Interrupt(u8),
    /// A CPU exception: vector, error code, and CR2 for page faults.
    Exception {
        vector: u8,
        error_code: u64,
        fault_address: u64,
    },
}

impl Trap {
    /// The access a page fault's error code describes (Intel SDM Vol. 3A, Figure 4-12: bit 1 is
    /// a write, bit 4 an instruction fetch).
    pub fn page_fault_access(error_code: u64) -> objects::vm::FaultAccess {
        const WRITE: u64 = 1 << 1;
        const INSTRUCTION_FETCH: u64 = 1 << 4;
        if error_code & INSTRUCTION_FETCH != 0 {
            objects::vm::FaultAccess::Execute
        } else if error_code & WRITE != 0 {
            objects::vm::FaultAccess::Write
        } else {
            objects::vm::FaultAccess::Read
        }
    }
}

/// The NMI vector: not the thread's exception, just an interruption.
const NMI_VECTOR: u8 = 2;

/// Values of [`UserContext::trap_kind`]. The syscall kinds come last: from `TRAP_SYSCALL` up,
/// the next entry returns with `sysretq`; below it (a new context, an interrupt, an exception,
/// or a syscall return that must not use `sysretq`) with `iretq`.
const TRAP_NONE: u64 = 0;
const TRAP_INTERRUPT: u64 = 1;
const TRAP_EXCEPTION: u64 = 2;
const TRAP_SYSCALL: u64 = 3;
const TRAP_SYSCALL_RAN: u64 = 4;

/// What the syscall fast path did with a syscall (see [`UserContext::enter_with`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FastSyscall {
    /// It ran the syscall and the thread goes on in user mode at once.
    Resume,
    /// It ran the syscall (the result is in `rax`), and the caller must look at the thread
    /// before it goes on: `enter_with` returns [`Trap::SyscallRan`].
    Ran,
    /// It did not run the syscall: `enter_with` returns [`Trap::Syscall`].
    NotRun,
}

/// The FXSAVE area (Intel SDM Vol. 1, 10.5.1): 512 bytes, 16-byte aligned.
#[derive(Clone)]
#[repr(C, align(16))]
pub struct FpuState([u8; 512]);

impl Default for FpuState {
    fn default() -> Self {
        let mut area = [0; 512];
        // FCW = 0x037f and MXCSR = 0x1f80: the power-on defaults (all exceptions masked).
        area[0..2].copy_from_slice(&0x037f_u16.to_le_bytes());
        area[24..28].copy_from_slice(&0x1f80_u32.to_le_bytes());
        FpuState(area)
    }
}

/// Everything the CPU needs to resume a user thread. `repr(C)`: the assembly uses the offsets.
#[derive(Clone, Default)]
#[repr(C)]
pub struct UserContext {
    pub rax: u64,
    /// The eight registers that carry a syscall's arguments, in argument order (indexed by
    /// [`RDI`], [`RSI`], [`RDX`], [`R10`], [`R8`], [`R9`], [`R12`], [`R13`]), so that the syscall
    /// layer reads them in place.
    pub args: [u64; 8],
    pub rbx: u64,
    /// rcx and r11 are not saved by the syscall entry: `syscall` overwrites them with rip and
    /// rflags, which the context holds, and `sysretq` loads them from there.
    pub rcx: u64,
    pub rbp: u64,
    pub r11: u64,
    pub r14: u64,
    pub r15: u64,
    pub rsp: u64,
    pub rip: u64,
    pub rflags: u64,
    /// How the last stay in user mode ended (`TRAP_*`), with the details. After a syscall
    /// (`TRAP_SYSCALL`) the next entry returns with `sysretq`; after anything else with `iretq`.
    trap_kind: u64,
    trap_vector: u64,
    trap_error_code: u64,
    trap_fault_address: u64,
    pub fpu: FpuState,
}

/// Indices of the argument registers in [`UserContext::args`] (the syscall ABI's order).
pub const RDI: usize = 0;
pub const RSI: usize = 1;
pub const RDX: usize = 2;
pub const R10: usize = 3;
pub const R8: usize = 4;
pub const R9: usize = 5;
pub const R12: usize = 6;
pub const R13: usize = 7;

impl UserContext {
    /// A context that starts at `entry` with stack `stack` and the first two arguments in
    /// `rdi` and `rsi`; every other register is zero (as `zx_thread_start` promises).
    pub fn new(entry: u64, stack: u64, arg1: u64, arg2: u64) -> UserContext {
        let mut context = UserContext {
            rip: entry,
            rsp: stack,
            rflags: USER_RFLAGS,
            ..UserContext::default()
        };
        context.args[RDI] = arg1;
        context.args[RSI] = arg2;
        context
    }

    /// Runs the thread in user mode until its next trap that is not a syscall the fast path
    /// handles: at each syscall the entry code calls `fast` on the kernel stack, with interrupts
    /// enabled, and goes straight back to user mode if it answers [`FastSyscall::Resume`].
    /// `fast` must not touch the FPU/SSE state (the kernel is soft-float), which stays in the
    /// registers across it.
    #[inline(always)]
    pub fn enter_with<F>(&mut self, fast: &mut F) -> Trap
    where
        F: FnMut(&mut UserContext) -> FastSyscall,
    {
        // The pointers stay published after the return: nothing calls them before the next
        // entry publishes its own.
        super::percpu::current()
            .set_fast_syscall(fast_syscall::<F> as *const () as u64, fast as *mut F as u64);
        self.run()
    }

    /// Runs the thread in user mode until its next trap; every syscall is one.
    #[cfg_attr(
        not(feature = "qemu-test"),
        allow(
            dead_code,
            reason = "for the tests that run user code without a thread"
        )
    )]
    pub fn enter(&mut self) -> Trap {
        self.enter_with(&mut |_: &mut UserContext| FastSyscall::NotRun)
    }

    /// Runs user mode with the fast path published.
    #[inline(always)]
    fn run(&mut self) -> Trap {
        // sysretq with a non-canonical return address faults in kernel mode on some CPUs; use
        // iretq for anything but an ordinary return into the user half, with rcx and r11 as
        // `syscall` left them. (The assembly makes user code run with interrupts enabled and no
        // I/O privilege, whichever way it returns.)
        if self.rip >= USER_SPACE_END && self.trap_kind >= TRAP_SYSCALL {
            self.rcx = self.rip;
            self.r11 = self.rflags;
            self.trap_kind = TRAP_NONE;
        }
        // SAFETY: `self` is a complete user context; the assembly enters user mode with the
        // user segment selectors and returns here, on this stack, at the next trap. The call
        // keeps rbx and rbp (which Rust cannot name as clobbers) and declares the other
        // callee-saved registers clobbered, so only the values live here are saved around it.
        unsafe {
            core::arch::asm!(
                "call {enter_user}",
                enter_user = sym spinel_enter_user,
                in("rdi") self as *mut UserContext,
                out("r12") _,
                out("r13") _,
                out("r14") _,
                out("r15") _,
                clobber_abi("C"),
            )
        };
        match self.trap_kind {
            TRAP_SYSCALL => Trap::Syscall,
            TRAP_SYSCALL_RAN => Trap::SyscallRan,
            TRAP_INTERRUPT => Trap::Interrupt(self.trap_vector as u8),
            _ => Trap::Exception {
                vector: self.trap_vector as u8,
                error_code: self.trap_error_code,
                fault_address: self.trap_fault_address,
            },
        }
    }

    /// The syscall number and its eight arguments (`rdi, rsi, rdx, r10, r8, r9, r12, r13`).
    pub fn syscall_args(&self) -> (u64, &[u64; 8]) {
        (self.rax, &self.args)
    }

    /// Sets the value a syscall returns in `rax`.
    pub fn set_syscall_result(&mut self, value: u64) {
        self.rax = value;
    }
}

/// RFLAGS of a user thread: IF set, and bit 1 (always one).
const USER_RFLAGS: u64 = RFlags::INTERRUPT_FLAG.bits() | 0x2;
/// The RFLAGS bits user code may own: arithmetic flags, direction and trap-free state.
const USER_RFLAGS_MASK: u64 = 0xcd5;

/// Configures `syscall`/`sysret` on the calling CPU (Intel SDM Vol. 2B, SYSCALL).
pub fn init_cpu() {
    // SAFETY: the selectors follow the layout sysret requires (see gdt.rs); the entry point is
    // the assembly below, which switches to the kernel GS and a kernel stack before anything
    // else. SFMASK clears IF, TF, DF and AC on entry.
    unsafe {
        Star::write(USER_CODE, USER_DATA, KERNEL_CODE, super::gdt::KERNEL_DATA)
            .expect("GDT layout fits sysret");
        LStar::write(VirtAddr::new(spinel_syscall_entry as *const () as u64));
        SFMask::write(
            RFlags::INTERRUPT_FLAG
                | RFlags::TRAP_FLAG
                | RFlags::DIRECTION_FLAG
                | RFlags::ALIGNMENT_CHECK,
        );
        Efer::update(|efer| efer.insert(EferFlags::SYSTEM_CALL_EXTENSIONS));
    }
}

/// The syscall entry's call into the fast path `data` of [`UserContext::enter_with`]: returns
/// non-zero to resume user mode at once, zero to return from `enter` (with the trap kind set).
extern "C" fn fast_syscall<F>(data: *mut F, context: *mut UserContext) -> u64
where
    F: FnMut(&mut UserContext) -> FastSyscall,
{
    // SAFETY: `enter_with` published `data` and the context for the time it runs user mode, and
    // neither is used elsewhere meanwhile: its own frame is suspended in the assembly's call.
    let (fast, context) = unsafe { (&mut *data, &mut *context) };
    match fast(context) {
        // sysretq only to the user half (see `enter`).
        FastSyscall::Resume if context.rip < USER_SPACE_END => 1,
        FastSyscall::Resume | FastSyscall::Ran => {
            context.trap_kind = TRAP_SYSCALL_RAN;
            0
        }
        FastSyscall::NotRun => 0,
    }
}

/// Called by the trap stub for every trap from user mode, on the CPU's entry stack with
/// interrupts off. Saves the user state into the running context and records the trap; the
/// stub then returns from `enter` on the kernel stack.
pub extern "C" fn user_trap(frame: &mut TrapFrame) {
    let context = super::percpu::current().user_context() as *mut UserContext;
    // SAFETY: while a CPU is in user mode its per-CPU `user_context` points at the context that
    // `enter` is running, which lives on the kernel stack frame suspended in `enter`.
    let context = unsafe { &mut *context };
    save_frame(context, frame);
    // SAFETY: fxsave writes the 512-byte, 16-byte aligned area; the kernel has not touched the
    // x87/SSE registers since the trap, so they still hold the user's state.
    unsafe { core::arch::asm!("fxsave64 [{}]", in(reg) &mut context.fpu, options(nostack)) };

    let vector = frame.vector as u8;
    if vector == NMI_VECTOR && crate::panic::another_cpu_is_reporting() {
        crate::panic::park_this_cpu();
    }
    if vector >= super::trap::FIRST_INTERRUPT_VECTOR || vector == NMI_VECTOR {
        super::interrupt::handle(vector, frame);
        context.trap_kind = TRAP_INTERRUPT;
    } else {
        context.trap_kind = TRAP_EXCEPTION;
        context.trap_error_code = frame.error_code;
        context.trap_fault_address = if frame.vector == super::exception::PAGE_FAULT {
            x86_64::registers::control::Cr2::read_raw()
        } else {
            0
        };
    }
    context.trap_vector = frame.vector;
}

fn save_frame(context: &mut UserContext, frame: &TrapFrame) {
    let f = frame;
    context.rax = f.rax;
    context.rbx = f.rbx;
    context.rcx = f.rcx;
    context.args[RDX] = f.rdx;
    context.args[RSI] = f.rsi;
    context.args[RDI] = f.rdi;
    context.rbp = f.rbp;
    context.args[R8] = f.r8;
    context.args[R9] = f.r9;
    context.args[R10] = f.r10;
    context.r11 = f.r11;
    context.args[R12] = f.r12;
    context.args[R13] = f.r13;
    context.r14 = f.r14;
    context.r15 = f.r15;
    context.rip = f.rip;
    context.rsp = f.rsp;
    context.rflags = f.rflags;
}

unsafe extern "C" {
    /// Enters user mode with `context`; returns at the next trap, with interrupts enabled.
    /// Keeps rbx and rbp only: its one caller declares every other register clobbered.
    fn spinel_enter_user(context: *mut UserContext);
    fn spinel_syscall_entry();
}

global_asm!(
    r#"
    .section .text.spinel_user, "ax"

    // void spinel_enter_user(UserContext *context), preserving only rbx and rbp
    .global spinel_enter_user
spinel_enter_user:
    push rbx
    push rbp
    cli
    mov gs:[{kernel_rsp}], rsp
    mov gs:[{user_context}], rdi
    fxrstor64 [rdi + {fpu}]
    cmp qword ptr [rdi + {trap_kind}], {trap_syscall}
    jb 2f

    // Return from a syscall: rcx and r11 carry rip and rflags. User code always runs with
    // interrupts enabled and no I/O privilege.
    mov rcx, [rdi + {rip}]
    mov r11, [rdi + {rflags}]
    and r11, {rflags_mask}
    or r11, {rflags_set}
    mov rax, [rdi + {rax}]
    mov rbx, [rdi + {rbx}]
    mov rdx, [rdi + {rdx}]
    mov rsi, [rdi + {rsi}]
    mov rbp, [rdi + {rbp}]
    mov r8, [rdi + {r8}]
    mov r9, [rdi + {r9}]
    mov r10, [rdi + {r10}]
    mov r12, [rdi + {r12}]
    mov r13, [rdi + {r13}]
    mov r14, [rdi + {r14}]
    mov r15, [rdi + {r15}]
    mov rsp, [rdi + {rsp}]
    mov rdi, [rdi + {rdi}]
    swapgs
    sysretq

2:  // Anything else: a full iretq frame.
    push {user_ss}
    push qword ptr [rdi + {rsp}]
    mov rax, [rdi + {rflags}]
    and rax, {rflags_mask}
    or rax, {rflags_set}
    push rax
    push {user_cs}
    push qword ptr [rdi + {rip}]
    mov rax, [rdi + {rax}]
    mov rbx, [rdi + {rbx}]
    mov rcx, [rdi + {rcx}]
    mov rdx, [rdi + {rdx}]
    mov rsi, [rdi + {rsi}]
    mov rbp, [rdi + {rbp}]
    mov r8, [rdi + {r8}]
    mov r9, [rdi + {r9}]
    mov r10, [rdi + {r10}]
    mov r11, [rdi + {r11}]
    mov r12, [rdi + {r12}]
    mov r13, [rdi + {r13}]
    mov r14, [rdi + {r14}]
    mov r15, [rdi + {r15}]
    mov rdi, [rdi + {rdi}]
    swapgs
    iretq

    // Entered by `syscall`: rcx = user rip, r11 = user rflags, IF/TF/DF/AC cleared by SFMASK.
    // Saves what the fast path may clobber or read (the caller-saved registers and the
    // arguments), then calls it on the kernel stack with interrupts enabled. The callee-saved
    // user registers survive the call, and the kernel never touches the FPU/SSE state, so they
    // are saved only when the syscall goes on to the thread's future.
    .global spinel_syscall_entry
spinel_syscall_entry:
    swapgs
    mov gs:[{user_rsp_scratch}], rsp
    mov rsp, gs:[{user_context}]
    mov [rsp + {rax}], rax
    mov [rsp + {rdx}], rdx
    mov [rsp + {rsi}], rsi
    mov [rsp + {rdi}], rdi
    mov [rsp + {r8}], r8
    mov [rsp + {r9}], r9
    mov [rsp + {r10}], r10
    mov [rsp + {r12}], r12
    mov [rsp + {r13}], r13
    mov [rsp + {rip}], rcx
    mov [rsp + {rflags}], r11
    mov rax, gs:[{user_rsp_scratch}]
    mov [rsp + {rsp}], rax
    mov qword ptr [rsp + {trap_kind}], {trap_syscall}
    mov rsi, rsp
    mov rsp, gs:[{kernel_rsp}]
    // Keeps the context, and aligns the stack to 16 bytes for the call.
    push rsi
    mov rdi, gs:[{fast_data}]
    sti
    call qword ptr gs:[{fast_fn}]
    cli
    pop rdi
    test rax, rax
    jz 3f

    // Back to user mode: the registers the call may have clobbered come from the context.
    mov rcx, [rdi + {rip}]
    mov r11, [rdi + {rflags}]
    and r11, {rflags_mask}
    or r11, {rflags_set}
    mov rax, [rdi + {rax}]
    mov rdx, [rdi + {rdx}]
    mov rsi, [rdi + {rsi}]
    mov r8, [rdi + {r8}]
    mov r9, [rdi + {r9}]
    mov r10, [rdi + {r10}]
    mov rsp, [rdi + {rsp}]
    mov rdi, [rdi + {rdi}]
    swapgs
    sysretq

3:  // On to the thread's future: complete the context and return from `enter`.
    mov [rdi + {rbx}], rbx
    mov [rdi + {rbp}], rbp
    mov [rdi + {r14}], r14
    mov [rdi + {r15}], r15
    fxsave64 [rdi + {fpu}]
    mov rsp, gs:[{kernel_rsp}]
    // Falls through.

    // Unwinds the frame `spinel_enter_user` pushed and returns to its caller, with interrupts
    // enabled (from the instruction after `ret`).
    .global spinel_return_to_kernel
spinel_return_to_kernel:
    mov qword ptr gs:[{user_context}], 0
    pop rbp
    pop rbx
    sti
    ret
    "#,
    kernel_rsp = const KERNEL_RSP_OFFSET,
    user_context = const USER_CONTEXT_OFFSET,
    user_rsp_scratch = const USER_RSP_SCRATCH_OFFSET,
    fast_fn = const FAST_SYSCALL_FN_OFFSET,
    fast_data = const FAST_SYSCALL_DATA_OFFSET,
    user_ss = const USER_DATA.0 as u64,
    user_cs = const USER_CODE.0 as u64,
    trap_syscall = const TRAP_SYSCALL,
    rflags_mask = const USER_RFLAGS_MASK,
    rflags_set = const USER_RFLAGS,
    rax = const offset_of!(UserContext, rax),
    rbx = const offset_of!(UserContext, rbx),
    rcx = const offset_of!(UserContext, rcx),
    rdx = const offset_of!(UserContext, args) + 8 * RDX,
    rsi = const offset_of!(UserContext, args) + 8 * RSI,
    rdi = const offset_of!(UserContext, args) + 8 * RDI,
    rbp = const offset_of!(UserContext, rbp),
    r8 = const offset_of!(UserContext, args) + 8 * R8,
    r9 = const offset_of!(UserContext, args) + 8 * R9,
    r10 = const offset_of!(UserContext, args) + 8 * R10,
    r11 = const offset_of!(UserContext, r11),
    r12 = const offset_of!(UserContext, args) + 8 * R12,
    r13 = const offset_of!(UserContext, args) + 8 * R13,
    r14 = const offset_of!(UserContext, r14),
    r15 = const offset_of!(UserContext, r15),
    rsp = const offset_of!(UserContext, rsp),
    rip = const offset_of!(UserContext, rip),
    rflags = const offset_of!(UserContext, rflags),
    trap_kind = const offset_of!(UserContext, trap_kind),
    fpu = const offset_of!(UserContext, fpu),
);
