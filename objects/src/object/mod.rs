//! The kernel object model: the [`KernelObject`] trait every object implements, the
//! [`ObjectBase`] every object embeds, and safe downcasting from `Arc<dyn KernelObject>`.
//!
//! An object is shared through `Arc`: handles, messages in transit and waiting futures each
//! hold one. Separately, [`ObjectBase`] counts the *handles* to the object (in tables or in
//! transit). When that count falls to zero the object's [`KernelObject::on_zero_handles`] runs:
//! that is when a channel endpoint tells its peer `PEER_CLOSED`, even if a kernel future still
//! holds a reference for a moment longer.
//!
//! # Adding a kernel object
//!
//! 1. Put the object in its own file in the group it belongs to (`ipc/`, `task/`, `vm/`), as a
//!    struct that embeds an [`ObjectBase`] built with the object's [`ObjectType`].
//! 2. If the object can be waited on, give it a [`SignalState`] (its own field, or one shared
//!    with its peer as channels and event pairs do) and return it from
//!    [`KernelObject::signal_state`]; otherwise return `None` (ports, VMARs). Change signals
//!    with [`SignalState::update`], or with [`SignalState::update_deferred`] while holding the
//!    object's own lock, and deliver the wake-ups after dropping it.
//! 3. Implement [`KernelObject`]: `base`, `signal_state`, and where they apply
//!    `user_signal_mask` (the bits `object_signal` may touch), `related_koid` (peer, parent
//!    job, owning process), `signal_peer`, and `on_zero_handles` (what closing the last handle
//!    means for this object; move handles the object owns into `orphans` instead of dropping
//!    them, so that nested objects are closed without recursion).
//! 4. Give it a constructor returning `Arc<Self>` and a `create` that checks the syscall's
//!    options and returns a [`Handle`] with the type's default rights from
//!    [`Rights`](crate::Rights) (spec §1.1).
//! 5. Take the object from a handle with [`HandleTable::get`](crate::handle::HandleTable::get),
//!    which checks the type and the rights in Zircon's order (`BAD_HANDLE`, `WRONG_TYPE`,
//!    `ACCESS_DENIED`).
//!
//! Lock order across the crate, outermost first: an object's own lock (a channel pair's
//! queues, an event pair's peer state) → a handle table → a signal state → a port's queue.
//! Wakers are called with none of these held.

mod accounting;
mod base;

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;

pub(crate) use accounting::{handle_created, handle_destroyed};
pub use accounting::{live_handles, live_objects};
pub use base::ObjectBase;

use crate::abi::{Koid, ObjectType, Signals, Status, ZX_KOID_INVALID, ZxResult};
use crate::handle::Handle;
use crate::signal::SignalState;

/// What every kernel object provides to handles, waits and the syscall layer.
pub trait KernelObject: Any + Send + Sync {
    /// The fields every object shares: koid, type and handle count.
    fn base(&self) -> &ObjectBase;

    /// The object's signals and waiters, or `None` when it cannot be waited on (a port).
    fn signal_state(&self) -> Option<&SignalState>;

    /// The signals `object_signal` may set or clear on this object (spec §5.3): the user
    /// signals on every waitable object; events and event pairs add their `SIGNALED` bit.
    fn user_signal_mask(&self) -> Signals {
        match self.signal_state() {
            Some(_) => Signals::USER_ALL,
            None => Signals::empty(),
        }
    }

    /// The koid `ZX_INFO_HANDLE_BASIC` reports as related: the peer of a channel or event
    /// pair, the parent of a job or process; `ZX_KOID_INVALID` when there is none.
    fn related_koid(&self) -> Koid {
        ZX_KOID_INVALID
    }

    /// `object_signal_peer`: clears then sets user signals on the peer. Objects without a peer
    /// answer `NOT_SUPPORTED`.
    fn signal_peer(&self, _clear: Signals, _set: Signals) -> ZxResult {
        Err(Status::NotSupported)
    }

    /// Runs when the last handle to the object closes. Handles the object owns (messages in a
    /// channel) go into `orphans`; the caller closes them in a loop instead of recursing.
    fn on_zero_handles(&self, _orphans: &mut Vec<Handle>) {}

    /// The object's koid.
    fn koid(&self) -> Koid {
        self.base().koid()
    }

    /// The object's type.
    fn object_type(&self) -> ObjectType {
        self.base().object_type()
    }
}

impl dyn KernelObject {
    /// Whether the object is a `T`.
    pub fn is<T: KernelObject>(&self) -> bool {
        let any: &dyn Any = self;
        any.is::<T>()
    }

    /// `object_signal` on this object (spec §5.3): clears `clear`, then sets `set`. Bits
    /// outside [`KernelObject::user_signal_mask`] are `INVALID_ARGS`; an object that cannot be
    /// waited on is `NOT_SUPPORTED`.
    pub fn user_signal(&self, clear: Signals, set: Signals) -> ZxResult {
        let state = self.signal_state().ok_or(Status::NotSupported)?;
        if !self.user_signal_mask().contains(clear | set) {
            return Err(Status::InvalidArgs);
        }
        state.update(clear, set);
        Ok(())
    }
}

/// The object as a `T`, or `WRONG_TYPE`.
pub fn downcast<T: KernelObject>(object: &Arc<dyn KernelObject>) -> ZxResult<Arc<T>> {
    let any: Arc<dyn Any + Send + Sync> = object.clone();
    any.downcast::<T>().map_err(|_| Status::WrongType)
}
