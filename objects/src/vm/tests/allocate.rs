//! `zx_vmar_allocate` and `zx_vmar_destroy`, and the VMAR rules of spec sections 4.1 and 4.5.

use super::*;
use crate::abi::Status;

#[test]
fn child_is_inside_the_parent_page_aligned_and_non_zero() {
    let f = Fixture::new();
    let parent = f.child(64);
    let child = parent
        .allocate(VmOptions::CAN_MAP_READ, 0, 8 * P, VMAR_RIGHTS)
        .unwrap();
    assert_ne!(child.base(), 0);
    assert_eq!(child.base() % P, 0);
    assert!(child.base() >= parent.base() && child.base() + 8 * P <= parent.base() + 64 * P);
    assert_eq!(child.size(), 8 * P);
    assert_ne!(child.koid(), parent.koid());
}

#[test]
fn child_handle_rights_follow_its_can_map_options() {
    let f = Fixture::new();
    let options = VmOptions::CAN_MAP_READ | VmOptions::CAN_MAP_EXECUTE;
    let child = f.root.allocate(options, 0, P, VMAR_RIGHTS).unwrap();
    assert_eq!(
        child.default_rights(),
        Rights::DEFAULT_VMAR | Rights::READ | Rights::EXECUTE
    );
    assert_eq!(f.root.default_rights(), VMAR_RIGHTS);
}

#[test]
fn child_cannot_allow_more_than_its_parent() {
    let f = Fixture::new();
    let parent = f
        .root
        .allocate(VmOptions::CAN_MAP_READ, 0, 16 * P, VMAR_RIGHTS)
        .unwrap();
    for more in [VmOptions::CAN_MAP_WRITE, VmOptions::CAN_MAP_EXECUTE] {
        let result = parent.allocate(VmOptions::CAN_MAP_READ | more, 0, P, VMAR_RIGHTS);
        assert_eq!(result.unwrap_err(), Status::AccessDenied, "{more:?}");
    }
    assert!(
        parent
            .allocate(VmOptions::CAN_MAP_READ, 0, P, VMAR_RIGHTS)
            .is_ok()
    );
}

#[test]
fn can_map_without_the_parent_handle_right_is_access_denied() {
    let f = Fixture::new();
    let cases = [
        (VmOptions::CAN_MAP_READ, Rights::READ),
        (VmOptions::CAN_MAP_WRITE, Rights::WRITE),
        (VmOptions::CAN_MAP_EXECUTE, Rights::EXECUTE),
    ];
    for (can_map, right) in cases {
        let result = f.root.allocate(can_map, 0, P, VMAR_RIGHTS - right);
        assert_eq!(result.unwrap_err(), Status::AccessDenied, "{can_map:?}");
    }
}

#[test]
fn can_map_specific_is_per_vmar_and_not_inherited() {
    let f = Fixture::new();
    let parent = f
        .root
        .allocate(VmOptions::CAN_MAP_RWX, 0, 16 * P, VMAR_RIGHTS)
        .unwrap();
    let child = parent.allocate(
        VmOptions::CAN_MAP_SPECIFIC | VmOptions::CAN_MAP_RWX,
        0,
        4 * P,
        VMAR_RIGHTS,
    );
    let child = child.unwrap();
    let vmo = f.vmo(1);
    assert_eq!(f.map_at(&child, P, &vmo, 1, RW), Ok(child.base() + P));
    assert_eq!(f.map_at(&parent, 0, &vmo, 1, RW), Err(Status::AccessDenied));
}

#[test]
fn specific_without_the_parent_can_map_specific_is_access_denied() {
    let f = Fixture::new();
    let parent = f
        .root
        .allocate(VmOptions::CAN_MAP_RWX, 0, 16 * P, VMAR_RIGHTS)
        .unwrap();
    let result = parent.allocate(VmOptions::SPECIFIC, 0, P, VMAR_RIGHTS);
    assert_eq!(result.unwrap_err(), Status::AccessDenied);
}

#[test]
fn specific_places_the_child_at_the_offset() {
    let f = Fixture::new();
    let parent = f.child(16);
    let child = parent
        .allocate(VmOptions::SPECIFIC, 4 * P, 2 * P, VMAR_RIGHTS)
        .unwrap();
    assert_eq!(child.base(), parent.base() + 4 * P);
}

#[test]
fn specific_over_something_is_no_memory() {
    let f = Fixture::new();
    let parent = f.child(16);
    parent
        .allocate(VmOptions::SPECIFIC, 4 * P, 2 * P, VMAR_RIGHTS)
        .unwrap();
    let vmo = f.vmo(1);
    f.map_at(&parent, 8 * P, &vmo, 1, RW).unwrap();
    let over_vmar = parent.allocate(VmOptions::SPECIFIC, 5 * P, 2 * P, VMAR_RIGHTS);
    assert_eq!(over_vmar.unwrap_err(), Status::NoMemory);
    let over_mapping = parent.allocate(VmOptions::SPECIFIC, 7 * P, 2 * P, VMAR_RIGHTS);
    assert_eq!(over_mapping.unwrap_err(), Status::NoMemory);
}

#[test]
fn non_zero_offset_without_specific_is_invalid_args() {
    let f = Fixture::new();
    assert_eq!(
        f.root
            .allocate(VmOptions::empty(), P, P, VMAR_RIGHTS)
            .unwrap_err(),
        Status::InvalidArgs
    );
}

#[test]
fn zero_or_unaligned_size_and_unaligned_offset_are_invalid_args() {
    let f = Fixture::new();
    let parent = f.child(16);
    for (offset, size) in [(0, 0), (0, P + 1), (P + 1, P)] {
        let result = parent.allocate(VmOptions::SPECIFIC, offset, size, VMAR_RIGHTS);
        assert_eq!(
            result.unwrap_err(),
            Status::InvalidArgs,
            "{offset:#x}+{size:#x}"
        );
    }
    assert_eq!(
        parent
            .allocate(VmOptions::empty(), 0, 7, VMAR_RIGHTS)
            .unwrap_err(),
        Status::InvalidArgs
    );
}

#[test]
fn beyond_the_parent_bounds_is_invalid_args() {
    let f = Fixture::new();
    let parent = f.child(8);
    let cases = [
        (VmOptions::SPECIFIC, 8 * P, P),
        (VmOptions::SPECIFIC, 7 * P, 2 * P),
    ];
    for (options, offset, size) in cases {
        let result = parent.allocate(options, offset, size, VMAR_RIGHTS);
        assert_eq!(
            result.unwrap_err(),
            Status::InvalidArgs,
            "{offset:#x}+{size:#x}"
        );
    }
}

#[test]
fn larger_than_the_parent_without_specific_is_no_memory() {
    let f = Fixture::new();
    let parent = f.child(8);
    let result = parent.allocate(VmOptions::empty(), 0, 9 * P, VMAR_RIGHTS);
    assert_eq!(result.unwrap_err(), Status::NoMemory);
}

#[test]
fn no_free_range_is_no_memory() {
    let f = Fixture::new();
    let parent = f.child(8);
    let whole = parent
        .allocate(VmOptions::empty(), 0, 8 * P, VMAR_RIGHTS)
        .unwrap();
    assert_eq!(whole.base(), parent.base());
    assert_eq!(
        parent
            .allocate(VmOptions::empty(), 0, P, VMAR_RIGHTS)
            .unwrap_err(),
        Status::NoMemory
    );
}

#[test]
fn perm_and_other_unsupported_options_are_invalid_args() {
    let f = Fixture::new();
    let unsupported = [
        VmOptions::PERM_READ,
        VmOptions::SPECIFIC_OVERWRITE,
        VmOptions::MAP_RANGE,
        VmOptions::ALLOW_FAULTS,
        VmOptions::from_bits_retain(1 << 15),
    ];
    for option in unsupported {
        let result = f.root.allocate(option, 0, P, VMAR_RIGHTS);
        assert_eq!(result.unwrap_err(), Status::InvalidArgs, "{option:?}");
    }
}

#[test]
fn alignment_option_aligns_the_child() {
    let f = Fixture::new();
    for _ in 0..8 {
        let child = f
            .root
            .allocate(VmOptions::ALIGN_1MB, 0, P, VMAR_RIGHTS)
            .unwrap();
        assert_eq!(child.base() % (1 << 20), 0);
    }
}

#[test]
fn compact_child_packs_its_own_children() {
    let f = Fixture::new();
    let compact = f
        .root
        .allocate(VmOptions::COMPACT, 0, 64 * P, VMAR_RIGHTS)
        .unwrap();
    let bases: Vec<usize> = (0..3)
        .map(|_| {
            compact
                .allocate(VmOptions::empty(), 0, 4 * P, VMAR_RIGHTS)
                .unwrap()
                .base()
        })
        .collect();
    assert_eq!(
        bases,
        [
            compact.base(),
            compact.base() + 4 * P,
            compact.base() + 8 * P
        ]
    );
}

#[test]
fn dropping_the_child_handle_keeps_it_and_its_mappings() {
    let f = Fixture::new();
    let child = f.child(16);
    let base = child.base();
    let vmo = f.vmo(1);
    let addr = f.map_rw(&child, &vmo);
    drop(child);
    drop(vmo);

    assert!(f.is_mapped(addr));
    let result = f
        .root
        .allocate(VmOptions::SPECIFIC, base - USER_ASPACE_BASE, P, VMAR_RIGHTS);
    assert_eq!(
        result.unwrap_err(),
        Status::NoMemory,
        "the range is still held"
    );
}

#[test]
fn allocate_in_a_destroyed_vmar_is_bad_state() {
    let f = Fixture::new();
    let parent = f.child(16);
    parent.destroy().unwrap();
    assert_eq!(
        parent
            .allocate(VmOptions::empty(), 0, P, VMAR_RIGHTS)
            .unwrap_err(),
        Status::BadState
    );
}

#[test]
fn destroy_removes_mappings_and_children_and_frees_the_range() {
    let f = Fixture::new();
    let parent = f.child(16);
    let child = parent
        .allocate(VmOptions::CAN_MAP_RWX, 0, 4 * P, VMAR_RIGHTS)
        .unwrap();
    let vmo = f.vmo(1);
    let outer = f.map_rw(&parent, &vmo);
    let inner = f.map_rw(&child, &vmo);
    for addr in [outer, inner] {
        f.aspace
            .handle_page_fault(addr, FaultAccess::Write)
            .unwrap();
    }
    assert_eq!(f.pt.entries().len(), 2);

    parent.destroy().unwrap();
    assert!(f.aspace.mappings().is_empty());
    assert!(f.pt.entries().is_empty());
    assert!(!f.is_mapped(outer) && !f.is_mapped(inner));
    assert!(parent.is_destroyed() && child.is_destroyed());

    let offset = parent.base() - USER_ASPACE_BASE;
    assert!(
        f.root
            .allocate(VmOptions::SPECIFIC, offset, 16 * P, VMAR_RIGHTS)
            .is_ok()
    );
}

#[test]
fn every_operation_on_a_destroyed_vmar_or_its_children_is_bad_state() {
    let f = Fixture::new();
    let parent = f.child(16);
    let child = parent
        .allocate(VmOptions::CAN_MAP_RWX, 0, 4 * P, VMAR_RIGHTS)
        .unwrap();
    let vmo = f.vmo(1);
    let addr = f.map_rw(&child, &vmo);
    parent.destroy().unwrap();

    for vmar in [&parent, &child] {
        assert_eq!(vmar.destroy(), Err(Status::BadState));
        assert_eq!(
            vmar.allocate(VmOptions::empty(), 0, P, VMAR_RIGHTS)
                .unwrap_err(),
            Status::BadState
        );
        assert_eq!(vmar.unmap(addr, P), Err(Status::BadState));
        assert_eq!(
            vmar.protect(VmOptions::PERM_READ, addr, P, VMAR_RIGHTS),
            Err(Status::BadState)
        );
        assert_eq!(
            vmar.map(RW, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS),
            Err(Status::BadState)
        );
    }
    assert!(
        f.root
            .allocate(VmOptions::empty(), 0, P, VMAR_RIGHTS)
            .is_ok()
    );
}

#[test]
fn destroying_the_root_vmar_empties_the_address_space() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let addr = f.map_rw(&f.root, &vmo);
    f.aspace.handle_page_fault(addr, FaultAccess::Read).unwrap();
    f.root.destroy().unwrap();
    assert!(f.pt.entries().is_empty());
    assert_eq!(
        f.aspace.handle_page_fault(addr, FaultAccess::Read),
        Err(Status::NotFound)
    );
    assert_eq!(
        f.root.map(RW, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS),
        Err(Status::BadState)
    );
}

#[test]
fn root_vmar_views_share_one_koid() {
    let f = Fixture::new();
    assert_eq!(f.aspace.root_vmar().koid(), f.root.koid());
    assert_eq!(f.root.base(), USER_ASPACE_BASE);
    assert_eq!(f.root.size(), USER_ASPACE_END - USER_ASPACE_BASE);
}

#[test]
fn address_space_bounds_must_be_aligned_non_empty_and_above_zero() {
    for range in [
        0..0x10000,
        0x1000..0x1000,
        0x1800..0x10000,
        0x1000..0x10800,
        core::ops::Range {
            start: 0x10000,
            end: 0x1000,
        },
    ] {
        let result = AddressSpace::new(FakePageTable::new(), range.clone(), SEED);
        assert_eq!(result.unwrap_err(), Status::InvalidArgs, "{range:x?}");
    }
}

#[test]
fn dropping_the_address_space_unmaps_everything() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let addr = f.map_rw(&f.root, &vmo);
    f.aspace
        .handle_page_fault(addr, FaultAccess::Write)
        .unwrap();
    let Fixture {
        pt, aspace, root, ..
    } = f;
    drop(root);
    drop(aspace);
    assert!(pt.entries().is_empty());
    assert_eq!(Arc::strong_count(&vmo), 1, "the mappings released the VMO");
}

#[test]
fn destroying_the_address_space_retires_the_page_table_before_any_frame_is_freed() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let child = f.child(16);
    for vmar in [&f.root, &child] {
        let addr = f.map_rw(vmar, &vmo);
        f.aspace
            .handle_page_fault(addr, FaultAccess::Write)
            .unwrap();
    }

    f.aspace.destroy();
    f.aspace.destroy();
    let log = f.pt.log();
    let events: Vec<_> = log.iter().map(|(_, event)| event.clone()).collect();
    assert_eq!(
        events,
        [fake::PageTableEvent::Retire],
        "one retire, no unmap"
    );
    assert!(f.pt.entries().is_empty());
    assert_eq!(Arc::strong_count(&vmo), 1, "the mappings released the VMO");
    assert!(vmo.with_mappings(|mappings| mappings.is_empty()));

    drop(vmo);
    let retired = log[0].0;
    assert!(f.phys.freed().iter().all(|&(stamp, _)| stamp > retired));
    assert_eq!(f.phys.allocated(), 0);
    let other = f.vmo(1);
    let mapped = child.map(RW, 0, &other, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(mapped.unwrap_err(), Status::BadState);
    assert_eq!(f.root.destroy(), Err(Status::BadState));
}
