//! Zircon's ABI vocabulary: status codes, rights, signals, koids, object types, handle values,
//! time, and the constants of channels, ports, waits, tasks, exceptions and job policies, with
//! the exact numeric values user space sees.
//!
//! Every value is defined once, in the `syscalls-abi` crate that user space shares. Its plain
//! constants are re-exported here as they are; the typed forms ([`Status`], [`Rights`],
//! [`Signals`], [`ObjectType`], [`ThreadState`], [`ExceptionChannelType`]) take their values
//! from its constants.

mod channel;
mod exception;
mod handle;
mod koid;
mod object_type;
mod rights;
mod signals;
mod status;
mod task;
mod time;

pub use channel::{ZX_CHANNEL_MAX_MSG_BYTES, ZX_CHANNEL_MAX_MSG_HANDLES};
pub use exception::{ExceptionChannelType, ExceptionType};
pub use handle::HandleValue;
pub use koid::{Koid, new_koid};
pub use object_type::ObjectType;
pub use rights::Rights;
pub use signals::Signals;
pub use status::{Status, ZxResult, status_of};
pub use task::ThreadState;
pub use time::Time;

// Channels, exceptions, handles, koids and object properties.
pub use syscalls_abi::{
    ZX_CHANNEL_READ_MAY_DISCARD, ZX_CHANNEL_WRITE_USE_IOVEC, ZX_EXCEPTION_CHANNEL_DEBUGGER,
    ZX_EXCEPTION_STATE_HANDLED, ZX_EXCEPTION_STATE_TRY_NEXT, ZX_EXCP_FATAL_PAGE_FAULT,
    ZX_EXCP_GENERAL, ZX_EXCP_HW_BREAKPOINT, ZX_EXCP_IS_ARCH as is_arch_exception,
    ZX_EXCP_POLICY_ERROR, ZX_EXCP_PROCESS_STARTING, ZX_EXCP_SW_BREAKPOINT, ZX_EXCP_SYNTH,
    ZX_EXCP_THREAD_EXITING, ZX_EXCP_THREAD_STARTING, ZX_EXCP_UNALIGNED_ACCESS,
    ZX_EXCP_UNDEFINED_INSTRUCTION, ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_INVALID, ZX_KOID_FIRST,
    ZX_KOID_INVALID, ZX_KOID_KERNEL, ZX_OBJ_PROP_NONE, ZX_OBJ_PROP_WAITABLE,
};
// Job policies.
pub use syscalls_abi::{
    ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_TIMER_SLACK,
    ZX_POL_ACTION_ALLOW, ZX_POL_ACTION_ALLOW_EXCEPTION, ZX_POL_ACTION_DENY,
    ZX_POL_ACTION_DENY_EXCEPTION, ZX_POL_ACTION_KILL, ZX_POL_ACTION_MAX,
    ZX_POL_AMBIENT_MARK_VMO_EXEC, ZX_POL_BAD_HANDLE, ZX_POL_MAX, ZX_POL_NEW_ANY,
    ZX_POL_NEW_CHANNEL, ZX_POL_NEW_EVENT, ZX_POL_NEW_EVENTPAIR, ZX_POL_NEW_FIFO, ZX_POL_NEW_PORT,
    ZX_POL_NEW_PROCESS, ZX_POL_NEW_PROFILE, ZX_POL_NEW_SOCKET, ZX_POL_NEW_TIMER, ZX_POL_NEW_VMO,
    ZX_POL_VMAR_WX, ZX_POL_WRONG_OBJECT, ZX_TIMER_SLACK_CENTER, ZX_TIMER_SLACK_EARLY,
    ZX_TIMER_SLACK_LATE,
};
// Ports and waits.
pub use syscalls_abi::{
    ZX_PKT_TYPE_GUEST_BELL, ZX_PKT_TYPE_GUEST_IO, ZX_PKT_TYPE_GUEST_MEM, ZX_PKT_TYPE_GUEST_VCPU,
    ZX_PKT_TYPE_INTERRUPT, ZX_PKT_TYPE_PAGE_REQUEST, ZX_PKT_TYPE_SIGNAL_ONE, ZX_PKT_TYPE_USER,
    ZX_PORT_BIND_TO_INTERRUPT, ZX_PORT_PACKET_PAYLOAD_SIZE, ZX_WAIT_ASYNC_ONCE,
    ZX_WAIT_ASYNC_TIMESTAMP, ZX_WAIT_MANY_MAX_ITEMS,
};
// Rights, statuses and time.
pub use syscalls_abi::{ZX_OK, ZX_RIGHT_SAME_RIGHTS, ZX_TIME_INFINITE, ZX_TIME_INFINITE_PAST};
// Tasks.
pub use syscalls_abi::{
    ZX_CPU_SET_BITS_PER_WORD, ZX_CPU_SET_MAX_CPUS, ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO,
    ZX_MAX_NAME_LEN, ZX_PROP_EXCEPTION_STATE, ZX_PROP_NAME, ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL,
    ZX_TASK_RETCODE_EXCEPTION_KILL, ZX_TASK_RETCODE_OOM_KILL, ZX_TASK_RETCODE_POLICY_KILL,
    ZX_TASK_RETCODE_SYSCALL_KILL, ZX_TASK_RETCODE_VDSO_KILL, ZX_THREAD_STATE_BLOCKED,
};
