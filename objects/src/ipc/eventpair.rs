//! Event pairs: two events, each able to signal the other, that learn when the other's last
//! handle closes (`ZX_EVENTPAIR_PEER_CLOSED`).
//!
//! Both ends share one lock (the `open` flags) and keep their signal states side by side, so a
//! peer signal and a peer close are ordered: a signal to a closed peer is `PEER_CLOSED`, never
//! a change nobody can see. Lock order: `open`, then a signal state.

use alloc::sync::Arc;
use alloc::vec::Vec;

use spin::Mutex;

use crate::abi::{Koid, ObjectType, Rights, Signals, Status, ZxResult, new_koid};
use crate::handle::Handle;
use crate::object::{KernelObject, ObjectBase};
use crate::signal::SignalState;

/// One end of an event pair.
pub struct EventPair {
    base: ObjectBase,
    shared: Arc<Shared>,
    side: usize,
    peer_koid: Koid,
}

struct Shared {
    /// Whether each end still has handles.
    open: Mutex<[bool; 2]>,
    signals: [SignalState; 2],
}

impl EventPair {
    /// Two connected ends, with no signal asserted.
    pub fn new() -> (Arc<EventPair>, Arc<EventPair>) {
        let shared = Arc::new(Shared {
            open: Mutex::new([true; 2]),
            signals: [
                SignalState::new(Signals::empty()),
                SignalState::new(Signals::empty()),
            ],
        });
        let koids = [new_koid(), new_koid()];
        let end = |side: usize| {
            Arc::new(EventPair {
                base: ObjectBase::with_koid(ObjectType::EventPair, koids[side]),
                shared: shared.clone(),
                side,
                peer_koid: koids[1 - side],
            })
        };
        (end(0), end(1))
    }

    /// `zx_eventpair_create`: two handles with the default event pair rights. `options` must
    /// be 0 (`INVALID_ARGS`).
    pub fn create(options: u32) -> ZxResult<(Handle, Handle)> {
        if options != 0 {
            return Err(Status::InvalidArgs);
        }
        let (a, b) = EventPair::new();
        Ok((
            Handle::new(a, Rights::DEFAULT_EVENTPAIR),
            Handle::new(b, Rights::DEFAULT_EVENTPAIR),
        ))
    }

    fn peer_side(&self) -> usize {
        1 - self.side
    }
}

impl KernelObject for EventPair {
    fn base(&self) -> &ObjectBase {
        &self.base
    }

    fn signal_state(&self) -> Option<&SignalState> {
        Some(&self.shared.signals[self.side])
    }

    /// Spec §5.3: the user signals and `ZX_EVENTPAIR_SIGNALED`; `PEER_CLOSED` is the kernel's.
    fn user_signal_mask(&self) -> Signals {
        Signals::USER_ALL | Signals::EVENTPAIR_SIGNALED
    }

    fn related_koid(&self) -> Koid {
        self.peer_koid
    }

    fn signal_peer(&self, clear: Signals, set: Signals) -> ZxResult {
        if !self.user_signal_mask().contains(clear | set) {
            return Err(Status::InvalidArgs);
        }
        let open = self.shared.open.lock();
        if !open[self.peer_side()] {
            return Err(Status::PeerClosed);
        }
        let wakeups = self.shared.signals[self.peer_side()].update_deferred(clear, set);
        drop(open);
        wakeups.deliver();
        Ok(())
    }

    fn on_zero_handles(&self, _orphans: &mut Vec<Handle>) {
        let mut open = self.shared.open.lock();
        open[self.side] = false;
        let peer = &self.shared.signals[self.peer_side()];
        let wakeups = open[self.peer_side()]
            .then(|| peer.update_deferred(Signals::empty(), Signals::EVENTPAIR_PEER_CLOSED));
        drop(open);
        if let Some(wakeups) = wakeups {
            wakeups.deliver();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handle::HandleTable;

    #[test]
    fn eventpair_create_with_options_is_invalid_args() {
        assert_eq!(EventPair::create(1).err(), Some(Status::InvalidArgs));
    }

    #[test]
    fn eventpair_ends_have_the_default_rights_and_know_each_other() {
        let (a, b) = EventPair::create(0).unwrap();
        assert_eq!(
            a.rights(),
            Rights::BASIC | Rights::SIGNAL | Rights::SIGNAL_PEER
        );
        assert_eq!(a.object().related_koid(), b.object().koid());
        assert_eq!(b.object().related_koid(), a.object().koid());
        assert_eq!(a.object().object_type(), ObjectType::EventPair);
    }

    #[test]
    fn closing_one_end_asserts_peer_closed_on_the_other() {
        let table = HandleTable::new();
        let (a, b) = EventPair::create(0).unwrap();
        let b_object = b.object().clone();
        let (a, _b) = (table.insert(a).unwrap(), table.insert(b).unwrap());
        assert_eq!(b_object.signal_state().unwrap().signals(), Signals::empty());
        table.close(a).unwrap();
        assert_eq!(
            b_object.signal_state().unwrap().signals(),
            Signals::EVENTPAIR_PEER_CLOSED
        );
    }
}
