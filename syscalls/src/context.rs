//! What a syscall runs with: the calling thread, its process, user memory and kernel services.

use alloc::sync::Arc;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use objects::abi::HandleValue;
use objects::object::downcast;
use objects::task::{BlockedReason, Process, Thread, UntilKilled};
use objects::time::Clock;
use objects::{HandleTable, KernelObject, Rights, Status, ZxResult};

/// A user address range that is not mapped, not accessible, or not in the user half.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadUserAccess;

/// The calling process's memory, reached only through validated copies.
///
/// The kernel's implementation makes sure the caller's address space is the one loaded before
/// it copies (a syscall's future may be resumed on another CPU), and turns any fault into
/// [`BadUserAccess`].
pub trait UserMemory: Send + Sync {
    /// Copies `buf.len()` bytes from user address `address`.
    fn read(&self, address: u64, buf: &mut [u8]) -> Result<(), BadUserAccess>;
    /// Copies `data` to user address `address`.
    fn write(&self, address: u64, data: &[u8]) -> Result<(), BadUserAccess>;
}

/// Services of the kernel that syscalls need beyond the objects.
pub trait Kernel: Send + Sync {
    /// Writes `text` to the kernel console (`zx_debug_write`).
    fn debug_write(&self, text: &[u8]);
    /// The monotonic clock, with its sleeps.
    fn clock(&self) -> &Arc<dyn Clock>;
}

/// Everything one syscall runs with.
pub struct SyscallContext<'a> {
    /// The calling thread.
    pub thread: &'a Arc<Thread>,
    /// Its process.
    pub process: &'a Arc<Process>,
    /// The process's memory.
    pub memory: &'a dyn UserMemory,
    /// Kernel services.
    pub kernel: &'a dyn Kernel,
}

impl<'a> SyscallContext<'a> {
    /// The calling process's handle table.
    pub(crate) fn handles(&self) -> &HandleTable {
        self.process.handles()
    }

    /// The object behind `handle` as a `T`, with the handle's rights, whatever they are:
    /// BAD_HANDLE, then WRONG_TYPE. For syscalls whose rights checks depend on their
    /// arguments (the VMAR operations) or that pass the rights on.
    pub(crate) fn object_and_rights<T: KernelObject>(
        &self,
        handle: HandleValue,
    ) -> ZxResult<(Arc<T>, Rights)> {
        let (object, rights) = self.handles().handle_info(handle)?;
        Ok((downcast::<T>(&object)?, rights))
    }

    /// The monotonic clock.
    pub(crate) fn clock(&self) -> &Arc<dyn Clock> {
        self.kernel.clock()
    }

    /// A blocking syscall's wait for `future`, reporting the thread as `BLOCKED_<reason>`
    /// while it is pending (spec §2.3). If the thread is killed meanwhile, the future is dropped
    /// and the result is `INTERNAL_INTR_KILLED`, which nobody sees: the kernel ends the thread.
    pub(crate) fn blocking<F: Future + Unpin>(
        &self,
        reason: BlockedReason,
        future: F,
    ) -> Blocking<'a, F> {
        Blocking(self.thread.run_blocking(reason, future))
    }
}

/// The future of [`SyscallContext::blocking`]: the thread's kill becomes
/// `INTERNAL_INTR_KILLED`.
pub(crate) struct Blocking<'a, F>(UntilKilled<'a, F>);

impl<F: Future + Unpin> Future for Blocking<'_, F> {
    type Output = ZxResult<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let until_killed = &mut self.get_mut().0;
        Pin::new(until_killed)
            .poll(cx)
            .map(|output| output.ok_or(Status::InternalIntrKilled))
    }
}
