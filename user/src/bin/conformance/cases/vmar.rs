//! VMARs (spec §4.1, §4.2): mapping VMOs, and its errors; the region and page-fault helpers
//! the other VM cases share.
//!
//! Every case works inside a child VMAR of its own (see [`region`]), so nothing it maps,
//! protects or unmaps can touch the memory the program runs on.

use crate::harness::{Case, Context, Fail, Outcome, case, ensure_eq, ensure_err, ensure_raw, long};
use alloc::sync::Arc;
use user::abi::*;
use user::info::ExceptionReport;
use user::sys::probe;
use user::vm::{PAGE_SIZE, USER_END};
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
        "vmar_map_specific_without_can_map_specific_is_access_denied",
        specific_not_allowed,
    ),
    case(
        "vmar_map_range_with_specific_overwrite_is_invalid_args",
        range_and_overwrite,
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
        "vmar_map_at_an_unaligned_vmo_offset_is_invalid_args",
        unaligned_vmo_offset,
    ),
    case(
        "vmar_map_of_an_unaligned_length_maps_whole_pages",
        unaligned_len,
    ),
    case(
        "vmar_map_with_a_bad_mapped_addr_is_invalid_args_and_maps_nothing",
        bad_mapped_addr,
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
        "vmar_map_past_the_end_of_the_vmo_with_allow_faults_faults_there",
        past_vmo_allowed,
    ),
    case(
        "vmar_map_of_a_resizable_vmo_without_allow_faults_is_not_supported",
        resizable_without_faults,
    ),
    case(
        "vmar_map_with_an_overflowing_vmo_offset_is_out_of_range",
        offset_overflow,
    ),
    case(
        "vmar_map_and_protect_check_the_rights_before_the_wx_policy",
        wx_after_rights,
    ),
];

/// Pages in the region each case works in.
pub(super) const REGION_PAGES: usize = 16;

/// A child VMAR of the root VMAR that can map anything anywhere inside it.
pub(super) fn region() -> Result<(Vmar, usize), Fail> {
    let options = VmOptions::CAN_MAP_RWX | VmOptions::CAN_MAP_SPECIFIC;
    Ok(rt::root_vmar().allocate(options, 0, REGION_PAGES * PAGE_SIZE)?)
}

/// A VMO of `pages` pages whose first bytes are `bytes`.
pub(super) fn vmo_with(pages: usize, bytes: &[u8]) -> Result<Vmo, Fail> {
    let vmo = Vmo::create((pages * PAGE_SIZE) as u64)?;
    vmo.write(bytes, 0)?;
    Ok(vmo)
}

/// The report of the fatal page fault that `access` takes on a new thread of this process,
/// watched through the thread's exception channel; the thread is killed afterwards.
pub(super) fn page_fault_of(
    access: impl FnOnce() + Send + 'static,
) -> Result<ExceptionReport, Fail> {
    let go = Arc::new(Event::create()?);
    let faulter = {
        let go = go.clone();
        user::thread::spawn("faulter", move || {
            let _ = go.wait_one(Signals::USER_0, Time::INFINITE);
            access();
        })?
    };
    let exceptions = faulter.thread().create_exception_channel(0)?;
    go.signal(Signals::empty(), Signals::USER_0)?;
    let (info, exception) = user::read_exception(&exceptions, long())?;
    ensure_eq!(info.kind, ZX_EXCP_FATAL_PAGE_FAULT);
    let report = faulter.thread().exception_report()?;
    faulter.thread().kill()?;
    drop(exception);
    faulter.join(long()).map_err(|(status, _)| status)?;
    Ok(report)
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

fn specific_not_allowed(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let (child, _) = region.allocate(VmOptions::CAN_MAP_READ, 0, 4 * PAGE_SIZE)?;
    let vmo = vmo_with(1, b"")?;
    for placement in [VmOptions::SPECIFIC, VmOptions::SPECIFIC_OVERWRITE] {
        ensure_err!(
            child.map(placement | VmOptions::PERM_READ, 0, &vmo, 0, PAGE_SIZE),
            AccessDenied
        );
    }
    child.map(VmOptions::PERM_READ, 0, &vmo, 0, PAGE_SIZE)?;
    Ok(())
}

fn range_and_overwrite(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(options, 0, &vmo_with(1, b"A")?, 0, PAGE_SIZE)?;
    let options = VmOptions::SPECIFIC_OVERWRITE | VmOptions::MAP_RANGE | VmOptions::PERM_READ;
    ensure_err!(
        region.map(options, 0, &vmo_with(1, b"B")?, 0, PAGE_SIZE),
        InvalidArgs
    );
    ensure_eq!(probe::read_byte(base), b'A');
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

fn unaligned_vmo_offset(_: &Context) -> Outcome {
    let (region, _) = region()?;
    ensure_err!(
        region.map(VmOptions::PERM_READ, 0, &vmo_with(2, b"")?, 100, PAGE_SIZE),
        InvalidArgs
    );
    Ok(())
}

/// Spinel rounds the length of a map up to whole pages (spec §4.2, "newer docs: rounded";
/// see the kernel's `Vmar::map`).
fn unaligned_len(_: &Context) -> Outcome {
    let (region, base) = region()?;
    let vmo = vmo_with(2, b"")?;
    vmo.write(b"Z", PAGE_SIZE as u64 + 100)?;
    let options = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    region.map(options, 0, &vmo, 0, PAGE_SIZE + 1)?;
    ensure_eq!(probe::read_byte(base + PAGE_SIZE + 100), b'Z');
    ensure_err!(region.map(options, PAGE_SIZE, &vmo, 0, PAGE_SIZE), NoMemory);
    region.map(options, 2 * PAGE_SIZE, &vmo, 0, PAGE_SIZE)?;
    Ok(())
}

/// `mapped_addr` at an unmapped page, at a read-only page, and past the user half; each map
/// is undone, and the read-only page is left as it was.
fn bad_mapped_addr(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let read_only_vmo = vmo_with(1, b"")?;
    let specific = VmOptions::SPECIFIC | VmOptions::PERM_READ;
    let read_only = region.map(specific, PAGE_SIZE, &read_only_vmo, 0, PAGE_SIZE)?;
    // Fault the page in, so that a store by the kernel meets a present read-only entry.
    ensure_eq!(probe::read_byte(read_only), 0);
    let hole = VmOptions::SPECIFIC | VmOptions::CAN_MAP_READ;
    let (_hole, unmapped) = region.allocate(hole, 2 * PAGE_SIZE, PAGE_SIZE)?;

    let vmo = vmo_with(1, b"")?;
    for out in [unmapped, read_only, USER_END] {
        let status = probe::vmar_map_to(
            region.raw_handle(),
            specific.bits(),
            0,
            vmo.raw_handle(),
            0,
            PAGE_SIZE,
            out,
        );
        ensure_raw!(status, InvalidArgs);
        ensure_eq!(vmo.info()?.num_mappings, 0);
    }
    let mut word = [0xffu8; 8];
    read_only_vmo.read(&mut word, 0)?;
    ensure_eq!(word, [0u8; 8]);
    region.map(specific, 0, &vmo, 0, PAGE_SIZE)?;
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

fn past_vmo_allowed(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let options = VmOptions::PERM_READ | VmOptions::ALLOW_FAULTS;
    let address = region.map(options, 0, &vmo_with(1, b"in")?, 0, 2 * PAGE_SIZE)?;
    ensure_eq!(probe::read_byte(address + 1), b'n');
    let beyond = address + PAGE_SIZE;
    let report = page_fault_of(move || {
        probe::read_byte(beyond);
    })?;
    ensure_eq!(report.cr2, beyond as u64);
    Ok(())
}

fn resizable_without_faults(_: &Context) -> Outcome {
    let (region, _) = region()?;
    let vmo = Vmo::create_resizable(PAGE_SIZE as u64)?;
    ensure_err!(
        region.map(VmOptions::PERM_READ, 0, &vmo, 0, PAGE_SIZE),
        NotSupported
    );
    let options = VmOptions::PERM_READ | VmOptions::ALLOW_FAULTS;
    region.map(options, 0, &vmo, 0, PAGE_SIZE)?;
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

/// Under a `ZX_POL_VMAR_WX` kill policy, requests the handles cannot grant fail on their
/// rights and the caller lives; one they can grant is killed by the policy.
fn wx_after_rights(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    job.set_basic_policy(ZX_JOB_POL_RELATIVE, &[(ZX_POL_VMAR_WX, ZX_POL_ACTION_KILL)])?;
    let denied = i64::from(ZX_ERR_ACCESS_DENIED);
    let executable = context.program.duplicate(Rights::SAME_RIGHTS)?;
    let runs = [
        ("map", None, denied),
        ("protect", None, denied),
        ("map_allowed", Some(executable), ZX_TASK_RETCODE_POLICY_KILL),
    ];
    for (call, vmo, expected) in runs {
        let handles = vmo.into_iter().map(Into::into).collect();
        let helper = context.helper(&job, "wx", &[call], handles)?;
        helper.process.wait_terminated(long())?;
        ensure_eq!((call, helper.process.info()?.return_code), (call, expected));
    }
    Ok(())
}
