//! The demo a normal build runs, in two parts, each reporting where its work ran:
//!
//! 1. Work spread: a few tasks per CPU, each doing rounds of busy work with a short sleep in
//!    between. Sleeps wake on the CPU whose timer they registered on, and idle CPUs steal
//!    queued tasks, so the rounds spread over every CPU.
//! 2. A ring: one task per CPU passing a token, each hand-over a wake-up of another task, which
//!    crosses CPUs whenever the two tasks live on different ones.
//!
//! When the last task ends the machine powers off, so `make qemu-smp` ends with status 0.

use super::event::Event;
use super::executor;
use crate::arch::x86_64::percpu::cpu_index;
use crate::arch::x86_64::tsc;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicUsize, Ordering};

/// Work tasks per CPU.
const WORKERS_PER_CPU: usize = 3;
/// Rounds of work each work task does.
const ROUNDS: usize = 8;
/// Busy work per round, and the sleep after it, in nanoseconds.
const WORK_NS: u64 = 300_000;
const NAP_NS: i64 = 500_000;
/// Times the token goes round the ring.
const LAPS: usize = 20;

/// Per-CPU counters.
struct PerCpuCount(Vec<AtomicUsize>);

impl PerCpuCount {
    fn new(cpus: usize) -> Self {
        PerCpuCount((0..cpus).map(|_| AtomicUsize::new(0)).collect())
    }

    fn add_here(&self) {
        self.0[cpu_index()].fetch_add(1, Ordering::Relaxed);
    }

    fn report(&self, what: &str) {
        let counts: Vec<usize> = self.0.iter().map(|c| c.load(Ordering::Relaxed)).collect();
        let busy = counts.iter().filter(|&&c| c > 0).count();
        log::info!(
            "demo: {what} per CPU {counts:?}: {busy} of {} CPUs did some",
            counts.len()
        );
    }
}

struct Ring {
    /// Task `i` waits on `events[i]` and signals `events[(i + 1) % n]`.
    events: Vec<Event>,
    hops: PerCpuCount,
    /// Hand-overs where the receiving task ran on another CPU than the sender.
    cross_cpu: AtomicUsize,
    last_cpu: AtomicUsize,
}

/// Runs the demo: work on every CPU, then tokens handed around a ring of tasks.
pub async fn run() {
    let cpus = executor().cpu_count();
    log::info!(
        "demo: {} tasks doing {ROUNDS} rounds of work on {cpus} CPUs",
        cpus * WORKERS_PER_CPU
    );
    let rounds = Arc::new(PerCpuCount::new(cpus));
    let workers: Vec<_> = (0..cpus * WORKERS_PER_CPU)
        .map(|i| {
            let rounds = rounds.clone();
            executor()
                .spawn_on(i % cpus, work(rounds))
                .expect("room for the demo")
        })
        .collect();
    for worker in workers {
        worker.await;
    }
    rounds.report("rounds of work");

    let ring = Arc::new(Ring {
        events: (0..cpus).map(|_| Event::new()).collect(),
        hops: PerCpuCount::new(cpus),
        cross_cpu: AtomicUsize::new(0),
        last_cpu: AtomicUsize::new(cpu_index()),
    });
    let tasks: Vec<_> = (0..cpus)
        .map(|i| {
            executor()
                .spawn_on(i, ring_task(ring.clone(), i))
                .expect("room for the demo")
        })
        .collect();
    for task in tasks {
        task.await;
    }
    ring.hops.report("token hand-overs");
    log::info!(
        "demo: the token went {LAPS} times round {cpus} tasks; {} of {} hand-overs woke a task \
         on another CPU",
        ring.cross_cpu.load(Ordering::Relaxed),
        LAPS * cpus
    );
}

async fn work(rounds: Arc<PerCpuCount>) {
    for _ in 0..ROUNDS {
        tsc::spin_for(WORK_NS);
        rounds.add_here();
        executor()
            .sleep_until(executor().deadline_after(NAP_NS))
            .await;
    }
}

async fn ring_task(ring: Arc<Ring>, i: usize) {
    let cpus = ring.events.len();
    for lap in 0..LAPS {
        if i != 0 || lap != 0 {
            ring.events[i].wait().await;
        }
        let here = cpu_index();
        ring.hops.add_here();
        if ring.last_cpu.swap(here, Ordering::Relaxed) != here {
            ring.cross_cpu.fetch_add(1, Ordering::Relaxed);
        }
        ring.events[(i + 1) % cpus].signal();
    }
}
