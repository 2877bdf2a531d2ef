//! Kills racing with waits, on OS threads: every started thread runs its future on a thread
//! of its own, blocked in `wait_one` (or in exception handling) while other threads pulse
//! signals and kill jobs, processes and threads. Nothing may hang, every task must end with
//! the right return code, no waiter may be left registered, and no future may be woken
//! after it was dropped.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use common::block_on;
use common::tasks::{OsThreads, Program, root_job};
use objects::KernelObject;
use objects::abi::{
    HandleValue, Rights, Signals, ZX_EXCEPTION_STATE_HANDLED, ZX_EXCP_GENERAL,
    ZX_TASK_RETCODE_SYSCALL_KILL, ZX_TIME_INFINITE,
};
use objects::handle::{Handle, HandleTable};
use objects::ipc::{Event, channel_read};
use objects::task::ops::{exception_set_state, task_create_exception_channel};
use objects::task::{
    BlockedReason, ExceptionOutcome, ExceptionReport, Job, Process, StartedThread, Thread,
    ThreadStart,
};
use objects::time::{Clock, ManualClock};
use objects::vm::USER_ASPACE_BASE;
use objects::wait::wait_one;

const ENTRY: usize = USER_ASPACE_BASE + 0x1000;
const ROUNDS: usize = 12;
const PROCESSES: usize = 3;
const THREADS: usize = 3;

/// What `arg1` asks a test thread to do.
const WAIT: usize = 0;
/// Wait a few times, then call `process_exit(EXIT_CODE)`.
const EXIT_PROCESS: usize = 1;
/// Raise exceptions until stopped.
const FAULT: usize = 2;
const EXIT_CODE: i64 = 42;

/// The kernel's thread future, cut down: waits on the event whose value is in `arg2` until
/// killed (or exits the process, or faults, as `arg1` says), then reports its exit.
fn program(clock: Arc<dyn Clock>) -> Program {
    Arc::new(move |thread: StartedThread, start: ThreadStart| {
        let clock = clock.clone();
        Box::pin(async move {
            thread.raise_start_exceptions().await;
            let event = start.arg2 as HandleValue;
            let mut waits = 0;
            while !thread.is_dying() {
                if start.arg1 == FAULT {
                    let report = ExceptionReport::synthetic(ZX_EXCP_GENERAL);
                    if thread.raise_exception(report).await == ExceptionOutcome::Stop {
                        break;
                    }
                    continue;
                }
                let table = thread.process().handles();
                let Ok(wait) = wait_one(table, event, Signals::USER_0, ZX_TIME_INFINITE, &clock)
                else {
                    break;
                };
                if thread
                    .run_blocking(BlockedReason::WaitOne, wait)
                    .await
                    .is_none()
                {
                    break;
                }
                waits += 1;
                if start.arg1 == EXIT_PROCESS && waits == 3 {
                    thread.process().exit(EXIT_CODE);
                }
            }
            thread.raise_exit_exception().await;
        })
    })
}

/// One process of a test job: its threads and the event they wait on.
struct Worker {
    process: Arc<Process>,
    threads: Vec<Arc<Thread>>,
    event: Arc<Event>,
    /// The event's handle in the process's table.
    event_value: HandleValue,
}

/// A job with `PROCESSES` running processes of `THREADS` threads each, thread `t` of process
/// `p` told `role(p, t)` (the first thread of each process, started by `process_start`,
/// always waits).
fn populate(root: &Arc<Job>, role: impl Fn(usize, usize) -> usize) -> (Arc<Job>, Vec<Worker>) {
    let job = root.create_child().unwrap();
    let mut workers = Vec::new();
    for p in 0..PROCESSES {
        let (process, _vmar) = Process::create(&job, b"worker").unwrap();
        let event = Event::new();
        let value = process
            .handles()
            .insert(Handle::new(event.clone(), Rights::DEFAULT_EVENT))
            .unwrap();
        let threads: Vec<Arc<Thread>> = (0..THREADS)
            .map(|_| Thread::create(&process, b"t").unwrap())
            .collect();
        process
            .start(&threads[0], ENTRY, 0, None, value as usize)
            .unwrap();
        for (t, thread) in threads.iter().enumerate().skip(1) {
            thread.start(ENTRY, 0, role(p, t), value as usize).unwrap();
        }
        workers.push(Worker {
            process,
            threads,
            event,
            event_value: value,
        });
    }
    (job, workers)
}

/// Pulses `USER_0` on every worker's event until the returned flag is set.
fn pulse(workers: &[Worker]) -> (Arc<AtomicBool>, thread::JoinHandle<()>) {
    let stop = Arc::new(AtomicBool::new(false));
    let events: Vec<Arc<Event>> = workers.iter().map(|w| w.event.clone()).collect();
    let flag = stop.clone();
    let pulser = thread::spawn(move || {
        while !flag.load(Ordering::SeqCst) {
            for event in &events {
                let event: &dyn KernelObject = event.as_ref();
                event
                    .user_signal(Signals::empty(), Signals::USER_0)
                    .unwrap();
                event
                    .user_signal(Signals::USER_0, Signals::empty())
                    .unwrap();
            }
            thread::yield_now();
        }
    });
    (stop, pulser)
}

fn signals(object: &dyn KernelObject) -> Signals {
    object.signal_state().unwrap().signals()
}

/// Checks that every process ended, every waiter left its event, and no waker was called
/// after its future was dropped.
fn assert_clean(threads: &OsThreads, workers: &[Worker]) {
    for worker in workers {
        assert!(worker.process.info().exited);
        assert!(signals(&*worker.process).contains(Signals::PROCESS_TERMINATED));
        for thread in &worker.threads {
            assert!(signals(&**thread).contains(Signals::THREAD_TERMINATED));
        }
        assert_eq!(worker.event.signal_state().unwrap().waiter_count(), 0);
    }
    assert_eq!(
        threads.late_wakes.load(Ordering::SeqCst),
        0,
        "a dropped future was woken"
    );
}

/// Spins for a while that differs from round to round, so that kills land at different
/// moments of the waits.
fn stagger(round: usize) {
    for _ in 0..round * 700 {
        std::hint::spin_loop();
    }
}

#[test]
fn killing_a_job_while_its_threads_wait_ends_every_thread() {
    for round in 0..ROUNDS {
        let clock = ManualClock::new(0);
        let threads = OsThreads::new(program(clock.clone()));
        let root = root_job(&threads, clock);
        let (job, workers) = populate(&root, |_, _| WAIT);
        let (stop, pulser) = pulse(&workers);

        stagger(round);
        job.kill();
        threads.join_all();
        stop.store(true, Ordering::SeqCst);
        pulser.join().unwrap();

        assert!(job.is_dead());
        for worker in &workers {
            assert_eq!(
                worker.process.info().return_code,
                ZX_TASK_RETCODE_SYSCALL_KILL
            );
        }
        assert_clean(&threads, &workers);
    }
}

#[test]
fn killing_threads_from_two_sides_races_with_their_waits() {
    for round in 0..ROUNDS {
        let clock = ManualClock::new(0);
        let threads = OsThreads::new(program(clock.clone()));
        let root = root_job(&threads, clock);
        let (job, workers) = populate(&root, |_, _| WAIT);
        let (stop, pulser) = pulse(&workers);

        stagger(round);
        let mut killers = Vec::new();
        for worker in &workers {
            for reversed in [false, true] {
                let mut victims = worker.threads.clone();
                if reversed {
                    victims.reverse();
                }
                killers.push(thread::spawn(move || {
                    victims.iter().for_each(|thread| thread.kill());
                }));
            }
        }
        killers.into_iter().for_each(|k| k.join().unwrap());
        threads.join_all();
        stop.store(true, Ordering::SeqCst);
        pulser.join().unwrap();

        assert!(signals(&*job).contains(Signals::JOB_NO_PROCESSES));
        assert!(!job.is_killed());
        assert_clean(&threads, &workers);
    }
}

#[test]
fn process_exit_from_one_thread_stops_its_blocked_siblings() {
    for _ in 0..ROUNDS {
        let clock = ManualClock::new(0);
        let threads = OsThreads::new(program(clock.clone()));
        let root = root_job(&threads, clock);
        let (job, workers) = populate(&root, |_, t| if t == 1 { EXIT_PROCESS } else { WAIT });
        let (stop, pulser) = pulse(&workers);

        threads.join_all();
        stop.store(true, Ordering::SeqCst);
        pulser.join().unwrap();

        for worker in &workers {
            assert_eq!(worker.process.info().return_code, EXIT_CODE);
        }
        assert!(signals(&*job).contains(Signals::JOB_NO_PROCESSES));
        assert_clean(&threads, &workers);
    }
}

#[test]
fn killing_a_job_races_with_exception_handlers() {
    for round in 0..ROUNDS {
        let clock = ManualClock::new(0);
        let threads = OsThreads::new(program(clock.clone()));
        let root = root_job(&threads, clock.clone());
        let handlers = Arc::new(HandleTable::new());
        let (caller, _) = Process::create(&root, b"handler").unwrap();
        let job = root.create_child().unwrap();
        let job_value = caller
            .handles()
            .insert(Handle::new(job.clone(), Rights::DEFAULT_JOB))
            .unwrap();
        let channel = task_create_exception_channel(&caller, job_value, 0).unwrap();
        let channel = handlers.insert(channel).unwrap();

        // The handler resumes every exception until the job's death closes its channel.
        let handler = {
            let handlers = handlers.clone();
            let clock: Arc<dyn Clock> = clock.clone();
            thread::spawn(move || {
                loop {
                    let watched = Signals::CHANNEL_READABLE | Signals::CHANNEL_PEER_CLOSED;
                    let wait = wait_one(&handlers, channel, watched, ZX_TIME_INFINITE, &clock);
                    let outcome = block_on(wait.unwrap());
                    if let Ok(message) = channel_read(&handlers, channel, 0, 64, 1) {
                        let exception = message.handles[0].value;
                        exception_set_state(&handlers, exception, ZX_EXCEPTION_STATE_HANDLED)
                            .unwrap();
                        handlers.close(exception).unwrap();
                    } else if outcome.observed.contains(Signals::CHANNEL_PEER_CLOSED) {
                        return;
                    }
                }
            })
        };

        let (process, _vmar) = Process::create(&job, b"faulter").unwrap();
        let faulters: Vec<Arc<Thread>> = (0..THREADS)
            .map(|_| Thread::create(&process, b"f").unwrap())
            .collect();
        // The first thread waits on an event nobody signals, so that the process stays alive
        // (spec §2.1: it would end with its last started thread); the others fault until
        // killed.
        let idle = process
            .handles()
            .insert(Handle::new(Event::new(), Rights::DEFAULT_EVENT))
            .unwrap();
        process
            .start(&faulters[0], ENTRY, 0, None, idle as usize)
            .unwrap();
        for thread in &faulters[1..] {
            thread.start(ENTRY, 0, FAULT, 0).unwrap();
        }

        stagger(round);
        job.kill();
        threads.join_all();
        handler.join().unwrap();
        assert!(job.is_dead());
        assert_eq!(process.info().return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
        assert_eq!(threads.late_wakes.load(Ordering::SeqCst), 0);
    }
}

#[test]
fn starting_threads_races_with_killing_their_process() {
    for round in 0..ROUNDS * 4 {
        let clock = ManualClock::new(0);
        let threads = OsThreads::new(program(clock.clone()));
        let root = root_job(&threads, clock);
        let (job, workers) = populate(&root, |_, _| WAIT);
        let process = workers[0].process.clone();
        let event = workers[0].event_value as usize;
        let late: Vec<Arc<Thread>> = (0..THREADS)
            .map(|_| Thread::create(&process, b"late").unwrap())
            .collect();

        let starter = {
            let late = late.clone();
            thread::spawn(move || {
                // Each start either wins (the thread runs and is then killed) or loses
                // (BAD_STATE: the process is dying, or the thread died unstarted).
                for thread in &late {
                    let _ = thread.start(ENTRY, 0, WAIT, event);
                }
            })
        };
        stagger(round % ROUNDS);
        job.kill();
        starter.join().unwrap();
        threads.join_all();

        assert!(job.is_dead());
        for thread in &late {
            assert_eq!(thread.state(), objects::abi::ThreadState::Dead);
        }
        assert_clean(&threads, &workers);
    }
}
