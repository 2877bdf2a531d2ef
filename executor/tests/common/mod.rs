//! A fake multi-CPU machine for the executor's host tests: OS threads stand in for CPUs.
//!
//! `HostPlatform` implements the executor's `Platform` the way the kernel does, with threads for
//! hardware:
//! - the current CPU is a thread-local index, set when a thread becomes a CPU;
//! - a wake-up IPI sets the CPU's pending flag and unparks its thread; halting parks until the
//!   flag is set, so a wake that lands between the executor's last look and the halt is not
//!   lost (the pending flag plays the part of the pending interrupt under `sti; hlt`);
//! - masking interrupts only records that they are masked, so that the fake can check the
//!   executor halts with them masked and unmasks them exactly once;
//! - a timer thread plays every CPU's one-shot timer: when a CPU's deadline passes it runs the
//!   executor's timer interrupt handler *as that CPU* (the thread-local index is set for the
//!   call), then ends the CPU's halt, as a real interrupt would, whether the CPU is busy or idle;
//! - the clock is either the host's monotonic clock or a virtual one the test moves by hand.
//!
//! `Machine` owns one executor on such a platform with its CPU threads, and stops and joins them
//! when dropped. Waits are bounded by `HANG_GUARD` so that a lost wake-up fails a test instead
//! of hanging it; no test asserts how fast anything is.

#![allow(dead_code)]

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, JoinHandle, Thread};
use std::time::{Duration, Instant};

use executor::{Executor, INFINITE, Platform, Time};
use futures_util::task::AtomicWaker;

/// How long a test waits for something that must happen before calling it lost.
pub const HANG_GUARD: Duration = Duration::from_secs(30);

/// The executor's task limit on test machines, unless a test picks one.
pub const MAX_TASKS: usize = 1 << 16;

thread_local! {
    /// The CPU this thread is, or `usize::MAX` for a thread that is no CPU.
    static CURRENT_CPU: Cell<usize> = const { Cell::new(usize::MAX) };
    /// Whether this CPU has masked its (pretend) interrupts.
    static INTERRUPTS_MASKED: Cell<bool> = const { Cell::new(false) };
}

/// Which clock the machine reads.
pub enum Clock {
    /// The host's monotonic clock, counted from the machine's creation.
    Real(Instant),
    /// A clock that moves only when the test calls `Machine::advance_clock`.
    Virtual(AtomicI64),
}

/// One pretend CPU.
struct HostCpu {
    /// A wake-up "interrupt" is pending: the next halt returns at once.
    pending: AtomicBool,
    /// The thread that is this CPU, once it has started.
    thread: OnceLock<Thread>,
    /// The one-shot timer's deadline, or `INFINITE`.
    deadline: AtomicI64,
    /// How many times the CPU halted.
    halts: AtomicUsize,
}

/// The executor's `Platform` on OS threads.
pub struct HostPlatform {
    cpus: Vec<HostCpu>,
    clock: Clock,
    /// The executor, for delivering timer interrupts and stopping when no task is left.
    executor: OnceLock<&'static Executor<HostPlatform>>,
    /// Guards the timer thread's sleep; `true` once the machine shuts down.
    timer_shutdown: Mutex<bool>,
    timer_changed: Condvar,
    /// How many times the live-task count dropped to zero.
    all_finished: AtomicUsize,
    /// Stop the run loops when the live-task count drops to zero.
    stop_when_done: AtomicBool,
}

impl HostPlatform {
    fn new(cpus: usize, clock: Clock) -> Self {
        let cpus = (0..cpus)
            .map(|_| HostCpu {
                pending: AtomicBool::new(false),
                thread: OnceLock::new(),
                deadline: AtomicI64::new(INFINITE),
                halts: AtomicUsize::new(0),
            })
            .collect();
        Self {
            cpus,
            clock,
            executor: OnceLock::new(),
            timer_shutdown: Mutex::new(false),
            timer_changed: Condvar::new(),
            all_finished: AtomicUsize::new(0),
            stop_when_done: AtomicBool::new(false),
        }
    }

    /// Makes the calling thread CPU `cpu`.
    fn become_cpu(&self, cpu: usize) {
        CURRENT_CPU.with(|current| current.set(cpu));
        self.cpus[cpu]
            .thread
            .set(thread::current())
            .expect("a CPU started twice");
    }

    /// How many times the live-task count has dropped to zero.
    pub fn all_finished_count(&self) -> usize {
        self.all_finished.load(Ordering::SeqCst)
    }

    /// How many times `cpu` has halted.
    pub fn halts(&self, cpu: usize) -> usize {
        self.cpus[cpu].halts.load(Ordering::SeqCst)
    }

    /// The timer thread: delivers each CPU's timer interrupt once its deadline has passed.
    fn run_timers(&self) {
        let mut shutdown = self.timer_shutdown.lock().unwrap();
        while !*shutdown {
            let now = self.now();
            let mut earliest = INFINITE;
            for (index, cpu) in self.cpus.iter().enumerate() {
                let deadline = cpu.deadline.load(Ordering::SeqCst);
                if deadline > now {
                    earliest = earliest.min(deadline);
                } else if cpu
                    .deadline
                    .compare_exchange(deadline, INFINITE, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
                {
                    self.deliver_timer_interrupt(index);
                }
            }

            shutdown = match self.clock {
                Clock::Real(_) if earliest != INFINITE => {
                    let wait = Duration::from_nanos((earliest - now) as u64);
                    self.timer_changed.wait_timeout(shutdown, wait).unwrap().0
                }
                _ => self.timer_changed.wait(shutdown).unwrap(),
            };
        }
    }

    /// Runs the executor's timer interrupt handler as CPU `cpu`, then ends its halt.
    fn deliver_timer_interrupt(&self, cpu: usize) {
        let executor = self
            .executor
            .get()
            .expect("timer fired before the executor was set");
        CURRENT_CPU.with(|current| current.set(cpu));
        executor.on_timer_interrupt();
        CURRENT_CPU.with(|current| current.set(usize::MAX));
        self.wake_cpu(cpu);
    }

    /// Wakes the timer thread so that it looks at the deadlines again.
    fn kick_timer_thread(&self) {
        let _guard = self.timer_shutdown.lock().unwrap();
        self.timer_changed.notify_one();
    }
}

impl Platform for HostPlatform {
    fn cpu_count(&self) -> usize {
        self.cpus.len()
    }

    fn current_cpu(&self) -> usize {
        CURRENT_CPU.with(Cell::get)
    }

    fn wake_cpu(&self, cpu: usize) {
        let target = &self.cpus[cpu];
        target.pending.store(true, Ordering::SeqCst);
        if let Some(thread) = target.thread.get() {
            thread.unpark();
        }
    }

    fn now(&self) -> Time {
        match &self.clock {
            Clock::Real(start) => start.elapsed().as_nanos() as Time,
            Clock::Virtual(now) => now.load(Ordering::SeqCst),
        }
    }

    fn set_timer(&self, deadline: Time) {
        let cpu = self.current_cpu();
        assert!(cpu < self.cpus.len(), "set_timer called outside a CPU");
        self.cpus[cpu].deadline.store(deadline, Ordering::SeqCst);
        self.kick_timer_thread();
    }

    fn disable_interrupts(&self) {
        let was_masked = INTERRUPTS_MASKED.with(|masked| masked.replace(true));
        assert!(!was_masked, "interrupts masked twice");
    }

    fn enable_interrupts(&self) {
        let was_masked = INTERRUPTS_MASKED.with(|masked| masked.replace(false));
        assert!(was_masked, "interrupts unmasked while not masked");
    }

    fn enable_interrupts_and_halt(&self) {
        self.enable_interrupts();
        let cpu = &self.cpus[self.current_cpu()];
        cpu.halts.fetch_add(1, Ordering::SeqCst);
        while !cpu.pending.swap(false, Ordering::SeqCst) {
            thread::park();
        }
    }

    fn on_all_tasks_finished(&self) {
        self.all_finished.fetch_add(1, Ordering::SeqCst);
        if self.stop_when_done.load(Ordering::SeqCst) {
            self.executor.get().expect("no executor").stop();
        }
    }
}

/// One executor on a `HostPlatform`, with a thread per CPU and a timer thread.
pub struct Machine {
    pub exec: &'static Executor<HostPlatform>,
    cpu_threads: Vec<JoinHandle<()>>,
    timer_thread: Option<JoinHandle<()>>,
}

impl Machine {
    /// A running machine with `cpus` CPUs on the host's clock.
    pub fn new(cpus: usize) -> Self {
        let mut machine = Self::unstarted(cpus, MAX_TASKS, Clock::Real(Instant::now()));
        machine.start();
        machine
    }

    /// A running machine with `cpus` CPUs on a virtual clock that starts at zero.
    pub fn with_virtual_clock(cpus: usize) -> Self {
        let mut machine = Self::unstarted(cpus, MAX_TASKS, Clock::Virtual(AtomicI64::new(0)));
        machine.start();
        machine
    }

    /// A machine whose CPUs have not started their run loops yet: tasks spawned now wait.
    pub fn unstarted(cpus: usize, max_tasks: usize, clock: Clock) -> Self {
        let platform = HostPlatform::new(cpus, clock);
        let exec: &'static Executor<HostPlatform> =
            Box::leak(Box::new(Executor::new(platform, max_tasks)));
        exec.platform()
            .executor
            .set(exec)
            .ok()
            .expect("executor set twice");
        let timer_thread = thread::Builder::new()
            .name("timer".into())
            .spawn(move || exec.platform().run_timers())
            .unwrap();
        Self {
            exec,
            cpu_threads: Vec::new(),
            timer_thread: Some(timer_thread),
        }
    }

    /// Starts every CPU's run loop.
    pub fn start(&mut self) {
        assert!(self.cpu_threads.is_empty(), "machine started twice");
        for cpu in 0..self.exec.cpu_count() {
            let exec = self.exec;
            let thread = thread::Builder::new()
                .name(format!("cpu{cpu}"))
                .spawn(move || {
                    exec.platform().become_cpu(cpu);
                    exec.run();
                })
                .unwrap();
            self.cpu_threads.push(thread);
        }
    }

    /// The platform, for its counters.
    pub fn platform(&self) -> &'static HostPlatform {
        self.exec.platform()
    }

    /// Makes the run loops return by themselves once no task is left.
    pub fn stop_when_done(&self) {
        self.platform().stop_when_done.store(true, Ordering::SeqCst);
    }

    /// Waits until no task is alive.
    pub fn wait_for_all_tasks(&self) {
        wait_until("every task to finish", || self.exec.live_tasks() == 0);
    }

    /// Moves the virtual clock to `now` and lets the timer thread fire what has expired.
    pub fn advance_clock(&self, now: Time) {
        let Clock::Virtual(clock) = &self.platform().clock else {
            panic!("advance_clock needs a virtual clock");
        };
        clock.store(now, Ordering::SeqCst);
        self.platform().kick_timer_thread();
    }

    /// Waits for every CPU's run loop to return by itself (after `stop_when_done`), and fails
    /// if one of them panicked.
    pub fn join(mut self) {
        self.join_cpus();
    }

    /// Stops the run loops, joins the CPU threads, and fails if one of them panicked.
    pub fn shutdown(mut self) {
        self.exec.stop();
        self.join_cpus();
    }

    fn join_cpus(&mut self) {
        let mut panicked = false;
        for thread in self.cpu_threads.drain(..) {
            panicked |= thread.join().is_err();
        }
        if let Some(timer) = self.timer_thread.take() {
            *self.platform().timer_shutdown.lock().unwrap() = true;
            self.platform().timer_changed.notify_one();
            panicked |= timer.join().is_err();
        }
        if panicked && !thread::panicking() {
            panic!("a CPU thread panicked");
        }
    }
}

impl Drop for Machine {
    fn drop(&mut self) {
        self.exec.stop();
        self.join_cpus();
    }
}

/// Waits until `condition` holds; panics after `HANG_GUARD`.
pub fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < HANG_GUARD, "gave up waiting for {what}");
        thread::sleep(Duration::from_micros(200));
    }
}

/// Wakes a thread blocked in `block_on`.
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` to completion on the calling thread (which is no CPU); panics after
/// `HANG_GUARD`.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let start = Instant::now();
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        assert!(start.elapsed() < HANG_GUARD, "gave up waiting for a future");
        thread::park_timeout(Duration::from_millis(10));
    }
}

/// The CPU the calling task runs on.
pub fn current_cpu() -> usize {
    CURRENT_CPU.with(Cell::get)
}

/// A one-shot event a task can await and any thread can set.
#[derive(Default)]
pub struct Event {
    set: AtomicBool,
    waker: AtomicWaker,
}

impl Event {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Sets the event and wakes its waiter.
    pub fn set(&self) {
        self.set.store(true, Ordering::SeqCst);
        self.waker.wake();
    }

    pub fn is_set(&self) -> bool {
        self.set.load(Ordering::SeqCst)
    }

    /// Completes once the event is set.
    pub async fn wait(&self) {
        std::future::poll_fn(|cx| {
            if self.is_set() {
                return Poll::Ready(());
            }
            self.waker.register(cx.waker());
            if self.is_set() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await
    }
}
