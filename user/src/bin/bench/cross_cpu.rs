//! `pingpong_cross_cpu`: a round trip between two threads that each block in turn, meant to
//! run on two CPUs.
//!
//! Thread A reads the TSC, signals B's event and waits on its own; B, woken, clears its event,
//! signals A's and waits again; A's wait returns and A reads the TSC: two wakes, each of a
//! thread blocked on the other CPU when the two threads sit on different CPUs. Linux: the same
//! with a futex, its two threads pinned to CPUs 0 and 1.
//!
//! Spinel has no CPU affinity: a thread runs where the executor places it, and an idle CPU
//! steals queued work. Each side therefore reads its CPU with `rdtscp` (the kernel keeps the
//! CPU index in `IA32_TSC_AUX`) at each iteration, and the case prints how many iterations had
//! the two threads on different CPUs, in a `bench-info:` line the host keeps in its log.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use user::sys::tsc;
use user::{AsHandleRef, Signals, Time, println};

use crate::harness::{CaseResult, Context, Failure, OrFail};
use crate::ipc::Events;

/// The CPU index a side reports when the CPU has no `rdtscp`.
const CPU_UNKNOWN: u32 = u32::MAX;

/// The calling thread's CPU, if `rdtscp` says.
fn current_cpu() -> u32 {
    tsc::read_with_cpu().map_or(CPU_UNKNOWN, |(_, cpu)| cpu)
}

/// `pingpong_cross_cpu`.
pub fn pingpong_cross_cpu(_cx: &Context, iterations: usize) -> CaseResult {
    let events = Arc::new(Events::create()?);
    let far_cpu = Arc::new(AtomicU32::new(CPU_UNKNOWN));
    let failed = Arc::new(AtomicBool::new(false));

    let (b_events, b_cpu, b_failed) = (events.clone(), far_cpu.clone(), failed.clone());
    let far_side = user::thread::spawn("bench-far-side", move || {
        if far_side(&b_events, &b_cpu, iterations).is_err() {
            b_failed.store(true, Ordering::Release);
            let _ = b_events
                .to_signaller
                .signal(Signals::empty(), Signals::SIGNALED);
        }
    })
    .or_fail("spawning the far side")?;

    let mut samples = Vec::with_capacity(iterations);
    let mut crossed = 0;
    for _ in 0..iterations {
        let start = tsc::read();
        events
            .to_waiter
            .signal(Signals::empty(), Signals::SIGNALED)
            .or_fail("object_signal")?;
        events
            .to_signaller
            .wait_one(Signals::SIGNALED, Time::INFINITE)
            .or_fail("object_wait_one")?;
        let end = tsc::read();
        if failed.load(Ordering::Acquire) {
            return Err(Failure("the far side failed".into()));
        }
        events
            .to_signaller
            .signal(Signals::SIGNALED, Signals::empty())
            .or_fail("clearing its event")?;
        let near = current_cpu();
        if near != CPU_UNKNOWN && near != far_cpu.load(Ordering::Acquire) {
            crossed += 1;
        }
        samples.push(end - start);
    }
    far_side
        .join(Time::INFINITE)
        .map_err(|(status, _)| Failure(alloc::format!("joining the far side: {status}")))?;

    if tsc::has_rdtscp() {
        println!(
            "bench-info: pingpong_cross_cpu: {crossed} of {iterations} round trips had the two \
             threads on different CPUs"
        );
    } else {
        println!("bench-info: pingpong_cross_cpu: no rdtscp, the threads' CPUs are unknown");
    }
    Ok(samples)
}

/// Side B: `iterations` times, wait, note the CPU, clear, answer.
fn far_side(events: &Events, cpu: &AtomicU32, iterations: usize) -> Result<(), Failure> {
    for _ in 0..iterations {
        events
            .to_waiter
            .wait_one(Signals::SIGNALED, Time::INFINITE)
            .or_fail("far side: object_wait_one")?;
        cpu.store(current_cpu(), Ordering::Release);
        events
            .to_waiter
            .signal(Signals::SIGNALED, Signals::empty())
            .or_fail("far side: clearing its event")?;
        events
            .to_signaller
            .signal(Signals::empty(), Signals::SIGNALED)
            .or_fail("far side: object_signal")?;
    }
    Ok(())
}
