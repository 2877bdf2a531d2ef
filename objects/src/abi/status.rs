//! Kernel status codes: Zircon's `zx_status_t` without its success value.
//!
//! Spinel's operations return `ZxResult<T>`; success travels in `Ok`, so [`Status`] has no `OK`
//! variant. Each variant takes its value from the `ZX_ERR_*` constant of the ABI crate, the
//! exact negative value of Zircon's `errors.h` that user space sees in `rax` after a syscall.

use syscalls_abi::{ZX_OK, zx_status_t};

/// The result of a kernel operation.
pub type ZxResult<T = ()> = Result<T, Status>;

/// Declares [`Status`] with each variant's `ZX_ERR_*` constant, which gives its value and name.
macro_rules! statuses {
    ($($(#[$doc:meta])* $variant:ident = $name:ident,)*) => {
        /// Why a kernel operation failed, with Zircon's numeric values (`errors.h`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(i32)]
        #[non_exhaustive]
        pub enum Status {
            $(
                #[doc = concat!("`", stringify!($name), "`.")]
                $(#[$doc])*
                $variant = syscalls_abi::$name,
            )*
        }

        impl Status {
            /// Every status, in declaration order.
            pub const ALL: &'static [Status] = &[$(Status::$variant,)*];

            /// The `ZX_ERR_*` name, as Zircon's `zx_status_get_string` spells it.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Status::$variant => stringify!($name),)*
                }
            }
        }
    };
}

statuses! {
    Internal = ZX_ERR_INTERNAL,
    NotSupported = ZX_ERR_NOT_SUPPORTED,
    NoResources = ZX_ERR_NO_RESOURCES,
    NoMemory = ZX_ERR_NO_MEMORY,
    /// vDSO-internal: the operation should be retried. Never seen by user code.
    InternalIntrRetry = ZX_ERR_INTERNAL_INTR_RETRY,
    InvalidArgs = ZX_ERR_INVALID_ARGS,
    BadHandle = ZX_ERR_BAD_HANDLE,
    WrongType = ZX_ERR_WRONG_TYPE,
    BadSyscall = ZX_ERR_BAD_SYSCALL,
    OutOfRange = ZX_ERR_OUT_OF_RANGE,
    BufferTooSmall = ZX_ERR_BUFFER_TOO_SMALL,
    BadState = ZX_ERR_BAD_STATE,
    TimedOut = ZX_ERR_TIMED_OUT,
    ShouldWait = ZX_ERR_SHOULD_WAIT,
    Canceled = ZX_ERR_CANCELED,
    PeerClosed = ZX_ERR_PEER_CLOSED,
    NotFound = ZX_ERR_NOT_FOUND,
    AlreadyExists = ZX_ERR_ALREADY_EXISTS,
    AlreadyBound = ZX_ERR_ALREADY_BOUND,
    Unavailable = ZX_ERR_UNAVAILABLE,
    AccessDenied = ZX_ERR_ACCESS_DENIED,
    Io = ZX_ERR_IO,
    IoRefused = ZX_ERR_IO_REFUSED,
    IoDataIntegrity = ZX_ERR_IO_DATA_INTEGRITY,
    IoDataLoss = ZX_ERR_IO_DATA_LOSS,
    IoNotPresent = ZX_ERR_IO_NOT_PRESENT,
    IoOverrun = ZX_ERR_IO_OVERRUN,
    IoMissedDeadline = ZX_ERR_IO_MISSED_DEADLINE,
    IoInvalid = ZX_ERR_IO_INVALID,
    BadPath = ZX_ERR_BAD_PATH,
    NotDir = ZX_ERR_NOT_DIR,
    NotFile = ZX_ERR_NOT_FILE,
    FileBig = ZX_ERR_FILE_BIG,
    NoSpace = ZX_ERR_NO_SPACE,
    NotEmpty = ZX_ERR_NOT_EMPTY,
    Stop = ZX_ERR_STOP,
    Next = ZX_ERR_NEXT,
    Async = ZX_ERR_ASYNC,
    ProtocolNotSupported = ZX_ERR_PROTOCOL_NOT_SUPPORTED,
    AddressUnreachable = ZX_ERR_ADDRESS_UNREACHABLE,
    AddressInUse = ZX_ERR_ADDRESS_IN_USE,
    NotConnected = ZX_ERR_NOT_CONNECTED,
    ConnectionRefused = ZX_ERR_CONNECTION_REFUSED,
    ConnectionReset = ZX_ERR_CONNECTION_RESET,
    ConnectionAborted = ZX_ERR_CONNECTION_ABORTED,
    /// vDSO-private: the task was killed during the operation.
    InternalIntrKilled = ZX_ERR_INTERNAL_INTR_KILLED,
}

impl Status {
    /// The `zx_status_t` value user space sees.
    pub const fn into_raw(self) -> zx_status_t {
        self as zx_status_t
    }

    /// The status with this `zx_status_t` value; `None` for `ZX_OK` and unknown values.
    pub fn from_raw(raw: zx_status_t) -> Option<Status> {
        Status::ALL
            .iter()
            .copied()
            .find(|status| status.into_raw() == raw)
    }
}

/// The `zx_status_t` a result becomes at the syscall boundary.
pub fn status_of<T>(result: &ZxResult<T>) -> zx_status_t {
    match result {
        Ok(_) => ZX_OK,
        Err(status) => status.into_raw(),
    }
}

impl core::fmt::Display for Status {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_the_value_of_errors_h() {
        // Spec §0.1, typed as literals; the ABI crate pins its raw constants the same way.
        let errors_h = [
            (Status::Internal, -1),
            (Status::NotSupported, -2),
            (Status::NoResources, -3),
            (Status::NoMemory, -4),
            (Status::InternalIntrRetry, -6),
            (Status::InvalidArgs, -10),
            (Status::BadHandle, -11),
            (Status::WrongType, -12),
            (Status::BadSyscall, -13),
            (Status::OutOfRange, -14),
            (Status::BufferTooSmall, -15),
            (Status::BadState, -20),
            (Status::TimedOut, -21),
            (Status::ShouldWait, -22),
            (Status::Canceled, -23),
            (Status::PeerClosed, -24),
            (Status::NotFound, -25),
            (Status::AlreadyExists, -26),
            (Status::AlreadyBound, -27),
            (Status::Unavailable, -28),
            (Status::AccessDenied, -30),
            (Status::Io, -40),
            (Status::IoRefused, -41),
            (Status::IoDataIntegrity, -42),
            (Status::IoDataLoss, -43),
            (Status::IoNotPresent, -44),
            (Status::IoOverrun, -45),
            (Status::IoMissedDeadline, -46),
            (Status::IoInvalid, -47),
            (Status::BadPath, -50),
            (Status::NotDir, -51),
            (Status::NotFile, -52),
            (Status::FileBig, -53),
            (Status::NoSpace, -54),
            (Status::NotEmpty, -55),
            (Status::Stop, -60),
            (Status::Next, -61),
            (Status::Async, -62),
            (Status::ProtocolNotSupported, -70),
            (Status::AddressUnreachable, -71),
            (Status::AddressInUse, -72),
            (Status::NotConnected, -73),
            (Status::ConnectionRefused, -74),
            (Status::ConnectionReset, -75),
            (Status::ConnectionAborted, -76),
            (Status::InternalIntrKilled, -502),
        ];
        for (status, value) in errors_h {
            assert_eq!(status.into_raw(), value, "{status:?}");
        }
        let pinned: alloc::vec::Vec<_> = errors_h.iter().map(|&(status, _)| status).collect();
        assert_eq!(
            pinned,
            Status::ALL,
            "the table holds every status, in order"
        );
    }

    #[test]
    fn raw_round_trip_covers_every_status() {
        for &status in Status::ALL {
            assert_eq!(Status::from_raw(status.into_raw()), Some(status));
        }
        assert_eq!(Status::from_raw(ZX_OK), None);
        assert_eq!(Status::from_raw(-5), None);
    }

    #[test]
    fn every_status_has_the_same_value_and_name() {
        for &status in Status::ALL {
            assert_eq!(
                syscalls_abi::zx_status_get_string(status.into_raw()),
                Some(status.name()),
                "{status:?}"
            );
        }
        // The raw table also holds ZX_OK, which `Status` leaves to `Ok`.
        assert_eq!(syscalls_abi::ZX_STATUSES.len(), Status::ALL.len() + 1);
    }

    #[test]
    fn result_converts_to_zx_status() {
        assert_eq!(status_of(&ZxResult::Ok(())), 0);
        assert_eq!(status_of::<()>(&Err(Status::TimedOut)), -21);
    }
}
