//! The cases of system calls, events, channels and ports, on one CPU.
//!
//! Every span is two `rdtsc` reads (see `user::sys::tsc`); what lies between them is listed
//! for each case, and set against the Linux side's span (`bench/linux/cases_ipc.c`).
//!
//! - `null_syscall`: `zx_handle_close(ZX_HANDLE_INVALID)`, a syscall that does nothing
//!   (Zircon's defined no-op), one inline `syscall` instruction: the kernel's entry, dispatch
//!   and exit. Linux: `getppid`, one inline `syscall`.
//! - `event_switch_threads`: threads A and B of one process, each blocked in turn on its own
//!   event. A reads the TSC, signals B's event (`zx_object_signal`) and waits on its own
//!   (`zx_object_wait_one`), which blocks; B's wait returns and B reads the TSC. The span: A's
//!   signal (B made ready), A's wait up to blocking, the executor's switch from A's future to
//!   B's, and B's return to user mode. Linux: the same with a private futex.
//! - `event_switch_processes`: the same with A and B in two processes, so the switch also
//!   changes address spaces. Linux: a futex in shared memory, two processes.
//! - `object_wait_latency`: as `event_switch_threads`, but before each signal A checks (outside
//!   the span) that B's thread is in `BLOCKED_WAIT_ONE`, as the Linux side waits until its
//!   waiter sleeps. Spinel never switches at a wake: the woken thread runs when the signaller
//!   gives up the CPU, here by blocking in its own wait, so the span holds the same calls as
//!   `event_switch_threads`. Linux's woken thread preempts the signaller on its way out of the
//!   futex wake, so its span has one system call fewer.
//! - `channel_roundtrip_64`: A writes 64 bytes on its channel end, waits for the end to become
//!   readable and reads the 64-byte reply; B, in another process, waits, reads and writes the
//!   message back. Between A's reads: 6 syscalls (3 per side) and 2 address-space switches.
//!   Linux: an `AF_UNIX` `SOCK_SEQPACKET` pair, where a blocking `read` waits, so 4 syscalls.
//! - `port_queue_wait`: one thread queues a user packet on a port and waits for it, which
//!   returns at once: 2 syscalls. Linux: eventfd write and edge-triggered `epoll_wait`.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use user::abi::{ZX_HANDLE_INVALID, ZX_OK, ZX_THREAD_STATE_BLOCKED_WAIT_ONE};
use user::sys::{self, tsc};
use user::{AsHandleRef, Channel, Event, Packet, Port, Signals, Thread, Time, Vmo};

use crate::harness::{CaseResult, Context, Failure, OrFail};
use crate::peer;

/// Bytes each way in `channel_roundtrip_64`.
pub const MESSAGE_BYTES: usize = 64;
/// The key of `port_queue_wait`'s packet.
const PACKET_KEY: u64 = 0x5350_494e;

/// `null_syscall`.
pub fn null_syscall(_cx: &Context, iterations: usize) -> CaseResult {
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = tsc::read();
        let status = sys::handle_close(ZX_HANDLE_INVALID);
        let end = tsc::read();
        if status != ZX_OK {
            return Err(Failure(alloc::format!("handle_close(INVALID): {status}")));
        }
        samples.push(end - start);
    }
    Ok(samples)
}

/// The two events of a hand-off: the signaller (A) signals `to_waiter`, the waiter (B)
/// answers on `to_signaller`. Each side clears its own event after its wait returns.
pub struct Events {
    pub to_waiter: Event,
    pub to_signaller: Event,
}

impl Events {
    /// Two fresh events.
    pub fn create() -> Result<Events, Failure> {
        Ok(Events {
            to_waiter: Event::create().or_fail("event_create")?,
            to_signaller: Event::create().or_fail("event_create")?,
        })
    }
}

/// Side B of a hand-off, `iterations` times: wait for A's signal, read the TSC and hand the
/// reading to `record` (outside the span: the span ends at the read), clear, answer A.
pub fn waiter_side(
    events: &Events,
    iterations: usize,
    mut record: impl FnMut(u64) -> Result<(), Failure>,
) -> Result<(), Failure> {
    for _ in 0..iterations {
        events
            .to_waiter
            .wait_one(Signals::SIGNALED, Time::INFINITE)
            .or_fail("waiter: object_wait_one")?;
        let woke = tsc::read();
        record(woke)?;
        events
            .to_waiter
            .signal(Signals::SIGNALED, Signals::empty())
            .or_fail("waiter: clearing its event")?;
        events
            .to_signaller
            .signal(Signals::empty(), Signals::SIGNALED)
            .or_fail("waiter: object_signal")?;
    }
    Ok(())
}

/// Side A of a hand-off, `iterations` times: read the TSC, signal B, block until B answers,
/// clear, and take B's reading from `woke_at`. With `waiter` given, A first waits (outside
/// the span) until that thread is blocked in `zx_object_wait_one`.
fn signaller_side(
    events: &Events,
    iterations: usize,
    waiter: Option<&Thread>,
    mut woke_at: impl FnMut() -> Result<u64, Failure>,
) -> CaseResult {
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        if let Some(thread) = waiter {
            wait_until_blocked(thread)?;
        }
        let start = tsc::read();
        events
            .to_waiter
            .signal(Signals::empty(), Signals::SIGNALED)
            .or_fail("object_signal")?;
        events
            .to_signaller
            .wait_one(Signals::SIGNALED, Time::INFINITE)
            .or_fail("object_wait_one")?;
        events
            .to_signaller
            .signal(Signals::SIGNALED, Signals::empty())
            .or_fail("clearing its event")?;
        samples.push(woke_at()?.wrapping_sub(start));
    }
    Ok(samples)
}

/// Yields (by sleeping a little) until `thread` is blocked in `zx_object_wait_one`.
pub fn wait_until_blocked(thread: &Thread) -> Result<(), Failure> {
    /// How long to sleep between looks; the sleep costs only virtual time under icount.
    const LOOK_AGAIN: core::time::Duration = core::time::Duration::from_micros(20);
    /// Looks before giving up.
    const LOOKS: usize = 100_000;
    for _ in 0..LOOKS {
        let state = thread.info().or_fail("thread info")?.state;
        if state == ZX_THREAD_STATE_BLOCKED_WAIT_ONE {
            return Ok(());
        }
        user::time::sleep(LOOK_AGAIN).or_fail("nanosleep")?;
    }
    Err(Failure("a thread never blocked in its wait".into()))
}

/// A hand-off between two threads of this process; `check_blocked` makes it
/// `object_wait_latency`.
fn handoff_between_threads(iterations: usize, check_blocked: bool) -> CaseResult {
    let events = Arc::new(Events::create()?);
    let woke_at = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicBool::new(false));

    let (b_events, b_woke_at, b_failed) = (events.clone(), woke_at.clone(), failed.clone());
    let waiter = user::thread::spawn("bench-waiter", move || {
        let record = |woke| {
            b_woke_at.store(woke, Ordering::Release);
            Ok(())
        };
        if waiter_side(&b_events, iterations, record).is_err() {
            b_failed.store(true, Ordering::Release);
            // Let the signaller see it rather than wait for ever.
            let _ = b_events
                .to_signaller
                .signal(Signals::empty(), Signals::SIGNALED);
        }
    })
    .or_fail("spawning the waiter thread")?;

    let blocked = check_blocked.then(|| waiter.thread());
    let samples = signaller_side(&events, iterations, blocked, || {
        if failed.load(Ordering::Acquire) {
            return Err(Failure("the waiter thread failed".into()));
        }
        Ok(woke_at.load(Ordering::Acquire))
    });
    waiter
        .join(Time::INFINITE)
        .map_err(|(status, _)| Failure(alloc::format!("joining the waiter: {status}")))?;
    samples
}

/// `event_switch_threads`.
pub fn event_switch_threads(_cx: &Context, iterations: usize) -> CaseResult {
    handoff_between_threads(iterations, false)
}

/// `object_wait_latency`.
pub fn object_wait_latency(_cx: &Context, iterations: usize) -> CaseResult {
    handoff_between_threads(iterations, true)
}

/// `event_switch_processes`: B is a peer process ([`peer::EVENT_WAITER`]), which writes each
/// TSC reading at offset 0 of a VMO both sides hold.
pub fn event_switch_processes(cx: &Context, iterations: usize) -> CaseResult {
    let events = Events::create()?;
    let readings = Vmo::create(8).or_fail("vmo_create")?;
    let peer = peer::spawn(
        cx,
        peer::EVENT_WAITER,
        iterations,
        vec![
            peer::dup(&events.to_waiter)?,
            peer::dup(&events.to_signaller)?,
            peer::dup(&readings)?,
        ],
    )?;
    let samples = signaller_side(&events, iterations, None, || {
        let mut bytes = [0; 8];
        readings.read(&mut bytes, 0).or_fail("vmo_read")?;
        Ok(u64::from_le_bytes(bytes))
    })?;
    peer::finish(peer)?;
    Ok(samples)
}

/// `channel_roundtrip_64`: B is a peer process ([`peer::CHANNEL_ECHO`]).
pub fn channel_roundtrip_64(cx: &Context, iterations: usize) -> CaseResult {
    let (ours, theirs) = Channel::create().or_fail("channel_create")?;
    let peer = peer::spawn(cx, peer::CHANNEL_ECHO, iterations, vec![theirs.into()])?;
    let message = [0x5a; MESSAGE_BYTES];
    let mut reply = [0; MESSAGE_BYTES];
    let readable = Signals::CHANNEL_READABLE | Signals::CHANNEL_PEER_CLOSED;

    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = tsc::read();
        ours.write_raw(0, &message, &[]).or_fail("channel_write")?;
        ours.wait_one(readable, Time::INFINITE)
            .or_fail("object_wait_one")?;
        let (read, sizes) = ours.read_raw(0, &mut reply, &mut []);
        let end = tsc::read();
        read.or_fail("channel_read")?;
        if sizes.bytes as usize != MESSAGE_BYTES || reply != message {
            return Err(Failure("the reply is not the message".into()));
        }
        samples.push(end - start);
    }
    peer::finish(peer)?;
    Ok(samples)
}

/// Side B of `channel_roundtrip_64`: `iterations` times, wait for a message and send it back.
pub fn channel_echo(channel: &Channel, iterations: usize) -> Result<(), Failure> {
    let mut message = [0; MESSAGE_BYTES];
    let readable = Signals::CHANNEL_READABLE | Signals::CHANNEL_PEER_CLOSED;
    for _ in 0..iterations {
        channel
            .wait_one(readable, Time::INFINITE)
            .or_fail("echo: object_wait_one")?;
        let (read, sizes) = channel.read_raw(0, &mut message, &mut []);
        read.or_fail("echo: channel_read")?;
        channel
            .write_raw(0, &message[..sizes.bytes as usize], &[])
            .or_fail("echo: channel_write")?;
    }
    Ok(())
}

/// `port_queue_wait`.
pub fn port_queue_wait(_cx: &Context, iterations: usize) -> CaseResult {
    let port = Port::create().or_fail("port_create")?;
    let packet = Packet::user(PACKET_KEY, [0; user::port::PAYLOAD_SIZE]);
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = tsc::read();
        port.queue(&packet).or_fail("port_queue")?;
        let received = port.wait(Time::INFINITE);
        let end = tsc::read();
        if received.or_fail("port_wait")? != packet {
            return Err(Failure("port_wait returned another packet".into()));
        }
        samples.push(end - start);
    }
    Ok(samples)
}
