//! What the executor keeps for each CPU: its ready queue, its idle flag and its timers.
//!
//! Everything here may be touched by other CPUs (wakers push onto the queue, thieves pop from
//! it, wakers read and clear the idle flag), so it is all atomics or locks, and each CPU's
//! block sits on its own cache lines so that one CPU's traffic does not slow another's.

use crate::queue::ReadyQueue;
use crate::sync::AtomicBool;
use crate::timer::TimerQueue;

/// One CPU's share of the executor.
// 128 bytes, not 64: x86's spatial prefetcher fetches cache lines in pairs (Intel's optimization
// reference manual), so two CPUs' blocks must not share a pair.
#[repr(align(128))]
pub(crate) struct Cpu {
    /// Tasks ready to be polled, in wake order.
    pub(crate) queue: ReadyQueue,
    /// Set by the CPU just before it halts; cleared by whoever wakes it (or by the CPU itself).
    /// A waker that clears it owes the CPU a wake-up IPI.
    pub(crate) idle: AtomicBool,
    /// Set by the timer interrupt (or by a foreign timer registration): the run loop must look
    /// at the timer queue before its next poll.
    pub(crate) timer_fired: AtomicBool,
    /// Sleeping tasks, by deadline. Touched only in task context, never by an interrupt handler.
    pub(crate) timers: spin::Mutex<TimerQueue>,
}

impl Cpu {
    /// A CPU with an empty ready queue of `capacity` slots and no timers.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            queue: ReadyQueue::new(capacity),
            idle: AtomicBool::new(false),
            timer_fired: AtomicBool::new(false),
            timers: spin::Mutex::new(TimerQueue::new()),
        }
    }
}
