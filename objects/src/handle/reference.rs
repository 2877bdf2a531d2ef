//! A handle: one reference to a kernel object together with the rights it grants.
//!
//! A [`Handle`] lives in a process's handle table or in transit inside a channel message; it
//! has no owner field, because where it is stored is who owns it. Dropping a handle closes it.
//! Each handle carries a [`HandleId`] unique in the system, which waits started through the
//! handle use to find out that it was closed.
//!
//! Closing is iterative: when a close drops an object's handle count to zero, the handles that
//! object owned (a channel's unread messages) are closed by the same loop rather than by nested
//! drops, so a chain of channels sent inside channels cannot overflow the kernel stack.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use crate::abi::{Rights, ZxResult};
use crate::object::{self, KernelObject};

/// A system-wide unique name for one handle, stable while the handle moves between tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HandleId(u64);

static NEXT_HANDLE_ID: AtomicU64 = AtomicU64::new(1);

impl HandleId {
    /// The id of no handle: what kernel-internal waits, which no close can end, are tied to.
    pub const KERNEL: HandleId = HandleId(0);

    fn fresh() -> HandleId {
        // Relaxed: the counter only has to hand out distinct values.
        HandleId(NEXT_HANDLE_ID.fetch_add(1, Ordering::Relaxed))
    }
}

/// A reference to a kernel object with rights; closing is dropping.
pub struct Handle {
    object: Arc<dyn KernelObject>,
    rights: Rights,
    id: HandleId,
    /// False once the close loop has taken over this handle's release.
    armed: bool,
}

impl Handle {
    /// A new handle to `object` with `rights`.
    pub fn new(object: Arc<dyn KernelObject>, rights: Rights) -> Handle {
        object.base().acquire_handle();
        object::handle_created();
        Handle {
            object,
            rights,
            id: HandleId::fresh(),
            armed: true,
        }
    }

    /// A new handle to the same object with `rights`; the caller has checked that they do not
    /// exceed this handle's.
    pub(crate) fn duplicate(&self, rights: Rights) -> Handle {
        Handle::new(self.object.clone(), rights)
    }

    /// The object the handle refers to.
    pub fn object(&self) -> &Arc<dyn KernelObject> {
        &self.object
    }

    /// The rights the handle grants.
    pub fn rights(&self) -> Rights {
        self.rights
    }

    /// The handle's system-wide id.
    pub fn id(&self) -> HandleId {
        self.id
    }

    /// The object as a `T` (`WRONG_TYPE` otherwise).
    pub fn downcast<T: KernelObject>(&self) -> ZxResult<Arc<T>> {
        object::downcast(&self.object)
    }

    /// Ends the waits and `wait_async` observers started through this handle: it is leaving
    /// its table (closed, replaced or sent away).
    pub(crate) fn cancel_waits(&self) {
        if let Some(state) = self.object.signal_state() {
            state.cancel_handle(self.id);
        }
    }
}

impl core::fmt::Debug for Handle {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Handle")
            .field("koid", &self.object.koid())
            .field("type", &self.object.object_type())
            .field("rights", &self.rights)
            .finish()
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let mut orphans = Vec::new();
        release(&self.object, &mut orphans);
        while let Some(mut orphan) = orphans.pop() {
            orphan.armed = false;
            release(&orphan.object, &mut orphans);
        }
    }
}

/// Uncounts one handle to `object`; the last one runs `on_zero_handles`, which may hand back
/// more handles to close.
fn release(object: &Arc<dyn KernelObject>, orphans: &mut Vec<Handle>) {
    object::handle_destroyed();
    if object.base().release_handle() {
        object.on_zero_handles(orphans);
    }
}
