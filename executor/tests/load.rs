//! Load: fairness, stealing, tasks moving between CPUs, the task limit, and many tasks on
//! four CPUs with none lost or run twice.

// These run on OS threads; the loom build (`--cfg loom`) checks the protocol in src/loom_tests.rs.
#![cfg(not(loom))]

mod common;

use std::collections::BTreeSet;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use common::{Clock, Event, MAX_TASKS, Machine, block_on, current_cpu, wait_until};
use executor::{SpawnError, yield_now};

/// Wraps a future and fails the test if two CPUs ever poll it at once.
struct Exclusive<F> {
    future: Pin<Box<F>>,
    in_poll: Arc<AtomicBool>,
}

impl<F: Future> Exclusive<F> {
    fn new(future: F) -> Self {
        Self {
            future: Box::pin(future),
            in_poll: Arc::default(),
        }
    }
}

impl<F: Future> Future for Exclusive<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        assert!(
            !self.in_poll.swap(true, Ordering::SeqCst),
            "a task ran on two CPUs at once"
        );
        let poll = self.future.as_mut().poll(cx);
        self.in_poll.store(false, Ordering::SeqCst);
        poll
    }
}

#[test]
fn a_task_that_yields_in_a_loop_does_not_starve_the_others() {
    const OTHERS: usize = 10;
    const OTHER_YIELDS: usize = 5;
    let machine = Machine::new(1);
    let exec = machine.exec;
    let done = Arc::new(AtomicUsize::new(0));

    // The root spawns everything before any of it runs, so the queue starts as
    // [spinner, other 1, ..., other 10].
    let spinner = {
        let done = done.clone();
        exec.spawn(async move {
            let spinner_done = done.clone();
            let spinner = exec
                .spawn(async move {
                    let mut yields = 0;
                    while spinner_done.load(Ordering::SeqCst) < OTHERS {
                        yield_now().await;
                        yields += 1;
                    }
                    yields
                })
                .unwrap();
            for _ in 0..OTHERS {
                let done = done.clone();
                exec.spawn(async move {
                    for _ in 0..OTHER_YIELDS {
                        yield_now().await;
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                })
                .unwrap()
                .detach();
            }
            spinner.await
        })
    }
    .unwrap();

    // With a fair queue the spinner gets one turn per round, and the others need
    // OTHER_YIELDS + 1 rounds.
    let yields = block_on(spinner);
    assert!(
        yields <= OTHER_YIELDS + 2,
        "the spinner yielded {yields} times"
    );
}

#[test]
fn a_task_moves_to_an_idle_cpu_when_its_cpu_is_busy() {
    let machine = Machine::new(2);
    let exec = machine.exec;
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let polls = Arc::new(AtomicUsize::new(0));
    let waker: Arc<Mutex<Option<Waker>>> = Arc::default();

    // Each round the task parks itself and spawns a blocker onto its own CPU; the blocker
    // wakes the task, announces a long poll, and spins until the task has been polled again.
    // If the blocker holds the task's CPU, only the other CPU can poll the task: it must steal
    // it.
    let task = {
        let (seen, polls, waker) = (seen.clone(), polls.clone(), waker.clone());
        exec.spawn(Exclusive::new(poll_fn(move |cx| {
            let round = polls.fetch_add(1, Ordering::SeqCst) + 1;
            let mut seen_now = seen.lock().unwrap();
            seen_now.insert(current_cpu());
            if seen_now.len() == 2 {
                return Poll::Ready(round);
            }

            *waker.lock().unwrap() = Some(cx.waker().clone());
            let (polls, waker) = (polls.clone(), waker.clone());
            exec.spawn(async move {
                waker.lock().unwrap().take().unwrap().wake();
                exec.offer_ready_tasks();
                wait_until("the task's next poll", || {
                    polls.load(Ordering::SeqCst) > round
                });
            })
            .unwrap()
            .detach();
            Poll::Pending
        })))
    }
    .unwrap();

    block_on(task);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[test]
fn idle_cpus_steal_a_backlog_spawned_on_one_cpu() {
    let machine = Machine::new(4);
    let exec = machine.exec;
    let cpus_used = Arc::new(Mutex::new(BTreeSet::new()));

    // A root task on one CPU spawns 64 tasks onto its own queue. The first one to run holds its
    // CPU until a task has run elsewhere, which only stealing can bring about.
    let root = {
        let cpus_used = cpus_used.clone();
        exec.spawn(async move {
            let handles: Vec<_> = (0..64)
                .map(|_| {
                    let cpus_used = cpus_used.clone();
                    exec.spawn(async move {
                        cpus_used.lock().unwrap().insert(current_cpu());
                        wait_until("a second CPU", || cpus_used.lock().unwrap().len() > 1);
                    })
                    .unwrap()
                })
                .collect();
            for handle in handles {
                handle.await;
            }
        })
    }
    .unwrap();

    block_on(root);
    assert!(cpus_used.lock().unwrap().len() > 1);
}

#[test]
fn thousands_of_tasks_on_four_cpus_each_run_to_completion_once() {
    const PAIRS: usize = 2500;
    let machine = Machine::new(4);
    let exec = machine.exec;
    let completions: Arc<Vec<AtomicUsize>> =
        Arc::new((0..2 * PAIRS).map(|_| AtomicUsize::new(0)).collect());

    // Pairs of tasks: one yields and then sets an event, the other waits for it; all of them
    // yield along the way, so tasks are woken, requeued and stolen across the four CPUs.
    let mut handles = Vec::new();
    for pair in 0..PAIRS {
        let event = Event::new();
        for side in 0..2 {
            let id = 2 * pair + side;
            let (event, completions) = (event.clone(), completions.clone());
            let task = Exclusive::new(async move {
                yield_now().await;
                if side == 0 {
                    yield_now().await;
                    event.set();
                } else {
                    event.wait().await;
                }
                yield_now().await;
                let before = completions[id].fetch_add(1, Ordering::SeqCst);
                assert_eq!(before, 0, "task {id} completed twice");
                id
            });
            let handle = if id % 3 == 0 {
                exec.spawn_on(id % 4, task).unwrap()
            } else {
                exec.spawn(task).unwrap()
            };
            handles.push(handle);
        }
    }

    for (id, handle) in handles.into_iter().enumerate() {
        assert_eq!(block_on(handle), id);
    }
    machine.wait_for_all_tasks();
    assert!(
        completions
            .iter()
            .all(|count| count.load(Ordering::SeqCst) == 1)
    );
    machine.shutdown();
}

#[test]
fn spawn_fails_at_the_task_limit_and_recovers() {
    let machine = Machine::unstarted(2, 4, Clock::Real(Instant::now()));
    let exec = machine.exec;
    let events: Vec<_> = (0..4).map(|_| Event::new()).collect();
    let handles: Vec<_> = events
        .iter()
        .map(|event| {
            let event = event.clone();
            exec.spawn(async move { event.wait().await }).unwrap()
        })
        .collect();

    assert_eq!(exec.spawn(async {}).unwrap_err(), SpawnError::TaskLimit);
    assert_eq!(exec.live_tasks(), 4);
    assert_eq!(
        exec.spawn_on(2, async {}).unwrap_err(),
        SpawnError::NoSuchCpu
    );

    let mut machine = machine;
    machine.start();
    events[0].set();
    let mut handles = handles.into_iter();
    block_on(handles.next().unwrap());
    let extra = exec.spawn(async { 1 }).unwrap();
    assert_eq!(block_on(extra), 1);

    events.iter().for_each(|event| event.set());
    handles.for_each(block_on);
}

#[test]
fn a_full_queue_overflows_to_another_cpu() {
    // Room for 4 tasks in all: 2 slots per CPU. All four are placed on CPU 0 before any CPU runs,
    // so two of them land in CPU 1's queue, and all four still run.
    let mut machine = Machine::unstarted(2, 4, Clock::Real(Instant::now()));
    let exec = machine.exec;
    let ran = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let ran = ran.clone();
            exec.spawn_on(0, async move { ran.fetch_add(1, Ordering::SeqCst) })
                .unwrap()
        })
        .collect();

    machine.start();
    handles.into_iter().for_each(|handle| {
        block_on(handle);
    });
    assert_eq!(ran.load(Ordering::SeqCst), 4);
}

#[test]
fn the_platform_hears_when_the_last_task_finishes() {
    let machine = Machine::unstarted(3, MAX_TASKS, Clock::Real(Instant::now()));
    let exec = machine.exec;
    for _ in 0..100 {
        exec.spawn(async {
            yield_now().await;
        })
        .unwrap()
        .detach();
    }

    // The run loops stop by themselves once the count drops to zero.
    machine.stop_when_done();
    let mut machine = machine;
    machine.start();
    let platform = machine.platform();
    machine.join();
    assert_eq!(platform.all_finished_count(), 1);
    assert_eq!(exec.live_tasks(), 0);
}
