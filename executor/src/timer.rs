//! Time: per-CPU timer queues, [`Sleep`], `timeout`, and the timer interrupt.
//!
//! # Design
//! Each CPU keeps the wakers of the sleeps registered on it in a map ordered by deadline (ties
//! broken by registration order), and keeps its one-shot timer armed for the earliest deadline,
//! or disarmed when it has none: there is no periodic tick.
//!
//! The timer interrupt does one thing: it sets the CPU's `timer_fired` flag (and, by arriving,
//! ends the `hlt` of a halted CPU). The run loop then, in task context, pops the expired entries,
//! wakes them in deadline order and re-arms the timer. So no interrupt handler ever touches a
//! timer map: its spin lock is never wanted by an interrupt while task code holds it, nothing
//! needs interrupts masked around it, and the interrupt path is a single store. The price is that
//! expired sleepers wait for the current poll to end, which they would have had to do anyway to
//! run on this CPU; a user thread's poll ends at the timer interrupt, since the kernel makes it
//! yield there.
//!
//! A sleep registers on the CPU that polls it while it is pending, and stays there if the task
//! later moves: the entry fires on that CPU and the waker sends the task wherever it lives now.
//! A later poll only refreshes the stored waker. Dropping a [`Sleep`] (for instance when the
//! other side of a `timeout` wins) removes its entry at once, from whichever CPU.
//!
//! Sleeps are compared against [`Platform::now`], which is monotonic and agrees across CPUs, so a
//! sleep completes exactly when the clock has reached its deadline, never early.

use alloc::collections::BTreeMap;
use core::fmt;
use core::future::{Future, poll_fn};
use core::mem;
use core::pin::{Pin, pin};
use core::task::{Context, Poll, Waker};

use crate::Executor;
use crate::platform::{INFINITE, Platform, Time};
use crate::sync::{Ordering, fence};

/// One CPU's sleepers.
pub(crate) struct TimerQueue {
    /// Wakers by (deadline, registration number).
    entries: BTreeMap<(Time, u64), Waker>,
    /// The registration number the next entry gets.
    next_seq: u64,
    /// The deadline the CPU's timer is armed for, or [`INFINITE`].
    armed: Time,
}

impl TimerQueue {
    /// No sleepers, timer disarmed.
    pub(crate) const fn new() -> Self {
        Self {
            entries: BTreeMap::new(),
            next_seq: 0,
            armed: INFINITE,
        }
    }

    /// Adds a sleeper; returns its registration number.
    fn insert(&mut self, deadline: Time, waker: Waker) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.insert((deadline, seq), waker);
        seq
    }

    /// Removes and returns the earliest sleeper whose deadline is at or before `now`.
    fn pop_expired(&mut self, now: Time) -> Option<Waker> {
        let entry = self.entries.first_entry()?;
        (entry.key().0 <= now).then(|| entry.remove())
    }

    /// The earliest deadline, or [`INFINITE`] with no sleepers.
    fn next_deadline(&self) -> Time {
        self.entries
            .first_key_value()
            .map_or(INFINITE, |(&(deadline, _), _)| deadline)
    }
}

/// Where a sleep's entry is: which CPU's map, under which key.
#[derive(Debug, Clone, Copy)]
struct TimerKey {
    cpu: usize,
    deadline: Time,
    seq: u64,
}

/// The error of [`Executor::timeout`]: the deadline came first (Zircon's `ZX_ERR_TIMED_OUT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the deadline passed")
    }
}

/// A future that completes once the monotonic clock reaches a deadline; made by
/// [`Executor::sleep_until`].
#[must_use = "a Sleep does nothing unless awaited"]
pub struct Sleep<'a, P: Platform> {
    executor: &'a Executor<P>,
    deadline: Time,
    entry: Option<TimerKey>,
}

impl<P: Platform> Future for Sleep<'_, P> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        if this.executor.now() >= this.deadline {
            if let Some(key) = this.entry.take() {
                this.executor.remove_timer(key);
            }
            return Poll::Ready(());
        }
        if this.deadline == INFINITE {
            return Poll::Pending;
        }

        match this.entry {
            Some(key) if this.executor.update_timer(key, cx.waker()) => {}
            _ => this.entry = Some(this.executor.add_timer(this.deadline, cx.waker())),
        }
        Poll::Pending
    }
}

impl<P: Platform> Drop for Sleep<'_, P> {
    fn drop(&mut self) {
        if let Some(key) = self.entry.take() {
            self.executor.remove_timer(key);
        }
    }
}

impl<P: Platform> Executor<P> {
    /// A future that completes once the monotonic clock reaches `deadline`; at once if it
    /// already has, never if it is [`INFINITE`].
    pub fn sleep_until(&self, deadline: Time) -> Sleep<'_, P> {
        Sleep {
            executor: self,
            deadline,
            entry: None,
        }
    }

    /// The deadline `duration` nanoseconds from now, saturating at [`INFINITE`] (Zircon's
    /// `zx_deadline_after`).
    pub fn deadline_after(&self, duration: i64) -> Time {
        self.now().saturating_add(duration)
    }

    /// Runs `future` until it completes or the clock reaches `deadline`, whichever comes first.
    /// The future is polled before the deadline is looked at, so a future that is ready at once
    /// wins even against a deadline in the past; on timeout it is dropped (its destructors run).
    pub async fn timeout<F: Future>(
        &self,
        deadline: Time,
        future: F,
    ) -> Result<F::Output, TimedOut> {
        let mut future = pin!(future);
        let mut sleep = self.sleep_until(deadline);
        poll_fn(|cx| {
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                return Poll::Ready(Ok(output));
            }
            Pin::new(&mut sleep).poll(cx).map(|()| Err(TimedOut))
        })
        .await
    }

    /// The kernel's handler for the CPU's one-shot timer interrupt calls this (before or after
    /// the end-of-interrupt write). It only flags the current CPU's timer queue for the run loop:
    /// it never allocates, blocks or panics, and takes no lock.
    pub fn on_timer_interrupt(&self) {
        if let Some(cpu) = self.cpus.get(self.platform.current_cpu()) {
            cpu.timer_fired.store(true, Ordering::Relaxed);
        }
    }

    /// Wakes the sleepers of `me` (the current CPU) whose deadline has passed, in deadline
    /// order, then re-arms its timer for the earliest one left.
    pub(crate) fn fire_timers(&self, me: usize) {
        let now = self.platform.now();
        let timers = &self.cpus[me].timers;
        loop {
            let mut queue = timers.lock();
            let Some(waker) = queue.pop_expired(now) else {
                queue.armed = queue.next_deadline();
                self.platform.set_timer(queue.armed);
                return;
            };
            drop(queue);
            waker.wake();
        }
    }

    /// Registers a sleeper on the current CPU and arms its timer if the deadline is the new
    /// earliest.
    fn add_timer(&self, deadline: Time, waker: &Waker) -> TimerKey {
        let here = self.platform.current_cpu();
        let cpu = if here < self.cpus.len() { here } else { 0 };
        let mut queue = self.cpus[cpu].timers.lock();
        let seq = queue.insert(deadline, waker.clone());

        if cpu != here {
            // Polled outside the executor's CPUs: only CPU 0 can arm its own timer, so have it
            // look at its queue (the fence pairs with the one in `Executor::idle`).
            drop(queue);
            self.cpus[cpu].timer_fired.store(true, Ordering::Relaxed);
            fence(Ordering::SeqCst);
            self.platform.wake_cpu(cpu);
        } else if deadline < queue.armed {
            queue.armed = deadline;
            self.platform.set_timer(deadline);
        }
        TimerKey { cpu, deadline, seq }
    }

    /// Replaces the waker of a registered sleeper; false if the entry has already fired.
    fn update_timer(&self, key: TimerKey, waker: &Waker) -> bool {
        let mut queue = self.cpus[key.cpu].timers.lock();
        let Some(slot) = queue.entries.get_mut(&(key.deadline, key.seq)) else {
            return false;
        };
        if !slot.will_wake(waker) {
            let old = mem::replace(slot, waker.clone());
            drop(queue);
            drop(old);
        }
        true
    }

    /// Forgets a sleeper, if its entry has not fired yet. The timer stays armed: an early
    /// interrupt only makes the run loop look and re-arm.
    fn remove_timer(&self, key: TimerKey) {
        let mut queue = self.cpus[key.cpu].timers.lock();
        let old = queue.entries.remove(&(key.deadline, key.seq));
        drop(queue);
        drop(old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::sync::Arc;
    use alloc::task::Wake;

    struct Noop;

    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }

    fn waker() -> Waker {
        Waker::from(Arc::new(Noop))
    }

    #[test]
    fn expired_entries_pop_in_deadline_then_registration_order() {
        let mut queue = TimerQueue::new();
        let late = queue.insert(30, waker());
        let first = queue.insert(10, waker());
        let second = queue.insert(10, waker());
        assert!(first < second && late < first);

        assert_eq!(queue.next_deadline(), 10);
        assert!(queue.pop_expired(9).is_none());
        assert!(queue.pop_expired(10).is_some());
        assert!(queue.entries.contains_key(&(10, second)));
        assert!(queue.pop_expired(10).is_some());
        assert!(queue.pop_expired(29).is_none());
        assert_eq!(queue.next_deadline(), 30);
        assert!(queue.pop_expired(i64::MAX - 1).is_some());
        assert_eq!(queue.next_deadline(), INFINITE);
    }
}
