//! The typed thread state of jobs, processes and threads (`syscalls/object.h`, spec §2.3),
//! with the values of the ABI crate's `ZX_THREAD_STATE_*`. The return codes, names, properties
//! and task options are the ABI crate's constants, re-exported as they are.

use syscalls_abi::*;

/// `ZX_THREAD_STATE_*`: a thread's state in `zx_info_thread_t` (spec §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ThreadState {
    /// Created, not yet started.
    #[doc(alias = "ZX_THREAD_STATE_NEW")]
    New = ZX_THREAD_STATE_NEW,
    /// Started and not blocked.
    #[doc(alias = "ZX_THREAD_STATE_RUNNING")]
    Running = ZX_THREAD_STATE_RUNNING,
    /// Suspended.
    #[doc(alias = "ZX_THREAD_STATE_SUSPENDED")]
    Suspended = ZX_THREAD_STATE_SUSPENDED,
    /// Ending: it will run no more user code.
    #[doc(alias = "ZX_THREAD_STATE_DYING")]
    Dying = ZX_THREAD_STATE_DYING,
    /// Ended.
    #[doc(alias = "ZX_THREAD_STATE_DEAD")]
    Dead = ZX_THREAD_STATE_DEAD,
    /// Waiting for an exception handler.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_EXCEPTION")]
    BlockedException = ZX_THREAD_STATE_BLOCKED_EXCEPTION,
    /// In `zx_nanosleep`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_SLEEPING")]
    BlockedSleeping = ZX_THREAD_STATE_BLOCKED_SLEEPING,
    /// In `zx_futex_wait`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_FUTEX")]
    BlockedFutex = ZX_THREAD_STATE_BLOCKED_FUTEX,
    /// In `zx_port_wait`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_PORT")]
    BlockedPort = ZX_THREAD_STATE_BLOCKED_PORT,
    /// In `zx_channel_call`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_CHANNEL")]
    BlockedChannel = ZX_THREAD_STATE_BLOCKED_CHANNEL,
    /// In `zx_object_wait_one`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_WAIT_ONE")]
    BlockedWaitOne = ZX_THREAD_STATE_BLOCKED_WAIT_ONE,
    /// In `zx_object_wait_many`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_WAIT_MANY")]
    BlockedWaitMany = ZX_THREAD_STATE_BLOCKED_WAIT_MANY,
    /// In `zx_interrupt_wait`.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_INTERRUPT")]
    BlockedInterrupt = ZX_THREAD_STATE_BLOCKED_INTERRUPT,
    /// Waiting for a pager.
    #[doc(alias = "ZX_THREAD_STATE_BLOCKED_PAGER")]
    BlockedPager = ZX_THREAD_STATE_BLOCKED_PAGER,
}

impl ThreadState {
    /// The value user space sees.
    pub const fn into_raw(self) -> u32 {
        self as u32
    }

    /// `ZX_THREAD_STATE_BASIC(n)`: the state without its blocked reason.
    pub const fn basic(self) -> u32 {
        ZX_THREAD_STATE_BASIC(self as u32)
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
