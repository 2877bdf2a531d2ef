//! The machine as the `objects` crate sees it: the kernel's implementations of its traits.

use crate::memory::user_page_table::UserPageTable;
use alloc::boxed::Box;
use alloc::sync::Arc;
use objects::task::{PageTableFactory, StartedThread, ThreadSpawner, ThreadStart};
use objects::time::{Clock, Sleep};
use objects::vm::PageTable;
use objects::{KernelObject, ZxResult};

/// Runs started threads on the executors.
pub struct ExecutorSpawner;

impl ThreadSpawner for ExecutorSpawner {
    fn spawn(&self, thread: StartedThread, start: ThreadStart) {
        let koid = thread.koid();
        let executor = crate::sched::executor();
        match executor.spawn_with(|| super::thread::run(thread, start)) {
            Ok(task) => task.detach(),
            // The started thread was dropped with its future unmade: the thread is dead.
            Err(error) => log::warn!("thread {koid} not started: {error:?}"),
        }
    }
}

/// Makes page tables that share the kernel half.
pub struct KernelPageTables;

impl PageTableFactory for KernelPageTables {
    fn new_page_table(&self) -> ZxResult<Arc<dyn PageTable>> {
        Ok(Arc::new(UserPageTable::new()?))
    }

    fn aslr_seed(&self) -> u64 {
        crate::arch::x86_64::cpu::random_u64()
    }
}

/// The monotonic clock and its sleeps, from the executor's timers.
pub struct ExecutorClock;

impl Clock for ExecutorClock {
    fn now(&self) -> i64 {
        crate::sched::executor().now()
    }

    fn sleep_until(&self, deadline: i64) -> Sleep {
        Box::pin(crate::sched::executor().sleep_until(deadline))
    }
}

/// Services the syscall layer asks of the kernel.
pub struct KernelServices {
    pub clock: Arc<dyn Clock>,
}

impl syscalls::Kernel for KernelServices {
    fn debug_write(&self, text: &[u8]) {
        let text = core::str::from_utf8(text).unwrap_or("<invalid UTF-8>");
        crate::kprint!("{text}");
    }

    fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}
