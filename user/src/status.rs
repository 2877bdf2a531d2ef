//! Status codes as user space sees them: Zircon's `zx_status_t` without its success value.
//!
//! Every call returns `ZxResult<T>`; success travels in `Ok`, so [`Status`] has no `OK`
//! variant. A kernel may return a code this library does not know (a newer kernel, or a bug):
//! it is kept as [`Status::Unknown`] with its raw value, never lost or turned into another
//! code.

use syscalls_abi::*;

/// The result of a syscall wrapper.
pub type ZxResult<T = ()> = Result<T, Status>;

/// Declares [`Status`] with each variant's value and `ZX_ERR_*` name written once.
macro_rules! statuses {
    ($($variant:ident = $value:ident,)*) => {
        /// Why a syscall failed, with Zircon's numeric values (`errors.h`, spec §0.1).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Status {
            $(#[doc = concat!("`", stringify!($value), "`.")] $variant,)*
            /// A value this library has no name for.
            Unknown(i32),
        }

        impl Status {
            /// Every named status, in declaration order.
            pub const ALL: &'static [Status] = &[$(Status::$variant,)*];

            /// The `zx_status_t` value.
            pub const fn into_raw(self) -> i32 {
                match self {
                    $(Status::$variant => $value,)*
                    Status::Unknown(raw) => raw,
                }
            }

            /// The status with this non-zero value ([`Status::Unknown`] if it has no name).
            pub const fn from_raw(raw: i32) -> Status {
                match raw {
                    $($value => Status::$variant,)*
                    other => Status::Unknown(other),
                }
            }

            /// The `ZX_ERR_*` name, or `None` for an unknown value.
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    $(Status::$variant => Some(stringify!($value)),)*
                    Status::Unknown(_) => None,
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
    InternalIntrKilled = ZX_ERR_INTERNAL_INTR_KILLED,
}

impl Status {
    /// `Ok(())` for `ZX_OK`, the status otherwise: how every wrapper reads `rax`.
    #[inline]
    pub const fn ok(raw: i32) -> ZxResult {
        if raw == ZX_OK {
            Ok(())
        } else {
            Err(Status::from_raw(raw))
        }
    }

    /// Whether `raw` is in the range a `zx_status_t` may take: `[-2^30, 0]` (`types.h`).
    pub const fn is_valid_raw(raw: i64) -> bool {
        raw <= 0 && raw >= -(1 << 30)
    }
}

impl core::fmt::Display for Status {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "unknown status {}", self.into_raw()),
        }
    }
}

/// The raw status of a result: what a test compares against a `ZX_ERR_*` value.
pub fn raw_status<T>(result: &ZxResult<T>) -> i32 {
    match result {
        Ok(_) => ZX_OK,
        Err(status) => status.into_raw(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_status_round_trips_through_its_raw_value() {
        for &status in Status::ALL {
            assert_eq!(Status::from_raw(status.into_raw()), status);
            assert!(status.into_raw() < 0);
        }
    }

    #[test]
    fn values_match_errors_h() {
        assert_eq!(Status::BadHandle.into_raw(), -11);
        assert_eq!(Status::AccessDenied.into_raw(), -30);
        assert_eq!(Status::InternalIntrKilled.into_raw(), -502);
        assert_eq!(Status::BadHandle.name(), Some("ZX_ERR_BAD_HANDLE"));
    }

    #[test]
    fn unknown_codes_are_kept_with_their_value() {
        let status = Status::from_raw(-7);
        assert_eq!(status, Status::Unknown(-7));
        assert_eq!(status.into_raw(), -7);
        assert_eq!(status.name(), None);
        assert_eq!(format!("{status}"), "unknown status -7");
    }

    #[test]
    fn ok_maps_zero_to_success_and_anything_else_to_a_status() {
        assert_eq!(Status::ok(0), Ok(()));
        assert_eq!(Status::ok(-21), Err(Status::TimedOut));
        assert_eq!(raw_status(&Status::ok(-21)), -21);
        assert_eq!(Status::ok(5), Err(Status::Unknown(5)));
    }

    #[test]
    fn valid_raw_range_is_minus_two_to_the_thirty_up_to_zero() {
        assert!(Status::is_valid_raw(0));
        assert!(Status::is_valid_raw(-(1 << 30)));
        assert!(!Status::is_valid_raw(1));
        assert!(!Status::is_valid_raw(-(1 << 30) - 1));
    }
}
