//! User processes: where the `objects` crate's tasks meet the machine.
//!
//! - `context.rs`: the kernel's implementations of the objects crate's traits (threads spawned
//!   on the executors, page tables, the clock) and the services syscalls ask for.
//! - `thread.rs`: a user thread as a future.
//! - `address_space.rs`: which address space each CPU has loaded; paging in for the copies.
//! - `user_memory.rs`: the syscall layer's window on a process's memory.
//! - `loader.rs`: loading `init` and handing it the bootstrap message.

mod address_space;
mod context;
mod loader;
mod thread;
mod user_memory;

use alloc::sync::Arc;
use context::{ExecutorClock, ExecutorSpawner, KernelPageTables, KernelServices};
use objects::task::{Job, TaskContext};

static SERVICES: spin::Once<KernelServices> = spin::Once::new();
static ROOT_JOB: spin::Once<Arc<Job>> = spin::Once::new();

/// Builds the root job on the kernel's implementations of the task traits.
pub fn init(cpu_count: usize) {
    address_space::init();
    let clock: Arc<dyn objects::time::Clock> = Arc::new(ExecutorClock);
    SERVICES.call_once(|| KernelServices {
        clock: clock.clone(),
    });
    let context = TaskContext {
        clock,
        physical: Arc::new(crate::memory::physical::KernelPhysicalMemory),
        page_tables: Arc::new(KernelPageTables),
        spawner: Arc::new(ExecutorSpawner),
        cpu_count,
    };
    ROOT_JOB.call_once(|| Job::root(Arc::new(context)));
}

/// The root job.
pub fn root_job() -> &'static Arc<Job> {
    ROOT_JOB.get().expect("process::init ran")
}

/// What syscalls ask of the kernel.
pub fn kernel_services() -> &'static KernelServices {
    SERVICES.get().expect("process::init ran")
}

/// Starts `init` with the kernel command line; logs and returns false when it cannot.
pub fn start_init(cmdline: &str) -> bool {
    match loader::start_init(root_job(), cmdline) {
        Ok(()) => true,
        Err(error) => {
            log::error!("cannot start init: {error}");
            false
        }
    }
}
