//! Time: sleeps, timeouts, and timer interrupts on idle and busy CPUs.

// These run on OS threads; the loom build (`--cfg loom`) checks the protocol in src/loom_tests.rs.
#![cfg(not(loom))]

mod common;

use std::future::{Future, pending, poll_fn, ready};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use common::{Machine, block_on, wait_until};
use executor::{INFINITE, TimedOut, yield_now};

const MILLISECOND: i64 = 1_000_000;

#[test]
fn timers_fire_in_deadline_order_and_never_early() {
    let machine = Machine::with_virtual_clock(1);
    let exec = machine.exec;
    let fired = Arc::new(Mutex::new(Vec::new()));
    let registered = Arc::new(AtomicUsize::new(0));

    // Spawned out of order; each records its deadline and the clock when it wakes.
    for deadline in [50, 10, 40, 20, 30] {
        let (fired, registered) = (fired.clone(), registered.clone());
        exec.spawn(async move {
            let mut sleep = exec.sleep_until(deadline);
            let mut counted = false;
            poll_fn(|cx| {
                let poll = Pin::new(&mut sleep).poll(cx);
                if poll.is_pending() && !counted {
                    counted = true;
                    registered.fetch_add(1, Ordering::SeqCst);
                }
                poll
            })
            .await;
            fired.lock().unwrap().push((deadline, exec.now()));
        })
        .unwrap()
        .detach();
    }
    wait_until("every sleep to register", || {
        registered.load(Ordering::SeqCst) == 5
    });

    machine.advance_clock(25);
    wait_until("two timers", || fired.lock().unwrap().len() == 2);
    machine.advance_clock(100);
    machine.wait_for_all_tasks();

    let fired = fired.lock().unwrap().clone();
    assert_eq!(fired, [(10, 25), (20, 25), (30, 100), (40, 100), (50, 100)]);
}

#[test]
fn sleep_lasts_until_the_deadline() {
    let machine = Machine::new(2);
    let exec = machine.exec;
    let handles: Vec<_> = (1..=4)
        .map(|n| {
            exec.spawn(async move {
                let deadline = exec.deadline_after(n * 5 * MILLISECOND);
                exec.sleep_until(deadline).await;
                (deadline, exec.now())
            })
            .unwrap()
        })
        .collect();

    for handle in handles {
        let (deadline, woke) = block_on(handle);
        assert!(
            woke >= deadline,
            "woke at {woke}, before the deadline {deadline}"
        );
    }
}

#[test]
fn sleep_until_a_past_deadline_is_ready_at_once() {
    let machine = Machine::with_virtual_clock(1);
    machine.advance_clock(1_000);
    let exec = machine.exec;
    let handle = exec
        .spawn(async move { exec.sleep_until(999).await })
        .unwrap();
    block_on(handle);
}

#[test]
fn timeout_ends_a_future_that_misses_its_deadline() {
    let machine = Machine::new(2);
    let exec = machine.exec;
    let handle = exec
        .spawn(async move {
            let late = exec
                .timeout(exec.deadline_after(MILLISECOND), pending::<()>())
                .await;
            let ready_in_the_past = exec.timeout(0, ready(5)).await;
            let in_time = exec
                .timeout(INFINITE, async {
                    exec.sleep_until(exec.deadline_after(MILLISECOND)).await;
                    6
                })
                .await;
            (late, ready_in_the_past, in_time)
        })
        .unwrap();

    assert_eq!(block_on(handle), (Err(TimedOut), Ok(5), Ok(6)));
}

/// Counts nothing; only its reference count matters.
struct Probe;

impl Wake for Probe {
    fn wake(self: Arc<Self>) {}
}

#[test]
fn timeout_that_completes_removes_its_sleep() {
    let machine = Machine::with_virtual_clock(1);
    let probe = Arc::new(Probe);
    let waker = Waker::from(probe.clone());
    let mut cx = Context::from_waker(&waker);

    // First poll: `yield_now` is pending, so the sleep registers a clone of the waker.
    let mut timeout = pin!(machine.exec.timeout(1_000, yield_now()));
    assert!(timeout.as_mut().poll(&mut cx).is_pending());
    assert_eq!(Arc::strong_count(&probe), 3);

    // Second poll: the future wins, and the timer entry goes with the sleep.
    assert_eq!(timeout.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    assert_eq!(Arc::strong_count(&probe), 2);
}

#[test]
fn timer_interrupt_reaches_a_busy_cpu() {
    // One CPU, kept busy by a task that yields in a loop until the sleeper wakes: the timer
    // interrupt must reach the CPU between polls, not only when it halts.
    let machine = Machine::new(1);
    let exec = machine.exec;
    let woke = Arc::new(AtomicBool::new(false));

    let spinner = {
        let woke = woke.clone();
        exec.spawn(async move {
            let mut yields = 0u64;
            while !woke.load(Ordering::SeqCst) {
                yield_now().await;
                yields += 1;
            }
            yields
        })
    }
    .unwrap();
    let sleeper = {
        let woke = woke.clone();
        exec.spawn(async move {
            exec.sleep_until(exec.deadline_after(2 * MILLISECOND)).await;
            woke.store(true, Ordering::SeqCst);
        })
    }
    .unwrap();

    block_on(sleeper);
    assert!(block_on(spinner) > 0);
}
