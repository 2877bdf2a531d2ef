//! Raising exceptions from a thread's future (spec §9.3, §9.4): the handlers in order, each
//! offered the exception until one resumes the thread.
//!
//! Architectural and policy exceptions go to the process's debugger channel, the thread's
//! channel, the process's channel, then the job's channel and each ancestor's, in that order.
//! Each bound channel gets one message and the faulting thread waits until the exception
//! handle of that message is closed: `HANDLED` resumes the thread, `TRY_NEXT` moves on. When
//! nobody resumes it, the process is killed with `ZX_TASK_RETCODE_EXCEPTION_KILL`. Killing the
//! thread ends the wait at once and no further handler sees the exception.
//!
//! The synthetic exceptions a debugger watches go to one channel each and never kill:
//! `ZX_EXCP_PROCESS_STARTING` to the first job-debugger channel up from the process's job,
//! `ZX_EXCP_THREAD_STARTING` and `ZX_EXCP_THREAD_EXITING` to the process's debugger channel.
//! A killed thread still reports its exit, but does not wait for the reply.
//!
//! While an exception is offered, the thread reports `BLOCKED_EXCEPTION`, the type of the
//! channel, and the exception's report (`ZX_INFO_THREAD_EXCEPTION_REPORT`).

use alloc::sync::Arc;

use log::debug;

use super::exception::Exception;
use super::exceptionate::Exceptionate;
use super::info::{ExceptionInfo, ExceptionReport};
use super::thread::Thread;
use crate::abi::{
    ZX_EXCEPTION_STATE_HANDLED, ZX_EXCP_PROCESS_STARTING, ZX_EXCP_THREAD_EXITING,
    ZX_EXCP_THREAD_STARTING, ZX_TASK_RETCODE_EXCEPTION_KILL,
};
use crate::object::KernelObject;

/// How exception handling ended for the faulting thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExceptionOutcome {
    /// A handler set `ZX_EXCEPTION_STATE_HANDLED`: the thread goes back to user mode with
    /// its (possibly modified) registers.
    Resume,
    /// The thread must stop: it was killed, or nobody handled the exception and its process
    /// was killed.
    Stop,
}

/// What one offer to one channel came to.
enum Offer {
    /// No handler is bound to the channel.
    NotBound,
    /// The handler closed the exception with this `ZX_PROP_EXCEPTION_STATE`.
    Released(u32),
    /// The thread was killed before the handler closed it.
    Killed,
}

/// Marks the thread as waiting in `exception` until dropped.
struct InException<'a> {
    thread: &'a Thread,
}

impl<'a> InException<'a> {
    fn enter(thread: &'a Thread, exception: &Arc<Exception>) -> Self {
        thread.inner.lock().exception = Some(exception.clone());
        InException { thread }
    }
}

impl Drop for InException<'_> {
    fn drop(&mut self) {
        let exception = self.thread.inner.lock().exception.take();
        drop(exception);
    }
}

impl Thread {
    /// Raises an architectural exception (or a policy error) the kernel could not resolve,
    /// described by `report`, and waits for the handlers; see the module doc.
    pub async fn raise_exception(self: &Arc<Self>, report: ExceptionReport) -> ExceptionOutcome {
        let exception = Exception::new(self.clone(), report);
        let _waiting = InException::enter(self, &exception);
        let process = self.process();
        debug!("thread {}: exception {:#x}", self.koid(), report.kind);

        let own = [
            process.debug_exceptionate(),
            self.exceptionate(),
            process.exceptionate(),
        ];
        for exceptionate in own {
            match self.offer(&exception, exceptionate).await {
                Offer::Released(ZX_EXCEPTION_STATE_HANDLED) => return ExceptionOutcome::Resume,
                Offer::Killed => return ExceptionOutcome::Stop,
                Offer::NotBound | Offer::Released(_) => {}
            }
        }
        let mut job = Some(process.job().clone());
        while let Some(current) = job {
            match self.offer(&exception, current.exceptionate()).await {
                Offer::Released(ZX_EXCEPTION_STATE_HANDLED) => return ExceptionOutcome::Resume,
                Offer::Killed => return ExceptionOutcome::Stop,
                Offer::NotBound | Offer::Released(_) => {}
            }
            job = current.parent().cloned();
        }

        debug!(
            "thread {}: exception {:#x} unhandled",
            self.koid(),
            report.kind
        );
        process.kill_with(ZX_TASK_RETCODE_EXCEPTION_KILL);
        ExceptionOutcome::Stop
    }

    /// Reports a thread about to run its first instruction to the debuggers watching: the
    /// kernel awaits it at the top of the thread's future. A process's first thread raises
    /// `ZX_EXCP_PROCESS_STARTING` to the nearest job debugger; every thread raises
    /// `ZX_EXCP_THREAD_STARTING` to its process's debugger. Whatever the handlers decide, the
    /// thread then runs (unless it was killed meanwhile: check [`Thread::is_dying`]).
    pub async fn raise_start_exceptions(self: &Arc<Self>) {
        let initial = self.inner.lock().initial;
        if initial {
            let exception = self.synthetic(ZX_EXCP_PROCESS_STARTING);
            let _waiting = InException::enter(self, &exception);
            let mut job = Some(self.process().job().clone());
            while let Some(current) = job {
                match self.offer(&exception, current.debug_exceptionate()).await {
                    Offer::NotBound => job = current.parent().cloned(),
                    Offer::Released(_) | Offer::Killed => break,
                }
            }
        }

        // Without a debugger there is nobody to offer it to: no exception is made.
        let debugger = self.process().debug_exceptionate();
        if !debugger.is_bound() {
            return;
        }
        let exception = self.synthetic(ZX_EXCP_THREAD_STARTING);
        let _waiting = InException::enter(self, &exception);
        self.offer(&exception, debugger).await;
    }

    /// Reports a dying thread to its process's debugger (`ZX_EXCP_THREAD_EXITING`): the
    /// kernel awaits it after the thread's last syscall, before dropping its
    /// [`StartedThread`](super::StartedThread). A killed thread sends it without waiting.
    pub async fn raise_exit_exception(self: &Arc<Self>) {
        let debugger = self.process().debug_exceptionate();
        if !debugger.is_bound() {
            return;
        }
        let exception = self.synthetic(ZX_EXCP_THREAD_EXITING);
        if self.is_killed() {
            debugger.send(&exception, self.exception_info(&exception));
            return;
        }
        let _waiting = InException::enter(self, &exception);
        self.offer(&exception, debugger).await;
    }

    fn synthetic(self: &Arc<Self>, kind: u32) -> Arc<Exception> {
        Exception::new(self.clone(), ExceptionReport::synthetic(kind))
    }

    fn exception_info(&self, exception: &Exception) -> ExceptionInfo {
        ExceptionInfo {
            pid: self.process().koid(),
            tid: self.koid(),
            kind: exception.report().kind,
        }
    }

    /// Offers `exception` through `exceptionate` and waits until its handle is closed or the
    /// thread is killed.
    async fn offer(&self, exception: &Arc<Exception>, exceptionate: &Exceptionate) -> Offer {
        if self.is_killed() {
            return Offer::Killed;
        }
        if !exceptionate.send(exception, self.exception_info(exception)) {
            return Offer::NotBound;
        }
        debug!(
            "thread {}: exception offered to a {:?} channel",
            self.koid(),
            exceptionate.kind()
        );
        match self.run_until_killed(exception.released()).await {
            Some(_) => Offer::Released(exception.state()),
            None => Offer::Killed,
        }
    }
}
