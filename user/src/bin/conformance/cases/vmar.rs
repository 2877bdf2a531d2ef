//! VMARs (spec §4.1-§4.5): map, protect, unmap, allocate, destroy, and their errors.
//!
//! Every case works inside a child VMAR of its own (see [`region`]), so nothing it maps,
//! protects or unmaps can touch the memory the program runs on.

use crate::harness::{Case, Context, Fail, Outcome, case, ensure, ensure_eq, ensure_err, long};
use alloc::sync::Arc;
use user::abi::*;
use user::sys::probe;
use user::vm::PAGE_SIZE;
use user::{
    AsHandleRef, Event, HandleBased, Rights, Signals, Task, Time, VmOptions, Vmar, Vmo, rt,
};

pub const CASES: &[Case] = &[
    case("vmar_map_shows_the_vmo_contents", map_reads),
    case("vmar_map_writes_reach_the_vmo", map_writes),
    case("vmar_mapping_outlives_the_vmo_handle", outlives_vmo_handle),
    case(
        "vmar_map_specific_over_a_mapping_is_no_memory",
        specific_overlap,
    ),
    case(
        "vmar_map_specific_overwrite_replaces_the_mapping",
        specific_overwrite,
    ),
    case(
        "vmar_map_with_an_offset_but_not_specific_is_invalid_args",
        offset_not_specific,
    ),
    case(
        "vmar_map_past_the_end_of_the_vmar_is_invalid_args",
        past_vmar,
    ),
    case(
        "vmar_map_at_an_unaligned_offset_is_invalid_args",
        unaligned_offset,
    ),
    case(
        "vmar_map_writable_without_vmo_write_right_is_access_denied",
        no_write_right,
    ),
    case(
        "vmar_map_executable_without_vmo_execute_right_is_access_denied",
        no_execute_right,
    ),
    case(
        "vmar_map_beyond_the_vmar_permissions_is_access_denied",
        beyond_can_map,
    ),
    case(
        "vmar_map_past_the_end_of_the_vmo_is_buffer_too_small",
        past_vmo,
    ),
    case(
        "vmar_map_with_an_overflowing_vmo_offset_is_out_of_range",
        offset_overflow,
    ),
    case("vmar_unmap_frees_the_range", unmap_frees),
    case("vmar_unmap_of_the_middle_splits_the_mapping", unmap_splits),
    case(
        "vmar_unmap_at_an_unaligned_address_is_invalid_args",
        unmap_unaligned,
    ),
    case("vmar_unmap_of_zero_bytes_is_invalid_args", unmap_zero),
    case("vmar_protect_read_only_makes_writes_fault", protect_faults),
    case(
        "vmar_protect_write_without_read_is_invalid_args",
        protect_write_only,
    ),
    case(
        "vmar_protect_of_an_unmapped_range_is_not_found",
        protect_unmapped,
    ),
    case("vmar_protect_of_zero_bytes_is_invalid_args", protect_zero),
    case(
        "vmar_protect_beyond_the_vmar_permissions_is_access_denied",
        protect_beyond,
    ),
    case(
        "vmar_allocate_returns_a_region_inside_its_parent",
        allocate_inside,
    ),
    case(
        "vmar_allocate_with_an_offset_but_not_specific_is_invalid_args",
        allocate_offset,
    ),
    case("vmar_allocate_of_zero_bytes_is_invalid_args", allocate_zero),
    case(
        "vmar_allocate_larger_than_the_parent_is_no_memory",
        allocate_too_big,
    ),
    case(
        "vmar_allocate_with_more_permissions_than_the_parent_is_access_denied",
        allocate_more,
    ),
    case("vmar_destroy_refuses_later_maps_with_bad_state", destroy),
    case(
        "vmar_region_stays_allocated_when_its_handle_closes",
        region_outlives_handle,
    ),
];

/// Pages in the region each case works in.
const REGION_PAGES: usize = 16;

/// A child VMAR of the root VMAR that can map anything anywhere inside it.
fn region() -> Result<(Vmar, usize), Fail> {
    let options = VmOptions::CAN_MAP_RWX | VmOptions::CAN_MAP_SPECIFIC;
    Ok(rt::root_vmar().allocate(options, 0, REGION_PAGES * PAGE_SIZE)?)
}

/// A VMO of `pages` pages whose first bytes are `bytes`.
fn vmo_with(pages: usize, bytes: &[u8]) -> Result<Vmo, Fail> {
    let vmo = Vmo::create((pages * PAGE_SIZE) as u64)?;
    vmo.write(bytes, 0)?;
    Ok(vmo)
}

fn map_reads(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let address = region.map(VmOptions::PERM_READ, 0, &vmo_with(1, b"abc")?, 0, PAGE_SIZE)?;
    ensure_eq!(
        [probe::read_byte(address), probe::read_byte(address + 2)],
        [b'a', b'c']
    );
    Ok(())
}

fn map_writes(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let vmo = vmo_with(1, b"")?;
    let address = region.map(VmOptions::PERM_RW, 0, &vmo, 0, PAGE_SIZE)?;
    probe::write_byte(address + 100, b'z');
    let mut byte = [0u8];
    vmo.read(&mut byte, 100)?;
    ensure_eq!(byte[0], b'z');
    Ok(())
}

fn outlives_vmo_handle(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let address = region.map(
        VmOptions::PERM_READ,
        0,
        &vmo_with(1, b"kept")?,
        0,
        PAGE_SIZE,
    )?;
    ensure_eq!(probe::read_byte(address + 3), b't');
    Ok(())
}

fn specific_overlap(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let vmo = vmo_with(2, b"")?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(options, PAGE_SIZE, &vmo, 0, 2 * PAGE_SIZE)?;
    ensure_err!(
        region.map(options, 2 * PAGE_SIZE, &vmo, 0, PAGE_SIZE),
        NoMemory
    );
    Ok(())
}

fn specific_overwrite(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(options, 0, &vmo_with(1, b"A")?, 0, PAGE_SIZE)?;
    let options = VmOptions::SPECIFIC_OVERWRITE | VmOptions::PERM_READ;
    region.map(options, 0, &vmo_with(1, b"B")?, 0, PAGE_SIZE)?;
    ensure_eq!(probe::read_byte(base), b'B');
    Ok(())
}

fn offset_not_specific(_: &Context) -> Outcome {
    let (region, _) = region()?;
    ensure_err!(
        region.map(
            VmOptions::PERM_READ,
            PAGE_SIZE,
            &vmo_with(1, b"")?,
            0,
            PAGE_SIZE
        ),
        InvalidArgs
    );
    Ok(())
}

fn past_vmar(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let vmo = vmo_with(2, b"")?;
    let offset = (REGION_PAGES - 1) * PAGE_SIZE;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    ensure_err!(
        region.map(options, offset, &vmo, 0, 2 * PAGE_SIZE),
        InvalidArgs
    );
    Ok(())
}

fn unaligned_offset(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    ensure_err!(
        region.map(options, 100, &vmo_with(1, b"")?, 0, PAGE_SIZE),
        InvalidArgs
    );
    Ok(())
}

fn no_write_right(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let vmo = vmo_with(1, b"")?;
    let read_only = vmo.duplicate(vmo.basic_info()?.rights - Rights::WRITE)?;
    ensure_err!(
        region.map(VmOptions::PERM_RW, 0, &read_only, 0, PAGE_SIZE),
        AccessDenied
    );
    Ok(())
}

fn no_execute_right(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let options = VmOptions::PERM_READ | VmOptions::PERM_EXECUTE;
    ensure_err!(
        region.map(options, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE),
        AccessDenied
    );
    Ok(())
}

fn beyond_can_map(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let (read_only, _) = region.allocate(VmOptions::CAN_MAP_READ, 0, 4 * PAGE_SIZE)?;
    ensure_err!(
        read_only.map(VmOptions::PERM_RW, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE),
        AccessDenied
    );
    Ok(())
}

fn past_vmo(_: &Context) -> Outcome {
    let (region, _) = region()?;
    ensure_err!(
        region.map(
            VmOptions::PERM_READ,
            0,
            &vmo_with(1, b"")?,
            0,
            2 * PAGE_SIZE
        ),
        BufferTooSmall
    );
    Ok(())
}

fn offset_overflow(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let offset = u64::MAX - (PAGE_SIZE as u64 - 1);
    ensure_err!(
        region.map(
            VmOptions::PERM_READ,
            0,
            &vmo_with(1, b"")?,
            offset,
            2 * PAGE_SIZE
        ),
        OutOfRange
    );
    Ok(())
}

fn unmap_frees(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let vmo = vmo_with(1, b"")?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(options, 0, &vmo, 0, PAGE_SIZE)?;
    region.unmap(base, PAGE_SIZE)?;
    ensure_err!(
        region.protect(VmOptions::PERM_READ, base, PAGE_SIZE),
        NotFound
    );
    region.map(options, 0, &vmo, 0, PAGE_SIZE)?;
    Ok(())
}

fn unmap_splits(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(options, 0, &vmo_with(3, b"")?, 0, 3 * PAGE_SIZE)?;
    region.unmap(base + PAGE_SIZE, PAGE_SIZE)?;
    region.protect(VmOptions::PERM_READ, base, PAGE_SIZE)?;
    ensure_err!(
        region.protect(VmOptions::PERM_READ, base + PAGE_SIZE, PAGE_SIZE),
        NotFound
    );
    region.protect(VmOptions::PERM_READ, base + 2 * PAGE_SIZE, PAGE_SIZE)?;
    Ok(())
}

fn unmap_unaligned(_: &Context) -> Outcome {
    let (region, base) = region()?;
    region.map(VmOptions::PERM_READ, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE)?;
    ensure_err!(region.unmap(base + 1, PAGE_SIZE), InvalidArgs);
    Ok(())
}

fn unmap_zero(_: &Context) -> Outcome {
    let (region, base) = region()?;
    ensure_err!(region.unmap(base, 0), InvalidArgs);
    Ok(())
}

fn protect_faults(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let address = region.map(VmOptions::PERM_RW, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE)?;
    probe::write_byte(address, 1);
    region.protect(VmOptions::PERM_READ, address, PAGE_SIZE)?;

    let go = Arc::new(Event::create()?);
    let writer = {
        let go = go.clone();
        user::thread::spawn("writer", move || {
            let _ = go.wait_one(Signals::USER_0, Time::INFINITE);
            probe::write_byte(address, 2);
        })?
    };
    let exceptions = writer.thread().create_exception_channel(0)?;
    go.signal(Signals::empty(), Signals::USER_0)?;
    let (info, exception) = user::read_exception(&exceptions, long())?;
    ensure_eq!(info.kind, ZX_EXCP_FATAL_PAGE_FAULT);
    let report = writer.thread().exception_report()?;
    ensure_eq!(report.cr2, address as u64);
    writer.thread().kill()?;
    drop(exception);
    writer.join(long()).map_err(|(status, _)| status)?;
    ensure_eq!(probe::read_byte(address), 1);
    Ok(())
}

fn protect_write_only(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let address = region.map(VmOptions::PERM_RW, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE)?;
    ensure_err!(
        region.protect(VmOptions::PERM_WRITE, address, PAGE_SIZE),
        InvalidArgs
    );
    Ok(())
}

fn protect_unmapped(_: &Context) -> Outcome {
    let (region, base) = region()?;
    ensure_err!(
        region.protect(VmOptions::PERM_READ, base, PAGE_SIZE),
        NotFound
    );
    Ok(())
}

fn protect_zero(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let address = region.map(VmOptions::PERM_READ, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE)?;
    ensure_err!(
        region.protect(VmOptions::PERM_READ, address, 0),
        InvalidArgs
    );
    Ok(())
}

fn protect_beyond(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let options = VmOptions::CAN_MAP_READ | VmOptions::CAN_MAP_WRITE;
    let (child, _) = region.allocate(options, 0, 4 * PAGE_SIZE)?;
    let address = child.map(VmOptions::PERM_READ, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE)?;
    let all = VmOptions::PERM_READ | VmOptions::PERM_EXECUTE;
    ensure_err!(child.protect(all, address, PAGE_SIZE), AccessDenied);
    Ok(())
}

fn allocate_inside(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let (child, child_base) = region.allocate(VmOptions::CAN_MAP_READ, 0, 2 * PAGE_SIZE)?;
    let info = child.info()?;
    ensure_eq!((info.base, info.len), (child_base, 2 * PAGE_SIZE));
    let end = base + REGION_PAGES * PAGE_SIZE;
    ensure!(
        child_base >= base && child_base + 2 * PAGE_SIZE <= end,
        "{child_base:#x}"
    );
    ensure_eq!(child_base % PAGE_SIZE, 0);
    Ok(())
}

fn allocate_offset(_: &Context) -> Outcome {
    let (region, _) = region()?;
    ensure_err!(
        region.allocate(VmOptions::CAN_MAP_READ, PAGE_SIZE, PAGE_SIZE),
        InvalidArgs
    );
    Ok(())
}

fn allocate_zero(_: &Context) -> Outcome {
    let (region, _) = region()?;
    ensure_err!(region.allocate(VmOptions::CAN_MAP_READ, 0, 0), InvalidArgs);
    Ok(())
}

fn allocate_too_big(_: &Context) -> Outcome {
    let (region, _) = region()?;
    ensure_err!(
        region.allocate(VmOptions::CAN_MAP_READ, 0, 2 * REGION_PAGES * PAGE_SIZE),
        NoMemory
    );
    Ok(())
}

fn allocate_more(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let (read_only, _) = region.allocate(VmOptions::CAN_MAP_READ, 0, 4 * PAGE_SIZE)?;
    let options = VmOptions::CAN_MAP_READ | VmOptions::CAN_MAP_WRITE;
    ensure_err!(read_only.allocate(options, 0, PAGE_SIZE), AccessDenied);
    Ok(())
}

fn destroy(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let vmo = vmo_with(1, b"")?;
    region.map(VmOptions::PERM_READ, 0, &vmo, 0, PAGE_SIZE)?;
    region.destroy()?;
    ensure_err!(
        region.map(VmOptions::PERM_READ, 0, &vmo, 0, PAGE_SIZE),
        BadState
    );
    Ok(())
}

fn region_outlives_handle(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let (child, child_base) = region.allocate(VmOptions::CAN_MAP_READ, 0, PAGE_SIZE)?;
    drop(child);
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    let offset = child_base - base;
    ensure_err!(
        region.map(options, offset, &vmo_with(1, b"")?, 0, PAGE_SIZE),
        NoMemory
    );
    Ok(())
}
