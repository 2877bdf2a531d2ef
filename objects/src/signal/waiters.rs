//! Parked wakers, and the protocol that keeps a waker from being called after its future is
//! gone.
//!
//! A [`WaiterList`] is a slab of slots, each owned by one waiting future (or one `wait_async`
//! observer) and guarded by the owner object's lock. Whoever wakes a slot takes its waker out
//! under the lock and counts a wake in flight, calls the waker after dropping the lock, then
//! retakes the lock to uncount it. A slot with a wake in flight cannot be removed: the future
//! that owns it spins until the wake is done. So once a future's drop returns, nothing will
//! call its waker again.
//!
//! A [`Batch`] holds what was taken under a lock until it is released; it lives on the stack,
//! so delivering signals never allocates. A full batch is delivered and the owner collects
//! again. Batches are `ArrayVec`s: an empty one is its length alone to write, whatever room it
//! has, which matters on the path of every signal change.

use core::task::Waker;

use arrayvec::ArrayVec;
use slab::Slab;

/// How many wake-ups one pass collects before it releases the lock and delivers them.
pub(crate) const WAKE_BATCH: usize = 8;

/// The parked waiters of one object, by key.
pub(crate) struct WaiterList<T> {
    slots: Slab<Slot<T>>,
}

/// One waiter: its owner's data, its waker, and how many wakes are in flight.
pub(crate) struct Slot<T> {
    pub(crate) data: T,
    waker: Option<Waker>,
    waking: u32,
}

impl<T> WaiterList<T> {
    /// An empty list; allocates nothing until the first waiter.
    pub(crate) const fn new() -> Self {
        WaiterList { slots: Slab::new() }
    }

    /// How many waiters are parked.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no waiter is parked.
    pub(crate) fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Parks a waiter without a waker yet; the key is its owner's until removed.
    pub(crate) fn insert(&mut self, data: T) -> usize {
        self.insert_with(data, None)
    }

    /// Parks a waiter with `waker` (if any) already stored; the key is its owner's until
    /// removed.
    pub(crate) fn insert_with(&mut self, data: T, waker: Option<Waker>) -> usize {
        self.slots.insert(Slot {
            data,
            waker,
            waking: 0,
        })
    }

    /// The waiter at `key`, which its owner has not removed.
    pub(crate) fn get_mut(&mut self, key: usize) -> &mut Slot<T> {
        &mut self.slots[key]
    }

    /// Every parked waiter with its key.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (usize, &mut Slot<T>)> {
        self.slots.iter_mut()
    }

    /// Removes the waiter at `key`, or `None` while a wake for it is in flight (retry after
    /// releasing the lock).
    #[inline]
    pub(crate) fn try_remove(&mut self, key: usize) -> Option<T> {
        if self.is_waking(key) {
            return None;
        }
        let slot = self.slots.remove(key);
        if self.slots.is_empty() {
            // Forget the vacant entries too, so that scanning an idle list costs nothing.
            self.slots.clear();
        }
        Some(slot.data)
    }

    /// Removes the waiter at `key` and returns what `read` takes from its data, or `None`
    /// while a wake for it is in flight (retry after releasing the lock). Cheaper than
    /// [`WaiterList::try_remove`] when the caller needs only part of the data: the slot is
    /// read where it lies, and the last one is dropped in place rather than moved out.
    #[inline]
    pub(crate) fn try_remove_with<R>(
        &mut self,
        key: usize,
        read: impl FnOnce(&mut T) -> R,
    ) -> Option<R> {
        if self.is_waking(key) {
            return None;
        }
        let result = read(&mut self.slots[key].data);
        if self.slots.len() == 1 {
            // The only waiter: forget the vacant entries too, as `try_remove` does.
            self.slots.clear();
        } else {
            self.slots.remove(key);
        }
        Some(result)
    }

    /// Whether a wake for the waiter at `key` is in flight.
    #[inline]
    pub(crate) fn is_waking(&self, key: usize) -> bool {
        self.slots[key].is_waking()
    }

    /// Removes the waiter at `key`, whose owner has seen through [`Slot::is_waking`] that no
    /// wake for it is in flight. The last one is dropped in place, as in `try_remove_with`.
    #[inline]
    pub(crate) fn discard(&mut self, key: usize) {
        debug_assert!(!self.is_waking(key));
        if self.slots.len() == 1 {
            self.slots.clear();
        } else {
            self.slots.remove(key);
        }
    }

    /// Uncounts the wake counted by [`Slot::take_waker`], once the waker has been called.
    pub(crate) fn end_waking(&mut self, key: usize) {
        self.slots[key].waking -= 1;
    }
}

impl<T> Slot<T> {
    /// Stores `waker` unless the stored one already wakes the same task. Called on every poll,
    /// because a task may be polled on another CPU than the one that parked it.
    pub(crate) fn set_waker(&mut self, waker: &Waker) {
        match &self.waker {
            Some(stored) if stored.will_wake(waker) => {}
            _ => self.waker = Some(waker.clone()),
        }
    }

    /// Whether a wake for this waiter is in flight (its slot must stay).
    #[inline]
    pub(crate) fn is_waking(&self) -> bool {
        self.waking > 0
    }

    /// Whether a waker is stored.
    pub(crate) fn can_wake(&self) -> bool {
        self.waker.is_some()
    }

    /// Takes the waker to call after the lock is released, counting a wake in flight.
    pub(crate) fn take_waker(&mut self) -> Option<Waker> {
        let waker = self.waker.take()?;
        self.waking += 1;
        Some(waker)
    }
}

/// A fixed-size list of things to do once a lock is released.
pub(crate) struct Batch<T> {
    items: ArrayVec<T, WAKE_BATCH>,
}

impl<T> Batch<T> {
    /// An empty batch.
    pub(crate) const fn new() -> Self {
        Batch {
            items: ArrayVec::new_const(),
        }
    }

    /// Whether the batch has no room left.
    #[cfg(test)]
    pub(crate) fn is_full(&self) -> bool {
        self.items.is_full()
    }

    /// Whether the batch holds nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds an item; the caller has checked [`Batch::is_full`].
    pub(crate) fn push(&mut self, item: T) {
        self.items.push(item);
    }

    /// Takes the items out, leaving the batch empty.
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = T> + '_ {
        self.items.drain(..)
    }
}

/// Wakers taken from a [`WaiterList`], with the keys whose waking mark must be cleared.
///
/// Keys and wakers are kept apart, so that calling the wakers leaves the keys where they are
/// for [`WakeBatch::end_waking`], with nothing copied.
pub(crate) struct WakeBatch {
    keys: ArrayVec<usize, WAKE_BATCH>,
    wakers: ArrayVec<Waker, WAKE_BATCH>,
}

impl WakeBatch {
    /// An empty batch.
    pub(crate) const fn new() -> Self {
        WakeBatch {
            keys: ArrayVec::new_const(),
            wakers: ArrayVec::new_const(),
        }
    }

    /// Whether the batch has no room left.
    pub(crate) fn is_full(&self) -> bool {
        self.keys.is_full()
    }

    /// Whether the batch holds no waker.
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Takes the waker of `slot` (at `key`), if it has one to call.
    pub(crate) fn take_from<T>(&mut self, key: usize, slot: &mut Slot<T>) {
        if let Some(waker) = slot.take_waker() {
            self.keys.push(key);
            self.wakers.push(waker);
        }
    }

    /// Calls every waker, keeping the keys for [`WakeBatch::end_waking`]; true if there was
    /// one to call.
    pub(crate) fn wake(&mut self) -> bool {
        for waker in self.wakers.drain(..) {
            waker.wake();
        }
        !self.keys.is_empty()
    }

    /// Uncounts in `list` the wakes of the wakers [`WakeBatch::wake`] called, emptying the
    /// batch. The caller holds the lock of `list`'s owner.
    pub(crate) fn end_waking<T>(&mut self, list: &mut WaiterList<T>) {
        for key in self.keys.drain(..) {
            list.end_waking(key);
        }
    }

    /// Calls every waker; returns the keys to pass to [`WaiterList::end_waking`].
    pub(crate) fn wake_all(&mut self) -> WokenKeys {
        self.wake();
        WokenKeys {
            keys: core::mem::take(&mut self.keys),
        }
    }
}

/// Keys of slots whose wakers were just called.
pub(crate) struct WokenKeys {
    keys: ArrayVec<usize, WAKE_BATCH>,
}

impl WokenKeys {
    /// Whether no waker was called.
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.keys.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Counter(AtomicUsize);

    impl Wake for Counter {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_waking_slot_cannot_be_removed_until_the_wake_ends() {
        let counter = Arc::new(Counter(AtomicUsize::new(0)));
        let waker = Waker::from(counter.clone());
        let mut list = WaiterList::new();
        let key = list.insert(());
        list.get_mut(key).set_waker(&waker);

        let mut batch = WakeBatch::new();
        batch.take_from(key, list.get_mut(key));
        assert!(list.try_remove(key).is_none());

        let woken = batch.wake_all();
        assert_eq!(counter.0.load(Ordering::SeqCst), 1);
        for key in woken.iter() {
            list.end_waking(key);
        }
        assert!(list.try_remove(key).is_some());
        assert!(list.is_empty());
    }

    #[test]
    fn try_remove_with_reads_the_data_and_waits_for_a_wake_in_flight() {
        let counter = Arc::new(Counter(AtomicUsize::new(0)));
        let mut list = WaiterList::new();
        let first = list.insert(1);
        let second = list.insert(2);
        list.get_mut(second)
            .set_waker(&Waker::from(counter.clone()));
        let waker = list.get_mut(second).take_waker();
        assert_eq!(list.try_remove_with(second, |data| *data), None);
        drop(waker);
        list.end_waking(second);
        assert_eq!(list.try_remove_with(second, |data| *data), Some(2));
        assert_eq!(list.len(), 1);
        assert_eq!(list.try_remove_with(first, |data| *data), Some(1));
        assert!(list.is_empty());
    }

    #[test]
    fn set_waker_keeps_one_waker_per_slot() {
        let counter = Arc::new(Counter(AtomicUsize::new(0)));
        let mut list = WaiterList::new();
        let key = list.insert(());
        list.get_mut(key).set_waker(&Waker::from(counter.clone()));
        list.get_mut(key).set_waker(&Waker::from(counter.clone()));
        assert!(list.get_mut(key).can_wake());
        let waker = list.get_mut(key).take_waker();
        assert!(waker.is_some());
        assert!(!list.get_mut(key).can_wake());
    }

    #[test]
    fn batch_drains_in_order_and_empties() {
        let mut batch = Batch::new();
        for i in 0..WAKE_BATCH {
            assert!(!batch.is_full());
            batch.push(i);
        }
        assert!(batch.is_full());
        assert!(batch.drain().eq(0..WAKE_BATCH));
        assert_eq!(batch.drain().count(), 0);
    }
}
