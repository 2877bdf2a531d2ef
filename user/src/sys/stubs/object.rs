//! The stubs of handles and of the object calls every object answers: close, duplicate and
//! replace; waits, signals, information and properties.

use super::{mut_ptr, ptr, raw1, raw3, raw4, raw5, raw6, status};
use syscalls_abi::numbers as nr;

/// One entry of `zx_object_wait_many` (`zx_wait_item_t`).
pub use syscalls_abi::zx_wait_item_t as WaitItem;

/// `zx_handle_close`.
#[inline]
pub fn handle_close(handle: u32) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe { raw1(nr::handle_close, handle.into()) })
}

/// `zx_handle_duplicate`.
#[inline]
pub fn handle_duplicate(handle: u32, rights: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe {
        raw3(
            nr::handle_duplicate,
            handle.into(),
            rights.into(),
            mut_ptr(out),
        )
    })
}

/// `zx_handle_replace`.
#[inline]
pub fn handle_replace(handle: u32, rights: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe {
        raw3(
            nr::handle_replace,
            handle.into(),
            rights.into(),
            mut_ptr(out),
        )
    })
}

/// `zx_object_wait_one`.
#[inline]
pub fn object_wait_one(handle: u32, signals: u32, deadline: i64, observed: &mut u32) -> i32 {
    let (handle, signals, deadline) = (handle.into(), signals.into(), deadline as u64);
    // SAFETY: `observed` is one writable `u32`.
    status(unsafe {
        raw4(
            nr::object_wait_one,
            handle,
            signals,
            deadline,
            mut_ptr(observed),
        )
    })
}

/// `zx_object_wait_many`.
#[inline]
pub fn object_wait_many(items: &mut [WaitItem], deadline: i64) -> i32 {
    let (count, deadline) = (items.len() as u64, deadline as u64);
    // SAFETY: `items` is `count` writable `zx_wait_item_t`s.
    status(unsafe { raw3(nr::object_wait_many, mut_ptr(items), count, deadline) })
}

/// `zx_object_wait_async`.
#[inline]
pub fn object_wait_async(handle: u32, port: u32, key: u64, signals: u32, options: u32) -> i32 {
    let (handle, port, signals, options) =
        (handle.into(), port.into(), signals.into(), options.into());
    // SAFETY: no pointer arguments.
    status(unsafe { raw5(nr::object_wait_async, handle, port, key, signals, options) })
}

/// `zx_object_signal`.
#[inline]
pub fn object_signal(handle: u32, clear_mask: u32, set_mask: u32) -> i32 {
    let (handle, clear, set) = (handle.into(), clear_mask.into(), set_mask.into());
    // SAFETY: no pointer arguments.
    status(unsafe { raw3(nr::object_signal, handle, clear, set) })
}

/// `zx_object_signal_peer`.
#[inline]
pub fn object_signal_peer(handle: u32, clear_mask: u32, set_mask: u32) -> i32 {
    let (handle, clear, set) = (handle.into(), clear_mask.into(), set_mask.into());
    // SAFETY: no pointer arguments.
    status(unsafe { raw3(nr::object_signal_peer, handle, clear, set) })
}

/// `zx_object_get_info`: records into `buffer`, their counts into `actual` and `avail`.
#[inline]
pub fn object_get_info(
    handle: u32,
    topic: u32,
    buffer: &mut [u8],
    actual: &mut usize,
    avail: &mut usize,
) -> i32 {
    let (handle, topic, len) = (handle.into(), topic.into(), buffer.len() as u64);
    let (buffer, actual, avail) = (mut_ptr(buffer), mut_ptr(actual), mut_ptr(avail));
    // SAFETY: `buffer` is `len` writable bytes; `actual` and `avail` are writable `usize`s.
    status(unsafe {
        raw6(
            nr::object_get_info,
            handle,
            topic,
            buffer,
            len,
            actual,
            avail,
        )
    })
}

/// `zx_object_get_property`: the property's value into `value`.
#[inline]
pub fn object_get_property(handle: u32, property: u32, value: &mut [u8]) -> i32 {
    let (handle, property, len) = (handle.into(), property.into(), value.len() as u64);
    // SAFETY: `value` is `len` writable bytes.
    status(unsafe {
        raw4(
            nr::object_get_property,
            handle,
            property,
            mut_ptr(value),
            len,
        )
    })
}

/// `zx_object_set_property`.
#[inline]
pub fn object_set_property(handle: u32, property: u32, value: &[u8]) -> i32 {
    let (handle, property, len) = (handle.into(), property.into(), value.len() as u64);
    // SAFETY: `value` is `len` readable bytes.
    status(unsafe { raw4(nr::object_set_property, handle, property, ptr(value), len) })
}
