//! The stubs of the IPC objects: events, event pairs, channels and ports.

use super::{mut_ptr, ptr, raw2, raw3, raw6, raw8, status};
use syscalls_abi::numbers as nr;
use syscalls_abi::{
    ZX_CHANNEL_WRITE_USE_IOVEC, ZX_ERR_INVALID_ARGS, zx_channel_call_args_t, zx_channel_iovec_t,
};

/// `zx_event_create`.
#[inline]
pub fn event_create(options: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw2(nr::event_create, options.into(), mut_ptr(out)) })
}

/// `zx_eventpair_create`.
#[inline]
pub fn eventpair_create(options: u32, out0: &mut u32, out1: &mut u32) -> i32 {
    let (options, out0, out1) = (options.into(), mut_ptr(out0), mut_ptr(out1));
    // SAFETY: `out0` and `out1` are writable `u32`s.
    status(unsafe { raw3(nr::eventpair_create, options, out0, out1) })
}

/// `zx_channel_create`.
#[inline]
pub fn channel_create(options: u32, out0: &mut u32, out1: &mut u32) -> i32 {
    let (options, out0, out1) = (options.into(), mut_ptr(out0), mut_ptr(out1));
    // SAFETY: `out0` and `out1` are writable `u32`s.
    status(unsafe { raw3(nr::channel_create, options, out0, out1) })
}

/// `zx_channel_read`: the next message into `bytes` and `handles`.
#[inline]
pub fn channel_read(
    handle: u32,
    options: u32,
    bytes: &mut [u8],
    handles: &mut [u32],
    actual_bytes: &mut u32,
    actual_handles: &mut u32,
) -> i32 {
    let (handle, options) = (handle.into(), options.into());
    let (num_bytes, num_handles) = (bytes.len() as u64, handles.len() as u64);
    let (bytes, handles) = (mut_ptr(bytes), mut_ptr(handles));
    let (actual_bytes, actual_handles) = (mut_ptr(actual_bytes), mut_ptr(actual_handles));
    // SAFETY: `bytes` holds `num_bytes` writable bytes and `handles` `num_handles` writable
    // `u32`s; both actual counts are writable `u32`s.
    status(unsafe {
        raw8(
            nr::channel_read,
            handle,
            options,
            bytes,
            handles,
            num_bytes,
            num_handles,
            actual_bytes,
            actual_handles,
        )
    })
}

/// `zx_channel_write`: one message of `bytes` and `handles` (which the kernel consumes).
///
/// `ZX_CHANNEL_WRITE_USE_IOVEC` is refused (`ZX_ERR_INVALID_ARGS`, without a syscall): with it
/// the kernel would read `bytes` as `zx_channel_iovec_t`s and follow their addresses, which a
/// byte slice does not vouch for; [`channel_write_iovec`] takes iovecs. The handles are then
/// closed here, since the write consumes them whatever happens.
#[inline]
pub fn channel_write(handle: u32, options: u32, bytes: &[u8], handles: &[u32]) -> i32 {
    if options & ZX_CHANNEL_WRITE_USE_IOVEC != 0 {
        return refuse_iovec(handles);
    }
    let (handle, options) = (handle.into(), options.into());
    let (num_bytes, num_handles) = (bytes.len() as u64, handles.len() as u64);
    // SAFETY: `bytes` holds `num_bytes` readable bytes and `handles` `num_handles` `u32`s;
    // without `ZX_CHANNEL_WRITE_USE_IOVEC` the kernel reads nothing else.
    status(unsafe {
        raw6(
            nr::channel_write,
            handle,
            options,
            ptr(bytes),
            num_bytes,
            ptr(handles),
            num_handles,
        )
    })
}

/// `zx_channel_write` with `ZX_CHANNEL_WRITE_USE_IOVEC` (added to `options`): one message
/// gathered from the pieces `iovecs` describe, and `handles` (which the kernel consumes).
///
/// Safe for any iovec: the kernel only reads through an iovec's `buffer`, and an address
/// that is not readable user memory fails the write (`ZX_ERR_INVALID_ARGS`).
#[inline]
pub fn channel_write_iovec(
    handle: u32,
    options: u32,
    iovecs: &[zx_channel_iovec_t],
    handles: &[u32],
) -> i32 {
    let (handle, options) = (handle.into(), (options | ZX_CHANNEL_WRITE_USE_IOVEC).into());
    let (num_iovecs, num_handles) = (iovecs.len() as u64, handles.len() as u64);
    // SAFETY: `iovecs` holds `num_iovecs` readable `zx_channel_iovec_t`s and `handles`
    // `num_handles` `u32`s; the kernel reads the pieces the iovecs name and writes nothing.
    status(unsafe {
        raw6(
            nr::channel_write,
            handle,
            options,
            ptr(iovecs),
            num_iovecs,
            ptr(handles),
            num_handles,
        )
    })
}

/// An iovec for `bytes` (`zx_channel_iovec_t`), valid while `bytes` is.
pub fn iovec(bytes: &[u8]) -> zx_channel_iovec_t {
    zx_channel_iovec_t {
        buffer: ptr(bytes),
        capacity: bytes.len() as u32,
        reserved: 0,
    }
}

/// The answer to a byte stub asked for `ZX_CHANNEL_WRITE_USE_IOVEC`: `handles` are closed, as
/// the kernel would have consumed them, and the call fails with `ZX_ERR_INVALID_ARGS`.
fn refuse_iovec(handles: &[u32]) -> i32 {
    for &handle in handles {
        super::handle_close(handle);
    }
    ZX_ERR_INVALID_ARGS
}

/// The buffers of one `zx_channel_call`.
#[derive(Debug)]
pub struct CallBuffers<'a> {
    /// The request's bytes.
    pub write_bytes: &'a [u8],
    /// The request's handles (consumed by the kernel).
    pub write_handles: &'a [u32],
    /// Room for the reply's bytes.
    pub read_bytes: &'a mut [u8],
    /// Room for the reply's handles.
    pub read_handles: &'a mut [u32],
}

/// `zx_channel_call`: writes a request, waits for the reply with the same transaction id.
///
/// `ZX_CHANNEL_WRITE_USE_IOVEC` is refused as by [`channel_write`] (the request's handles are
/// closed): the request is a byte slice.
#[inline]
pub fn channel_call(
    handle: u32,
    options: u32,
    deadline: i64,
    buffers: CallBuffers<'_>,
    actual_bytes: &mut u32,
    actual_handles: &mut u32,
) -> i32 {
    if options & ZX_CHANNEL_WRITE_USE_IOVEC != 0 {
        return refuse_iovec(buffers.write_handles);
    }
    let args = zx_channel_call_args_t {
        wr_num_bytes: buffers.write_bytes.len() as u32,
        wr_num_handles: buffers.write_handles.len() as u32,
        rd_num_bytes: buffers.read_bytes.len() as u32,
        rd_num_handles: buffers.read_handles.len() as u32,
        wr_bytes: ptr(buffers.write_bytes),
        wr_handles: ptr(buffers.write_handles),
        rd_bytes: mut_ptr(buffers.read_bytes),
        rd_handles: mut_ptr(buffers.read_handles),
    };
    let (handle, options, deadline) = (handle.into(), options.into(), deadline as u64);
    let (actual_bytes, actual_handles) = (mut_ptr(actual_bytes), mut_ptr(actual_handles));
    // SAFETY: `args` describes four live buffers with their exact lengths, borrowed for the
    // whole call (without `ZX_CHANNEL_WRITE_USE_IOVEC` the request is its bytes); both actual
    // counts are writable `u32`s.
    status(unsafe {
        raw6(
            nr::channel_call,
            handle,
            options,
            deadline,
            ptr(&args),
            actual_bytes,
            actual_handles,
        )
    })
}

/// `zx_port_create`.
#[inline]
pub fn port_create(options: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw2(nr::port_create, options.into(), mut_ptr(out)) })
}

/// `zx_port_queue`: `packet` is a `zx_port_packet_t`.
#[inline]
pub fn port_queue(handle: u32, packet: &[u8; 48]) -> i32 {
    // SAFETY: `packet` is a readable `zx_port_packet_t` (48 bytes).
    status(unsafe { raw2(nr::port_queue, handle.into(), ptr(packet)) })
}

/// `zx_port_wait`: the next packet into `packet`.
#[inline]
pub fn port_wait(handle: u32, deadline: i64, packet: &mut [u8; 48]) -> i32 {
    let (handle, deadline) = (handle.into(), deadline as u64);
    // SAFETY: `packet` is a writable `zx_port_packet_t` (48 bytes).
    status(unsafe { raw3(nr::port_wait, handle, deadline, mut_ptr(packet)) })
}

/// `zx_port_cancel`.
#[inline]
pub fn port_cancel(handle: u32, source: u32, key: u64) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe { raw3(nr::port_cancel, handle.into(), source.into(), key) })
}
