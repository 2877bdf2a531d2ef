//! Reading and writing another process's memory (spec §3.4, §3.5, ruling 14.7).

use crate::harness::{
    Case, Context, Outcome, case, ensure_eq, ensure_err, ensure_raw, lending, long,
};
use crate::helpers::{MEMORY_PATTERN, MEMORY_TAIL};
use alloc::vec;
use alloc::vec::Vec;
use syscalls_abi::numbers;
use user::sys::Outs;
use user::vm::PAGE_SIZE;
use user::{AsHandleRef, Channel, Event, HandleBased, Process, Rights, Spawned, Task, sys};

pub const CASES: &[Case] = &[
    case("process_read_memory_reads_another_process", read),
    case("process_write_memory_changes_another_process", write),
    case(
        "process_read_memory_of_an_unmapped_address_is_no_memory",
        unmapped,
    ),
    case(
        "process_read_memory_of_zero_bytes_is_invalid_args",
        zero_bytes,
    ),
    case(
        "process_read_memory_without_read_right_is_access_denied",
        read_denied,
    ),
    case(
        "process_write_memory_without_write_right_is_access_denied",
        write_denied,
    ),
    case(
        "process_read_memory_of_a_non_process_is_wrong_type",
        wrong_type,
    ),
    case(
        "process_read_memory_of_more_than_64_mib_is_invalid_args",
        read_too_long,
    ),
    case(
        "process_write_memory_of_more_than_64_mib_is_invalid_args",
        write_too_long,
    ),
    case(
        "process_read_memory_into_unmapped_memory_reads_what_is_mapped",
        short_read,
    ),
    case(
        "process_write_memory_into_unmapped_memory_writes_what_is_mapped",
        short_write,
    ),
    case(
        "process_read_and_write_memory_of_a_dead_process_are_bad_state",
        dead_process,
    ),
    case(
        "process_read_memory_into_a_null_buffer_is_invalid_args",
        read_null_buffer,
    ),
    case(
        "process_write_memory_from_a_null_buffer_is_invalid_args",
        write_null_buffer,
    ),
];

/// The most bytes one call may move (spec §3.4).
const MEMORY_LIMIT: usize = 64 << 20;

/// Starts the `memory` helper; returns it, its channel, its mapped and an unmapped address.
fn memory_helper(
    context: &Context,
) -> Result<(Spawned, Channel, usize, usize), crate::harness::Fail> {
    let (helper, channel) = context.helper_with_channel("memory", &[])?;
    let message = channel.read_wait(long())?;
    crate::harness::ensure_eq!(message.bytes.len(), 16);
    let word = |at: usize| u64::from_le_bytes(message.bytes[at..at + 8].try_into().unwrap());
    Ok((helper, channel, word(0) as usize, word(8) as usize))
}

fn read(context: &Context) -> Outcome {
    let (helper, _channel, mapped, _) = memory_helper(context)?;
    let mut buffer = [0u8; 8];
    ensure_eq!(helper.process.read_memory(mapped, &mut buffer)?, 8);
    ensure_eq!(&buffer, MEMORY_PATTERN);
    Ok(())
}

fn write(context: &Context) -> Outcome {
    let (helper, channel, mapped, _) = memory_helper(context)?;
    ensure_eq!(helper.process.write_memory(mapped, b"written!")?, 8);
    channel.write(b"read it", Vec::new())?;
    ensure_eq!(
        channel.read_wait(long())?.bytes.as_slice(),
        b"written!".as_slice()
    );
    Ok(())
}

fn unmapped(context: &Context) -> Outcome {
    let (helper, _channel, _, hole) = memory_helper(context)?;
    ensure_err!(helper.process.read_memory(hole, &mut [0u8; 8]), NoMemory);
    Ok(())
}

fn zero_bytes(context: &Context) -> Outcome {
    let (helper, _channel, mapped, _) = memory_helper(context)?;
    ensure_err!(helper.process.read_memory(mapped, &mut []), InvalidArgs);
    Ok(())
}

fn weakened(helper: &Spawned, drop_right: Rights) -> Result<Process, crate::harness::Fail> {
    let all = helper.process.basic_info()?.rights;
    Ok(helper.process.duplicate(all - drop_right)?)
}

fn read_denied(context: &Context) -> Outcome {
    let (helper, _channel, mapped, _) = memory_helper(context)?;
    let weak = weakened(&helper, Rights::READ)?;
    ensure_err!(weak.read_memory(mapped, &mut [0u8; 8]), AccessDenied);
    helper.process.kill()?;
    Ok(())
}

fn write_denied(context: &Context) -> Outcome {
    let (helper, _channel, mapped, _) = memory_helper(context)?;
    let weak = weakened(&helper, Rights::WRITE)?;
    ensure_err!(weak.write_memory(mapped, b"x"), AccessDenied);
    Ok(())
}

fn wrong_type(_: &Context) -> Outcome {
    let event = Event::create()?;
    let status = sys::process_read_memory(event.raw_handle(), 0x2000_0000, &mut [0u8; 8], &mut 0);
    ensure_raw!(status, WrongType);
    Ok(())
}

fn read_too_long(context: &Context) -> Outcome {
    let (helper, _channel, mapped, _) = memory_helper(context)?;
    let mut buffer = vec![0u8; MEMORY_LIMIT + 1];
    // At the limit the call is fine, and moves the one page there is.
    let at_limit = helper
        .process
        .read_memory(mapped, &mut buffer[..MEMORY_LIMIT])?;
    ensure_eq!(at_limit, PAGE_SIZE);
    ensure_err!(helper.process.read_memory(mapped, &mut buffer), InvalidArgs);
    Ok(())
}

fn write_too_long(context: &Context) -> Outcome {
    let (helper, channel, mapped, _) = memory_helper(context)?;
    let buffer = vec![0u8; MEMORY_LIMIT + 1];
    ensure_err!(helper.process.write_memory(mapped, &buffer), InvalidArgs);
    channel.write(b"read it", Vec::new())?;
    ensure_eq!(
        channel.read_wait(long())?.bytes.as_slice(),
        MEMORY_PATTERN.as_slice()
    );
    Ok(())
}

fn short_read(context: &Context) -> Outcome {
    let (helper, _channel, _, hole) = memory_helper(context)?;
    let mut buffer = [0u8; 8];
    let start = hole - MEMORY_TAIL.len();
    ensure_eq!(
        helper.process.read_memory(start, &mut buffer)?,
        MEMORY_TAIL.len()
    );
    ensure_eq!(&buffer[..MEMORY_TAIL.len()], MEMORY_TAIL.as_slice());
    Ok(())
}

fn short_write(context: &Context) -> Outcome {
    let (helper, _channel, _, hole) = memory_helper(context)?;
    let start = hole - 4;
    ensure_eq!(helper.process.write_memory(start, b"new tail")?, 4);
    let mut buffer = [0u8; 4];
    ensure_eq!(helper.process.read_memory(start, &mut buffer)?, 4);
    ensure_eq!(&buffer, b"new ");
    Ok(())
}

fn dead_process(context: &Context) -> Outcome {
    let (helper, _channel, mapped, _) = memory_helper(context)?;
    helper.process.kill()?;
    helper.process.wait_terminated(long())?;
    ensure_err!(helper.process.read_memory(mapped, &mut [0u8; 8]), BadState);
    ensure_err!(helper.process.write_memory(mapped, b"x"), BadState);
    Ok(())
}

/// `zx_process_read_memory` or `zx_process_write_memory` (`number`) of 8 bytes at `mapped` in
/// the helper, with a NULL buffer and a valid `actual`.
fn null_buffer(context: &Context, number: u64) -> Outcome {
    let (helper, _channel, mapped, _) = memory_helper(context)?;
    let handle = helper.process.raw_handle();
    let mut outs = Outs::default();
    let args = [handle.into(), mapped as u64, 0, 8, outs.address(0), 0, 0, 0];
    ensure_raw!(lending(number, args, handle, &mut outs)?, InvalidArgs);
    Ok(())
}

fn read_null_buffer(context: &Context) -> Outcome {
    null_buffer(context, numbers::process_read_memory)
}

fn write_null_buffer(context: &Context) -> Outcome {
    null_buffer(context, numbers::process_write_memory)
}
