//! `object_signal`, `object_signal_peer` and `event_create` (spec §5.3, §5.4).

use super::*;
use crate::abi::{Rights, Signals, Status};
use crate::handle::{Handle, HandleTable};
use crate::ipc::{Channel, Event, EventPair};
use crate::testing::{event, signal};

const U0: Signals = Signals::USER_0;
const U1: Signals = Signals::USER_1;

#[test]
fn event_create_with_options_is_invalid_args() {
    assert_eq!(Event::create(1).err(), Some(Status::InvalidArgs));
}

#[test]
fn an_event_handle_has_basic_and_signal_rights() {
    let handle = Event::create(0).unwrap();
    assert_eq!(handle.rights(), Rights::BASIC | Rights::SIGNAL);
    assert_eq!(
        handle.object().signal_state().unwrap().signals(),
        Signals::empty()
    );
}

#[test]
fn object_signal_clears_before_it_sets() {
    let table = HandleTable::new();
    let value = event(&table);
    signal(&table, value, Signals::empty(), U0 | U1);
    signal(&table, value, U0 | U1, U1 | Signals::SIGNALED);
    let object = table.get_object(value, Rights::empty()).unwrap();
    assert_eq!(
        object.signal_state().unwrap().signals(),
        U1 | Signals::SIGNALED
    );
}

#[test]
fn object_signal_needs_the_signal_right() {
    let table = HandleTable::new();
    let value = event(&table);
    let no_signal = table.duplicate(value, Rights::WAIT.bits()).unwrap();
    assert_eq!(
        object_signal(&table, no_signal, 0, U0.bits()),
        Err(Status::AccessDenied)
    );
    assert_eq!(
        object_signal(&table, 0x1233, 0, U0.bits()),
        Err(Status::BadHandle)
    );
}

#[test]
fn object_signal_refuses_bits_the_object_does_not_allow() {
    let table = HandleTable::new();
    let value = event(&table);
    for bit in [
        Signals::READABLE,
        Signals::PEER_CLOSED,
        Signals::HANDLE_CLOSED,
    ] {
        assert_eq!(
            object_signal(&table, value, 0, bit.bits()),
            Err(Status::InvalidArgs)
        );
        assert_eq!(
            object_signal(&table, value, bit.bits(), 0),
            Err(Status::InvalidArgs)
        );
    }

    let (a, _b) = EventPair::create(0).unwrap();
    let pair = table.insert(a).unwrap();
    assert_eq!(
        object_signal(&table, pair, 0, Signals::SIGNALED.bits()),
        Ok(())
    );
    assert_eq!(
        object_signal(&table, pair, 0, Signals::PEER_CLOSED.bits()),
        Err(Status::InvalidArgs)
    );

    let (a, _b) = Channel::create(0).unwrap();
    let channel = table.insert(a).unwrap();
    assert_eq!(object_signal(&table, channel, 0, U0.bits()), Ok(()));
    assert_eq!(
        object_signal(&table, channel, 0, Signals::SIGNALED.bits()),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn object_signal_peer_signals_the_other_end() {
    let table = HandleTable::new();
    let (a, b) = EventPair::create(0).unwrap();
    let (a, b) = (table.insert(a).unwrap(), table.insert(b).unwrap());
    object_signal_peer(&table, a, 0, (U0 | Signals::SIGNALED).bits()).unwrap();
    let peer = table.get_object(b, Rights::empty()).unwrap();
    assert_eq!(
        peer.signal_state().unwrap().signals(),
        U0 | Signals::SIGNALED
    );

    table.close(b).unwrap();
    assert_eq!(
        object_signal_peer(&table, a, 0, U0.bits()),
        Err(Status::PeerClosed)
    );
    let own = table.get_object(a, Rights::empty()).unwrap();
    assert_eq!(own.signal_state().unwrap().signals(), Signals::PEER_CLOSED);
}

#[test]
fn object_signal_peer_needs_a_peer_and_the_right() {
    let table = HandleTable::new();
    let value = event(&table);
    let bare = table.duplicate(value, Rights::SIGNAL.bits()).unwrap();
    assert_eq!(
        object_signal_peer(&table, bare, 0, U0.bits()),
        Err(Status::AccessDenied)
    );
    let (a, _b) = EventPair::create(0).unwrap();
    let pair = table.insert(a).unwrap();
    let no_peer_right = table.duplicate(pair, Rights::SIGNAL.bits()).unwrap();
    assert_eq!(
        object_signal_peer(&table, no_peer_right, 0, U0.bits()),
        Err(Status::AccessDenied)
    );
    let event = Handle::new(Event::new(), Rights::SIGNAL_PEER);
    let event = table.insert(event).unwrap();
    assert_eq!(
        object_signal_peer(&table, event, 0, U0.bits()),
        Err(Status::NotSupported)
    );
}

// --- waking more waiters than one batch holds ---

#[test]
fn a_change_that_fills_the_wake_batch_still_arms_for_the_waiters_it_leaves() {
    use crate::testing::{Counter, poll};

    let state = SignalState::new(Signals::empty());
    let (woken, waker) = Counter::new();
    let mut on_u0: Vec<StateWait<'_>> = (0..super::waiters::WAKE_BATCH + 2)
        .map(|_| StateWait::new(&state, U0))
        .collect();
    for wait in &mut on_u0 {
        assert!(poll(wait, &waker).is_pending());
    }
    let (u1_woken, u1_waker) = Counter::new();
    let mut on_u1 = StateWait::new(&state, U1);
    assert!(poll(&mut on_u1, &u1_waker).is_pending());

    state.update(Signals::empty(), U0);
    assert_eq!(woken.wakes(), on_u0.len(), "every U0 waiter is woken");
    assert_eq!(u1_woken.wakes(), 0);
    state.update(Signals::empty(), U1);
    assert_eq!(u1_woken.wakes(), 1, "the U1 waiter stayed armed");
    assert_eq!(
        poll(&mut on_u1, &u1_waker),
        core::task::Poll::Ready(U0 | U1)
    );
}
