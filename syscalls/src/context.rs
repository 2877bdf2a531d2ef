//! What a syscall runs with: the calling thread, its process, user memory and kernel services.

use alloc::sync::Arc;
use objects::task::{Process, Thread};
use objects::time::Clock;

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
