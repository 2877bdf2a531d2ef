//! Exceptionates: the exception channel a task may have of each type (spec §3.11, §9.3).
//!
//! Binding one makes a channel, keeps the kernel's end and gives the handler the other, a
//! read-only end. The task's exceptions are written to the kernel's end, one message each:
//! a `zx_exception_info_t` and an exception handle. The binding lasts until the handler
//! closes its end (then another may bind) or the task dies (then the kernel closes its end and
//! the handler sees `PEER_CLOSED`). The binding remembers the rights of the task handle it was
//! made with: the exception's `get_thread` and `get_process` hand out those rights.
//!
//! Lock order: the exceptionate's lock is a leaf; channel writes happen after it is released.

use alloc::sync::Arc;
use alloc::vec;

use spin::Mutex;

use super::Closing;
use super::exception::Exception;
use super::info::ExceptionInfo;
use crate::abi::{ExceptionChannelType, Rights, Signals, Status, ZxResult};
use crate::handle::Handle;
use crate::ipc::{Channel, Message};
use crate::object::downcast;

/// One task's exception channel of one type.
pub(crate) struct Exceptionate {
    kind: ExceptionChannelType,
    inner: Mutex<Binding>,
}

struct Binding {
    /// The kernel's end of the channel, while bound.
    channel: Option<Handle>,
    /// The rights of the task handle the channel was made with.
    task_rights: Rights,
    /// Set when the task died: no channel may be bound any more.
    shut_down: bool,
}

impl Binding {
    /// The kernel's end, if the handler's end is still open.
    fn live_channel(&self) -> Option<&Handle> {
        let channel = self.channel.as_ref()?;
        let peer_closed = channel
            .object()
            .signal_state()
            .is_some_and(|state| state.signals().contains(Signals::CHANNEL_PEER_CLOSED));
        (!peer_closed).then_some(channel)
    }
}

impl Exceptionate {
    /// An exceptionate of `kind` with no channel.
    pub(crate) fn new(kind: ExceptionChannelType) -> Self {
        let binding = Binding {
            channel: None,
            task_rights: Rights::empty(),
            shut_down: false,
        };
        Exceptionate {
            kind,
            inner: Mutex::new(binding),
        }
    }

    /// The channel type, as `zx_info_thread_t` reports it.
    pub(crate) fn kind(&self) -> ExceptionChannelType {
        self.kind
    }

    /// Binds a new channel for a task handle with `task_rights`; returns the handler's end,
    /// with the rights `TRANSFER | WAIT | READ`. BAD_STATE once the task died; ALREADY_BOUND
    /// while a handler's end is open.
    pub(crate) fn bind(&self, task_rights: Rights) -> ZxResult<Handle> {
        let mut binding = self.inner.lock();
        if binding.shut_down {
            return Err(Status::BadState);
        }
        if binding.live_channel().is_some() {
            return Err(Status::AlreadyBound);
        }
        let (kernel_end, handler_end) = Channel::new();
        let stale = binding
            .channel
            .replace(Handle::new(kernel_end, Rights::DEFAULT_CHANNEL));
        binding.task_rights = task_rights;
        drop(binding);
        drop(stale);
        Ok(Handle::new(handler_end, Rights::EXCEPTION_CHANNEL))
    }

    /// Whether a handler's end is open.
    pub(crate) fn is_bound(&self) -> bool {
        self.inner.lock().live_channel().is_some()
    }

    /// The task died: closes the kernel's end and refuses new bindings.
    pub(crate) fn shut_down(&self, closing: &mut Closing<'_>) {
        let mut binding = self.inner.lock();
        binding.shut_down = true;
        let channel = binding.channel.take();
        drop(binding);
        closing.close(channel);
    }

    /// Sends `exception` to the bound handler: the exception's task rights are set from the
    /// binding and a message with its info and a new exception handle is queued. False when
    /// no handler is bound (or it closed its end meanwhile); the exception handle is then
    /// closed again.
    pub(crate) fn send(&self, exception: &Arc<Exception>, info: ExceptionInfo) -> bool {
        let (channel, task_rights) = {
            let binding = self.inner.lock();
            let Some(channel) = binding.live_channel() else {
                return false;
            };
            (channel.object().clone(), binding.task_rights)
        };
        let Ok(channel) = downcast::<Channel>(&channel) else {
            unreachable!("an exceptionate binds only channels");
        };

        // A thread's channel may not reach the process (spec §9.4).
        let process_rights = (self.kind != ExceptionChannelType::Thread).then_some(task_rights);
        let handle = exception.begin_round(self.kind, task_rights, process_rights);
        let Ok(message) = Message::new(info.to_bytes().to_vec(), vec![handle]) else {
            unreachable!("one handle and 24 bytes fit any message");
        };
        channel.write(message).is_ok()
    }
}
