//! The benchmark cases. Every span is two `rdtsc` reads, so each figure also holds one read's
//! cost; the tasks involved are placed with `spawn_on` and checked to have run where placed.

use super::Runs;
use crate::arch::x86_64::percpu::cpu_index;
use crate::arch::x86_64::tsc;
use crate::sched::event::Event;
use crate::sched::executor;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// The CPU the single-CPU cases run on.
const HOME_CPU: usize = 0;
/// How long `ipi_wake` lets the remote CPU settle into `hlt` before each wake, in nanoseconds.
const SETTLE_NS: i64 = 200_000;

/// Two tasks on one CPU taking turns; what is shared between them.
struct PingPong {
    ping: Event,
    pong: Event,
    /// TSC read by one side just before it gives up the CPU, or before it wakes the other.
    stamp: AtomicU64,
}

impl PingPong {
    fn new() -> Arc<PingPong> {
        Arc::new(PingPong {
            ping: Event::new(),
            pong: Event::new(),
            stamp: AtomicU64::new(0),
        })
    }
}

/// `kernel_future_switch`: task A wakes task B (queued behind A on the same CPU), reads the TSC
/// and awaits its own event, returning `Pending`; B reads the TSC first thing when its poll
/// resumes. The span is the end of A's poll, the run loop popping B, and the start of B's poll.
pub async fn future_switch(runs: Runs) -> Vec<u64> {
    let shared = PingPong::new();
    let b = shared.clone();
    let receiver = executor()
        .spawn_on(HOME_CPU, async move {
            let mut samples = Vec::with_capacity(runs.total());
            for _ in 0..runs.total() {
                b.ping.wait().await;
                samples.push(tsc::read() - b.stamp.load(Ordering::Relaxed));
                b.pong.signal();
            }
            samples
        })
        .expect("room for the benchmark");
    let a = shared;
    let sender = executor()
        .spawn_on(HOME_CPU, async move {
            for _ in 0..runs.total() {
                a.ping.signal();
                a.stamp.store(tsc::read(), Ordering::Relaxed);
                a.pong.wait().await;
            }
        })
        .expect("room for the benchmark");
    sender.await;
    let samples = receiver.await;
    samples[runs.warm_up..].to_vec()
}

/// `kernel_wake_same_cpu`: task B waits on its event; task A, on the same CPU, reads the TSC,
/// signals the event (which wakes B: B is pushed on this CPU's ready queue) and reads the TSC
/// again. The span is the whole wake: flag store, waker take, task state update, queue push and
/// the check for an idle CPU to notify.
pub async fn wake_same_cpu(runs: Runs) -> Vec<u64> {
    let shared = PingPong::new();
    let b = shared.clone();
    let waiter = executor()
        .spawn_on(HOME_CPU, async move {
            for _ in 0..runs.total() {
                b.ping.wait().await;
                b.pong.signal();
            }
        })
        .expect("room for the benchmark");
    let a = shared;
    let waker = executor()
        .spawn_on(HOME_CPU, async move {
            let mut samples = Vec::with_capacity(runs.total());
            for _ in 0..runs.total() {
                // Let B run until it waits again, so every wake finds it idle.
                executor::yield_now().await;
                let start = tsc::read();
                a.ping.signal();
                samples.push(tsc::read() - start);
                a.pong.wait().await;
            }
            samples
        })
        .expect("room for the benchmark");
    let samples = waker.await;
    waiter.await;
    samples[runs.warm_up..].to_vec()
}

/// `ipi_wake`: task B waits on another CPU, which halts. This task, on its own CPU, reads the
/// TSC and signals B's event: B is pushed on its CPU's queue and that CPU gets the wake-up IPI,
/// leaves `hlt`, returns to its run loop and polls B, whose first act is to read the TSC. This
/// task spins until B has run, so its CPU never goes idle and steals B. The span is the wake, the
/// IPI's delivery, the remote CPU's exit from `hlt` and its run loop up to B's poll.
pub async fn ipi_wake(runs: Runs) -> Vec<u64> {
    let home = cpu_index();
    let remote = (home + 1) % executor().cpu_count();
    let shared = loop {
        if let Some(shared) = place_remote_waiter(remote) {
            break shared;
        }
    };

    let mut samples = Vec::with_capacity(runs.total());
    for _ in 0..runs.total() {
        executor()
            .sleep_until(executor().deadline_after(SETTLE_NS))
            .await;
        let before = shared.done.load(Ordering::Acquire);
        let start = tsc::read();
        shared.event.signal();
        let give_up = tsc::now() + STUCK_NS;
        while shared.done.load(Ordering::Acquire) == before {
            assert!(tsc::now() < give_up, "ipi_wake: the remote task never ran");
            core::hint::spin_loop();
        }
        samples.push(shared.woke_at.load(Ordering::Relaxed).saturating_sub(start));
    }
    assert_eq!(
        shared.woke_on.load(Ordering::Relaxed),
        remote,
        "ipi_wake: B moved"
    );
    shared.stop.store(true, Ordering::Relaxed);
    shared.event.signal();
    samples[runs.warm_up..].to_vec()
}

/// What `ipi_wake`'s two tasks share.
struct RemoteWaiter {
    event: Event,
    /// TSC when B last ran, the CPU it ran on, and how many times it has run.
    woke_at: AtomicU64,
    woke_on: AtomicUsize,
    done: AtomicUsize,
    /// Set to end B.
    stop: AtomicBool,
}

/// How long `ipi_wake` waits for the remote task before declaring the machine stuck.
const STUCK_NS: i64 = 10_000_000_000;

/// Spawns B on `remote` and spins until it has started there; `None` if another CPU took it
/// (it then ends at once).
fn place_remote_waiter(remote: usize) -> Option<Arc<RemoteWaiter>> {
    let shared = Arc::new(RemoteWaiter {
        event: Event::new(),
        woke_at: AtomicU64::new(0),
        woke_on: AtomicUsize::new(usize::MAX),
        done: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    });
    let b = shared.clone();
    executor()
        .spawn_on(remote, async move {
            b.woke_on.store(cpu_index(), Ordering::Release);
            if cpu_index() != remote {
                return;
            }
            loop {
                b.event.wait().await;
                let now = tsc::read();
                if b.stop.load(Ordering::Relaxed) {
                    return;
                }
                b.woke_at.store(now, Ordering::Relaxed);
                b.woke_on.store(cpu_index(), Ordering::Relaxed);
                b.done.fetch_add(1, Ordering::Release);
            }
        })
        .expect("room for the benchmark")
        .detach();
    while shared.woke_on.load(Ordering::Acquire) == usize::MAX {
        core::hint::spin_loop();
    }
    (shared.woke_on.load(Ordering::Acquire) == remote).then_some(shared)
}
