//! Job policies (`zircon/syscalls/policy.h`, spec §11).

use super::types::zx_duration_t;
use super::wire::wire_struct;

/// Apply each entry only where no ancestor fixed the condition.
pub const ZX_JOB_POL_RELATIVE: u32 = 0;
/// Apply every entry, or fail.
pub const ZX_JOB_POL_ABSOLUTE: u32 = 1;

/// Topic: entries are [`zx_policy_basic_t`] (`ZX_JOB_POL_BASIC_V1`).
pub const ZX_JOB_POL_BASIC: u32 = 0;
/// Topic: one [`zx_policy_timer_slack_t`].
pub const ZX_JOB_POL_TIMER_SLACK: u32 = 1;

/// A bad handle was passed to a syscall.
pub const ZX_POL_BAD_HANDLE: u32 = 0;
/// A handle to an object of the wrong type was passed to a syscall.
pub const ZX_POL_WRONG_OBJECT: u32 = 1;
/// A mapping asked to be writable and executable.
pub const ZX_POL_VMAR_WX: u32 = 2;
/// Every `ZX_POL_NEW_*` condition (only when setting a policy).
pub const ZX_POL_NEW_ANY: u32 = 3;
/// `zx_vmo_create`.
pub const ZX_POL_NEW_VMO: u32 = 4;
/// `zx_channel_create` and exception channels.
pub const ZX_POL_NEW_CHANNEL: u32 = 5;
/// `zx_event_create`.
pub const ZX_POL_NEW_EVENT: u32 = 6;
/// `zx_eventpair_create`.
pub const ZX_POL_NEW_EVENTPAIR: u32 = 7;
/// `zx_port_create`.
pub const ZX_POL_NEW_PORT: u32 = 8;
/// `zx_socket_create`.
pub const ZX_POL_NEW_SOCKET: u32 = 9;
/// `zx_fifo_create`.
pub const ZX_POL_NEW_FIFO: u32 = 10;
/// `zx_timer_create`.
pub const ZX_POL_NEW_TIMER: u32 = 11;
/// `zx_process_create`.
pub const ZX_POL_NEW_PROCESS: u32 = 12;
/// `zx_profile_create`.
pub const ZX_POL_NEW_PROFILE: u32 = 13;
/// `zx_vmo_replace_as_executable` without a resource.
pub const ZX_POL_AMBIENT_MARK_VMO_EXEC: u32 = 14;
/// One past the last condition; also the most entries one call may carry.
pub const ZX_POL_MAX: u32 = 15;

/// Allow.
pub const ZX_POL_ACTION_ALLOW: u32 = 0;
/// Deny with `ZX_ERR_ACCESS_DENIED`.
pub const ZX_POL_ACTION_DENY: u32 = 1;
/// Raise `ZX_EXCP_POLICY_ERROR`, then allow.
pub const ZX_POL_ACTION_ALLOW_EXCEPTION: u32 = 2;
/// Raise `ZX_EXCP_POLICY_ERROR`, then deny.
pub const ZX_POL_ACTION_DENY_EXCEPTION: u32 = 3;
/// Kill the process with `ZX_TASK_RETCODE_POLICY_KILL`.
pub const ZX_POL_ACTION_KILL: u32 = 4;
/// One past the last action.
pub const ZX_POL_ACTION_MAX: u32 = 5;

/// Timer slack centred on the deadline.
pub const ZX_TIMER_SLACK_CENTER: u32 = 0;
/// Timer slack before the deadline.
pub const ZX_TIMER_SLACK_EARLY: u32 = 1;
/// Timer slack after the deadline.
pub const ZX_TIMER_SLACK_LATE: u32 = 2;

wire_struct! {
    /// One `ZX_JOB_POL_BASIC` entry.
    pub struct zx_policy_basic_t {
        /// A `ZX_POL_*` condition.
        pub condition: u32,
        /// A `ZX_POL_ACTION_*` action.
        pub policy: u32,
    }
}

wire_struct! {
    /// The `ZX_JOB_POL_TIMER_SLACK` entry.
    pub struct zx_policy_timer_slack_t {
        /// The least slack timers get.
        pub min_slack: zx_duration_t,
        /// `ZX_TIMER_SLACK_*`.
        pub default_mode: u32,
        /// Zero.
        pub padding1: [u8; 4],
    }
}
