//! The cases of threads, processes and jobs, on one CPU.
//!
//! - `thread_lifecycle`: `zx_thread_create`, `zx_thread_start`, the thread's run (its first
//!   instruction calls `zx_thread_exit`), `zx_object_wait_one` for `THREAD_TERMINATED` and
//!   `zx_handle_close` of the thread, which frees it. The thread runs on a stack mapped once
//!   outside the loop, as glibc reuses a joined thread's stack. Linux: `pthread_create` of a
//!   thread that returns at once, and `pthread_join`.
//! - `process_lifecycle`: the process builder starting `exit0` in a job (`zx_process_create`,
//!   reading the ELF headers from its VMO, mapping its segments, a stack VMO, the first
//!   thread, the startup channel and message, `zx_process_start`: about 20 syscalls), the
//!   process's run to its `zx_process_exit(0)`, the wait for `TASK_TERMINATED` and closing the
//!   process and thread handles, which frees the process. Linux: `posix_spawn` of the
//!   equivalent `exit0` and `waitpid`.
//! - `job_kill_10`: a fresh job holds 10 `waiter` processes, each blocked in
//!   `zx_object_wait_one` (checked outside the span), and no handle to them is left but the
//!   job's; the span is `zx_task_kill` of the job and the wait for `JOB_TERMINATED`, which
//!   comes once the last process has died and left the job. Linux: `kill(-pgid, SIGKILL)` of a
//!   process group of 10 processes asleep in futex wait, and the 10 `waitpid`s that reap them.

use alloc::vec::Vec;
use user::vm::{PAGE_SIZE, VmOptions};
use user::{AsHandleRef, ProcessBuilder, Signals, Task, Time, Vmo, rt, sys::tsc};

use crate::harness::{CaseResult, Context, Failure, OrFail};
use crate::ipc::wait_until_blocked;

/// Processes in the job that `job_kill_10` kills.
const JOB_PROCESSES: usize = 10;
/// Stack of `thread_lifecycle`'s threads (they use a few bytes of it).
const THREAD_STACK: usize = 4 * PAGE_SIZE;

/// The first and only code of `thread_lifecycle`'s threads.
extern "C" fn exit_at_once(_arg1: usize, _arg2: usize) -> ! {
    user::thread::exit()
}

/// `thread_lifecycle`.
pub fn thread_lifecycle(_cx: &Context, iterations: usize) -> CaseResult {
    let stack = Vmo::create(THREAD_STACK as u64).or_fail("vmo_create")?;
    let base = rt::root_vmar()
        .map(VmOptions::PERM_RW, 0, &stack, 0, THREAD_STACK)
        .or_fail("vmar_map")?;
    // As right after a call: 16-byte aligned top, minus the return address's slot.
    let stack_pointer = base + THREAD_STACK - 8;
    let entry = exit_at_once as extern "C" fn(usize, usize) -> ! as usize;
    let process = rt::process_self();

    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = tsc::read();
        let thread = process
            .create_thread("bench-thread")
            .or_fail("thread_create")?;
        thread
            .start(entry, stack_pointer, 0, 0)
            .or_fail("thread_start")?;
        thread
            .wait_one(Signals::THREAD_TERMINATED, Time::INFINITE)
            .or_fail("object_wait_one")?;
        drop(thread);
        samples.push(tsc::read() - start);
    }
    rt::root_vmar()
        .unmap(base, THREAD_STACK)
        .or_fail("vmar_unmap")?;
    Ok(samples)
}

/// `process_lifecycle`. One `exit0` is started and checked to return 0 before the measured
/// loop, which keeps no handle open long enough to ask.
pub fn process_lifecycle(cx: &Context, iterations: usize) -> CaseResult {
    let job = cx.job.create_child().or_fail("job_create")?;
    let check = ProcessBuilder::new(&job, "exit0", &cx.exit0)
        .spawn()
        .or_fail("spawn")?;
    check
        .process
        .wait_terminated(Time::INFINITE)
        .or_fail("waiting for exit0")?;
    let code = check.process.info().or_fail("process info")?.return_code;
    if code != 0 {
        return Err(Failure(alloc::format!("exit0 returned {code}")));
    }

    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = tsc::read();
        let spawned = ProcessBuilder::new(&job, "exit0", &cx.exit0)
            .spawn()
            .or_fail("spawn")?;
        spawned
            .process
            .wait_terminated(Time::INFINITE)
            .or_fail("object_wait_one")?;
        drop(spawned);
        samples.push(tsc::read() - start);
    }
    Ok(samples)
}

/// `job_kill_10`.
pub fn job_kill_10(cx: &Context, iterations: usize) -> CaseResult {
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let job = cx.job.create_child().or_fail("job_create")?;
        let mut members = Vec::with_capacity(JOB_PROCESSES);
        for _ in 0..JOB_PROCESSES {
            let member = ProcessBuilder::new(&job, "waiter", &cx.waiter)
                .spawn()
                .or_fail("spawn")?;
            members.push(member);
        }
        for member in &members {
            wait_until_blocked(&member.thread)?;
        }
        drop(members);

        let start = tsc::read();
        job.kill().or_fail("task_kill")?;
        job.wait_one(Signals::JOB_TERMINATED, Time::INFINITE)
            .or_fail("object_wait_one")?;
        samples.push(tsc::read() - start);
    }
    Ok(samples)
}
