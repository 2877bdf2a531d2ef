//! VMOs and VMARs as kernel objects in handle tables: a VMO handle duplicates and waits on
//! its user signals; a VMAR handle cannot be waited on (spec §1.1, §5.1).

use super::*;
use crate::abi::{
    HandleValue, ObjectType, Signals, Status, ZX_RIGHT_SAME_RIGHTS, ZX_TIME_INFINITE,
};
use crate::handle::{Handle, HandleTable};
use crate::object::KernelObject;
use crate::signal::object_signal;
use crate::testing::{Counter, manual_clock, poll, ready};
use crate::wait::{WaitOutcome, wait_one};

fn vmo_in(table: &HandleTable) -> (HandleValue, Arc<Vmo>) {
    let vmo = Vmo::create(FakePhysicalMemory::new(), P as u64, VmoOptions::empty()).unwrap();
    let value = table
        .insert(Handle::new(vmo.clone(), Rights::DEFAULT_VMO))
        .unwrap();
    (value, vmo)
}

#[test]
fn vmo_handle_duplicates_to_the_same_vmo() {
    let table = HandleTable::new();
    let (value, vmo) = vmo_in(&table);
    let copy = table.duplicate(value, ZX_RIGHT_SAME_RIGHTS).unwrap();
    assert_ne!(copy, value);
    let (object, rights) = table.handle_info(copy).unwrap();
    assert_eq!(object.koid(), vmo.koid());
    assert_eq!(object.object_type(), ObjectType::Vmo);
    assert_eq!(rights, Rights::DEFAULT_VMO);
    assert_eq!(vmo.base().handle_count(), 2);
}

#[test]
fn vmo_wait_one_completes_on_a_user_signal() {
    let (_, clock) = manual_clock();
    let table = HandleTable::new();
    let (value, _vmo) = vmo_in(&table);
    let (counter, waker) = Counter::new();
    let mut wait = wait_one(&table, value, Signals::USER_3, ZX_TIME_INFINITE, &clock).unwrap();
    assert!(poll(&mut wait, &waker).is_pending());

    object_signal(&table, value, 0, Signals::USER_3.bits()).unwrap();
    assert_eq!(counter.wakes(), 1);
    assert_eq!(
        ready(&mut wait),
        WaitOutcome {
            status: Ok(()),
            observed: Signals::USER_3 | Signals::VMO_ZERO_CHILDREN,
        }
    );
}

#[test]
fn vmo_asserts_zero_children_and_refuses_non_user_signals() {
    let table = HandleTable::new();
    let (value, vmo) = vmo_in(&table);
    assert_eq!(
        vmo.signal_state().unwrap().signals(),
        Signals::VMO_ZERO_CHILDREN
    );
    assert_eq!(
        object_signal(&table, value, 0, Signals::VMO_ZERO_CHILDREN.bits()),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn vmar_handle_is_not_waitable() {
    let (_, clock) = manual_clock();
    let f = Fixture::new();
    let table = HandleTable::new();
    let rights = f.root.default_rights();
    assert!(!rights.contains(Rights::WAIT));
    let value = table.insert(Handle::new(f.root.clone(), rights)).unwrap();

    assert!(f.root.signal_state().is_none());
    assert_eq!(f.root.object_type(), ObjectType::Vmar);
    assert_eq!(
        wait_one(&table, value, Signals::USER_0, ZX_TIME_INFINITE, &clock).err(),
        Some(Status::NotSupported)
    );
    assert_eq!(
        object_signal(&table, value, 0, Signals::USER_0.bits()),
        Err(Status::AccessDenied),
        "a VMAR handle has no SIGNAL right"
    );
}

#[test]
fn root_vmar_is_one_object_while_held() {
    let f = Fixture::new();
    let again = f.aspace.root_vmar();
    assert!(Arc::ptr_eq(&again, &f.root));
    assert_eq!(KernelObject::base(&*f.root).handle_count(), 0);
}
