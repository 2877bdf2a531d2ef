//! Handle rules (spec §1.2) and the handle syscalls (spec §6), on the table.

use std::collections::HashSet;
use std::sync::{Arc, Weak};

use super::*;
use crate::abi::{
    HandleValue, ObjectType, Rights, Signals, Status, ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_INVALID,
    ZX_RIGHT_SAME_RIGHTS, ZX_TIME_INFINITE,
};
use crate::ipc::{Channel, Event};
use crate::object::KernelObject;
use crate::testing::{manual_clock, poll_noop};
use crate::wait::wait_one;

fn event_in(table: &HandleTable) -> (HandleValue, Weak<Event>) {
    let event = Event::new();
    let weak = Arc::downgrade(&event);
    let value = table
        .insert(Handle::new(event, Rights::DEFAULT_EVENT))
        .unwrap();
    (value, weak)
}

#[test]
fn handle_values_have_the_fixed_bits_and_are_never_invalid() {
    let table = HandleTable::new();
    for _ in 0..1000 {
        let (value, _) = event_in(&table);
        assert_ne!(value, ZX_HANDLE_INVALID);
        assert_eq!(value & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
    }
}

#[test]
fn handle_values_are_not_small_sequential_integers() {
    let table = HandleTable::new();
    let values: Vec<HandleValue> = (0..64).map(|_| event_in(&table).0).collect();
    let steps: HashSet<i64> = values
        .windows(2)
        .map(|pair| i64::from(pair[1]) - i64::from(pair[0]))
        .collect();
    assert!(
        steps.len() > 1,
        "values advance by a constant step: {values:x?}"
    );
    assert!(values.iter().filter(|&&value| value < 0x1000).count() < 4);
}

#[test]
fn a_closed_value_is_not_reused_soon() {
    let table = HandleTable::new();
    let (closed, _) = event_in(&table);
    table.close(closed).unwrap();
    for _ in 0..100_000 {
        let (value, _) = event_in(&table);
        assert_ne!(value, closed);
        table.close(value).unwrap();
    }
}

#[test]
fn two_tables_give_different_values() {
    let (a, b) = (HandleTable::new(), HandleTable::new());
    assert_ne!(event_in(&a).0, event_in(&b).0);
}

#[test]
fn close_invalid_handle_is_ok() {
    assert_eq!(HandleTable::new().close(ZX_HANDLE_INVALID), Ok(()));
}

#[test]
fn close_twice_is_bad_handle() {
    let table = HandleTable::new();
    let (value, _) = event_in(&table);
    assert_eq!(table.close(value), Ok(()));
    assert_eq!(table.close(value), Err(Status::BadHandle));
}

#[test]
fn values_that_name_no_handle_are_bad_handle() {
    let table = HandleTable::new();
    let (value, _) = event_in(&table);
    for bogus in [
        value ^ 0x4,
        value & !ZX_HANDLE_FIXED_BITS_MASK,
        0xffff_ffff,
        3,
    ] {
        assert_eq!(table.close(bogus), Err(Status::BadHandle), "{bogus:#x}");
    }
    assert_eq!(
        table.get::<Event>(ZX_HANDLE_INVALID, Rights::empty()).err(),
        Some(Status::BadHandle)
    );
}

#[test]
fn closing_the_last_handle_destroys_the_object() {
    let table = HandleTable::new();
    let (value, weak) = event_in(&table);
    let copy = table.duplicate(value, ZX_RIGHT_SAME_RIGHTS).unwrap();
    table.close(value).unwrap();
    assert!(weak.upgrade().is_some());
    table.close(copy).unwrap();
    assert!(weak.upgrade().is_none());
}

#[test]
fn dropping_the_table_closes_its_handles() {
    let table = HandleTable::new();
    let (_, weak) = event_in(&table);
    drop(table);
    assert!(weak.upgrade().is_none());
}

#[test]
fn handle_count_follows_handles() {
    let table = HandleTable::new();
    let (value, weak) = event_in(&table);
    let event = weak.upgrade().unwrap();
    assert_eq!(event.base().handle_count(), 1);
    let copy = table.duplicate(value, ZX_RIGHT_SAME_RIGHTS).unwrap();
    assert_eq!(event.base().handle_count(), 2);
    table.close(copy).unwrap();
    assert_eq!(event.base().handle_count(), 1);
}

#[test]
fn duplicate_same_rights_keeps_the_rights() {
    let table = HandleTable::new();
    let (value, weak) = event_in(&table);
    let copy = table.duplicate(value, ZX_RIGHT_SAME_RIGHTS).unwrap();
    assert_ne!(copy, value);
    let (object, rights) = table.handle_info(copy).unwrap();
    assert_eq!(rights, Rights::DEFAULT_EVENT);
    assert_eq!(object.koid(), weak.upgrade().unwrap().koid());
}

#[test]
fn duplicate_to_a_subset_reduces_the_rights() {
    let table = HandleTable::new();
    let (value, _) = event_in(&table);
    let copy = table
        .duplicate(value, (Rights::WAIT | Rights::DUPLICATE).bits())
        .unwrap();
    assert_eq!(
        table.handle_info(copy).unwrap().1,
        Rights::WAIT | Rights::DUPLICATE
    );
    let none = table.duplicate(value, 0).unwrap();
    assert_eq!(table.handle_info(none).unwrap().1, Rights::empty());
}

#[test]
fn duplicate_with_more_rights_is_invalid_args() {
    let table = HandleTable::new();
    let (value, _) = event_in(&table);
    assert_eq!(
        table.duplicate(value, Rights::WRITE.bits()),
        Err(Status::InvalidArgs)
    );
    assert_eq!(table.len(), 1);
}

#[test]
fn duplicate_needs_the_duplicate_right() {
    let table = HandleTable::new();
    let (value, _) = event_in(&table);
    let weak = table.duplicate(value, Rights::WAIT.bits()).unwrap();
    assert_eq!(
        table.duplicate(weak, ZX_RIGHT_SAME_RIGHTS),
        Err(Status::AccessDenied)
    );
    // The right is checked before the requested rights.
    assert_eq!(
        table.duplicate(weak, Rights::all().bits()),
        Err(Status::AccessDenied)
    );
}

#[test]
fn duplicate_of_a_bad_handle_is_bad_handle() {
    let table = HandleTable::new();
    assert_eq!(
        table.duplicate(0x1233, ZX_RIGHT_SAME_RIGHTS),
        Err(Status::BadHandle)
    );
}

#[test]
fn channels_cannot_be_duplicated() {
    let table = HandleTable::new();
    let (a, _b) = Channel::create(0).unwrap();
    let value = table.insert(a).unwrap();
    assert_eq!(
        table.duplicate(value, ZX_RIGHT_SAME_RIGHTS),
        Err(Status::AccessDenied)
    );
}

#[test]
fn replace_invalidates_the_original() {
    let table = HandleTable::new();
    let (value, weak) = event_in(&table);
    let new = table.replace(value, Rights::WAIT.bits()).unwrap();
    assert_ne!(new, value);
    assert_eq!(table.close(value), Err(Status::BadHandle));
    assert_eq!(table.handle_info(new).unwrap().1, Rights::WAIT);
    assert!(weak.upgrade().is_some());
    assert_eq!(table.len(), 1);
}

#[test]
fn replace_needs_no_right() {
    let table = HandleTable::new();
    let (value, _) = event_in(&table);
    let bare = table.duplicate(value, 0).unwrap();
    assert!(table.replace(bare, ZX_RIGHT_SAME_RIGHTS).is_ok());
}

#[test]
fn failed_replace_still_closes_the_original() {
    let table = HandleTable::new();
    let (value, weak) = event_in(&table);
    assert_eq!(
        table.replace(value, Rights::WRITE.bits()),
        Err(Status::InvalidArgs)
    );
    assert_eq!(table.close(value), Err(Status::BadHandle));
    assert!(weak.upgrade().is_none());
    assert!(table.is_empty());
}

#[test]
fn replace_of_a_bad_handle_is_bad_handle() {
    assert_eq!(
        HandleTable::new().replace(0x1233, ZX_RIGHT_SAME_RIGHTS),
        Err(Status::BadHandle)
    );
}

#[test]
fn the_table_refuses_handles_past_its_limit() {
    let table = HandleTable::new();
    let event = Event::new();
    let values: Vec<HandleValue> = (0..MAX_HANDLES_PER_PROCESS)
        .map(|_| {
            table
                .insert(Handle::new(event.clone(), Rights::DEFAULT_EVENT))
                .unwrap()
        })
        .collect();
    let extra = Handle::new(event.clone(), Rights::DEFAULT_EVENT);
    assert_eq!(table.insert(extra), Err(Status::NoResources));
    assert_eq!(
        table.duplicate(values[0], ZX_RIGHT_SAME_RIGHTS),
        Err(Status::NoResources)
    );
    assert_eq!(event.base().handle_count(), MAX_HANDLES_PER_PROCESS);

    // Replacing at the limit works: it frees the slot it takes.
    let replaced = table.replace(values[1], ZX_RIGHT_SAME_RIGHTS).unwrap();
    table.close(replaced).unwrap();
    assert!(
        table
            .insert(Handle::new(event.clone(), Rights::DEFAULT_EVENT))
            .is_ok()
    );
}

#[test]
fn insert_all_is_all_or_nothing() {
    let table = HandleTable::new();
    let event = Event::new();
    for _ in 0..MAX_HANDLES_PER_PROCESS - 1 {
        table
            .insert(Handle::new(event.clone(), Rights::DEFAULT_EVENT))
            .unwrap();
    }
    let two = vec![
        Handle::new(event.clone(), Rights::DEFAULT_EVENT),
        Handle::new(event.clone(), Rights::DEFAULT_EVENT),
    ];
    let (status, back) = table.insert_all(two).unwrap_err();
    assert_eq!(status, Status::NoResources);
    assert_eq!(back.len(), 2);
    assert_eq!(table.len(), MAX_HANDLES_PER_PROCESS - 1);
}

#[test]
fn get_checks_type_before_rights() {
    let table = HandleTable::new();
    let (value, _) = event_in(&table);
    assert_eq!(
        table.get::<Channel>(value, Rights::WRITE).err(),
        Some(Status::WrongType)
    );
    assert_eq!(
        table.get::<Event>(value, Rights::WRITE).err(),
        Some(Status::AccessDenied)
    );
    assert!(
        table
            .get::<Event>(value, Rights::SIGNAL | Rights::WAIT)
            .is_ok()
    );
    assert_eq!(
        table.get_object(value, Rights::WRITE).err(),
        Some(Status::AccessDenied)
    );
    assert_eq!(
        table.get_object(value, Rights::WAIT).unwrap().object_type(),
        ObjectType::Event
    );
}

#[test]
fn closing_a_handle_cancels_waits_through_it() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (value, _) = event_in(&table);
    let mut wait = wait_one(&table, value, Signals::SIGNALED, ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll_noop(&mut wait).is_pending());
    table.close(value).unwrap();
    let outcome = poll_noop(&mut wait).map(|outcome| outcome.status);
    assert_eq!(outcome, std::task::Poll::Ready(Err(Status::Canceled)));
}

#[test]
fn removing_a_handle_for_transfer_cancels_its_waits() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (value, _) = event_in(&table);
    let mut wait = wait_one(&table, value, Signals::SIGNALED, ZX_TIME_INFINITE, &clock).unwrap();
    let handle = table.remove(value).unwrap();
    let std::task::Poll::Ready(outcome) = poll_noop(&mut wait) else {
        panic!("still waiting")
    };
    assert_eq!(outcome.status, Err(Status::Canceled));
    assert!(outcome.observed.contains(Signals::HANDLE_CLOSED));
    drop(handle);
}
