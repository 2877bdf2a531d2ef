//! Jobs, processes and threads (`zircon/syscalls/object.h`, `zircon/types.h`; spec §0.2,
//! §2 and §3): return codes, thread states, properties and task options.

/// Killed by `zx_task_kill`.
pub const ZX_TASK_RETCODE_SYSCALL_KILL: i64 = -1024;
/// Killed by the out-of-memory killer.
pub const ZX_TASK_RETCODE_OOM_KILL: i64 = -1025;
/// Killed by a job policy with `ZX_POL_ACTION_KILL`.
pub const ZX_TASK_RETCODE_POLICY_KILL: i64 = -1026;
/// Killed by the vDSO.
pub const ZX_TASK_RETCODE_VDSO_KILL: i64 = -1027;
/// Killed because no handler took an exception.
pub const ZX_TASK_RETCODE_EXCEPTION_KILL: i64 = -1028;
/// Killed because a critical process of the job died.
pub const ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL: i64 = -1029;

/// Created, not yet started.
pub const ZX_THREAD_STATE_NEW: u32 = 0x0;
/// Started and not blocked.
pub const ZX_THREAD_STATE_RUNNING: u32 = 0x1;
/// Suspended.
pub const ZX_THREAD_STATE_SUSPENDED: u32 = 0x2;
/// Blocked (never reported alone: always one of the `BLOCKED_*` states).
pub const ZX_THREAD_STATE_BLOCKED: u32 = 0x3;
/// Ending: it will run no more user code.
pub const ZX_THREAD_STATE_DYING: u32 = 0x4;
/// Ended.
pub const ZX_THREAD_STATE_DEAD: u32 = 0x5;
/// Waiting for an exception handler.
pub const ZX_THREAD_STATE_BLOCKED_EXCEPTION: u32 = 0x103;
/// In `zx_nanosleep`.
pub const ZX_THREAD_STATE_BLOCKED_SLEEPING: u32 = 0x203;
/// In `zx_futex_wait`.
pub const ZX_THREAD_STATE_BLOCKED_FUTEX: u32 = 0x303;
/// In `zx_port_wait`.
pub const ZX_THREAD_STATE_BLOCKED_PORT: u32 = 0x403;
/// In `zx_channel_call`.
pub const ZX_THREAD_STATE_BLOCKED_CHANNEL: u32 = 0x503;
/// In `zx_object_wait_one`.
pub const ZX_THREAD_STATE_BLOCKED_WAIT_ONE: u32 = 0x603;
/// In `zx_object_wait_many`.
pub const ZX_THREAD_STATE_BLOCKED_WAIT_MANY: u32 = 0x703;
/// In `zx_interrupt_wait`.
pub const ZX_THREAD_STATE_BLOCKED_INTERRUPT: u32 = 0x803;
/// Waiting for a pager.
pub const ZX_THREAD_STATE_BLOCKED_PAGER: u32 = 0x903;

/// `ZX_THREAD_STATE_BASIC(n)`: a state without its blocked reason.
pub const fn ZX_THREAD_STATE_BASIC(n: u32) -> u32 {
    n & 0xff
}

/// `zx_job_set_critical`: the job is killed only when the process's return code is not 0.
pub const ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO: u32 = 1 << 0;

/// The CPUs a `zx_cpu_set_t` can name.
pub const ZX_CPU_SET_MAX_CPUS: usize = 512;
/// Bits in one word of a `zx_cpu_set_t`.
pub const ZX_CPU_SET_BITS_PER_WORD: usize = 64;
/// Words in a `zx_cpu_set_t`.
pub const ZX_CPU_SET_WORDS: usize = ZX_CPU_SET_MAX_CPUS / ZX_CPU_SET_BITS_PER_WORD;

/// `ZX_PROP_REGISTER_GS` (x86_64).
pub const ZX_PROP_REGISTER_GS: u32 = 2;
/// `ZX_PROP_NAME`: a task's name, `ZX_MAX_NAME_LEN` bytes with a NUL.
pub const ZX_PROP_NAME: u32 = 3;
/// `ZX_PROP_REGISTER_FS` (x86_64).
pub const ZX_PROP_REGISTER_FS: u32 = 4;
/// `ZX_PROP_PROCESS_DEBUG_ADDR`.
pub const ZX_PROP_PROCESS_DEBUG_ADDR: u32 = 5;
/// `ZX_PROP_PROCESS_VDSO_BASE_ADDRESS`.
pub const ZX_PROP_PROCESS_VDSO_BASE_ADDRESS: u32 = 6;
/// `ZX_PROP_PROCESS_BREAK_ON_LOAD`.
pub const ZX_PROP_PROCESS_BREAK_ON_LOAD: u32 = 7;
/// `ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID`.
pub const ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID: u32 = 8;
/// `ZX_PROP_SOCKET_RX_THRESHOLD`.
pub const ZX_PROP_SOCKET_RX_THRESHOLD: u32 = 12;
/// `ZX_PROP_SOCKET_TX_THRESHOLD`.
pub const ZX_PROP_SOCKET_TX_THRESHOLD: u32 = 13;
/// `ZX_PROP_JOB_KILL_ON_OOM`.
pub const ZX_PROP_JOB_KILL_ON_OOM: u32 = 15;
/// `ZX_PROP_EXCEPTION_STATE`: a `uint32_t` `ZX_EXCEPTION_STATE_*` on an exception handle.
pub const ZX_PROP_EXCEPTION_STATE: u32 = 16;
/// `ZX_PROP_VMO_CONTENT_SIZE`: a VMO's `uint64_t` content size.
pub const ZX_PROP_VMO_CONTENT_SIZE: u32 = 17;
