//! The ABI of jobs, processes and threads: return codes, thread states, names, properties and
//! the options of the task syscalls (`syscalls/object.h`, `types.h`; spec §0.2, §2, §3, §10).

/// `ZX_TASK_RETCODE_SYSCALL_KILL`: killed by `zx_task_kill` (spec §0.2).
pub const ZX_TASK_RETCODE_SYSCALL_KILL: i64 = -1024;
/// `ZX_TASK_RETCODE_OOM_KILL`: killed by the out-of-memory killer.
pub const ZX_TASK_RETCODE_OOM_KILL: i64 = -1025;
/// `ZX_TASK_RETCODE_POLICY_KILL`: killed by a job policy with `ZX_POL_ACTION_KILL`.
pub const ZX_TASK_RETCODE_POLICY_KILL: i64 = -1026;
/// `ZX_TASK_RETCODE_VDSO_KILL`: killed by the vDSO.
pub const ZX_TASK_RETCODE_VDSO_KILL: i64 = -1027;
/// `ZX_TASK_RETCODE_EXCEPTION_KILL`: an exception no handler took.
pub const ZX_TASK_RETCODE_EXCEPTION_KILL: i64 = -1028;
/// `ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL`: a critical process of the job died.
pub const ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL: i64 = -1029;

/// `ZX_MAX_NAME_LEN`: object names hold at most 31 bytes and a NUL (`types.h`, spec §0.5).
pub const ZX_MAX_NAME_LEN: usize = 32;

/// `ZX_PROP_NAME` (`syscalls/object.h`, spec §10).
pub const ZX_PROP_NAME: u32 = 3;
/// `ZX_PROP_EXCEPTION_STATE` (spec §9.4, §10).
pub const ZX_PROP_EXCEPTION_STATE: u32 = 16;

/// `ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO`: a critical process kills its job only when it
/// ends with a non-zero return code (spec §2.2).
pub const ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO: u32 = 1;

/// `ZX_CPU_SET_MAX_CPUS`: the CPUs a `zx_cpu_set_t` can name.
pub const ZX_CPU_SET_MAX_CPUS: usize = 512;
/// `ZX_CPU_SET_BITS_PER_WORD`.
pub const ZX_CPU_SET_BITS_PER_WORD: usize = 64;

/// `ZX_THREAD_STATE_*`: a thread's state in `zx_info_thread_t` (spec §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ThreadState {
    /// Created, not yet started.
    #[doc(alias = "ZX_THREAD_STATE_NEW")]
    New = 0x0,
    /// Started and not blocked.
    #[doc(alias = "ZX_THREAD_STATE_RUNNING")]
    Running = 0x1,
    /// Suspended.
    #[doc(alias = "ZX_THREAD_STATE_SUSPENDED")]
    Suspended = 0x2,
    /// Ending: it will run no more user code.
    #[doc(alias = "ZX_THREAD_STATE_DYING")]
    Dying = 0x4,
    /// Ended.
    #[doc(alias = "ZX_THREAD_STATE_DEAD")]
    Dead = 0x5,
    /// Waiting for an exception handler.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_EXCEPTION")]
    BlockedException = 0x103,
    /// In `zx_nanosleep`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_SLEEPING")]
    BlockedSleeping = 0x203,
    /// In `zx_futex_wait`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_FUTEX")]
    BlockedFutex = 0x303,
    /// In `zx_port_wait`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_PORT")]
    BlockedPort = 0x403,
    /// In `zx_channel_call`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_CHANNEL")]
    BlockedChannel = 0x503,
    /// In `zx_object_wait_one`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_WAIT_ONE")]
    BlockedWaitOne = 0x603,
    /// In `zx_object_wait_many`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_WAIT_MANY")]
    BlockedWaitMany = 0x703,
    /// In `zx_interrupt_wait`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_INTERRUPT")]
    BlockedInterrupt = 0x803,
    /// Waiting for a pager.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_PAGER")]
    BlockedPager = 0x903,
}

/// `ZX_THREAD_STATE_BLOCKED`: the basic state of every `BLOCKED_*` state; never reported alone.
pub const ZX_THREAD_STATE_BLOCKED: u32 = 0x3;

impl ThreadState {
    /// The value user space sees.
    pub const fn into_raw(self) -> u32 {
        self as u32
    }

    /// `ZX_THREAD_STATE_BASIC(n)`: the state without its blocked reason.
    pub const fn basic(self) -> u32 {
        self as u32 & 0xff
    }

    /// Whether this is one of the `BLOCKED_*` states.
    pub const fn is_blocked(self) -> bool {
        self.basic() == ZX_THREAD_STATE_BLOCKED
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocked_states_share_the_basic_blocked_value() {
        assert!(ThreadState::BlockedWaitOne.is_blocked());
        assert!(ThreadState::BlockedException.is_blocked());
        assert!(!ThreadState::Running.is_blocked());
        assert_eq!(ThreadState::BlockedPager.into_raw(), 0x903);
        assert_eq!(ThreadState::Dead.basic(), 5);
    }

    #[test]
    fn return_codes_match_object_h() {
        assert_eq!(ZX_TASK_RETCODE_SYSCALL_KILL, -1024);
        assert_eq!(ZX_TASK_RETCODE_POLICY_KILL, -1026);
        assert_eq!(ZX_TASK_RETCODE_EXCEPTION_KILL, -1028);
        assert_eq!(ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL, -1029);
    }
}
