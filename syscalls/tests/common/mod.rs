//! The world the syscall tests run in: a root job on the objects' VM fakes, a started calling
//! thread in a process of its own, a Vec-backed window of user memory, a kernel that records
//! console writes and a manual clock, and a spawner that records the threads it is handed.
//!
//! Syscalls go through [`dispatch`] with raw arguments, as the kernel's entry would call it.

#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use objects::abi::ZxResult;
use objects::task::{
    BasicPolicy, Job, PageTableFactory, PolicyRequest, Process, StartedThread, TaskContext, Thread,
    ThreadSpawner, ThreadStart,
};
use objects::time::{Clock, ManualClock};
use objects::vm::PageTable;
use objects::vm::fake::{FakePageTable, FakePhysicalMemory};
use objects::{Handle, KernelObject, Rights};
use syscalls::abi::*;
use syscalls::{BadUserAccess, Kernel, SyscallContext, UserMemory, dispatch};

/// Where the fake user memory starts.
pub const USER_BASE: u64 = 0x2000_0000;
/// How much of it there is.
pub const USER_LEN: usize = 8 << 20;
/// An entry point inside every process's address space.
pub const ENTRY: u64 = 0x100_0000;

/// A window of user memory; any access outside it is `BadUserAccess`.
pub struct FakeMemory {
    bytes: Mutex<Vec<u8>>,
    next: Mutex<u64>,
}

impl FakeMemory {
    fn new() -> FakeMemory {
        FakeMemory {
            bytes: Mutex::new(vec![0; USER_LEN]),
            next: Mutex::new(USER_BASE),
        }
    }

    /// A fresh, zeroed buffer of `len` bytes (16-byte aligned); never reused.
    pub fn alloc(&self, len: usize) -> u64 {
        let mut next = self.next.lock().unwrap();
        let address = *next;
        *next = (address + len.max(1) as u64).next_multiple_of(16);
        assert!(
            *next <= USER_BASE + USER_LEN as u64,
            "the fake user memory is full"
        );
        address
    }

    /// A buffer holding `data`.
    pub fn alloc_with(&self, data: &[u8]) -> u64 {
        let address = self.alloc(data.len());
        self.put(address, data);
        address
    }

    /// An address just past the end of the window: unmapped.
    pub fn unmapped(&self) -> u64 {
        USER_BASE + USER_LEN as u64
    }

    pub fn put(&self, address: u64, data: &[u8]) {
        self.write(address, data).expect("inside the window");
    }

    pub fn get(&self, address: u64, len: usize) -> Vec<u8> {
        let mut buf = vec![0; len];
        self.read(address, &mut buf).expect("inside the window");
        buf
    }

    pub fn get_u32(&self, address: u64) -> u32 {
        u32::decode(&self.get(address, 4))
    }

    pub fn get_u64(&self, address: u64) -> u64 {
        u64::decode(&self.get(address, 8))
    }

    /// A record of type `T` read from `address`.
    pub fn get_struct<T: Wire>(&self, address: u64) -> T {
        T::decode(&self.get(address, T::SIZE))
    }

    /// A buffer holding `value`.
    pub fn alloc_struct<T: Wire>(&self, value: &T) -> u64 {
        let mut bytes = vec![0; T::SIZE];
        value.encode(&mut bytes);
        self.alloc_with(&bytes)
    }

    /// A buffer holding `values` back to back.
    pub fn alloc_array<T: Wire>(&self, values: &[T]) -> u64 {
        let mut bytes = vec![0; T::SIZE * values.len()];
        for (chunk, value) in bytes.chunks_exact_mut(T::SIZE).zip(values) {
            value.encode(chunk);
        }
        self.alloc_with(&bytes)
    }

    fn range(&self, address: u64, len: usize) -> Result<std::ops::Range<usize>, BadUserAccess> {
        let start = address.checked_sub(USER_BASE).ok_or(BadUserAccess)? as usize;
        let end = start.checked_add(len).ok_or(BadUserAccess)?;
        if end > USER_LEN {
            return Err(BadUserAccess);
        }
        Ok(start..end)
    }
}

impl UserMemory for FakeMemory {
    fn read(&self, address: u64, buf: &mut [u8]) -> Result<(), BadUserAccess> {
        let range = self.range(address, buf.len())?;
        buf.copy_from_slice(&self.bytes.lock().unwrap()[range]);
        Ok(())
    }

    fn write(&self, address: u64, data: &[u8]) -> Result<(), BadUserAccess> {
        let range = self.range(address, data.len())?;
        self.bytes.lock().unwrap()[range].copy_from_slice(data);
        Ok(())
    }
}

/// A kernel whose console is a byte vector.
pub struct FakeKernel {
    clock: Arc<dyn Clock>,
    pub console: Mutex<Vec<u8>>,
}

impl Kernel for FakeKernel {
    fn debug_write(&self, text: &[u8]) {
        self.console.lock().unwrap().extend_from_slice(text);
    }

    fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}

/// Keeps every started thread, as the kernel's executors would run it.
#[derive(Default)]
pub struct RecordingSpawner {
    started: Mutex<Vec<(StartedThread, ThreadStart)>>,
}

impl RecordingSpawner {
    /// How each thread started so far was started, by koid.
    pub fn starts(&self) -> Vec<(u64, ThreadStart)> {
        let started = self.started.lock().unwrap();
        started
            .iter()
            .map(|(thread, start)| (objects::KernelObject::koid(&***thread), *start))
            .collect()
    }

    /// Ends the threads that are dying (as the kernel does after their syscall returns).
    pub fn reap_dying(&self) {
        let dying: Vec<_> = {
            let mut started = self.started.lock().unwrap();
            let (dying, running) = started.drain(..).partition(|(thread, _)| thread.is_dying());
            *started = running;
            dying
        };
        drop(dying);
    }

    /// Ends every thread.
    pub fn end_all(&self) {
        let all = std::mem::take(&mut *self.started.lock().unwrap());
        drop(all);
    }
}

impl ThreadSpawner for RecordingSpawner {
    fn spawn(&self, thread: StartedThread, start: ThreadStart) {
        self.started.lock().unwrap().push((thread, start));
    }
}

struct FakePageTables;

impl PageTableFactory for FakePageTables {
    fn new_page_table(&self) -> ZxResult<Arc<dyn PageTable>> {
        Ok(FakePageTable::new())
    }

    fn aslr_seed(&self) -> u64 {
        0x5eed
    }
}

/// A calling thread, its process and job, and the machine under them.
pub struct Harness {
    pub clock: Arc<ManualClock>,
    pub memory: FakeMemory,
    pub kernel: FakeKernel,
    pub spawner: Arc<RecordingSpawner>,
    pub physical: Arc<FakePhysicalMemory>,
    pub root_job: Arc<Job>,
    /// The job the calling process lives in (the root job unless a policy was asked for).
    pub job: Arc<Job>,
    pub process: Arc<Process>,
    pub thread: Arc<Thread>,
}

impl Harness {
    /// A calling process directly under the root job.
    pub fn new() -> Harness {
        Harness::build(&[])
    }

    /// A calling process in a child job of the root with the basic `policy`.
    pub fn with_policy(policy: &[BasicPolicy]) -> Harness {
        Harness::build(policy)
    }

    fn build(policy: &[BasicPolicy]) -> Harness {
        let clock = ManualClock::new(0);
        let spawner = Arc::new(RecordingSpawner::default());
        let physical = FakePhysicalMemory::new();
        let context = TaskContext {
            clock: clock.clone(),
            physical: physical.clone(),
            page_tables: Arc::new(FakePageTables),
            spawner: spawner.clone(),
            cpu_count: 2,
        };
        let root_job = Job::root(Arc::new(context));
        let job = match policy {
            [] => root_job.clone(),
            entries => {
                let job = root_job.create_child().unwrap();
                job.set_policy(ZX_JOB_POL_RELATIVE, PolicyRequest::Basic(entries))
                    .unwrap();
                job
            }
        };
        let (process, _root_vmar) = Process::create(&job, b"caller").unwrap();
        let thread = Thread::create(&process, b"main").unwrap();
        process.start(&thread, ENTRY as usize, 0, None, 0).unwrap();

        let kernel = FakeKernel {
            clock: clock.clone(),
            console: Mutex::new(Vec::new()),
        };
        Harness {
            clock,
            memory: FakeMemory::new(),
            kernel,
            spawner,
            physical,
            root_job,
            job,
            process,
            thread,
        }
    }

    /// What a syscall of the calling thread runs with.
    pub fn context(&self) -> SyscallContext<'_> {
        SyscallContext {
            thread: &self.thread,
            process: &self.process,
            memory: &self.memory,
            kernel: &self.kernel,
        }
    }

    /// Runs a syscall that must not block; `args` are padded with zeros.
    pub fn call(&self, number: u64, args: &[u64]) -> i64 {
        let cx = self.context();
        let mut call = begin(&cx, number, args);
        match poll(&mut call) {
            Poll::Ready(result) => result,
            Poll::Pending => panic!("syscall {number} blocked"),
        }
    }

    /// Runs a syscall that must succeed.
    pub fn ok(&self, number: u64, args: &[u64]) {
        assert_eq!(
            self.call(number, args),
            ZX_OK as i64,
            "syscall {}",
            syscalls::abi::numbers::name(number).unwrap_or("?")
        );
    }

    /// Puts `handle` in the caller's table.
    pub fn insert(&self, handle: Handle) -> zx_handle_t {
        self.process.handles().insert(handle).unwrap()
    }

    /// A handle to the caller's job.
    pub fn job_handle(&self) -> zx_handle_t {
        self.insert(Handle::new(self.job.clone(), Rights::DEFAULT_JOB))
    }

    /// A handle to the calling process.
    pub fn process_handle(&self) -> zx_handle_t {
        self.insert(Handle::new(self.process.clone(), Rights::DEFAULT_PROCESS))
    }

    /// A handle to the calling thread.
    pub fn thread_handle(&self) -> zx_handle_t {
        self.insert(Handle::new(self.thread.clone(), Rights::DEFAULT_THREAD))
    }

    /// A handle to the calling process's root VMAR.
    pub fn root_vmar_handle(&self) -> zx_handle_t {
        let vmar = self.process.root_vmar();
        let rights = vmar.default_rights();
        self.insert(Handle::new(vmar, rights))
    }

    /// A new process in the caller's job: its handle and its root VMAR's.
    pub fn new_process(&self, name: &[u8]) -> (zx_handle_t, zx_handle_t) {
        let job = self.job_handle();
        let text = self.memory.alloc_with(name);
        let args = [job.into(), text, name.len() as u64, 0];
        self.create_pair(numbers::process_create, &args)
    }

    /// A new thread named "worker" in the process behind `process`.
    pub fn new_thread(&self, process: zx_handle_t) -> zx_handle_t {
        let name = self.memory.alloc_with(b"worker");
        self.create(numbers::thread_create, &[process.into(), name, 6, 0])
    }

    /// The kernel object behind `handle`.
    pub fn object<T: KernelObject>(&self, handle: zx_handle_t) -> Arc<T> {
        self.process
            .handles()
            .get::<T>(handle, Rights::empty())
            .unwrap()
    }

    /// Maps `len` bytes of `vmo` into `vmar` with `options` at `offset`: the status and the
    /// address.
    pub fn map(
        &self,
        vmar: zx_handle_t,
        options: u32,
        offset: u64,
        vmo: zx_handle_t,
        len: u64,
    ) -> (i64, u64) {
        let addr = self.memory.alloc(8);
        let args = [
            vmar.into(),
            options.into(),
            offset,
            vmo.into(),
            0,
            len,
            addr,
        ];
        let status = self.call(numbers::vmar_map, &args);
        (status, self.memory.get_u64(addr))
    }

    /// How many handles the caller holds.
    pub fn handle_count(&self) -> usize {
        self.process.handles().len()
    }

    /// Runs a creating syscall whose last argument is one output handle; returns the handle.
    pub fn create(&self, number: u64, args: &[u64]) -> zx_handle_t {
        let out = self.memory.alloc(4);
        let mut args = args.to_vec();
        args.push(out);
        self.ok(number, &args);
        self.memory.get_u32(out)
    }

    /// Runs a creating syscall whose last two arguments are output handles.
    pub fn create_pair(&self, number: u64, args: &[u64]) -> (zx_handle_t, zx_handle_t) {
        let out = self.memory.alloc(8);
        let mut args = args.to_vec();
        args.extend([out, out + 4]);
        self.ok(number, &args);
        (self.memory.get_u32(out), self.memory.get_u32(out + 4))
    }

    pub fn event(&self) -> zx_handle_t {
        self.create(numbers::event_create, &[0])
    }

    pub fn eventpair(&self) -> (zx_handle_t, zx_handle_t) {
        self.create_pair(numbers::eventpair_create, &[0])
    }

    pub fn channel(&self) -> (zx_handle_t, zx_handle_t) {
        self.create_pair(numbers::channel_create, &[0])
    }

    pub fn port(&self) -> zx_handle_t {
        self.create(numbers::port_create, &[0])
    }

    pub fn vmo(&self, size: u64) -> zx_handle_t {
        self.create(numbers::vmo_create, &[size, 0])
    }

    /// A duplicate of `handle` with only `rights`.
    pub fn reduced(&self, handle: zx_handle_t, rights: zx_rights_t) -> zx_handle_t {
        self.create(numbers::handle_duplicate, &[handle.into(), rights.into()])
    }

    /// `ZX_INFO_HANDLE_BASIC` of `handle`.
    pub fn basic_info(&self, handle: zx_handle_t) -> zx_info_handle_basic_t {
        self.info(handle, ZX_INFO_HANDLE_BASIC)
    }

    /// The one record of `topic` for `handle`.
    pub fn info<T: Wire>(&self, handle: zx_handle_t, topic: u32) -> T {
        let buffer = self.memory.alloc(T::SIZE);
        self.ok(
            numbers::object_get_info,
            &[handle.into(), topic.into(), buffer, T::SIZE as u64],
        );
        self.memory.get_struct(buffer)
    }

    /// The signals asserted on `handle`'s object now.
    pub fn signals(&self, handle: zx_handle_t) -> zx_signals_t {
        let observed = self.memory.alloc(4);
        let status = self.call(numbers::object_wait_one, &[handle.into(), 0, 0, observed]);
        assert_eq!(status, ZX_ERR_TIMED_OUT as i64);
        self.memory.get_u32(observed)
    }

    /// `ZX_INFO_THREAD` state of the calling thread.
    pub fn thread_state(&self) -> u32 {
        self.thread.info().state.into_raw()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // Threads hold their processes, which hold the job tree, which holds the spawner:
        // ending the threads breaks that cycle.
        self.process.handles().close_all();
        self.spawner.end_all();
    }
}

/// A syscall as a future, to poll by hand.
pub type Call<'a> = Pin<Box<dyn Future<Output = i64> + 'a>>;

/// Starts syscall `number` in `cx`, without polling it.
pub fn begin<'a>(cx: &'a SyscallContext<'a>, number: u64, args: &[u64]) -> Call<'a> {
    let mut raw = [0; 8];
    raw[..args.len()].copy_from_slice(args);
    Box::pin(dispatch(cx, number, raw))
}

/// Polls `call` once, with a waker that does nothing.
pub fn poll(call: &mut Call<'_>) -> Poll<i64> {
    call.as_mut().poll(&mut Context::from_waker(Waker::noop()))
}

/// `status` as the `i64` dispatch returns.
pub fn st(status: zx_status_t) -> i64 {
    status.into()
}
