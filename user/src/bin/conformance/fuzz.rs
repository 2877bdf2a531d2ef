//! The garbage-syscall fuzzer the `fuzz` helper runs: every syscall but the three that end or
//! stall the caller, with arguments drawn from a [`Sandbox`] (live handles of every kind,
//! pointers into a read-only page, a writable scratch and an unmapped hole) and from plain
//! garbage.
//!
//! Each call must come back with a status (`zx_clock_get_monotonic` aside, which returns the
//! time). The helper reports `done <calls> <ok>` on its channel, or `bad: <why>` at the first
//! call that did not.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use syscalls_abi::numbers as nr;
use user::abi::{
    ZX_OBJ_TYPE_CHANNEL, ZX_OBJ_TYPE_JOB, ZX_OBJ_TYPE_PORT, ZX_OBJ_TYPE_PROCESS,
    ZX_OBJ_TYPE_THREAD, ZX_OBJ_TYPE_VMAR, ZX_OBJ_TYPE_VMO,
};
use user::sys::NotInert;
use user::sys::sandbox::Sandbox;
use user::sys::signatures::{ArgKind, arg_kind};
use user::vm::{KERNEL_ADDRESS, NON_CANONICAL, NON_CANONICAL_START, USER_BASE, USER_END};
use user::{Channel, Job, Status, Time};

/// Syscalls the fuzzer leaves out: ending this process or thread, or sleeping until a
/// garbage deadline, would end or stall the fuzzer rather than test the kernel. The
/// containment cases give them garbage in helpers of their own.
pub const SKIPPED: [u64; 3] = [nr::process_exit, nr::thread_exit, nr::nanosleep];

/// Calls between two top-ups of the sandbox's pool.
const REPLENISH_EVERY: usize = 128;
/// The longest a fuzzed wait may last, in nanoseconds.
const LONGEST_WAIT_NS: u64 = 100_000;
/// The deadline arguments of the syscalls that may block, by position.
const DEADLINES: [(u64, usize); 4] = [
    (nr::object_wait_one, 2),
    (nr::object_wait_many, 2),
    (nr::port_wait, 1),
    (nr::channel_call, 2),
];

/// A deterministic generator (xorshift64*), so a failure repeats.
pub struct Garbage(pub u64);

impl Garbage {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One of `choices`.
    pub fn pick<T: Copy>(&mut self, choices: &[T]) -> T {
        choices[self.below(choices.len())]
    }

    /// An address that names no user memory: null, low, past the user range, kernel,
    /// non-canonical.
    pub fn inert(&mut self) -> u64 {
        let candidates = [
            0,
            1,
            self.next() % USER_BASE as u64,
            USER_END as u64 + self.next() % 0x1000,
            NON_CANONICAL_START as u64 | (self.next() & 0xffff_ffff),
            NON_CANONICAL as u64,
            KERNEL_ADDRESS as u64,
            self.next() | 0xffff_0000_0000_0000,
            u64::MAX,
        ];
        self.pick(&candidates)
    }

    /// A plain value: small numbers, sizes, masks, large and signed extremes, noise.
    pub fn value(&mut self) -> u64 {
        let candidates = [
            0,
            1,
            2,
            3,
            self.next() % 16,
            self.next() % 64,
            4096,
            self.next() % 8 * 4096,
            1 << 20,
            u64::from(u32::MAX),
            i64::MAX as u64,
            i64::MIN as u64,
            u64::MAX,
            self.next() & 0xffff_ffff,
            USER_BASE as u64 + self.next() % (1 << 32),
            self.next(),
        ];
        self.pick(&candidates)
    }
}

/// Runs `calls` fuzzed syscalls against a sandbox under `job`; reports on `channel`.
pub fn run(channel: &Channel, job: &Job, seed: u64, calls: usize) -> i64 {
    let report = match fuzz(job, seed, calls) {
        Ok(ok) => format!("done {calls} {ok}"),
        Err(why) => format!("bad: {why}"),
    };
    match channel.write(report.as_bytes(), Vec::new()) {
        Ok(()) => 0,
        Err(status) => status.into_raw().into(),
    }
}

/// The fuzz itself: the number of calls that returned `ZX_OK`, or why it stopped.
fn fuzz(job: &Job, seed: u64, calls: usize) -> Result<usize, String> {
    let mut sandbox = Sandbox::new(job).map_err(|s| format!("sandbox: {s}"))?;
    let mut garbage = Garbage(seed);
    let numbers: Vec<u64> = (0..=nr::debug_write)
        .filter(|n| !SKIPPED.contains(n))
        .collect();
    let mut ok = 0;
    for call in 0..calls {
        if call % REPLENISH_EVERY == 0 {
            sandbox.replenish().map_err(|s| format!("replenish: {s}"))?;
        }
        let number = garbage.pick(&numbers);
        let mut args = arguments(&mut garbage, &sandbox, number);
        let raw = issue(&mut sandbox, number, &mut args)?;
        if number == nr::clock_get_monotonic {
            continue;
        }
        if !Status::is_valid_raw(raw) {
            let name = nr::name(number);
            return Err(format!(
                "call {call}: {name:?} with {args:x?} returned {raw}, not a status"
            ));
        }
        ok += usize::from(raw == 0);
    }
    match sandbox.read_only_intact() {
        Ok(true) => Ok(ok),
        Ok(false) => Err(String::from("the kernel wrote the read-only page")),
        Err(status) => Err(format!("reading the read-only page: {status}")),
    }
}

/// Issues the call; an argument the sandbox refuses (it names a handle outside the pool, or a
/// handle array covers one) is replaced by 0 and the call tried again.
fn issue(sandbox: &mut Sandbox, number: u64, args: &mut [u64; 8]) -> Result<i64, String> {
    for _ in 0..args.len() {
        match sandbox.syscall(number, *args) {
            Ok(raw) => return Ok(raw),
            Err(NotInert::LiveHandle(at) | NotInert::UserAddress(at)) => args[at] = 0,
            Err(why) => return Err(format!("{:?} refused: {why:?}", nr::name(number))),
        }
    }
    Err(format!(
        "{:?}: no arguments the sandbox takes",
        nr::name(number)
    ))
}

/// Arguments for `number`, each drawn by its kind.
fn arguments(garbage: &mut Garbage, sandbox: &Sandbox, number: u64) -> [u64; 8] {
    let mut args = [0; 8];
    for (index, arg) in args.iter_mut().enumerate() {
        *arg = match arg_kind(number, index) {
            Some(ArgKind::Handle) => handle(garbage, sandbox, number, index),
            Some(ArgKind::Pointer) => pointer(garbage, sandbox, number, index),
            Some(ArgKind::Value) | None => garbage.value(),
        };
    }
    if let Some(&(_, at)) = DEADLINES.iter().find(|(n, _)| *n == number) {
        let soon = Time::now().into_nanos() as u64 + garbage.next() % LONGEST_WAIT_NS;
        args[at] = garbage.pick(&[0, u64::MAX, i64::MIN as u64, soon]);
    }
    args
}

/// The object type syscall `number` wants at handle argument `index`, if one: what its name
/// says for the first argument (`vmo_read` wants a VMO), and the few others by position.
fn wanted_type(number: u64, index: usize) -> Option<u32> {
    let by_position = [
        (nr::vmar_map, 3, ZX_OBJ_TYPE_VMO),
        (nr::process_start, 1, ZX_OBJ_TYPE_THREAD),
        (nr::object_wait_async, 1, ZX_OBJ_TYPE_PORT),
        (nr::job_set_critical, 2, ZX_OBJ_TYPE_PROCESS),
    ];
    if let Some(&(_, _, wanted)) = by_position
        .iter()
        .find(|(n, i, _)| (*n, *i) == (number, index))
    {
        return Some(wanted);
    }
    let prefixes = [
        ("channel_", ZX_OBJ_TYPE_CHANNEL),
        ("port_", ZX_OBJ_TYPE_PORT),
        ("vmo_", ZX_OBJ_TYPE_VMO),
        ("vmar_", ZX_OBJ_TYPE_VMAR),
        ("process_", ZX_OBJ_TYPE_PROCESS),
        ("thread_", ZX_OBJ_TYPE_THREAD),
        ("job_", ZX_OBJ_TYPE_JOB),
    ];
    let name = nr::name(number)?;
    let (_, wanted) = prefixes
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))?;
    (index == 0).then_some(*wanted)
}

/// A pool handle most of the time, often of the type the syscall wants, sometimes with
/// garbage in the upper half; else garbage.
fn handle(garbage: &mut Garbage, sandbox: &Sandbox, number: u64, index: usize) -> u64 {
    let wanted = wanted_type(number, index);
    let typed: Vec<u32> = (sandbox.pool_typed())
        .filter(|&(object_type, _)| Some(object_type) == wanted)
        .map(|(_, value)| value)
        .collect();
    let pool: Vec<u32> = sandbox.pool().collect();
    let value = match garbage.below(4) {
        0 => return garbage.value(),
        1 | 2 if !typed.is_empty() => garbage.pick(&typed),
        _ if !pool.is_empty() => garbage.pick(&pool),
        _ => return garbage.value(),
    };
    match garbage.below(8) {
        0 => u64::from(value) | (garbage.next() << 32),
        _ => u64::from(value),
    }
}

/// A pointer into the read-only page, the scratch or the hole, or an inert address. The
/// handle array of `zx_channel_write` often starts at an entry of the handle area; the two
/// pointers that must be inert are.
fn pointer(garbage: &mut Garbage, sandbox: &Sandbox, number: u64, index: usize) -> u64 {
    if Sandbox::must_be_inert(number, index) {
        return garbage.inert();
    }
    if Sandbox::is_handle_array(number, index) && garbage.below(2) == 0 {
        let area = sandbox.handle_area();
        let entries = (area.end - area.start) / 4;
        return (area.start + 4 * garbage.below(entries.max(1))) as u64;
    }
    let within = |garbage: &mut Garbage, range: core::ops::Range<usize>| {
        let offset = garbage.below(range.end - range.start);
        let offset = match garbage.below(2) {
            0 => offset & !7,
            _ => offset,
        };
        (range.start + offset) as u64
    };
    match garbage.below(4) {
        0 => within(garbage, sandbox.read_only()),
        1 => within(garbage, sandbox.scratch()),
        2 => within(garbage, sandbox.hole()),
        _ => garbage.inert(),
    }
}
