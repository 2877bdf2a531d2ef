//! Spinel's system-call layer.
//!
//! - [`abi`]: what kernel and user space share: syscall numbers, Zircon's status codes,
//!   rights, signals, options and C-layout records. It is the `syscalls-abi` crate,
//!   re-exported; the user library depends on that crate alone.
//! - [`dispatch()`], which decodes a syscall's number and arguments
//!   and runs it as a future on the `objects` crate's objects, one file per syscall family:
//!   `handle`, `object` (waits and signals), `info` and `property` (`zx_object_get_info`,
//!   `zx_object_get/set_property`), `event`, `channel`, `port`, `vmo`, `vmar`, `task`
//!   (processes, threads, jobs, kill, policies), `exception`, `time`, `debug`.
//!
//! Each syscall checks its handles as Zircon does (BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED,
//! through the objects), then its arguments, bounds every size user space gives before it
//! allocates, acts, and copies results out; a result that cannot be copied out leaves no new
//! handle or mapping behind. Blocking syscalls are `async` and report the thread's blocked
//! state while they wait.
//!
//! The crate never holds a raw user pointer: user memory is reached only through the
//! [`UserMemory`] trait (typed by `user_ptr`), whose kernel implementation validates the
//! range and recovers from faults. A bad pointer is `ZX_ERR_INVALID_ARGS`, never a kernel
//! fault; an unknown syscall number is `ZX_ERR_BAD_SYSCALL`.

#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

mod channel;
mod context;
mod debug;
mod dispatch;
mod event;
mod exception;
mod handle;
mod info;
mod object;
mod port;
mod property;
mod task;
mod time;
mod user_ptr;
mod vmar;
mod vmo;

pub use context::{BadUserAccess, Kernel, SyscallContext, UserMemory};
pub use dispatch::{
    StartedWait, dispatch, dispatch_now, dispatch_now_or_start, dispatch_started, dispatch_waiting,
    may_wait,
};
pub use syscalls_abi as abi;
