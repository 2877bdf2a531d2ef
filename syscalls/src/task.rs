//! Task syscalls (spec §3, §11): processes, threads and jobs, their creation, start, exit,
//! kill and policies, and the memory of another process.
//!
//! The objects' `task::ops` check each call's handles, rights and states in Zircon's order;
//! this layer copies names and buffers and hands out the new handles. Names are copied up to
//! `ZX_MAX_NAME_LEN - 1` bytes (a longer name is truncated, as the objects would truncate
//! it). `zx_process_read_memory` and `zx_process_write_memory` move at most 64 MiB, through a
//! kernel buffer of at most [`MEMORY_CHUNK_BYTES`], and report the bytes moved in `actual`
//! (required): a range that runs into unmapped memory moves what it can.
//!
//! `zx_process_exit` and `zx_thread_exit` only mark the thread dying; the kernel sees it
//! after the syscall returns and ends the thread, so their return value is never seen.

use alloc::vec;
use alloc::vec::Vec;

use objects::abi::{HandleValue, ZX_MAX_NAME_LEN};
use objects::task::{BasicPolicy, PROCESS_MEMORY_MAX_BYTES, PolicyRequest, TimerSlackPolicy, ops};
use objects::{Status, ZxResult};

use crate::abi::{
    Wire, ZX_JOB_POL_BASIC, ZX_JOB_POL_TIMER_SLACK, ZX_POL_MAX, zx_handle_t, zx_policy_basic_t,
    zx_policy_timer_slack_t, zx_vaddr_t,
};
use crate::context::SyscallContext;
use crate::handle;
use crate::user_ptr::UserPtr;

/// The most bytes one step of `zx_process_read_memory` or `zx_process_write_memory` holds in
/// the kernel.
pub(crate) const MEMORY_CHUNK_BYTES: usize = 64 * 1024;

/// The most bytes of a name the kernel keeps (the rest of `ZX_MAX_NAME_LEN` is the NUL).
const NAME_BYTES: usize = ZX_MAX_NAME_LEN - 1;

/// `zx_process_create`: INVALID_ARGS (a bad `name`); then the errors of
/// [`ops::process_create`]; INVALID_ARGS (a bad `proc_handle` or `vmar_handle`: the new
/// process, never started, dies with its handles).
pub(crate) fn process_create(
    cx: &SyscallContext<'_>,
    job: HandleValue,
    name: UserPtr<u8>,
    name_size: usize,
    options: u32,
    out: [UserPtr<zx_handle_t>; 2],
) -> ZxResult {
    let mut buf = [0; NAME_BYTES];
    let name = read_name(cx, name, name_size, &mut buf)?;
    let handles = ops::process_create(cx.process, job, name, options)?;
    handle::give_pair(cx, handles, out)
}

/// `zx_process_start`: the errors of [`ops::process_start`]; `arg1` is consumed whatever
/// happens.
pub(crate) fn process_start(
    cx: &SyscallContext<'_>,
    process: HandleValue,
    thread: HandleValue,
    entry: zx_vaddr_t,
    stack: zx_vaddr_t,
    arg1: HandleValue,
    arg2: usize,
) -> ZxResult {
    ops::process_start(cx.handles(), process, thread, entry, stack, arg1, arg2)
}

/// `zx_process_exit`: ends the calling process with `retcode`.
pub(crate) fn process_exit(cx: &SyscallContext<'_>, retcode: i64) -> ZxResult {
    cx.process.exit(retcode);
    Ok(())
}

/// `zx_process_read_memory`: INVALID_ARGS (size 0 or over 64 MiB); BAD_HANDLE, WRONG_TYPE,
/// ACCESS_DENIED (not both `READ` and `WRITE`); BAD_STATE (the process is dying); NO_MEMORY
/// (nothing mapped at `vaddr`); INVALID_ARGS (a bad `buffer` or `actual`).
pub(crate) fn process_read_memory(
    cx: &SyscallContext<'_>,
    process: HandleValue,
    vaddr: zx_vaddr_t,
    buffer: UserPtr<u8>,
    buffer_size: usize,
    actual: UserPtr<usize>,
) -> ZxResult {
    check_memory_len(buffer_size)?;
    let mut chunk = vec![0; buffer_size.min(MEMORY_CHUNK_BYTES)];
    let mut done = 0;
    while done < buffer_size {
        let Some(at) = vaddr.checked_add(done) else {
            break;
        };
        let want = (buffer_size - done).min(MEMORY_CHUNK_BYTES);
        let read = match ops::process_read_memory(cx.handles(), process, at, &mut chunk[..want]) {
            Ok(read) => read,
            Err(status) if done == 0 => return Err(status),
            Err(_) => break,
        };
        buffer
            .offset(done)?
            .write_bytes(cx.memory, &chunk[..read])?;
        done += read;
        if read < want {
            break;
        }
    }
    actual.write(cx.memory, &done)
}

/// `zx_process_write_memory` (always enabled, ruling 14.7): as
/// [`process_read_memory`], needing only `WRITE`.
pub(crate) fn process_write_memory(
    cx: &SyscallContext<'_>,
    process: HandleValue,
    vaddr: zx_vaddr_t,
    buffer: UserPtr<u8>,
    buffer_size: usize,
    actual: UserPtr<usize>,
) -> ZxResult {
    check_memory_len(buffer_size)?;
    let mut chunk = vec![0; buffer_size.min(MEMORY_CHUNK_BYTES)];
    let mut done = 0;
    while done < buffer_size {
        let Some(at) = vaddr.checked_add(done) else {
            break;
        };
        let want = (buffer_size - done).min(MEMORY_CHUNK_BYTES);
        let piece = &mut chunk[..want];
        buffer.offset(done)?.read_bytes(cx.memory, piece)?;
        let written = match ops::process_write_memory(cx.handles(), process, at, piece) {
            Ok(written) => written,
            Err(status) if done == 0 => return Err(status),
            Err(_) => break,
        };
        done += written;
        if written < want {
            break;
        }
    }
    actual.write(cx.memory, &done)
}

/// `zx_thread_create`: INVALID_ARGS (a bad `name`); then the errors of
/// [`ops::thread_create`]; INVALID_ARGS (a bad `out`: the new thread, never started, dies
/// with its handle).
pub(crate) fn thread_create(
    cx: &SyscallContext<'_>,
    process: HandleValue,
    name: UserPtr<u8>,
    name_size: usize,
    options: u32,
    out: UserPtr<zx_handle_t>,
) -> ZxResult {
    let mut buf = [0; NAME_BYTES];
    let name = read_name(cx, name, name_size, &mut buf)?;
    let thread = ops::thread_create(cx.handles(), process, name, options)?;
    handle::give(cx, thread, out)
}

/// `zx_thread_start`: the errors of [`ops::thread_start`].
pub(crate) fn thread_start(
    cx: &SyscallContext<'_>,
    thread: HandleValue,
    entry: zx_vaddr_t,
    stack: zx_vaddr_t,
    arg1: usize,
    arg2: usize,
) -> ZxResult {
    ops::thread_start(cx.handles(), thread, entry, stack, arg1, arg2)
}

/// `zx_thread_exit`: ends the calling thread.
pub(crate) fn thread_exit(cx: &SyscallContext<'_>) -> ZxResult {
    cx.thread.exit();
    Ok(())
}

/// `zx_job_create`: the errors of [`ops::job_create`]; INVALID_ARGS (a bad `out`: the new
/// job goes with its handle).
pub(crate) fn job_create(
    cx: &SyscallContext<'_>,
    parent: HandleValue,
    options: u32,
    out: UserPtr<zx_handle_t>,
) -> ZxResult {
    let job = ops::job_create(cx.handles(), parent, options)?;
    handle::give(cx, job, out)
}

/// `zx_task_kill`: the errors of [`ops::task_kill`].
pub(crate) fn task_kill(cx: &SyscallContext<'_>, handle: HandleValue) -> ZxResult {
    ops::task_kill(cx.handles(), handle)
}

/// `zx_job_set_policy`: INVALID_ARGS (an unknown topic, a bad `policy`); then the errors of
/// [`ops::job_set_policy`]. At most one entry more than a topic allows is copied, which is
/// enough for the objects to refuse the count.
pub(crate) fn job_set_policy(
    cx: &SyscallContext<'_>,
    job: HandleValue,
    options: u32,
    topic: u32,
    policy: UserPtr<u8>,
    count: u32,
) -> ZxResult {
    match topic {
        ZX_JOB_POL_BASIC => {
            let entries: Vec<BasicPolicy> =
                read_entries::<zx_policy_basic_t>(cx, policy, count, ZX_POL_MAX as usize + 1)?
                    .iter()
                    .map(|entry| BasicPolicy {
                        condition: entry.condition,
                        action: entry.policy,
                    })
                    .collect();
            ops::job_set_policy(cx.handles(), job, options, PolicyRequest::Basic(&entries))
        }
        ZX_JOB_POL_TIMER_SLACK => {
            let entries: Vec<TimerSlackPolicy> =
                read_entries::<zx_policy_timer_slack_t>(cx, policy, count, 2)?
                    .iter()
                    .map(|entry| TimerSlackPolicy {
                        min_slack: entry.min_slack,
                        default_mode: entry.default_mode,
                    })
                    .collect();
            let request = PolicyRequest::TimerSlack(&entries);
            ops::job_set_policy(cx.handles(), job, options, request)
        }
        _ => Err(Status::InvalidArgs),
    }
}

/// `zx_job_set_critical`: the errors of [`ops::job_set_critical`].
pub(crate) fn job_set_critical(
    cx: &SyscallContext<'_>,
    job: HandleValue,
    options: u32,
    process: HandleValue,
) -> ZxResult {
    ops::job_set_critical(cx.handles(), job, options, process)
}

/// The first `min(name_size, 31)` bytes at `name`, in `buf`.
fn read_name<'b>(
    cx: &SyscallContext<'_>,
    name: UserPtr<u8>,
    name_size: usize,
    buf: &'b mut [u8; NAME_BYTES],
) -> ZxResult<&'b [u8]> {
    let name_bytes = &mut buf[..name_size.min(NAME_BYTES)];
    name.read_bytes(cx.memory, name_bytes)?;
    Ok(name_bytes)
}

/// INVALID_ARGS for a process memory transfer of 0 bytes or over 64 MiB (spec §3.4).
fn check_memory_len(len: usize) -> ZxResult {
    if len == 0 || len > PROCESS_MEMORY_MAX_BYTES {
        return Err(Status::InvalidArgs);
    }
    Ok(())
}

/// The first `min(count, limit)` policy entries at `policy`.
fn read_entries<T: Wire>(
    cx: &SyscallContext<'_>,
    policy: UserPtr<u8>,
    count: u32,
    limit: usize,
) -> ZxResult<Vec<T>> {
    UserPtr::<T>::new(policy.address()).read_array(cx.memory, (count as usize).min(limit))
}
