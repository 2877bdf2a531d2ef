//! Host tests of jobs, processes, threads, exceptions and policies, one file per part of the
//! spec, named after the behaviour they check. Threads' futures are not run here: the fake
//! spawner keeps each [`StartedThread`], and a test ends a thread by dropping it (as the
//! kernel does when the thread's future ends). `tests/task_*.rs` run threads on OS threads.

mod exceptions;
mod info;
mod job;
mod kill;
mod memory;
mod policy;
mod process;
mod thread;

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::future::Future;
use core::pin::Pin;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::Poll;

use spin::Mutex;

use super::*;
use crate::abi::{HandleValue, Rights, Signals, ThreadState, ZxResult};
use crate::handle::{Handle, HandleTable};
use crate::object::KernelObject;
use crate::testing::poll_noop;
use crate::time::ManualClock;
use crate::vm::fake::{FakePageTable, FakePhysicalMemory};
use crate::vm::{PageTable, USER_ASPACE_BASE};

/// A user address every test thread starts at.
const ENTRY: usize = USER_ASPACE_BASE + 0x1000;
/// A stack pointer every test thread starts with.
const STACK: usize = USER_ASPACE_BASE + 0x10_0000;

/// A spawner that keeps the threads it is handed.
#[derive(Default)]
struct KeepSpawned {
    started: Mutex<Vec<(StartedThread, ThreadStart)>>,
}

impl ThreadSpawner for KeepSpawned {
    fn spawn(&self, thread: StartedThread, start: ThreadStart) {
        self.started.lock().push((thread, start));
    }
}

/// Page tables from the VM fakes; can be told to run out.
#[derive(Default)]
struct FakePageTables {
    exhausted: AtomicBool,
}

impl PageTableFactory for FakePageTables {
    fn new_page_table(&self) -> ZxResult<Arc<dyn PageTable>> {
        if self.exhausted.load(Ordering::SeqCst) {
            return Err(crate::abi::Status::NoMemory);
        }
        Ok(FakePageTable::new())
    }

    fn aslr_seed(&self) -> u64 {
        0x5eed
    }
}

/// A root job on fakes, and a process acting as the caller of the syscalls (its table holds
/// the test's handles).
struct World {
    spawner: Arc<KeepSpawned>,
    page_tables: Arc<FakePageTables>,
    physical: Arc<FakePhysicalMemory>,
    root: Arc<Job>,
    caller: Arc<Process>,
}

impl World {
    fn new() -> World {
        let spawner = Arc::new(KeepSpawned::default());
        let page_tables = Arc::new(FakePageTables::default());
        let physical = FakePhysicalMemory::new();
        let context = Arc::new(TaskContext {
            clock: ManualClock::new(0),
            physical: physical.clone(),
            page_tables: page_tables.clone(),
            spawner: spawner.clone(),
            cpu_count: 2,
        });
        let root = Job::root(context);
        let (caller, _) = Process::create(&root, b"caller").unwrap();
        World {
            spawner,
            page_tables,
            physical,
            root,
            caller,
        }
    }

    /// The caller's handle table.
    fn table(&self) -> &HandleTable {
        self.caller.handles()
    }

    /// Puts a handle to `object` with `rights` in the caller's table.
    fn insert(&self, object: Arc<dyn KernelObject>, rights: Rights) -> HandleValue {
        self.table().insert(Handle::new(object, rights)).unwrap()
    }

    /// A child job of `parent`, with a handle in the caller's table.
    fn job_in(&self, parent: &Arc<Job>) -> (HandleValue, Arc<Job>) {
        let job = parent.create_child().unwrap();
        (self.insert(job.clone(), Rights::DEFAULT_JOB), job)
    }

    /// A process in `job`, with a handle in the caller's table.
    fn process_in(&self, job: &Arc<Job>) -> (HandleValue, Arc<Process>) {
        let (process, _) = Process::create(job, b"test").unwrap();
        (
            self.insert(process.clone(), Rights::DEFAULT_PROCESS),
            process,
        )
    }

    /// A thread of `process`, with a handle in the caller's table.
    fn thread_in(&self, process: &Arc<Process>) -> (HandleValue, Arc<Thread>) {
        let thread = Thread::create(process, b"thread").unwrap();
        (self.insert(thread.clone(), Rights::DEFAULT_THREAD), thread)
    }

    /// A process in `job` started with one thread; returns the process, the thread and the
    /// kernel's hold on it.
    fn running_process(&self, job: &Arc<Job>) -> (Arc<Process>, StartedThread) {
        let (_, process) = self.process_in(job);
        let (_, thread) = self.thread_in(&process);
        process.start(&thread, ENTRY, STACK, None, 0).unwrap();
        let (started, _) = self.take_one();
        (process, started)
    }

    /// Starts one more thread in a running `process`.
    fn running_thread(&self, process: &Arc<Process>) -> StartedThread {
        let (_, thread) = self.thread_in(process);
        thread.start(ENTRY, STACK, 0, 0).unwrap();
        self.take_one().0
    }

    /// The threads started since the last call.
    fn take_started(&self) -> Vec<(StartedThread, ThreadStart)> {
        core::mem::take(&mut *self.spawner.started.lock())
    }

    /// The one thread started since the last call.
    fn take_one(&self) -> (StartedThread, ThreadStart) {
        let mut started = self.take_started();
        assert_eq!(started.len(), 1, "exactly one thread was started");
        started.pop().unwrap()
    }
}

/// The signals asserted on `object` now.
fn signals(object: &dyn KernelObject) -> Signals {
    object.signal_state().unwrap().signals()
}

/// A future pinned on the heap, polled by hand.
type Polled<'a, T> = Pin<alloc::boxed::Box<dyn Future<Output = T> + 'a>>;

/// Boxes `future` for polling by hand.
fn boxed<'a, T>(future: impl Future<Output = T> + 'a) -> Polled<'a, T> {
    alloc::boxed::Box::pin(future)
}

/// Polls `future` once with a waker nobody watches.
fn poll_once<T>(future: &mut Polled<'_, T>) -> Poll<T> {
    poll_noop(future)
}
