//! The per-CPU run loop: poll ready tasks, fire expired timers, steal when out of work, and
//! halt without losing a wake-up when there is nothing at all.
//!
//! # One turn of the loop
//! 1. If the timer interrupt fired, wake the expired sleepers and reprogram the timer.
//! 2. Pop the front of this CPU's queue and poll it. Tasks that yield or are woken during their
//!    poll go to the back, so a task that yields in a loop lets every other ready task run
//!    first. If more tasks wait behind it and some CPU is idle, wake that CPU to steal.
//! 3. With the queue empty, steal one task from another CPU's queue (any CPU with queued work is
//!    busy with something else) and poll it here; it then belongs to this CPU.
//! 4. With nothing to steal, idle: mask interrupts, set the idle flag, fence, and look at every
//!    queue, the timer flag and the stop flag once more. Only if all are empty, enable
//!    interrupts and halt as one step (`sti; hlt`). A wake-up that lands after the look sees the
//!    idle flag and sends an IPI, which stays pending until the `hlt` and ends it.
//!
//! Stealing takes one task at a time from the first CPU with queued work, starting at the next
//! CPU up, so that thieves spread over victims.

use crate::Executor;
use crate::platform::Platform;
use crate::queue::TaskRef;
use crate::sync::{Ordering, fence, spin_hint};

impl<P: Platform> Executor<P> {
    /// Runs the current CPU's loop: polls tasks until [`Executor::stop`] is called, which the
    /// kernel never does. Each CPU calls this once, after its bring-up, with interrupts enabled.
    ///
    /// # Panics
    /// If the platform's current CPU index is not one of the executor's CPUs.
    pub fn run(&self) {
        let me = self.platform.current_cpu();
        assert!(
            me < self.cpus.len(),
            "run() called on cpu {me}, outside the executor"
        );
        // A boot milestone: each CPU's executor starts once.
        log::info!("executor running on cpu {me}");

        let cpu = &self.cpus[me];
        while !self.stopping.load(Ordering::Relaxed) {
            if cpu.timer_fired.load(Ordering::Relaxed) {
                cpu.timer_fired.store(false, Ordering::Relaxed);
                self.fire_timers(me);
            }

            if let Some(task) = self.pop(me) {
                if self.idle_cpus.load(Ordering::Relaxed) != 0 && !cpu.queue.is_empty() {
                    self.wake_helper(me);
                }
                task.run(me);
            } else if let Some(task) = self.steal(me) {
                task.run(me);
            } else {
                self.idle(me);
            }
        }
        log::debug!("cpu {me}: executor stopped");
    }

    /// Tells the executor that the calling task is about to run for a long time without
    /// returning to the run loop (the kernel calls this before entering user mode): if other
    /// tasks wait in this CPU's queue and some CPU is idle, that CPU is woken to steal them.
    ///
    /// Without it a task queued behind a long poll waits for that poll to end, since a wake on
    /// the CPU itself (whose poll is normally about to end) calls in an idle CPU only for a
    /// backlog of two or more. Costs one relaxed load when no CPU is idle.
    #[inline]
    pub fn offer_ready_tasks(&self) {
        if self.idle_cpus.load(Ordering::Relaxed) != 0 {
            self.offer_to_idle_cpus();
        }
    }

    /// [`Self::offer_ready_tasks`] when some CPU is idle: wakes one if this CPU has a backlog.
    fn offer_to_idle_cpus(&self) {
        let me = self.platform.current_cpu();
        if me < self.cpus.len() && !self.cpus[me].queue.is_empty() {
            self.wake_helper(me);
        }
    }

    /// Takes one task from another CPU's queue.
    fn steal(&self, me: usize) -> Option<TaskRef> {
        let n = self.cpus.len();
        (1..n)
            .map(|i| (me + i) % n)
            .find_map(|victim| self.pop(victim))
    }

    /// Takes the front task of CPU `cpu`'s queue with interrupts masked, so that no interrupt
    /// handler of this CPU runs while the pop is under way: a push meeting a pop that has
    /// claimed its slot waits for the pop to finish (see `queue.rs`), and waiting on a pop it
    /// interrupted would never end. The run loop runs with interrupts enabled.
    #[inline]
    fn pop(&self, cpu: usize) -> Option<TaskRef> {
        self.platform.disable_interrupts();
        let task = self.cpus[cpu].queue.pop();
        self.platform.enable_interrupts();
        task
    }

    /// Halts the CPU until something may have arrived for it.
    fn idle(&self, me: usize) {
        let cpu = &self.cpus[me];
        self.platform.disable_interrupts();
        // Count first: a waker that sees the flag and clears it also sees the count it decrements.
        // A swap rather than a store: the flag is otherwise only swapped, and loom 0.7 mis-models
        // a plain store racing with other threads' swaps (it lets this CPU read an older value
        // after its own store). On the idle path the extra locked operation costs nothing.
        self.idle_cpus.fetch_add(1, Ordering::Relaxed);
        cpu.idle.swap(true, Ordering::Release);
        // Pairs with the fence in `Executor::notify` (and `stop`, and foreign timer
        // registration): either we see their push, or they see our idle flag.
        fence(Ordering::SeqCst);

        if self.has_work(me) {
            self.claim_idle(me);
            self.platform.enable_interrupts();
            // The work may be a push still under way on another CPU; let it finish.
            spin_hint();
            return;
        }
        self.platform.enable_interrupts_and_halt();
        self.claim_idle(me);
    }

    /// Whether anything waits for this CPU: a stop request, a timer, or a task in any queue.
    fn has_work(&self, me: usize) -> bool {
        self.stopping.load(Ordering::Relaxed)
            || self.cpus[me].timer_fired.load(Ordering::Relaxed)
            || self.cpus.iter().any(|cpu| !cpu.queue.is_empty())
    }
}
