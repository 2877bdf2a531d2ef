//! A user thread as a future.
//!
//! The future loops: load the process's address space, enter user mode, and handle whatever
//! brought the thread back. Most syscalls never wait: the syscall entry runs them through the
//! fast path this future publishes, on the CPU's stack inside `enter`, and returns to user mode
//! without coming back here. A syscall that may wait comes back and runs as the syscall layer's
//! future, each of whose waits a kill drops at once (and with it everything the wait
//! registered); a page fault is resolved through the address space or becomes an exception that
//! the exception channels see in Zircon's order; an interrupt gives the executor a chance to run
//! others when the thread's time slice is over. The thread has no kernel stack: while it waits it
//! is this future's state, nothing more.
//!
//! The time slice is armed when the thread enters user mode with none running, and runs on
//! across the syscalls that never wait, so the commonest round trip reprograms no timer. The
//! last check for its end before user mode is made with interrupts off, which stay off until
//! user mode, so that an ending slice cannot go unnoticed in between.
//! Invariant: the slice is armed only while this future runs; it is cancelled before every
//! await and when the loop ends, so it never preempts another task.

use super::address_space;
use super::user_memory::ProcessMemory;
use crate::arch::x86_64::user::{FastSyscall, Trap, UserContext};
use crate::sched::timer;
use objects::abi::{
    ZX_EXCP_FATAL_PAGE_FAULT, ZX_EXCP_GENERAL, ZX_EXCP_HW_BREAKPOINT, ZX_EXCP_SW_BREAKPOINT,
    ZX_EXCP_UNALIGNED_ACCESS, ZX_EXCP_UNDEFINED_INSTRUCTION,
};
use objects::task::{
    ExceptionOutcome, ExceptionReport, ProcessState, StartedThread, ThreadStart, X86ExceptionData,
};
use syscalls::{StartedWait, SyscallContext};
use x86_64::instructions::interrupts;

/// How long a thread runs in user mode before it yields to other ready tasks on its CPU.
const TIME_SLICE_NS: i64 = 10_000_000;

/// CPU exception vectors with their own Zircon exception type (Intel SDM Vol. 3A, Table 6-1).
const DEBUG: u8 = 1;
const BREAKPOINT: u8 = 3;
const INVALID_OPCODE: u8 = 6;
const PAGE_FAULT: u8 = 14;
const ALIGNMENT_CHECK: u8 = 17;

/// Runs `thread` from `start` until it exits, is killed, or dies of an exception.
pub async fn run(thread: StartedThread, start: ThreadStart) {
    let process = thread.process().clone();
    let space = process.address_space().clone();
    let memory = ProcessMemory::new(&space);
    let mut context = UserContext::new(
        start.entry as u64,
        start.stack as u64,
        start.arg1 as u64,
        start.arg2 as u64,
    );
    thread.raise_start_exceptions().await;

    let syscall = SyscallContext {
        thread: thread.thread(),
        process: &process,
        memory: &memory,
        kernel: super::kernel_services(),
    };
    let executor = crate::sched::executor();
    // Most syscalls never wait: the syscall entry runs them through this, with no future to
    // build, and goes straight back to user mode unless the loop below has something to do. A
    // wait it registers for a syscall that must wait goes to `started`, for the loop to await.
    let fast_syscall = |context: &mut UserContext, started: &mut Option<StartedWait>| {
        // A thread killed since its last check runs no further syscall: the loop stops it.
        if thread.is_killed() {
            return FastSyscall::NotRun;
        }
        let (number, args) = context.syscall_args();
        let keep = |wait| *started = Some(wait);
        let Some(status) = syscalls::dispatch_now_or_start(&syscall, number, args, keep) else {
            return FastSyscall::NotRun;
        };
        context.set_syscall_result(status as u64);
        if thread.is_dying() {
            return FastSyscall::Ran;
        }
        // As at the top of the loop.
        address_space::activate(&space);
        executor.offer_ready_tasks();
        // The slice may have ended while the kernel ran the syscall. Interrupts stay off from
        // this check until user mode (the syscall entry returns with them off), so a slice that
        // ends later interrupts user code instead of going unnoticed.
        interrupts::disable();
        if timer::preempt_requested() {
            interrupts::enable();
            return FastSyscall::Ran;
        }
        FastSyscall::Resume
    };
    let mut slice = Slice::default();
    // Where the fast path leaves a wait it registered; taken by the loop at once.
    let mut started = None;
    while !thread.is_dying() {
        address_space::activate(&space);
        // Let idle CPUs take tasks queued here (by the last syscall, say) before this one runs
        // on for the rest of its slice.
        executor.offer_ready_tasks();
        slice.ensure();
        // As in the fast path: from this check on, interrupts stay off until user mode.
        interrupts::disable();
        if timer::take_preempt_request() {
            interrupts::enable();
            slice.cancel();
            executor::yield_now().await;
            continue;
        }
        let trap = context.enter_with(&mut |context| fast_syscall(context, &mut started));
        match trap {
            Trap::Syscall => {
                // The fast path left the syscall here because it may wait, with its wait
                // registered in `started` if it could.
                // A thread killed since its last check runs no further syscall.
                if thread.is_killed() {
                    // Unregistered now rather than when the thread's future ends.
                    drop(started.take());
                    break;
                }
                slice.cancel();
                // A syscall that may wait watches for the thread's kill itself, in each of its
                // waits (`syscalls::may_wait`): a kill drops the wait at once, and the loop then
                // stops, as the thread is dying.
                let (number, args) = context.syscall_args();
                let status = match &mut started {
                    Some(wait) => syscalls::dispatch_started(&syscall, number, args, wait).await,
                    None => syscalls::dispatch_waiting(&syscall, number, args).await,
                };
                // Done with, or unregistered if a kill ended it.
                started = None;
                context.set_syscall_result(status as u64);
                if timer::take_preempt_request() {
                    executor::yield_now().await;
                }
            }
            Trap::SyscallRan => {
                // The slice may have ended while the kernel ran the syscall.
                if timer::take_preempt_request() {
                    slice.cancel();
                    executor::yield_now().await;
                }
            }
            Trap::Interrupt(_) => {
                if timer::take_preempt_request() {
                    slice.cancel();
                    executor::yield_now().await;
                }
            }
            Trap::Exception {
                vector: PAGE_FAULT,
                error_code,
                fault_address,
            } => {
                // A fault resolved here never waits, so the slice runs on through it, as
                // through a syscall of the fast path.
                let access = Trap::page_fault_access(error_code);
                if space
                    .handle_page_fault(fault_address as usize, access)
                    .is_err()
                {
                    slice.cancel();
                    let report = report(PAGE_FAULT, error_code, fault_address);
                    if thread.thread().raise_exception(report).await == ExceptionOutcome::Stop {
                        break;
                    }
                }
            }
            Trap::Exception {
                vector,
                error_code,
                fault_address,
            } => {
                slice.cancel();
                let report = report(vector, error_code, fault_address);
                if thread.thread().raise_exception(report).await == ExceptionOutcome::Stop {
                    break;
                }
            }
        }
    }
    slice.cancel();
    thread.raise_exit_exception().await;
    // Dropping the started thread makes it dead, and its process too if it was the last one;
    // a dead process's page table must not stay loaded.
    drop(thread);
    if process.state() == ProcessState::Dead {
        address_space::release(&space);
    }
}

/// A user thread's time slice on its CPU: armed on the way into user mode, cancelled before the
/// thread's future awaits anything.
#[derive(Default)]
struct Slice {
    armed: bool,
}

impl Slice {
    /// Starts a slice unless one is running.
    fn ensure(&mut self) {
        if !self.armed {
            timer::preempt_in(TIME_SLICE_NS);
            self.armed = true;
        }
    }

    /// Ends the slice, if one is running, without a preemption.
    fn cancel(&mut self) {
        if core::mem::take(&mut self.armed) {
            timer::cancel_preemption();
        }
    }
}

/// The exception report of CPU exception `vector` (spec 9.1 and 9.2).
fn report(vector: u8, error_code: u64, fault_address: u64) -> ExceptionReport {
    let kind = match vector {
        PAGE_FAULT => ZX_EXCP_FATAL_PAGE_FAULT,
        INVALID_OPCODE => ZX_EXCP_UNDEFINED_INSTRUCTION,
        BREAKPOINT => ZX_EXCP_SW_BREAKPOINT,
        DEBUG => ZX_EXCP_HW_BREAKPOINT,
        ALIGNMENT_CHECK => ZX_EXCP_UNALIGNED_ACCESS,
        _ => ZX_EXCP_GENERAL,
    };
    let cr2 = if vector == PAGE_FAULT {
        fault_address
    } else {
        0
    };
    ExceptionReport {
        kind,
        arch: X86ExceptionData {
            vector: vector as u64,
            err_code: error_code,
            cr2,
        },
    }
}
