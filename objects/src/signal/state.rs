//! An object's signal state: its current signals and the waiters parked on them.
//!
//! Two kinds of waiter park here. A *task* waiter belongs to a `wait_one` or `wait_many`
//! future: when a signal it watches is asserted, the waiter records the signals of that moment
//! as its outcome and its task is woken. An *observer* belongs to a `wait_async`: when it
//! triggers it is removed and a packet goes to its port (one-shot). Both are tied to the handle
//! they were started through; when that handle leaves its table, task waiters end with
//! `HANDLE_CLOSED` added to their outcome and observers are dropped without a packet.
//!
//! Invariant: a waiter without an outcome watches no signal that is asserted now. So a change
//! that asserts nothing new wakes nobody, and `armed` (the union of what undecided waiters
//! watch, possibly larger) lets most changes skip the scan.
//!
//! The outcome is recorded under the lock, in the same critical section as the change, so a
//! pulse (set, then cleared before the waiter runs) is never lost. Wakers are called and
//! packets queued after the lock is dropped, in batches (see `waiters.rs`); nothing on this
//! path allocates.
//!
//! Lock order: a caller may hold its object's lock or a handle table's lock when it takes this
//! one. Nothing is locked under it; only the clock is read, for `ZX_WAIT_ASYNC_TIMESTAMP`.

use core::task::{Context, Poll, Waker};

use spin::Mutex;

use super::observer::{PortDelivery, PortObserver};
use arrayvec::ArrayVec;

use super::waiters::{Batch, Slot, WAKE_BATCH, WaiterList, WakeBatch};
use crate::abi::Signals;
use crate::handle::HandleId;
use crate::ipc::Port;

/// The signals of one object and the waiters parked on them.
pub struct SignalState {
    inner: Mutex<Inner>,
}

struct Inner {
    signals: Signals,
    /// A superset of the signals watched by waiters without an outcome.
    armed: Signals,
    waiters: WaiterList<Watch>,
}

/// One parked waiter.
struct Watch {
    watched: Signals,
    /// The handle the wait was started through.
    handle: HandleId,
    /// The signals when the wait was satisfied, plus `HANDLE_CLOSED` if it was cancelled.
    outcome: Option<Signals>,
    /// `Some` for a `wait_async` observer, `None` for a task.
    observer: Option<PortObserver>,
    /// An observer whose handle closed (or that `port_cancel` ended) before it triggered.
    canceled: bool,
}

/// What registering a task waiter found.
pub(crate) enum Registration {
    /// A watched signal is asserted already; these are the current signals.
    Satisfied(Signals),
    /// The waiter is parked under this key.
    Parked(usize),
}

/// A task waiter's outcome, as [`SignalState::poll_task`] found it.
pub(crate) struct TaskOutcome {
    /// The signals when the wait was satisfied, plus `HANDLE_CLOSED` if it was cancelled.
    pub(crate) signals: Signals,
    /// Whether the waiter was removed; if not, its owner calls [`SignalState::finish_task`].
    pub(crate) removed: bool,
}

/// Things to do once the lock is released.
struct Notifications {
    tasks: WakeBatch,
    packets: Batch<PortDelivery>,
}

impl SignalState {
    /// A signal state with `initial` signals asserted and nobody waiting.
    pub const fn new(initial: Signals) -> Self {
        let inner = Inner {
            signals: initial,
            armed: Signals::empty(),
            waiters: WaiterList::new(),
        };
        SignalState {
            inner: Mutex::new(inner),
        }
    }

    /// The signals asserted now (already stale when the caller looks).
    pub fn signals(&self) -> Signals {
        self.inner.lock().signals
    }

    /// How many waits and `wait_async` observers are parked.
    pub fn waiter_count(&self) -> usize {
        self.inner.lock().waiters.len()
    }

    /// Clears `clear`, then sets `set`, and wakes whoever that satisfies. The caller must hold
    /// no lock; a caller holding its object's lock uses [`SignalState::update_deferred`].
    pub fn update(&self, clear: Signals, set: Signals) {
        // Built here and filled in place: the wake-ups hold a batch's room, and returning them
        // by value would copy it all.
        let mut wakeups = Wakeups::new(self);
        self.change(clear, set, &mut wakeups);
        // Delivered here rather than by a call of their drop; emptied, they own nothing left
        // to drop.
        wakeups.flush_here();
        debug_assert!(wakeups.is_idle());
        core::mem::forget(wakeups);
    }

    /// Clears `clear`, then sets `set`, recording which waiters that satisfies; the returned
    /// [`Wakeups`] wakes them once the caller has released its own locks.
    pub fn update_deferred(&self, clear: Signals, set: Signals) -> Wakeups<'_> {
        let mut wakeups = Wakeups::new(self);
        self.change(clear, set, &mut wakeups);
        wakeups
    }

    /// Empty wake-ups for this state, to fill with [`SignalState::update_into`].
    pub fn wakeups(&self) -> Wakeups<'_> {
        Wakeups::new(self)
    }

    /// [`SignalState::update_deferred`] into `wakeups`, made by [`SignalState::wakeups`] of
    /// this state before the caller took its lock: the wake-ups stay where they are, where
    /// returning them (or passing them to [`Wakeups::deliver`]) would copy all their room.
    /// They are delivered when dropped, after the caller's lock guard if made before it.
    pub fn update_into(&self, clear: Signals, set: Signals, wakeups: &mut Wakeups<'_>) {
        debug_assert!(core::ptr::eq(wakeups.state, self));
        self.change(clear, set, wakeups);
    }

    /// The signal change itself, recording the wake-ups it causes in `wakeups`.
    #[inline]
    fn change(&self, clear: Signals, set: Signals, wakeups: &mut Wakeups<'_>) {
        let mut inner = self.inner.lock();
        let old = inner.signals;
        let new = old.difference(clear).union(set);
        inner.signals = new;

        if new.difference(old).intersects(inner.armed) {
            wakeups.more = inner.trigger(new, &mut wakeups.batch);
        }
    }

    /// Parks a task waiter watching `watched`, started through `handle`, with `waker` if given
    /// (else the first [`SignalState::poll_task`] stores one).
    #[inline]
    pub(crate) fn register_task(
        &self,
        watched: Signals,
        handle: HandleId,
        waker: Option<&Waker>,
    ) -> Registration {
        let mut inner = self.inner.lock();
        if inner.signals.intersects(watched) {
            return Registration::Satisfied(inner.signals);
        }
        let watch = Watch {
            watched,
            handle,
            outcome: None,
            observer: None,
            canceled: false,
        };
        let key = inner.waiters.insert_with(watch, waker.cloned());
        inner.armed |= watched;
        Registration::Parked(key)
    }

    /// The outcome of the task waiter at `key`, or `Pending` with the context's waker stored.
    /// A waiter with an outcome is removed in the same hold of the lock, unless a wake for it
    /// is still in flight: then its owner must still call [`SignalState::finish_task`].
    #[inline]
    pub(crate) fn poll_task(&self, key: usize, cx: &mut Context<'_>) -> Poll<TaskOutcome> {
        let mut inner = self.inner.lock();
        let slot = inner.waiters.get_mut(key);
        let Some(signals) = slot.data.outcome else {
            slot.set_waker(cx.waker());
            return Poll::Pending;
        };
        let removed = !slot.is_waking();
        if removed {
            inner.waiters.discard(key);
        }
        Poll::Ready(TaskOutcome { signals, removed })
    }

    /// Removes the task waiter at `key`; returns its outcome (if any) and the current signals.
    /// Spins while a wake for it is in flight, so its waker is never called afterwards.
    pub(crate) fn finish_task(&self, key: usize) -> (Option<Signals>, Signals) {
        loop {
            let mut inner = self.inner.lock();
            if let Some(outcome) = inner.waiters.try_remove_with(key, |watch| watch.outcome) {
                return (outcome, inner.signals);
            }
            drop(inner);
            core::hint::spin_loop();
        }
    }

    /// Parks a `wait_async` observer watching `watched`, started through `handle`, whose port
    /// has reserved room for its packet. If a watched signal is asserted already, the observer
    /// is not parked: the packet to deliver comes back instead.
    pub(crate) fn register_observer(
        &self,
        watched: Signals,
        handle: HandleId,
        observer: PortObserver,
    ) -> Option<PortDelivery> {
        let mut inner = self.inner.lock();
        if inner.signals.intersects(watched) {
            return Some(observer.into_packet(watched, inner.signals, handle));
        }
        let watch = Watch {
            watched,
            handle,
            outcome: None,
            observer: Some(observer),
            canceled: false,
        };
        inner.waiters.insert(watch);
        inner.armed |= watched;
        None
    }

    /// Ends every wait started through `handle`: task waiters get `HANDLE_CLOSED`, observers
    /// that have not triggered are dropped and their ports' reservations released.
    pub(crate) fn cancel_handle(&self, handle: HandleId) {
        let mut wakeups = Wakeups::new(self);
        let mut inner = self.inner.lock();
        if inner.waiters.is_empty() {
            return;
        }
        let signals = inner.signals;
        let mut found = false;
        for (_, slot) in inner.waiters.iter_mut() {
            let watch = &mut slot.data;
            if watch.handle != handle {
                continue;
            }
            found = true;
            match watch.observer {
                None => {
                    watch.outcome = Some(watch.outcome.unwrap_or(signals) | Signals::HANDLE_CLOSED)
                }
                Some(_) => watch.canceled |= watch.outcome.is_none(),
            }
        }
        if found {
            wakeups.more = inner.collect(&mut wakeups.batch);
        }
    }

    /// `port_cancel`: drops the untriggered observers started through `handle` that would
    /// queue on `port` with `key`. True if there was one.
    pub(crate) fn cancel_observers(&self, port: &Port, handle: HandleId, key: u64) -> bool {
        let mut wakeups = Wakeups::new(self);
        let mut inner = self.inner.lock();
        let mut found = false;
        for (_, slot) in inner.waiters.iter_mut() {
            let watch = &mut slot.data;
            let Some(observer) = &watch.observer else {
                continue;
            };
            if watch.handle == handle && watch.outcome.is_none() && observer.is_for(port, key) {
                watch.canceled = true;
                found = true;
            }
        }
        if found {
            wakeups.more = inner.collect(&mut wakeups.batch);
        }
        found
    }
}

impl Inner {
    /// Records `signals` as the outcome of every undecided waiter they satisfy, recomputes
    /// `armed` from the waiters still undecided, and collects the wake-ups of the decided ones
    /// into `batch` as [`Inner::collect`] does, all in one pass. True if some were left for a
    /// later pass because the batch filled.
    fn trigger(&mut self, signals: Signals, batch: &mut Notifications) -> bool {
        let mut armed = Signals::empty();
        let mut finished = ArrayVec::new();
        let mut more = false;
        for (key, slot) in self.waiters.iter_mut() {
            let watch = &mut slot.data;
            if watch.outcome.is_none() && !watch.canceled {
                if !watch.watched.intersects(signals) {
                    armed |= watch.watched;
                    continue;
                }
                watch.outcome = Some(signals);
            }
            more |= !take_wakeup(key, slot, batch, &mut finished);
        }
        self.armed = armed;
        if !finished.is_empty() {
            self.release_observers(&finished, batch);
        }
        more
    }

    /// Moves decided waiters' wake-ups into `batch`: task wakers (slots stay, marked waking)
    /// and observers (removed, packet or reservation release). True if some were left for a
    /// later pass because the batch filled.
    fn collect(&mut self, batch: &mut Notifications) -> bool {
        let mut finished = ArrayVec::new();
        let mut more = false;
        for (key, slot) in self.waiters.iter_mut() {
            let watch = &slot.data;
            if (watch.outcome.is_some() || watch.canceled)
                && !take_wakeup(key, slot, batch, &mut finished)
            {
                more = true;
                break;
            }
        }
        self.release_observers(&finished, batch);
        more
    }

    /// Removes the decided observers at `finished`, queueing their packets (or reservation
    /// releases) in `batch`.
    fn release_observers(&mut self, finished: &[usize], batch: &mut Notifications) {
        for &key in finished {
            let Some(watch) = self.waiters.try_remove(key) else {
                unreachable!("observers are never marked waking");
            };
            let Some(observer) = watch.observer else {
                continue;
            };
            batch.packets.push(match watch.outcome {
                Some(observed) => observer.into_packet(watch.watched, observed, watch.handle),
                None => observer.into_release(),
            });
        }
    }
}

/// The wake-up of the decided waiter `slot` at `key`: a task's waker goes into `batch` (if it
/// has one), an observer's key into `finished`. False, taking nothing, when there is no room.
fn take_wakeup(
    key: usize,
    slot: &mut Slot<Watch>,
    batch: &mut Notifications,
    finished: &mut ArrayVec<usize, WAKE_BATCH>,
) -> bool {
    if slot.data.observer.is_some() {
        return finished.try_push(key).is_ok();
    }
    if !slot.can_wake() {
        return true;
    }
    if batch.tasks.is_full() {
        return false;
    }
    batch.tasks.take_from(key, slot);
    true
}

/// Wake-ups recorded by a signal change or a cancellation, to deliver once the caller's locks
/// are released. Delivered by [`Wakeups::deliver`], or when dropped.
#[must_use = "wake-ups are delivered by `deliver` once the caller's locks are released"]
pub struct Wakeups<'a> {
    state: &'a SignalState,
    batch: Notifications,
    more: bool,
}

impl<'a> Wakeups<'a> {
    fn new(state: &'a SignalState) -> Self {
        let batch = Notifications {
            tasks: WakeBatch::new(),
            packets: Batch::new(),
        };
        Wakeups {
            state,
            batch,
            more: false,
        }
    }

    /// Calls the wakers and queues the packets. Call it with no lock held.
    pub fn deliver(self) {
        drop(self);
    }

    /// Whether nothing is left to deliver.
    #[inline]
    fn is_idle(&self) -> bool {
        self.batch.tasks.is_empty() && self.batch.packets.is_empty() && !self.more
    }

    /// Delivers everything, inlined into the caller; leaves the wake-ups idle.
    #[inline(always)]
    fn flush_here(&mut self) {
        // Most changes wake nobody: nothing to call, nothing to lock again.
        if self.is_idle() {
            return;
        }
        loop {
            let woken = self.batch.tasks.wake();
            for delivery in self.batch.packets.drain() {
                delivery.deliver();
            }
            if !woken && !self.more {
                return;
            }

            let mut inner = self.state.inner.lock();
            self.batch.tasks.end_waking(&mut inner.waiters);
            if !self.more {
                return;
            }
            self.more = inner.collect(&mut self.batch);
        }
    }
}

impl Drop for Wakeups<'_> {
    fn drop(&mut self) {
        self.flush_here();
    }
}
