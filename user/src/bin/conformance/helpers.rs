//! Helper processes: small roles the cases start as `conformance helper <role> [args]`.
//!
//! - `exit <code>`: exits with `<code>`.
//! - `spin`: spins forever.
//! - `spin_threads <n>`: spins on `n` threads.
//! - `sleep`: sleeps forever.
//! - `echo`: sends every message on its channel back, until the peer closes.
//! - `thread_exit`: ends its only thread with `zx_thread_exit`.
//! - `thread_exit_on_message`: waits for a message, then ends its only thread with
//!   `zx_thread_exit`.
//! - `try <object>`: creates an `event`, `channel`, `vmo` or `port`; exits with the raw status.
//! - `fault <kind>`: waits for a message, then faults: `null` (page fault), `noncanonical` (a
//!   load from a non-canonical address), `ud2`, `privileged` (`hlt`), `divide` (by zero), or
//!   `breakpoint` (after which it reports `resumed` and exits 0).
//! - `fuzz <seed> <calls>`: runs the garbage-syscall fuzzer (see [`crate::fuzz`]) against a
//!   sandbox under the job that is its second handle; reports on its channel.
//! - `process_exit <code>`: calls `zx_process_exit(<code>)`.
//! - `thread_exit_garbage <seed>`: calls `zx_thread_exit` with garbage in every argument
//!   register.
//! - `nanosleep <deadline>`: calls `zx_nanosleep(<deadline>)`, then sends the status (4 bytes).
//! - `spawn_thread`: for each message, starts a thread that returns at once, joins it and
//!   answers `joined`.
//! - `memory`: maps a page holding [`MEMORY_PATTERN`] (and [`MEMORY_TAIL`] at its end), sends
//!   its address and that of the unmapped page after it, then answers each message with the
//!   page's first bytes.
//! - `wx <call>`: asks for writable and executable pages, exits with the raw status: `map` maps
//!   a new VMO, `protect` protects a mapping through a VMAR handle without `EXECUTE`,
//!   `map_allowed` maps the executable VMO it is given as its first handle.
//!
//! The channel, where a role needs one, is the first handle of the startup message.

use alloc::vec::Vec;
use user::sys::probe;
use user::vm::{NON_CANONICAL, PAGE_SIZE};
use user::{
    AsHandleRef, Channel, Event, HandleBased, Job, Port, Rights, Startup, Status, Time, VmOptions,
    Vmo, rt, status::raw_status,
};

/// What the `memory` helper writes at the start of its page.
pub const MEMORY_PATTERN: &[u8; 8] = b"pattern!";
/// What the `memory` helper writes at the end of its page, right below the unmapped one.
pub const MEMORY_TAIL: &[u8; 4] = b"end!";
/// The return code of a helper given a role or arguments it does not know.
const EXIT_USAGE: i64 = 2;

/// Runs helper `role`; returns its return code.
pub fn run(role: &str, args: &[&str], startup: &mut Startup) -> i64 {
    let channel = Channel::from(startup.take_handle(0));
    match (role, args) {
        ("exit", [code]) => code.parse().unwrap_or(EXIT_USAGE),
        ("spin", []) => spin(),
        ("spin_threads", [count]) => {
            for _ in 1..count.parse::<usize>().unwrap_or(1) {
                let _ = user::thread::spawn("spinner", || {
                    spin();
                });
            }
            spin()
        }
        ("sleep", []) => {
            let _ = user::time::sleep_until(Time::INFINITE);
            EXIT_USAGE
        }
        ("echo", []) => echo(&channel),
        ("thread_exit", []) => user::thread::exit(),
        ("thread_exit_on_message", []) => {
            let _ = channel.read_wait(Time::INFINITE);
            user::thread::exit()
        }
        ("try", [object]) => try_create(object),
        ("fault", [kind]) => fault(&channel, kind),
        ("memory", []) => memory(&channel),
        ("wx", [call]) => write_execute(call, channel.into_handle().into()),
        ("spawn_thread", []) => spawn_thread(&channel),
        ("fuzz", [seed, calls]) => match (seed.parse(), calls.parse()) {
            (Ok(seed), Ok(calls)) => {
                let job = Job::from(startup.take_handle(1));
                crate::fuzz::run(&channel, &job, seed, calls)
            }
            _ => EXIT_USAGE,
        },
        ("process_exit", [code]) => match code.parse() {
            Ok(code) => user::sys::process_exit(code),
            Err(_) => EXIT_USAGE,
        },
        ("thread_exit_garbage", [seed]) => match seed.parse() {
            Ok(seed) => {
                let mut garbage = crate::fuzz::Garbage(seed);
                user::sys::thread_exit_with(core::array::from_fn(|_| garbage.value()))
            }
            Err(_) => EXIT_USAGE,
        },
        ("nanosleep", [deadline]) => match deadline.parse() {
            Ok(deadline) => {
                let status = user::sys::nanosleep(deadline);
                let _ = channel.write(&status.to_le_bytes(), Vec::new());
                0
            }
            Err(_) => EXIT_USAGE,
        },
        _ => EXIT_USAGE,
    }
}

fn spin() -> ! {
    loop {
        core::hint::spin_loop();
    }
}

fn echo(channel: &Channel) -> i64 {
    loop {
        match channel.read_wait(Time::INFINITE) {
            Ok(message) => {
                if channel.write(&message.bytes, message.handles).is_err() {
                    return 0;
                }
            }
            Err(Status::PeerClosed) => return 0,
            Err(status) => return status.into_raw().into(),
        }
    }
}

fn try_create(object: &str) -> i64 {
    let raw = match object {
        "event" => raw_status(&Event::create()),
        "channel" => raw_status(&Channel::create()),
        "vmo" => raw_status(&Vmo::create(4096)),
        "port" => raw_status(&Port::create()),
        _ => return EXIT_USAGE,
    };
    raw.into()
}

fn fault(channel: &Channel, kind: &str) -> i64 {
    if channel.read_wait(Time::INFINITE).is_err() {
        return EXIT_USAGE;
    }
    match kind {
        "null" => i64::from(probe::read_byte(0)),
        "noncanonical" => i64::from(probe::read_byte(NON_CANONICAL)),
        "ud2" => probe::undefined_instruction(),
        "privileged" => probe::privileged_instruction(),
        "divide" => probe::divide_by_zero(),
        "breakpoint" => {
            probe::breakpoint();
            let _ = channel.write(b"resumed", Vec::new());
            0
        }
        _ => EXIT_USAGE,
    }
}

fn spawn_thread(channel: &Channel) -> i64 {
    let run = || -> user::ZxResult<i64> {
        loop {
            match channel.read_wait(Time::INFINITE) {
                Ok(_) => {
                    let thread = user::thread::spawn("short", || {})?;
                    thread.join(Time::INFINITE).map_err(|(status, _)| status)?;
                    channel.write(b"joined", Vec::new())?;
                }
                Err(Status::PeerClosed) => return Ok(0),
                Err(status) => return Err(status),
            }
        }
    };
    run().unwrap_or_else(|status| status.into_raw().into())
}

fn memory(channel: &Channel) -> i64 {
    let run = || -> user::ZxResult<i64> {
        let vmo = Vmo::create(PAGE_SIZE as u64)?;
        vmo.write(MEMORY_PATTERN, 0)?;
        vmo.write(MEMORY_TAIL, (PAGE_SIZE - MEMORY_TAIL.len()) as u64)?;
        // Two pages: the pattern's, then one left unmapped.
        let options =
            VmOptions::CAN_MAP_READ | VmOptions::CAN_MAP_WRITE | VmOptions::CAN_MAP_SPECIFIC;
        let (region, _) = rt::root_vmar().allocate(options, 0, 2 * PAGE_SIZE)?;
        let mapped = region.map(
            VmOptions::PERM_RW | VmOptions::SPECIFIC,
            0,
            &vmo,
            0,
            PAGE_SIZE,
        )?;
        let mut addresses = Vec::new();
        addresses.extend_from_slice(&(mapped as u64).to_le_bytes());
        addresses.extend_from_slice(&((mapped + PAGE_SIZE) as u64).to_le_bytes());
        channel.write(&addresses, Vec::new())?;
        loop {
            match channel.read_wait(Time::INFINITE) {
                Ok(_) => {
                    let bytes: Vec<u8> = (0..8).map(|i| probe::read_byte(mapped + i)).collect();
                    channel.write(&bytes, Vec::new())?;
                }
                Err(Status::PeerClosed) => return Ok(0),
                Err(status) => return Err(status),
            }
        }
    };
    run().unwrap_or_else(|status| status.into_raw().into())
}

/// The `wx` role: one writable-and-executable request; the raw status it got.
fn write_execute(call: &str, executable: Vmo) -> i64 {
    let wx = VmOptions::PERM_RW | VmOptions::PERM_EXECUTE;
    let root = rt::root_vmar();
    let result = match call {
        "map" => Vmo::create(PAGE_SIZE as u64)
            .and_then(|vmo| root.map(wx, 0, &vmo, 0, PAGE_SIZE))
            .map(drop),
        "map_allowed" => root.map(wx, 0, &executable, 0, PAGE_SIZE).map(drop),
        "protect" => (|| {
            let vmo = Vmo::create(PAGE_SIZE as u64)?;
            let address = root.map(VmOptions::PERM_RW, 0, &vmo, 0, PAGE_SIZE)?;
            let rights = root.basic_info()?.rights - Rights::EXECUTE;
            root.duplicate(rights)?.protect(wx, address, PAGE_SIZE)
        })(),
        _ => return EXIT_USAGE,
    };
    raw_status(&result).into()
}
