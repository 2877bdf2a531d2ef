//! Live-object accounting: once every handle is closed, every object is gone, including those
//! that were in transit in channels, waited on, or observed by ports.
//!
//! The counters are global, so this binary holds a single test.

mod common;

use std::future::Future;
use std::task::{Context, Waker};

use common::clock;
use objects::abi::{ObjectType, Rights, Signals, ZX_TIME_INFINITE};
use objects::handle::HandleTable;
use objects::ipc::{Channel, Event, EventPair, Port, PortPacket, channel_write, port_queue};
use objects::object::{live_handles, live_objects};
use objects::wait::{WaitItem, wait_async, wait_many, wait_one};

const TYPES: [ObjectType; 4] = [
    ObjectType::Event,
    ObjectType::EventPair,
    ObjectType::Channel,
    ObjectType::Port,
];

fn live() -> Vec<usize> {
    TYPES
        .iter()
        .map(|&object_type| live_objects(object_type))
        .collect()
}

#[test]
fn closing_every_handle_returns_the_counts_to_zero() {
    assert_eq!((live(), live_handles()), (vec![0; 4], 0));
    let clock = clock();
    let first = HandleTable::new();
    let second = HandleTable::new();

    let event = first.insert(Event::create(0).unwrap()).unwrap();
    let (pair_a, pair_b) = EventPair::create(0).unwrap();
    let (pair_a, _pair_b) = (
        first.insert(pair_a).unwrap(),
        second.insert(pair_b).unwrap(),
    );
    let port = first.insert(Port::create(0).unwrap()).unwrap();
    let (a, b) = Channel::create(0).unwrap();
    let (a, _b) = (first.insert(a).unwrap(), second.insert(b).unwrap());

    // Objects in transit: an event, a channel end carrying another message, a port.
    let (inner_a, inner_b) = Channel::create(0).unwrap();
    let (inner_a, inner_b) = (
        first.insert(inner_a).unwrap(),
        first.insert(inner_b).unwrap(),
    );
    let carried = first.insert(Event::create(0).unwrap()).unwrap();
    channel_write(&first, inner_a, 0, vec![1], &[carried]).unwrap();
    let extra_port = first.duplicate(port, Rights::TRANSFER.bits()).unwrap();
    channel_write(&first, a, 0, vec![2], &[inner_b, extra_port]).unwrap();

    // Waits and observers left pending.
    port_queue(&first, port, &PortPacket::user(1, 0, [0; 32])).unwrap();
    wait_async(&first, event, port, 7, Signals::USER_0, 0, &clock).unwrap();
    wait_async(&first, pair_a, port, 8, Signals::USER_0, 0, &clock).unwrap();
    let mut waiting = wait_one(&first, event, Signals::USER_1, 1_000, &clock).unwrap();
    let items = [WaitItem {
        handle: pair_a,
        waitfor: Signals::USER_1,
    }];
    let mut waiting_many = wait_many(&first, &items, ZX_TIME_INFINITE, &clock).unwrap();
    let mut cx = Context::from_waker(Waker::noop());
    assert!(std::pin::Pin::new(&mut waiting).poll(&mut cx).is_pending());
    assert!(
        std::pin::Pin::new(&mut waiting_many)
            .poll(&mut cx)
            .is_pending()
    );

    assert_eq!(live(), vec![2, 2, 4, 1]);
    assert_eq!(live_handles(), first.len() + second.len() + 3);

    drop(first);
    drop(second);
    drop(waiting);
    drop(waiting_many);
    assert_eq!((live(), live_handles()), (vec![0; 4], 0));
}
