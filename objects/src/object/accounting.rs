//! Counts of live kernel objects per type and of live handles, for leak checks.
//!
//! The counters are global and relaxed: exact once the system is quiet, approximate while
//! objects are being made and closed on other CPUs. Tests that read them run alone in their
//! own test binary.

use core::sync::atomic::{AtomicUsize, Ordering};

use crate::abi::ObjectType;

/// One counter per `zx_obj_type_t` value; the largest value Spinel knows is below this.
const TYPE_SLOTS: usize = 32;

static LIVE_OBJECTS: [AtomicUsize; TYPE_SLOTS] = [const { AtomicUsize::new(0) }; TYPE_SLOTS];
static LIVE_HANDLES: AtomicUsize = AtomicUsize::new(0);

/// How many objects of `object_type` exist now.
pub fn live_objects(object_type: ObjectType) -> usize {
    LIVE_OBJECTS[object_type as usize].load(Ordering::Relaxed)
}

/// How many handles exist now, in every table and in transit.
pub fn live_handles() -> usize {
    LIVE_HANDLES.load(Ordering::Relaxed)
}

pub(super) fn object_created(object_type: ObjectType) {
    LIVE_OBJECTS[object_type as usize].fetch_add(1, Ordering::Relaxed);
}

pub(super) fn object_destroyed(object_type: ObjectType) {
    LIVE_OBJECTS[object_type as usize].fetch_sub(1, Ordering::Relaxed);
}

pub(crate) fn handle_created() {
    LIVE_HANDLES.fetch_add(1, Ordering::Relaxed);
}

pub(crate) fn handle_destroyed() {
    LIVE_HANDLES.fetch_sub(1, Ordering::Relaxed);
}
