//! The garbage sweep: every syscall, tens of thousands of times, with arguments drawn from
//! live handle values, user buffers, unmapped addresses, edge values and noise. No call may
//! panic, and once the calling processes are torn down no object and no handle may be left.
//!
//! This file is its own test binary with a single test, because the live-object counters it
//! reads are global.
//!
//! One shape is kept out on purpose: a channel endpoint sent into a channel. An endpoint
//! queued in its own queue (directly, or through a ring of channels) is a reference cycle that
//! Zircon's object model cannot collect either; it is the objects' semantics, not a leak of
//! this layer, so the sweep replaces channel handles in a write's handle array with a bad
//! value.

mod common;

use common::{Harness, begin, poll};
use objects::object::{live_handles, live_objects};
use objects::{ObjectType, Rights};
use syscalls::abi::*;

/// Calls per calling process (a process that kills or exits itself ends its epoch sooner).
const CALLS_PER_EPOCH: usize = 5_000;
/// Calling processes.
const EPOCHS: usize = 12;
/// Frames the fake physical memory hands out, so that committing a huge VMO fails quickly.
const FRAME_LIMIT: usize = 2048;

/// Every object type the objects crate makes.
const TYPES: [ObjectType; 11] = [
    ObjectType::Process,
    ObjectType::Thread,
    ObjectType::Vmo,
    ObjectType::Channel,
    ObjectType::Event,
    ObjectType::Port,
    ObjectType::EventPair,
    ObjectType::Job,
    ObjectType::Vmar,
    ObjectType::Exception,
    ObjectType::Timer,
];

#[test]
fn random_arguments_never_panic_and_leave_nothing_behind() {
    assert_nothing_alive("before the sweep");
    // Another seed explores other paths: SWEEP_SEED=<n> cargo test --test sweep.
    let seed = std::env::var("SWEEP_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok());
    let mut rng = fastrand::Rng::with_seed(seed.unwrap_or(0x5eed_cafe));
    let mut calls = 0;
    for _ in 0..EPOCHS {
        calls += epoch(&mut rng);
        assert_nothing_alive("after an epoch");
    }
    assert!(
        calls >= EPOCHS * CALLS_PER_EPOCH / 2,
        "only {calls} calls were made"
    );
}

/// One calling process's share of the sweep; returns the calls made.
fn epoch(rng: &mut fastrand::Rng) -> usize {
    let harness = Harness::new();
    harness.physical.set_limit(FRAME_LIMIT);
    let mut pool = seed_pool(&harness);
    let buffers: Vec<u64> = (0..16).map(|_| harness.memory.alloc(256 * 1024)).collect();

    for call in 0..CALLS_PER_EPOCH {
        if harness.thread.is_dying() {
            return call;
        }
        if call % 200 == 0 {
            pool.extend(seed_pool(&harness));
        }
        let (number, signature) = match rng.u8(0..40) {
            // Now and then a number no syscall has.
            0 => (rng.u64(numbers::debug_write + 1..), ""),
            _ => SIGNATURES[rng.usize(..SIGNATURES.len())],
        };
        let ends_caller = number == numbers::process_exit || number == numbers::thread_exit;
        if ends_caller && rng.u16(0..1000) != 0 {
            continue; // Rare, or every epoch would be a few calls long.
        }
        let mut args = [0; 8];
        for (arg, kind) in args.iter_mut().zip(signature.bytes().chain([b'*'; 8])) {
            *arg = draw(rng, kind, &harness, &pool, &buffers);
        }
        if number == numbers::channel_write {
            args[4] = without_channels(&harness, args[4], args[5]);
        }
        sprinkle(rng, &harness, &pool, &buffers);

        let cx = harness.context();
        let mut future = begin(&cx, number, &args);
        if poll(&mut future).is_pending() {
            // A blocked call is dropped, as a kill drops it.
            let _ = poll(&mut future);
        }
        if rng.u8(..) == 0 {
            harness.clock.advance(rng.i64(0..1_000_000));
        }
    }
    CALLS_PER_EPOCH
}

/// Live handle values of every kind, made through the syscalls.
fn seed_pool(harness: &Harness) -> Vec<u64> {
    // The caller's own tasks without DESTROY, or a kill would end most epochs early.
    let own = |handle, rights: zx_rights_t| harness.reduced(handle, rights & !ZX_RIGHT_DESTROY);
    let mut pool = vec![
        own(harness.job_handle(), ZX_DEFAULT_JOB_RIGHTS),
        own(harness.process_handle(), ZX_DEFAULT_PROCESS_RIGHTS),
        own(harness.thread_handle(), ZX_DEFAULT_THREAD_RIGHTS),
        harness.root_vmar_handle(),
        harness.event(),
        harness.port(),
        harness.vmo(16 * 4096),
        harness.create(numbers::vmo_create, &[4096, ZX_VMO_RESIZABLE.into()]),
    ];
    let (a, b) = harness.eventpair();
    let (c, d) = harness.channel();
    pool.extend([a, b, c, d]);
    let job = pool[0];
    let child_job = harness.create(numbers::job_create, &[job.into(), 0]);
    let name = harness.memory.alloc_with(b"sweep");
    let (process, vmar) =
        harness.create_pair(numbers::process_create, &[child_job.into(), name, 5, 0]);
    let thread = harness.create(numbers::thread_create, &[process.into(), name, 5, 0]);
    pool.extend([child_job, process, vmar, thread]);
    pool.into_iter().map(u64::from).collect()
}

/// The kinds of each syscall's arguments, in order (see [`draw`]).
const SIGNATURES: [(u64, &str); 49] = [
    (numbers::handle_close, "h"),
    (numbers::handle_duplicate, "hrp"),
    (numbers::handle_replace, "hrp"),
    (numbers::object_wait_one, "hstp"),
    (numbers::object_wait_many, "pnt"),
    (numbers::object_wait_async, "hhvso"),
    (numbers::object_signal, "hss"),
    (numbers::object_signal_peer, "hss"),
    (numbers::object_get_info, "hkpnpp"),
    (numbers::object_get_property, "hkpn"),
    (numbers::object_set_property, "hkpn"),
    (numbers::event_create, "op"),
    (numbers::eventpair_create, "opp"),
    (numbers::channel_create, "opp"),
    (numbers::channel_read, "hoppnnpp"),
    (numbers::channel_write, "hopnpn"),
    (numbers::channel_call, "hotppp"),
    (numbers::port_create, "op"),
    (numbers::port_queue, "hp"),
    (numbers::port_wait, "htp"),
    (numbers::port_cancel, "hhv"),
    (numbers::vmo_create, "nop"),
    (numbers::vmo_read, "hpnn"),
    (numbers::vmo_write, "hpnn"),
    (numbers::vmo_get_size, "hp"),
    (numbers::vmo_set_size, "hn"),
    (numbers::vmar_allocate, "honnpp"),
    (numbers::vmar_destroy, "h"),
    (numbers::vmar_map, "honhnnp"),
    (numbers::vmar_unmap, "han"),
    (numbers::vmar_protect, "hoan"),
    (numbers::process_create, "hpnopp"),
    (numbers::process_start, "hhaahv"),
    (numbers::process_exit, "v"),
    (numbers::process_read_memory, "hapnp"),
    (numbers::process_write_memory, "hapnp"),
    (numbers::thread_create, "hpnop"),
    (numbers::thread_start, "haavv"),
    (numbers::thread_exit, ""),
    (numbers::job_create, "hop"),
    (numbers::job_set_policy, "hoopn"),
    (numbers::job_set_critical, "hoh"),
    (numbers::task_kill, "h"),
    (numbers::task_create_exception_channel, "hop"),
    (numbers::exception_get_thread, "hp"),
    (numbers::exception_get_process, "hp"),
    (numbers::nanosleep, "t"),
    (numbers::clock_get_monotonic, ""),
    (numbers::debug_write, "pn"),
];

/// One argument of `kind`: mostly a plausible value of that kind, sometimes anything.
fn draw(
    rng: &mut fastrand::Rng,
    kind: u8,
    harness: &Harness,
    pool: &[u64],
    buffers: &[u64],
) -> u64 {
    if rng.u8(0..5) == 0 {
        return anything(rng, harness, pool, buffers);
    }
    let pick = |rng: &mut fastrand::Rng, values: &[u64]| values[rng.usize(..values.len())];
    match kind {
        b'h' => pick(rng, pool),
        b'p' => match rng.u8(0..10) {
            0 => 0,
            1 => harness.memory.unmapped() - rng.u64(0..64),
            _ => pick(rng, buffers) + rng.u64(0..4096),
        },
        b'n' => match rng.u8(0..4) {
            0 => rng.u64(0..64),
            1 => 4096 * rng.u64(0..64),
            _ => rng.u64(0..300_000),
        },
        b'o' => match rng.u8(0..10) {
            0..6 => 0,
            6 | 7 => 1 << rng.u32(0..32),
            8 => (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE)
                .into(),
            _ => rng.u64(..),
        },
        b's' => pick(
            rng,
            &[
                ZX_USER_SIGNAL_0.into(),
                ZX_EVENT_SIGNALED.into(),
                1,
                0,
                u32::MAX.into(),
            ],
        ),
        b't' => pick(
            rng,
            &[
                0,
                1_000,
                ZX_TIME_INFINITE as u64,
                ZX_TIME_INFINITE_PAST as u64,
            ],
        ),
        b'r' => {
            let subset = rng.u64(0..1 << 20);
            pick(
                rng,
                &[
                    ZX_RIGHT_SAME_RIGHTS.into(),
                    ZX_RIGHTS_BASIC.into(),
                    0,
                    subset,
                ],
            )
        }
        b'k' => rng.u64(0..30),
        b'a' => common::ENTRY + 4096 * rng.u64(0..1024),
        _ => anything(rng, harness, pool, buffers),
    }
}

/// Any argument at all.
fn anything(rng: &mut fastrand::Rng, harness: &Harness, pool: &[u64], buffers: &[u64]) -> u64 {
    match rng.u8(0..8) {
        0 => pool[rng.usize(..pool.len())],
        1 => 0,
        2 => rng.u64(0..64),
        3 => buffers[rng.usize(..buffers.len())] + rng.u64(0..4096),
        4 => harness.memory.unmapped(),
        5 => [u64::MAX, u32::MAX.into(), i64::MAX as u64, 1 << 63][rng.usize(..4)],
        _ => rng.u64(..),
    }
}

/// Writes live handle values and small numbers into the buffers, so that arrays read from
/// user memory name real handles.
fn sprinkle(rng: &mut fastrand::Rng, harness: &Harness, pool: &[u64], buffers: &[u64]) {
    let at = buffers[rng.usize(..buffers.len())] + 4 * rng.u64(0..1024);
    let value = match rng.bool() {
        true => pool[rng.usize(..pool.len())] as u32,
        false => rng.u32(0..16),
    };
    harness.memory.put(at, &value.to_le_bytes());
}

/// A handle array like the one at `list`, with every channel handle replaced by a bad
/// value; the array itself when it cannot be read.
fn without_channels(harness: &Harness, list: u64, count: u64) -> u64 {
    let count = (count as u32).min(ZX_CHANNEL_MAX_MSG_HANDLES) as usize;
    let mut bytes = vec![0; 4 * count];
    if syscalls::UserMemory::read(&harness.memory, list, &mut bytes).is_err() {
        return list;
    }
    for value in bytes.chunks_exact_mut(4) {
        let handle = u32::decode(value);
        let is_channel = harness
            .process
            .handles()
            .get_object(handle, Rights::empty())
            .is_ok_and(|object| object.object_type() == ObjectType::Channel);
        if is_channel {
            value.copy_from_slice(&0x1233u32.to_le_bytes());
        }
    }
    harness.memory.alloc_with(&bytes)
}

fn assert_nothing_alive(when: &str) {
    for object_type in TYPES {
        assert_eq!(
            live_objects(object_type),
            0,
            "{object_type:?} objects alive {when}"
        );
    }
    assert_eq!(live_handles(), 0, "handles alive {when}");
}
