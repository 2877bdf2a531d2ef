//! The monotonic clock: the TSC, counted from boot and converted to nanoseconds.
//!
//! The TSC's frequency comes from CPUID leaf 15H when it is given exactly, otherwise from
//! measuring the TSC against the HPET or the ACPI PM timer ([`ReferenceClock`]), otherwise from
//! the nominal frequency of leaf 16H. Conversions use 32.32 fixed-point factors computed once,
//! so reading the clock is an `rdtsc`, a subtraction and one widening multiply.
//!
//! Invariant: after [`init`], [`now`] never goes back and agrees across CPUs. That rests on the
//! TSC being invariant and synchronised between CPUs, which firmware arranges on the machines
//! Spinel supports and QEMU provides. Under `-icount` the TSC counts guest instructions and the
//! reference clocks count the same virtual nanoseconds, so the measured frequency is 1 GHz and
//! the clock advances with the work done (and jumps forward over idle time).

use super::cpuid;
use super::reference_clock::ReferenceClock;
use core::sync::atomic::{AtomicU64, Ordering};

/// Nanoseconds per second.
pub const NS_PER_SECOND: u64 = 1_000_000_000;
/// How long one measurement of the TSC against a reference clock lasts.
const MEASUREMENT_NS: u64 = 10_000_000;
/// Measurements taken; the median is kept, so one disturbed by the host does not count.
const MEASUREMENTS: usize = 3;
/// The frequency assumed when nothing can measure the TSC.
const FALLBACK_HZ: u64 = 1_000_000_000;

static BOOT_TSC: AtomicU64 = AtomicU64::new(0);
/// Nanoseconds per tick, 32.32 fixed point.
static NS_PER_TICK: AtomicU64 = AtomicU64::new(1 << 32);
/// Ticks per nanosecond, 32.32 fixed point.
static TICKS_PER_NS: AtomicU64 = AtomicU64::new(1 << 32);

/// Reads the time-stamp counter.
pub fn read() -> u64 {
    // SAFETY: RDTSC is available on every x86_64 CPU and only reads the counter.
    unsafe { core::arch::x86_64::_rdtsc() }
}

/// Finds the TSC's frequency and starts the clock at zero; runs once on the bootstrap CPU.
pub fn init() {
    let (hz, source) = frequency();
    NS_PER_TICK.store(
        ((NS_PER_SECOND as u128) << 32).div_ceil(hz as u128) as u64,
        Ordering::Relaxed,
    );
    TICKS_PER_NS.store(
        (((hz as u128) << 32) / NS_PER_SECOND as u128) as u64,
        Ordering::Relaxed,
    );
    BOOT_TSC.store(read(), Ordering::Release);
    let invariant = if cpuid::has_invariant_tsc() {
        "invariant"
    } else {
        "not marked invariant"
    };
    log::info!(
        "clock: TSC at {}.{:03} MHz ({source}), {invariant}",
        hz / 1_000_000,
        hz / 1_000 % 1_000
    );
}

/// The TSC frequency and where it came from.
fn frequency() -> (u64, &'static str) {
    if let Some(hz) = cpuid::tsc_hz_from_crystal() {
        return (hz, "CPUID leaf 15H");
    }
    if let Some(reference) = ReferenceClock::find() {
        let mut samples = [0; MEASUREMENTS];
        for sample in &mut samples {
            *sample = measure(&reference);
        }
        samples.sort_unstable();
        return (samples[MEASUREMENTS / 2], reference.name());
    }
    if let Some(hz) = cpuid::base_frequency_hz() {
        return (hz, "nominal, CPUID leaf 16H");
    }
    log::warn!("clock: nothing to measure the TSC against; assuming 1 GHz, so time may be off");
    (FALLBACK_HZ, "assumed")
}

/// TSC ticks per second over [`MEASUREMENT_NS`] of `reference`.
fn measure(reference: &ReferenceClock) -> u64 {
    let wanted = reference.hz() * MEASUREMENT_NS / NS_PER_SECOND;
    let start = reference.read();
    let tsc_start = read();
    let (elapsed, tsc_end) = loop {
        let now = reference.read();
        let tsc = read();
        let elapsed = reference.elapsed(start, now);
        if elapsed >= wanted {
            break (elapsed, tsc);
        }
        core::hint::spin_loop();
    };
    ((tsc_end - tsc_start) as u128 * reference.hz() as u128 / elapsed as u128) as u64
}

/// Nanoseconds in `ticks` TSC ticks, saturating at `u64::MAX`.
pub fn ticks_to_ns(ticks: u64) -> u64 {
    scale(ticks, NS_PER_TICK.load(Ordering::Relaxed), Rounding::Down)
}

/// TSC ticks in `ns` nanoseconds, rounded up and saturating at `u64::MAX`: a deadline too far
/// for the TSC to reach stays in the future instead of wrapping to the past.
pub fn ns_to_ticks(ns: u64) -> u64 {
    scale(ns, TICKS_PER_NS.load(Ordering::Relaxed), Rounding::Up)
}

/// Which way [`scale`] rounds a fractional result.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rounding {
    Down,
    Up,
}

/// `value` times the 32.32 fixed-point `factor`, saturating at `u64::MAX`.
fn scale(value: u64, factor: u64, rounding: Rounding) -> u64 {
    let product = value as u128 * factor as u128;
    let fraction = product as u32 != 0;
    let whole = (product >> 32) + u128::from(rounding == Rounding::Up && fraction);
    u64::try_from(whole).unwrap_or(u64::MAX)
}

/// The monotonic clock: nanoseconds since [`init`].
pub fn now() -> i64 {
    let ticks = read().saturating_sub(BOOT_TSC.load(Ordering::Relaxed));
    i64::try_from(ticks_to_ns(ticks)).unwrap_or(i64::MAX)
}

/// The TSC value at which [`now`] reaches `deadline` (no earlier), saturating at `u64::MAX`
/// (a TSC value never reached, so a timer armed for it never fires).
pub fn deadline_to_tsc(deadline: i64) -> u64 {
    let ticks = ns_to_ticks(deadline.max(0) as u64);
    BOOT_TSC.load(Ordering::Relaxed).saturating_add(ticks)
}

/// Busy-waits for at least `ns` nanoseconds.
pub fn spin_for(ns: u64) {
    let end = read().saturating_add(ns_to_ticks(ns));
    while read() < end {
        core::hint::spin_loop();
    }
}

#[cfg(feature = "qemu-test")]
mod tests {
    use super::{Rounding, deadline_to_tsc, now, scale};
    use crate::{check, check_eq, kernel_test};

    /// 3 GHz as ticks per nanosecond, 32.32 fixed point: far deadlines overflow 64 bits.
    const THREE_PER_NS: u64 = 3 << 32;

    kernel_test! {
        fn conversions_saturate_instead_of_wrapping() -> TestResult {
            let far = (i64::MAX - 1) as u64;
            check_eq!(scale(far, THREE_PER_NS, Rounding::Up), u64::MAX);
            check_eq!(scale(far, THREE_PER_NS, Rounding::Down), u64::MAX);
            check_eq!(scale(u64::MAX, u64::MAX, Rounding::Up), u64::MAX);
            check_eq!(scale(1_000, THREE_PER_NS, Rounding::Up), 3_000);
            // Half a tick rounds up, or down.
            check_eq!(scale(1, 1 << 31, Rounding::Up), 1);
            check_eq!(scale(1, 1 << 31, Rounding::Down), 0);
            Ok(())
        }
    }

    kernel_test! {
        fn later_deadlines_never_arm_the_timer_earlier() -> TestResult {
            // Doubling deadlines up to just short of infinity, with this machine's factors: a
            // conversion that wraps past 64 bits arms a later deadline before an earlier one.
            let start = now();
            let ladder = (30..63).map(|shift| 1_i64 << shift).filter(|&d| d > start);
            let mut previous = (start, deadline_to_tsc(start));
            for deadline in ladder.chain([i64::MAX - 1, i64::MAX]) {
                let tsc = deadline_to_tsc(deadline);
                check!(
                    tsc >= previous.1,
                    "deadline {deadline} arms the TSC at {tsc:#x}, before {} at {:#x}",
                    previous.0,
                    previous.1
                );
                previous = (deadline, tsc);
            }
            Ok(())
        }
    }
}
