//! Exception objects (spec §9.4): what a handler reads from an exception channel, and whose
//! closing decides what the faulting thread does next.
//!
//! One exception object is made when a thread raises an exception and is offered to each
//! handler in turn: every offer makes one new handle (with the exception rights, which do not
//! include `DUPLICATE`, so exactly one holder). When that handle closes, read from the channel
//! or not, the object's `ZX_PROP_EXCEPTION_STATE` decides: `HANDLED` resumes the thread,
//! `TRY_NEXT` (the default, reset at every offer) passes it on.
//!
//! The thread and process handles `exception_get_thread` and `exception_get_process` give
//! carry the rights of the task handle the channel was created with; a thread's channel gives
//! no process handle. They stay valid after the thread was killed, and setting the state then
//! still succeeds, to no effect.
//!
//! An exception object cannot be waited on. The faulting thread waits on a private signal
//! state, asserted when the offered handle closes.

use alloc::sync::Arc;
use alloc::vec::Vec;

use log::debug;
use spin::Mutex;

use super::info::ExceptionReport;
use super::process::Process;
use super::thread::Thread;
use crate::abi::{
    ExceptionChannelType, ObjectType, Rights, Signals, Status, ZX_EXCEPTION_STATE_HANDLED,
    ZX_EXCEPTION_STATE_TRY_NEXT, ZxResult,
};
use crate::handle::Handle;
use crate::object::{KernelObject, ObjectBase};
use crate::signal::{SignalState, StateWait};

/// The private signal asserted while no handle to the exception is open.
const RELEASED: Signals = Signals::SIGNALED;

/// An exception object.
pub struct Exception {
    base: ObjectBase,
    thread: Arc<Thread>,
    report: ExceptionReport,
    inner: Mutex<Offer>,
    /// `RELEASED` while no handle is open; private to the faulting thread.
    released: SignalState,
}

/// What the current offer to a handler carries.
struct Offer {
    /// `ZX_EXCEPTION_STATE_TRY_NEXT` or `ZX_EXCEPTION_STATE_HANDLED`.
    state: u32,
    channel: ExceptionChannelType,
    thread_rights: Rights,
    /// `None` for a thread's channel: `exception_get_process` is refused.
    process_rights: Option<Rights>,
}

impl Exception {
    /// A new exception raised by `thread`, not yet offered to anyone.
    pub(super) fn new(thread: Arc<Thread>, report: ExceptionReport) -> Arc<Exception> {
        let offer = Offer {
            state: ZX_EXCEPTION_STATE_TRY_NEXT,
            channel: ExceptionChannelType::None,
            thread_rights: Rights::empty(),
            process_rights: None,
        };
        Arc::new(Exception {
            base: ObjectBase::new(ObjectType::Exception),
            thread,
            report,
            inner: Mutex::new(offer),
            released: SignalState::new(RELEASED),
        })
    }

    /// The report the kernel raised the exception with.
    pub fn report(&self) -> ExceptionReport {
        self.report
    }

    /// The thread that raised it.
    pub fn thread(&self) -> &Arc<Thread> {
        &self.thread
    }

    /// Starts an offer through a channel of type `channel`: the state goes back to
    /// `TRY_NEXT`, the task rights are set, and the one handle of this offer is returned.
    pub(super) fn begin_round(
        self: &Arc<Self>,
        channel: ExceptionChannelType,
        thread_rights: Rights,
        process_rights: Option<Rights>,
    ) -> Handle {
        *self.inner.lock() = Offer {
            state: ZX_EXCEPTION_STATE_TRY_NEXT,
            channel,
            thread_rights,
            process_rights,
        };
        self.released.update(RELEASED, Signals::empty());
        Handle::new(self.clone(), Rights::DEFAULT_EXCEPTION)
    }

    /// Resolves once the handle of the current offer has closed.
    pub(super) fn released(&self) -> StateWait<'_> {
        StateWait::new(&self.released, RELEASED)
    }

    /// The channel type of the current offer.
    pub(super) fn channel(&self) -> ExceptionChannelType {
        self.inner.lock().channel
    }

    /// `ZX_PROP_EXCEPTION_STATE`.
    pub fn state(&self) -> u32 {
        self.inner.lock().state
    }

    /// Sets `ZX_PROP_EXCEPTION_STATE`: `ZX_EXCEPTION_STATE_TRY_NEXT` or
    /// `ZX_EXCEPTION_STATE_HANDLED`; anything else is INVALID_ARGS.
    pub fn set_state(&self, state: u32) -> ZxResult {
        if state != ZX_EXCEPTION_STATE_TRY_NEXT && state != ZX_EXCEPTION_STATE_HANDLED {
            return Err(Status::InvalidArgs);
        }
        self.inner.lock().state = state;
        Ok(())
    }

    /// `zx_exception_get_thread`: a handle to the faulting thread with the rights of the
    /// task handle behind the channel.
    pub fn get_thread(&self) -> Handle {
        let rights = self.inner.lock().thread_rights;
        Handle::new(self.thread.clone(), rights)
    }

    /// `zx_exception_get_process`: a handle to the faulting thread's process with the rights
    /// of the task handle behind the channel. ACCESS_DENIED for an exception from a thread's
    /// channel.
    pub fn get_process(&self) -> ZxResult<Handle> {
        let rights = self
            .inner
            .lock()
            .process_rights
            .ok_or(Status::AccessDenied)?;
        let process: Arc<Process> = self.thread.process().clone();
        Ok(Handle::new(process, rights))
    }
}

impl KernelObject for Exception {
    fn base(&self) -> &ObjectBase {
        &self.base
    }

    fn signal_state(&self) -> Option<&SignalState> {
        None
    }

    /// The offer ends: the faulting thread reads the state and resumes or moves on.
    fn on_zero_handles(&self, _orphans: &mut Vec<Handle>) {
        debug!(
            "exception of thread {}: released with state {}",
            self.thread.koid(),
            self.state()
        );
        self.released.update(Signals::empty(), RELEASED);
    }
}

impl core::fmt::Debug for Exception {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Exception")
            .field("koid", &self.koid())
            .field("thread", &self.thread.koid())
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}
