//! A clock that moves only when told: `set` and `advance` wake the sleeps that fall due.
//!
//! Host tests use it to drive deadlines exactly; it also counts the sleeps it was asked for,
//! so a test can check that a wait never armed a timer.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::future::Future;
use core::pin::Pin;
use core::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use core::task::{Context, Poll, Waker};

use slab::Slab;
use spin::Mutex;

use super::{Clock, Sleep};
use crate::abi::Time;

/// A clock that changes only through [`ManualClock::set`] and [`ManualClock::advance`].
pub struct ManualClock {
    shared: Arc<Shared>,
}

struct Shared {
    now: AtomicI64,
    /// Sleeps not yet due. The lock is held while a sleep reads `now` and parks, and `set`
    /// takes it after storing `now`, so no sleep misses the change that makes it due.
    sleepers: Mutex<Slab<Sleeper>>,
    sleeps_started: AtomicUsize,
}

struct Sleeper {
    deadline: Time,
    waker: Option<Waker>,
}

impl ManualClock {
    /// A clock reading `start`.
    pub fn new(start: Time) -> Arc<ManualClock> {
        let shared = Shared {
            now: AtomicI64::new(start),
            sleepers: Mutex::new(Slab::new()),
            sleeps_started: AtomicUsize::new(0),
        };
        Arc::new(ManualClock {
            shared: Arc::new(shared),
        })
    }

    /// Moves the clock to `now` and wakes the sleeps that are due.
    pub fn set(&self, now: Time) {
        self.shared.now.store(now, Ordering::SeqCst);
        let due: Vec<Waker> = self
            .shared
            .sleepers
            .lock()
            .iter_mut()
            .filter(|(_, sleeper)| sleeper.deadline <= now)
            .filter_map(|(_, sleeper)| sleeper.waker.take())
            .collect();
        for waker in due {
            waker.wake();
        }
    }

    /// Moves the clock forward by `nanoseconds`.
    pub fn advance(&self, nanoseconds: i64) {
        self.set(self.now().saturating_add(nanoseconds));
    }

    /// How many sleeps have been asked for since the clock was made.
    pub fn sleeps_started(&self) -> usize {
        self.shared.sleeps_started.load(Ordering::SeqCst)
    }

    /// How many sleeps are parked now.
    pub fn sleeping(&self) -> usize {
        self.shared.sleepers.lock().len()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Time {
        self.shared.now.load(Ordering::SeqCst)
    }

    fn sleep_until(&self, deadline: Time) -> Sleep {
        self.shared.sleeps_started.fetch_add(1, Ordering::SeqCst);
        Box::pin(ManualSleep {
            shared: self.shared.clone(),
            deadline,
            key: None,
        })
    }
}

struct ManualSleep {
    shared: Arc<Shared>,
    deadline: Time,
    key: Option<usize>,
}

impl Future for ManualSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut sleepers = this.shared.sleepers.lock();
        if this.shared.now.load(Ordering::SeqCst) >= this.deadline {
            if let Some(key) = this.key.take() {
                sleepers.remove(key);
            }
            return Poll::Ready(());
        }
        let waker = Some(cx.waker().clone());
        match this.key {
            Some(key) => sleepers[key].waker = waker,
            None => {
                this.key = Some(sleepers.insert(Sleeper {
                    deadline: this.deadline,
                    waker,
                }))
            }
        }
        Poll::Pending
    }
}

impl Drop for ManualSleep {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.shared.sleepers.lock().remove(key);
        }
    }
}
