//! Each CPU's timer: the executor's next deadline and the time slice of preemption, merged onto
//! the one local APIC timer.
//!
//! The executor arms its deadline through `Platform::set_timer`; the user-mode code asks for a
//! time slice with [`preempt_in`]. The hardware is armed for the earlier of the two. When the
//! interrupt comes, whatever has expired is cleared: an expired executor deadline flags the
//! executor's timer queue (the run loop then wakes the sleepers and re-arms), and either kind of
//! expiry sets the CPU's preemption request, which the code running user threads takes with
//! [`take_preempt_request`] to make the thread's future yield. The hardware is re-armed for
//! whatever has not expired, so a deadline beyond the timer's reach is simply re-armed.
//!
//! Everything here touches only the current CPU's [`CpuTimer`], with interrupts masked around
//! each update, so no lock is needed.

use crate::arch::x86_64::{apic, percpu, tsc};
use core::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use executor::{INFINITE, Time};
use x86_64::instructions::interrupts::without_interrupts;

/// One CPU's timer state, kept in its per-CPU block.
#[derive(Debug)]
pub struct CpuTimer {
    /// The executor's deadline, or [`INFINITE`].
    executor_deadline: AtomicI64,
    /// The end of the current time slice, or [`INFINITE`].
    slice_deadline: AtomicI64,
    /// Set by the timer interrupt when something expired; taken by [`take_preempt_request`].
    preempt_requested: AtomicBool,
    /// The deadline the hardware is armed for, or [`INFINITE`] when it is not armed.
    armed: AtomicI64,
}

impl CpuTimer {
    /// No deadline, no slice.
    pub const fn new() -> CpuTimer {
        CpuTimer {
            executor_deadline: AtomicI64::new(INFINITE),
            slice_deadline: AtomicI64::new(INFINITE),
            preempt_requested: AtomicBool::new(false),
            armed: AtomicI64::new(INFINITE),
        }
    }

    /// Arms the hardware for the earlier deadline, unless it is armed for that time or sooner
    /// already: an interrupt that comes early finds nothing expired and re-arms for what is left,
    /// so a slice that ends without a preemption, or a deadline put off, costs no reprogramming.
    /// Interrupts must be masked.
    fn program(&self) {
        let deadline = self
            .executor_deadline
            .load(Ordering::Relaxed)
            .min(self.slice_deadline.load(Ordering::Relaxed));
        if deadline < self.armed.load(Ordering::Relaxed) {
            self.armed.store(deadline, Ordering::Relaxed);
            apic::set_timer(Some(deadline));
        }
    }
}

impl Default for CpuTimer {
    fn default() -> Self {
        Self::new()
    }
}

fn this_cpu() -> &'static CpuTimer {
    &percpu::current().timer
}

/// The executor's `set_timer`: arms this CPU's timer for `deadline` ([`INFINITE`] disarms it,
/// unless a time slice is running).
pub fn set_executor_deadline(deadline: Time) {
    without_interrupts(|| {
        let timer = this_cpu();
        timer.executor_deadline.store(deadline, Ordering::Relaxed);
        timer.program();
    });
}

/// Asks for this CPU to be preempted `ns` nanoseconds from now: the timer interrupt then sets
/// the preemption request. Replaces any earlier slice.
#[cfg_attr(
    not(feature = "qemu-test"),
    allow(dead_code, reason = "for the user-mode code that preempts threads")
)]
pub fn preempt_in(ns: i64) {
    let deadline = tsc::now().saturating_add(ns);
    without_interrupts(|| {
        let timer = this_cpu();
        timer.slice_deadline.store(deadline, Ordering::Relaxed);
        timer.program();
    });
}

/// Ends this CPU's time slice without a preemption.
///
/// One store, with interrupts left as they are: the hardware stays armed as it is (the
/// earlier deadline only moves later, so [`CpuTimer::program`] would not touch it, and an
/// interrupt that comes for the old slice end finds nothing expired and re-arms for what is
/// left), and a timer interrupt racing with the store either sees the slice expired first,
/// which requests the preemption the slice's end asked for, or sees it cancelled.
#[cfg_attr(
    not(feature = "qemu-test"),
    allow(dead_code, reason = "for the user-mode code that preempts threads")
)]
pub fn cancel_preemption() {
    this_cpu().slice_deadline.store(INFINITE, Ordering::Relaxed);
}

/// Whether a timer interrupt asked this CPU to preempt what it runs since the last call (a time
/// slice ended, or the executor has sleepers to wake); clears the request.
#[cfg_attr(
    not(feature = "qemu-test"),
    allow(dead_code, reason = "for the user-mode code that preempts threads")
)]
pub fn take_preempt_request() -> bool {
    this_cpu().preempt_requested.swap(false, Ordering::Relaxed)
}

/// Whether a preemption request is pending on this CPU, leaving it for
/// [`take_preempt_request`].
#[inline]
pub fn preempt_requested() -> bool {
    this_cpu().preempt_requested.load(Ordering::Relaxed)
}

/// The timer interrupt's handler (before the end-of-interrupt).
pub fn on_timer_interrupt() {
    let timer = this_cpu();
    let now = tsc::now();
    let mut expired = false;
    if timer.slice_deadline.load(Ordering::Relaxed) <= now {
        timer.slice_deadline.store(INFINITE, Ordering::Relaxed);
        expired = true;
    }
    if timer.executor_deadline.load(Ordering::Relaxed) <= now {
        timer.executor_deadline.store(INFINITE, Ordering::Relaxed);
        expired = true;
        if let Some(executor) = super::EXECUTOR.get() {
            executor.on_timer_interrupt();
        }
    }
    if expired {
        timer.preempt_requested.store(true, Ordering::Relaxed);
    }
    // The timer is one-shot: it fired, so it is no longer armed.
    timer.armed.store(INFINITE, Ordering::Relaxed);
    timer.program();
}
