//! Reading and writing another process's memory (spec §3.4, §3.5, ruling 14.7).

use crate::harness::{Case, Context, Outcome, case, ensure_eq, ensure_err, long};
use crate::helpers::MEMORY_PATTERN;
use alloc::vec::Vec;
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
];

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
    crate::harness::ensure_raw!(status, WrongType);
    Ok(())
}
