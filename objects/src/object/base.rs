//! The part every kernel object embeds: its koid, its type and the count of its handles.
//!
//! The handle count is kept by [`Handle`](crate::handle::Handle) alone: creating a handle
//! raises it, closing one lowers it, and the close that brings it to zero runs the object's
//! `on_zero_handles`. Building a base counts a live object of its type; dropping it uncounts.

use core::sync::atomic::{AtomicUsize, Ordering};

use log::trace;

use super::accounting;
use crate::abi::{Koid, ObjectType, new_koid};

/// The koid, type and handle count of one kernel object.
#[derive(Debug)]
pub struct ObjectBase {
    koid: Koid,
    object_type: ObjectType,
    handles: AtomicUsize,
}

impl ObjectBase {
    /// A base with a fresh koid.
    pub fn new(object_type: ObjectType) -> Self {
        Self::with_koid(object_type, new_koid())
    }

    /// A base with a koid taken earlier from [`new_koid`], for objects that must know a
    /// peer's koid before the peer exists.
    pub fn with_koid(object_type: ObjectType, koid: Koid) -> Self {
        accounting::object_created(object_type);
        trace!("{object_type:?} {koid} created");
        ObjectBase {
            koid,
            object_type,
            handles: AtomicUsize::new(0),
        }
    }

    /// The object's koid.
    pub fn koid(&self) -> Koid {
        self.koid
    }

    /// The object's type.
    pub fn object_type(&self) -> ObjectType {
        self.object_type
    }

    /// How many handles (in tables or in transit) refer to the object now.
    pub fn handle_count(&self) -> usize {
        self.handles.load(Ordering::Acquire)
    }

    /// Counts one more handle.
    pub(crate) fn acquire_handle(&self) {
        self.handles.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one handle fewer; true when it was the last.
    pub(crate) fn release_handle(&self) -> bool {
        // AcqRel: the closer of the last handle must see every other closer's writes before it
        // runs `on_zero_handles`.
        self.handles.fetch_sub(1, Ordering::AcqRel) == 1
    }
}

impl Drop for ObjectBase {
    fn drop(&mut self) {
        trace!("{:?} {} destroyed", self.object_type, self.koid);
        accounting::object_destroyed(self.object_type);
    }
}
