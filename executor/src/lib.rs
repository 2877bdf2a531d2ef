//! Spinel's per-CPU async executor.
//!
//! Every kernel thread in Spinel is a future, and every syscall that waits is an `.await`. This
//! crate runs those futures: one [`Executor`] for the whole machine, one ready queue and one
//! timer queue per CPU, wakers that put a task back on its CPU's queue (and wake that CPU if it
//! is halted), work stealing between CPUs, and time (`sleep_until`, `timeout`) on one-shot
//! per-CPU timers. It knows nothing of x86: the machine comes in through the [`Platform`]
//! trait, which the kernel implements with the APIC, the TSC and `sti; hlt`, and the host tests
//! implement with OS threads standing in for CPUs.
//!
//! # What the kernel calls, and when
//! **At boot**, once the CPU count is known (1 or more; dense indices `0..n` whatever the APIC
//! ids), make the one executor and keep it in a `static`:
//!
//! ```text
//! static EXECUTOR: conquer_once::spin::OnceCell<Executor<KernelPlatform>> = OnceCell::uninit();
//! EXECUTOR.init_once(|| Executor::new(KernelPlatform::new(cpu_count), MAX_TASKS));
//! let executor: &'static Executor<KernelPlatform> = EXECUTOR.get().unwrap();
//! executor.spawn(first_user_thread()).unwrap().detach();
//! ```
//!
//! `MAX_TASKS` bounds the live tasks (threads plus kernel tasks); the ready queues take about 24
//! bytes per task in all, and `spawn` fails with [`SpawnError::TaskLimit`] beyond it.
//!
//! **On each CPU**, after its bring-up and with interrupts enabled, call
//! [`Executor::run`]; in the kernel it never returns. It polls ready tasks, steals from busy
//! CPUs when out of work, and otherwise idles: interrupts off, one more look at the queues,
//! then `sti; hlt` as one step ([`Platform::enable_interrupts_and_halt`]).
//!
//! **From the CPU's one-shot timer interrupt handler**, call [`Executor::on_timer_interrupt`],
//! then send the end-of-interrupt. It only flags the CPU's timer queue; the run loop wakes the
//! expired sleepers and re-arms the timer through [`Platform::set_timer`] before its next poll.
//!
//! **From the wake-up IPI's handler**, do nothing but the end-of-interrupt: the interrupt's
//! arrival is what ends the `hlt`.
//!
//! **From any interrupt handler**, `Waker::wake` and `Waker::wake_by_ref` are safe: they never
//! allocate, block or panic. Dropping a waker may free a finished task's memory (never run a
//! future's destructor), so the kernel heap must accept frees with interrupts masked. Spawning
//! allocates: never from an interrupt handler.
//!
//! **When no task is left**, the executor calls [`Platform::on_all_tasks_finished`] on the CPU
//! whose task ended last; the kernel powers the machine off there. [`Executor::live_tasks`]
//! gives the count at any time.
//!
//! # Preemption and time
//! The executor has no tick. Each CPU's timer is armed for its earliest sleeper, or disarmed.
//! The kernel preempts user threads itself: a user thread's future leaves `enter_user` on the
//! timer interrupt and calls [`yield_now`], which sends it to the back of its CPU's queue, so a
//! thread preempted in a loop cannot starve the others. Where the kernel wants a time slice, its
//! `set_timer` arms the hardware for the earlier of the executor's deadline and the end of the
//! slice. Before entering user mode, a thread calls [`Executor::offer_ready_tasks`], so that an
//! idle CPU steals the tasks that would otherwise wait for the slice to end.
//!
//! Time is Zircon's `zx_time_t`: [`Time`] is `i64` nanoseconds of the monotonic clock, and
//! [`INFINITE`] (`i64::MAX`) is never.
//!
//! # Tasks
//! [`Executor::spawn`] places a task on the current CPU, [`Executor::spawn_on`] on a given one;
//! either way it is placement, not affinity. Task futures are `Send + 'static`: a task may be
//! stolen by another CPU between two polls, but never runs on two CPUs at once. The
//! [`JoinHandle`] yields the task's output; dropping it cancels the task (its future is dropped
//! at its next await point, by the CPU that owns it, never during a poll), and
//! [`JoinHandle::detach`] lets it run to completion unobserved.
//!
//! # How it fits together
//! - `task.rs`: the task, its state word (scheduled, running, complete, closed, cancelled,
//!   detached) and who may touch the future and the output when.
//! - `waker.rs`: a wake sets the scheduled bit and pushes the task at most once.
//! - `queue.rs`: the bounded lock-free ready queue, and why it never refuses a wake.
//! - `executor.rs`: spawning, the live-task count, pushing onto a queue and deciding which CPU
//!   to wake.
//! - `run.rs`: the run loop, stealing, and idling without lost wake-ups.
//! - `timer.rs`: per-CPU timer queues, `sleep_until`, `timeout`, the timer interrupt.
//! - `join.rs`, `yield_now.rs`: the join handle and `yield_now`.
//! - `sync.rs`: the atomics, swapped for loom's in the model-checked build.
//!
//! # Tests
//! `cargo test -p executor` runs unit tests and, in `tests/`, the executor on a fake machine
//! whose CPUs are OS threads. The lock-free protocol is model-checked with loom:
//! `RUSTFLAGS="--cfg loom -C debug-assertions" CARGO_TARGET_DIR=target/loom
//! cargo test -p executor --release --lib` (see `loom_tests.rs`).

#![cfg_attr(not(test), no_std)]

extern crate alloc;

mod cpu;
mod executor;
mod join;
mod platform;
mod queue;
mod run;
mod sync;
mod task;
mod timer;
mod waker;
mod yield_now;

#[cfg(all(test, loom))]
mod loom_tests;

pub use executor::{Executor, SpawnError};
pub use join::JoinHandle;
pub use platform::{INFINITE, Platform, Time};
pub use timer::{Sleep, TimedOut};
pub use yield_now::{YieldNow, yield_now};
