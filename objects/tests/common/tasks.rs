//! A job tree whose threads run on OS threads: each started thread's future runs under
//! [`block_on`](super::block_on)'s loop on a thread of its own, with a waker that counts
//! wakes arriving after the future was dropped.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use objects::abi::ZxResult;
use objects::task::{
    Job, PageTableFactory, StartedThread, TaskContext, ThreadSpawner, ThreadStart,
};
use objects::time::ManualClock;
use objects::vm::PageTable;
use objects::vm::fake::{FakePageTable, FakePhysicalMemory};

use super::LOST_WAKEUP;

/// What a started thread runs: the kernel's thread future, as a test writes it.
pub type Program = Arc<
    dyn Fn(StartedThread, ThreadStart) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync,
>;

/// Runs every started thread's program on an OS thread.
pub struct OsThreads {
    program: Program,
    running: Mutex<Vec<JoinHandle<()>>>,
    /// Wakes that reached a thread's waker after its future was dropped.
    pub late_wakes: Arc<AtomicUsize>,
}

impl OsThreads {
    /// A spawner running `program` for each started thread.
    pub fn new(program: Program) -> Arc<OsThreads> {
        Arc::new(OsThreads {
            program,
            running: Mutex::new(Vec::new()),
            late_wakes: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// Waits for every thread started so far (and those they start) to end.
    pub fn join_all(&self) {
        loop {
            let running = std::mem::take(&mut *self.running.lock().unwrap());
            if running.is_empty() {
                return;
            }
            for handle in running {
                handle.join().expect("a thread's future panicked");
            }
        }
    }
}

impl ThreadSpawner for OsThreads {
    fn spawn(&self, thread: StartedThread, start: ThreadStart) {
        let future = (self.program)(thread, start);
        let late = self.late_wakes.clone();
        let handle = thread::spawn(move || run_watched(future, late));
        self.running.lock().unwrap().push(handle);
    }
}

/// A waker that unparks its OS thread, and counts the wakes that come after its future was
/// dropped.
struct Watched {
    thread: thread::Thread,
    dropped: AtomicBool,
    late: Arc<AtomicUsize>,
}

impl Wake for Watched {
    fn wake(self: Arc<Self>) {
        if self.dropped.load(Ordering::SeqCst) {
            self.late.fetch_add(1, Ordering::SeqCst);
        }
        self.thread.unpark();
    }
}

/// Polls `future` to completion on this thread; panics if a wake-up is lost.
fn run_watched(mut future: Pin<Box<dyn Future<Output = ()> + Send>>, late: Arc<AtomicUsize>) {
    let watched = Arc::new(Watched {
        thread: thread::current(),
        dropped: AtomicBool::new(false),
        late,
    });
    let waker = Waker::from(watched.clone());
    let mut cx = Context::from_waker(&waker);
    let mut last_progress = Instant::now();
    loop {
        if let Poll::Ready(()) = future.as_mut().poll(&mut cx) {
            break;
        }
        thread::park_timeout(LOST_WAKEUP);
        if last_progress.elapsed() >= LOST_WAKEUP {
            panic!("no wake-up for {LOST_WAKEUP:?}: a wake-up was lost");
        }
        last_progress = Instant::now();
    }
    drop(future);
    watched.dropped.store(true, Ordering::SeqCst);
}

/// Page tables from the VM fakes.
pub struct FakePageTables;

impl PageTableFactory for FakePageTables {
    fn new_page_table(&self) -> ZxResult<Arc<dyn PageTable>> {
        Ok(FakePageTable::new())
    }

    fn aslr_seed(&self) -> u64 {
        0x5eed
    }
}

/// A root job on fakes whose threads run on `threads`.
pub fn root_job(threads: &Arc<OsThreads>, clock: Arc<ManualClock>) -> Arc<Job> {
    let context = TaskContext {
        clock,
        physical: FakePhysicalMemory::new(),
        page_tables: Arc::new(FakePageTables),
        spawner: threads.clone(),
        cpu_count: 2,
    };
    Job::root(Arc::new(context))
}
