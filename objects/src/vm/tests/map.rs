//! `zx_vmar_map` (spec section 4.2).

use super::*;
use crate::abi::Status;

/// Every `PERM_x`, with the `CAN_MAP_x` and the right that grant it.
const PERMS: [(VmOptions, VmOptions, Rights); 3] = [
    (VmOptions::PERM_READ, VmOptions::CAN_MAP_READ, Rights::READ),
    (
        VmOptions::PERM_WRITE,
        VmOptions::CAN_MAP_WRITE,
        Rights::WRITE,
    ),
    (
        VmOptions::PERM_EXECUTE,
        VmOptions::CAN_MAP_EXECUTE,
        Rights::EXECUTE,
    ),
];

/// `perm` plus `PERM_READ`, which writable and executable mappings need.
fn readable(perm: VmOptions) -> VmOptions {
    perm | VmOptions::PERM_READ
}

#[test]
fn returned_address_is_page_aligned_non_zero_and_inside_the_vmar() {
    let f = Fixture::new();
    let vmo = f.vmo(3);
    let addr = f.map_rw(&f.root, &vmo);
    assert_ne!(addr, 0);
    assert_eq!(addr % P, 0);
    assert!(addr >= USER_ASPACE_BASE && addr + 3 * P <= USER_ASPACE_END);
    let info = f.aspace.mappings();
    assert_eq!(info.len(), 1);
    assert_eq!(
        (info[0].base, info[0].size, info[0].vmo_koid),
        (addr, 3 * P, vmo.koid())
    );
}

#[test]
fn mapping_is_lazy_until_a_fault() {
    let f = Fixture::new();
    let vmo = f.vmo(4);
    f.map_rw(&f.root, &vmo);
    assert!(f.pt.entries().is_empty());
    assert_eq!(f.phys.allocated(), 0);
}

#[test]
fn map_range_prefaults_every_page() {
    let f = Fixture::new();
    let vmo = f.vmo(3);
    let options = RW | VmOptions::MAP_RANGE;
    let addr = f
        .root
        .map(options, 0, &vmo, 0, 3 * P, VMAR_RIGHTS, VMO_RIGHTS)
        .unwrap();
    let entries = f.pt.entries();
    assert_eq!(entries.len(), 3);
    for page in 0..3 {
        let (frame, flags) = entries[&(addr + page * P)];
        assert_eq!(Some(frame), vmo.committed_frame((page * P) as u64));
        assert_eq!(flags, MmuFlags::READ | MmuFlags::WRITE | MmuFlags::USER);
    }
}

#[test]
fn map_range_without_memory_is_no_memory_and_leaves_no_mapping() {
    let f = Fixture::new();
    let vmo = f.vmo(3);
    f.phys.set_limit(2);
    let options = RW | VmOptions::MAP_RANGE;
    let result = f
        .root
        .map(options, 0, &vmo, 0, 3 * P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::NoMemory));
    assert!(f.aspace.mappings().is_empty());
    assert!(f.pt.entries().is_empty());
}

#[test]
fn map_range_with_specific_overwrite_is_invalid_args() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let options = RW | VmOptions::MAP_RANGE | VmOptions::SPECIFIC_OVERWRITE;
    assert_eq!(
        f.map_at(&f.root, 0, &vmo, 1, options),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn mapping_keeps_the_vmo_alive() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    vmo.write(0, b"kept").unwrap();
    let addr = f.map_rw(&f.root, &vmo);
    drop(vmo);

    let mut buf = [0u8; 4];
    assert_eq!(f.aspace.read_memory(addr, &mut buf), Ok(4));
    assert_eq!(&buf, b"kept");
}

#[test]
fn specific_maps_at_the_offset() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    assert_eq!(
        f.map_at(&f.root, 16 * P, &vmo, 2, RW),
        Ok(USER_ASPACE_BASE + 16 * P)
    );
}

#[test]
fn specific_without_can_map_specific_is_access_denied() {
    let f = Fixture::new();
    let vmar = f
        .root
        .allocate(VmOptions::CAN_MAP_RWX, 0, 16 * P, VMAR_RIGHTS)
        .unwrap();
    let vmo = f.vmo(1);
    assert_eq!(f.map_at(&vmar, 0, &vmo, 1, RW), Err(Status::AccessDenied));
    let overwrite = RW | VmOptions::SPECIFIC_OVERWRITE;
    let result = vmar.map(overwrite, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::AccessDenied));
}

#[test]
fn specific_over_a_mapping_is_no_memory() {
    let f = Fixture::new();
    let vmo = f.vmo(4);
    f.map_at(&f.root, 8 * P, &vmo, 4, RW).unwrap();
    assert_eq!(
        f.map_at(&f.root, 10 * P, &vmo, 4, RW),
        Err(Status::NoMemory)
    );
    assert_eq!(f.map_at(&f.root, 6 * P, &vmo, 3, RW), Err(Status::NoMemory));
    assert_eq!(f.aspace.mappings().len(), 1);
}

#[test]
fn specific_over_a_child_vmar_is_no_memory() {
    let f = Fixture::new();
    let child = f
        .root
        .allocate(VmOptions::SPECIFIC, 8 * P, 4 * P, VMAR_RIGHTS)
        .unwrap();
    let vmo = f.vmo(1);
    assert_eq!(f.map_at(&f.root, 9 * P, &vmo, 1, RW), Err(Status::NoMemory));
    assert!(!child.is_destroyed());
}

#[test]
fn specific_overwrite_replaces_the_mappings_it_covers() {
    let f = Fixture::new();
    let old = f.vmo(4);
    let new = f.vmo(2);
    let base = f
        .map_at(&f.root, 0, &old, 4, RW | VmOptions::MAP_RANGE)
        .unwrap();
    old.write(0, &[1; 4 * P]).unwrap();

    let overwrite = RW | VmOptions::SPECIFIC_OVERWRITE;
    let addr = f
        .root
        .map(overwrite, P, &new, 0, 2 * P, VMAR_RIGHTS, VMO_RIGHTS)
        .unwrap();
    assert_eq!(addr, base + P);

    let spans: Vec<_> = f
        .aspace
        .mappings()
        .iter()
        .map(|m| (m.base, m.size, m.vmo_koid))
        .collect();
    let expected = [
        (base, P, old.koid()),
        (base + P, 2 * P, new.koid()),
        (base + 3 * P, P, old.koid()),
    ];
    assert_eq!(spans, expected);
    assert!(f.pt.entry(base + P).is_none() && f.pt.entry(base + 2 * P).is_none());
    assert!(f.pt.entry(base).is_some() && f.pt.entry(base + 3 * P).is_some());

    let mut byte = [9u8];
    f.aspace.read_memory(base + P, &mut byte).unwrap();
    assert_eq!(byte, [0], "the new VMO shows through");
}

#[test]
fn specific_overwrite_over_a_child_vmar_is_invalid_args() {
    let f = Fixture::new();
    let child = f
        .root
        .allocate(VmOptions::SPECIFIC, 8 * P, 2 * P, VMAR_RIGHTS)
        .unwrap();
    let vmo = f.vmo(4);
    let overwrite = RW | VmOptions::SPECIFIC_OVERWRITE;
    let partial = f
        .root
        .map(overwrite, 9 * P, &vmo, 0, 2 * P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(partial, Err(Status::InvalidArgs));
    let whole = f
        .root
        .map(overwrite, 7 * P, &vmo, 0, 4 * P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(whole, Err(Status::InvalidArgs));
    assert!(!child.is_destroyed());
}

#[test]
fn perm_without_the_vmar_can_map_is_access_denied() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    for (perm, can_map, _) in PERMS {
        let others = VmOptions::CAN_MAP_RWX.difference(can_map);
        let vmar = f.root.allocate(others, 0, 4 * P, VMAR_RIGHTS).unwrap();
        let result = vmar.map(readable(perm), 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
        assert_eq!(result, Err(Status::AccessDenied), "{perm:?}");
    }
}

#[test]
fn perm_without_the_vmar_handle_right_is_access_denied() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    for (perm, _, right) in PERMS {
        let result = f.root.map(
            readable(perm),
            0,
            &vmo,
            0,
            P,
            VMAR_RIGHTS - right,
            VMO_RIGHTS,
        );
        assert_eq!(result, Err(Status::AccessDenied), "{perm:?}");
    }
}

#[test]
fn perm_without_the_vmo_handle_right_is_access_denied() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    for (perm, _, right) in PERMS {
        let result = f.root.map(
            readable(perm),
            0,
            &vmo,
            0,
            P,
            VMAR_RIGHTS,
            VMO_RIGHTS - right,
        );
        assert_eq!(result, Err(Status::AccessDenied), "{perm:?}");
    }
}

#[test]
fn vmo_handle_without_map_right_is_access_denied() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let result = f.root.map(
        VmOptions::PERM_READ,
        0,
        &vmo,
        0,
        P,
        VMAR_RIGHTS,
        VMO_RIGHTS - Rights::MAP,
    );
    assert_eq!(result, Err(Status::AccessDenied));
}

#[test]
fn write_or_execute_without_read_is_invalid_args() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    for perm in [VmOptions::PERM_WRITE, VmOptions::PERM_EXECUTE] {
        let result = f.root.map(perm, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
        assert_eq!(result, Err(Status::InvalidArgs), "{perm:?}");
    }
}

#[test]
fn unsupported_options_are_invalid_args() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let unsupported = [
        VmOptions::COMPACT,
        VmOptions::CAN_MAP_READ,
        VmOptions::CAN_MAP_SPECIFIC,
        VmOptions::from_bits_retain(1 << 20),
    ];
    for option in unsupported {
        let result = f
            .root
            .map(RW | option, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
        assert_eq!(result, Err(Status::InvalidArgs), "{option:?}");
    }
}

#[test]
fn resizable_vmo_without_allow_faults_is_not_supported() {
    let f = Fixture::new();
    let vmo = f.resizable_vmo(2);
    let result = f.root.map(RW, 0, &vmo, 0, 2 * P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::NotSupported));
    let options = RW | VmOptions::ALLOW_FAULTS;
    assert!(
        f.root
            .map(options, 0, &vmo, 0, 2 * P, VMAR_RIGHTS, VMO_RIGHTS)
            .is_ok()
    );
}

#[test]
fn require_non_resizable_refuses_a_resizable_vmo() {
    let f = Fixture::new();
    let options = RW | VmOptions::ALLOW_FAULTS | VmOptions::REQUIRE_NON_RESIZABLE;
    let resizable = f.resizable_vmo(1);
    let result = f
        .root
        .map(options, 0, &resizable, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::NotSupported));
    let fixed = f.vmo(1);
    assert!(
        f.root
            .map(options, 0, &fixed, 0, P, VMAR_RIGHTS, VMO_RIGHTS)
            .is_ok()
    );
}

#[test]
fn past_the_vmo_end_without_allow_faults_is_buffer_too_small() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let result = f
        .root
        .map(RW, 0, &vmo, P as u64, 2 * P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::BufferTooSmall));
    let options = RW | VmOptions::ALLOW_FAULTS;
    assert!(
        f.root
            .map(options, 0, &vmo, P as u64, 2 * P, VMAR_RIGHTS, VMO_RIGHTS)
            .is_ok()
    );
}

#[test]
fn vmo_offset_plus_len_overflowing_is_out_of_range() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    let offset = VMO_MAX_SIZE;
    let result = f.root.map(RW, 0, &vmo, offset, P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::OutOfRange));
    let result = f
        .root
        .map(RW, 0, &vmo, 0, usize::MAX, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::OutOfRange));
}

#[test]
fn len_is_rounded_up_to_whole_pages() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let addr = f
        .root
        .map(RW, 0, &vmo, 0, P + 1, VMAR_RIGHTS, VMO_RIGHTS)
        .unwrap();
    assert_eq!(f.aspace.mappings()[0].size, 2 * P);
    assert!(f.is_mapped(addr + 2 * P - 1));
}

#[test]
fn zero_len_is_invalid_args() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    assert_eq!(
        f.root.map(RW, 0, &vmo, 0, 0, VMAR_RIGHTS, VMO_RIGHTS),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn unaligned_offsets_are_invalid_args() {
    let f = Fixture::new();
    let vmo = f.vmo(2);
    let result = f.root.map(RW, 0, &vmo, 1, P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::InvalidArgs));
    let specific = RW | VmOptions::SPECIFIC;
    let result = f
        .root
        .map(specific, P + 8, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::InvalidArgs));
}

#[test]
fn non_zero_vmar_offset_without_specific_is_invalid_args() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    assert_eq!(
        f.root.map(RW, P, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn range_outside_the_vmar_is_invalid_args() {
    let f = Fixture::new();
    let vmar = f.child(4);
    let vmo = f.vmo(8);
    assert_eq!(
        f.map_at(&vmar, 3 * P, &vmo, 2, RW),
        Err(Status::InvalidArgs)
    );
    assert_eq!(
        f.map_at(&vmar, 4 * P, &vmo, 1, RW),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn longer_than_the_vmar_without_specific_is_no_memory() {
    let f = Fixture::new();
    let vmar = f.child(4);
    let vmo = f.vmo(8);
    let result = vmar.map(RW, 0, &vmo, 0, 5 * P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::NoMemory));
}

#[test]
fn no_room_is_no_memory() {
    let f = Fixture::new();
    let vmar = f.child(4);
    let vmo = f.vmo(3);
    f.map_rw(&vmar, &vmo);
    let result = vmar.map(RW, 0, &vmo, 0, 2 * P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::NoMemory));
}

#[test]
fn map_in_a_destroyed_vmar_is_bad_state() {
    let f = Fixture::new();
    let vmar = f.child(4);
    vmar.destroy().unwrap();
    let vmo = f.vmo(1);
    assert_eq!(
        vmar.map(RW, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS),
        Err(Status::BadState)
    );
}

#[test]
fn alignment_option_aligns_the_address() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    for _ in 0..8 {
        let options = RW | VmOptions::ALIGN_2MB;
        let addr = f
            .root
            .map(options, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS)
            .unwrap();
        assert_eq!(addr % (2 << 20), 0, "{addr:#x}");
    }
}

#[test]
fn bad_alignment_is_invalid_args() {
    let f = Fixture::new();
    let vmo = f.vmo(1);
    for log2 in [1, 9, 33, 255] {
        let options = RW | VmOptions::align_log2(log2);
        let result = f.root.map(options, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
        assert_eq!(result, Err(Status::InvalidArgs), "log2 {log2}");
    }
    let misaligned = RW | VmOptions::SPECIFIC | VmOptions::ALIGN_64KB;
    let result = f
        .root
        .map(misaligned, P, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(result, Err(Status::InvalidArgs));
}

#[test]
fn offset_is_upper_limit_keeps_the_mapping_below_it() {
    let f = Fixture::new();
    let vmar = f.child(16);
    let vmo = f.vmo(1);
    let options = RW | VmOptions::OFFSET_IS_UPPER_LIMIT;
    for _ in 0..4 {
        let addr = vmar
            .map(options, 4 * P, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS)
            .unwrap();
        assert!(addr + P <= vmar.base() + 4 * P);
    }
    let full = vmar.map(options, 4 * P, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(full, Err(Status::NoMemory));
    let beyond = vmar.map(options, 17 * P, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS);
    assert_eq!(beyond, Err(Status::InvalidArgs));
}

#[test]
fn placement_is_random_by_default_and_repeatable_per_seed() {
    let place = |seed| {
        let aspace = AddressSpace::new(
            FakePageTable::new(),
            USER_ASPACE_BASE..USER_ASPACE_END,
            seed,
        )
        .unwrap();
        let vmo = Vmo::create(FakePhysicalMemory::new(), P as u64, VmoOptions::empty()).unwrap();
        let root = aspace.root_vmar();
        let addrs: Vec<usize> = (0..4)
            .map(|_| {
                root.map(RW, 0, &vmo, 0, P, VMAR_RIGHTS, VMO_RIGHTS)
                    .unwrap()
            })
            .collect();
        addrs
    };
    let first = place(1);
    assert_eq!(first, place(1));
    assert_ne!(first, place(2));
    let adjacent = first
        .windows(2)
        .filter(|w| w[0].abs_diff(w[1]) == P)
        .count();
    assert!(adjacent < 3, "random placement packed {first:x?}");
}

#[test]
fn compact_vmar_packs_its_mappings() {
    let f = Fixture::new();
    let options = VmOptions::CAN_MAP_RWX | VmOptions::COMPACT;
    let vmar = f.root.allocate(options, 0, 64 * P, VMAR_RIGHTS).unwrap();
    let vmo = f.vmo(2);
    let addrs: Vec<usize> = (0..4).map(|_| f.map_rw(&vmar, &vmo)).collect();
    let expected: Vec<usize> = (0..4).map(|i| vmar.base() + i * 2 * P).collect();
    assert_eq!(addrs, expected);
}
