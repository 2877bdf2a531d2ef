//! Waking: from other threads, during the poll, many times over, and across halts.

// These run on OS threads; the loom build (`--cfg loom`) checks the protocol in src/loom_tests.rs.
#![cfg(not(loom))]

mod common;

use std::future::poll_fn;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread;

use common::{Event, Machine, block_on, wait_until};

#[test]
fn wake_from_another_thread_resumes_the_task() {
    let machine = Machine::new(2);
    let event = Event::new();

    let waiter = {
        let event = event.clone();
        machine.exec.spawn(async move {
            event.wait().await;
            7
        })
    }
    .unwrap();

    let setter = thread::spawn(move || event.set());
    assert_eq!(block_on(waiter), 7);
    setter.join().unwrap();
}

#[test]
fn wake_before_poll_returns_is_not_lost() {
    for cpus in [1, 2] {
        let machine = Machine::new(cpus);
        let handles: Vec<_> = (0..50)
            .map(|_| {
                let mut polls = 0;
                machine
                    .exec
                    .spawn(poll_fn(move |cx| {
                        polls += 1;
                        if polls > 1 {
                            return Poll::Ready(polls);
                        }
                        // The wake happens, on another thread, before this poll returns Pending.
                        let waker = cx.waker().clone();
                        thread::spawn(move || waker.wake()).join().unwrap();
                        Poll::Pending
                    }))
                    .unwrap()
            })
            .collect();

        for handle in handles {
            assert_eq!(block_on(handle), 2);
        }
    }
}

#[test]
fn many_wakes_of_an_idle_task_poll_it_once() {
    let machine = Machine::new(1);
    let stored: Arc<Mutex<Option<Waker>>> = Arc::default();

    // The task stores its waker and waits; on its second poll it reports how many polls ran.
    let task = {
        let stored = stored.clone();
        let mut polls = 0;
        machine.exec.spawn(poll_fn(move |cx| {
            polls += 1;
            if polls == 1 {
                *stored.lock().unwrap() = Some(cx.waker().clone());
                return Poll::Pending;
            }
            Poll::Ready(polls)
        }))
    }
    .unwrap();
    wait_until("the task's first poll", || stored.lock().unwrap().is_some());

    // Keep the only CPU busy, so that the task stays queued while it is woken.
    let release = Arc::new(AtomicBool::new(false));
    let blocking = Arc::new(AtomicBool::new(false));
    {
        let (release, blocking) = (release.clone(), blocking.clone());
        machine.exec.spawn(async move {
            blocking.store(true, Ordering::SeqCst);
            while !release.load(Ordering::SeqCst) {
                std::hint::spin_loop();
            }
        })
    }
    .unwrap()
    .detach();
    wait_until("the blocker to occupy the CPU", || {
        blocking.load(Ordering::SeqCst)
    });

    let waker = stored.lock().unwrap().clone().unwrap();
    let wakers: Vec<_> = (0..4)
        .map(|_| {
            let waker = waker.clone();
            thread::spawn(move || (0..1000).for_each(|_| waker.wake_by_ref()))
        })
        .collect();
    wakers.into_iter().for_each(|thread| thread.join().unwrap());
    release.store(true, Ordering::SeqCst);

    // Queued twice, the task would be polled a third time after completing, which the run loop
    // rejects (a CPU thread panics and `Machine` reports it).
    assert_eq!(block_on(task), 2);
    machine.wait_for_all_tasks();
    machine.shutdown();
}

#[test]
fn ping_pong_with_a_thread_across_halts_loses_no_wake() {
    const ROUNDS: usize = 2000;
    let machine = Machine::new(2);
    let ball = Arc::new(AtomicUsize::new(0));
    let waker: Arc<Mutex<Option<Waker>>> = Arc::default();

    // The task waits for odd values and answers with the next even one.
    let task = {
        let (ball, waker) = (ball.clone(), waker.clone());
        machine.exec.spawn(poll_fn(move |cx| {
            *waker.lock().unwrap() = Some(cx.waker().clone());
            let value = ball.load(Ordering::SeqCst);
            if value % 2 == 0 {
                return Poll::Pending;
            }
            ball.store(value + 1, Ordering::SeqCst);
            if value + 1 == 2 * ROUNDS {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }))
    }
    .unwrap();

    wait_until("the task's first poll", || waker.lock().unwrap().is_some());
    for round in 0..ROUNDS {
        wait_until("the task's answer", || {
            ball.load(Ordering::SeqCst) == 2 * round
        });
        ball.store(2 * round + 1, Ordering::SeqCst);
        let waker = waker.lock().unwrap().clone().unwrap();
        waker.wake();
    }
    block_on(task);
    assert!(machine.platform().halts(0) + machine.platform().halts(1) > 0);
    machine.shutdown();
}
