//! `zx_vmo_create`, read, write, get/set size and content size (spec section 4.6).

use super::*;
use crate::abi::Status;

fn create(phys: &Arc<FakePhysicalMemory>, size: u64, options: VmoOptions) -> ZxResult<Arc<Vmo>> {
    Vmo::create(phys.clone(), size, options)
}

#[test]
fn create_rounds_size_up_and_keeps_the_unrounded_content_size() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, 5000, VmoOptions::empty()).unwrap();
    assert_eq!(vmo.size(), 2 * P as u64);
    assert_eq!(vmo.content_size(), 5000);
    let empty = create(&phys, 0, VmoOptions::empty()).unwrap();
    assert_eq!(empty.size(), 0);
}

#[test]
fn new_vmo_reads_as_zeros_and_commits_nothing() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, 3 * P as u64, VmoOptions::empty()).unwrap();
    let mut buf = [0xffu8; 100];
    vmo.read(P as u64 - 50, &mut buf).unwrap();
    assert!(buf.iter().all(|&b| b == 0));
    assert_eq!(vmo.committed_bytes(), 0);
    assert_eq!(phys.allocated(), 0);
}

#[test]
fn write_commits_only_the_pages_it_touches() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, 4 * P as u64, VmoOptions::empty()).unwrap();
    vmo.write(P as u64 - 2, &[1, 2, 3, 4]).unwrap();
    assert_eq!(vmo.committed_bytes(), 2 * P as u64);
    assert_eq!(phys.allocated(), 2);

    let mut buf = [0u8; 6];
    vmo.read(P as u64 - 3, &mut buf).unwrap();
    assert_eq!(buf, [0, 1, 2, 3, 4, 0]);
}

#[test]
fn unknown_options_are_invalid_args() {
    let phys = FakePhysicalMemory::new();
    let bad = VmoOptions::from_bits_retain(1 << 0);
    assert_eq!(
        create(&phys, P as u64, bad).unwrap_err(),
        Status::InvalidArgs
    );
    let bad = VmoOptions::from_bits_retain(1 << 7);
    assert_eq!(
        create(&phys, P as u64, bad).unwrap_err(),
        Status::InvalidArgs
    );
}

#[test]
fn discardable_and_resizable_together_are_invalid_args() {
    let phys = FakePhysicalMemory::new();
    let both = VmoOptions::DISCARDABLE | VmoOptions::RESIZABLE;
    assert_eq!(
        create(&phys, P as u64, both).unwrap_err(),
        Status::InvalidArgs
    );
    assert!(create(&phys, P as u64, VmoOptions::DISCARDABLE).is_ok());
}

#[test]
fn size_too_large_is_out_of_range() {
    let phys = FakePhysicalMemory::new();
    assert_eq!(
        create(&phys, u64::MAX, VmoOptions::empty()).unwrap_err(),
        Status::OutOfRange
    );
    assert_eq!(
        create(&phys, VMO_MAX_SIZE + 1, VmoOptions::empty()).unwrap_err(),
        Status::OutOfRange
    );
    assert_eq!(
        create(&phys, VMO_MAX_SIZE, VmoOptions::empty())
            .unwrap()
            .size(),
        VMO_MAX_SIZE
    );
}

#[test]
fn read_or_write_past_the_size_is_out_of_range() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, P as u64, VmoOptions::empty()).unwrap();
    assert_eq!(vmo.read(P as u64 - 1, &mut [0; 2]), Err(Status::OutOfRange));
    assert_eq!(vmo.write(P as u64, &[0]), Err(Status::OutOfRange));
    assert_eq!(vmo.read(u64::MAX, &mut [0; 2]), Err(Status::OutOfRange));
    assert_eq!(vmo.write(P as u64, &[]), Ok(()));
    assert_eq!(phys.allocated(), 0);
}

#[test]
fn write_without_memory_is_no_memory_and_commits_nothing() {
    let phys = FakePhysicalMemory::with_limit(2);
    let vmo = create(&phys, 4 * P as u64, VmoOptions::empty()).unwrap();
    assert_eq!(vmo.write(0, &[7; 3 * P]), Err(Status::NoMemory));
    assert_eq!(vmo.committed_bytes(), 0);
    assert_eq!(phys.allocated(), 0);
    vmo.write(0, &[7; 2 * P]).unwrap();
}

#[test]
fn frames_are_freed_when_the_vmo_dies() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, 3 * P as u64, VmoOptions::empty()).unwrap();
    vmo.write(0, &[1; 3 * P]).unwrap();
    assert_eq!(phys.allocated(), 3);
    drop(vmo);
    assert_eq!(phys.allocated(), 0);
}

#[test]
fn set_size_on_a_non_resizable_vmo_is_unavailable() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, P as u64, VmoOptions::empty()).unwrap();
    assert_eq!(vmo.set_size(2 * P as u64), Err(Status::Unavailable));
    assert_eq!(vmo.size(), P as u64);
}

#[test]
fn set_size_too_large_is_out_of_range() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, P as u64, VmoOptions::RESIZABLE).unwrap();
    assert_eq!(vmo.set_size(u64::MAX), Err(Status::OutOfRange));
    assert_eq!(vmo.size(), P as u64);
}

#[test]
fn set_size_rounds_up_and_sets_the_content_size() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, P as u64, VmoOptions::RESIZABLE).unwrap();
    vmo.set_size(3 * P as u64 + 1).unwrap();
    assert_eq!(vmo.size(), 4 * P as u64);
    assert_eq!(vmo.content_size(), 3 * P as u64 + 1);
    vmo.write(4 * P as u64 - 1, &[9]).unwrap();
}

#[test]
fn shrinking_frees_the_pages_past_the_new_size() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, 4 * P as u64, VmoOptions::RESIZABLE).unwrap();
    vmo.write(0, &[5; 4 * P]).unwrap();
    vmo.set_size(2 * P as u64).unwrap();
    assert_eq!(phys.allocated(), 2);
    assert_eq!(vmo.committed_bytes(), 2 * P as u64);

    vmo.set_size(4 * P as u64).unwrap();
    let mut buf = [1u8; 2];
    vmo.read(2 * P as u64 - 1, &mut buf).unwrap();
    assert_eq!(buf, [5, 0], "regrown pages read as zeros");
}

#[test]
fn set_size_zeroes_the_tail_of_the_last_page() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, 2 * P as u64, VmoOptions::RESIZABLE).unwrap();
    vmo.write(0, &[3; 2 * P]).unwrap();
    vmo.set_size(100).unwrap();
    vmo.set_size(P as u64).unwrap();

    let mut buf = [0u8; P];
    vmo.read(0, &mut buf).unwrap();
    assert!(buf[..100].iter().all(|&b| b == 3));
    assert!(buf[100..].iter().all(|&b| b == 0));
}

#[test]
fn content_size_can_be_set_up_to_the_size_only() {
    let phys = FakePhysicalMemory::new();
    let vmo = create(&phys, P as u64, VmoOptions::empty()).unwrap();
    vmo.set_content_size(10).unwrap();
    assert_eq!(vmo.content_size(), 10);
    assert_eq!(vmo.size(), P as u64);
    assert_eq!(vmo.set_content_size(P as u64 + 1), Err(Status::OutOfRange));
    assert_eq!(vmo.content_size(), 10);
}

#[test]
fn every_vmo_gets_a_fresh_koid() {
    let phys = FakePhysicalMemory::new();
    let a = create(&phys, 0, VmoOptions::empty()).unwrap();
    let b = create(&phys, 0, VmoOptions::empty()).unwrap();
    assert_ne!(a.koid(), b.koid());
}
