//! Containment: a misbehaving program is killed or refused while the system keeps running.
//!
//! The null dereference is the one case that dies on purpose: `init` expects its process to
//! end with `ZX_TASK_RETCODE_EXCEPTION_KILL`. Handle-table exhaustion lives with the handle
//! cases.

use crate::harness::{Case, Context, Outcome, case, ensure, ensure_eq, killed_case, long};
use alloc::vec::Vec;
use syscalls_abi::numbers;
use user::abi::*;
use user::handle::is_live_handle_value;
use user::sys::{self, probe};
use user::vm::{USER_BASE, USER_END};
use user::{AsHandleRef, Event, Status, Task, rt};

pub const CASES: &[Case] = &[
    killed_case(
        "null_dereference_kills_the_process",
        ZX_TASK_RETCODE_EXCEPTION_KILL,
        null_deref,
    ),
    case(
        "spinning_processes_die_with_their_job_while_others_run",
        spinners_killed,
    ),
    case("unknown_syscall_numbers_are_bad_syscall", bad_syscall),
    case("garbage_syscalls_only_get_error_statuses", garbage),
];

fn null_deref(_: &Context) -> Outcome {
    let byte = probe::read_byte(0);
    Err(crate::harness::Fail(alloc::format!(
        "read {byte} from address 0 and lived"
    )))
}

/// Spinning helpers started: more than the CPUs the suite runs on.
const SPINNERS: usize = 6;

fn spinners_killed(context: &Context) -> Outcome {
    let (doomed, alive) = (context.sub_job()?, context.sub_job()?);
    let (echo, channel) = context.helper_in(&alive, "echo", &[])?;
    let spinners = (0..SPINNERS)
        .map(|_| context.helper(&doomed, "spin_threads", &["2"], Vec::new()))
        .collect::<Result<Vec<_>, _>>()?;

    for round in 0..3u8 {
        channel.write(&[round], Vec::new())?;
        ensure_eq!(channel.read_wait(long())?.bytes, alloc::vec![round]);
    }
    doomed.kill()?;
    for spinner in &spinners {
        spinner.process.wait_terminated(long())?;
        ensure_eq!(
            spinner.process.info()?.return_code,
            ZX_TASK_RETCODE_SYSCALL_KILL
        );
    }
    channel.write(b"after", Vec::new())?;
    ensure_eq!(
        channel.read_wait(long())?.bytes.as_slice(),
        b"after".as_slice()
    );
    ensure!(!echo.process.info()?.exited);
    Ok(())
}

fn bad_syscall(_: &Context) -> Outcome {
    for number in [numbers::debug_write + 1, 1000, 1 << 31, u64::MAX] {
        let raw = sys::syscall_inert(number, [0; 8])
            .map_err(|why| crate::harness::Fail(alloc::format!("arguments refused: {why:?}")))?;
        ensure_eq!(raw, i64::from(ZX_ERR_BAD_SYSCALL));
    }
    Ok(())
}

/// Calls the garbage fuzzer makes.
const GARBAGE_CALLS: usize = 20_000;
/// Syscalls the fuzzer leaves out: ending this process or thread, or sleeping until a
/// garbage deadline, would end or stall the case rather than test the kernel.
const SKIPPED: [u64; 3] = [
    numbers::process_exit,
    numbers::thread_exit,
    numbers::nanosleep,
];

/// A deterministic generator (xorshift64*), so a failure repeats.
struct Garbage(u64);

impl Garbage {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// An argument that addresses no user memory and names no handle of this process.
    fn argument(&mut self) -> u64 {
        let candidates = [
            0,
            1,
            u64::MAX,
            0x8000_0000_0000_0000,
            0xffff_8000_0000_0000,
            USER_END as u64 + self.next() % 0x1000,
            self.next() % USER_BASE as u64,
            self.next() | 0xffff_0000_0000_0000,
            (self.next() & 0xffff_ffff) | 0x0000_8000_0000_0000,
            self.next() & 0xffff_ffff | 3,
        ];
        let pick = candidates[(self.next() % candidates.len() as u64) as usize];
        let user = USER_BASE as u64..USER_END as u64;
        if user.contains(&pick) || is_live_handle_value(pick as u32) {
            0
        } else {
            pick
        }
    }
}

fn garbage(_: &Context) -> Outcome {
    let mut garbage = Garbage(0x5350_494e_454c);
    let numbers: Vec<u64> = (0..=numbers::debug_write)
        .filter(|n| !SKIPPED.contains(n))
        .collect();
    for _ in 0..GARBAGE_CALLS {
        let number = numbers[(garbage.next() % numbers.len() as u64) as usize];
        let mut args: [u64; 8] = core::array::from_fn(|_| garbage.argument());
        if number == numbers::object_wait_many {
            // With no items, object_wait_many sleeps until its deadline; a garbage deadline may
            // be hours away. Keep it in the past: the call still checks everything else.
            args[2] = 0;
        }
        let raw = sys::syscall_inert(number, args)
            .map_err(|why| crate::harness::Fail(alloc::format!("arguments refused: {why:?}")))?;
        if number == numbers::clock_get_monotonic {
            continue;
        }
        ensure!(
            Status::is_valid_raw(raw),
            "syscall {} ({:?}) with {:x?} returned {raw}, not a status",
            number,
            numbers::name(number),
            args
        );
    }
    // This process is intact: its own handles and the kernel still answer.
    ensure!(rt::process_self().info().is_ok());
    ensure!(Event::create()?.koid()? != 0);
    Ok(())
}
