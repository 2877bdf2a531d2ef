//! Events: objects that carry nothing but signals (spec §5.4).
//!
//! An event's signals change only through `object_signal`: `ZX_EVENT_SIGNALED` and the eight
//! user signals, all inactive at creation.

use alloc::sync::Arc;

use crate::abi::{ObjectType, Rights, Signals, Status, ZxResult};
use crate::handle::Handle;
use crate::object::{KernelObject, ObjectBase};
use crate::signal::SignalState;

/// An event object.
pub struct Event {
    base: ObjectBase,
    signals: SignalState,
}

impl Event {
    /// A new event with no signal asserted.
    pub fn new() -> Arc<Event> {
        Arc::new(Event {
            base: ObjectBase::new(ObjectType::Event),
            signals: SignalState::new(Signals::empty()),
        })
    }

    /// `zx_event_create`: a handle with the default event rights (`BASIC | SIGNAL`).
    /// `options` must be 0 (`INVALID_ARGS`).
    pub fn create(options: u32) -> ZxResult<Handle> {
        if options != 0 {
            return Err(Status::InvalidArgs);
        }
        Ok(Handle::new(Event::new(), Rights::DEFAULT_EVENT))
    }
}

impl KernelObject for Event {
    fn base(&self) -> &ObjectBase {
        &self.base
    }

    fn signal_state(&self) -> Option<&SignalState> {
        Some(&self.signals)
    }

    fn user_signal_mask(&self) -> Signals {
        Signals::EVENT_MASK
    }
}
