//! Join handles: output, cancellation by dropping, and detaching.

// These run on OS threads; the loom build (`--cfg loom`) checks the protocol in src/loom_tests.rs.
#![cfg(not(loom))]

mod common;

use std::future::{pending, poll_fn};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;

use common::{Event, Machine, block_on, current_cpu, wait_until};

/// Records where and when it was dropped.
struct DropProbe {
    dropped_on: Arc<Mutex<Option<usize>>>,
    /// Set while the owning future is being polled; must be clear when the probe drops.
    polling: Arc<AtomicBool>,
}

impl Drop for DropProbe {
    fn drop(&mut self) {
        assert!(
            !self.polling.load(Ordering::SeqCst),
            "future dropped during its poll"
        );
        *self.dropped_on.lock().unwrap() = Some(current_cpu());
    }
}

#[test]
fn join_handle_returns_the_output() {
    let machine = Machine::new(2);
    let inner = machine.exec.spawn(async { 20 }).unwrap();
    let outer = machine.exec.spawn(async move { inner.await + 1 }).unwrap();
    assert_eq!(block_on(outer), 21);
}

#[test]
fn dropping_the_handle_drops_the_future_on_a_cpu() {
    let machine = Machine::new(4);
    let dropped_on = Arc::new(Mutex::new(None));
    let polled_on = Arc::new(Mutex::new(None));

    let handle = {
        let probe = DropProbe {
            dropped_on: dropped_on.clone(),
            polling: Arc::default(),
        };
        let polled_on = polled_on.clone();
        machine.exec.spawn(async move {
            let _probe = probe;
            *polled_on.lock().unwrap() = Some(current_cpu());
            pending::<()>().await;
        })
    }
    .unwrap();
    wait_until("the first poll", || polled_on.lock().unwrap().is_some());

    drop(handle);
    machine.wait_for_all_tasks();
    // Dropped by a CPU's run loop (the owner, or a thief that became the owner), never by the
    // thread that dropped the handle.
    let dropped_on = dropped_on
        .lock()
        .unwrap()
        .expect("the future was not dropped");
    assert!(dropped_on < machine.exec.cpu_count());
}

#[test]
fn cancel_during_a_poll_drops_the_future_after_the_poll() {
    let machine = Machine::new(2);
    let polling = Arc::new(AtomicBool::new(false));
    let dropped_on = Arc::new(Mutex::new(None));
    let in_poll = Event::new();
    let handle_dropped = Arc::new(AtomicBool::new(false));
    let polls = Arc::new(AtomicUsize::new(0));

    let handle = {
        let probe = DropProbe {
            dropped_on: dropped_on.clone(),
            polling: polling.clone(),
        };
        let (polling, in_poll) = (polling.clone(), in_poll.clone());
        let (handle_dropped, polls) = (handle_dropped.clone(), polls.clone());
        machine.exec.spawn(poll_fn(move |_cx| {
            let _probe = &probe;
            polling.store(true, Ordering::SeqCst);
            polls.fetch_add(1, Ordering::SeqCst);
            in_poll.set();
            wait_until("the handle to be dropped", || {
                handle_dropped.load(Ordering::SeqCst)
            });
            polling.store(false, Ordering::SeqCst);
            Poll::<()>::Pending
        }))
    }
    .unwrap();

    wait_until("the poll to start", || in_poll.is_set());
    drop(handle);
    handle_dropped.store(true, Ordering::SeqCst);

    machine.wait_for_all_tasks();
    assert!(dropped_on.lock().unwrap().is_some());
    assert_eq!(
        polls.load(Ordering::SeqCst),
        1,
        "a cancelled task was polled again"
    );
}

#[test]
fn cancel_of_a_queued_task_drops_it_without_polling() {
    let machine = Machine::new(1);
    let release = Arc::new(AtomicBool::new(false));
    let blocking = Event::new();
    {
        let (release, blocking) = (release.clone(), blocking.clone());
        machine.exec.spawn(async move {
            blocking.set();
            wait_until("the release", || release.load(Ordering::SeqCst));
        })
    }
    .unwrap()
    .detach();
    wait_until("the blocker to run", || blocking.is_set());

    // Spawned behind the blocker on the only CPU: cancelled before its first poll.
    let polled = Arc::new(AtomicBool::new(false));
    let handle = {
        let polled = polled.clone();
        machine
            .exec
            .spawn(async move { polled.store(true, Ordering::SeqCst) })
    }
    .unwrap();
    drop(handle);
    release.store(true, Ordering::SeqCst);

    machine.wait_for_all_tasks();
    assert!(!polled.load(Ordering::SeqCst));
}

#[test]
fn detached_task_runs_to_completion() {
    let machine = Machine::new(2);
    let event = Event::new();
    let finished = Arc::new(AtomicBool::new(false));
    {
        let (event, finished) = (event.clone(), finished.clone());
        machine.exec.spawn(async move {
            event.wait().await;
            finished.store(true, Ordering::SeqCst);
        })
    }
    .unwrap()
    .detach();

    event.set();
    machine.wait_for_all_tasks();
    assert!(finished.load(Ordering::SeqCst));
}

/// Counts its drops.
struct Output(Arc<AtomicUsize>);

impl Drop for Output {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn dropping_the_handle_of_a_finished_task_drops_its_output() {
    let machine = Machine::new(2);
    let drops = Arc::new(AtomicUsize::new(0));
    let handle = {
        let drops = drops.clone();
        machine.exec.spawn(async move { Output(drops) })
    }
    .unwrap();

    wait_until("the task to finish", || handle.is_finished());
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(handle);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn output_of_a_detached_task_is_dropped_once() {
    let machine = Machine::new(2);
    let drops = Arc::new(AtomicUsize::new(0));
    for _ in 0..100 {
        let drops = drops.clone();
        machine
            .exec
            .spawn(async move { Output(drops) })
            .unwrap()
            .detach();
    }
    machine.wait_for_all_tasks();
    wait_until("every output to drop", || {
        drops.load(Ordering::SeqCst) == 100
    });
    machine.shutdown();
    assert_eq!(drops.load(Ordering::SeqCst), 100);
}
