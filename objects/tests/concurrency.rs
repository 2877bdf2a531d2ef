//! Concurrency on OS threads standing in for CPUs: waits racing signals, ports and channels
//! shared by several threads. Nothing may be lost, and no waker may be called after its wait
//! was dropped. Closes racing waits are in `close_races.rs`.

mod common;

use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::task::{Context, Waker};
use std::thread;

use common::{Sentinel, block_on, clock, event};
use objects::abi::{HandleValue, Signals, Status, ZX_TIME_INFINITE};
use objects::handle::HandleTable;
use objects::ipc::{
    Channel, Event, Port, PortPacket, channel_call, channel_read, channel_write, port_queue,
    port_wait,
};
use objects::signal::object_signal;
use objects::wait::{wait_async, wait_many, wait_one};

const U0: Signals = Signals::USER_0;

fn set(table: &HandleTable, value: HandleValue, signals: Signals) {
    object_signal(table, value, 0, signals.bits()).unwrap();
}

fn clear(table: &HandleTable, value: HandleValue, signals: Signals) {
    object_signal(table, value, signals.bits(), 0).unwrap();
}

#[test]
fn ping_pong_between_threads_loses_no_wakeup() {
    const ROUNDS: usize = 2_000;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    let (ping, pong) = (event(&table), event(&table));

    let responder = {
        let (table, clock) = (table.clone(), clock.clone());
        thread::spawn(move || {
            for _ in 0..ROUNDS {
                let wait = wait_one(&table, ping, U0, ZX_TIME_INFINITE, &clock).unwrap();
                assert_eq!(block_on(wait).status, Ok(()));
                clear(&table, ping, U0);
                set(&table, pong, U0);
            }
        })
    };
    for _ in 0..ROUNDS {
        set(&table, ping, U0);
        let wait = wait_one(&table, pong, U0, ZX_TIME_INFINITE, &clock).unwrap();
        assert_eq!(block_on(wait).status, Ok(()));
        clear(&table, pong, U0);
    }
    responder.join().unwrap();
}

#[test]
fn one_signal_wakes_every_thread_waiting_for_it() {
    const ROUNDS: usize = 100;
    const WAITERS: usize = 4;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    for _ in 0..ROUNDS {
        let value = event(&table);
        let barrier = Arc::new(Barrier::new(WAITERS + 1));
        let waiters: Vec<_> = (0..WAITERS)
            .map(|_| {
                let (table, clock, barrier) = (table.clone(), clock.clone(), barrier.clone());
                thread::spawn(move || {
                    let wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
                    barrier.wait();
                    block_on(wait)
                })
            })
            .collect();
        barrier.wait();
        set(&table, value, U0);
        for waiter in waiters {
            assert_eq!(waiter.join().unwrap().status, Ok(()));
        }
        table.close(value).unwrap();
    }
}

#[test]
fn pulses_racing_waits_are_never_lost() {
    const ROUNDS: usize = 1_000;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    let value = event(&table);
    let started = Arc::new(AtomicUsize::new(0));

    let pulser = {
        let (table, started) = (table.clone(), started.clone());
        thread::spawn(move || {
            for round in 1..=ROUNDS {
                while started.load(Ordering::SeqCst) < round {
                    std::hint::spin_loop();
                }
                set(&table, value, U0);
                clear(&table, value, U0);
            }
        })
    };
    for _ in 0..ROUNDS {
        let wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
        started.fetch_add(1, Ordering::SeqCst);
        let outcome = block_on(wait);
        assert_eq!(
            (outcome.status, outcome.observed.contains(U0)),
            (Ok(()), true)
        );
    }
    pulser.join().unwrap();
}

#[test]
fn no_waker_is_called_after_its_wait_is_dropped() {
    const ROUNDS: usize = 50_000;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    let value = event(&table);
    let late = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));

    let toggler = {
        let (table, done) = (table.clone(), done.clone());
        thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                set(&table, value, U0);
                clear(&table, value, U0);
            }
        })
    };
    for _ in 0..ROUNDS {
        let sentinel = Sentinel::new(late.clone());
        let waker = Waker::from(sentinel.clone());
        let mut wait = wait_one(&table, value, U0, ZX_TIME_INFINITE, &clock).unwrap();
        let _ = Box::pin(&mut wait)
            .as_mut()
            .poll(&mut Context::from_waker(&waker));
        drop(wait);
        sentinel.mark_dropped();
    }
    done.store(true, Ordering::SeqCst);
    toggler.join().unwrap();
    assert_eq!(late.load(Ordering::SeqCst), 0);
}

#[test]
fn no_port_waker_is_called_after_its_wait_is_dropped() {
    const ROUNDS: usize = 30_000;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    let port = table.insert(Port::create(0).unwrap()).unwrap();
    let late = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));

    let producer = {
        let (table, done, clock) = (table.clone(), done.clone(), clock.clone());
        thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                // A refused packet (a full port) does not matter to this test.
                let _ = port_queue(&table, port, &PortPacket::user(1, 0, [0; 32]));
                let _ = block_on(port_wait(&table, port, 0, &clock).unwrap());
            }
        })
    };
    for _ in 0..ROUNDS {
        let sentinel = Sentinel::new(late.clone());
        let waker = Waker::from(sentinel.clone());
        let mut wait = port_wait(&table, port, ZX_TIME_INFINITE, &clock).unwrap();
        let _ = Box::pin(&mut wait)
            .as_mut()
            .poll(&mut Context::from_waker(&waker));
        drop(wait);
        sentinel.mark_dropped();
    }
    done.store(true, Ordering::SeqCst);
    producer.join().unwrap();
    assert_eq!(late.load(Ordering::SeqCst), 0);
}

#[test]
fn port_packets_reach_exactly_one_waiter_each() {
    const PRODUCERS: u64 = 3;
    const PER_PRODUCER: u64 = 5_000;
    const CONSUMERS: usize = 3;
    const STOP: u64 = u64::MAX;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    let port = table.insert(Port::create(0).unwrap()).unwrap();
    let taken = Arc::new(AtomicUsize::new(0));

    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|_| {
            let (table, clock, taken) = (table.clone(), clock.clone(), taken.clone());
            thread::spawn(move || {
                let mut keys = Vec::new();
                loop {
                    let packet =
                        block_on(port_wait(&table, port, ZX_TIME_INFINITE, &clock).unwrap());
                    let key = packet.unwrap().key;
                    if key == STOP {
                        return keys;
                    }
                    keys.push(key);
                    taken.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|producer| {
            let table = table.clone();
            thread::spawn(move || {
                for i in 0..PER_PRODUCER {
                    let packet = PortPacket::user(producer * PER_PRODUCER + i, 0, [0; 32]);
                    while port_queue(&table, port, &packet) == Err(Status::ShouldWait) {
                        thread::yield_now();
                    }
                }
            })
        })
        .collect();
    for producer in producers {
        producer.join().unwrap();
    }
    while taken.load(Ordering::SeqCst) < (PRODUCERS * PER_PRODUCER) as usize {
        thread::yield_now();
    }
    for _ in 0..CONSUMERS {
        port_queue(&table, port, &PortPacket::user(STOP, 0, [0; 32])).unwrap();
    }

    let mut seen = HashSet::new();
    for consumer in consumers {
        for key in consumer.join().unwrap() {
            assert!(seen.insert(key), "packet {key} delivered twice");
        }
    }
    assert_eq!(seen.len() as u64, PRODUCERS * PER_PRODUCER);
}

#[test]
fn wait_async_fires_once_per_arm_while_signals_flicker() {
    const ARMS: u64 = 2_000;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    let value = event(&table);
    let port = table.insert(Port::create(0).unwrap()).unwrap();
    let done = Arc::new(AtomicBool::new(false));

    let flicker = {
        let (table, done) = (table.clone(), done.clone());
        thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                set(&table, value, U0);
                clear(&table, value, U0);
            }
        })
    };
    for key in 0..ARMS {
        wait_async(&table, value, port, key, U0, 0, &clock).unwrap();
    }
    done.store(true, Ordering::SeqCst);
    flicker.join().unwrap();
    set(&table, value, U0);

    let mut keys = HashSet::new();
    loop {
        match block_on(port_wait(&table, port, 0, &clock).unwrap()) {
            Ok(packet) => assert!(keys.insert(packet.key), "key {} fired twice", packet.key),
            Err(status) => {
                assert_eq!(status, Status::TimedOut);
                break;
            }
        }
    }
    assert_eq!(keys.len() as u64, ARMS);
}

#[test]
fn channel_writers_and_readers_lose_nothing_and_keep_order() {
    const WRITERS: u32 = 2;
    const MESSAGES: u32 = 10_000;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    let (a, b) = Channel::create(0).unwrap();
    let (a, b) = (table.insert(a).unwrap(), table.insert(b).unwrap());

    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let table = table.clone();
            thread::spawn(move || {
                for i in 0..MESSAGES {
                    let payload = [writer.to_le_bytes(), i.to_le_bytes()].concat();
                    loop {
                        let carried = table.insert(Event::create(0).unwrap()).unwrap();
                        match channel_write(&table, a, 0, payload.clone(), &[carried]) {
                            Ok(()) => break,
                            Err(Status::ShouldWait) => thread::yield_now(),
                            Err(status) => panic!("write failed: {status:?}"),
                        }
                    }
                }
            })
        })
        .collect();

    let mut next = [0u32; WRITERS as usize];
    let mut received = 0;
    while received < WRITERS * MESSAGES {
        match channel_read(&table, b, 0, 64, 1) {
            Ok(message) => {
                table.close(message.handles[0].value).unwrap();
                let writer = u32::from_le_bytes(message.bytes[0..4].try_into().unwrap()) as usize;
                let index = u32::from_le_bytes(message.bytes[4..8].try_into().unwrap());
                assert_eq!(
                    index, next[writer],
                    "writer {writer}'s messages out of order"
                );
                next[writer] += 1;
                received += 1;
            }
            Err(error) => {
                assert_eq!(error.status(), Status::ShouldWait);
                let readable = Signals::CHANNEL_READABLE;
                let wait = wait_one(&table, b, readable, ZX_TIME_INFINITE, &clock).unwrap();
                assert_eq!(block_on(wait).status, Ok(()));
            }
        }
    }
    for writer in writers {
        writer.join().unwrap();
    }
    assert_eq!(table.len(), 2);
}

#[test]
fn handles_sent_while_the_reader_closes_are_all_closed() {
    const ROUNDS: usize = 500;
    let table = Arc::new(HandleTable::new());
    let event_object = Event::new();
    for _ in 0..ROUNDS {
        let (a, b) = Channel::create(0).unwrap();
        let (a, b) = (table.insert(a).unwrap(), table.insert(b).unwrap());
        let closer = {
            let table = table.clone();
            thread::spawn(move || table.close(b).unwrap())
        };
        for _ in 0..20 {
            let rights = objects::abi::Rights::DEFAULT_EVENT;
            let carried = table
                .insert(objects::Handle::new(event_object.clone(), rights))
                .unwrap();
            let result = channel_write(&table, a, 0, vec![], &[carried]);
            assert!(matches!(result, Ok(()) | Err(Status::PeerClosed)));
        }
        closer.join().unwrap();
        table.close(a).unwrap();
        assert_eq!(
            objects::KernelObject::base(&*event_object).handle_count(),
            0
        );
    }
}

#[test]
fn concurrent_calls_each_get_their_own_reply() {
    const CALLERS: usize = 4;
    const CALLS: usize = 300;
    let clock = clock();
    let table = Arc::new(HandleTable::new());
    let (a, b) = Channel::create(0).unwrap();
    let (client, server) = (table.insert(a).unwrap(), table.insert(b).unwrap());

    // The server answers every request with its txid and payload, from another thread.
    let answering = {
        let (table, clock) = (table.clone(), clock.clone());
        thread::spawn(move || {
            for _ in 0..CALLERS * CALLS {
                let readable = Signals::CHANNEL_READABLE;
                let wait = wait_one(&table, server, readable, ZX_TIME_INFINITE, &clock).unwrap();
                assert_eq!(block_on(wait).status, Ok(()));
                let request = channel_read(&table, server, 0, usize::MAX, usize::MAX).unwrap();
                channel_write(&table, server, 0, request.bytes, &[]).unwrap();
            }
        })
    };
    let callers: Vec<_> = (0..CALLERS)
        .map(|caller| {
            let (table, clock) = (table.clone(), clock.clone());
            thread::spawn(move || {
                for call in 0..CALLS {
                    let payload = [&[0; 4][..], &(caller * CALLS + call).to_le_bytes()].concat();
                    let pending = channel_call(
                        &table,
                        client,
                        0,
                        payload.clone(),
                        &[],
                        ZX_TIME_INFINITE,
                        &clock,
                    )
                    .unwrap();
                    let reply = block_on(pending).unwrap();
                    assert_eq!(reply.bytes()[4..], payload[4..]);
                }
            })
        })
        .collect();
    for caller in callers {
        caller.join().unwrap();
    }
    answering.join().unwrap();
    let readable = Signals::CHANNEL_READABLE;
    let wait = wait_one(&table, client, readable, 0, &clock).unwrap();
    assert_eq!(
        block_on(wait).status,
        Err(Status::TimedOut),
        "a reply was queued"
    );
}

fn assert_send<T: Send>(_: &T) {}

#[test]
fn wait_futures_are_send() {
    let clock = clock();
    let table = HandleTable::new();
    let value = event(&table);
    let port = table.insert(Port::create(0).unwrap()).unwrap();
    assert_send(&wait_one(&table, value, U0, 0, &clock).unwrap());
    assert_send(&wait_many(&table, &[], 0, &clock).unwrap());
    assert_send(&port_wait(&table, port, 0, &clock).unwrap());
    let (a, _b) = Channel::create(0).unwrap();
    let channel = table.insert(a).unwrap();
    assert_send(&channel_call(&table, channel, 0, vec![0; 4], &[], 0, &clock).unwrap());
}
