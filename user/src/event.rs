//! Events and event pairs (spec §5.4): objects that exist to be signaled.

use crate::handle::{Handle, handle_type};
use crate::status::{Status, ZxResult};
use crate::sys;

handle_type!(
    /// An event: user signals plus `ZX_EVENT_SIGNALED`.
    Event
);

handle_type!(
    /// One end of an event pair: each end can signal its peer.
    EventPair
);

impl Event {
    /// A new event (`zx_event_create`).
    pub fn create() -> ZxResult<Event> {
        let mut out = 0;
        Status::ok(sys::event_create(0, &mut out))?;
        Ok(Handle::from_raw(out).into())
    }
}

impl EventPair {
    /// A new event pair: both ends (`zx_eventpair_create`).
    pub fn create() -> ZxResult<(EventPair, EventPair)> {
        let (mut a, mut b) = (0, 0);
        Status::ok(sys::eventpair_create(0, &mut a, &mut b))?;
        Ok((Handle::from_raw(a).into(), Handle::from_raw(b).into()))
    }
}
