//! What tasks need from the kernel: the [`TaskContext`] handed to the root job, and the two
//! traits the kernel implements for it, [`ThreadSpawner`] and [`PageTableFactory`].
//!
//! Every job, process and thread reaches the same context through its root job, so host
//! tests can build a job tree on fakes and the kernel builds the real one at boot.

use alloc::sync::Arc;

use super::thread::StartedThread;
use crate::abi::ZxResult;
use crate::time::Clock;
use crate::vm::{PageTable, PhysicalMemory};

/// The registers a started thread begins with (spec §3.2, §3.9): `entry` in the instruction
/// pointer, `stack` in the stack pointer, `arg1` and `arg2` in the first two argument
/// registers, every other register zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadStart {
    /// The first instruction.
    pub entry: usize,
    /// The initial stack pointer.
    pub stack: usize,
    /// The first argument (for a process's first thread: the value of the handle
    /// `process_start` transferred, or 0).
    pub arg1: usize,
    /// The second argument.
    pub arg2: usize,
}

/// Runs started threads: the kernel implements it with its executors.
pub trait ThreadSpawner: Send + Sync {
    /// Runs `thread` from `start`, as a future on some CPU's executor. The future owns
    /// `thread` and drops it when the thread is done (after `zx_thread_exit`, or once
    /// [`Thread::is_dying`](super::Thread::is_dying) says so); the drop makes it dead.
    ///
    /// Called with no lock held, from `process_start` and `thread_start`.
    fn spawn(&self, thread: StartedThread, start: ThreadStart);
}

/// Makes the page tables of new address spaces: the kernel implements it with fresh
/// top-level tables that share the kernel half.
pub trait PageTableFactory: Send + Sync {
    /// An empty page table for a new process. NO_MEMORY when none can be made.
    fn new_page_table(&self) -> ZxResult<Arc<dyn PageTable>>;

    /// A seed for the placement of a new address space's mappings (a hardware random
    /// number in the kernel).
    fn aslr_seed(&self) -> u64;
}

/// The machine as tasks see it, shared by every task of one job tree.
pub struct TaskContext {
    /// The monotonic clock, for deadlines.
    pub clock: Arc<dyn Clock>,
    /// Physical memory, for the VMOs processes create.
    pub physical: Arc<dyn PhysicalMemory>,
    /// Page tables for new processes.
    pub page_tables: Arc<dyn PageTableFactory>,
    /// Runs started threads.
    pub spawner: Arc<dyn ThreadSpawner>,
    /// How many CPUs there are: a new thread may run on any of them.
    pub cpu_count: usize,
}

impl core::fmt::Debug for TaskContext {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TaskContext")
            .field("cpu_count", &self.cpu_count)
            .finish_non_exhaustive()
    }
}
