//! Kernel status codes: Zircon's `zx_status_t` without its success value.
//!
//! Spinel's operations return `ZxResult<T>`; success travels in `Ok`, so [`Status`] has no `OK`
//! variant. Each variant converts to the exact negative value of Zircon's `errors.h`, which is
//! what user space sees in `rax` after a syscall.

/// The value user space sees for success (`ZX_OK`).
pub const ZX_OK: i32 = 0;

/// The result of a kernel operation.
pub type ZxResult<T = ()> = Result<T, Status>;

/// Declares [`Status`] with each variant's value and `ZX_ERR_*` name written once.
macro_rules! statuses {
    ($($(#[$doc:meta])* $variant:ident = $value:literal => $name:literal,)*) => {
        /// Why a kernel operation failed, with Zircon's numeric values (`errors.h`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(i32)]
        #[non_exhaustive]
        pub enum Status {
            $($(#[$doc])* #[doc(alias = $name)] $variant = $value,)*
        }

        impl Status {
            /// Every status, in declaration order.
            pub const ALL: &'static [Status] = &[$(Status::$variant,)*];

            /// The `ZX_ERR_*` name, as Zircon's `zx_status_get_string` spells it.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Status::$variant => $name,)*
                }
            }
        }
    };
}

statuses! {
    Internal = -1 => "ZX_ERR_INTERNAL",
    NotSupported = -2 => "ZX_ERR_NOT_SUPPORTED",
    NoResources = -3 => "ZX_ERR_NO_RESOURCES",
    NoMemory = -4 => "ZX_ERR_NO_MEMORY",
    /// vDSO-internal: the operation should be retried. Never seen by user code.
    InternalIntrRetry = -6 => "ZX_ERR_INTERNAL_INTR_RETRY",
    InvalidArgs = -10 => "ZX_ERR_INVALID_ARGS",
    BadHandle = -11 => "ZX_ERR_BAD_HANDLE",
    WrongType = -12 => "ZX_ERR_WRONG_TYPE",
    BadSyscall = -13 => "ZX_ERR_BAD_SYSCALL",
    OutOfRange = -14 => "ZX_ERR_OUT_OF_RANGE",
    BufferTooSmall = -15 => "ZX_ERR_BUFFER_TOO_SMALL",
    BadState = -20 => "ZX_ERR_BAD_STATE",
    TimedOut = -21 => "ZX_ERR_TIMED_OUT",
    ShouldWait = -22 => "ZX_ERR_SHOULD_WAIT",
    Canceled = -23 => "ZX_ERR_CANCELED",
    PeerClosed = -24 => "ZX_ERR_PEER_CLOSED",
    NotFound = -25 => "ZX_ERR_NOT_FOUND",
    AlreadyExists = -26 => "ZX_ERR_ALREADY_EXISTS",
    AlreadyBound = -27 => "ZX_ERR_ALREADY_BOUND",
    Unavailable = -28 => "ZX_ERR_UNAVAILABLE",
    AccessDenied = -30 => "ZX_ERR_ACCESS_DENIED",
    Io = -40 => "ZX_ERR_IO",
    IoRefused = -41 => "ZX_ERR_IO_REFUSED",
    IoDataIntegrity = -42 => "ZX_ERR_IO_DATA_INTEGRITY",
    IoDataLoss = -43 => "ZX_ERR_IO_DATA_LOSS",
    IoNotPresent = -44 => "ZX_ERR_IO_NOT_PRESENT",
    IoOverrun = -45 => "ZX_ERR_IO_OVERRUN",
    IoMissedDeadline = -46 => "ZX_ERR_IO_MISSED_DEADLINE",
    IoInvalid = -47 => "ZX_ERR_IO_INVALID",
    BadPath = -50 => "ZX_ERR_BAD_PATH",
    NotDir = -51 => "ZX_ERR_NOT_DIR",
    NotFile = -52 => "ZX_ERR_NOT_FILE",
    FileBig = -53 => "ZX_ERR_FILE_BIG",
    NoSpace = -54 => "ZX_ERR_NO_SPACE",
    NotEmpty = -55 => "ZX_ERR_NOT_EMPTY",
    Stop = -60 => "ZX_ERR_STOP",
    Next = -61 => "ZX_ERR_NEXT",
    Async = -62 => "ZX_ERR_ASYNC",
    ProtocolNotSupported = -70 => "ZX_ERR_PROTOCOL_NOT_SUPPORTED",
    AddressUnreachable = -71 => "ZX_ERR_ADDRESS_UNREACHABLE",
    AddressInUse = -72 => "ZX_ERR_ADDRESS_IN_USE",
    NotConnected = -73 => "ZX_ERR_NOT_CONNECTED",
    ConnectionRefused = -74 => "ZX_ERR_CONNECTION_REFUSED",
    ConnectionReset = -75 => "ZX_ERR_CONNECTION_RESET",
    ConnectionAborted = -76 => "ZX_ERR_CONNECTION_ABORTED",
    /// vDSO-private: the task was killed during the operation.
    InternalIntrKilled = -502 => "ZX_ERR_INTERNAL_INTR_KILLED",
}

impl Status {
    /// The `zx_status_t` value user space sees.
    pub const fn into_raw(self) -> i32 {
        self as i32
    }

    /// The status with this `zx_status_t` value; `None` for `ZX_OK` and unknown values.
    pub fn from_raw(raw: i32) -> Option<Status> {
        Status::ALL
            .iter()
            .copied()
            .find(|status| status.into_raw() == raw)
    }
}

/// The `zx_status_t` a result becomes at the syscall boundary.
pub fn status_of<T>(result: &ZxResult<T>) -> i32 {
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
    fn values_match_zircon_errors_h() {
        assert_eq!(Status::Internal.into_raw(), -1);
        assert_eq!(Status::NoMemory.into_raw(), -4);
        assert_eq!(Status::InvalidArgs.into_raw(), -10);
        assert_eq!(Status::BadSyscall.into_raw(), -13);
        assert_eq!(Status::BadState.into_raw(), -20);
        assert_eq!(Status::Canceled.into_raw(), -23);
        assert_eq!(Status::AccessDenied.into_raw(), -30);
        assert_eq!(Status::ConnectionAborted.into_raw(), -76);
        assert_eq!(Status::InternalIntrKilled.into_raw(), -502);
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
    fn result_converts_to_zx_status() {
        assert_eq!(status_of(&ZxResult::Ok(())), 0);
        assert_eq!(status_of::<()>(&Err(Status::TimedOut)), -21);
    }
}
