//! Locks for data that interrupt handlers also touch.
//!
//! A plain spinlock taken by both thread context and an interrupt handler deadlocks when the
//! interrupt arrives on the CPU that holds it. [`IrqMutex`] disables interrupts on the local CPU
//! for as long as its guard lives and restores the previous state when the guard drops.

use core::ops::{Deref, DerefMut};
use x86_64::instructions::interrupts;

/// A spinlock that keeps local interrupts off while held.
pub struct IrqMutex<T> {
    inner: spin::Mutex<T>,
}

/// Proof that an [`IrqMutex`] is held; interrupts come back (if they were on) when it drops.
///
/// Fields drop in declaration order: the lock is released first, then interrupts are restored.
pub struct IrqMutexGuard<'a, T> {
    guard: spin::MutexGuard<'a, T>,
    _interrupts: RestoreInterrupts,
}

/// Re-enables local interrupts on drop if they were enabled when it was made.
struct RestoreInterrupts {
    were_enabled: bool,
}

impl RestoreInterrupts {
    fn disable() -> Self {
        let were_enabled = interrupts::are_enabled();
        interrupts::disable();
        RestoreInterrupts { were_enabled }
    }
}

impl Drop for RestoreInterrupts {
    fn drop(&mut self) {
        if self.were_enabled {
            interrupts::enable();
        }
    }
}

impl<T> IrqMutex<T> {
    /// A new unlocked mutex.
    pub const fn new(value: T) -> Self {
        IrqMutex {
            inner: spin::Mutex::new(value),
        }
    }

    /// Disables local interrupts, then spins until the lock is free.
    #[inline]
    pub fn lock(&self) -> IrqMutexGuard<'_, T> {
        let interrupts = RestoreInterrupts::disable();
        IrqMutexGuard {
            guard: self.inner.lock(),
            _interrupts: interrupts,
        }
    }

    /// Like [`lock`](Self::lock), but gives up after `spins` attempts. The panic path uses it so
    /// that a lock held by a CPU that will never release it cannot silence the panic message.
    pub fn lock_or_steal(&self, spins: usize) -> IrqMutexGuard<'_, T> {
        let interrupts = RestoreInterrupts::disable();
        for _ in 0..spins {
            if let Some(guard) = self.inner.try_lock() {
                return IrqMutexGuard {
                    guard,
                    _interrupts: interrupts,
                };
            }
            core::hint::spin_loop();
        }
        // SAFETY: only the panic path calls this, after the other CPUs were told to stop; the
        // holder will not touch the data again, so taking it over cannot race with it.
        unsafe { self.inner.force_unlock() };
        IrqMutexGuard {
            guard: self.inner.lock(),
            _interrupts: interrupts,
        }
    }
}

impl<T> Deref for IrqMutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> DerefMut for IrqMutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

/// A `lock_api` raw mutex with the same interrupt discipline as [`IrqMutex`], for crates that
/// take a lock type parameter (the heap allocator).
pub struct IrqRawMutex {
    locked: core::sync::atomic::AtomicBool,
    /// Whether interrupts were enabled when the current holder locked; written only by it.
    restore_interrupts: core::sync::atomic::AtomicBool,
}

// SAFETY: `lock` returns only after this CPU swapped `locked` from false to true, so at most one
// holder exists; `unlock` releases with Release ordering, pairing with the Acquire of `lock`.
unsafe impl lock_api::RawMutex for IrqRawMutex {
    const INIT: Self = IrqRawMutex {
        locked: core::sync::atomic::AtomicBool::new(false),
        restore_interrupts: core::sync::atomic::AtomicBool::new(false),
    };
    type GuardMarker = lock_api::GuardNoSend;

    #[inline]
    fn lock(&self) {
        use core::sync::atomic::Ordering;
        let were_enabled = interrupts::are_enabled();
        interrupts::disable();
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            core::hint::spin_loop();
        }
        self.restore_interrupts
            .store(were_enabled, Ordering::Relaxed);
    }

    fn try_lock(&self) -> bool {
        use core::sync::atomic::Ordering;
        let were_enabled = interrupts::are_enabled();
        interrupts::disable();
        let locked = self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok();
        if locked {
            self.restore_interrupts
                .store(were_enabled, Ordering::Relaxed);
        } else if were_enabled {
            interrupts::enable();
        }
        locked
    }

    #[inline]
    unsafe fn unlock(&self) {
        use core::sync::atomic::Ordering;
        let restore = self.restore_interrupts.load(Ordering::Relaxed);
        self.locked.store(false, Ordering::Release);
        if restore {
            interrupts::enable();
        }
    }
}
