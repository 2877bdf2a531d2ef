//! Page faults, the process memory syscalls (spec sections 3.4 and 3.5), and how VMO
//! changes reach the page tables of every address space that maps the VMO.

use super::*;
use crate::abi::Status;

#[test]
fn fault_commits_the_page_and_maps_it_with_the_mapping_permissions() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let addr = f.map_rw(&f.root, &vmo);
    f.aspace
        .handle_page_fault(addr + P + 123, FaultAccess::Write)
        .unwrap();

    let (frame, flags) = f.pt.entry(addr + P).unwrap();
    assert_eq!(Some(frame), vmo.committed_frame(P as u64));
    assert_eq!(flags, MmuFlags::READ | MmuFlags::WRITE | MmuFlags::USER);
    assert_eq!(f.pt.entries().len(), 1);
    assert_eq!(f.phys.allocated(), 1);
}

#[test]
fn fault_on_a_page_already_committed_maps_that_frame() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    vmo.write(0, &[1]).unwrap();
    let addr = f.map_rw(&f.root, &vmo);
    f.aspace.handle_page_fault(addr, FaultAccess::Read).unwrap();
    assert_eq!(f.pt.entry(addr).unwrap().0, vmo.committed_frame(0).unwrap());
    assert_eq!(f.phys.allocated(), 1);
}

#[test]
fn fault_where_nothing_is_mapped_is_not_found() {
    let f = Fixture::new();
    let vmar = f.child(8);
    for addr in [
        0,
        USER_ASPACE_BASE - P,
        vmar.base(),
        USER_ASPACE_END,
        usize::MAX,
    ] {
        assert_eq!(
            f.aspace.handle_page_fault(addr, FaultAccess::Read),
            Err(Status::NotFound)
        );
    }
}

#[test]
fn fault_the_mapping_forbids_is_access_denied() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let addr = f
        .root
        .map(VmOptions::PERM_READ, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS)
        .unwrap();
    assert_eq!(
        f.aspace.handle_page_fault(addr, FaultAccess::Write),
        Err(Status::AccessDenied)
    );
    assert_eq!(
        f.aspace.handle_page_fault(addr, FaultAccess::Execute),
        Err(Status::AccessDenied)
    );
    assert!(f.pt.entries().is_empty());
    assert_eq!(f.aspace.handle_page_fault(addr, FaultAccess::Read), Ok(()));
}

#[test]
fn execute_fault_in_an_executable_mapping_maps_it_executable() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let rx = VmOptions::PERM_READ | VmOptions::PERM_EXECUTE;
    let addr = f
        .root
        .map(rx, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS)
        .unwrap();
    f.aspace
        .handle_page_fault(addr, FaultAccess::Execute)
        .unwrap();
    assert_eq!(
        f.pt.entry(addr).unwrap().1,
        MmuFlags::READ | MmuFlags::EXECUTE | MmuFlags::USER
    );
}

#[test]
fn fault_past_the_end_of_the_vmo_is_out_of_range() {
    let f = Fixture::new();
    let vmo = f.resizable_vmo(2);
    let options = RW | VmOptions::ALLOW_FAULTS;
    let addr = f
        .root
        .map(options, 0, &vmo, 0, 4 * P, VMAR_RIGHTS, VMO_RIGHTS)
        .unwrap();
    assert_eq!(
        f.aspace.handle_page_fault(addr + 2 * P, FaultAccess::Read),
        Err(Status::OutOfRange)
    );
    vmo.set_size(4 * P as u64).unwrap();
    assert_eq!(
        f.aspace.handle_page_fault(addr + 2 * P, FaultAccess::Read),
        Ok(())
    );
}

#[test]
fn fault_without_memory_is_no_memory() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let addr = f.map_rw(&f.root, &vmo);
    f.phys.set_limit(0);
    assert_eq!(
        f.aspace.handle_page_fault(addr, FaultAccess::Write),
        Err(Status::NoMemory)
    );
    assert!(f.pt.entries().is_empty());
}

#[test]
fn fault_in_a_nested_vmar_finds_the_mapping() {
    let f = Fixture::new();
    let outer = f.child(64);
    let inner = outer
        .allocate(VmOptions::CAN_MAP_RWX, 0, 16 * P, VMAR_RIGHTS)
        .unwrap();
    let vmo = f.vmo(1);
    let addr = f.map_rw(&inner, &vmo);
    assert_eq!(f.aspace.handle_page_fault(addr, FaultAccess::Write), Ok(()));
    assert!(f.pt.entry(addr).is_some());
}

#[test]
fn two_address_spaces_share_the_frames_of_one_vmo() {
    let a = Fixture::new();
    let b = Fixture::new();
    let vmo = a.vmo(1);
    let in_a = a.map_rw(&a.root, &vmo);
    let in_b = b.map_rw(&b.root, &vmo);
    a.aspace
        .handle_page_fault(in_a, FaultAccess::Write)
        .unwrap();
    b.aspace.handle_page_fault(in_b, FaultAccess::Read).unwrap();
    assert_eq!(a.pt.entry(in_a).unwrap().0, b.pt.entry(in_b).unwrap().0);

    assert_eq!(a.aspace.write_memory(in_a, b"shared"), Ok(6));
    let mut buf = [0u8; 6];
    assert_eq!(b.aspace.read_memory(in_b, &mut buf), Ok(6));
    assert_eq!(&buf, b"shared");
}

#[test]
fn shrinking_a_vmo_unmaps_its_pages_everywhere_before_freeing_them() {
    let a = Fixture::new();
    let b = Fixture::new();
    let vmo = a.resizable_vmo(4);
    let options = RW | VmOptions::ALLOW_FAULTS | VmOptions::MAP_RANGE;
    let in_a = a
        .root
        .map(options, 0, &vmo, 0, 4 * P, VMAR_RIGHTS, VMO_RIGHTS)
        .unwrap();
    let in_b = b
        .root
        .map(options, 0, &vmo, P as u64, 3 * P, VMAR_RIGHTS, VMO_RIGHTS)
        .unwrap();
    let doomed = [
        vmo.committed_frame(2 * P as u64).unwrap(),
        vmo.committed_frame(3 * P as u64).unwrap(),
    ];

    vmo.set_size(2 * P as u64).unwrap();
    let a_pages: Vec<usize> = a.pt.entries().keys().copied().collect();
    let b_pages: Vec<usize> = b.pt.entries().keys().copied().collect();
    assert_eq!(a_pages, [in_a, in_a + P]);
    assert_eq!(b_pages, [in_b]);

    let freed = a.phys.freed();
    assert_eq!(
        freed.iter().map(|&(_, frame)| frame).collect::<Vec<_>>(),
        doomed
    );
    let first_free = freed.iter().map(|&(stamp, _)| stamp).min().unwrap();
    for (pt, range) in [
        (&a.pt, in_a + 2 * P..in_a + 4 * P),
        (&b.pt, in_b + P..in_b + 3 * P),
    ] {
        let flush = pt
            .log()
            .into_iter()
            .find(|(_, event)| *event == fake::PageTableEvent::Flush(range.clone()));
        assert!(
            flush.unwrap().0 < first_free,
            "flushed {range:x?} after freeing"
        );
    }
    assert_eq!(
        a.aspace.handle_page_fault(in_a + 2 * P, FaultAccess::Read),
        Err(Status::OutOfRange)
    );
}

#[test]
fn shrink_reaches_the_pieces_of_a_split_mapping() {
    let f = Fixture::new();
    let vmo = f.resizable_vmo(4);
    let options = RW | VmOptions::ALLOW_FAULTS | VmOptions::MAP_RANGE | VmOptions::SPECIFIC;
    let addr = f
        .root
        .map(options, 0, &vmo, 0, 4 * P, VMAR_RIGHTS, VMO_RIGHTS)
        .unwrap();
    f.root
        .protect(VmOptions::PERM_READ, addr + P, P, VMAR_RIGHTS)
        .unwrap();
    vmo.set_size(P as u64).unwrap();
    let pages: Vec<usize> = f.pt.entries().keys().copied().collect();
    assert_eq!(pages, [addr]);
    for &(frame, _) in f.pt.entries().values() {
        assert!(f.phys.is_live(frame));
    }
}

#[test]
fn read_memory_where_nothing_is_mapped_is_no_memory() {
    let f = Fixture::new();
    let mut buf = [0u8; 4];
    assert_eq!(
        f.aspace.read_memory(USER_ASPACE_BASE, &mut buf),
        Err(Status::NoMemory)
    );
    assert_eq!(
        f.aspace.write_memory(USER_ASPACE_BASE, &buf),
        Err(Status::NoMemory)
    );
}

#[test]
fn read_memory_stops_where_the_mappings_stop() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    vmo.write(0, &[4; 2 * P]).unwrap();
    let addr = f.map_at(&f.root, 0, &vmo, 2, RW).unwrap();
    let mut buf = [0u8; 3 * P];
    assert_eq!(f.aspace.read_memory(addr + P, &mut buf), Ok(P));
    assert!(buf[..P].iter().all(|&b| b == 4));
}

#[test]
fn read_memory_crosses_adjacent_mappings() {
    let f = Fixture::new();
    let first = f.vmo(1);
    let second = f.vmo(1);
    first.write(P as u64 - 1, &[1]).unwrap();
    second.write(0, &[2]).unwrap();
    let addr = f.map_at(&f.root, 0, &first, 1, RW).unwrap();
    f.map_at(&f.root, P, &second, 1, VmOptions::PERM_READ)
        .unwrap();
    let mut buf = [0u8; 2];
    assert_eq!(f.aspace.read_memory(addr + P - 1, &mut buf), Ok(2));
    assert_eq!(buf, [1, 2]);
}

#[test]
fn read_memory_stops_at_the_end_of_the_vmo() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let options = RW | VmOptions::ALLOW_FAULTS;
    let addr = f
        .root
        .map(options, 0, &vmo, 0, 2 * P, VMAR_RIGHTS, VMO_RIGHTS)
        .unwrap();
    let mut buf = [0u8; 2 * P];
    assert_eq!(f.aspace.read_memory(addr, &mut buf), Ok(P));
    assert_eq!(f.aspace.write_memory(addr + P - 2, &[1; 4]), Ok(2));
}

#[test]
fn write_memory_commits_pages_even_in_a_read_only_mapping() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let addr = f
        .root
        .map(
            VmOptions::PERM_READ,
            0,
            &vmo,
            0,
            2 * P,
            VMAR_RIGHTS,
            VMO_RIGHTS,
        )
        .unwrap();
    assert_eq!(f.aspace.write_memory(addr + P - 1, &[8, 9]), Ok(2));
    assert_eq!(vmo.committed_bytes(), 2 * P as u64);
    let mut buf = [0u8; 2];
    vmo.read(P as u64 - 1, &mut buf).unwrap();
    assert_eq!(buf, [8, 9]);
}

#[test]
fn write_memory_out_of_memory_writes_what_it_could() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let addr = f.map_rw(&f.root, &vmo);
    f.phys.set_limit(1);
    assert_eq!(f.aspace.write_memory(addr, &[1; 2 * P]), Ok(P));
    f.phys.set_limit(1);
    assert_eq!(f.aspace.write_memory(addr + P, &[1]), Err(Status::NoMemory));
}

#[test]
fn concurrent_faults_shrinks_and_unmaps_leave_no_entry_on_a_freed_frame() {
    let f = Fixture::new();
    let vmo = f.resizable_vmo(8);
    let options = RW | VmOptions::ALLOW_FAULTS | VmOptions::SPECIFIC;
    let map = |vmar: &Vmar| vmar.map(options, 0, &vmo, 0, 8 * P, VMAR_RIGHTS, VMO_RIGHTS);
    let addr = map(&f.root).unwrap();

    std::thread::scope(|s| {
        s.spawn(|| {
            for round in 0..2000 {
                let page = addr + (round % 8) * P;
                let _ = f.aspace.handle_page_fault(page, FaultAccess::Write);
            }
        });
        s.spawn(|| {
            for round in 0..500 {
                vmo.set_size(((round % 8) * P) as u64).unwrap();
            }
        });
        s.spawn(|| {
            for _ in 0..500 {
                let _ = f.root.unmap(addr, 8 * P);
                let _ = map(&f.root);
            }
        });
    });

    for (vaddr, (frame, _)) in f.pt.entries() {
        assert!(
            f.phys.is_live(frame),
            "entry at {vaddr:#x} shows freed frame {frame:#x}"
        );
    }
}
