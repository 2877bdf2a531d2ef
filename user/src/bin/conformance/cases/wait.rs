//! Waiting and signals (spec §5, §12): wait_one, wait_many, object_signal, events, event
//! pairs, deadlines, cancellation by handle close, and the monotonic clock.

use crate::harness::{
    Case, Context, KERNEL_ADDRESS, Outcome, case, ensure, ensure_eq, ensure_err, ensure_raw, inert,
    is_in_state, lending, long, reaches_state, short,
};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicI32, AtomicU32, Ordering};
use core::time::Duration;
use syscalls_abi::numbers;
use user::abi::*;
use user::sys::{self, Outs};
use user::{
    AsHandleRef, Event, EventPair, HandleBased, Port, Rights, Signals, Task, Time, Unowned,
    WaitItem, wait_many,
};

pub const CASES: &[Case] = &[
    case(
        "wait_one_returns_at_once_when_a_signal_is_asserted",
        already_asserted,
    ),
    case("wait_one_times_out_at_its_deadline", times_out),
    case("wait_one_with_a_past_deadline_only_polls", past_deadline),
    case(
        "wait_one_is_woken_by_a_signal_from_another_thread",
        woken_by_thread,
    ),
    case(
        "wait_one_is_canceled_when_its_handle_is_closed",
        canceled_by_close,
    ),
    case("wait_one_without_wait_right_is_access_denied", wait_denied),
    case("wait_one_on_a_closed_handle_is_bad_handle", wait_bad_handle),
    case(
        "wait_many_fills_in_pending_signals_of_every_item",
        many_pending,
    ),
    case("wait_many_times_out_at_its_deadline", many_times_out),
    case(
        "wait_many_with_too_many_items_is_out_of_range",
        many_too_many,
    ),
    case(
        "wait_many_is_canceled_when_one_handle_is_closed",
        many_canceled,
    ),
    case("wait_many_with_a_bad_handle_is_bad_handle", many_bad_handle),
    case(
        "wait_one_with_a_bad_observed_pointer_is_invalid_args",
        bad_observed,
    ),
    case(
        "wait_many_with_a_bad_items_pointer_is_invalid_args",
        many_bad_items,
    ),
    case(
        "wait_many_item_without_wait_right_is_access_denied",
        many_denied,
    ),
    case(
        "wait_many_item_that_cannot_be_waited_on_is_not_supported",
        many_not_waitable,
    ),
    case("object_signal_sets_and_clears_user_signals", signal_user),
    case(
        "object_signal_of_non_user_bits_is_invalid_args",
        signal_bad_bits,
    ),
    case(
        "object_signal_without_signal_right_is_access_denied",
        signal_denied,
    ),
    case("object_signal_peer_reaches_the_other_end", signal_peer),
    case(
        "eventpair_peer_closed_is_asserted_when_the_peer_closes",
        eventpair_peer_closed,
    ),
    case("event_create_with_options_is_invalid_args", event_options),
    case("nanosleep_returns_after_its_deadline", nanosleep),
    case(
        "nanosleep_until_just_before_infinity_sleeps_until_killed_and_the_rest_runs",
        nanosleep_far,
    ),
    case("clock_monotonic_never_goes_backwards", monotonic),
];

fn already_asserted(_: &Context) -> Outcome {
    let event = Event::create()?;
    event.signal(Signals::empty(), Signals::EVENT_SIGNALED)?;
    let observed = event.wait_one(Signals::EVENT_SIGNALED, Time::INFINITE)?;
    ensure!(observed.contains(Signals::EVENT_SIGNALED));
    Ok(())
}

fn times_out(_: &Context) -> Outcome {
    let event = Event::create()?;
    let deadline = short();
    ensure_err!(event.wait_one(Signals::EVENT_SIGNALED, deadline), TimedOut);
    ensure!(
        Time::now() >= deadline,
        "the wait ended before its deadline"
    );
    Ok(())
}

fn past_deadline(_: &Context) -> Outcome {
    let event = Event::create()?;
    ensure_err!(event.wait_one(Signals::USER_0, Time::ZERO), TimedOut);
    event.signal(Signals::empty(), Signals::USER_0)?;
    event.wait_one(Signals::USER_0, Time::ZERO)?;
    Ok(())
}

fn woken_by_thread(_: &Context) -> Outcome {
    let event = Arc::new(Event::create()?);
    let signaler = {
        let event = event.clone();
        user::thread::spawn("signaler", move || {
            let _ = user::time::sleep(Duration::from_millis(5));
            let _ = event.signal(Signals::empty(), Signals::USER_3);
        })?
    };
    event.wait_one(Signals::USER_3, long())?;
    signaler.join(long()).map_err(|(status, _)| status)?;
    Ok(())
}

/// Starts a thread blocked in `wait` on raw handle `raw`; returns it and where its status
/// and observed signals land once the wait ends.
fn blocked_waiter(
    state: u32,
    wait: impl FnOnce() -> (i32, u32) + Send + 'static,
) -> Result<(user::thread::JoinHandle, Arc<AtomicI32>, Arc<AtomicU32>), crate::harness::Fail> {
    let (status, observed) = (Arc::new(AtomicI32::new(1)), Arc::new(AtomicU32::new(0)));
    let waiter = {
        let (status, observed) = (status.clone(), observed.clone());
        user::thread::spawn("waiter", move || {
            let (raw, signals) = wait();
            observed.store(signals, Ordering::SeqCst);
            status.store(raw, Ordering::SeqCst);
        })?
    };
    ensure!(
        reaches_state(waiter.thread(), state),
        "the waiter never blocked"
    );
    Ok((waiter, status, observed))
}

fn canceled_by_close(_: &Context) -> Outcome {
    let raw = Event::create()?.into_handle().into_raw();
    let (waiter, status, observed) = blocked_waiter(ZX_THREAD_STATE_BLOCKED_WAIT_ONE, move || {
        let mut observed = 0;
        let deadline = Time::after(Duration::from_secs(10)).into_nanos();
        (
            sys::object_wait_one(raw, Signals::USER_0.bits(), deadline, &mut observed),
            observed,
        )
    })?;
    ensure_raw!(sys::handle_close(raw), Ok);
    waiter.join(long()).map_err(|(status, _)| status)?;
    ensure_raw!(status.load(Ordering::SeqCst), Canceled);
    let observed = Signals::from_bits_retain(observed.load(Ordering::SeqCst));
    ensure!(
        observed.contains(Signals::HANDLE_CLOSED),
        "observed {observed:?}"
    );
    Ok(())
}

fn wait_denied(_: &Context) -> Outcome {
    let event = Event::create()?.duplicate(Rights::SIGNAL)?;
    ensure_err!(event.wait_one(Signals::USER_0, Time::ZERO), AccessDenied);
    Ok(())
}

fn wait_bad_handle(_: &Context) -> Outcome {
    let raw = Event::create()?.into_handle().into_raw();
    sys::handle_close(raw);
    ensure_raw!(
        sys::object_wait_one(raw, Signals::USER_0.bits(), 0, &mut 0),
        BadHandle
    );
    Ok(())
}

fn items(events: &[Event], waitfor: Signals) -> Vec<WaitItem<'_>> {
    events.iter().map(|e| WaitItem::new(e, waitfor)).collect()
}

fn many_pending(_: &Context) -> Outcome {
    let events = [Event::create()?, Event::create()?, Event::create()?];
    events[0].signal(Signals::empty(), Signals::USER_1)?;
    events[2].signal(Signals::empty(), Signals::USER_0)?;
    let mut items = items(&events, Signals::USER_0);
    wait_many(&mut items, long())?;
    let pending = |i: usize| items[i].pending;
    ensure!(
        pending(0).contains(Signals::USER_1),
        "item 0: {:?}",
        pending(0)
    );
    ensure!(
        !pending(1).intersects(Signals::USER_ALL),
        "item 1: {:?}",
        pending(1)
    );
    ensure!(
        pending(2).contains(Signals::USER_0),
        "item 2: {:?}",
        pending(2)
    );
    Ok(())
}

fn many_times_out(_: &Context) -> Outcome {
    let events = [Event::create()?, Event::create()?];
    let mut items = items(&events, Signals::USER_0);
    let deadline = short();
    ensure_err!(wait_many(&mut items, deadline), TimedOut);
    ensure!(Time::now() >= deadline);
    Ok(())
}

fn many_too_many(_: &Context) -> Outcome {
    let event = Event::create()?;
    let mut items = alloc::vec![WaitItem::new(&event, Signals::USER_0); ZX_WAIT_MANY_MAX_ITEMS + 1];
    ensure_err!(wait_many(&mut items, Time::ZERO), OutOfRange);
    Ok(())
}

fn many_canceled(_: &Context) -> Outcome {
    let keep = Event::create()?;
    let (kept, closed) = (keep.raw_handle(), Event::create()?.into_handle().into_raw());
    let (waiter, status, pending) = blocked_waiter(ZX_THREAD_STATE_BLOCKED_WAIT_MANY, move || {
        let (kept, closed) = (
            Unowned::<Event>::from_raw(kept),
            Unowned::<Event>::from_raw(closed),
        );
        let mut items = [
            WaitItem::new(&*kept, Signals::USER_0),
            WaitItem::new(&*closed, Signals::USER_0),
        ];
        let status = wait_many(&mut items, Time::after(Duration::from_secs(10)));
        (
            status.map_or_else(|s| s.into_raw(), |()| 0),
            items[1].pending.bits(),
        )
    })?;
    ensure_raw!(sys::handle_close(closed), Ok);
    waiter.join(long()).map_err(|(status, _)| status)?;
    ensure_raw!(status.load(Ordering::SeqCst), Canceled);
    let pending = Signals::from_bits_retain(pending.load(Ordering::SeqCst));
    ensure!(
        pending.contains(Signals::HANDLE_CLOSED),
        "pending {pending:?}"
    );
    Ok(())
}

fn many_bad_handle(_: &Context) -> Outcome {
    let event = Event::create()?;
    let closed = Event::create()?.into_handle().into_raw();
    sys::handle_close(closed);
    let closed = Unowned::<Event>::from_raw(closed);
    let mut items = [
        WaitItem::new(&event, Signals::USER_0),
        WaitItem::new(&*closed, Signals::USER_0),
    ];
    ensure_err!(wait_many(&mut items, Time::ZERO), BadHandle);
    Ok(())
}

fn bad_observed(_: &Context) -> Outcome {
    let event = Event::create()?;
    event.signal(Signals::empty(), Signals::USER_0)?;
    let handle = event.raw_handle();
    let args = [
        handle.into(),
        Signals::USER_0.bits().into(),
        0,
        KERNEL_ADDRESS,
        0,
        0,
        0,
        0,
    ];
    let status = lending(numbers::object_wait_one, args, handle, &mut Outs::default())?;
    ensure_raw!(status, InvalidArgs);
    Ok(())
}

fn many_bad_items(_: &Context) -> Outcome {
    for items in [0, KERNEL_ADDRESS] {
        let status = inert(numbers::object_wait_many, [items, 1, 0, 0, 0, 0, 0, 0])?;
        ensure_raw!(status, InvalidArgs);
    }
    Ok(())
}

fn many_denied(_: &Context) -> Outcome {
    let event = Event::create()?;
    let no_wait = event.duplicate(Rights::SIGNAL)?;
    event.signal(Signals::empty(), Signals::USER_0)?;
    let mut items = [
        WaitItem::new(&event, Signals::USER_0),
        WaitItem::new(&no_wait, Signals::USER_0),
    ];
    ensure_err!(wait_many(&mut items, Time::ZERO), AccessDenied);
    Ok(())
}

fn many_not_waitable(_: &Context) -> Outcome {
    let (event, port) = (Event::create()?, Port::create()?);
    // Spec §5.1-§5.2: NOT_SUPPORTED for an object that is not waitable, "e.g. a port".
    let mut items = [
        WaitItem::new(&event, Signals::USER_0),
        WaitItem::new(&port, Signals::USER_0),
    ];
    ensure_err!(wait_many(&mut items, Time::ZERO), NotSupported);
    Ok(())
}

fn signal_user(_: &Context) -> Outcome {
    let event = Event::create()?;
    event.signal(Signals::empty(), Signals::USER_0 | Signals::USER_1)?;
    let observed = event.wait_one(Signals::USER_ALL, Time::ZERO)?;
    ensure_eq!(
        observed & Signals::USER_ALL,
        Signals::USER_0 | Signals::USER_1
    );
    event.signal(Signals::USER_0, Signals::empty())?;
    let observed = event.wait_one(Signals::USER_ALL, Time::ZERO)?;
    ensure_eq!(observed & Signals::USER_ALL, Signals::USER_1);
    Ok(())
}

fn signal_bad_bits(_: &Context) -> Outcome {
    let event = Event::create()?;
    ensure_err!(
        event.signal(Signals::empty(), Signals::READABLE),
        InvalidArgs
    );
    Ok(())
}

fn signal_denied(_: &Context) -> Outcome {
    let event = Event::create()?.duplicate(Rights::WAIT)?;
    ensure_err!(
        event.signal(Signals::empty(), Signals::USER_0),
        AccessDenied
    );
    Ok(())
}

fn signal_peer(_: &Context) -> Outcome {
    let (a, b) = EventPair::create()?;
    a.signal_peer(Signals::empty(), Signals::USER_2)?;
    let observed = b.wait_one(Signals::USER_2, Time::ZERO)?;
    ensure!(observed.contains(Signals::USER_2));
    ensure_err!(a.wait_one(Signals::USER_2, Time::ZERO), TimedOut);
    Ok(())
}

fn eventpair_peer_closed(_: &Context) -> Outcome {
    let (a, b) = EventPair::create()?;
    drop(a);
    b.wait_one(Signals::EVENTPAIR_PEER_CLOSED, long())?;
    ensure_err!(b.signal_peer(Signals::empty(), Signals::USER_0), PeerClosed);
    Ok(())
}

fn event_options(_: &Context) -> Outcome {
    ensure_raw!(sys::event_create(1, &mut 0), InvalidArgs);
    Ok(())
}

fn nanosleep(_: &Context) -> Outcome {
    let deadline = Time::after(Duration::from_millis(10));
    user::time::sleep_until(deadline)?;
    ensure!(Time::now() >= deadline, "woke before the deadline");
    Ok(())
}

/// Timed sleeps the case takes while a thread sleeps towards a far deadline.
const SLEEPS_BESIDE_A_FAR_DEADLINE: usize = 10;

/// A deadline just short of `ZX_TIME_INFINITE` takes the timer path (only the infinite one
/// skips it); its conversion to a TSC deadline must saturate, not wrap into the past, where
/// the timer would fire without end and starve everything else on that CPU.
fn nanosleep_far(_: &Context) -> Outcome {
    let sleeper = user::thread::spawn("far sleeper", || {
        let _ = sys::nanosleep(ZX_TIME_INFINITE - 1);
    })?;
    ensure!(
        reaches_state(sleeper.thread(), ZX_THREAD_STATE_BLOCKED_SLEEPING),
        "the sleeper never went to sleep"
    );
    for _ in 0..SLEEPS_BESIDE_A_FAR_DEADLINE {
        let deadline = Time::after(Duration::from_millis(2));
        user::time::sleep_until(deadline)?;
        ensure!(Time::now() >= deadline, "woke before the deadline");
    }
    ensure!(
        is_in_state(sleeper.thread(), ZX_THREAD_STATE_BLOCKED_SLEEPING),
        "the far sleep ended: {:?}",
        sleeper.thread().info()
    );
    sleeper.thread().kill()?;
    sleeper.join(long()).map_err(|(status, _)| status)?;
    Ok(())
}

fn monotonic(_: &Context) -> Outcome {
    let mut last = Time::now();
    ensure!(last > Time::ZERO, "the clock reads {last:?}");
    for _ in 0..1000 {
        let now = Time::now();
        ensure!(now >= last, "{now:?} after {last:?}");
        last = now;
    }
    Ok(())
}
