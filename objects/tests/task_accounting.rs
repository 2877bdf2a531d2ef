//! Live-object accounting for tasks: once a job tree is killed, its threads' futures have
//! ended and every handle is closed, no job, process, thread, exception, channel, event,
//! VMAR or VMO is left, and no handle.
//!
//! The counters are global, so this binary holds a single test.

mod common;

use std::sync::Arc;

use common::tasks::{OsThreads, Program, root_job};
use objects::abi::{
    HandleValue, ObjectType, Rights, Signals, ZX_EXCEPTION_CHANNEL_DEBUGGER, ZX_EXCP_GENERAL,
    ZX_TIME_INFINITE,
};
use objects::handle::{Handle, HandleTable};
use objects::ipc::{Channel, Event, channel_write};
use objects::object::{live_handles, live_objects};
use objects::task::ops::{task_create_exception_channel, task_kill};
use objects::task::{
    BlockedReason, ExceptionOutcome, ExceptionReport, Process, StartedThread, Thread, ThreadStart,
};
use objects::time::{Clock, ManualClock};
use objects::vm::{PAGE_SIZE, USER_ASPACE_BASE, VmOptions, Vmo, VmoOptions};
use objects::wait::wait_one;

const TYPES: [ObjectType; 8] = [
    ObjectType::Job,
    ObjectType::Process,
    ObjectType::Thread,
    ObjectType::Exception,
    ObjectType::Channel,
    ObjectType::Event,
    ObjectType::Vmar,
    ObjectType::Vmo,
];

fn live() -> Vec<usize> {
    TYPES.iter().map(|&t| live_objects(t)).collect()
}

/// Threads wait on the event named by `arg2`; a thread given `arg1 == 1` raises an
/// exception first and stays in it.
fn program(clock: Arc<dyn Clock>) -> Program {
    Arc::new(move |thread: StartedThread, start: ThreadStart| {
        let clock = clock.clone();
        Box::pin(async move {
            if start.arg1 == 1 {
                let report = ExceptionReport::synthetic(ZX_EXCP_GENERAL);
                if thread.raise_exception(report).await == ExceptionOutcome::Stop {
                    return;
                }
            }
            let table = thread.process().handles();
            let event = start.arg2 as HandleValue;
            let wait = wait_one(table, event, Signals::USER_0, ZX_TIME_INFINITE, &clock).unwrap();
            let _ = thread.run_blocking(BlockedReason::WaitOne, wait).await;
        })
    })
}

#[test]
fn a_killed_tree_with_every_handle_closed_leaves_nothing_behind() {
    assert_eq!((live(), live_handles()), (vec![0; TYPES.len()], 0));
    let clock = ManualClock::new(0);
    let threads = OsThreads::new(program(clock.clone()));
    let root = root_job(&threads, clock);
    let outside = HandleTable::new();
    let (caller, _) = Process::create(&root, b"caller").unwrap();

    let top = root.create_child().unwrap();
    let middle = top.create_child().unwrap();
    let top_value = caller
        .handles()
        .insert(Handle::new(top.clone(), Rights::DEFAULT_JOB))
        .unwrap();
    let exceptions = task_create_exception_channel(&caller, top_value, 0).unwrap();
    let _exceptions = outside.insert(exceptions).unwrap();

    let mut all_processes = Vec::new();
    for job in [&top, &middle, &middle] {
        let (process, vmar) = Process::create(job, b"p").unwrap();
        let event = Event::new();
        let value = process
            .handles()
            .insert(Handle::new(event, Rights::DEFAULT_EVENT))
            .unwrap();
        // A mapping, a channel with a handle in transit, and a handle to another process.
        let vmo = Vmo::create(
            root.context().physical.clone(),
            PAGE_SIZE as u64,
            VmoOptions::empty(),
        )
        .unwrap();
        let rights = Rights::DEFAULT_VMO | Rights::DEFAULT_VMAR | Rights::IO;
        vmar.map(VmOptions::PERM_READ, 0, &vmo, 0, PAGE_SIZE, rights, rights)
            .unwrap();
        let (a, b) = Channel::create(0).unwrap();
        let a = process.handles().insert(a).unwrap();
        let carried = process
            .handles()
            .insert(Handle::new(vmo, Rights::DEFAULT_VMO))
            .unwrap();
        channel_write(process.handles(), a, 0, vec![1], &[carried]).unwrap();
        outside.insert(b).unwrap();
        if let Some(previous) = all_processes.last() {
            let previous: &Arc<Process> = previous;
            let handle = Handle::new(previous.clone(), Rights::DEFAULT_PROCESS);
            process.handles().insert(handle).unwrap();
        }
        let debugger = Handle::new(process.clone(), Rights::DEFAULT_PROCESS);
        let debugger = caller.handles().insert(debugger).unwrap();
        let debug_channel =
            task_create_exception_channel(&caller, debugger, ZX_EXCEPTION_CHANNEL_DEBUGGER)
                .unwrap();
        outside.insert(debug_channel).unwrap();

        let first = Thread::create(&process, b"a").unwrap();
        let faulting = Thread::create(&process, b"b").unwrap();
        let _unstarted = Thread::create(&process, b"c").unwrap();
        process
            .start(&first, USER_ASPACE_BASE, 0, None, value as usize)
            .unwrap();
        faulting
            .start(USER_ASPACE_BASE, 0, 1, value as usize)
            .unwrap();
        all_processes.push(process);
    }
    let (unstarted, _) = Process::create(&middle, b"never started").unwrap();
    outside
        .insert(Handle::new(unstarted, Rights::DEFAULT_PROCESS))
        .unwrap();
    drop(all_processes);
    drop(middle);

    task_kill(caller.handles(), top_value).unwrap();
    threads.join_all();
    assert!(top.is_dead());
    drop(top);
    drop(outside);
    drop(caller);
    drop(root);
    drop(threads);
    assert_eq!((live(), live_handles()), (vec![0; TYPES.len()], 0));
}
