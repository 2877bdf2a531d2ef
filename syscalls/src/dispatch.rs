//! The dispatch table: from a syscall number and its raw arguments to the family that runs it.
//!
//! Arguments come as eight `u64`s in the order of the syscall's C signature (see
//! [`numbers`]); [`Args`] narrows each to its C type (a 32-bit argument is the low half of its
//! register, a pointer becomes a [`UserPtr`]). Every syscall returns a `zx_status_t`, except
//! `zx_clock_get_monotonic`, which returns the time.
//!
//! After a syscall fails, the caller's job policy has its say: `BAD_HANDLE` applies
//! `ZX_POL_BAD_HANDLE` (except for `ZX_INFO_HANDLE_VALID`, whose purpose is to ask) and
//! `WRONG_TYPE` applies `ZX_POL_WRONG_OBJECT`. The status stays what it was; a `KILL` action
//! leaves the thread dying, which the kernel sees on return (spec §11, ruling 14.8).

use log::debug;
use objects::abi::{HandleValue, status_of};
use objects::task::PolicyCondition;
use objects::{Status, ZxResult};

use crate::abi::{ZX_INFO_HANDLE_VALID, numbers};
use crate::channel::{self, ReadBuffers};
use crate::context::SyscallContext;
use crate::info::{self, InfoBuffer};
use crate::user_ptr::UserPtr;
use crate::{debug as debug_log, event, exception, handle, object, port, property, task, time};
use crate::{vmar, vmo};

/// Runs syscall `number` with `args` (in register order); resolves to the `zx_status_t` that
/// goes back in `rax` (the time, for `zx_clock_get_monotonic`).
pub async fn dispatch(context: &SyscallContext<'_>, number: u64, args: [u64; 8]) -> i64 {
    match dispatch_now(context, number, &args) {
        Some(value) => value,
        None => dispatch_waiting(context, number, &args).await,
    }
}

/// Runs syscall `number` at once if it is one that never waits, or one that may wait
/// ([`may_wait`]) but can end without waiting, and returns the value for `rax`; `None` for a
/// syscall that must wait, which [`dispatch_waiting`] runs. The kernel calls this first, so
/// that most syscalls build no future at all. Inlined into the kernel's syscall fast path, which
/// then needs no second call frame (the table is compiled once more there: about 3 KB of kernel
/// text).
#[inline]
pub fn dispatch_now(context: &SyscallContext<'_>, number: u64, args: &[u64; 8]) -> Option<i64> {
    dispatch_now_with(context, number, args, |a| {
        run_waiting_now(context, number, a)
    })
}

/// A syscall's wait that [`dispatch_now_or_start`] registered, for [`dispatch_started`] to
/// await: the wait is tied to its handle already, which was looked up once.
pub struct StartedWait(Started);

/// The syscalls whose waits the fast path starts.
enum Started {
    WaitOne(object::StartedWaitOne),
}

/// [`dispatch_now`], except that a `zx_object_wait_one` that must wait is registered at once
/// and handed to `keep`, for [`dispatch_started`] to await, rather than given up to be looked
/// up again by [`dispatch_waiting`]. The kernel's fast path calls this.
#[inline]
pub fn dispatch_now_or_start(
    context: &SyscallContext<'_>,
    number: u64,
    args: &[u64; 8],
    keep: impl FnOnce(StartedWait),
) -> Option<i64> {
    dispatch_now_with(context, number, args, |a| {
        if number != numbers::object_wait_one {
            return run_waiting_now(context, number, a);
        }
        match object::wait_one_or_start(context, a.handle(0), a.u32(1), a.i64(2), a.ptr(3)) {
            Ok(result) => Some(result),
            Err(wait) => {
                keep(StartedWait(Started::WaitOne(wait)));
                None
            }
        }
    })
}

/// [`dispatch_now`] with `waiting_now` for the syscalls that may wait.
#[inline(always)]
fn dispatch_now_with(
    context: &SyscallContext<'_>,
    number: u64,
    args: &[u64; 8],
    waiting_now: impl FnOnce(Args<'_>) -> Option<ZxResult>,
) -> Option<i64> {
    let result = match run_now(context, number, Args(args)) {
        Ran::Done(result) => result,
        Ran::Time(now) => {
            debug!("clock_get_monotonic() -> {now}");
            return Some(now);
        }
        Ran::MayWait => waiting_now(Args(args))?,
    };
    Some(finish(context, number, args, result))
}

/// Runs the rest of syscall `number` (with `args`), whose wait [`dispatch_now_or_start`]
/// registered in `started`; resolves as [`dispatch_waiting`] would have. The wait is borrowed
/// rather than moved into the future; the caller drops it once this returns (when the thread
/// was killed meanwhile, that unregisters it).
pub async fn dispatch_started(
    context: &SyscallContext<'_>,
    number: u64,
    args: &[u64; 8],
    started: &mut StartedWait,
) -> i64 {
    let result = match &mut started.0 {
        Started::WaitOne(wait) => object::wait_one_started(context, wait).await,
    };
    finish(context, number, args, result)
}

/// Runs a syscall for which [`dispatch_now`] returned `None` (any other number works too: one
/// that never waits runs at once, one that may wait runs as its future, which ends at its first
/// poll if it need not wait). The arguments are borrowed, not copied into the future.
pub async fn dispatch_waiting(context: &SyscallContext<'_>, number: u64, args: &[u64; 8]) -> i64 {
    if !may_wait(number)
        && let Some(value) = dispatch_now(context, number, args)
    {
        return value;
    }
    let result = run_waiting(context, number, Args(args)).await;
    finish(context, number, args, result)
}

/// Whether syscall `number` may wait: the only ones whose work is a future.
///
/// Each of them awaits only inside [`SyscallContext::blocking`], which also watches for the
/// thread being killed and then drops the wait and ends the syscall with
/// `INTERNAL_INTR_KILLED`; the kernel relies on this rather than watching for the kill a second
/// time around the whole syscall.
pub fn may_wait(number: u64) -> bool {
    matches!(
        number,
        numbers::object_wait_one
            | numbers::object_wait_many
            | numbers::port_wait
            | numbers::nanosleep
            | numbers::channel_call
    )
}

/// After a syscall: the policy of a failure, the log line, and the value for `rax`.
#[inline]
fn finish(context: &SyscallContext<'_>, number: u64, args: &[u64; 8], result: ZxResult) -> i64 {
    if let Err(status) = result {
        apply_policy(context, number, args, status);
    }
    // The level test alone stays on the syscall's path; the line is built out of line.
    if log::Level::Debug <= log::max_level() {
        log_syscall(number, args, result);
    }
    status_of(&result).into()
}

/// The debug log line of a finished syscall.
#[cold]
#[inline(never)]
fn log_syscall(number: u64, args: &[u64; 8], result: ZxResult) {
    debug!(
        "{}({}) -> {}",
        Name(number),
        LoggedArgs(args),
        Outcome(&result)
    );
}

/// What [`run_now`] made of a syscall.
enum Ran {
    /// It ran, with this result.
    Done(ZxResult),
    /// It was `zx_clock_get_monotonic`, which returns the time instead of a status.
    Time(i64),
    /// It may wait ([`may_wait`]): [`run_waiting`] runs it.
    MayWait,
}

/// The table of the syscalls that may wait.
async fn run_waiting(cx: &SyscallContext<'_>, number: u64, a: Args<'_>) -> ZxResult {
    use numbers as n;
    match number {
        n::object_wait_one => object::wait_one(cx, a.handle(0), a.u32(1), a.i64(2), a.ptr(3)).await,
        n::object_wait_many => object::wait_many(cx, a.ptr(0), a.usize(1), a.i64(2)).await,
        n::port_wait => port::wait(cx, a.handle(0), a.i64(1), a.ptr(2)).await,
        n::nanosleep => time::nanosleep(cx, a.i64(0)).await,
        n::channel_call => {
            let (actual_bytes, actual_handles) = (a.ptr(4), a.ptr(5));
            let (handle, options, deadline) = (a.handle(0), a.u32(1), a.i64(2));
            channel::call(
                cx,
                handle,
                options,
                deadline,
                a.ptr(3),
                actual_bytes,
                actual_handles,
            )
            .await
        }
        _ => unreachable!("{number} does not wait"),
    }
}

/// The table of the syscalls that may wait, tried without waiting: each ends at once, with the
/// outcome its future would have had, when it need not wait (the packet or signal is there,
/// the deadline has passed), and answers `None` otherwise.
fn run_waiting_now(cx: &SyscallContext<'_>, number: u64, a: Args<'_>) -> Option<ZxResult> {
    use numbers as n;
    match number {
        n::object_wait_one => object::wait_one_now(cx, a.handle(0), a.u32(1), a.i64(2), a.ptr(3)),
        n::object_wait_many => object::wait_many_now(cx, a.ptr(0), a.usize(1), a.i64(2)),
        n::port_wait => port::wait_now(cx, a.handle(0), a.i64(1), a.ptr(2)),
        n::nanosleep => time::nanosleep_now(cx, a.i64(0)),
        // A call always waits for its reply, which its request has yet to ask for.
        n::channel_call => None,
        _ => unreachable!("{number} does not wait"),
    }
}

/// The table of the syscalls that never wait, in one `match` so that it compiles to one jump
/// table; the syscalls that may wait fall through to its last arms. Always inlined, so that
/// the kernel's fast path has it in its own frame.
#[inline(always)]
fn run_now(cx: &SyscallContext<'_>, number: u64, a: Args<'_>) -> Ran {
    use numbers as n;
    let result = match number {
        n::clock_get_monotonic => return Ran::Time(time::clock_get_monotonic(cx)),
        n::handle_close => handle::close(cx, a.handle(0)),
        n::handle_duplicate => handle::duplicate(cx, a.handle(0), a.u32(1), a.ptr(2)),
        n::handle_replace => handle::replace(cx, a.handle(0), a.u32(1), a.ptr(2)),

        n::object_wait_async => {
            let (handle, port) = (a.handle(0), a.handle(1));
            object::wait_async(cx, handle, port, a.u64(2), a.u32(3), a.u32(4))
        }
        n::object_signal => object::signal(cx, a.handle(0), a.u32(1), a.u32(2)),
        n::object_signal_peer => object::signal_peer(cx, a.handle(0), a.u32(1), a.u32(2)),
        n::object_get_info => {
            let out = InfoBuffer {
                buffer: a.ptr(2),
                buffer_size: a.usize(3),
                actual: a.ptr(4),
                avail: a.ptr(5),
            };
            info::get_info(cx, a.handle(0), a.u32(1), out)
        }
        n::object_get_property => {
            property::get_property(cx, a.handle(0), a.u32(1), a.ptr(2), a.usize(3))
        }
        n::object_set_property => {
            property::set_property(cx, a.handle(0), a.u32(1), a.ptr(2), a.usize(3))
        }

        n::event_create => event::event_create(cx, a.u32(0), a.ptr(1)),
        n::eventpair_create => event::eventpair_create(cx, a.u32(0), a.ptr(1), a.ptr(2)),

        n::channel_create => channel::create(cx, a.u32(0), a.ptr(1), a.ptr(2)),
        n::channel_read => {
            let out = ReadBuffers {
                bytes: a.ptr(2),
                handles: a.ptr(3),
                num_bytes: a.u32(4),
                num_handles: a.u32(5),
                actual_bytes: a.ptr(6),
                actual_handles: a.ptr(7),
            };
            channel::read(cx, a.handle(0), a.u32(1), out)
        }
        n::channel_write => {
            let (bytes, handles) = (a.ptr(2), a.ptr(4));
            channel::write(
                cx,
                a.handle(0),
                a.u32(1),
                bytes,
                a.u32(3),
                handles,
                a.u32(5),
            )
        }

        n::port_create => port::create(cx, a.u32(0), a.ptr(1)),
        n::port_queue => port::queue(cx, a.handle(0), a.ptr(1)),
        n::port_cancel => port::cancel(cx, a.handle(0), a.handle(1), a.u64(2)),

        n::vmo_create => vmo::create(cx, a.u64(0), a.u32(1), a.ptr(2)),
        n::vmo_read => vmo::read(cx, a.handle(0), a.ptr(1), a.u64(2), a.usize(3)),
        n::vmo_write => vmo::write(cx, a.handle(0), a.ptr(1), a.u64(2), a.usize(3)),
        n::vmo_get_size => vmo::get_size(cx, a.handle(0), a.ptr(1)),
        n::vmo_set_size => vmo::set_size(cx, a.handle(0), a.u64(1)),

        n::vmar_allocate => {
            let (offset, size) = (a.usize(2), a.usize(3));
            vmar::allocate(cx, a.handle(0), a.u32(1), offset, size, a.ptr(4), a.ptr(5))
        }
        n::vmar_destroy => vmar::destroy(cx, a.handle(0)),
        n::vmar_map => {
            let (vmar_offset, vmo, vmo_offset) = (a.usize(2), a.handle(3), a.u64(4));
            let (len, mapped_addr) = (a.usize(5), a.ptr(6));
            vmar::map(
                cx,
                a.handle(0),
                a.u32(1),
                vmar_offset,
                vmo,
                vmo_offset,
                len,
                mapped_addr,
            )
        }
        n::vmar_unmap => vmar::unmap(cx, a.handle(0), a.usize(1), a.usize(2)),
        n::vmar_protect => vmar::protect(cx, a.handle(0), a.u32(1), a.usize(2), a.usize(3)),

        n::process_create => {
            let (name, name_size, options) = (a.ptr(1), a.usize(2), a.u32(3));
            task::process_create(
                cx,
                a.handle(0),
                name,
                name_size,
                options,
                [a.ptr(4), a.ptr(5)],
            )
        }
        n::process_start => {
            let (entry, stack, arg1, arg2) = (a.usize(2), a.usize(3), a.handle(4), a.usize(5));
            task::process_start(cx, a.handle(0), a.handle(1), entry, stack, arg1, arg2)
        }
        n::process_exit => task::process_exit(cx, a.i64(0)),
        n::process_read_memory => {
            let (vaddr, buffer, size, actual) = (a.usize(1), a.ptr(2), a.usize(3), a.ptr(4));
            task::process_read_memory(cx, a.handle(0), vaddr, buffer, size, actual)
        }
        n::process_write_memory => {
            let (vaddr, buffer, size, actual) = (a.usize(1), a.ptr(2), a.usize(3), a.ptr(4));
            task::process_write_memory(cx, a.handle(0), vaddr, buffer, size, actual)
        }
        n::thread_create => {
            let (name, name_size, options) = (a.ptr(1), a.usize(2), a.u32(3));
            task::thread_create(cx, a.handle(0), name, name_size, options, a.ptr(4))
        }
        n::thread_start => {
            let (entry, stack, arg1, arg2) = (a.usize(1), a.usize(2), a.usize(3), a.usize(4));
            task::thread_start(cx, a.handle(0), entry, stack, arg1, arg2)
        }
        n::thread_exit => task::thread_exit(cx),
        n::job_create => task::job_create(cx, a.handle(0), a.u32(1), a.ptr(2)),
        n::job_set_policy => {
            let (options, topic, policy, count) = (a.u32(1), a.u32(2), a.ptr(3), a.u32(4));
            task::job_set_policy(cx, a.handle(0), options, topic, policy, count)
        }
        n::job_set_critical => task::job_set_critical(cx, a.handle(0), a.u32(1), a.handle(2)),
        n::task_kill => task::task_kill(cx, a.handle(0)),

        n::task_create_exception_channel => {
            exception::task_create_exception_channel(cx, a.handle(0), a.u32(1), a.ptr(2))
        }
        n::exception_get_thread => exception::get_thread(cx, a.handle(0), a.ptr(1)),
        n::exception_get_process => exception::get_process(cx, a.handle(0), a.ptr(1)),

        n::debug_write => debug_log::debug_write(cx, a.ptr(0), a.usize(1)),

        _ if may_wait(number) => return Ran::MayWait,
        // Unknown numbers, and a number added to `numbers` without a line here.
        _ => Err(Status::BadSyscall),
    };
    Ran::Done(result)
}

/// The raw arguments, read as the C types of the syscall's signature. A reference: each syscall
/// loads only the registers it uses.
#[derive(Clone, Copy)]
struct Args<'a>(&'a [u64; 8]);

impl Args<'_> {
    fn u64(self, index: usize) -> u64 {
        self.0[index]
    }

    /// A 32-bit argument: the low half of its register.
    fn u32(self, index: usize) -> u32 {
        self.0[index] as u32
    }

    fn i64(self, index: usize) -> i64 {
        self.0[index] as i64
    }

    fn usize(self, index: usize) -> usize {
        self.0[index] as usize
    }

    fn handle(self, index: usize) -> HandleValue {
        self.u32(index)
    }

    fn ptr<T>(self, index: usize) -> UserPtr<T> {
        UserPtr::new(self.0[index])
    }
}

/// Applies the caller's policy for a syscall that failed with `status`; see the module doc.
#[cold]
fn apply_policy(cx: &SyscallContext<'_>, number: u64, args: &[u64; 8], status: Status) {
    let asks_validity =
        number == numbers::object_get_info && args[1] as u32 == ZX_INFO_HANDLE_VALID;
    let condition = match status {
        Status::BadHandle if !asks_validity => PolicyCondition::BadHandle,
        Status::WrongType => PolicyCondition::WrongObject,
        _ => return,
    };
    // ALLOW and DENY change nothing here: the syscall's own status stands.
    let _ = cx.process.check_policy(condition);
}

/// A syscall's name for the log, looked up only when the line is printed.
struct Name(u64);

impl core::fmt::Display for Name {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match numbers::name(self.0) {
            Some(name) => f.write_str(name),
            None => write!(f, "unknown syscall {:#x}", self.0),
        }
    }
}

/// The arguments for the log, in hex, up to the last non-zero one.
struct LoggedArgs<'a>(&'a [u64; 8]);

impl core::fmt::Display for LoggedArgs<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let used = self
            .0
            .iter()
            .rposition(|&arg| arg != 0)
            .map_or(0, |last| last + 1);
        for (index, arg) in self.0[..used].iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{arg:#x}")?;
        }
        Ok(())
    }
}

/// A syscall's result for the log.
struct Outcome<'a>(&'a ZxResult);

impl core::fmt::Display for Outcome<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            Ok(()) => f.write_str("ZX_OK"),
            Err(status) => write!(f, "{status}"),
        }
    }
}
