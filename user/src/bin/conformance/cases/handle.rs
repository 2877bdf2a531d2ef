//! Handles and rights (spec §1, §6): close, duplicate, replace, basic info, default rights,
//! and the per-process handle limit.

use crate::harness::{Case, Context, Outcome, case, ensure, ensure_eq, ensure_err, ensure_raw};
use alloc::vec::Vec;
use user::abi::*;
use user::handle::is_live_handle_value;
use user::{AsHandleRef, Channel, Event, EventPair, HandleBased, Port, Rights, Status, Vmo, sys};

pub const CASES: &[Case] = &[
    case("handle_close_of_the_invalid_handle_is_ok", close_invalid),
    case("handle_close_twice_is_bad_handle", close_twice),
    case("handle_values_have_the_two_low_bits_set", fixed_bits),
    case(
        "handle_duplicate_with_fewer_rights_reduces_them",
        duplicate_fewer,
    ),
    case(
        "handle_duplicate_with_more_rights_is_invalid_args",
        duplicate_more,
    ),
    case(
        "handle_duplicate_without_duplicate_right_is_access_denied",
        duplicate_denied,
    ),
    case(
        "handle_duplicate_of_a_channel_is_access_denied",
        duplicate_channel,
    ),
    case(
        "handle_duplicate_same_rights_names_the_same_object",
        duplicate_same,
    ),
    case(
        "handle_replace_invalidates_the_original",
        replace_invalidates,
    ),
    case(
        "handle_replace_failure_still_invalidates_the_original",
        replace_failure,
    ),
    case(
        "handle_basic_info_reports_koid_type_rights_and_peer",
        basic_info,
    ),
    case("handle_valid_info_rejects_closed_values", valid_info),
    case("default_rights_match_the_object_type", default_rights),
    case("handle_table_exhaustion_is_no_resources", exhaustion),
    case(
        "channel_read_into_a_full_handle_table_is_no_resources_and_keeps_the_message",
        read_into_full_table,
    ),
];

fn close_invalid(_: &Context) -> Outcome {
    ensure_raw!(sys::handle_close(ZX_HANDLE_INVALID), Ok);
    Ok(())
}

fn close_twice(_: &Context) -> Outcome {
    let raw = Event::create()?.into_handle().into_raw();
    ensure_raw!(sys::handle_close(raw), Ok);
    ensure_raw!(sys::handle_close(raw), BadHandle);
    Ok(())
}

fn fixed_bits(_: &Context) -> Outcome {
    let events = (0..16)
        .map(|_| Event::create())
        .collect::<Result<Vec<_>, _>>()?;
    for event in &events {
        let raw = event.raw_handle();
        ensure!(
            raw & ZX_HANDLE_FIXED_BITS_MASK == ZX_HANDLE_FIXED_BITS_MASK,
            "handle {raw:#x}"
        );
    }
    Ok(())
}

fn duplicate_fewer(_: &Context) -> Outcome {
    let event = Event::create()?;
    let wanted = Rights::WAIT | Rights::DUPLICATE;
    let copy = event.duplicate(wanted)?;
    ensure_eq!(copy.basic_info()?.rights, wanted);
    Ok(())
}

fn duplicate_more(_: &Context) -> Outcome {
    let event = Event::create()?;
    let reduced = event.duplicate(Rights::WAIT | Rights::DUPLICATE)?;
    ensure_err!(
        reduced.duplicate(Rights::WAIT | Rights::DUPLICATE | Rights::SIGNAL),
        InvalidArgs
    );
    Ok(())
}

fn duplicate_denied(_: &Context) -> Outcome {
    let event = Event::create()?;
    let reduced = event.duplicate(Rights::WAIT)?;
    ensure_err!(reduced.duplicate(Rights::SAME_RIGHTS), AccessDenied);
    Ok(())
}

fn duplicate_channel(_: &Context) -> Outcome {
    let (a, _b) = Channel::create()?;
    ensure_err!(a.duplicate(Rights::SAME_RIGHTS), AccessDenied);
    Ok(())
}

fn duplicate_same(_: &Context) -> Outcome {
    let event = Event::create()?;
    let copy = event.duplicate(Rights::SAME_RIGHTS)?;
    ensure!(copy.raw_handle() != event.raw_handle());
    ensure_eq!(copy.koid()?, event.koid()?);
    ensure_eq!(copy.basic_info()?.rights, event.basic_info()?.rights);
    Ok(())
}

fn replace_invalidates(_: &Context) -> Outcome {
    let event = Event::create()?;
    let (old, koid) = (event.raw_handle(), event.koid()?);
    let new = event.replace(Rights::SAME_RIGHTS)?;
    ensure!(!is_live_handle_value(old) || new.raw_handle() == old);
    ensure_eq!(new.koid()?, koid);
    Ok(())
}

fn replace_failure(_: &Context) -> Outcome {
    let event = Event::create()?;
    let reduced = event.duplicate(Rights::WAIT)?;
    let old = reduced.raw_handle();
    ensure_err!(reduced.replace(Rights::WAIT | Rights::SIGNAL), InvalidArgs);
    ensure!(
        !is_live_handle_value(old),
        "the original handle {old:#x} is still open"
    );
    Ok(())
}

fn basic_info(_: &Context) -> Outcome {
    let (a, b) = Channel::create()?;
    let (info_a, info_b) = (a.basic_info()?, b.basic_info()?);
    ensure!(info_a.koid != info_b.koid);
    ensure_eq!(info_a.related_koid, info_b.koid);
    ensure_eq!(info_b.related_koid, info_a.koid);
    ensure_eq!(info_a.object_type, ZX_OBJ_TYPE_CHANNEL);
    ensure_eq!(info_a.props, ZX_OBJ_PROP_WAITABLE);
    ensure_eq!(Port::create()?.basic_info()?.props, 0);
    Ok(())
}

fn valid_info(_: &Context) -> Outcome {
    let event = Event::create()?;
    let raw = event.raw_handle();
    ensure!(is_live_handle_value(raw));
    drop(event);
    ensure!(!is_live_handle_value(raw));
    ensure_raw!(
        sys::object_get_info(raw, ZX_INFO_HANDLE_VALID, &mut [], &mut 0, &mut 0),
        BadHandle
    );
    Ok(())
}

fn default_rights(context: &Context) -> Outcome {
    let basic = Rights::BASIC;
    let channel = (basic - Rights::DUPLICATE) | Rights::IO | Rights::SIGNAL | Rights::SIGNAL_PEER;
    let process = basic
        | Rights::IO
        | Rights::PROPERTY
        | Rights::ENUMERATE
        | Rights::DESTROY
        | Rights::SIGNAL
        | Rights::MANAGE_PROCESS
        | Rights::MANAGE_THREAD;
    let thread = basic
        | Rights::IO
        | Rights::PROPERTY
        | Rights::DESTROY
        | Rights::SIGNAL
        | Rights::MANAGE_THREAD;
    let job = process | Rights::POLICY | Rights::MANAGE_JOB;
    let vmo = basic | Rights::IO | Rights::PROPERTY | Rights::MAP | Rights::SIGNAL;

    let (new_process, _vmar) = context.sub_job()?.create_process("rights")?;
    let expected = [
        (
            "event",
            Event::create()?.basic_info()?.rights,
            basic | Rights::SIGNAL,
        ),
        (
            "eventpair",
            EventPair::create()?.0.basic_info()?.rights,
            basic | Rights::SIGNAL | Rights::SIGNAL_PEER,
        ),
        (
            "channel",
            Channel::create()?.0.basic_info()?.rights,
            channel,
        ),
        (
            "port",
            Port::create()?.basic_info()?.rights,
            (basic - Rights::WAIT) | Rights::IO,
        ),
        ("vmo", Vmo::create(4096)?.basic_info()?.rights, vmo),
        ("job", context.sub_job()?.basic_info()?.rights, job),
        ("process", new_process.basic_info()?.rights, process),
        (
            "thread",
            new_process.create_thread("t")?.basic_info()?.rights,
            thread,
        ),
    ];
    for (object, actual, wanted) in expected {
        ensure!(
            actual == wanted,
            "{object}: rights {:#x}, expected {:#x}",
            actual.bits(),
            wanted.bits()
        );
    }
    Ok(())
}

/// At most this many handles are created before the case gives up on seeing the limit.
const EXHAUSTION_CAP: usize = 1 << 17;

fn exhaustion(_: &Context) -> Outcome {
    let events = fill_table()?;
    ensure!(
        events.len() > 1000,
        "the table held only {} handles",
        events.len()
    );
    drop(events);
    Event::create()?;
    Ok(())
}

/// Creates events until the table is full; returns them (the limit must be seen).
fn fill_table() -> Result<Vec<Event>, crate::harness::Fail> {
    // Room for all of them up front: growing the heap later would need a handle.
    let mut events = Vec::with_capacity(EXHAUSTION_CAP);
    let status = loop {
        match Event::create() {
            Ok(event) => events.push(event),
            Err(status) => break status,
        }
        ensure!(
            events.len() < EXHAUSTION_CAP,
            "{EXHAUSTION_CAP} handles and no limit"
        );
    };
    ensure_eq!(status, Status::NoResources);
    Ok(events)
}

fn read_into_full_table(context: &Context) -> Outcome {
    let bystander = context.sub_job()?;
    let (_echo, echo) = context.helper_in(&bystander, "echo", &[])?;
    let (a, b) = Channel::create()?;
    let sent = [Event::create()?, Event::create()?];
    let koids = [sent[0].koid()?, sent[1].koid()?];
    a.write(b"two handles", sent.into_iter().map(Into::into).collect())?;

    let mut filler = fill_table()?;
    let (mut bytes, mut handles) = ([0u8; 64], [0u32; 4]);
    ensure_err!(b.read_raw(0, &mut bytes, &mut handles).0, NoResources);
    // Room for one handle is not room for the message's two.
    drop(filler.pop());
    ensure_err!(b.read_raw(0, &mut bytes, &mut handles).0, NoResources);
    // Another process runs on meanwhile.
    echo.write(b"still there?", Vec::new())?;
    ensure_eq!(
        echo.read_wait(crate::harness::long())?.bytes.as_slice(),
        b"still there?".as_slice()
    );

    // Spec §7: a failed read keeps the message, handles and all.
    drop(filler);
    let message = b.read()?;
    ensure_eq!(message.bytes.as_slice(), b"two handles".as_slice());
    let received: Vec<_> = message.handles.iter().map(|h| h.koid()).collect();
    ensure_eq!(received, alloc::vec![Ok(koids[0]), Ok(koids[1])]);
    Ok(())
}
