//! Channels (spec §7): create, write and read with every documented error, the limits, the
//! signals, and what happens to handles in unread messages.

use std::sync::{Arc, Weak};

use super::*;
use crate::abi::{
    HandleValue, ObjectType, Rights, Signals, Status, ZX_CHANNEL_MAX_MSG_BYTES,
    ZX_CHANNEL_MAX_MSG_HANDLES, ZX_CHANNEL_READ_MAY_DISCARD, ZX_CHANNEL_WRITE_USE_IOVEC, ZxResult,
};
use crate::handle::{Handle, HandleTable};
use crate::ipc::Event;
use crate::object::KernelObject;

const ANY: usize = usize::MAX;

fn channel(table: &HandleTable) -> (HandleValue, HandleValue) {
    let (a, b) = Channel::create(0).unwrap();
    (table.insert(a).unwrap(), table.insert(b).unwrap())
}

fn event(table: &HandleTable) -> (HandleValue, Weak<Event>) {
    let event = Event::new();
    let weak = Arc::downgrade(&event);
    (
        table
            .insert(Handle::new(event, Rights::DEFAULT_EVENT))
            .unwrap(),
        weak,
    )
}

fn signals(table: &HandleTable, value: HandleValue) -> Signals {
    let object = table.get_object(value, Rights::empty()).unwrap();
    object.signal_state().unwrap().signals()
}

fn read(table: &HandleTable, value: HandleValue) -> Result<ReadMessage, ReadError> {
    channel_read(table, value, 0, ANY, ANY)
}

// --- create (spec §7.1) ---

#[test]
fn channel_create_with_options_is_invalid_args() {
    assert_eq!(Channel::create(1).err(), Some(Status::InvalidArgs));
}

#[test]
fn channel_ends_have_the_default_rights_and_know_each_other() {
    let (a, b) = Channel::create(0).unwrap();
    assert_eq!(a.rights(), Rights::DEFAULT_CHANNEL);
    assert!(
        a.rights()
            .contains(Rights::READ | Rights::WRITE | Rights::TRANSFER)
    );
    assert_eq!(a.object().related_koid(), b.object().koid());
    assert_eq!(b.object().related_koid(), a.object().koid());
    assert_eq!(a.object().object_type(), ObjectType::Channel);
}

#[test]
fn a_new_channel_is_writable_and_not_readable() {
    let table = HandleTable::new();
    let (a, _) = channel(&table);
    assert_eq!(signals(&table, a), Signals::CHANNEL_WRITABLE);
}

// --- write and read (spec §7.2, §7.3) ---

#[test]
fn messages_arrive_whole_and_in_order() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    for i in 0..5u8 {
        channel_write(&table, a, 0, vec![i; i as usize], &[]).unwrap();
    }
    assert_eq!(
        signals(&table, b),
        Signals::CHANNEL_WRITABLE | Signals::CHANNEL_READABLE
    );
    for i in 0..5u8 {
        assert_eq!(read(&table, b).unwrap().bytes, vec![i; i as usize]);
    }
    assert_eq!(signals(&table, b), Signals::CHANNEL_WRITABLE);
    assert_eq!(
        read(&table, b).unwrap_err(),
        ReadError::Status(Status::ShouldWait)
    );
}

#[test]
fn handles_move_from_the_writer_to_the_reader() {
    let writer = HandleTable::new();
    let reader = HandleTable::new();
    let (a, b) = Channel::create(0).unwrap();
    let (a, b) = (writer.insert(a).unwrap(), reader.insert(b).unwrap());
    let (value, weak) = event(&writer);
    let reduced = writer
        .duplicate(value, (Rights::TRANSFER | Rights::WAIT).bits())
        .unwrap();

    channel_write(&writer, a, 0, b"hi".to_vec(), &[value, reduced]).unwrap();
    assert_eq!(writer.close(value), Err(Status::BadHandle));
    assert_eq!(writer.len(), 1);

    let message = read(&reader, b).unwrap();
    assert_eq!(message.bytes, b"hi");
    let rights: Vec<Rights> = message.handles.iter().map(|info| info.rights).collect();
    assert_eq!(
        rights,
        vec![Rights::DEFAULT_EVENT, Rights::TRANSFER | Rights::WAIT]
    );
    for info in &message.handles {
        assert_eq!(info.object_type, ObjectType::Event);
        let event = reader.get::<Event>(info.value, Rights::empty()).unwrap();
        assert_eq!(event.koid(), weak.upgrade().unwrap().koid());
    }
}

#[test]
fn the_largest_message_is_accepted_and_one_more_is_out_of_range() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    let mut values: Vec<HandleValue> = (0..ZX_CHANNEL_MAX_MSG_HANDLES)
        .map(|_| event(&table).0)
        .collect();
    let max = vec![7; ZX_CHANNEL_MAX_MSG_BYTES];
    channel_write(&table, a, 0, max, &values).unwrap();
    let message = read(&table, b).unwrap();
    assert_eq!((message.bytes.len(), message.handles.len()), (65_536, 64));

    let over = vec![7; ZX_CHANNEL_MAX_MSG_BYTES + 1];
    assert_eq!(
        channel_write(&table, a, 0, over, &[]),
        Err(Status::OutOfRange)
    );
    values = (0..ZX_CHANNEL_MAX_MSG_HANDLES + 1)
        .map(|_| event(&table).0)
        .collect();
    assert_eq!(
        channel_write(&table, a, 0, vec![], &values),
        Err(Status::OutOfRange)
    );
    assert_eq!(
        table.len(),
        2 + 64,
        "the 65 handles of the refused write were consumed"
    );
}

#[test]
fn write_needs_a_channel_with_the_write_right() {
    let table = HandleTable::new();
    let (a, _) = channel(&table);
    let (not_a_channel, _) = event(&table);
    let read_only = table.replace(a, Rights::READ.bits()).unwrap();
    assert_eq!(
        channel_write(&table, 0x1233, 0, vec![], &[]),
        Err(Status::BadHandle)
    );
    assert_eq!(
        channel_write(&table, not_a_channel, 0, vec![], &[]),
        Err(Status::WrongType)
    );
    assert_eq!(
        channel_write(&table, read_only, 0, vec![], &[]),
        Err(Status::AccessDenied)
    );
}

#[test]
fn write_with_unknown_options_is_invalid_args() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    assert_eq!(
        channel_write(&table, a, 4, vec![], &[]),
        Err(Status::InvalidArgs)
    );
    // The syscall layer has gathered the iovecs into one buffer already.
    assert_eq!(
        channel_write(&table, a, ZX_CHANNEL_WRITE_USE_IOVEC, vec![1], &[]),
        Ok(())
    );
    assert_eq!(read(&table, b).unwrap().bytes, vec![1]);
}

#[test]
fn write_to_a_closed_peer_is_peer_closed() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    table.close(b).unwrap();
    assert_eq!(
        channel_write(&table, a, 0, vec![1], &[]),
        Err(Status::PeerClosed)
    );
}

#[test]
fn a_handle_without_transfer_is_access_denied() {
    let table = HandleTable::new();
    let (a, _) = channel(&table);
    let (value, _) = event(&table);
    let stuck = table.duplicate(value, Rights::WAIT.bits()).unwrap();
    assert_eq!(
        channel_write(&table, a, 0, vec![], &[stuck]),
        Err(Status::AccessDenied)
    );
}

#[test]
fn the_channels_own_handle_in_the_array_is_not_supported() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    let (value, weak) = event(&table);
    assert_eq!(
        channel_write(&table, a, 0, vec![], &[value, a]),
        Err(Status::NotSupported)
    );
    assert!(weak.upgrade().is_none(), "the other handles are consumed");
    assert_eq!(
        channel_write(&table, a, 0, vec![3], &[]),
        Ok(()),
        "the channel's own stays"
    );
    assert_eq!(read(&table, b).unwrap().bytes, vec![3]);
}

#[test]
fn repeated_handles_are_bad_handle() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    let (value, weak) = event(&table);
    assert_eq!(
        channel_write(&table, a, 0, vec![], &[value, value]),
        Err(Status::BadHandle)
    );
    assert!(weak.upgrade().is_none());
    assert_eq!(
        read(&table, b).unwrap_err(),
        ReadError::Status(Status::ShouldWait)
    );
}

#[test]
fn handles_are_consumed_when_the_write_fails() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    let (not_a_channel, _) = event(&table);
    let failures: [(&dyn Fn(HandleValue) -> ZxResult, Status); 5] = [
        (
            &|h| channel_write(&table, a, 8, vec![], &[h]),
            Status::InvalidArgs,
        ),
        (
            &|h| channel_write(&table, 0x1233, 0, vec![], &[h]),
            Status::BadHandle,
        ),
        (
            &|h| channel_write(&table, not_a_channel, 0, vec![], &[h]),
            Status::WrongType,
        ),
        (
            &|h| channel_write(&table, a, 0, vec![0; 70_000], &[h]),
            Status::OutOfRange,
        ),
        (
            &|h| channel_write(&table, a, 0, vec![], &[h, 0x1233]),
            Status::BadHandle,
        ),
    ];
    for (write, status) in failures {
        let (value, weak) = event(&table);
        assert_eq!(write(value), Err(status));
        assert!(weak.upgrade().is_none(), "{status:?} left the handle alive");
    }

    table.close(b).unwrap();
    let (value, weak) = event(&table);
    assert_eq!(
        channel_write(&table, a, 0, vec![], &[value]),
        Err(Status::PeerClosed)
    );
    assert!(weak.upgrade().is_none());
}

#[test]
fn a_write_cancels_waits_on_the_handles_it_sends() {
    let (_, clock) = crate::testing::manual_clock();
    let table = HandleTable::new();
    let (a, _b) = channel(&table);
    let (value, _) = event(&table);
    let mut wait = crate::wait::wait_one(
        &table,
        value,
        Signals::USER_0,
        crate::abi::ZX_TIME_INFINITE,
        &clock,
    )
    .unwrap();
    channel_write(&table, a, 0, vec![], &[value]).unwrap();
    let std::task::Poll::Ready(outcome) = crate::testing::poll_noop(&mut wait) else {
        panic!("the wait survived the transfer");
    };
    assert_eq!(outcome.status, Err(Status::Canceled));
}

#[test]
fn read_needs_a_channel_with_the_read_right() {
    let table = HandleTable::new();
    let (a, _) = channel(&table);
    let (not_a_channel, _) = event(&table);
    let write_only = table.replace(a, Rights::WRITE.bits()).unwrap();
    let status = |value| read(&table, value).unwrap_err().status();
    assert_eq!(status(0x1233), Status::BadHandle);
    assert_eq!(status(not_a_channel), Status::WrongType);
    assert_eq!(status(write_only), Status::AccessDenied);
}

#[test]
fn read_with_unknown_options_is_invalid_args() {
    let table = HandleTable::new();
    let (_, b) = channel(&table);
    assert_eq!(
        channel_read(&table, b, 2, ANY, ANY).unwrap_err().status(),
        Status::InvalidArgs
    );
}

#[test]
fn read_after_the_peer_closed_drains_the_queue_then_is_peer_closed() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    channel_write(&table, a, 0, vec![1], &[]).unwrap();
    table.close(a).unwrap();
    assert_eq!(read(&table, b).unwrap().bytes, vec![1]);
    assert_eq!(
        read(&table, b).unwrap_err(),
        ReadError::Status(Status::PeerClosed)
    );
}

#[test]
fn a_short_buffer_reports_the_sizes_and_keeps_the_message() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    let (value, weak) = event(&table);
    channel_write(&table, a, 0, vec![9; 10], &[value]).unwrap();
    let too_small = ReadError::BufferTooSmall {
        bytes: 10,
        handles: 1,
    };
    assert_eq!(channel_read(&table, b, 0, 9, 1).unwrap_err(), too_small);
    assert_eq!(channel_read(&table, b, 0, 10, 0).unwrap_err(), too_small);
    assert_eq!(too_small.status(), Status::BufferTooSmall);
    assert!(signals(&table, b).contains(Signals::CHANNEL_READABLE));
    let message = channel_read(&table, b, 0, 10, 1).unwrap();
    assert_eq!(message.handles.len(), 1);
    assert!(weak.upgrade().is_some());
}

#[test]
fn may_discard_drops_a_message_that_does_not_fit() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    let (value, weak) = event(&table);
    channel_write(&table, a, 0, vec![9; 10], &[value]).unwrap();
    let result = channel_read(&table, b, ZX_CHANNEL_READ_MAY_DISCARD, 0, 0);
    assert_eq!(
        result.unwrap_err(),
        ReadError::BufferTooSmall {
            bytes: 10,
            handles: 1
        }
    );
    assert!(
        weak.upgrade().is_none(),
        "the discarded message's handles are closed"
    );
    assert_eq!(signals(&table, b), Signals::CHANNEL_WRITABLE);
    assert_eq!(
        read(&table, b).unwrap_err(),
        ReadError::Status(Status::ShouldWait)
    );
}

#[test]
fn a_reader_without_room_for_the_handles_keeps_the_message_queued() {
    let writer = HandleTable::new();
    let reader = HandleTable::new();
    let (a, b) = Channel::create(0).unwrap();
    let (a, b) = (writer.insert(a).unwrap(), reader.insert(b).unwrap());
    let filler = Event::new();
    while reader
        .insert(Handle::new(filler.clone(), Rights::DEFAULT_EVENT))
        .is_ok()
    {}
    let (value, weak) = event(&writer);
    channel_write(&writer, a, 0, vec![5], &[value]).unwrap();

    assert_eq!(
        read(&reader, b).unwrap_err(),
        ReadError::Status(Status::NoResources)
    );
    assert!(weak.upgrade().is_some());
    let b_object = reader.get::<Channel>(b, Rights::empty()).unwrap();
    assert_eq!(b_object.pending_messages(), 1);
}

// --- peer closure and unread messages ---

#[test]
fn closing_one_end_tells_the_other_peer_closed() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    table.close(a).unwrap();
    assert_eq!(signals(&table, b), Signals::CHANNEL_PEER_CLOSED);
}

#[test]
fn unread_messages_close_their_handles_when_the_reader_closes() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    let (value, weak) = event(&table);
    channel_write(&table, a, 0, vec![], &[value]).unwrap();
    assert!(
        weak.upgrade().is_some(),
        "a handle in transit keeps its object"
    );
    table.close(b).unwrap();
    assert!(weak.upgrade().is_none());
}

#[test]
fn a_channel_end_in_transit_keeps_its_peer_open() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    let (carrier, carrier_peer) = channel(&table);
    channel_write(&table, carrier, 0, vec![], &[b]).unwrap();
    assert_eq!(signals(&table, a), Signals::CHANNEL_WRITABLE);
    table.close(carrier_peer).unwrap();
    assert_eq!(signals(&table, a), Signals::CHANNEL_PEER_CLOSED);
}

#[test]
fn message_order_survives_moving_an_endpoint() {
    let first = HandleTable::new();
    let second = HandleTable::new();
    let (a, b) = channel(&first);
    for i in 0..3u8 {
        channel_write(&first, a, 0, vec![i], &[]).unwrap();
    }
    let (carrier, carrier_peer) = Channel::create(0).unwrap();
    let (carrier, carrier_peer) = (
        first.insert(carrier).unwrap(),
        second.insert(carrier_peer).unwrap(),
    );
    channel_write(&first, carrier, 0, vec![], &[b]).unwrap();
    let moved = read(&second, carrier_peer).unwrap().handles[0].value;
    for i in 0..3u8 {
        assert_eq!(read(&second, moved).unwrap().bytes, vec![i]);
    }
}

#[test]
fn deeply_nested_channels_close_without_recursion() {
    const DEPTH: usize = 200_000;
    let table = HandleTable::new();
    let (outer, mut inner) = channel(&table);
    let weak_outer = Arc::downgrade(&table.get::<Channel>(outer, Rights::empty()).unwrap());
    for _ in 0..DEPTH {
        let (next_write, next_read) = channel(&table);
        channel_write(&table, next_write, 0, vec![], &[inner]).unwrap();
        table.close(next_write).unwrap();
        inner = next_read;
    }
    assert_eq!(table.len(), 2);
    table.close(inner).unwrap();
    table.close(outer).unwrap();
    assert!(weak_outer.upgrade().is_none());
}

#[test]
fn a_full_queue_refuses_writes_with_should_wait() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    for _ in 0..MAX_PENDING_MESSAGES {
        channel_write(&table, a, 0, vec![], &[]).unwrap();
    }
    assert_eq!(
        channel_write(&table, a, 0, vec![], &[]),
        Err(Status::ShouldWait)
    );
    read(&table, b).unwrap();
    assert_eq!(channel_write(&table, a, 0, vec![], &[]), Ok(()));
}

#[test]
fn signal_peer_reaches_the_other_end() {
    let table = HandleTable::new();
    let (a, b) = channel(&table);
    let a_object = table.get_object(a, Rights::empty()).unwrap();
    a_object
        .signal_peer(Signals::empty(), Signals::USER_3)
        .unwrap();
    assert_eq!(
        signals(&table, b),
        Signals::CHANNEL_WRITABLE | Signals::USER_3
    );
    assert_eq!(
        a_object.signal_peer(Signals::empty(), Signals::READABLE),
        Err(Status::InvalidArgs)
    );
    table.close(b).unwrap();
    assert_eq!(
        a_object.signal_peer(Signals::empty(), Signals::USER_3),
        Err(Status::PeerClosed)
    );
}
