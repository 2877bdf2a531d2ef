//! The ABI of job policies: topics, options, conditions and actions (`syscalls/policy.h`;
//! spec §11).

/// `ZX_JOB_POL_RELATIVE`: apply each entry only where no ancestor fixed the condition.
pub const ZX_JOB_POL_RELATIVE: u32 = 0;
/// `ZX_JOB_POL_ABSOLUTE`: apply every entry, or fail.
pub const ZX_JOB_POL_ABSOLUTE: u32 = 1;

/// `ZX_JOB_POL_BASIC` (`ZX_JOB_POL_BASIC_V1`): entries are `zx_policy_basic_t`.
pub const ZX_JOB_POL_BASIC: u32 = 0;
/// `ZX_JOB_POL_TIMER_SLACK`: one `zx_policy_timer_slack_t`.
pub const ZX_JOB_POL_TIMER_SLACK: u32 = 1;

/// `ZX_POL_BAD_HANDLE`.
pub const ZX_POL_BAD_HANDLE: u32 = 0;
/// `ZX_POL_WRONG_OBJECT`.
pub const ZX_POL_WRONG_OBJECT: u32 = 1;
/// `ZX_POL_VMAR_WX`.
pub const ZX_POL_VMAR_WX: u32 = 2;
/// `ZX_POL_NEW_ANY`: every `ZX_POL_NEW_*` condition at once (only when setting a policy).
pub const ZX_POL_NEW_ANY: u32 = 3;
/// `ZX_POL_NEW_VMO`.
pub const ZX_POL_NEW_VMO: u32 = 4;
/// `ZX_POL_NEW_CHANNEL`.
pub const ZX_POL_NEW_CHANNEL: u32 = 5;
/// `ZX_POL_NEW_EVENT`.
pub const ZX_POL_NEW_EVENT: u32 = 6;
/// `ZX_POL_NEW_EVENTPAIR`.
pub const ZX_POL_NEW_EVENTPAIR: u32 = 7;
/// `ZX_POL_NEW_PORT`.
pub const ZX_POL_NEW_PORT: u32 = 8;
/// `ZX_POL_NEW_SOCKET`.
pub const ZX_POL_NEW_SOCKET: u32 = 9;
/// `ZX_POL_NEW_FIFO`.
pub const ZX_POL_NEW_FIFO: u32 = 10;
/// `ZX_POL_NEW_TIMER`.
pub const ZX_POL_NEW_TIMER: u32 = 11;
/// `ZX_POL_NEW_PROCESS`.
pub const ZX_POL_NEW_PROCESS: u32 = 12;
/// `ZX_POL_NEW_PROFILE`.
pub const ZX_POL_NEW_PROFILE: u32 = 13;
/// `ZX_POL_AMBIENT_MARK_VMO_EXEC`.
pub const ZX_POL_AMBIENT_MARK_VMO_EXEC: u32 = 14;
/// `ZX_POL_MAX`: one past the last condition; also the most entries one call may carry.
pub const ZX_POL_MAX: u32 = 15;

/// `ZX_POL_ACTION_ALLOW`.
pub const ZX_POL_ACTION_ALLOW: u32 = 0;
/// `ZX_POL_ACTION_DENY`.
pub const ZX_POL_ACTION_DENY: u32 = 1;
/// `ZX_POL_ACTION_ALLOW_EXCEPTION`.
pub const ZX_POL_ACTION_ALLOW_EXCEPTION: u32 = 2;
/// `ZX_POL_ACTION_DENY_EXCEPTION`.
pub const ZX_POL_ACTION_DENY_EXCEPTION: u32 = 3;
/// `ZX_POL_ACTION_KILL`.
pub const ZX_POL_ACTION_KILL: u32 = 4;
/// `ZX_POL_ACTION_MAX`: one past the last action.
pub const ZX_POL_ACTION_MAX: u32 = 5;

/// `ZX_TIMER_SLACK_CENTER`.
pub const ZX_TIMER_SLACK_CENTER: u32 = 0;
/// `ZX_TIMER_SLACK_EARLY`.
pub const ZX_TIMER_SLACK_EARLY: u32 = 1;
/// `ZX_TIMER_SLACK_LATE`.
pub const ZX_TIMER_SLACK_LATE: u32 = 2;
