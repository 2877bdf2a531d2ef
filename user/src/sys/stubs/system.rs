//! The stubs of time and the debug console, and the fuzzer's door for arbitrary calls.

use super::{ptr, raw0, raw1, raw2, raw8, status};
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

/// Why [`syscall_inert`] refused to issue a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotInert {
    /// The syscall ends the calling thread without unwinding.
    ExitsThread,
    /// This argument could address user memory.
    UserAddress(usize),
    /// This argument's low 32 bits name a handle the process holds.
    LiveHandle(usize),
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
    let user = crate::vm::USER_BASE as u64..crate::vm::USER_END as u64;
    for (i, &arg) in args.iter().enumerate() {
        if user.contains(&arg) {
            return Err(NotInert::UserAddress(i));
        }
        if crate::handle::is_live_handle_value(arg as u32) {
            return Err(NotInert::LiveHandle(i));
        }
    }
    let [a0, a1, a2, a3, a4, a5, a6, a7] = args;
    // SAFETY: no argument can address memory of this process (checked above), and none names
    // one of its handles, so the kernel can only fail the call, create objects, or end the
    // process (memory-safe in every case).
    Ok(unsafe { raw8(number, a0, a1, a2, a3, a4, a5, a6, a7) })
}
