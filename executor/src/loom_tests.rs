//! Loom models of the executor's lock-free protocol: the task state word, the ready queues and
//! the idle/wake handshake, explored over every interleaving loom finds (bounded preemptions).
//!
//! Each model runs the real executor on a platform whose CPUs are loom threads: halting waits on
//! a condition variable until the CPU's pending-wake flag is set, so a lost wake-up leaves every
//! thread blocked, which loom reports as a deadlock. (The flag sits under a loom mutex rather
//! than in an atomic with park/unpark, which loom 0.7 models wrongly: a swap after an unpark can
//! miss the store made before it.) Loom's cells check that no two threads touch a task's future
//! or output at once, and the run loop's debug assertion checks that a task is never queued
//! twice. Each model ends when its last task calls `Executor::stop`.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test -p executor --release --lib loom_`.

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::cell::Cell;
use core::future::poll_fn;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use loom::sync::{Condvar, Mutex};
use loom::thread;

use crate::platform::{Platform, Time};
use crate::sync::{AtomicBool, AtomicUsize, Ordering};
use crate::{Executor, JoinHandle};

/// How many preemptions loom explores per execution: enough for the races below, small enough
/// to keep the models fast.
const PREEMPTION_BOUND: usize = 3;

loom::thread_local! {
    static CURRENT_CPU: Cell<usize> = Cell::new(usize::MAX);
}

/// A CPU's pending wake-up "interrupt", which ends (or pre-empts) its halt.
#[derive(Default)]
struct WakeLine {
    pending: Mutex<bool>,
    raised: Condvar,
}

/// CPUs as loom threads.
struct LoomPlatform {
    lines: Box<[WakeLine]>,
}

impl LoomPlatform {
    fn new(cpus: usize) -> Self {
        Self {
            lines: (0..cpus).map(|_| WakeLine::default()).collect(),
        }
    }
}

impl Platform for LoomPlatform {
    fn cpu_count(&self) -> usize {
        self.lines.len()
    }

    fn current_cpu(&self) -> usize {
        CURRENT_CPU.with(Cell::get)
    }

    fn wake_cpu(&self, cpu: usize) {
        let line = &self.lines[cpu];
        *line.pending.lock().unwrap() = true;
        line.raised.notify_one();
    }

    fn now(&self) -> Time {
        0
    }

    fn set_timer(&self, _deadline: Time) {}

    fn disable_interrupts(&self) {}

    fn enable_interrupts(&self) {}

    fn enable_interrupts_and_halt(&self) {
        let line = &self.lines[self.current_cpu()];
        let mut pending = line.pending.lock().unwrap();
        while !*pending {
            pending = line.raised.wait(pending).unwrap();
        }
        *pending = false;
    }
}

type LoomExecutor = Executor<LoomPlatform>;

/// A fresh executor for one loom execution (leaked: tasks hold `&'static` references).
fn executor(cpus: usize) -> &'static LoomExecutor {
    Box::leak(Box::new(Executor::new(LoomPlatform::new(cpus), 4)))
}

/// Starts a loom thread that is CPU `cpu` and runs its loop until the executor stops.
fn start_cpu(exec: &'static LoomExecutor, cpu: usize) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        CURRENT_CPU.with(|current| current.set(cpu));
        exec.run();
    })
}

/// Runs `model` under loom with the crate's preemption bound.
fn check(model: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(PREEMPTION_BOUND);
    builder.check(model);
}

/// A waker slot a task fills and other threads wait on (blocking, not spinning, so that loom
/// need not explore spin iterations).
#[derive(Default)]
struct WakerSlot {
    waker: Mutex<Option<Waker>>,
    filled: Condvar,
}

impl WakerSlot {
    /// Stores the task's current waker.
    fn fill(&self, cx: &Context<'_>) {
        *self.waker.lock().unwrap() = Some(cx.waker().clone());
        self.filled.notify_all();
    }

    /// Waits until the task has stored its waker, and returns a clone.
    fn wait(&self) -> Waker {
        let mut waker = self.waker.lock().unwrap();
        loop {
            if let Some(waker) = waker.as_ref() {
                return waker.clone();
            }
            waker = self.filled.wait(waker).unwrap();
        }
    }
}

/// Polls a join handle from a thread that is no CPU, yielding to loom between polls.
fn join<T>(mut handle: JoinHandle<T>) -> T {
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = Pin::new(&mut handle).poll(&mut cx) {
            return output;
        }
        thread::yield_now();
    }
}

#[test]
fn loom_wake_from_another_thread_reaches_a_halting_cpu() {
    check(|| {
        let exec = executor(1);
        let ready = Arc::new(AtomicBool::new(false));
        let slot = Arc::new(WakerSlot::default());

        let task = {
            let (ready, slot) = (ready.clone(), slot.clone());
            exec.spawn(poll_fn(move |cx| {
                slot.fill(cx);
                if ready.load(Ordering::Acquire) {
                    exec.stop();
                    return Poll::Ready(());
                }
                Poll::Pending
            }))
        };
        task.unwrap().detach();

        let cpu = start_cpu(exec, 0);
        let waker = slot.wait();
        ready.store(true, Ordering::Release);
        waker.wake();
        cpu.join().unwrap();
    });
}

#[test]
fn loom_concurrent_wakes_queue_the_task_once() {
    check(|| {
        let exec = executor(1);
        let wakes = Arc::new(AtomicUsize::new(0));
        let slot = Arc::new(WakerSlot::default());

        let task = {
            let (wakes, slot) = (wakes.clone(), slot.clone());
            exec.spawn(poll_fn(move |cx| {
                slot.fill(cx);
                if wakes.load(Ordering::Acquire) == 2 {
                    exec.stop();
                    return Poll::Ready(());
                }
                Poll::Pending
            }))
        };
        task.unwrap().detach();

        let cpu = start_cpu(exec, 0);
        let other = {
            let (wakes, slot) = (wakes.clone(), slot.clone());
            thread::spawn(move || {
                let waker = slot.wait();
                wakes.fetch_add(1, Ordering::Release);
                waker.wake();
            })
        };
        let waker = slot.wait();
        wakes.fetch_add(1, Ordering::Release);
        waker.wake();

        other.join().unwrap();
        cpu.join().unwrap();
    });
}

/// Stops the executor when the future holding it is dropped.
struct StopOnDrop(&'static LoomExecutor);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop();
    }
}

#[test]
fn loom_cancel_racing_with_the_first_poll_drops_the_future() {
    check(|| {
        let exec = executor(1);
        let guard = StopOnDrop(exec);
        let handle = exec
            .spawn(poll_fn(move |_cx| {
                let _guard = &guard;
                Poll::<()>::Pending
            }))
            .unwrap();

        let cpu = start_cpu(exec, 0);
        drop(handle);
        cpu.join().unwrap();
    });
}

/// Counts its drops.
struct Output(Arc<AtomicUsize>);

impl Drop for Output {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn loom_join_handle_takes_the_output_from_another_thread() {
    check(|| {
        let exec = executor(1);
        let drops = Arc::new(AtomicUsize::new(0));
        let handle = {
            let drops = drops.clone();
            exec.spawn(async move {
                exec.stop();
                Output(drops)
            })
        }
        .unwrap();

        let cpu = start_cpu(exec, 0);
        let output = join(handle);
        assert_eq!(drops.load(Ordering::Relaxed), 0);
        drop(output);
        cpu.join().unwrap();
        assert_eq!(drops.load(Ordering::Relaxed), 1);
    });
}

#[test]
fn loom_handle_dropped_while_the_task_completes_drops_the_output_once() {
    check(|| {
        let exec = executor(1);
        let drops = Arc::new(AtomicUsize::new(0));
        let produced = Arc::new(AtomicUsize::new(0));
        let handle = {
            let (drops, produced) = (drops.clone(), produced.clone());
            let guard = StopOnDrop(exec);
            exec.spawn(async move {
                let _guard = guard;
                produced.store(1, Ordering::Relaxed);
                Output(drops)
            })
        }
        .unwrap();

        // Cancelled before its poll the task produces nothing; otherwise its output is dropped
        // by whichever side comes second, exactly once.
        let cpu = start_cpu(exec, 0);
        drop(handle);
        cpu.join().unwrap();
        assert_eq!(
            drops.load(Ordering::Relaxed),
            produced.load(Ordering::Relaxed)
        );
    });
}

#[test]
fn loom_spawn_onto_a_halting_cpu_of_two_is_not_lost() {
    check(|| {
        let exec = executor(2);
        let cpus = [start_cpu(exec, 0), start_cpu(exec, 1)];
        exec.spawn_on(1, async move { exec.stop() })
            .unwrap()
            .detach();
        cpus.into_iter().for_each(|cpu| cpu.join().unwrap());
    });
}
