//! `zx_channel_call` (spec §7): transaction ids, the reply going to its caller alone, and each
//! way a call ends without one.

use std::sync::Arc;

use super::*;
use crate::abi::{HandleValue, Rights, Signals, Status, ZX_TIME_INFINITE, ZxResult};
use crate::handle::{Handle, HandleTable};
use crate::ipc::Event;
use crate::testing::{Counter, manual_clock, poll, ready};
use crate::time::Clock;

fn channel(table: &HandleTable) -> (HandleValue, HandleValue) {
    let (a, b) = Channel::create(0).unwrap();
    (table.insert(a).unwrap(), table.insert(b).unwrap())
}

fn call(
    table: &HandleTable,
    value: HandleValue,
    bytes: &[u8],
    clock: &Arc<dyn Clock>,
) -> ZxResult<ChannelCall> {
    channel_call(
        table,
        value,
        0,
        bytes.to_vec(),
        &[],
        ZX_TIME_INFINITE,
        clock,
    )
}

/// Reads the request at `server` and writes back `payload` behind the request's txid.
fn answer(table: &HandleTable, server: HandleValue, payload: &[u8]) -> u32 {
    let request = channel_read(table, server, 0, usize::MAX, usize::MAX).unwrap();
    let txid: [u8; 4] = request.bytes[..4].try_into().unwrap();
    let reply = [&txid[..], payload].concat();
    channel_write(table, server, 0, reply, &[]).unwrap();
    u32::from_ne_bytes(txid)
}

fn readable(table: &HandleTable, value: HandleValue) -> bool {
    let object = table.get_object(value, Rights::empty()).unwrap();
    (object.signal_state().unwrap().signals()).contains(Signals::CHANNEL_READABLE)
}

#[test]
fn a_call_gets_the_reply_with_its_transaction_id() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, server) = channel(&table);
    let (counter, waker) = Counter::new();
    let mut pending = call(&table, client, b"\0\0\0\0ping", &clock).unwrap();
    assert!(poll(&mut pending, &waker).is_pending());

    let txid = answer(&table, server, b"pong");
    assert_eq!(txid, pending.txid());
    assert_eq!(counter.wakes(), 1);
    let reply = ready(&mut pending).unwrap();
    assert_eq!(&reply.bytes()[4..], b"pong");
    assert!(!readable(&table, client), "the reply bypasses the queue");
}

#[test]
fn the_kernel_writes_a_transaction_id_with_the_high_bit_set() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, server) = channel(&table);
    let _pending = call(&table, client, &[0xff; 8], &clock).unwrap();
    let request = channel_read(&table, server, 0, usize::MAX, usize::MAX).unwrap();
    let txid = u32::from_ne_bytes(request.bytes[..4].try_into().unwrap());
    assert_ne!(txid & CALL_TXID_BIT, 0);
    assert_eq!(&request.bytes[4..], &[0xff; 4]);
}

#[test]
fn pending_calls_on_one_endpoint_have_distinct_ids_and_replies_find_their_callers() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, server) = channel(&table);
    let mut first = call(&table, client, b"\0\0\0\x001", &clock).unwrap();
    let mut second = call(&table, client, b"\0\0\0\x002", &clock).unwrap();
    assert_ne!(first.txid(), second.txid());

    // Answered in the reverse order.
    let one = channel_read(&table, server, 0, usize::MAX, usize::MAX).unwrap();
    answer(&table, server, b"two");
    channel_write(&table, server, 0, [&one.bytes[..4], b"one"].concat(), &[]).unwrap();
    assert_eq!(&ready(&mut second).unwrap().bytes()[4..], b"two");
    assert_eq!(&ready(&mut first).unwrap().bytes()[4..], b"one");
}

#[test]
fn a_message_with_another_id_is_queued_as_usual() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, server) = channel(&table);
    let (_, waker) = Counter::new();
    let mut pending = call(&table, client, &[0; 4], &clock).unwrap();
    assert!(poll(&mut pending, &waker).is_pending());
    channel_write(&table, server, 0, vec![1, 2, 3, 4, 5], &[]).unwrap();
    assert!(poll(&mut pending, &waker).is_pending());
    assert!(readable(&table, client));
}

#[test]
fn a_call_shorter_than_a_transaction_id_is_invalid_args() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, server) = channel(&table);
    assert_eq!(
        call(&table, client, &[0; 3], &clock).err(),
        Some(Status::InvalidArgs)
    );
    assert!(!readable(&table, server));
}

#[test]
fn a_call_needs_read_and_write_rights() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    for missing in [Rights::READ, Rights::WRITE] {
        let (client, _server) = channel(&table);
        let reduced = table
            .replace(client, (Rights::DEFAULT_CHANNEL - missing).bits())
            .unwrap();
        assert_eq!(
            call(&table, reduced, &[0; 4], &clock).err(),
            Some(Status::AccessDenied)
        );
    }
}

#[test]
fn a_call_consumes_its_handles_even_when_it_fails() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, server) = channel(&table);
    table.close(server).unwrap();
    let event = table
        .insert(Handle::new(Event::new(), Rights::DEFAULT_EVENT))
        .unwrap();
    let result = channel_call(
        &table,
        client,
        0,
        vec![0; 4],
        &[event],
        ZX_TIME_INFINITE,
        &clock,
    );
    assert_eq!(result.err(), Some(Status::PeerClosed));
    assert_eq!(table.close(event), Err(Status::BadHandle));
}

#[test]
fn a_call_times_out_and_a_late_reply_is_queued() {
    let (manual, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, server) = channel(&table);
    let (counter, waker) = Counter::new();
    let mut pending = channel_call(&table, client, 0, vec![0; 4], &[], 1_000, &clock).unwrap();
    assert!(poll(&mut pending, &waker).is_pending());
    manual.set(1_000);
    assert_eq!(counter.wakes(), 1);
    assert_eq!(ready(&mut pending).err(), Some(Status::TimedOut));

    answer(&table, server, b"late");
    assert!(readable(&table, client));
}

#[test]
fn the_peer_closing_ends_a_call_with_peer_closed() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, server) = channel(&table);
    let (counter, waker) = Counter::new();
    let mut pending = call(&table, client, &[0; 4], &clock).unwrap();
    assert!(poll(&mut pending, &waker).is_pending());
    table.close(server).unwrap();
    assert_eq!(counter.wakes(), 1);
    assert_eq!(ready(&mut pending).err(), Some(Status::PeerClosed));
}

#[test]
fn closing_the_callers_endpoint_cancels_the_call() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, _server) = channel(&table);
    let (counter, waker) = Counter::new();
    let mut pending = call(&table, client, &[0; 4], &clock).unwrap();
    assert!(poll(&mut pending, &waker).is_pending());
    table.close(client).unwrap();
    assert_eq!(counter.wakes(), 1);
    assert_eq!(ready(&mut pending).err(), Some(Status::Canceled));
}

#[test]
fn a_dropped_call_leaves_and_its_reply_is_queued() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, server) = channel(&table);
    let pending = call(&table, client, &[0; 4], &clock).unwrap();
    drop(pending);
    answer(&table, server, b"nobody");
    assert!(readable(&table, client));
}

#[test]
fn a_reply_handed_to_a_call_that_is_then_dropped_closes_its_handles() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (client, server) = channel(&table);
    let pending = call(&table, client, &[0; 4], &clock).unwrap();
    let request = channel_read(&table, server, 0, usize::MAX, usize::MAX).unwrap();
    let event = Event::new();
    let weak = Arc::downgrade(&event);
    let value = table
        .insert(Handle::new(event, Rights::DEFAULT_EVENT))
        .unwrap();
    channel_write(&table, server, 0, request.bytes[..4].to_vec(), &[value]).unwrap();
    assert!(weak.upgrade().is_some());
    drop(pending);
    assert!(weak.upgrade().is_none());
    assert!(!readable(&table, client));
}
