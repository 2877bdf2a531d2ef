//! Waiting on several objects at once (`zx_object_wait_many`, spec §5.2).

use crate::handle::AsHandleRef;
use crate::signals::Signals;
use crate::status::{Status, ZxResult};
use crate::sys;
use crate::time::Time;
use alloc::vec::Vec;
use core::marker::PhantomData;
use syscalls_abi::zx_wait_item_t;

/// One object of a [`wait_many`], borrowed for as long as the item lives.
#[derive(Clone, Copy, Debug)]
pub struct WaitItem<'a> {
    handle: u32,
    /// The signals that end the wait.
    pub waitfor: Signals,
    /// The object's signals when the wait ended (filled in by [`wait_many`]).
    pub pending: Signals,
    object: PhantomData<&'a ()>,
}

impl<'a> WaitItem<'a> {
    /// An item that waits for any of `waitfor` on `object`.
    pub fn new(object: &'a impl AsHandleRef, waitfor: Signals) -> WaitItem<'a> {
        WaitItem {
            handle: object.raw_handle(),
            waitfor,
            pending: Signals::empty(),
            object: PhantomData,
        }
    }
}

/// Waits until any item's object asserts one of its `waitfor` signals, or `deadline`
/// (`zx_object_wait_many`). Every item's `pending` is filled in when the wait ends with `Ok`,
/// `TIMED_OUT` or `CANCELED` (a closed item then carries `HANDLE_CLOSED`).
pub fn wait_many(items: &mut [WaitItem<'_>], deadline: Time) -> ZxResult {
    let mut raw: Vec<zx_wait_item_t> = items
        .iter()
        .map(|item| zx_wait_item_t {
            handle: item.handle,
            waitfor: item.waitfor.bits(),
            pending: 0,
        })
        .collect();
    let status = sys::object_wait_many(&mut raw, deadline.into_nanos());
    for (item, raw) in items.iter_mut().zip(&raw) {
        item.pending = Signals::from_bits_retain(raw.pending);
    }
    Status::ok(status)
}
