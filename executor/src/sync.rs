//! The atomics and the cell the executor's lock-free protocol is built from.
//!
//! In a normal build these are `core`'s. In the model-checked build (`--cfg loom`) they are
//! loom's, so that loom can explore every interleaving of the task state machine, the ready
//! queues and the idle protocol, and can catch two CPUs touching a task's future at once. Every
//! other module takes its atomics from here, never from `core` directly.

#[cfg(not(loom))]
pub(crate) use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering, fence};
#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering, fence};

#[cfg(loom)]
pub(crate) use loom::cell::UnsafeCell;

/// Called where a CPU goes round again waiting for another CPU to finish something (a push
/// under way): a pause hint on hardware, and under loom a yield, which loom needs to see that
/// the loop waits for another thread.
pub(crate) fn spin_hint() {
    #[cfg(loom)]
    loom::thread::yield_now();
    #[cfg(not(loom))]
    core::hint::spin_loop();
}

/// `core::cell::UnsafeCell` behind loom's closure-based interface, so that the same code checks
/// its accesses under loom and costs nothing otherwise.
#[cfg(not(loom))]
#[derive(Debug)]
pub(crate) struct UnsafeCell<T>(core::cell::UnsafeCell<T>);

#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    /// Wraps `value`.
    pub(crate) const fn new(value: T) -> Self {
        Self(core::cell::UnsafeCell::new(value))
    }

    /// Hands `f` a mutable pointer to the value; the caller's protocol must make the access
    /// exclusive.
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}
