//! The stubs of tasks: processes, threads, jobs, and their exceptions.

use super::{mut_ptr, ptr, raw0, raw1, raw2, raw3, raw5, raw6, status};
use syscalls_abi::numbers as nr;

/// `zx_process_create`.
#[inline]
pub fn process_create(
    job: u32,
    name: &[u8],
    options: u32,
    proc_handle: &mut u32,
    vmar_handle: &mut u32,
) -> i32 {
    let (job, name_len, options) = (job.into(), name.len() as u64, options.into());
    let (proc_handle, vmar_handle) = (mut_ptr(proc_handle), mut_ptr(vmar_handle));
    // SAFETY: `name` is `name_len` readable bytes; both outputs are writable `u32`s.
    status(unsafe {
        raw6(
            nr::process_create,
            job,
            ptr(name),
            name_len,
            options,
            proc_handle,
            vmar_handle,
        )
    })
}

/// `zx_process_start`: `arg1` is a handle moved into the new process (consumed either way).
#[inline]
pub fn process_start(
    process: u32,
    thread: u32,
    entry: usize,
    stack: usize,
    arg1: u32,
    arg2: usize,
) -> i32 {
    let (process, thread, entry, stack) =
        (process.into(), thread.into(), entry as u64, stack as u64);
    // SAFETY: no pointers into this process: `entry` and `stack` are addresses in the new
    // process.
    status(unsafe {
        raw6(
            nr::process_start,
            process,
            thread,
            entry,
            stack,
            arg1.into(),
            arg2 as u64,
        )
    })
}

/// `zx_process_exit`: ends the calling process with `retcode`.
#[inline]
pub fn process_exit(retcode: i64) -> ! {
    // SAFETY: no pointer arguments; the syscall does not return.
    unsafe { raw1(nr::process_exit, retcode as u64) };
    unreachable!("zx_process_exit returned")
}

/// `zx_process_read_memory`: from `vaddr` in the target into `buffer`.
#[inline]
pub fn process_read_memory(
    handle: u32,
    vaddr: usize,
    buffer: &mut [u8],
    actual: &mut usize,
) -> i32 {
    let (handle, vaddr, len) = (handle.into(), vaddr as u64, buffer.len() as u64);
    let (buffer, actual) = (mut_ptr(buffer), mut_ptr(actual));
    // SAFETY: `buffer` is `len` writable bytes of this process; `actual` a writable `usize`.
    status(unsafe { raw5(nr::process_read_memory, handle, vaddr, buffer, len, actual) })
}

/// `zx_process_write_memory`: `buffer` to `vaddr` in the target.
///
/// Aimed at this process itself it can change memory behind Rust's back; the conformance
/// suite aims it only at other processes and at pages no Rust value lives in.
#[inline]
pub fn process_write_memory(handle: u32, vaddr: usize, buffer: &[u8], actual: &mut usize) -> i32 {
    let (handle, vaddr, len) = (handle.into(), vaddr as u64, buffer.len() as u64);
    let (buffer, actual) = (ptr(buffer), mut_ptr(actual));
    // SAFETY: `buffer` is `len` readable bytes; `actual` a writable `usize`.
    status(unsafe { raw5(nr::process_write_memory, handle, vaddr, buffer, len, actual) })
}

/// `zx_thread_create`.
#[inline]
pub fn thread_create(process: u32, name: &[u8], options: u32, out: &mut u32) -> i32 {
    let (process, name_len, options) = (process.into(), name.len() as u64, options.into());
    // SAFETY: `name` is `name_len` readable bytes; `out` a writable `u32`.
    status(unsafe {
        raw5(
            nr::thread_create,
            process,
            ptr(name),
            name_len,
            options,
            mut_ptr(out),
        )
    })
}

/// `zx_thread_start`.
#[inline]
pub fn thread_start(handle: u32, entry: usize, stack: usize, arg1: usize, arg2: usize) -> i32 {
    let (handle, entry, stack) = (handle.into(), entry as u64, stack as u64);
    // SAFETY: no pointers the kernel follows; what the new thread does with `entry`, `stack`
    // and its arguments is the starter's contract (see `runtime`).
    status(unsafe {
        raw5(
            nr::thread_start,
            handle,
            entry,
            stack,
            arg1 as u64,
            arg2 as u64,
        )
    })
}

/// `zx_thread_exit`: ends the calling thread.
///
/// Crate-private: a thread that leaves without unwinding must own nothing that others borrow,
/// which only the library's thread entry can promise.
#[inline]
pub(crate) fn thread_exit() -> ! {
    // SAFETY: no pointer arguments; the syscall does not return.
    unsafe { raw0(nr::thread_exit) };
    unreachable!("zx_thread_exit returned")
}

/// `zx_job_create`.
#[inline]
pub fn job_create(parent: u32, options: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw3(nr::job_create, parent.into(), options.into(), mut_ptr(out)) })
}

/// `zx_job_set_policy`: `count` records of `topic` read from `policy`.
///
/// The kernel reads at most `policy.len()` bytes; a `count` whose records need more is
/// refused by the kernel's own bound on the copy (it reads only this process's memory).
#[inline]
pub fn job_set_policy(handle: u32, options: u32, topic: u32, policy: &[u32], count: u32) -> i32 {
    let (handle, options, topic) = (handle.into(), options.into(), topic.into());
    let count = count.min(policy.len() as u32 / 2);
    // SAFETY: `policy` holds at least `count` `zx_policy_basic_t` records (two `u32`s each),
    // readable for the call.
    status(unsafe {
        raw5(
            nr::job_set_policy,
            handle,
            options,
            topic,
            ptr(policy),
            count.into(),
        )
    })
}

/// `zx_job_set_critical`.
#[inline]
pub fn job_set_critical(job: u32, options: u32, process: u32) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe {
        raw3(
            nr::job_set_critical,
            job.into(),
            options.into(),
            process.into(),
        )
    })
}

/// `zx_task_kill`.
#[inline]
pub fn task_kill(handle: u32) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe { raw1(nr::task_kill, handle.into()) })
}

/// `zx_task_create_exception_channel`.
#[inline]
pub fn task_create_exception_channel(handle: u32, options: u32, out: &mut u32) -> i32 {
    let (handle, options, out) = (handle.into(), options.into(), mut_ptr(out));
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw3(nr::task_create_exception_channel, handle, options, out) })
}

/// `zx_exception_get_thread`.
#[inline]
pub fn exception_get_thread(handle: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw2(nr::exception_get_thread, handle.into(), mut_ptr(out)) })
}

/// `zx_exception_get_process`.
#[inline]
pub fn exception_get_process(handle: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw2(nr::exception_get_process, handle.into(), mut_ptr(out)) })
}
