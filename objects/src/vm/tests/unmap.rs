//! `zx_vmar_unmap` (spec section 4.4).

use super::*;
use crate::abi::Status;

#[test]
fn unmap_removes_the_mapping_and_its_entries() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let addr = f
        .map_at(&f.root, 0, &vmo, 2, RW | VmOptions::MAP_RANGE)
        .unwrap();
    f.root.unmap(addr, 2 * P).unwrap();
    assert!(f.aspace.mappings().is_empty());
    assert!(f.pt.entries().is_empty());
    assert_eq!(
        f.aspace.handle_page_fault(addr, FaultAccess::Read),
        Err(Status::NotFound)
    );
    assert_eq!(Arc::strong_count(&vmo), 1, "the mapping released the VMO");
    assert_eq!(
        vmo.committed_bytes(),
        2 * P as u64,
        "the VMO keeps its pages"
    );
}

#[test]
fn unmapping_the_middle_splits_the_mapping() {
    let f = Fixture::new();
    let vmo = f.vmo(4);
    let addr = f
        .map_at(&f.root, 0, &vmo, 4, RW | VmOptions::MAP_RANGE)
        .unwrap();
    f.root.unmap(addr + P, 2 * P).unwrap();

    let spans: Vec<_> = f
        .aspace
        .mappings()
        .iter()
        .map(|m| (m.base, m.size, m.vmo_offset))
        .collect();
    assert_eq!(spans, [(addr, P, 0), (addr + 3 * P, P, 3 * P as u64)]);
    let pages: Vec<usize> = f.pt.entries().keys().copied().collect();
    assert_eq!(pages, [addr, addr + 3 * P]);
}

#[test]
fn unmap_spans_several_mappings_and_gaps() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let a = f.map_at(&f.root, 0, &vmo, 2, RW).unwrap();
    f.map_at(&f.root, 4 * P, &vmo, 2, RW).unwrap();
    f.root.unmap(a + P, 4 * P).unwrap();
    let spans: Vec<_> = f
        .aspace
        .mappings()
        .iter()
        .map(|m| (m.base, m.size))
        .collect();
    assert_eq!(spans, [(a, P), (a + 5 * P, P)]);
}

#[test]
fn unmap_destroys_child_vmars_fully_inside() {
    let f = Fixture::new();
    let child = f
        .root
        .allocate(
            VmOptions::SPECIFIC | VmOptions::CAN_MAP_RWX,
            2 * P,
            2 * P,
            VMAR_RIGHTS,
        )
        .unwrap();
    let vmo = f.vmo(1);
    let inner = f.map_rw(&child, &vmo);
    f.aspace
        .handle_page_fault(inner, FaultAccess::Read)
        .unwrap();

    f.root.unmap(USER_ASPACE_BASE, 8 * P).unwrap();
    assert!(child.is_destroyed());
    assert!(f.pt.entries().is_empty());
    assert_eq!(
        child.map(RW, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS),
        Err(Status::BadState)
    );
}

#[test]
fn partial_overlap_with_a_child_vmar_is_invalid_args_and_changes_nothing() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let addr = f.map_at(&f.root, 0, &vmo, 1, RW).unwrap();
    let child = f
        .root
        .allocate(VmOptions::SPECIFIC, 2 * P, 2 * P, VMAR_RIGHTS)
        .unwrap();
    assert_eq!(f.root.unmap(addr, 3 * P), Err(Status::InvalidArgs));
    assert_eq!(f.root.unmap(addr + 3 * P, 2 * P), Err(Status::InvalidArgs));
    assert!(!child.is_destroyed());
    assert_eq!(f.aspace.mappings().len(), 1);
}

#[test]
fn unaligned_addr_or_len_and_zero_len_are_invalid_args() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let addr = f.map_rw(&f.root, &vmo);
    assert_eq!(f.root.unmap(addr + 1, P), Err(Status::InvalidArgs));
    assert_eq!(f.root.unmap(addr, P + 1), Err(Status::InvalidArgs));
    assert_eq!(f.root.unmap(addr, 0), Err(Status::InvalidArgs));
    assert_eq!(f.aspace.mappings().len(), 1);
}

#[test]
fn range_outside_the_vmar_is_invalid_args() {
    let f = Fixture::new();
    let vmar = f.child(4);
    let vmo = f.vmo(1);
    let addr = f.map_rw(&vmar, &vmo);
    assert_eq!(vmar.unmap(vmar.base(), 5 * P), Err(Status::InvalidArgs));
    assert_eq!(vmar.unmap(vmar.base() - P, 2 * P), Err(Status::InvalidArgs));
    assert!(f.is_mapped(addr));
}

#[test]
fn nothing_in_the_range_is_not_found() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let addr = f.map_at(&f.root, 4 * P, &vmo, 1, RW).unwrap();
    assert_eq!(f.root.unmap(addr + P, 2 * P), Err(Status::NotFound));
    assert_eq!(f.root.unmap(addr - P, P), Err(Status::NotFound));
}

#[test]
fn unmap_in_a_destroyed_vmar_is_bad_state() {
    let f = Fixture::new();
    let vmar = f.child(4);
    let base = vmar.base();
    vmar.destroy().unwrap();
    assert_eq!(vmar.unmap(base, P), Err(Status::BadState));
}

#[test]
fn unmap_flushes_before_returning() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let addr = f
        .map_at(&f.root, 0, &vmo, 1, RW | VmOptions::MAP_RANGE)
        .unwrap();
    f.root.unmap(addr, P).unwrap();
    let log = f.pt.log();
    let unmap = log
        .iter()
        .position(|(_, e)| *e == fake::PageTableEvent::Unmap(addr..addr + P));
    let flush = log
        .iter()
        .position(|(_, e)| *e == fake::PageTableEvent::Flush(addr..addr + P));
    assert!(unmap.unwrap() < flush.unwrap(), "{log:?}");
}
