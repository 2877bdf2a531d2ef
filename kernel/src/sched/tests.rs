//! In-kernel tests of the executor on the real machine: every CPU runs it, timers fire on every
//! CPU within a stated bound, wakes cross CPUs, the clock agrees across CPUs, and a time slice
//! raises the preemption request.

use super::event::Event;
use super::{executor, timer};
use crate::arch::x86_64::percpu::cpu_index;
use crate::arch::x86_64::tsc;
use crate::testing::TestResult;
use crate::{check, check_eq, kernel_test};
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::future::Future;
use core::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

/// How late a timer may fire and still pass: the bound these tests state. Generous, because
/// under TCG on a loaded host a virtual CPU's thread can wait long for a host core; a lost or
/// early timer fails however loose the bound.
const TIMER_LATENESS_BOUND_NS: i64 = 500_000_000;
/// How long a wake-up may take to arrive before the test fails.
const WAKE_TIMEOUT_NS: i64 = 5_000_000_000;
/// How long a task spawned on another CPU may take to start.
const START_TIMEOUT_NS: i64 = 5_000_000_000;
/// Not started yet (a CPU index no machine has).
const NOT_STARTED: usize = usize::MAX;

/// Tries before [`on_cpu`] gives up on placing a task.
const PLACEMENT_TRIES: usize = 1000;

/// Runs the future `make` returns on CPU `cpu` and returns its output.
///
/// The task is spawned there, and this task spins until it has started: awaiting at once would
/// let this CPU go idle and steal it. Another CPU passing through its run loop may still steal
/// it before the target CPU, woken by an IPI, takes it (placement is not affinity); the task
/// then does nothing and a fresh one is placed, up to [`PLACEMENT_TRIES`] times.
pub(crate) async fn on_cpu<F, Fut>(cpu: usize, make: F) -> Result<Fut::Output, String>
where
    F: Fn() -> Fut,
    Fut: Future + Send + 'static,
    Fut::Output: Send + 'static,
{
    for _ in 0..PLACEMENT_TRIES {
        if cpu == cpu_index() {
            return Ok(make().await);
        }
        let started = Arc::new(AtomicUsize::new(NOT_STARTED));
        let flag = started.clone();
        let future = make();
        let task = executor()
            .spawn_on(cpu, async move {
                let here = cpu_index();
                flag.store(here, Ordering::Release);
                if here == cpu {
                    Some(future.await)
                } else {
                    None
                }
            })
            .map_err(|e| format!("spawn on cpu {cpu}: {e}"))?;
        let give_up = tsc::now() + START_TIMEOUT_NS;
        while started.load(Ordering::Acquire) == NOT_STARTED {
            if tsc::now() > give_up {
                return Err(format!("a task spawned on cpu {cpu} never started"));
            }
            core::hint::spin_loop();
        }
        if let Some(output) = task.await {
            return Ok(output);
        }
    }
    Err(format!("tasks placed on cpu {cpu} kept being stolen"))
}

kernel_test! {
    async fn executor_spans_every_online_cpu() -> TestResult {
        check_eq!(executor().cpu_count(), crate::smp::online_count());
        for cpu in 0..executor().cpu_count() {
            check_eq!(on_cpu(cpu, || async { cpu_index() }).await?, cpu);
        }
        Ok(())
    }
}

kernel_test! {
    async fn timers_fire_on_every_cpu_within_the_bound() -> TestResult {
        const SLEEP_NS: i64 = 2_000_000;
        for cpu in 0..executor().cpu_count() {
            let (deadline, woke) = on_cpu(cpu, || async {
                let deadline = executor().deadline_after(SLEEP_NS);
                executor().sleep_until(deadline).await;
                (deadline, tsc::now())
            })
            .await?;
            check!(woke >= deadline, "cpu {cpu}: woke {} ns early", deadline - woke);
            check!(
                woke - deadline <= TIMER_LATENESS_BOUND_NS,
                "cpu {cpu}: woke {} ns late (bound {TIMER_LATENESS_BOUND_NS} ns)",
                woke - deadline
            );
        }
        Ok(())
    }
}

kernel_test! {
    async fn many_sleepers_each_wake_within_the_bound() -> TestResult {
        const COUNT: i64 = 8;
        let start = executor().now();
        let sleepers: Vec<_> = (0..COUNT)
            .rev()
            .map(|i| {
                let deadline = start + (i + 1) * 1_000_000;
                executor()
                    .spawn(async move {
                        executor().sleep_until(deadline).await;
                        (i, tsc::now() - deadline)
                    })
                    .expect("room for the sleepers")
            })
            .collect();
        for sleeper in sleepers {
            let (i, late) = sleeper.await;
            check!(late >= 0, "sleeper {i} woke early");
            check!(late <= TIMER_LATENESS_BOUND_NS, "sleeper {i} woke {late} ns late");
            // Idle CPUs may steal sleepers and timers on different CPUs fire independently, so
            // the order across sleepers is left to the executor's host tests.
        }
        Ok(())
    }
}

kernel_test! {
    async fn wakes_cross_between_every_pair_of_cpus() -> TestResult {
        let cpus = executor().cpu_count();
        for waiter_cpu in 0..cpus {
            for waker_cpu in (0..cpus).filter(|&c| c != waiter_cpu) {
                cross_cpu_wake(waiter_cpu, waker_cpu).await?;
            }
        }
        Ok(())
    }
}

/// A task waiting on `waiter_cpu` is woken by one on `waker_cpu`; fails unless the wake arrives.
async fn cross_cpu_wake(waiter_cpu: usize, waker_cpu: usize) -> TestResult {
    for _ in 0..PLACEMENT_TRIES {
        let event = Arc::new(Event::new());
        let waiting_on = Arc::new(AtomicUsize::new(NOT_STARTED));
        let (e, w) = (event.clone(), waiting_on.clone());
        let waiter = executor()
            .spawn_on(waiter_cpu, async move {
                let deadline = executor().deadline_after(WAKE_TIMEOUT_NS);
                let wait = executor().timeout(deadline, e.wait());
                w.store(cpu_index(), Ordering::Release);
                wait.await.is_ok()
            })
            .map_err(|e| format!("{e}"))?;
        let signalled_on = on_cpu(waker_cpu, || {
            let (event, waiting_on) = (event.clone(), waiting_on.clone());
            async move {
                while waiting_on.load(Ordering::Acquire) == NOT_STARTED {
                    executor::yield_now().await;
                }
                event.signal();
                cpu_index()
            }
        })
        .await?;
        let arrived = waiter.await;
        check!(
            arrived,
            "cpu {waker_cpu} woke a task on cpu {waiter_cpu}: it never arrived"
        );
        if waiting_on.load(Ordering::Acquire) != signalled_on {
            return Ok(());
        }
        // The waiter was stolen onto the waker's CPU: no CPU was crossed; place it again.
    }
    Err(format!("could not keep a waiter on cpu {waiter_cpu}"))
}

kernel_test! {
    async fn the_clock_never_goes_back_across_cpus() -> TestResult {
        const LAPS: usize = 20;
        let last = Arc::new(AtomicI64::new(0));
        for _ in 0..LAPS {
            for cpu in 0..executor().cpu_count() {
                let (before, now) = on_cpu(cpu, || {
                    let last = last.clone();
                    async move {
                        let now = tsc::now();
                        (last.swap(now, Ordering::AcqRel), now)
                    }
                })
                .await?;
                check!(now >= before, "cpu {cpu} read {now} after another CPU read {before}");
            }
        }
        Ok(())
    }
}

kernel_test! {
    fn a_time_slice_raises_the_preemption_request() -> TestResult {
        timer::take_preempt_request();
        timer::preempt_in(1_000_000);
        let give_up = tsc::now() + TIMER_LATENESS_BOUND_NS;
        while !timer::take_preempt_request() {
            check!(tsc::now() < give_up, "no preemption request within the bound");
            core::hint::spin_loop();
        }

        timer::preempt_in(1_000_000);
        timer::cancel_preemption();
        tsc::spin_for(3_000_000);
        check!(!timer::take_preempt_request(), "a cancelled slice still asked for preemption");
        Ok(())
    }
}
