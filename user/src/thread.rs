//! Threads of this process running Rust closures.
//!
//! [`spawn`] creates a thread, gives it a stack of its own and starts it on a closure. Each
//! stack sits in its own child VMAR, one unmapped guard page below the stack, so an overflow
//! faults instead of running into other memory. [`JoinHandle::join`] waits for the thread to
//! terminate and then destroys that VMAR; a handle dropped without joining leaves the stack
//! mapped (the thread may still be using it).

use crate::handle::AsHandleRef;
use crate::rt;
use crate::status::{Status, ZxResult};
use crate::sys;
use crate::task::Thread;
use crate::time::Time;
use crate::vm::{PAGE_SIZE, VmOptions, round_up_page};
use crate::vmar::Vmar;
use crate::vmo::Vmo;
use alloc::boxed::Box;

/// The stack size of threads started by [`spawn`].
pub const DEFAULT_STACK_SIZE: usize = 64 * 1024;

/// A started thread, with the stack it runs on.
#[derive(Debug)]
pub struct JoinHandle {
    thread: Thread,
    stack: Vmar,
}

impl JoinHandle {
    /// The thread.
    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    /// Waits until the thread terminates, then frees its stack. On `TIMED_OUT` the thread is
    /// still running and the handle is given back.
    pub fn join(self, deadline: Time) -> Result<(), (Status, JoinHandle)> {
        if let Err(status) = self
            .thread
            .wait_one(crate::Signals::THREAD_TERMINATED, deadline)
        {
            return Err((status, self));
        }
        // The thread is gone, so nothing runs on the stack any more.
        let _ = self.stack.destroy();
        Ok(())
    }
}

/// Ends the calling thread now (`zx_thread_exit`), without running the destructors of what
/// its stack holds. Other threads cannot borrow from this thread's stack (the library has no
/// scoped threads), so nothing is left dangling; what the stack owned is leaked.
pub fn exit() -> ! {
    sys::stubs::thread_exit()
}

/// Starts a thread named `name` running `main` on a stack of [`DEFAULT_STACK_SIZE`] bytes.
pub fn spawn(name: &str, main: impl FnOnce() + Send + 'static) -> ZxResult<JoinHandle> {
    spawn_with_stack(name, DEFAULT_STACK_SIZE, main)
}

/// Starts a thread with a stack of `stack_size` bytes (rounded up to pages).
pub fn spawn_with_stack(
    name: &str,
    stack_size: usize,
    main: impl FnOnce() + Send + 'static,
) -> ZxResult<JoinHandle> {
    let thread = rt::process_self().create_thread(name)?;
    let (stack, stack_top) = map_stack(stack_size)?;
    let status = sys::runtime::start_thread(thread.raw_handle(), stack_top, Box::new(main));
    if let Err(status) = Status::ok(status) {
        let _ = stack.destroy();
        return Err(status);
    }
    Ok(JoinHandle { thread, stack })
}

/// Maps a stack of `size` bytes above a guard page; returns its VMAR and its top (16-byte
/// aligned).
pub(crate) fn map_stack(size: usize) -> ZxResult<(Vmar, usize)> {
    let size = round_up_page(size);
    let options = VmOptions::CAN_MAP_READ | VmOptions::CAN_MAP_WRITE | VmOptions::CAN_MAP_SPECIFIC;
    let (vmar, base) = rt::root_vmar().allocate(options, 0, size + PAGE_SIZE)?;
    let vmo = Vmo::create(size as u64)?;
    let perms = VmOptions::SPECIFIC | VmOptions::PERM_RW;
    if let Err(status) = vmar.map(perms, PAGE_SIZE, &vmo, 0, size) {
        let _ = vmar.destroy();
        return Err(status);
    }
    Ok((vmar, base + PAGE_SIZE + size))
}
