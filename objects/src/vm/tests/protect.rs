//! `zx_vmar_protect` (spec section 4.3).

use super::*;
use crate::abi::Status;

const R: VmOptions = VmOptions::PERM_READ;
const RX: VmOptions = VmOptions::PERM_READ.union(VmOptions::PERM_EXECUTE);
const USER_R: MmuFlags = MmuFlags::READ.union(MmuFlags::USER);
const USER_RW: MmuFlags = MmuFlags::READ.union(MmuFlags::WRITE).union(MmuFlags::USER);

/// A fixture with a 4-page VMO mapped read-write at a known address, every page faulted in.
fn mapped() -> (Fixture, Arc<Vmo>, usize) {
    let f = Fixture::new();
    let vmo = f.vmo(4);
    let addr = f
        .map_at(&f.root, 64 * P, &vmo, 4, RW | VmOptions::MAP_RANGE)
        .unwrap();
    (f, vmo, addr)
}

#[test]
fn protect_changes_the_permissions_and_the_entries() {
    let (f, _vmo, addr) = mapped();
    f.root.protect(R, addr, 4 * P, VMAR_RIGHTS).unwrap();
    assert_eq!(f.aspace.mappings()[0].perms, MmuFlags::READ);
    for page in 0..4 {
        assert_eq!(f.pt.entry(addr + page * P).unwrap().1, USER_R);
    }
    assert_eq!(
        f.aspace.handle_page_fault(addr, FaultAccess::Write),
        Err(Status::AccessDenied)
    );
    assert_eq!(f.aspace.handle_page_fault(addr, FaultAccess::Read), Ok(()));
}

#[test]
fn protecting_part_of_a_mapping_splits_it() {
    let (f, vmo, addr) = mapped();
    f.root.protect(R, addr + P, 2 * P, VMAR_RIGHTS).unwrap();
    let spans: Vec<_> = f
        .aspace
        .mappings()
        .iter()
        .map(|m| (m.base, m.size, m.vmo_offset, m.perms))
        .collect();
    let rw = MmuFlags::READ | MmuFlags::WRITE;
    let expected = [
        (addr, P, 0, rw),
        (addr + P, 2 * P, P as u64, MmuFlags::READ),
        (addr + 3 * P, P, 3 * P as u64, rw),
    ];
    assert_eq!(spans, expected);
    let flags: Vec<MmuFlags> = (0..4)
        .map(|page| f.pt.entry(addr + page * P).unwrap().1)
        .collect();
    assert_eq!(flags, [USER_RW, USER_R, USER_R, USER_RW]);
    assert_eq!(
        f.pt.entry(addr + P).unwrap().0,
        vmo.committed_frame(P as u64).unwrap()
    );
}

#[test]
fn protect_spans_adjacent_mappings() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let a = f.map_at(&f.root, 0, &vmo, 2, RW).unwrap();
    f.map_at(&f.root, 2 * P, &vmo, 2, RW).unwrap();
    f.root.protect(R, a + P, 2 * P, VMAR_RIGHTS).unwrap();
    let perms: Vec<MmuFlags> = f.aspace.mappings().iter().map(|m| m.perms).collect();
    let rw = MmuFlags::READ | MmuFlags::WRITE;
    assert_eq!(perms, [rw, MmuFlags::READ, MmuFlags::READ, rw]);
}

#[test]
fn protect_to_no_access_removes_the_entries() {
    let (f, _vmo, addr) = mapped();
    f.root
        .protect(VmOptions::empty(), addr, 4 * P, VMAR_RIGHTS)
        .unwrap();
    assert!(f.pt.entries().is_empty());
    assert_eq!(
        f.aspace.handle_page_fault(addr, FaultAccess::Read),
        Err(Status::AccessDenied)
    );
    f.root.protect(RW, addr, 4 * P, VMAR_RIGHTS).unwrap();
    assert_eq!(f.aspace.handle_page_fault(addr, FaultAccess::Write), Ok(()));
}

#[test]
fn protect_len_is_rounded_up_to_whole_pages() {
    let (f, _vmo, addr) = mapped();
    f.root.protect(R, addr, P + 1, VMAR_RIGHTS).unwrap();
    assert_eq!(f.aspace.mappings()[0].size, 2 * P);
    assert_eq!(f.aspace.mappings()[0].perms, MmuFlags::READ);
}

#[test]
fn protect_is_flushed() {
    let (f, _vmo, addr) = mapped();
    f.root.protect(R, addr, P, VMAR_RIGHTS).unwrap();
    let log = f.pt.log();
    let flushed = log
        .iter()
        .any(|(_, event)| *event == fake::PageTableEvent::Flush(addr..addr + P));
    assert!(flushed, "{log:?}");
}

#[test]
fn perm_without_the_vmar_handle_right_is_access_denied() {
    let (f, _vmo, addr) = mapped();
    let result = f.root.protect(R, addr, P, VMAR_RIGHTS - Rights::READ);
    assert_eq!(result, Err(Status::AccessDenied));
    let result = f.root.protect(RW, addr, P, VMAR_RIGHTS - Rights::WRITE);
    assert_eq!(result, Err(Status::AccessDenied));
}

#[test]
fn perm_without_the_vmar_can_map_is_access_denied() {
    let f = Fixture::new();
    let options = VmOptions::CAN_MAP_READ | VmOptions::CAN_MAP_WRITE;
    let vmar = f.root.allocate(options, 0, 8 * P, VMAR_RIGHTS).unwrap();
    let vmo = f.vmo(1);
    let addr = f.map_rw(&vmar, &vmo);
    assert_eq!(
        vmar.protect(RX, addr, P, VMAR_RIGHTS),
        Err(Status::AccessDenied)
    );
    assert_eq!(
        f.aspace.mappings()[0].perms,
        MmuFlags::READ | MmuFlags::WRITE
    );
}

#[test]
fn perm_beyond_the_original_vmo_handle_rights_is_access_denied() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let rights = VMO_RIGHTS - Rights::WRITE;
    let addr = f.root.map(R, 0, &vmo, 0, P, VMAR_RIGHTS, rights).unwrap();
    assert_eq!(
        f.root.protect(RW, addr, P, VMAR_RIGHTS),
        Err(Status::AccessDenied)
    );
    let exec_denied = f
        .root
        .map(R, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS - Rights::EXECUTE);
    let addr = exec_denied.unwrap();
    assert_eq!(
        f.root.protect(RX, addr, P, VMAR_RIGHTS),
        Err(Status::AccessDenied)
    );
    assert_eq!(f.root.protect(R, addr, P, VMAR_RIGHTS), Ok(()));
}

#[test]
fn write_or_execute_without_read_is_invalid_args() {
    let (f, _vmo, addr) = mapped();
    for perm in [VmOptions::PERM_WRITE, VmOptions::PERM_EXECUTE] {
        assert_eq!(
            f.root.protect(perm, addr, P, VMAR_RIGHTS),
            Err(Status::InvalidArgs)
        );
    }
}

#[test]
fn non_perm_options_are_invalid_args() {
    let (f, _vmo, addr) = mapped();
    for option in [
        VmOptions::SPECIFIC,
        VmOptions::MAP_RANGE,
        VmOptions::ALIGN_64KB,
    ] {
        let result = f.root.protect(R | option, addr, P, VMAR_RIGHTS);
        assert_eq!(result, Err(Status::InvalidArgs), "{option:?}");
    }
}

#[test]
fn unaligned_addr_or_zero_len_is_invalid_args() {
    let (f, _vmo, addr) = mapped();
    assert_eq!(
        f.root.protect(R, addr + 1, P, VMAR_RIGHTS),
        Err(Status::InvalidArgs)
    );
    assert_eq!(
        f.root.protect(R, addr, 0, VMAR_RIGHTS),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn range_holding_a_child_vmar_is_invalid_args() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let addr = f.map_at(&f.root, 0, &vmo, 1, RW).unwrap();
    f.root
        .allocate(
            VmOptions::SPECIFIC | VmOptions::CAN_MAP_RWX,
            P,
            P,
            VMAR_RIGHTS,
        )
        .unwrap();
    assert_eq!(
        f.root.protect(R, addr, 2 * P, VMAR_RIGHTS),
        Err(Status::InvalidArgs)
    );
    assert_eq!(
        f.aspace.mappings()[0].perms,
        MmuFlags::READ | MmuFlags::WRITE,
        "nothing changed"
    );
}

#[test]
fn a_hole_before_a_child_vmar_is_not_found_as_the_first_problem() {
    // Regression: a child VMAR after an unmapped page was reported first, as INVALID_ARGS.
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let addr = f.map_at(&f.root, 0, &vmo, 1, RW).unwrap();
    let child_options = VmOptions::SPECIFIC | VmOptions::CAN_MAP_RWX;
    f.root
        .allocate(child_options, 2 * P, P, VMAR_RIGHTS)
        .unwrap();
    assert_eq!(
        f.root.protect(R, addr, 3 * P, VMAR_RIGHTS),
        Err(Status::NotFound),
        "page 1 is unmapped, before the child at page 2"
    );
    assert_eq!(
        f.root.protect(R, addr + P, 2 * P, VMAR_RIGHTS),
        Err(Status::NotFound)
    );
    assert_eq!(
        f.aspace.mappings()[0].perms,
        MmuFlags::READ | MmuFlags::WRITE,
        "nothing changed"
    );
}

#[test]
fn range_outside_the_vmar_is_invalid_args() {
    let f = Fixture::new();
    let vmar = f.child(4);
    let vmo = f.vmo(4);
    let addr = f.map_rw(&vmar, &vmo);
    assert_eq!(
        vmar.protect(R, addr, 5 * P, VMAR_RIGHTS),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn unmapped_part_is_not_found_and_nothing_changes() {
    let (f, _vmo, addr) = mapped();
    assert_eq!(
        f.root.protect(R, addr, 5 * P, VMAR_RIGHTS),
        Err(Status::NotFound)
    );
    assert_eq!(
        f.root.protect(R, addr - P, 2 * P, VMAR_RIGHTS),
        Err(Status::NotFound)
    );
    assert_eq!(
        f.root.protect(R, addr - 4 * P, P, VMAR_RIGHTS),
        Err(Status::NotFound)
    );
    f.root.unmap(addr + P, P).unwrap();
    assert_eq!(
        f.root.protect(R, addr, 4 * P, VMAR_RIGHTS),
        Err(Status::NotFound)
    );
    assert!(
        f.aspace
            .mappings()
            .iter()
            .all(|m| m.perms == MmuFlags::READ | MmuFlags::WRITE)
    );
}

#[test]
fn mapping_inside_a_child_vmar_is_not_protected_through_the_parent() {
    let f = Fixture::new();
    let child = f
        .root
        .allocate(
            VmOptions::SPECIFIC | VmOptions::CAN_MAP_RWX,
            0,
            4 * P,
            VMAR_RIGHTS,
        )
        .unwrap();
    let vmo = f.vmo(1);
    let addr = f.map_rw(&child, &vmo);
    assert_eq!(
        f.root.protect(R, addr, P, VMAR_RIGHTS),
        Err(Status::InvalidArgs)
    );
    assert_eq!(child.protect(R, addr, P, VMAR_RIGHTS), Ok(()));
}
