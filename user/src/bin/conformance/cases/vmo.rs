//! VMOs (spec §4.6): creation, contents, size and resizing, `ZX_INFO_VMO` (spec §10) and the
//! `ZX_VMO_ZERO_CHILDREN` signal.
//!
//! Spinel has no child VMOs (no `zx_vmo_create_child`), so the signal is checked only in the
//! state it starts in.

use super::vmar::{page_fault_of, region};
use crate::harness::{Case, Context, Outcome, case, ensure, ensure_eq, ensure_err};
use user::abi::*;
use user::sys::probe;
use user::vm::PAGE_SIZE;
use user::{AsHandleRef, HandleBased, Rights, Signals, Time, VmOptions, Vmo};

pub const CASES: &[Case] = &[
    case("vmo_write_then_read_round_trips", round_trip),
    case("vmo_starts_zero_filled", zero_filled),
    case("vmo_size_is_rounded_up_to_whole_pages", rounded_size),
    case("vmo_content_size_is_the_unrounded_size", content_size),
    case(
        "vmo_create_with_unknown_options_is_invalid_args",
        bad_options,
    ),
    case("vmo_create_too_large_is_out_of_range", too_large),
    case(
        "vmo_set_size_of_a_non_resizable_vmo_is_unavailable",
        set_size_fixed,
    ),
    case(
        "vmo_set_size_without_write_right_is_access_denied",
        set_size_no_write,
    ),
    case("vmo_set_size_grows_a_resizable_vmo_with_zeros", grow),
    case(
        "vmo_set_size_shrinks_and_accesses_past_the_end_are_out_of_range",
        shrink,
    ),
    case(
        "vmo_set_size_rounds_up_and_keeps_the_unrounded_content_size",
        set_size_rounds,
    ),
    case(
        "vmo_shrunk_then_grown_reads_zeros_where_it_was_cut",
        shrink_discards,
    ),
    case(
        "vmo_shrunk_under_a_mapping_faults_past_its_new_end",
        shrink_under_mapping,
    ),
    case(
        "vmo_info_reports_the_size_flags_and_handle_rights",
        info_basics,
    ),
    case("vmo_info_counts_the_committed_bytes", info_committed),
    case("vmo_info_counts_the_mappings", info_mappings),
    case("vmo_info_without_inspect_is_access_denied", info_denied),
    case(
        "vmo_asserts_zero_children_while_it_has_no_children",
        zero_children,
    ),
];

/// [`PAGE_SIZE`] as a VMO offset or size.
const PAGE: u64 = PAGE_SIZE as u64;

fn round_trip(_: &Context) -> Outcome {
    let vmo = Vmo::create(8192)?;
    vmo.write(b"spinel", 4000)?;
    let mut buffer = [0u8; 6];
    vmo.read(&mut buffer, 4000)?;
    ensure_eq!(&buffer, b"spinel");
    Ok(())
}

fn zero_filled(_: &Context) -> Outcome {
    let vmo = Vmo::create(4096)?;
    let mut buffer = [0xffu8; 64];
    vmo.read(&mut buffer, 1000)?;
    ensure_eq!(buffer, [0u8; 64]);
    Ok(())
}

fn rounded_size(_: &Context) -> Outcome {
    ensure_eq!(Vmo::create(5000)?.size()?, 8192);
    ensure_eq!(Vmo::create(4096)?.size()?, 4096);
    Ok(())
}

fn content_size(_: &Context) -> Outcome {
    let vmo = Vmo::create(5000)?;
    ensure_eq!((vmo.size()?, vmo.content_size()?), (2 * PAGE, 5000));
    Ok(())
}

fn bad_options(_: &Context) -> Outcome {
    ensure_err!(Vmo::create_with(4096, 1 << 7), InvalidArgs);
    Ok(())
}

fn too_large(_: &Context) -> Outcome {
    ensure_err!(Vmo::create(u64::MAX), OutOfRange);
    Ok(())
}

fn set_size_fixed(_: &Context) -> Outcome {
    let vmo = Vmo::create(PAGE)?;
    ensure_err!(vmo.set_size(2 * PAGE), Unavailable);
    ensure_eq!(vmo.size()?, PAGE);
    Ok(())
}

fn set_size_no_write(_: &Context) -> Outcome {
    let vmo = Vmo::create_resizable(PAGE)?;
    let read_only = vmo.duplicate(vmo.basic_info()?.rights - Rights::WRITE)?;
    ensure_err!(read_only.set_size(2 * PAGE), AccessDenied);
    ensure_eq!(vmo.size()?, PAGE);
    Ok(())
}

fn grow(_: &Context) -> Outcome {
    let vmo = Vmo::create_resizable(PAGE)?;
    vmo.write(b"kept", 0)?;
    vmo.set_size(3 * PAGE)?;
    ensure_eq!(vmo.size()?, 3 * PAGE);

    let mut head = [0xffu8; 8];
    vmo.read(&mut head, 0)?;
    ensure_eq!(&head, b"kept\0\0\0\0");
    let mut tail = [0xffu8; 16];
    vmo.read(&mut tail, 3 * PAGE - 16)?;
    ensure_eq!(tail, [0u8; 16]);
    vmo.write(b"grown", 2 * PAGE + 10)?;
    Ok(())
}

fn shrink(_: &Context) -> Outcome {
    let vmo = Vmo::create_resizable(3 * PAGE)?;
    vmo.write(b"end", 2 * PAGE)?;
    vmo.set_size(PAGE)?;
    ensure_eq!(vmo.size()?, PAGE);

    ensure_err!(vmo.read(&mut [0u8; 1], PAGE), OutOfRange);
    ensure_err!(vmo.read(&mut [0u8; 8], PAGE - 4), OutOfRange);
    ensure_err!(vmo.read(&mut [0u8; 3], 2 * PAGE), OutOfRange);
    ensure_err!(vmo.write(b"x", PAGE), OutOfRange);
    vmo.read(&mut [0u8; 4], PAGE - 4)?;
    Ok(())
}

fn set_size_rounds(_: &Context) -> Outcome {
    let vmo = Vmo::create_resizable(PAGE)?;
    vmo.set_size(PAGE + 1)?;
    ensure_eq!((vmo.size()?, vmo.content_size()?), (2 * PAGE, PAGE + 1));
    Ok(())
}

/// Cut inside the first page and past it: the bytes after the cut read as zeros once the VMO
/// grows back.
fn shrink_discards(_: &Context) -> Outcome {
    let vmo = Vmo::create_resizable(2 * PAGE)?;
    vmo.write(b"gone", 100)?;
    vmo.write(b"gone", PAGE)?;
    vmo.set_size(100)?;
    vmo.set_size(2 * PAGE)?;

    for offset in [100, PAGE] {
        let mut buffer = [0xffu8; 4];
        vmo.read(&mut buffer, offset)?;
        ensure_eq!(buffer, [0u8; 4]);
    }
    Ok(())
}

fn shrink_under_mapping(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let vmo = Vmo::create_resizable(2 * PAGE)?;
    let options = VmOptions::PERM_RW | VmOptions::ALLOW_FAULTS;
    let address = region.map(options, 0, &vmo, 0, 2 * PAGE_SIZE)?;
    probe::write_byte(address, b'a');
    let beyond = address + PAGE_SIZE;
    probe::write_byte(beyond, b'b');

    vmo.set_size(PAGE)?;
    ensure_eq!(probe::read_byte(address), b'a');
    let report = page_fault_of(move || {
        probe::read_byte(beyond);
    })?;
    ensure_eq!(report.cr2, beyond as u64);

    vmo.set_size(2 * PAGE)?;
    ensure_eq!(probe::read_byte(beyond), 0);
    Ok(())
}

fn info_basics(_: &Context) -> Outcome {
    let vmo = Vmo::create(3 * PAGE)?;
    let basic = vmo.basic_info()?;
    let info = vmo.info()?;
    ensure_eq!((info.koid, info.size_bytes), (basic.koid, 3 * PAGE));
    ensure_eq!(info.handle_rights, basic.rights);
    let kind = ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE | ZX_INFO_VMO_RESIZABLE;
    ensure_eq!(
        info.flags & kind,
        ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE
    );
    ensure_eq!((info.parent_koid, info.num_children), (0, 0));

    let resizable = Vmo::create_resizable(PAGE)?.info()?;
    ensure!(resizable.flags & ZX_INFO_VMO_RESIZABLE != 0);
    let weaker = basic.rights - Rights::WRITE;
    ensure_eq!(vmo.duplicate(weaker)?.info()?.handle_rights, weaker);
    Ok(())
}

fn info_committed(_: &Context) -> Outcome {
    let vmo = Vmo::create_resizable(4 * PAGE)?;
    vmo.read(&mut [0u8; 16], PAGE)?;
    ensure_eq!(vmo.info()?.committed_bytes, 0);
    vmo.write(b"x", PAGE + 5)?;
    vmo.write(b"y", 3 * PAGE)?;
    ensure_eq!(vmo.info()?.committed_bytes, 2 * PAGE);
    vmo.set_size(2 * PAGE)?;
    ensure_eq!(vmo.info()?.committed_bytes, PAGE);
    Ok(())
}

fn info_mappings(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let vmo = Vmo::create(PAGE)?;
    ensure_eq!(vmo.info()?.num_mappings, 0);
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(options, 0, &vmo, 0, PAGE_SIZE)?;
    region.map(options, 2 * PAGE_SIZE, &vmo, 0, PAGE_SIZE)?;
    ensure_eq!(vmo.info()?.num_mappings, 2);
    region.unmap(base, PAGE_SIZE)?;
    ensure_eq!(vmo.info()?.num_mappings, 1);
    Ok(())
}

fn info_denied(_: &Context) -> Outcome {
    let vmo = Vmo::create(PAGE)?;
    let hidden = vmo.duplicate(vmo.basic_info()?.rights - Rights::INSPECT)?;
    ensure_err!(hidden.info(), AccessDenied);
    Ok(())
}

fn zero_children(_: &Context) -> Outcome {
    let vmo = Vmo::create(PAGE)?;
    let observed = vmo.wait_one(Signals::VMO_ZERO_CHILDREN, Time::ZERO)?;
    ensure!(observed.contains(Signals::VMO_ZERO_CHILDREN));
    Ok(())
}
