//! Job policies (spec §11): what a job's processes may do, set top-down and fixed once set.
//!
//! A [`JobPolicy`] gives each condition an action and says whether a descendant may still
//! change it. The root job allows everything and fixes nothing. `zx_job_set_policy` with
//! `ZX_JOB_POL_BASIC` fixes each condition it names: a later entry for a fixed condition is
//! ignored in `ZX_JOB_POL_RELATIVE` mode and, if it asks for a different action, fails the
//! whole call with ALREADY_EXISTS in `ZX_JOB_POL_ABSOLUTE` mode. A new job starts with its
//! parent's policy, and a job's policy can change only while it has no children, so a
//! process's policy never changes: each process keeps a copy.
//!
//! Checks happen where objects are made: the syscall layer calls
//! [`Process::check_policy`](super::Process::check_policy) before creating a VMO, channel,
//! event, event pair, port, process... and when a handle is bad.

use crate::abi::{
    Status, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_RELATIVE, ZX_POL_ACTION_ALLOW,
    ZX_POL_ACTION_ALLOW_EXCEPTION, ZX_POL_ACTION_DENY, ZX_POL_ACTION_DENY_EXCEPTION,
    ZX_POL_ACTION_KILL, ZX_POL_ACTION_MAX, ZX_POL_AMBIENT_MARK_VMO_EXEC, ZX_POL_BAD_HANDLE,
    ZX_POL_MAX, ZX_POL_NEW_ANY, ZX_POL_NEW_CHANNEL, ZX_POL_NEW_EVENT, ZX_POL_NEW_EVENTPAIR,
    ZX_POL_NEW_FIFO, ZX_POL_NEW_PORT, ZX_POL_NEW_PROCESS, ZX_POL_NEW_PROFILE, ZX_POL_NEW_SOCKET,
    ZX_POL_NEW_TIMER, ZX_POL_NEW_VMO, ZX_POL_VMAR_WX, ZX_POL_WRONG_OBJECT, ZX_TIMER_SLACK_CENTER,
    ZX_TIMER_SLACK_LATE, ZxResult,
};

/// How many conditions a policy holds (`ZX_POL_MAX`).
const CONDITIONS: usize = ZX_POL_MAX as usize;

/// A condition a process's action is checked against (`ZX_POL_*`, without `NEW_ANY`, which
/// only names a set of these when a policy is set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum PolicyCondition {
    /// A syscall was given a handle value that names no handle.
    #[doc(alias = "ZX_POL_BAD_HANDLE")]
    BadHandle = ZX_POL_BAD_HANDLE,
    /// A syscall was given a handle to an object that does not support the operation.
    #[doc(alias = "ZX_POL_WRONG_OBJECT")]
    WrongObject = ZX_POL_WRONG_OBJECT,
    /// A mapping asked to be writable and executable at once.
    #[doc(alias = "ZX_POL_VMAR_WX")]
    VmarWx = ZX_POL_VMAR_WX,
    /// `zx_vmo_create`.
    #[doc(alias = "ZX_POL_NEW_VMO")]
    NewVmo = ZX_POL_NEW_VMO,
    /// `zx_channel_create` (and exception channels).
    #[doc(alias = "ZX_POL_NEW_CHANNEL")]
    NewChannel = ZX_POL_NEW_CHANNEL,
    /// `zx_event_create`.
    #[doc(alias = "ZX_POL_NEW_EVENT")]
    NewEvent = ZX_POL_NEW_EVENT,
    /// `zx_eventpair_create`.
    #[doc(alias = "ZX_POL_NEW_EVENTPAIR")]
    NewEventPair = ZX_POL_NEW_EVENTPAIR,
    /// `zx_port_create`.
    #[doc(alias = "ZX_POL_NEW_PORT")]
    NewPort = ZX_POL_NEW_PORT,
    /// `zx_socket_create`.
    #[doc(alias = "ZX_POL_NEW_SOCKET")]
    NewSocket = ZX_POL_NEW_SOCKET,
    /// `zx_fifo_create`.
    #[doc(alias = "ZX_POL_NEW_FIFO")]
    NewFifo = ZX_POL_NEW_FIFO,
    /// `zx_timer_create`.
    #[doc(alias = "ZX_POL_NEW_TIMER")]
    NewTimer = ZX_POL_NEW_TIMER,
    /// `zx_process_create`.
    #[doc(alias = "ZX_POL_NEW_PROCESS")]
    NewProcess = ZX_POL_NEW_PROCESS,
    /// `zx_profile_create`.
    #[doc(alias = "ZX_POL_NEW_PROFILE")]
    NewProfile = ZX_POL_NEW_PROFILE,
    /// `zx_vmo_replace_as_executable` without a resource.
    #[doc(alias = "ZX_POL_AMBIENT_MARK_VMO_EXEC")]
    AmbientMarkVmoExec = ZX_POL_AMBIENT_MARK_VMO_EXEC,
}

/// What happens when a process meets a condition.
///
/// TODO: `ZX_POL_ACTION_ALLOW_EXCEPTION` and `ZX_POL_ACTION_DENY_EXCEPTION` are refused with
/// NOT_SUPPORTED, because raising `ZX_EXCP_POLICY_ERROR` would make every creating syscall
/// wait for exception handlers (ruling 14.8 lets them come later).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyAction {
    /// The operation goes ahead.
    Allow,
    /// The operation fails with ACCESS_DENIED.
    Deny,
    /// The process is killed with `ZX_TASK_RETCODE_POLICY_KILL`.
    Kill,
}

/// One `zx_policy_basic_t` entry, as user space wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BasicPolicy {
    /// A `ZX_POL_*` condition.
    pub condition: u32,
    /// A `ZX_POL_ACTION_*` action.
    pub action: u32,
}

/// One `zx_policy_timer_slack_t` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerSlackPolicy {
    /// The least slack, in nanoseconds, timers of the job's processes get.
    pub min_slack: i64,
    /// `ZX_TIMER_SLACK_CENTER`, `EARLY` or `LATE`.
    pub default_mode: u32,
}

/// The entries of one `zx_job_set_policy` call, by topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyRequest<'a> {
    /// `ZX_JOB_POL_BASIC`.
    Basic(&'a [BasicPolicy]),
    /// `ZX_JOB_POL_TIMER_SLACK`.
    TimerSlack(&'a [TimerSlackPolicy]),
}

/// A job's effective policy; see the module doc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobPolicy {
    rules: [Rule; CONDITIONS],
    timer_slack: TimerSlackPolicy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rule {
    action: PolicyAction,
    /// Set by some job: descendants cannot change it.
    fixed: bool,
}

impl JobPolicy {
    /// The root job's policy: everything allowed, nothing fixed, no timer slack.
    pub const fn root() -> JobPolicy {
        let open = Rule {
            action: PolicyAction::Allow,
            fixed: false,
        };
        JobPolicy {
            rules: [open; CONDITIONS],
            timer_slack: TimerSlackPolicy {
                min_slack: 0,
                default_mode: ZX_TIMER_SLACK_CENTER,
            },
        }
    }

    /// The action for `condition`.
    pub fn action(&self, condition: PolicyCondition) -> PolicyAction {
        self.rules[condition as usize].action
    }

    /// The timer-slack policy.
    pub fn timer_slack(&self) -> TimerSlackPolicy {
        self.timer_slack
    }

    /// The checks of a `zx_job_set_policy` request that need no job, done before its handle
    /// is looked up: INVALID_ARGS for options neither RELATIVE nor ABSOLUTE, no entries, more
    /// than one timer-slack entry or one in ABSOLUTE mode; OUT_OF_RANGE for more than
    /// `ZX_POL_MAX` basic entries.
    pub fn check_request(options: u32, request: PolicyRequest<'_>) -> ZxResult {
        if options != ZX_JOB_POL_RELATIVE && options != ZX_JOB_POL_ABSOLUTE {
            return Err(Status::InvalidArgs);
        }
        match request {
            PolicyRequest::Basic([]) | PolicyRequest::TimerSlack([]) => Err(Status::InvalidArgs),
            PolicyRequest::Basic(entries) if entries.len() > CONDITIONS => Err(Status::OutOfRange),
            PolicyRequest::Basic(_) => Ok(()),
            PolicyRequest::TimerSlack([_]) if options == ZX_JOB_POL_RELATIVE => Ok(()),
            PolicyRequest::TimerSlack(_) => Err(Status::InvalidArgs),
        }
    }

    /// This policy with `request` applied in `options` mode, or why it cannot be (spec §11):
    /// the errors of [`JobPolicy::check_request`]; OUT_OF_RANGE for an unknown condition;
    /// NOT_SUPPORTED for an unknown action or an exception action; INVALID_ARGS for a
    /// negative timer slack or an unknown slack mode; ALREADY_EXISTS when, in ABSOLUTE mode,
    /// a condition an ancestor fixed would change.
    pub fn apply(&self, options: u32, request: PolicyRequest<'_>) -> ZxResult<JobPolicy> {
        JobPolicy::check_request(options, request)?;
        let absolute = options == ZX_JOB_POL_ABSOLUTE;
        match request {
            PolicyRequest::Basic(entries) => self.apply_basic(absolute, entries),
            PolicyRequest::TimerSlack(entries) => self.apply_timer_slack(entries),
        }
    }

    fn apply_basic(&self, absolute: bool, entries: &[BasicPolicy]) -> ZxResult<JobPolicy> {
        let mut policy = *self;
        for entry in entries {
            let action = parse_action(entry.action)?;
            for condition in expand(entry.condition)? {
                policy.fix(condition, action, absolute)?;
            }
        }
        Ok(policy)
    }

    /// Fixes `condition` to `action`, unless an earlier job fixed it already.
    fn fix(&mut self, condition: usize, action: PolicyAction, absolute: bool) -> ZxResult {
        let rule = &mut self.rules[condition];
        if rule.fixed {
            if absolute && rule.action != action {
                return Err(Status::AlreadyExists);
            }
            return Ok(());
        }
        *rule = Rule {
            action,
            fixed: true,
        };
        Ok(())
    }

    fn apply_timer_slack(&self, entries: &[TimerSlackPolicy]) -> ZxResult<JobPolicy> {
        let [entry] = entries else {
            unreachable!("check_request allows exactly one timer-slack entry");
        };
        if entry.min_slack < 0 || entry.default_mode > ZX_TIMER_SLACK_LATE {
            return Err(Status::InvalidArgs);
        }
        let mut policy = *self;
        policy.timer_slack = TimerSlackPolicy {
            min_slack: entry.min_slack.max(self.timer_slack.min_slack),
            default_mode: entry.default_mode,
        };
        Ok(policy)
    }
}

/// The action `raw` names; NOT_SUPPORTED for unknown and exception actions.
fn parse_action(raw: u32) -> ZxResult<PolicyAction> {
    match raw {
        ZX_POL_ACTION_ALLOW => Ok(PolicyAction::Allow),
        ZX_POL_ACTION_DENY => Ok(PolicyAction::Deny),
        ZX_POL_ACTION_KILL => Ok(PolicyAction::Kill),
        ZX_POL_ACTION_ALLOW_EXCEPTION | ZX_POL_ACTION_DENY_EXCEPTION => Err(Status::NotSupported),
        _ => {
            debug_assert!(
                raw >= ZX_POL_ACTION_MAX,
                "every action below the max is matched"
            );
            Err(Status::NotSupported)
        }
    }
}

/// The conditions `raw` stands for: itself, or every `NEW_*` for `NEW_ANY`. OUT_OF_RANGE
/// past `ZX_POL_MAX`.
fn expand(raw: u32) -> ZxResult<core::ops::Range<usize>> {
    match raw {
        ZX_POL_NEW_ANY => Ok(ZX_POL_NEW_VMO as usize..ZX_POL_NEW_PROFILE as usize + 1),
        raw if raw < ZX_POL_MAX => Ok(raw as usize..raw as usize + 1),
        _ => Err(Status::OutOfRange),
    }
}
