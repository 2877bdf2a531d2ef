//! A task: one spawned future, the place its output waits for the join handle, and the state
//! word that decides who may touch either.
//!
//! # The state word
//! Each task has one atomic word of flags:
//! - `SCHEDULED`: the task is in a ready queue, or the CPU polling it must put it back in one
//!   when the poll ends. Whoever sets this bit on a task that is neither scheduled, running nor
//!   closed pushes the task, so a task is queued at most once however often it is woken.
//! - `RUNNING`: a CPU is polling the future. Only the CPU that popped the task sets it, and a
//!   task is popped only from its one queue entry, so a task never runs on two CPUs at once.
//! - `COMPLETE`: the future returned `Ready`; the output (if the handle wants it) is stored.
//! - `CLOSED`: the future has been dropped; the task will never be polled again and wakes are
//!   ignored.
//! - `CANCELLED`: the join handle was dropped; the future is dropped at its next await point.
//! - `DETACHED`: the join handle was given up with `detach`; the output is not wanted.
//!
//! # Who touches the future and the output
//! The future is touched only by the CPU holding `RUNNING` (to poll it, or to drop it on
//! cancellation), never while another CPU does, and never during a poll. The output is written
//! by that CPU just before it sets `COMPLETE`, and read or dropped afterwards only by the join
//! handle or, when the handle has gone, by whichever of the two saw the other's flag (see
//! `complete` and `cancel`). These rules are what the `unsafe` blocks below rely on, and what the
//! loom models check.
//!
//! # Lifetime
//! A task holds a strong reference to itself from `spawn` until its future is dropped, so that
//! the future is always dropped by the executor on the owning CPU, never by whichever waker
//! happens to be the last reference (possibly in an interrupt handler). When the last reference
//! goes, only memory is freed. A task whose future waits for a wake-up that never comes stays
//! alive, as a thread blocked forever would.

use alloc::sync::Arc;
use core::future::Future;
use core::mem;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_util::task::{AtomicWaker, waker_ref};

use crate::Executor;
use crate::platform::Platform;
use crate::sync::{AtomicUsize, Ordering, UnsafeCell};

/// In a ready queue, or to be requeued when the running poll ends.
pub(crate) const SCHEDULED: usize = 1 << 0;
/// Being polled by one CPU.
pub(crate) const RUNNING: usize = 1 << 1;
/// The future returned `Ready`.
pub(crate) const COMPLETE: usize = 1 << 2;
/// The future has been dropped.
pub(crate) const CLOSED: usize = 1 << 3;
/// The join handle was dropped: drop the future at its next await point.
pub(crate) const CANCELLED: usize = 1 << 4;
/// The join handle was detached: nobody wants the output.
pub(crate) const DETACHED: usize = 1 << 5;

/// A task as the ready queues see it.
pub(crate) trait Runnable: Send + Sync {
    /// Polls the task once on `cpu`, which popped it from a ready queue; consumes the queue's
    /// reference.
    fn run(self: Arc<Self>, cpu: usize);
}

/// A task as its join handle sees it.
pub(crate) trait JoinTarget<T>: Send + Sync {
    /// Returns the output once the future has completed, registering `cx`'s waker otherwise.
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<T>;

    /// The handle is dropped: cancel the task (a no-op if it has completed).
    fn cancel(self: Arc<Self>);

    /// The handle is given up: let the task run to completion and drop its output.
    fn detach(&self);

    /// Whether the future has returned `Ready`.
    fn is_finished(&self) -> bool;
}

/// Where the future's work stands.
enum Stage<F: Future> {
    /// Still to be polled to completion.
    Running(F),
    /// Completed; the output waits for the join handle.
    Finished(F::Output),
    /// Nothing left: the future was dropped and the output taken or dropped.
    Consumed,
}

/// A spawned future with its state word; always behind an `Arc`.
pub(crate) struct Task<F: Future, P: Platform> {
    /// The flags described in the module doc.
    pub(crate) state: AtomicUsize,
    /// The CPU whose ready queue a waker pushes the task onto: the one that polled it last.
    pub(crate) owner: AtomicUsize,
    /// The executor the task belongs to.
    pub(crate) executor: &'static Executor<P>,
    /// The waker of whoever awaits the join handle.
    join_waker: AtomicWaker,
    /// The future or its output.
    stage: UnsafeCell<Stage<F>>,
    /// The task's reference to itself, held until the future is dropped.
    keep_alive: UnsafeCell<Option<Arc<Self>>>,
}

// SAFETY: the future and its output are reached only through `stage`, which one CPU or the join
// handle touches at a time under the protocol of the module doc; both are `Send`, so handing
// them from one CPU to another is sound. `keep_alive` is written once before the task is shared
// and taken once by the CPU that drops the future.
unsafe impl<F: Future + Send, P: Platform> Send for Task<F, P> where F::Output: Send {}
// SAFETY: as for `Send`: shared references only reach the state word and `AtomicWaker`, which
// are thread-safe, and the cells under the protocol above.
unsafe impl<F: Future + Send, P: Platform> Sync for Task<F, P> where F::Output: Send {}

impl<F, P> Task<F, P>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    P: Platform,
{
    /// Makes a task for the future `make` returns, owned by `cpu` and already marked
    /// `SCHEDULED`: the caller must push it onto a ready queue. The future is made straight
    /// into the task's allocation, so that a large one is not copied there.
    pub(crate) fn new(
        executor: &'static Executor<P>,
        cpu: usize,
        make: impl FnOnce() -> F,
    ) -> Arc<Self> {
        let mut task = Arc::new_uninit();
        let slot = Arc::get_mut(&mut task).expect("a new Arc has no other reference");
        slot.write(Task {
            state: AtomicUsize::new(SCHEDULED),
            owner: AtomicUsize::new(cpu),
            executor,
            join_waker: AtomicWaker::new(),
            stage: UnsafeCell::new(Stage::Running(make())),
            keep_alive: UnsafeCell::new(None),
        });
        // SAFETY: the task was written just above.
        let task = unsafe { task.assume_init() };

        let itself = task.clone();
        // SAFETY: nobody else has a reference to the task yet.
        task.keep_alive
            .with_mut(|slot| unsafe { *slot = Some(itself) });
        task
    }

    /// Sets `SCHEDULED`, and tells whether the caller must now push the task: true only if it
    /// was neither scheduled, running nor closed.
    pub(crate) fn mark_scheduled(&self) -> bool {
        let prev = self.state.fetch_or(SCHEDULED, Ordering::AcqRel);
        prev & (SCHEDULED | RUNNING | CLOSED) == 0
    }

    /// Polls the future once. The caller holds `RUNNING`.
    fn poll_future(self: &Arc<Self>) -> Poll<F::Output> {
        let waker = waker_ref(self);
        let mut cx = Context::from_waker(&waker);
        self.stage.with_mut(|stage| {
            // SAFETY: this CPU holds RUNNING, so nothing else touches the stage.
            let Stage::Running(future) = (unsafe { &mut *stage }) else {
                unreachable!("a task with RUNNING set has no future");
            };
            // SAFETY: the future lives inside the task's `Arc` allocation, which never moves,
            // and is dropped in place (by overwriting the stage), never moved out.
            unsafe { Pin::new_unchecked(future) }.poll(&mut cx)
        })
    }

    /// The poll returned `Pending`: give up `RUNNING`, then requeue the task if it was woken
    /// during the poll, or drop the future if the handle was dropped meanwhile.
    fn suspend(self: Arc<Self>, cpu: usize) {
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            if state & CANCELLED != 0 {
                return self.close();
            }
            let next = state & !RUNNING;
            match self
                .state
                .compare_exchange_weak(state, next, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => break,
                Err(actual) => state = actual,
            }
        }

        if state & SCHEDULED != 0 {
            // Woken during the poll (`yield_now` included): back of this CPU's queue.
            self.executor.enqueue(self, cpu);
        }
    }

    /// The poll returned `Ready`: store the output for the handle (or drop it if nobody
    /// wants it), then publish `COMPLETE` and wake the handle.
    fn complete(self: Arc<Self>, output: F::Output) {
        let itself = self.take_keep_alive();
        let wanted = self.state.load(Ordering::Acquire) & (CANCELLED | DETACHED) == 0;
        let stage = if wanted {
            Stage::Finished(output)
        } else {
            Stage::Consumed
        };
        // SAFETY: this CPU holds RUNNING. Overwriting drops the future in place.
        self.stage.with_mut(|slot| unsafe { *slot = stage });

        // Counted out before COMPLETE is published, so that whoever sees the output also sees
        // the slot free. The task can no longer be queued: it holds RUNNING until CLOSED is set.
        self.executor.task_finished();
        let prev = self
            .state
            .fetch_xor(RUNNING | COMPLETE | CLOSED, Ordering::AcqRel);
        if prev & (CANCELLED | DETACHED) == 0 {
            self.join_waker.wake();
        } else if wanted {
            // The handle went away between the check and COMPLETE; it saw no COMPLETE, so it
            // left the output to us.
            self.drop_output();
        }
        drop(itself);
    }

    /// Drops the future of a cancelled task. The caller holds `RUNNING`.
    fn close(self: Arc<Self>) {
        let itself = self.take_keep_alive();
        // SAFETY: this CPU holds RUNNING. Overwriting drops the future in place.
        self.stage
            .with_mut(|slot| unsafe { *slot = Stage::Consumed });
        self.executor.task_finished();
        self.state.fetch_xor(RUNNING | CLOSED, Ordering::AcqRel);
        drop(itself);
    }

    /// Takes the task's reference to itself. Called once, by the CPU that drops the future.
    fn take_keep_alive(&self) -> Option<Arc<Self>> {
        // SAFETY: only the CPU holding RUNNING while dropping the future gets here, once.
        self.keep_alive.with_mut(|slot| unsafe { (*slot).take() })
    }

    /// Drops a stored output nobody will read. The caller saw `COMPLETE` and is the last party
    /// allowed to touch the stage (see the module doc).
    fn drop_output(&self) {
        // SAFETY: COMPLETE is set, so the runner is done with the stage, and the caller is the
        // one party left that may touch it.
        self.stage
            .with_mut(|slot| unsafe { *slot = Stage::Consumed });
    }
}

impl<F, P> Runnable for Task<F, P>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    P: Platform,
{
    fn run(self: Arc<Self>, cpu: usize) {
        self.owner.store(cpu, Ordering::Relaxed);
        let prev = self.state.fetch_xor(SCHEDULED | RUNNING, Ordering::AcqRel);
        debug_assert_eq!(prev & (SCHEDULED | RUNNING | CLOSED), SCHEDULED);

        if prev & CANCELLED != 0 {
            return self.close();
        }
        match self.poll_future() {
            Poll::Ready(output) => self.complete(output),
            Poll::Pending => self.suspend(cpu),
        }
    }
}

impl<F, P> JoinTarget<F::Output> for Task<F, P>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    P: Platform,
{
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<F::Output> {
        if self.state.load(Ordering::Acquire) & COMPLETE == 0 {
            self.join_waker.register(cx.waker());
            if self.state.load(Ordering::Acquire) & COMPLETE == 0 {
                return Poll::Pending;
            }
        }

        // SAFETY: COMPLETE is set and the handle is alive, so only the handle touches the stage.
        let stage = self
            .stage
            .with_mut(|slot| unsafe { mem::replace(&mut *slot, Stage::Consumed) });
        match stage {
            Stage::Finished(output) => Poll::Ready(output),
            _ => panic!("a JoinHandle was polled after it returned its output"),
        }
    }

    fn cancel(self: Arc<Self>) {
        let prev = self.state.fetch_or(CANCELLED | SCHEDULED, Ordering::AcqRel);
        if prev & COMPLETE != 0 {
            return self.drop_output();
        }
        if prev & (SCHEDULED | RUNNING | CLOSED) == 0 {
            // Idle: queue it so that its owning CPU drops the future.
            let owner = self.owner.load(Ordering::Relaxed);
            self.executor.enqueue(self, owner);
        }
    }

    fn detach(&self) {
        if self.state.fetch_or(DETACHED, Ordering::AcqRel) & COMPLETE != 0 {
            self.drop_output();
        }
    }

    fn is_finished(&self) -> bool {
        self.state.load(Ordering::Acquire) & COMPLETE != 0
    }
}
