//! VMAR ranges (spec §4.3-§4.5): protecting, unmapping, allocating and destroying, and
//! their errors.
//!
//! As in `vmar`, every case works inside a child VMAR of its own.

use super::vmar::{REGION_PAGES, page_fault_of, region, vmo_with};
use crate::harness::{Case, Context, Fail, Outcome, case, ensure, ensure_eq, ensure_err};
use user::sys::probe;
use user::vm::PAGE_SIZE;
use user::{VmOptions, Vmar};

pub const CASES: &[Case] = &[
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
        "vmar_protect_at_an_unaligned_address_is_invalid_args",
        protect_unaligned,
    ),
    case(
        "vmar_protect_of_a_range_holding_a_child_vmar_is_invalid_args",
        protect_over_child,
    ),
    case(
        "vmar_protect_beyond_the_vmar_permissions_is_access_denied",
        protect_beyond,
    ),
    case("vmar_unmap_frees_the_range", unmap_frees),
    case("vmar_unmap_of_the_middle_splits_the_mapping", unmap_splits),
    case(
        "vmar_unmap_at_an_unaligned_address_is_invalid_args",
        unmap_unaligned,
    ),
    case("vmar_unmap_of_zero_bytes_is_invalid_args", unmap_zero),
    case(
        "vmar_unmap_over_part_of_a_child_vmar_is_invalid_args",
        unmap_part_of_child,
    ),
    case(
        "vmar_unmap_over_whole_child_vmars_destroys_them",
        unmap_destroys_children,
    ),
    case(
        "vmar_unmap_in_a_destroyed_vmar_is_bad_state",
        unmap_destroyed,
    ),
    case(
        "vmar_allocate_returns_a_region_inside_its_parent",
        allocate_inside,
    ),
    case(
        "vmar_allocate_specific_places_the_child_at_the_offset",
        allocate_specific,
    ),
    case(
        "vmar_allocate_specific_without_can_map_specific_is_access_denied",
        allocate_specific_not_allowed,
    ),
    case(
        "vmar_allocate_specific_over_a_used_range_is_no_memory",
        allocate_specific_used,
    ),
    case(
        "vmar_allocate_specific_at_an_unaligned_offset_is_invalid_args",
        allocate_specific_unaligned,
    ),
    case(
        "vmar_allocate_specific_past_the_parent_is_invalid_args",
        allocate_specific_past,
    ),
    case(
        "vmar_allocate_with_an_offset_but_not_specific_is_invalid_args",
        allocate_offset,
    ),
    case("vmar_allocate_of_zero_bytes_is_invalid_args", allocate_zero),
    case(
        "vmar_allocate_of_an_unaligned_size_is_invalid_args",
        allocate_unaligned_size,
    ),
    case(
        "vmar_allocate_larger_than_the_parent_is_no_memory",
        allocate_too_big,
    ),
    case(
        "vmar_allocate_with_more_permissions_than_the_parent_is_access_denied",
        allocate_more,
    ),
    case(
        "vmar_allocate_in_a_destroyed_parent_is_bad_state",
        allocate_destroyed,
    ),
    case("vmar_destroy_refuses_later_maps_with_bad_state", destroy),
    case(
        "vmar_region_stays_allocated_when_its_handle_closes",
        region_outlives_handle,
    ),
];

/// A child of `region` at `offset`, `pages` long, that can map anything anywhere.
fn child_at(region: &Vmar, offset: usize, pages: usize) -> Result<Vmar, Fail> {
    let options = VmOptions::SPECIFIC | VmOptions::CAN_MAP_RWX | VmOptions::CAN_MAP_SPECIFIC;
    Ok(region.allocate(options, offset, pages * PAGE_SIZE)?.0)
}

fn protect_faults(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let address = region.map(VmOptions::PERM_RW, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE)?;
    probe::write_byte(address, 1);
    region.protect(VmOptions::PERM_READ, address, PAGE_SIZE)?;
    let report = page_fault_of(move || probe::write_byte(address, 2))?;
    ensure_eq!(report.cr2, address as u64);
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

fn protect_unaligned(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let address = region.map(
        VmOptions::PERM_READ,
        0,
        &vmo_with(2, b"")?,
        0,
        2 * PAGE_SIZE,
    )?;
    ensure_err!(
        region.protect(VmOptions::PERM_READ, address + 1, PAGE_SIZE),
        InvalidArgs
    );
    Ok(())
}

/// A range over a mapping and part of a child VMAR, then over the whole child; neither
/// protect changes the mapping.
fn protect_over_child(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_RW;
    let address = region.map(options, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE)?;
    let _child = child_at(&region, PAGE_SIZE, 2)?;
    for pages in [2, 3] {
        ensure_err!(
            region.protect(VmOptions::PERM_READ, base, pages * PAGE_SIZE),
            InvalidArgs
        );
    }
    probe::write_byte(address, 1);
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

fn unmap_part_of_child(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(options, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE)?;
    let child = child_at(&region, PAGE_SIZE, 2)?;
    let inside = child.map(VmOptions::PERM_READ, 0, &vmo_with(1, b"c")?, 0, PAGE_SIZE)?;
    ensure_err!(region.unmap(base, 2 * PAGE_SIZE), InvalidArgs);
    ensure_err!(
        region.unmap(base + 2 * PAGE_SIZE, 2 * PAGE_SIZE),
        InvalidArgs
    );

    ensure_eq!(probe::read_byte(inside), b'c');
    region.protect(VmOptions::PERM_READ, base, PAGE_SIZE)?;
    child.allocate(VmOptions::CAN_MAP_READ, 0, PAGE_SIZE)?;
    Ok(())
}

fn unmap_destroys_children(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let vmo = vmo_with(1, b"")?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(options, 0, &vmo, 0, PAGE_SIZE)?;
    let first = child_at(&region, PAGE_SIZE, 1)?;
    let second = child_at(&region, 3 * PAGE_SIZE, 2)?;
    second.map(VmOptions::PERM_READ, 0, &vmo, 0, PAGE_SIZE)?;
    region.unmap(base, 5 * PAGE_SIZE)?;

    for child in [&first, &second] {
        ensure_err!(
            child.map(VmOptions::PERM_READ, 0, &vmo, 0, PAGE_SIZE),
            BadState
        );
        ensure_err!(
            child.allocate(VmOptions::CAN_MAP_READ, 0, PAGE_SIZE),
            BadState
        );
    }
    ensure_eq!(vmo.info()?.num_mappings, 0);
    let whole = VmOptions::SPECIFIC | VmOptions::CAN_MAP_READ;
    region.allocate(whole, 0, 5 * PAGE_SIZE)?;
    Ok(())
}

fn unmap_destroyed(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(options, 0, &vmo_with(1, b"")?, 0, PAGE_SIZE)?;
    region.destroy()?;
    ensure_err!(region.unmap(base, PAGE_SIZE), BadState);
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

fn allocate_specific(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let options = VmOptions::SPECIFIC | VmOptions::CAN_MAP_READ;
    let (child, child_base) = region.allocate(options, 3 * PAGE_SIZE, 2 * PAGE_SIZE)?;
    ensure_eq!(child_base, base + 3 * PAGE_SIZE);
    let info = child.info()?;
    ensure_eq!((info.base, info.len), (child_base, 2 * PAGE_SIZE));
    Ok(())
}

fn allocate_specific_not_allowed(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let (child, _) = region.allocate(VmOptions::CAN_MAP_READ, 0, 4 * PAGE_SIZE)?;
    let options = VmOptions::SPECIFIC | VmOptions::CAN_MAP_READ;
    ensure_err!(child.allocate(options, 0, PAGE_SIZE), AccessDenied);
    child.allocate(VmOptions::CAN_MAP_READ, 0, PAGE_SIZE)?;
    Ok(())
}

/// Over a mapping, then over a child VMAR.
fn allocate_specific_used(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let map = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(map, PAGE_SIZE, &vmo_with(1, b"")?, 0, PAGE_SIZE)?;
    let _child = child_at(&region, 4 * PAGE_SIZE, 1)?;
    let options = VmOptions::SPECIFIC | VmOptions::CAN_MAP_READ;
    ensure_err!(region.allocate(options, 0, 2 * PAGE_SIZE), NoMemory);
    ensure_err!(
        region.allocate(options, 3 * PAGE_SIZE, 2 * PAGE_SIZE),
        NoMemory
    );
    Ok(())
}

fn allocate_specific_unaligned(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let options = VmOptions::SPECIFIC | VmOptions::CAN_MAP_READ;
    ensure_err!(region.allocate(options, 100, PAGE_SIZE), InvalidArgs);
    Ok(())
}

fn allocate_specific_past(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let options = VmOptions::SPECIFIC | VmOptions::CAN_MAP_READ;
    let offset = (REGION_PAGES - 1) * PAGE_SIZE;
    ensure_err!(region.allocate(options, offset, 2 * PAGE_SIZE), InvalidArgs);
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

fn allocate_unaligned_size(_: &Context) -> Outcome {
    let (region, _) = region()?;
    ensure_err!(
        region.allocate(VmOptions::CAN_MAP_READ, 0, PAGE_SIZE + 1),
        InvalidArgs
    );
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

fn allocate_destroyed(_: &Context) -> Outcome {
    let (region, _) = region()?;
    region.destroy()?;
    ensure_err!(
        region.allocate(VmOptions::CAN_MAP_READ, 0, PAGE_SIZE),
        BadState
    );
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
