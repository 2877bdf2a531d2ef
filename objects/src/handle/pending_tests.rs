//! Pending handles: inserted by a syscall before their values are copied out, named by no
//! value until published, closed if the copy fails (see `table.rs`).

use std::sync::{Arc, Weak};

use super::*;
use crate::abi::{HandleValue, Rights, Status, ZX_RIGHT_SAME_RIGHTS};
use crate::ipc::Event;

fn event() -> (Handle, Weak<Event>) {
    let event = Event::new();
    let weak = Arc::downgrade(&event);
    (Handle::new(event, Rights::DEFAULT_EVENT), weak)
}

fn names_a_handle(table: &HandleTable, value: HandleValue) -> bool {
    table.handle_info(value).is_ok()
}

#[test]
fn a_pending_handle_is_named_by_no_value_until_published() {
    let table = HandleTable::new();
    let (handle, _) = event();
    let pending = table.insert_pending(handle).unwrap();
    let value = pending.values()[0];

    assert!(!names_a_handle(&table, value));
    assert_eq!(
        table.get::<Event>(value, Rights::empty()).err(),
        Some(Status::BadHandle)
    );
    assert_eq!(table.close(value), Err(Status::BadHandle));
    assert_eq!(
        table.duplicate(value, ZX_RIGHT_SAME_RIGHTS),
        Err(Status::BadHandle)
    );
    assert_eq!(table.len(), 1, "a pending handle holds its slot");

    pending.publish();
    assert!(names_a_handle(&table, value));
    table.close(value).unwrap();
    assert!(table.is_empty());
}

#[test]
fn a_pending_handle_dropped_unpublished_is_closed_and_its_slot_freed() {
    let table = HandleTable::new();
    let (first, first_event) = event();
    let (second, second_event) = event();
    let pending = table.insert_all_pending([first, second]).ok().unwrap();
    let values = pending.values().to_vec();
    drop(pending);

    assert!(table.is_empty());
    assert!(first_event.upgrade().is_none() && second_event.upgrade().is_none());
    assert!(values.iter().all(|&value| !names_a_handle(&table, value)));
}

#[test]
fn pending_handles_count_against_the_limit() {
    let table = HandleTable::new();
    for _ in 1..MAX_HANDLES_PER_PROCESS {
        table.insert(event().0).unwrap();
    }
    let pending = table.insert_pending(event().0).unwrap();
    let (one_more, _) = event();
    assert_eq!(table.insert(one_more).err(), Some(Status::NoResources));
    drop(pending);
    let (after, _) = event();
    assert!(table.insert(after).is_ok());
}

#[test]
fn duplicate_and_replace_give_pending_handles_too() {
    let table = HandleTable::new();
    let (handle, weak) = event();
    let original = table.insert(handle).unwrap();

    let copy = table
        .duplicate_pending(original, ZX_RIGHT_SAME_RIGHTS)
        .unwrap();
    assert!(!names_a_handle(&table, copy.values()[0]));
    drop(copy);
    assert_eq!(table.len(), 1);

    let replaced = table
        .replace_pending(original, ZX_RIGHT_SAME_RIGHTS)
        .unwrap();
    let value = replaced.values()[0];
    assert!(!names_a_handle(&table, original) && !names_a_handle(&table, value));
    replaced.publish();
    assert!(names_a_handle(&table, value));
    assert!(weak.upgrade().is_some());
}

#[test]
fn publishing_after_the_table_was_emptied_does_nothing() {
    let table = HandleTable::new();
    let (handle, weak) = event();
    let pending = table.insert_pending(handle).unwrap();
    let value = pending.values()[0];
    table.close_all();
    assert!(weak.upgrade().is_none());

    pending.publish();
    assert!(!names_a_handle(&table, value));
    assert!(table.is_empty());
}
