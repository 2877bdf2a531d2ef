//! Tasks: jobs, processes and threads (spec §2, §3), their exceptions (§9), the records they
//! report (§10) and job policies (§11).
//!
//! - [`Job`] (`job.rs`): the job tree, with kill, the height limit, critical processes and
//!   policies ([`JobPolicy`], `job_policy.rs`).
//! - [`Process`] (`process.rs`): a handle table, an address space and threads, from creation
//!   to teardown.
//! - [`Thread`] (`thread.rs`): the bookkeeping of one user thread; `thread_state.rs` holds
//!   what each wait of a syscall runs in ([`Thread::run_blocking`], and
//!   [`Thread::run_until_killed`] for the kernel's own waits).
//! - Exceptions: the [`Exception`] object (`exception.rs`), the per-task channels
//!   (`exceptionate.rs`), and the handler walk (`raise.rs`).
//! - [`ops`]: the task syscalls through a process's handle table, with their rights checks
//!   and error order.
//!
//! # How the kernel runs a thread
//!
//! A started thread is a future the kernel spawns when `process_start` or `thread_start`
//! hands it a [`StartedThread`] through its [`ThreadSpawner`]. In outline:
//!
//! ```text
//! async fn user_thread(thread: StartedThread, start: ThreadStart) {
//!     let mut context = UserContext::new(start);
//!     thread.raise_start_exceptions().await;
//!     while !thread.is_dying() {
//!         match context.enter_user() {
//!             // Each wait inside the syscall runs in `run_blocking`: a kill drops the wait
//!             // and ends the syscall, and the loop stops, as the thread is dying.
//!             Trap::Syscall(args) => context.set_return(dispatch(&thread, args).await),
//!             Trap::Fault(report) => {
//!                 if thread.raise_exception(report).await == ExceptionOutcome::Stop { break }
//!             }
//!             Trap::Timer => yield_now().await,
//!         }
//!     }
//!     thread.raise_exit_exception().await;
//! }   // `thread` dropped here: the thread is dead, and its process too if it was the last
//! ```
//!
//! # Lock order
//!
//! A job's lock, a process's lock and a thread's lock are never held while another task's
//! lock is taken, except process then thread (starting a thread). Under any of them only a
//! signal state is taken. Kills, removals and deaths walk the tree with no lock held, and
//! every `Arc` of a task or `Handle` is dropped after the locks are released.

mod context;
mod exception;
mod exceptionate;
mod info;
mod job;
mod job_policy;
mod name;
pub mod ops;
mod process;
mod raise;
mod thread;
mod thread_state;

use alloc::vec::Vec;

pub use context::{PageTableFactory, TaskContext, ThreadSpawner, ThreadStart};
pub use exception::Exception;
pub use info::{
    CPU_SET_WORDS, ExceptionInfo, ExceptionReport, JobInfo, ProcessInfo, ThreadInfo,
    X86ExceptionData,
};
pub use job::{Job, ROOT_JOB_MAX_HEIGHT};
pub use job_policy::{
    BasicPolicy, JobPolicy, PolicyAction, PolicyCondition, PolicyRequest, TimerSlackPolicy,
};
pub use name::Name;
pub use process::{PROCESS_MEMORY_MAX_BYTES, Process, ProcessState};
pub use raise::ExceptionOutcome;
pub use thread::{StartedThread, Thread};
pub use thread_state::{BlockedGuard, BlockedReason, Killed, UntilKilled};

use crate::handle::Handle;

/// Where the handles a dying task gives up go.
pub(crate) enum Closing<'a> {
    /// Closed on the spot: the death happens with no lock held and outside any close.
    Now,
    /// Handed to the close loop the death happens in (inside `on_zero_handles`), so that
    /// closing never nests.
    Into(&'a mut Vec<Handle>),
}

impl Closing<'_> {
    /// Closes `handles`, now or through the running close loop.
    pub(crate) fn close(&mut self, handles: impl IntoIterator<Item = Handle>) {
        match self {
            Closing::Now => handles.into_iter().for_each(drop),
            Closing::Into(orphans) => orphans.extend(handles),
        }
    }
}

#[cfg(test)]
mod tests;
