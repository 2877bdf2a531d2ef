//! Threads: the lifecycle of spec §2.3, `thread_create`, `thread_start` and `thread_exit`
//! (§3.8-§3.10), and what the kernel wraps syscalls in: kill as drop and blocked states.

use super::*;
use crate::abi::{Status, ZX_TIME_INFINITE};
use crate::ipc::Event;
use crate::task::ops::{thread_create, thread_start};
use crate::testing::{Counter, poll};
use crate::wait::wait_one;

// --- lifecycle (spec §2.3) ---

#[test]
fn thread_runs_only_after_start_and_asserts_running() {
    let world = World::new();
    let (process, _first) = world.running_process(&world.root);
    let (_, thread) = world.thread_in(&process);
    assert_eq!(thread.state(), ThreadState::New);
    assert!(signals(&*thread).is_empty());
    assert!(world.take_started().is_empty());

    thread.start(ENTRY, STACK, 1, 2).unwrap();
    let (started, start) = world.take_one();
    assert!(Arc::ptr_eq(started.thread(), &thread));
    assert_eq!((start.arg1, start.arg2), (1, 2));
    assert_eq!(thread.state(), ThreadState::Running);
    assert_eq!(signals(&*thread), Signals::THREAD_RUNNING);
}

#[test]
fn exiting_thread_is_dying_until_the_kernel_drops_it_then_dead_and_terminated() {
    let world = World::new();
    let (process, first) = world.running_process(&world.root);
    let second = world.running_thread(&process);
    let thread = second.thread().clone();

    thread.exit();
    assert!(thread.is_dying());
    assert!(!thread.is_killed());
    assert_eq!(thread.state(), ThreadState::Dying);
    drop(second);
    assert_eq!(thread.state(), ThreadState::Dead);
    assert_eq!(signals(&*thread), Signals::THREAD_TERMINATED);
    assert_eq!(process.thread_koids(), alloc::vec![first.koid()]);
    assert_eq!(
        process.state(),
        ProcessState::Running,
        "another thread remains"
    );
}

#[test]
fn closing_the_last_handle_of_a_started_thread_does_not_end_it() {
    let world = World::new();
    let (process, _first) = world.running_process(&world.root);
    let (value, thread) = world.thread_in(&process);
    thread.start(ENTRY, STACK, 0, 0).unwrap();
    let started = world.take_one().0;
    world.table().close(value).unwrap();
    assert_eq!(thread.state(), ThreadState::Running);
    assert!(!started.is_dying());
}

#[test]
fn closing_the_last_handle_of_a_new_thread_destroys_it() {
    let world = World::new();
    let (process, _first) = world.running_process(&world.root);
    let (value, thread) = world.thread_in(&process);
    assert_eq!(process.thread_koids().len(), 2);
    world.table().close(value).unwrap();
    assert_eq!(thread.state(), ThreadState::Dead);
    assert_eq!(process.thread_koids().len(), 1);
}

#[test]
fn killing_the_last_thread_ends_its_process() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    started.kill();
    assert!(started.is_killed());
    assert_eq!(
        process.state(),
        ProcessState::Running,
        "until the thread is gone"
    );
    drop(started);
    assert_eq!(process.state(), ProcessState::Dead);
    assert!(signals(&*process).contains(Signals::PROCESS_TERMINATED));
}

#[test]
fn thread_start_after_the_last_started_thread_ended_is_bad_state() {
    let world = World::new();
    let (process, started) = world.running_process(&world.root);
    let (value, _unstarted) = world.thread_in(&process);
    drop(started);
    assert_eq!(process.state(), ProcessState::Dead, "spec §2.1");
    assert_eq!(
        thread_start(world.table(), value, ENTRY, STACK, 0, 0),
        Err(Status::BadState)
    );
    assert!(world.take_started().is_empty());
}

// --- thread_create (spec §3.8) ---

#[test]
fn thread_create_makes_a_new_thread_with_the_default_rights() {
    let world = World::new();
    let (value, process) = world.process_in(&world.root);
    let handle = thread_create(world.table(), value, b"worker", 0).unwrap();
    assert_eq!(handle.rights(), Rights::DEFAULT_THREAD);
    let thread = handle.downcast::<Thread>().unwrap();
    assert_eq!(thread.name().as_bytes(), b"worker");
    assert_eq!(process.thread_koids(), alloc::vec![thread.koid()]);
}

#[test]
fn thread_create_errors() {
    let world = World::new();
    let (value, process) = world.process_in(&world.root);
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    let rights = Rights::DEFAULT_PROCESS.difference(Rights::MANAGE_PROCESS);
    let no_manage = world.insert(process.clone(), rights);
    let create = |value, options| thread_create(world.table(), value, b"", options).err();
    assert_eq!(create(value, 1), Some(Status::InvalidArgs));
    assert_eq!(create(0x2222_2223, 0), Some(Status::BadHandle));
    assert_eq!(create(event, 0), Some(Status::WrongType));
    assert_eq!(
        create(no_manage, 0),
        Some(Status::AccessDenied),
        "ruling 14.1"
    );
    process.kill();
    assert_eq!(create(value, 0), Some(Status::BadState));
}

#[test]
fn thread_create_with_manage_process_but_no_write_succeeds() {
    let world = World::new();
    let (_, process) = world.process_in(&world.root);
    let value = world.insert(process.clone(), Rights::MANAGE_PROCESS);
    let handle = thread_create(world.table(), value, b"worker", 0).expect("ruling 14.1");
    let thread = handle.downcast::<Thread>().unwrap();
    assert_eq!(process.thread_koids(), alloc::vec![thread.koid()]);
}

// --- thread_start (spec §3.9) ---

#[test]
fn thread_start_twice_is_bad_state() {
    let world = World::new();
    let (process, _first) = world.running_process(&world.root);
    let (value, _) = world.thread_in(&process);
    thread_start(world.table(), value, ENTRY, STACK, 0, 0).unwrap();
    assert_eq!(
        thread_start(world.table(), value, ENTRY, STACK, 0, 0),
        Err(Status::BadState)
    );
}

#[test]
fn thread_start_in_an_unstarted_or_dying_process_is_bad_state() {
    let world = World::new();
    let (_, process) = world.process_in(&world.root);
    let (value, _) = world.thread_in(&process);
    assert_eq!(
        thread_start(world.table(), value, ENTRY, STACK, 0, 0),
        Err(Status::BadState),
        "the first thread starts through process_start"
    );

    let (process, _first) = world.running_process(&world.root);
    let (value, thread) = world.thread_in(&process);
    process.kill();
    assert_eq!(thread.state(), ThreadState::Dead);
    assert_eq!(
        thread_start(world.table(), value, ENTRY, STACK, 0, 0),
        Err(Status::BadState)
    );
}

#[test]
fn thread_start_outside_user_space_is_invalid_args() {
    let world = World::new();
    let (process, _first) = world.running_process(&world.root);
    let (value, thread) = world.thread_in(&process);
    assert_eq!(
        thread_start(world.table(), value, 0, STACK, 0, 0),
        Err(Status::InvalidArgs)
    );
    assert_eq!(thread.state(), ThreadState::New);
}

#[test]
fn thread_start_handle_errors() {
    let world = World::new();
    let (process, _first) = world.running_process(&world.root);
    let (_, thread) = world.thread_in(&process);
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    let rights = Rights::DEFAULT_THREAD.difference(Rights::MANAGE_THREAD);
    let no_manage = world.insert(thread, rights);
    let start = |value| thread_start(world.table(), value, ENTRY, STACK, 0, 0);
    assert_eq!(start(0x3333_3333), Err(Status::BadHandle));
    assert_eq!(start(event), Err(Status::WrongType));
    assert_eq!(start(no_manage), Err(Status::AccessDenied), "ruling 14.1");
}

#[test]
fn thread_start_with_manage_thread_but_no_write_succeeds() {
    let world = World::new();
    let (process, _first) = world.running_process(&world.root);
    let (_, thread) = world.thread_in(&process);
    let value = world.insert(thread.clone(), Rights::MANAGE_THREAD);
    thread_start(world.table(), value, ENTRY, STACK, 0, 0).expect("ruling 14.1");
    assert_eq!(thread.state(), ThreadState::Running);
    let _started = world.take_one();
}

// --- kill as drop, and blocked states ---

/// A running process with one started thread and an event in the caller's table.
fn waiting_thread(world: &World) -> (StartedThread, HandleValue) {
    let (_, started) = world.running_process(&world.root);
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT);
    (started, event)
}

#[test]
fn run_until_killed_returns_the_output_of_a_future_that_completes() {
    let world = World::new();
    let (started, _) = waiting_thread(&world);
    let mut run = boxed(started.run_until_killed(Box::pin(async { 7 })));
    assert_eq!(poll_once(&mut run), Poll::Ready(Some(7)));
}

#[test]
fn kill_drops_a_blocked_wait_and_wakes_the_thread() {
    let world = World::new();
    let (started, event) = waiting_thread(&world);
    let clock = world.root.context().clock.clone();
    let wait = wait_one(
        world.table(),
        event,
        Signals::USER_0,
        ZX_TIME_INFINITE,
        &clock,
    )
    .unwrap();
    let (object, _) = world.table().handle_info(event).unwrap();
    let (counter, waker) = Counter::new();

    let mut run = boxed(started.run_blocking(BlockedReason::WaitOne, wait));
    assert!(poll(&mut run, &waker).is_pending());
    assert_eq!(object.signal_state().unwrap().waiter_count(), 1);
    assert_eq!(started.state(), ThreadState::BlockedWaitOne);

    started.kill();
    assert_eq!(counter.wakes(), 1, "the kill woke the thread");
    assert_eq!(poll(&mut run, &waker), Poll::Ready(None));
    assert_eq!(
        object.signal_state().unwrap().waiter_count(),
        0,
        "the wait was dropped and unregistered"
    );
    drop(run);
    assert_eq!(started.state(), ThreadState::Dying);
}

#[test]
fn a_killed_thread_does_not_poll_its_next_syscall() {
    let world = World::new();
    let (started, _) = waiting_thread(&world);
    started.kill();
    let polled = AtomicBool::new(false);
    let mut run = boxed(started.run_until_killed(Box::pin(async {
        polled.store(true, Ordering::SeqCst);
    })));
    assert_eq!(poll_once(&mut run), Poll::Ready(None));
    assert!(!polled.load(Ordering::SeqCst));
}

#[test]
fn blocked_state_lasts_while_the_syscall_is_pending_and_is_restored_after() {
    let world = World::new();
    let (started, event) = waiting_thread(&world);
    let clock = world.root.context().clock.clone();
    let wait = wait_one(
        world.table(),
        event,
        Signals::USER_0,
        ZX_TIME_INFINITE,
        &clock,
    )
    .unwrap();
    let mut run = boxed(started.run_blocking(BlockedReason::WaitOne, wait));
    assert_eq!(
        started.state(),
        ThreadState::Running,
        "not blocked before it waits"
    );
    assert!(poll_once(&mut run).is_pending());
    assert_eq!(started.info().state, ThreadState::BlockedWaitOne);

    crate::signal::object_signal(world.table(), event, 0, Signals::USER_0.bits()).unwrap();
    let outcome = match poll_once(&mut run) {
        Poll::Ready(Some(outcome)) => outcome,
        other => panic!("the wait should be done: {other:?}"),
    };
    assert_eq!(outcome.status, Ok(()));
    drop(run);
    assert_eq!(started.state(), ThreadState::Running);
}

#[test]
fn dropping_a_blocked_syscall_restores_running() {
    let world = World::new();
    let (started, _) = waiting_thread(&world);
    let mut run = boxed(started.run_blocking(BlockedReason::Port, core::future::pending::<()>()));
    assert!(poll_once(&mut run).is_pending());
    assert_eq!(started.state(), ThreadState::BlockedPort);
    drop(run);
    assert_eq!(started.state(), ThreadState::Running);
}

#[test]
fn enter_blocked_reports_each_reason() {
    let world = World::new();
    let (started, _) = waiting_thread(&world);
    for (reason, state) in [
        (BlockedReason::Sleeping, ThreadState::BlockedSleeping),
        (BlockedReason::Futex, ThreadState::BlockedFutex),
        (BlockedReason::Channel, ThreadState::BlockedChannel),
        (BlockedReason::WaitMany, ThreadState::BlockedWaitMany),
        (BlockedReason::Interrupt, ThreadState::BlockedInterrupt),
        (BlockedReason::Pager, ThreadState::BlockedPager),
    ] {
        let guard = started.enter_blocked(reason);
        assert_eq!(started.state(), state);
        drop(guard);
    }
    assert_eq!(started.state(), ThreadState::Running);
}

#[test]
fn killed_resolves_on_kill_and_a_dropped_one_is_never_woken() {
    let world = World::new();
    let (started, _) = waiting_thread(&world);
    let (early, early_waker) = Counter::new();
    let mut dropped = started.killed();
    assert!(poll(&mut dropped, &early_waker).is_pending());
    drop(dropped);

    let (counter, waker) = Counter::new();
    let mut killed = started.killed();
    assert!(poll(&mut killed, &waker).is_pending());
    started.kill();
    assert_eq!(counter.wakes(), 1);
    assert_eq!(poll(&mut killed, &waker), Poll::Ready(()));
    assert_eq!(early.wakes(), 0, "the dropped watch was unparked");
}

#[test]
fn a_syscall_dropped_before_the_kill_is_not_woken_by_it() {
    let world = World::new();
    let (started, _) = waiting_thread(&world);
    let (counter, waker) = Counter::new();
    let mut run = boxed(started.run_until_killed(core::future::pending::<()>()));
    assert!(poll(&mut run, &waker).is_pending());
    drop(run);
    started.kill();
    assert_eq!(counter.wakes(), 0);
}

#[test]
fn a_kill_wakes_the_waker_of_the_wait_in_progress_only() {
    let world = World::new();
    let (started, _) = waiting_thread(&world);
    let (first, first_waker) = Counter::new();
    let mut done = boxed(started.run_until_killed(core::future::ready(())));
    assert_eq!(poll(&mut done, &first_waker), Poll::Ready(Some(())));
    let mut earlier = boxed(started.run_until_killed(core::future::pending::<()>()));
    assert!(poll(&mut earlier, &first_waker).is_pending());
    drop(earlier);

    let (second, second_waker) = Counter::new();
    let mut run = boxed(started.run_until_killed(core::future::pending::<()>()));
    assert!(poll(&mut run, &second_waker).is_pending());
    started.kill();
    assert_eq!(second.wakes(), 1);
    assert_eq!(first.wakes(), 0, "the earlier wait's waker is not called");
    assert_eq!(poll(&mut run, &second_waker), Poll::Ready(None));
}

/// Compiles only for `Send` values.
fn assert_send<T: Send>(_: &T) {}

#[test]
fn the_futures_the_kernel_awaits_can_move_between_cpus() {
    let world = World::new();
    let (started, event) = waiting_thread(&world);
    let clock = world.root.context().clock.clone();
    let wait = wait_one(
        world.table(),
        event,
        Signals::USER_0,
        ZX_TIME_INFINITE,
        &clock,
    )
    .unwrap();
    let run = started.run_blocking(BlockedReason::WaitOne, wait);
    assert_send(&run);
    let raise = started.raise_exception(ExceptionReport::synthetic(crate::abi::ZX_EXCP_GENERAL));
    assert_send(&raise);
    assert_send(&started.raise_start_exceptions());
    assert_send(&started.raise_exit_exception());
    assert_send(&started.killed());
    assert_send(&started);
}

/// A waker that, when called, kills its thread a second time (a kill from another side landing
/// while the first kill's call is under way) and records whether the first call is still
/// marked in flight, that is, whether the wait would still be kept from ending.
struct KillsAgain {
    thread: std::sync::Mutex<Option<Arc<Thread>>>,
    still_in_flight: std::sync::atomic::AtomicBool,
}

impl std::task::Wake for KillsAgain {
    fn wake(self: Arc<Self>) {
        if let Some(thread) = self.thread.lock().unwrap().take() {
            thread.kill();
            let in_flight = thread.inner.lock().kill_wake_in_flight;
            self.still_in_flight
                .store(in_flight, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

#[test]
fn a_second_kill_during_the_first_kills_wake_keeps_the_wait_from_ending() {
    let world = World::new();
    let (started, _) = waiting_thread(&world);
    let probe = Arc::new(KillsAgain {
        thread: std::sync::Mutex::new(Some(started.thread().clone())),
        still_in_flight: std::sync::atomic::AtomicBool::new(false),
    });
    let waker = std::task::Waker::from(probe.clone());
    let mut run = boxed(started.run_until_killed(core::future::pending::<()>()));
    assert!(poll(&mut run, &waker).is_pending());

    started.kill();
    assert!(
        probe
            .still_in_flight
            .load(std::sync::atomic::Ordering::SeqCst),
        "a second kill cleared the first kill's in-flight mark"
    );
    assert_eq!(poll(&mut run, &waker), Poll::Ready(None));
}
