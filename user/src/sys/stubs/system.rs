//! The stubs of time and the debug console, and the fuzzer's door for arbitrary calls.

use super::{mut_ptr, ptr, raw0, raw1, raw2, raw8, status};
use crate::handle::is_live_handle_value;
use crate::sys::signatures::{ArgKind, arg_kind};
use crate::vm::is_user_address;
use syscalls_abi::numbers as nr;

/// `zx_nanosleep`: sleeps until `deadline` (monotonic nanoseconds).
#[inline]
pub fn nanosleep(deadline: i64) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe { raw1(nr::nanosleep, deadline as u64) })
}

/// `zx_clock_get_monotonic`: nanoseconds since boot, returned in `rax` as Zircon's
/// `zx_time_t zx_clock_get_monotonic(void)` returns it.
#[inline]
pub fn clock_get_monotonic() -> i64 {
    // SAFETY: no arguments.
    unsafe { raw0(nr::clock_get_monotonic) }
}

/// `zx_debug_write`: `bytes` to the kernel console.
#[inline]
pub fn debug_write(bytes: &[u8]) -> i32 {
    // SAFETY: `bytes` is `bytes.len()` readable bytes.
    status(unsafe { raw2(nr::debug_write, ptr(bytes), bytes.len() as u64) })
}

/// Why [`syscall_inert`] or [`syscall_lending`] refused to issue a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotInert {
    /// The syscall ends the calling thread without unwinding.
    ExitsThread,
    /// This argument could address user memory.
    UserAddress(usize),
    /// This argument's low 32 bits name a handle the process holds.
    LiveHandle(usize),
    /// [`syscall_lending`] does not lend handles to this syscall.
    NotLendable,
}

/// Whether `arg`, argument `index`, can neither address this process's memory nor name one of
/// its handles.
fn is_inert(index: usize, arg: u64) -> Result<(), NotInert> {
    if is_user_address(arg) {
        return Err(NotInert::UserAddress(index));
    }
    if is_live_handle_value(arg as u32) {
        return Err(NotInert::LiveHandle(index));
    }
    Ok(())
}

/// Issues any syscall with arguments that cannot reach this process's memory or objects: the
/// garbage-syscall fuzzer's door.
///
/// Every argument must lie outside the user address range `[USER_BASE, USER_END)` (so as a
/// pointer it names nothing this process could have mapped), and its low 32 bits must not be a
/// handle this process holds. `zx_thread_exit` is refused. Returns `rax` as the kernel left it.
pub fn syscall_inert(number: u64, args: [u64; 8]) -> Result<i64, NotInert> {
    if number == nr::thread_exit {
        return Err(NotInert::ExitsThread);
    }
    for (i, &arg) in args.iter().enumerate() {
        is_inert(i, arg)?;
    }
    let [a0, a1, a2, a3, a4, a5, a6, a7] = args;
    // SAFETY: no argument can address memory of this process (checked above), and none names
    // one of its handles, so the kernel can only fail the call, create objects, or end the
    // process (memory-safe in every case).
    Ok(unsafe { raw8(number, a0, a1, a2, a3, a4, a5, a6, a7) })
}

/// The syscalls [`syscall_lending`] lends a handle to (its first argument), with the
/// arguments where each writes one result of at most 8 bytes. Each touches this process's
/// memory only through its pointer arguments, and uses its handle argument without consuming
/// it or changing any mapping: it waits on it, reads or queues through it, or moves bytes
/// through it.
const LENDABLE: [(u64, &[usize]); 8] = [
    (nr::object_wait_one, &[3]),
    (nr::object_get_info, &[4, 5]),
    (nr::channel_read, &[6, 7]),
    (nr::channel_write, &[]),
    (nr::port_queue, &[]),
    (nr::port_wait, &[]),
    (nr::process_read_memory, &[4]),
    (nr::process_write_memory, &[4]),
];

/// Two words a [`syscall_lending`] call may have the kernel write its small results to (an
/// `actual` count, the `observed` signals).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outs(pub [u64; 2]);

impl Outs {
    /// The address of word `index`, to pass as an argument. [`syscall_lending`] recognises it
    /// by value and hands the kernel the address it takes from its own exclusive borrow.
    pub fn address(&mut self, index: usize) -> u64 {
        mut_ptr(&mut self.0[index])
    }
}

/// Issues one of a few syscalls (see [`LENDABLE`]) with a handle the caller lends and every
/// pointer inert: the door for cases that pass a live handle with a bad pointer.
///
/// Arguments are checked by their kind ([`arg_kind`]): the handle argument must name `lent`
/// (a handle the caller holds and keeps) or no handle; a pointer where the syscall writes one
/// small result may be the address of a word of `outs`; every other pointer must lie outside
/// the user address range; values may be anything, but no argument may name another handle of
/// this process. Returns `rax` as the kernel left it.
pub fn syscall_lending(
    number: u64,
    args: [u64; 8],
    lent: u32,
    outs: &mut Outs,
) -> Result<i64, NotInert> {
    let Some(&(_, out_positions)) = LENDABLE.iter().find(|(n, _)| *n == number) else {
        return Err(NotInert::NotLendable);
    };
    let out_words = outs.0.each_mut().map(mut_ptr);
    for (i, &arg) in args.iter().enumerate() {
        if i == 0 && arg as u32 == lent {
            continue;
        }
        if is_live_handle_value(arg as u32) {
            return Err(NotInert::LiveHandle(i));
        }
        let is_out = out_positions.contains(&i) && out_words.contains(&arg);
        if arg_kind(number, i) == Some(ArgKind::Pointer) && !is_out && is_user_address(arg) {
            return Err(NotInert::UserAddress(i));
        }
    }
    let [a0, a1, a2, a3, a4, a5, a6, a7] = args;
    // SAFETY: every pointer argument lies outside the user range (checked above), so the
    // kernel cannot read or write this process's memory through it, except the small results,
    // which go to words of `outs`: their addresses (`out_words`) come from the exclusive borrow
    // of `outs`, which lasts the whole call, and the kernel writes at most 8 bytes at each.
    // Values are not dereferenced in this process (a `vaddr` addresses the target, and moves
    // bytes only to or from the inert buffer). The lent handle is used by a syscall that
    // neither consumes it nor changes mappings (`LENDABLE`), and no other handle is named.
    Ok(unsafe { raw8(number, a0, a1, a2, a3, a4, a5, a6, a7) })
}

/// Issues `zx_thread_exit` with `args` in the argument registers (which it ignores): the
/// fuzzer's door for the call [`syscall_inert`] refuses. As with
/// [`crate::thread::exit`], the thread ends without running the destructors of what its stack
/// holds; no other thread can borrow from that stack (the library has no scoped threads), so
/// nothing is left dangling.
pub fn thread_exit_with(args: [u64; 8]) -> ! {
    let [a0, a1, a2, a3, a4, a5, a6, a7] = args;
    // SAFETY: `zx_thread_exit` reads no argument and does not return; see above for what the
    // thread's stack leaves behind.
    unsafe { raw8(nr::thread_exit, a0, a1, a2, a3, a4, a5, a6, a7) };
    unreachable!("zx_thread_exit returned")
}
