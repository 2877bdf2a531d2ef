//! The executor: spawning tasks, placing them on CPUs and getting woken tasks back into a ready
//! queue.
//!
//! One `Executor` serves the whole machine. It holds one `Cpu` block per CPU and counts the live
//! tasks (spawned, future not yet dropped). The count bounds the ready queues (see `queue.rs`)
//! and tells the kernel when no task is left.
//!
//! # Waking a CPU
//! After a push, `notify` decides whether a CPU must be woken:
//! - the queue's CPU, if it is not the current one and is idle (about to halt or halted);
//! - if it is another CPU and busy, one idle CPU, which will steal the task (see `run.rs`)
//!   rather than let it wait for a poll that may be long (a user thread runs until a trap);
//! - if it is the current CPU, whose poll is about to end, an idle CPU only when the queue
//!   holds a backlog (more than one task). So two tasks waking each other on one CPU stay
//!   there without IPIs, while a burst of spawns spreads.
//!
//! A CPU that goes idle sets its `idle` flag, then looks at the queues; a waker pushes, then looks
//! at the flag. A sequentially consistent fence on each side guarantees that at least one of the
//! two sees the other: either the idle CPU finds the task, or the waker sees the flag and sends
//! the IPI. The waker that clears the flag is the one that sends it, so an idle CPU gets one IPI
//! however many tasks are pushed at it.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use core::future::Future;

use crate::cpu::Cpu;
use crate::join::JoinHandle;
use crate::platform::{Platform, Time};
use crate::queue::TaskRef;
use crate::sync::{AtomicBool, AtomicUsize, Ordering, fence};
use crate::task::Task;

/// Why a task could not be spawned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpawnError {
    /// `max_tasks` tasks are already alive (Zircon would answer `ZX_ERR_NO_RESOURCES`).
    TaskLimit,
    /// `spawn_on` named a CPU index at or beyond the CPU count.
    NoSuchCpu,
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpawnError::TaskLimit => f.write_str("the executor's task limit is reached"),
            SpawnError::NoSuchCpu => f.write_str("no CPU has that index"),
        }
    }
}

/// Runs tasks on every CPU of the machine; see the crate documentation for how the kernel
/// drives it.
pub struct Executor<P: Platform> {
    /// The machine.
    pub(crate) platform: P,
    /// One block per CPU, indexed by dense CPU index.
    pub(crate) cpus: Box<[Cpu]>,
    /// Tasks spawned whose future has not been dropped yet.
    live_tasks: AtomicUsize,
    /// The most tasks alive at once; the ready queues have room for this many together.
    max_tasks: usize,
    /// How many CPUs have their `idle` flag set.
    pub(crate) idle_cpus: AtomicUsize,
    /// Round-robin placement for tasks spawned from outside the executor's CPUs.
    next_cpu: AtomicUsize,
    /// Set by `stop`: every run loop returns.
    pub(crate) stopping: AtomicBool,
}

impl<P: Platform> Executor<P> {
    /// Makes an executor for the CPUs `platform` reports, admitting at most `max_tasks` live
    /// tasks. The ready queues take about 24 bytes per admitted task in all.
    ///
    /// # Panics
    /// If the platform reports no CPU or `max_tasks` is zero.
    pub fn new(platform: P, max_tasks: usize) -> Self {
        let cpu_count = platform.cpu_count();
        assert!(cpu_count > 0, "an executor needs at least one CPU");
        assert!(
            max_tasks > 0,
            "an executor needs room for at least one task"
        );

        let per_cpu = max_tasks.div_ceil(cpu_count);
        let cpus: Vec<Cpu> = (0..cpu_count).map(|_| Cpu::new(per_cpu)).collect();
        Self {
            platform,
            cpus: cpus.into_boxed_slice(),
            live_tasks: AtomicUsize::new(0),
            max_tasks,
            idle_cpus: AtomicUsize::new(0),
            next_cpu: AtomicUsize::new(0),
            stopping: AtomicBool::new(false),
        }
    }

    /// The platform the executor was made with.
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// How many CPUs the executor runs on.
    pub fn cpu_count(&self) -> usize {
        self.cpus.len()
    }

    /// The monotonic clock, in nanoseconds since boot.
    pub fn now(&self) -> Time {
        self.platform.now()
    }

    /// How many tasks are alive: spawned, and their future not yet completed or dropped.
    pub fn live_tasks(&self) -> usize {
        self.live_tasks.load(Ordering::Acquire)
    }

    /// Spawns `future` on the current CPU (or, from outside the executor's CPUs, on the CPUs in
    /// turn). Idle CPUs may steal it before it first runs.
    ///
    /// Dropping the returned handle cancels the task; see [`JoinHandle`].
    pub fn spawn<F>(&'static self, future: F) -> Result<JoinHandle<F::Output>, SpawnError>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.spawn_with(|| future)
    }

    /// As [`spawn`](Self::spawn), for the future that `make` returns, which is made straight in
    /// the task's allocation: a large future (a user thread's) is not copied there. When the
    /// task cannot be spawned, `make` is dropped without being called.
    pub fn spawn_with<F>(
        &'static self,
        make: impl FnOnce() -> F,
    ) -> Result<JoinHandle<F::Output>, SpawnError>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let here = self.platform.current_cpu();
        let cpu = if here < self.cpus.len() {
            here
        } else {
            self.next_cpu.fetch_add(1, Ordering::Relaxed) % self.cpus.len()
        };
        self.spawn_on_with(cpu, make)
    }

    /// Spawns `future` on the ready queue of `cpu`. This is placement, not affinity: like any
    /// task, it may later be stolen by an idle CPU.
    pub fn spawn_on<F>(
        &'static self,
        cpu: usize,
        future: F,
    ) -> Result<JoinHandle<F::Output>, SpawnError>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.spawn_on_with(cpu, || future)
    }

    /// As [`spawn_on`](Self::spawn_on), for the future that `make` returns (see
    /// [`spawn_with`](Self::spawn_with)).
    fn spawn_on_with<F>(
        &'static self,
        cpu: usize,
        make: impl FnOnce() -> F,
    ) -> Result<JoinHandle<F::Output>, SpawnError>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        if cpu >= self.cpus.len() {
            return Err(SpawnError::NoSuchCpu);
        }
        self.admit_task()?;

        let task = Task::new(self, cpu, make);
        let handle = JoinHandle::new(task.clone());
        self.enqueue(task, cpu);
        log::debug!(
            "cpu {}: spawned a task on cpu {cpu}",
            self.platform.current_cpu()
        );
        Ok(handle)
    }

    /// Asks every run loop to return. The kernel never calls this; host tests do.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
        fence(Ordering::SeqCst);
        for cpu in 0..self.cpus.len() {
            self.platform.wake_cpu(cpu);
        }
    }

    /// Counts a new live task, unless the limit is reached.
    fn admit_task(&self) -> Result<(), SpawnError> {
        self.live_tasks
            .fetch_update(Ordering::AcqRel, Ordering::Relaxed, |live| {
                (live < self.max_tasks).then_some(live + 1)
            })
            .map(|_| ())
            .map_err(|_| SpawnError::TaskLimit)
    }

    /// A task's future has been dropped: count it out, and tell the platform if it was the last.
    pub(crate) fn task_finished(&self) {
        if self.live_tasks.fetch_sub(1, Ordering::AcqRel) == 1 {
            log::debug!("cpu {}: no task left", self.platform.current_cpu());
            self.platform.on_all_tasks_finished();
        }
    }

    /// Pushes a scheduled task onto `cpu`'s ready queue, or onto the next CPU's with room if that
    /// one is full, and wakes whichever CPU must see it. Interrupt-safe: never allocates, blocks
    /// or panics.
    pub(crate) fn enqueue(&self, task: TaskRef, cpu: usize) {
        let mut task = task;
        let mut target = cpu;
        // Terminates: the task being pushed is alive and in no queue, so fewer than `max_tasks`
        // tasks are queued and some queue has room (see `queue.rs`).
        loop {
            match self.cpus[target].queue.push(task) {
                Ok(()) => break,
                Err(back) => {
                    task = back;
                    target = (target + 1) % self.cpus.len();
                }
            }
        }
        self.notify(target);
    }

    /// A task was just pushed onto `target`'s queue: wake the CPU that must run it, if any.
    fn notify(&self, target: usize) {
        // Pairs with the fence in `Executor::idle`: either that CPU sees the push, or we see its
        // idle flag.
        fence(Ordering::SeqCst);
        if target != self.platform.current_cpu() {
            if self.claim_idle(target) {
                self.platform.wake_cpu(target);
            } else if self.idle_cpus.load(Ordering::Relaxed) != 0 {
                // The target is busy with a poll that may be long: an idle CPU can steal.
                self.wake_helper(target);
            }
        } else if self.idle_cpus.load(Ordering::Relaxed) != 0 && self.cpus[target].queue.len() > 1 {
            // Our own poll is about to end, so one queued task is soon run; a backlog is not.
            self.wake_helper(target);
        }
    }

    /// Clears `cpu`'s idle flag; true if it was set, in which case the caller must wake it.
    pub(crate) fn claim_idle(&self, cpu: usize) -> bool {
        let idle = &self.cpus[cpu].idle;
        if idle.load(Ordering::Relaxed) && idle.swap(false, Ordering::Acquire) {
            self.idle_cpus.fetch_sub(1, Ordering::Relaxed);
            return true;
        }
        false
    }

    /// Wakes one idle CPU other than `busy`, so that it steals from `busy`'s backlog.
    pub(crate) fn wake_helper(&self, busy: usize) {
        let n = self.cpus.len();
        let helper = (1..n)
            .map(|i| (busy + i) % n)
            .find(|&cpu| self.claim_idle(cpu));
        if let Some(cpu) = helper {
            self.platform.wake_cpu(cpu);
        }
    }
}
