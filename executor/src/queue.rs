//! A CPU's ready queue: a bounded, lock-free FIFO of tasks waiting to be polled.
//!
//! The queue is `crossbeam-queue`'s `ArrayQueue`: push and pop are a few atomic operations and
//! never allocate. Any CPU may pop (that is how stealing works), and any CPU or interrupt
//! handler may push.
//!
//! A push can wait, spinning, in one case: when the queue is full and a pop has claimed the
//! slot the push is to fill but not yet released it, the push waits for the pop to finish.
//! The run loop pops with interrupts masked (`run.rs`), so that wait lasts the few instructions
//! of a pop on another CPU, and an interrupt handler never waits on a pop it interrupted.
//!
//! # Why a bounded queue never makes a wake fail
//! A push fails only when the queue is full, and the executor keeps a full queue from being a
//! dead end:
//! - a task is in at most one queue, once (its `SCHEDULED` bit, see `task.rs`), and only while
//!   it is alive;
//! - the executor admits at most `max_tasks` live tasks (`spawn` fails beyond that);
//! - the queues together hold at least `max_tasks` slots (each holds `max_tasks / cpus`,
//!   rounded up).
//!
//! So while a waker holds a task that is in no queue, fewer than `max_tasks` tasks are queued
//! and some queue has a free slot: a waker whose target queue is full pushes onto the next CPU's
//! queue instead (see `Executor::enqueue`), and the task simply runs there.
//!
//! Under loom, the queue is a mutex around a `VecDeque` with the same capacity rule, plus an
//! atomic length that emptiness checks read without the mutex: loom cannot look inside
//! crossbeam's atomics, and what is checked is the executor's protocol around the queue, not the
//! queue itself.

use alloc::sync::Arc;

use crate::task::Runnable;

/// A reference to a task that can be run: what the ready queues hold.
pub(crate) type TaskRef = Arc<dyn Runnable>;

/// One CPU's ready queue.
pub(crate) struct ReadyQueue {
    #[cfg(not(loom))]
    tasks: crossbeam_queue::ArrayQueue<TaskRef>,
    #[cfg(loom)]
    tasks: loom::sync::Mutex<alloc::collections::VecDeque<TaskRef>>,
    /// Under loom, emptiness is read from this counter (kept exact under the mutex) without
    /// taking the mutex: the mutex would order every look at the queue after every push,
    /// hiding a missing fence that the lock-free queue needs.
    #[cfg(loom)]
    len: loom::sync::atomic::AtomicUsize,
    #[cfg(loom)]
    capacity: usize,
}

#[cfg(not(loom))]
impl ReadyQueue {
    /// An empty queue with room for `capacity` tasks (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            tasks: crossbeam_queue::ArrayQueue::new(capacity.max(1)),
        }
    }

    /// Appends `task`, or hands it back if the queue is full.
    pub(crate) fn push(&self, task: TaskRef) -> Result<(), TaskRef> {
        self.tasks.push(task)
    }

    /// Takes the task at the front.
    pub(crate) fn pop(&self) -> Option<TaskRef> {
        self.tasks.pop()
    }

    /// How many tasks are queued (a snapshot: other CPUs may change it at once).
    pub(crate) fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether the queue is empty (a snapshot).
    pub(crate) fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }
}

#[cfg(loom)]
impl ReadyQueue {
    pub(crate) fn new(capacity: usize) -> Self {
        let tasks = loom::sync::Mutex::new(alloc::collections::VecDeque::new());
        let len = loom::sync::atomic::AtomicUsize::new(0);
        Self {
            tasks,
            len,
            capacity: capacity.max(1),
        }
    }

    pub(crate) fn push(&self, task: TaskRef) -> Result<(), TaskRef> {
        let mut tasks = self.tasks.lock().unwrap();
        if tasks.len() == self.capacity {
            return Err(task);
        }
        tasks.push_back(task);
        self.len.fetch_add(1, crate::sync::Ordering::Release);
        Ok(())
    }

    pub(crate) fn pop(&self) -> Option<TaskRef> {
        let mut tasks = self.tasks.lock().unwrap();
        let task = tasks.pop_front()?;
        self.len.fetch_sub(1, crate::sync::Ordering::Relaxed);
        Some(task)
    }

    pub(crate) fn len(&self) -> usize {
        self.len.load(crate::sync::Ordering::Acquire)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::task::Runnable;

    struct Marker;

    impl Runnable for Marker {
        fn run(self: Arc<Self>, _cpu: usize) {}
    }

    fn marker() -> TaskRef {
        Arc::new(Marker)
    }

    #[test]
    fn full_queue_hands_the_task_back() {
        let queue = ReadyQueue::new(2);
        assert!(queue.push(marker()).is_ok());
        assert!(queue.push(marker()).is_ok());
        assert!(queue.push(marker()).is_err());
        assert_eq!(queue.len(), 2);
    }

    #[test]
    fn zero_capacity_still_holds_one_task() {
        let queue = ReadyQueue::new(0);
        assert!(queue.push(marker()).is_ok());
        assert!(!queue.is_empty());
        assert!(queue.pop().is_some());
        assert!(queue.is_empty());
    }
}
