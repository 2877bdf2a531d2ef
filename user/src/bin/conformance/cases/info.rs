//! `zx_object_get_info` and properties (spec §10).

use crate::harness::{Case, Context, Outcome, case, ensure_eq, ensure_err, ensure_raw};
use user::abi::*;
use user::{AsHandleRef, Event, HandleBased, Rights, rt, sys};

pub const CASES: &[Case] = &[
    case(
        "get_info_of_an_unknown_topic_is_not_supported",
        unknown_topic,
    ),
    case(
        "get_info_of_a_topic_for_another_type_is_wrong_type",
        wrong_type,
    ),
    case(
        "get_info_into_a_too_small_buffer_is_buffer_too_small",
        too_small,
    ),
    case("get_info_without_inspect_is_access_denied", no_inspect),
    case(
        "get_info_basic_relates_threads_to_processes_and_processes_to_jobs",
        related,
    ),
    case("set_property_name_is_read_back", name_round_trip),
    case(
        "get_property_of_an_unknown_property_is_not_supported",
        unknown_property,
    ),
    case(
        "get_property_into_a_too_small_buffer_is_buffer_too_small",
        property_too_small,
    ),
];

fn unknown_topic(_: &Context) -> Outcome {
    let event = Event::create()?;
    ensure_err!(event.get_info(9999, &mut [0u8; 64]), NotSupported);
    Ok(())
}

fn wrong_type(_: &Context) -> Outcome {
    let event = Event::create()?;
    ensure_err!(event.get_info(ZX_INFO_PROCESS, &mut [0u8; 16]), WrongType);
    Ok(())
}

fn too_small(_: &Context) -> Outcome {
    ensure_err!(
        rt::process_self().get_info(ZX_INFO_PROCESS, &mut [0u8; 8]),
        BufferTooSmall
    );
    Ok(())
}

fn no_inspect(context: &Context) -> Outcome {
    let (process, _vmar) = context.sub_job()?.create_process("hidden")?;
    let weak = process.duplicate(process.basic_info()?.rights - Rights::INSPECT)?;
    ensure_err!(weak.info(), AccessDenied);
    Ok(())
}

fn related(context: &Context) -> Outcome {
    let job = context.sub_job()?;
    let (process, _vmar) = job.create_process("related")?;
    let thread = process.create_thread("t")?;
    ensure_eq!(thread.basic_info()?.related_koid, process.koid()?);
    ensure_eq!(process.basic_info()?.related_koid, job.koid()?);
    ensure_eq!(thread.basic_info()?.object_type, ZX_OBJ_TYPE_THREAD);
    Ok(())
}

fn name_round_trip(context: &Context) -> Outcome {
    // Events carry no property rights (BASIC | SIGNAL); tasks do.
    let (process, _vmar) = context.sub_job()?.create_process("unnamed")?;
    process.set_name("a-named-process")?;
    ensure_eq!(process.name()?.as_bytes(), b"a-named-process".as_slice());
    Ok(())
}

fn unknown_property(_: &Context) -> Outcome {
    let process = rt::process_self();
    ensure_raw!(
        sys::object_get_property(process.raw_handle(), 9999, &mut [0u8; 64]),
        NotSupported
    );
    Ok(())
}

fn property_too_small(_: &Context) -> Outcome {
    let process = rt::process_self();
    ensure_err!(
        process.get_property(ZX_PROP_NAME, &mut [0u8; 4]),
        BufferTooSmall
    );
    Ok(())
}
