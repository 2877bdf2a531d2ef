//! Status codes (`zircon/errors.h`, spec §0.1). A syscall returns `ZX_OK` or one of these in
//! `rax`; the valid range is [-2^30, 0].

use super::types::zx_status_t;

/// Declares the status constants and the table of their names, written once.
macro_rules! statuses {
    ($($(#[$doc:meta])* $name:ident = $value:literal,)*) => {
        $($(#[$doc])* pub const $name: zx_status_t = $value;)*

        /// Every status, with its name, in the order of `errors.h`.
        pub const ZX_STATUSES: &[(&str, zx_status_t)] = &[$((stringify!($name), $name),)*];
    };
}

statuses! {
    /// Success.
    ZX_OK = 0,
    /// An internal error the kernel has no better code for.
    ZX_ERR_INTERNAL = -1,
    /// Not implemented, supported or enabled.
    ZX_ERR_NOT_SUPPORTED = -2,
    /// No resources (other than memory) left, such as handle table slots.
    ZX_ERR_NO_RESOURCES = -3,
    /// No memory left.
    ZX_ERR_NO_MEMORY = -4,
    /// vDSO-internal; never seen by user code.
    ZX_ERR_INTERNAL_INTR_RETRY = -6,
    /// An argument is invalid: a bad pointer, bad option bits...
    ZX_ERR_INVALID_ARGS = -10,
    /// A handle value names no handle.
    ZX_ERR_BAD_HANDLE = -11,
    /// The object is the wrong type for the operation.
    ZX_ERR_WRONG_TYPE = -12,
    /// No syscall has this number.
    ZX_ERR_BAD_SYSCALL = -13,
    /// An argument is outside the valid range.
    ZX_ERR_OUT_OF_RANGE = -14,
    /// A caller buffer is too small.
    ZX_ERR_BUFFER_TOO_SMALL = -15,
    /// The object is not in a state that allows the operation.
    ZX_ERR_BAD_STATE = -20,
    /// The deadline passed first.
    ZX_ERR_TIMED_OUT = -21,
    /// The operation would block.
    ZX_ERR_SHOULD_WAIT = -22,
    /// The wait ended because its handle was closed.
    ZX_ERR_CANCELED = -23,
    /// The other end is closed.
    ZX_ERR_PEER_CLOSED = -24,
    /// Not found.
    ZX_ERR_NOT_FOUND = -25,
    /// Already exists.
    ZX_ERR_ALREADY_EXISTS = -26,
    /// Already bound.
    ZX_ERR_ALREADY_BOUND = -27,
    /// Unavailable.
    ZX_ERR_UNAVAILABLE = -28,
    /// Missing rights, or a job policy forbids the operation.
    ZX_ERR_ACCESS_DENIED = -30,
    /// Input/output error.
    ZX_ERR_IO = -40,
    /// The peer refused the I/O.
    ZX_ERR_IO_REFUSED = -41,
    /// Data failed an integrity check.
    ZX_ERR_IO_DATA_INTEGRITY = -42,
    /// Data was lost.
    ZX_ERR_IO_DATA_LOSS = -43,
    /// The device is not present.
    ZX_ERR_IO_NOT_PRESENT = -44,
    /// An overrun.
    ZX_ERR_IO_OVERRUN = -45,
    /// A deadline was missed.
    ZX_ERR_IO_MISSED_DEADLINE = -46,
    /// Invalid I/O.
    ZX_ERR_IO_INVALID = -47,
    /// A bad path.
    ZX_ERR_BAD_PATH = -50,
    /// Not a directory.
    ZX_ERR_NOT_DIR = -51,
    /// Not a file.
    ZX_ERR_NOT_FILE = -52,
    /// File too big.
    ZX_ERR_FILE_BIG = -53,
    /// No space left.
    ZX_ERR_NO_SPACE = -54,
    /// Not empty.
    ZX_ERR_NOT_EMPTY = -55,
    /// Flow control: stop (never returned by a syscall).
    ZX_ERR_STOP = -60,
    /// Flow control: next (never returned by a syscall).
    ZX_ERR_NEXT = -61,
    /// Flow control: asynchronous (never returned by a syscall).
    ZX_ERR_ASYNC = -62,
    /// Protocol not supported.
    ZX_ERR_PROTOCOL_NOT_SUPPORTED = -70,
    /// Address unreachable.
    ZX_ERR_ADDRESS_UNREACHABLE = -71,
    /// Address in use.
    ZX_ERR_ADDRESS_IN_USE = -72,
    /// Not connected.
    ZX_ERR_NOT_CONNECTED = -73,
    /// Connection refused.
    ZX_ERR_CONNECTION_REFUSED = -74,
    /// Connection reset.
    ZX_ERR_CONNECTION_RESET = -75,
    /// Connection aborted.
    ZX_ERR_CONNECTION_ABORTED = -76,
    /// vDSO-private: the task was killed during the operation.
    ZX_ERR_INTERNAL_INTR_KILLED = -502,
}

/// The name of `status` (`zx_status_get_string`), or `None` for a value `errors.h` lacks.
pub fn zx_status_get_string(status: zx_status_t) -> Option<&'static str> {
    ZX_STATUSES
        .iter()
        .find(|&&(_, value)| value == status)
        .map(|&(name, _)| name)
}
