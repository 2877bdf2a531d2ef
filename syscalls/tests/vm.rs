//! VMO and VMAR syscalls (spec §4).

mod common;

use common::{Harness, st};
use objects::vm::Vmo;
use objects::{Handle, Rights};
use syscalls::abi::*;

const PAGE: u64 = ZX_PAGE_SIZE as u64;

#[test]
fn a_new_vmo_is_rounded_up_and_reads_as_zeros() {
    let harness = Harness::new();
    let vmo = harness.vmo(5000);
    let size = harness.memory.alloc(8);
    harness.ok(numbers::vmo_get_size, &[vmo.into(), size]);
    assert_eq!(harness.memory.get_u64(size), 2 * PAGE);
    let buffer = harness.memory.alloc_with(&[0xaa; 100]);
    harness.ok(numbers::vmo_read, &[vmo.into(), buffer, 4000, 100]);
    assert_eq!(harness.memory.get(buffer, 100), vec![0; 100]);
    let info = harness.basic_info(vmo);
    assert_eq!(
        (info.r#type, info.rights),
        (ZX_OBJ_TYPE_VMO, ZX_DEFAULT_VMO_RIGHTS)
    );
}

#[test]
fn vmo_create_errors() {
    let harness = Harness::new();
    let out = harness.memory.alloc(4);
    let both = ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE;
    assert_eq!(
        harness.call(numbers::vmo_create, &[PAGE, 1, out]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::vmo_create, &[PAGE, both.into(), out]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::vmo_create, &[u64::MAX, 0, out]),
        st(ZX_ERR_OUT_OF_RANGE)
    );
    assert_eq!(
        harness.call(numbers::vmo_create, &[PAGE, 0, 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(harness.handle_count(), 0);
}

#[test]
fn data_round_trips_through_a_vmo_across_copy_chunks() {
    let harness = Harness::new();
    let len = 200_000;
    let vmo = harness.vmo(len as u64 + 100);
    let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
    let source = harness.memory.alloc_with(&data);
    harness.ok(numbers::vmo_write, &[vmo.into(), source, 50, len as u64]);
    let target = harness.memory.alloc(len);
    harness.ok(numbers::vmo_read, &[vmo.into(), target, 50, len as u64]);
    assert_eq!(harness.memory.get(target, len), data);
}

#[test]
fn vmo_read_and_write_errors() {
    let harness = Harness::new();
    let vmo = harness.vmo(PAGE);
    let event = harness.event();
    let no_write = harness.reduced(vmo, ZX_RIGHT_READ);
    let no_read = harness.reduced(vmo, ZX_RIGHT_WRITE);
    let buffer = harness.memory.alloc(16);
    let unmapped = harness.memory.unmapped();
    let cases = [
        (numbers::vmo_read, 0x1233, buffer, 0, 16, ZX_ERR_BAD_HANDLE),
        (numbers::vmo_read, event, buffer, 0, 16, ZX_ERR_WRONG_TYPE),
        (
            numbers::vmo_read,
            no_read,
            buffer,
            0,
            16,
            ZX_ERR_ACCESS_DENIED,
        ),
        (
            numbers::vmo_read,
            vmo,
            buffer,
            PAGE - 8,
            16,
            ZX_ERR_OUT_OF_RANGE,
        ),
        (
            numbers::vmo_read,
            vmo,
            buffer,
            u64::MAX,
            16,
            ZX_ERR_OUT_OF_RANGE,
        ),
        (numbers::vmo_read, vmo, unmapped, 0, 16, ZX_ERR_INVALID_ARGS),
        (
            numbers::vmo_write,
            no_write,
            buffer,
            0,
            16,
            ZX_ERR_ACCESS_DENIED,
        ),
        (
            numbers::vmo_write,
            vmo,
            buffer,
            PAGE,
            1,
            ZX_ERR_OUT_OF_RANGE,
        ),
        (
            numbers::vmo_write,
            vmo,
            unmapped,
            0,
            16,
            ZX_ERR_INVALID_ARGS,
        ),
    ];
    for (number, handle, buffer, offset, len, expected) in cases {
        let status = harness.call(number, &[handle.into(), buffer, offset, len]);
        assert_eq!(status, st(expected), "{number} {offset:#x}");
    }
    // A huge length sizes no allocation: it is out of range first.
    let huge = harness.call(numbers::vmo_read, &[vmo.into(), buffer, 0, u64::MAX]);
    assert_eq!(huge, st(ZX_ERR_OUT_OF_RANGE));
}

#[test]
fn set_size_resizes_only_resizable_vmos() {
    let harness = Harness::new();
    let fixed = harness.vmo(PAGE);
    assert_eq!(
        harness.call(numbers::vmo_set_size, &[fixed.into(), 2 * PAGE]),
        st(ZX_ERR_UNAVAILABLE)
    );
    let resizable = harness.create(numbers::vmo_create, &[PAGE, ZX_VMO_RESIZABLE.into()]);
    harness.ok(numbers::vmo_set_size, &[resizable.into(), 3 * PAGE + 1]);
    let size = harness.memory.alloc(8);
    harness.ok(numbers::vmo_get_size, &[resizable.into(), size]);
    assert_eq!(harness.memory.get_u64(size), 4 * PAGE);
    let read_only = harness.reduced(resizable, ZX_RIGHT_READ);
    assert_eq!(
        harness.call(numbers::vmo_set_size, &[read_only.into(), PAGE]),
        st(ZX_ERR_ACCESS_DENIED)
    );
    assert_eq!(
        harness.call(numbers::vmo_get_size, &[resizable.into(), 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
    let event = harness.event();
    assert_eq!(
        harness.call(numbers::vmo_get_size, &[event.into(), size]),
        st(ZX_ERR_WRONG_TYPE)
    );
}

#[test]
fn map_returns_an_address_inside_the_vmar() {
    let harness = Harness::new();
    let vmar = harness.root_vmar_handle();
    let vmo = harness.vmo(2 * PAGE);
    let (status, addr) = harness.map(vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 2 * PAGE);
    assert_eq!(status, 0);
    let root = harness.process.root_vmar();
    assert!(addr as usize >= root.base() && (addr as usize) < root.base() + root.size());
    assert_eq!(addr % PAGE, 0);
    harness.ok(numbers::vmar_unmap, &[vmar.into(), addr, 2 * PAGE]);
}

#[test]
fn a_map_whose_address_cannot_be_copied_out_is_undone() {
    let harness = Harness::new();
    let vmar = harness.root_vmar_handle();
    let vmo = harness.vmo(PAGE);
    let args = [
        vmar.into(),
        ZX_VM_PERM_READ.into(),
        0,
        vmo.into(),
        0,
        PAGE,
        0,
    ];
    assert_eq!(
        harness.call(numbers::vmar_map, &args),
        st(ZX_ERR_INVALID_ARGS)
    );
    let info: zx_info_vmo_t = harness.info(vmo, ZX_INFO_VMO);
    assert_eq!(info.num_mappings, 0);
    assert!(harness.process.address_space().mappings().is_empty());
}

#[test]
fn map_checks_both_handles_then_the_rights() {
    let harness = Harness::new();
    let vmar = harness.root_vmar_handle();
    let vmo = harness.vmo(PAGE);
    let event = harness.event();
    let vmo_read_only = harness.reduced(vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP);
    let vmo_unmappable = harness.reduced(vmo, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    let rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    let cases = [
        (0x1233, vmo, ZX_VM_PERM_READ, ZX_ERR_BAD_HANDLE),
        (event, vmo, ZX_VM_PERM_READ, ZX_ERR_WRONG_TYPE),
        (vmar, 0x1233, ZX_VM_PERM_READ, ZX_ERR_BAD_HANDLE),
        (vmar, event, ZX_VM_PERM_READ, ZX_ERR_WRONG_TYPE),
        (vmar, vmo_read_only, rw, ZX_ERR_ACCESS_DENIED),
        (vmar, vmo_unmappable, ZX_VM_PERM_READ, ZX_ERR_ACCESS_DENIED),
        (vmar, vmo, ZX_VM_PERM_WRITE, ZX_ERR_INVALID_ARGS),
        (vmar, vmo, 1 << 20, ZX_ERR_INVALID_ARGS),
    ];
    for (vmar, vmo, options, expected) in cases {
        assert_eq!(
            harness.map(vmar, options, 0, vmo, PAGE).0,
            st(expected),
            "{options:#x}"
        );
    }
    assert_eq!(
        harness.map(vmar, ZX_VM_PERM_READ, PAGE, vmo, PAGE).0,
        st(ZX_ERR_INVALID_ARGS),
        "offset without SPECIFIC"
    );
    assert_eq!(
        harness.map(vmar, ZX_VM_PERM_READ, 0, vmo, 2 * PAGE).0,
        st(ZX_ERR_BUFFER_TOO_SMALL)
    );
}

#[test]
fn writable_executable_mappings_follow_the_vmar_wx_policy() {
    let harness = Harness::with_policy(&[objects::task::BasicPolicy {
        condition: ZX_POL_VMAR_WX,
        action: ZX_POL_ACTION_DENY,
    }]);
    let vmar = harness.root_vmar_handle();
    let vmo = harness.vmo(PAGE);
    let wx = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE;
    assert_eq!(
        harness.map(vmar, wx, 0, vmo, PAGE).0,
        st(ZX_ERR_ACCESS_DENIED)
    );
    let (status, addr) = harness.map(vmar, ZX_VM_PERM_READ, 0, vmo, PAGE);
    assert_eq!(status, 0);
    let protect = [vmar.into(), wx.into(), addr, PAGE];
    assert_eq!(
        harness.call(numbers::vmar_protect, &protect),
        st(ZX_ERR_ACCESS_DENIED)
    );
}

#[test]
fn the_vmar_wx_policy_applies_after_the_handle_rights() {
    let harness = Harness::with_policy(&[objects::task::BasicPolicy {
        condition: ZX_POL_VMAR_WX,
        action: ZX_POL_ACTION_KILL,
    }]);
    let vmar = harness.root_vmar_handle();
    let vmo = harness.vmo(PAGE);
    let wx = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE;
    assert_eq!(
        harness.map(vmar, wx, 0, vmo, PAGE).0,
        st(ZX_ERR_ACCESS_DENIED),
        "the VMO handle has no EXECUTE right"
    );
    let (status, addr) = harness.map(vmar, ZX_VM_PERM_READ, 0, vmo, PAGE);
    assert_eq!(status, 0);
    let no_execute = harness.basic_info(vmar).rights & !ZX_RIGHT_EXECUTE;
    let no_execute = harness.reduced(vmar, no_execute);
    assert_eq!(
        harness.call(
            numbers::vmar_protect,
            &[no_execute.into(), wx.into(), addr, PAGE]
        ),
        st(ZX_ERR_ACCESS_DENIED),
        "the VMAR handle has no EXECUTE right"
    );
    assert!(!harness.thread.is_dying(), "refused on rights, not killed");

    let all = ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE;
    let executable = harness.insert(Handle::new(
        harness.object::<Vmo>(vmo),
        Rights::from_bits_retain(all),
    ));
    assert_eq!(
        harness.map(vmar, wx, 0, executable, PAGE).0,
        st(ZX_ERR_ACCESS_DENIED)
    );
    assert!(
        harness.thread.is_dying(),
        "rights granted: the policy kills"
    );
    assert_eq!(
        harness.process.info().return_code,
        ZX_TASK_RETCODE_POLICY_KILL
    );
}

#[test]
fn a_wx_protect_the_rights_allow_is_killed_by_a_kill_policy() {
    let harness = Harness::with_policy(&[objects::task::BasicPolicy {
        condition: ZX_POL_VMAR_WX,
        action: ZX_POL_ACTION_KILL,
    }]);
    let vmar = harness.root_vmar_handle();
    let vmo = harness.vmo(PAGE);
    let (_, addr) = harness.map(vmar, ZX_VM_PERM_READ, 0, vmo, PAGE);
    let wx = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE;
    assert_eq!(
        harness.call(numbers::vmar_protect, &[vmar.into(), wx.into(), addr, PAGE]),
        st(ZX_ERR_ACCESS_DENIED)
    );
    assert!(harness.thread.is_dying());
}

#[test]
fn protect_and_unmap_through_the_syscalls() {
    let harness = Harness::new();
    let vmar = harness.root_vmar_handle();
    let vmo = harness.vmo(2 * PAGE);
    let (_, addr) = harness.map(vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 2 * PAGE);
    harness.ok(
        numbers::vmar_protect,
        &[vmar.into(), ZX_VM_PERM_READ.into(), addr, PAGE],
    );
    let maps = harness.process.address_space().mappings();
    assert_eq!(maps.len(), 2, "the protect split the mapping");

    let unaligned = [vmar.into(), addr + 1, PAGE];
    assert_eq!(
        harness.call(numbers::vmar_unmap, &unaligned),
        st(ZX_ERR_INVALID_ARGS)
    );
    harness.ok(numbers::vmar_unmap, &[vmar.into(), addr, 2 * PAGE]);
    assert_eq!(
        harness.call(numbers::vmar_unmap, &[vmar.into(), addr, 2 * PAGE]),
        st(ZX_ERR_NOT_FOUND)
    );
    let protect = [vmar.into(), ZX_VM_PERM_READ.into(), addr, PAGE];
    assert_eq!(
        harness.call(numbers::vmar_protect, &protect),
        st(ZX_ERR_NOT_FOUND)
    );
    let event = harness.event();
    assert_eq!(
        harness.call(numbers::vmar_unmap, &[event.into(), addr, PAGE]),
        st(ZX_ERR_WRONG_TYPE)
    );
    assert_eq!(
        harness.call(numbers::vmar_protect, &[0x1233, 1, addr, PAGE]),
        st(ZX_ERR_BAD_HANDLE)
    );
}

/// Allocates a child of `parent`; the status, the handle and the address.
fn allocate(
    harness: &Harness,
    parent: zx_handle_t,
    options: u32,
    offset: u64,
    size: u64,
) -> (i64, zx_handle_t, u64) {
    let out = harness.memory.alloc(16);
    let args = [parent.into(), options.into(), offset, size, out, out + 8];
    let status = harness.call(numbers::vmar_allocate, &args);
    (
        status,
        harness.memory.get_u32(out),
        harness.memory.get_u64(out + 8),
    )
}

#[test]
fn allocate_gives_a_child_vmar_with_its_rights() {
    let harness = Harness::new();
    let root = harness.root_vmar_handle();
    let options = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_SPECIFIC;
    let (status, child, addr) = allocate(&harness, root, options, 0, 16 * PAGE);
    assert_eq!(status, 0);
    let info: zx_info_vmar_t = harness.info(child, ZX_INFO_VMAR);
    assert_eq!((info.base as u64, info.len as u64), (addr, 16 * PAGE));
    assert_eq!(
        harness.basic_info(child).rights,
        ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ
    );

    let vmo = harness.vmo(PAGE);
    let specific = ZX_VM_PERM_READ | ZX_VM_SPECIFIC;
    let (status, mapped) = harness.map(child, specific, 4 * PAGE, vmo, PAGE);
    assert_eq!((status, mapped), (0, addr + 4 * PAGE));
    assert_eq!(
        harness
            .map(child, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, PAGE)
            .0,
        st(ZX_ERR_ACCESS_DENIED)
    );
}

#[test]
fn an_allocation_whose_outputs_cannot_be_copied_is_destroyed() {
    let harness = Harness::new();
    let root = harness.root_vmar_handle();
    let unmapped = harness.memory.unmapped();
    let out = harness.memory.alloc(16);
    let base = harness.process.root_vmar().base() as u64;
    let specific = ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_READ;
    for (vmar_out, addr_out) in [(unmapped, out + 8), (out, unmapped)] {
        let args = [
            root.into(),
            specific.into(),
            0,
            4 * PAGE,
            vmar_out,
            addr_out,
        ];
        assert_eq!(
            harness.call(numbers::vmar_allocate, &args),
            st(ZX_ERR_INVALID_ARGS)
        );
    }
    assert_eq!(harness.handle_count(), 1, "only the root VMAR handle");
    let (status, _, addr) = allocate(&harness, root, specific, 0, 4 * PAGE);
    assert_eq!((status, addr), (0, base), "the range was free again");
}

#[test]
fn allocate_errors() {
    let harness = Harness::new();
    let root = harness.root_vmar_handle();
    let event = harness.event();
    let no_read = harness.reduced(root, ZX_RIGHT_INSPECT);
    assert_eq!(
        allocate(&harness, 0x1233, 0, 0, PAGE).0,
        st(ZX_ERR_BAD_HANDLE)
    );
    assert_eq!(
        allocate(&harness, event, 0, 0, PAGE).0,
        st(ZX_ERR_WRONG_TYPE)
    );
    assert_eq!(
        allocate(&harness, no_read, ZX_VM_CAN_MAP_READ, 0, PAGE).0,
        st(ZX_ERR_ACCESS_DENIED)
    );
    assert_eq!(allocate(&harness, root, 0, 0, 0).0, st(ZX_ERR_INVALID_ARGS));
    assert_eq!(
        allocate(&harness, root, 0, 0, PAGE + 1).0,
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        allocate(&harness, root, 0, PAGE, PAGE).0,
        st(ZX_ERR_INVALID_ARGS)
    );
}

#[test]
fn a_destroyed_vmar_is_bad_state() {
    let harness = Harness::new();
    let root = harness.root_vmar_handle();
    let (_, child, _) = allocate(&harness, root, ZX_VM_CAN_MAP_READ, 0, 4 * PAGE);
    harness.ok(numbers::vmar_destroy, &[child.into()]);
    assert_eq!(
        harness.call(numbers::vmar_destroy, &[child.into()]),
        st(ZX_ERR_BAD_STATE)
    );
    let vmo = harness.vmo(PAGE);
    assert_eq!(
        harness.map(child, ZX_VM_PERM_READ, 0, vmo, PAGE).0,
        st(ZX_ERR_BAD_STATE)
    );
    let event = harness.event();
    assert_eq!(
        harness.call(numbers::vmar_destroy, &[event.into()]),
        st(ZX_ERR_WRONG_TYPE)
    );
}

#[test]
fn map_errors_of_the_vmo_and_the_range() {
    let harness = Harness::new();
    let vmar = harness.root_vmar_handle();
    let resizable = harness.create(numbers::vmo_create, &[PAGE, ZX_VMO_RESIZABLE.into()]);
    assert_eq!(
        harness.map(vmar, ZX_VM_PERM_READ, 0, resizable, PAGE).0,
        st(ZX_ERR_NOT_SUPPORTED)
    );

    let vmo = harness.vmo(PAGE);
    let specific = ZX_VM_PERM_READ | ZX_VM_SPECIFIC;
    assert_eq!(harness.map(vmar, specific, 16 * PAGE, vmo, PAGE).0, 0);
    assert_eq!(
        harness.map(vmar, specific, 16 * PAGE, vmo, PAGE).0,
        st(ZX_ERR_NO_MEMORY),
        "taken"
    );
    assert_eq!(
        harness.map(vmar, ZX_VM_PERM_READ, 0, vmo, 0).0,
        st(ZX_ERR_INVALID_ARGS),
        "len 0"
    );
    let range_and_overwrite = ZX_VM_PERM_READ | ZX_VM_MAP_RANGE | ZX_VM_SPECIFIC_OVERWRITE;
    assert_eq!(
        harness
            .map(vmar, range_and_overwrite, 16 * PAGE, vmo, PAGE)
            .0,
        st(ZX_ERR_INVALID_ARGS)
    );
}

#[test]
fn protect_and_unmap_refuse_bad_ranges() {
    let harness = Harness::new();
    let vmar = harness.root_vmar_handle();
    let vmo = harness.vmo(PAGE);
    let (_, addr) = harness.map(vmar, ZX_VM_PERM_READ, 0, vmo, PAGE);
    let protect =
        |addr: u64, len: u64| harness.call(numbers::vmar_protect, &[vmar.into(), 1, addr, len]);
    assert_eq!(protect(addr, 0), st(ZX_ERR_INVALID_ARGS));
    assert_eq!(protect(addr + 1, PAGE), st(ZX_ERR_INVALID_ARGS));
    let write_only = [vmar.into(), ZX_VM_PERM_WRITE.into(), addr, PAGE];
    assert_eq!(
        harness.call(numbers::vmar_protect, &write_only),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::vmar_unmap, &[vmar.into(), addr, 0]),
        st(ZX_ERR_INVALID_ARGS)
    );
    let read_only = harness.reduced(vmar, ZX_RIGHT_READ);
    let rw = [
        read_only.into(),
        (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE).into(),
        addr,
        PAGE,
    ];
    assert_eq!(
        harness.call(numbers::vmar_protect, &rw),
        st(ZX_ERR_ACCESS_DENIED)
    );
}
