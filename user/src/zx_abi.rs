//! TEMPORARY: Zircon's raw ABI constants, until `syscalls::abi` carries them.
//!
//! Every value here is Zircon's exact value (spec §0, §2, §9, §10, §11). The `syscalls` crate
//! is gaining the same constants in `syscalls::abi`; when that lands this module is deleted and
//! the library imports them from there instead, so that no constant is defined twice. Nothing
//! outside this file spells one of these numbers.

#![allow(missing_docs)]

// Status codes (`errors.h`, spec §0.1).
pub const ZX_OK: i32 = 0;
pub const ZX_ERR_INTERNAL: i32 = -1;
pub const ZX_ERR_NOT_SUPPORTED: i32 = -2;
pub const ZX_ERR_NO_RESOURCES: i32 = -3;
pub const ZX_ERR_NO_MEMORY: i32 = -4;
pub const ZX_ERR_INTERNAL_INTR_RETRY: i32 = -6;
pub const ZX_ERR_INVALID_ARGS: i32 = -10;
pub const ZX_ERR_BAD_HANDLE: i32 = -11;
pub const ZX_ERR_WRONG_TYPE: i32 = -12;
pub const ZX_ERR_BAD_SYSCALL: i32 = -13;
pub const ZX_ERR_OUT_OF_RANGE: i32 = -14;
pub const ZX_ERR_BUFFER_TOO_SMALL: i32 = -15;
pub const ZX_ERR_BAD_STATE: i32 = -20;
pub const ZX_ERR_TIMED_OUT: i32 = -21;
pub const ZX_ERR_SHOULD_WAIT: i32 = -22;
pub const ZX_ERR_CANCELED: i32 = -23;
pub const ZX_ERR_PEER_CLOSED: i32 = -24;
pub const ZX_ERR_NOT_FOUND: i32 = -25;
pub const ZX_ERR_ALREADY_EXISTS: i32 = -26;
pub const ZX_ERR_ALREADY_BOUND: i32 = -27;
pub const ZX_ERR_UNAVAILABLE: i32 = -28;
pub const ZX_ERR_ACCESS_DENIED: i32 = -30;
pub const ZX_ERR_IO: i32 = -40;
pub const ZX_ERR_IO_REFUSED: i32 = -41;
pub const ZX_ERR_IO_DATA_INTEGRITY: i32 = -42;
pub const ZX_ERR_IO_DATA_LOSS: i32 = -43;
pub const ZX_ERR_IO_NOT_PRESENT: i32 = -44;
pub const ZX_ERR_IO_OVERRUN: i32 = -45;
pub const ZX_ERR_IO_MISSED_DEADLINE: i32 = -46;
pub const ZX_ERR_IO_INVALID: i32 = -47;
pub const ZX_ERR_BAD_PATH: i32 = -50;
pub const ZX_ERR_NOT_DIR: i32 = -51;
pub const ZX_ERR_NOT_FILE: i32 = -52;
pub const ZX_ERR_FILE_BIG: i32 = -53;
pub const ZX_ERR_NO_SPACE: i32 = -54;
pub const ZX_ERR_NOT_EMPTY: i32 = -55;
pub const ZX_ERR_STOP: i32 = -60;
pub const ZX_ERR_NEXT: i32 = -61;
pub const ZX_ERR_ASYNC: i32 = -62;
pub const ZX_ERR_PROTOCOL_NOT_SUPPORTED: i32 = -70;
pub const ZX_ERR_ADDRESS_UNREACHABLE: i32 = -71;
pub const ZX_ERR_ADDRESS_IN_USE: i32 = -72;
pub const ZX_ERR_NOT_CONNECTED: i32 = -73;
pub const ZX_ERR_CONNECTION_REFUSED: i32 = -74;
pub const ZX_ERR_CONNECTION_RESET: i32 = -75;
pub const ZX_ERR_CONNECTION_ABORTED: i32 = -76;
pub const ZX_ERR_INTERNAL_INTR_KILLED: i32 = -502;

// Task return codes (`syscalls/object.h`, spec §0.2).
pub const ZX_TASK_RETCODE_SYSCALL_KILL: i64 = -1024;
pub const ZX_TASK_RETCODE_OOM_KILL: i64 = -1025;
pub const ZX_TASK_RETCODE_POLICY_KILL: i64 = -1026;
pub const ZX_TASK_RETCODE_VDSO_KILL: i64 = -1027;
pub const ZX_TASK_RETCODE_EXCEPTION_KILL: i64 = -1028;
pub const ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL: i64 = -1029;

// Signals (`types.h`, spec §0.3).
pub const ZX_OBJECT_READABLE: u32 = 1 << 0;
pub const ZX_OBJECT_WRITABLE: u32 = 1 << 1;
pub const ZX_OBJECT_PEER_CLOSED: u32 = 1 << 2;
pub const ZX_OBJECT_SIGNALED: u32 = 1 << 3;
pub const ZX_OBJECT_SIGNAL_4: u32 = 1 << 4;
pub const ZX_OBJECT_SIGNAL_5: u32 = 1 << 5;
pub const ZX_SIGNAL_HANDLE_CLOSED: u32 = 1 << 23;
pub const ZX_USER_SIGNAL_0: u32 = 1 << 24;
pub const ZX_USER_SIGNAL_ALL: u32 = 0xff00_0000;

// Rights (`rights.h`, spec §0.4).
pub const ZX_RIGHT_NONE: u32 = 0;
pub const ZX_RIGHT_DUPLICATE: u32 = 1 << 0;
pub const ZX_RIGHT_TRANSFER: u32 = 1 << 1;
pub const ZX_RIGHT_READ: u32 = 1 << 2;
pub const ZX_RIGHT_WRITE: u32 = 1 << 3;
pub const ZX_RIGHT_EXECUTE: u32 = 1 << 4;
pub const ZX_RIGHT_MAP: u32 = 1 << 5;
pub const ZX_RIGHT_GET_PROPERTY: u32 = 1 << 6;
pub const ZX_RIGHT_SET_PROPERTY: u32 = 1 << 7;
pub const ZX_RIGHT_ENUMERATE: u32 = 1 << 8;
pub const ZX_RIGHT_DESTROY: u32 = 1 << 9;
pub const ZX_RIGHT_SET_POLICY: u32 = 1 << 10;
pub const ZX_RIGHT_GET_POLICY: u32 = 1 << 11;
pub const ZX_RIGHT_SIGNAL: u32 = 1 << 12;
pub const ZX_RIGHT_SIGNAL_PEER: u32 = 1 << 13;
pub const ZX_RIGHT_WAIT: u32 = 1 << 14;
pub const ZX_RIGHT_INSPECT: u32 = 1 << 15;
pub const ZX_RIGHT_MANAGE_JOB: u32 = 1 << 16;
pub const ZX_RIGHT_MANAGE_PROCESS: u32 = 1 << 17;
pub const ZX_RIGHT_MANAGE_THREAD: u32 = 1 << 18;
pub const ZX_RIGHT_APPLY_PROFILE: u32 = 1 << 19;
pub const ZX_RIGHT_SAME_RIGHTS: u32 = 1 << 31;

// Handles, koids, names, time (`types.h`, spec §0.5, §12).
pub const ZX_HANDLE_INVALID: u32 = 0;
pub const ZX_HANDLE_FIXED_BITS_MASK: u32 = 0x3;
pub const ZX_KOID_INVALID: u64 = 0;
pub const ZX_MAX_NAME_LEN: usize = 32;
pub const ZX_TIME_INFINITE: i64 = i64::MAX;
pub const ZX_WAIT_MANY_MAX_ITEMS: usize = 64;

// Channels (`types.h`, spec §0.5).
pub const ZX_CHANNEL_MAX_MSG_BYTES: usize = 65_536;
pub const ZX_CHANNEL_MAX_MSG_HANDLES: usize = 64;
pub const ZX_CHANNEL_READ_MAY_DISCARD: u32 = 1;

// Virtual memory options (`types.h`, spec §0.5).
pub const ZX_VM_PERM_READ: u32 = 1 << 0;
pub const ZX_VM_PERM_WRITE: u32 = 1 << 1;
pub const ZX_VM_PERM_EXECUTE: u32 = 1 << 2;
pub const ZX_VM_COMPACT: u32 = 1 << 3;
pub const ZX_VM_SPECIFIC: u32 = 1 << 4;
pub const ZX_VM_SPECIFIC_OVERWRITE: u32 = 1 << 5;
pub const ZX_VM_CAN_MAP_SPECIFIC: u32 = 1 << 6;
pub const ZX_VM_CAN_MAP_READ: u32 = 1 << 7;
pub const ZX_VM_CAN_MAP_WRITE: u32 = 1 << 8;
pub const ZX_VM_CAN_MAP_EXECUTE: u32 = 1 << 9;
pub const ZX_VM_MAP_RANGE: u32 = 1 << 10;
pub const ZX_VM_REQUIRE_NON_RESIZABLE: u32 = 1 << 11;
pub const ZX_VM_ALLOW_FAULTS: u32 = 1 << 12;
pub const ZX_VMO_RESIZABLE: u32 = 1 << 1;

// Ports and asynchronous waits (`syscalls/port.h`, spec §5.5, §8).
pub const ZX_PKT_TYPE_USER: u32 = 0x00;
pub const ZX_PKT_TYPE_SIGNAL_ONE: u32 = 0x01;
pub const ZX_WAIT_ASYNC_TIMESTAMP: u32 = 1;
pub const ZX_PORT_PACKET_SIZE: usize = 48;

// Object types (`types.h`).
pub const ZX_OBJ_TYPE_NONE: u32 = 0;
pub const ZX_OBJ_TYPE_PROCESS: u32 = 1;
pub const ZX_OBJ_TYPE_THREAD: u32 = 2;
pub const ZX_OBJ_TYPE_VMO: u32 = 3;
pub const ZX_OBJ_TYPE_CHANNEL: u32 = 4;
pub const ZX_OBJ_TYPE_EVENT: u32 = 5;
pub const ZX_OBJ_TYPE_PORT: u32 = 6;
pub const ZX_OBJ_TYPE_EVENTPAIR: u32 = 16;
pub const ZX_OBJ_TYPE_JOB: u32 = 17;
pub const ZX_OBJ_TYPE_VMAR: u32 = 18;
pub const ZX_OBJ_TYPE_EXCEPTION: u32 = 29;
pub const ZX_OBJ_PROP_WAITABLE: u32 = 1;

// `zx_object_get_info` topics (`syscalls/object.h`, spec §10).
pub const ZX_INFO_HANDLE_VALID: u32 = 1;
pub const ZX_INFO_HANDLE_BASIC: u32 = 2;
pub const ZX_INFO_PROCESS: u32 = 3;
pub const ZX_INFO_PROCESS_THREADS: u32 = 4;
pub const ZX_INFO_VMAR: u32 = 7;
pub const ZX_INFO_JOB_CHILDREN: u32 = 8;
pub const ZX_INFO_JOB_PROCESSES: u32 = 9;
pub const ZX_INFO_THREAD: u32 = 10;
pub const ZX_INFO_THREAD_EXCEPTION_REPORT: u32 = 11;
pub const ZX_INFO_JOB: u32 = 24;

// Properties (`syscalls/object.h`, spec §10).
pub const ZX_PROP_NAME: u32 = 3;
pub const ZX_PROP_EXCEPTION_STATE: u32 = 16;

// Threads (`syscalls/object.h`, spec §2.3).
pub const ZX_THREAD_STATE_NEW: u32 = 0x0;
pub const ZX_THREAD_STATE_RUNNING: u32 = 0x1;
pub const ZX_THREAD_STATE_SUSPENDED: u32 = 0x2;
pub const ZX_THREAD_STATE_BLOCKED: u32 = 0x3;
pub const ZX_THREAD_STATE_DYING: u32 = 0x4;
pub const ZX_THREAD_STATE_DEAD: u32 = 0x5;
pub const ZX_THREAD_STATE_BLOCKED_EXCEPTION: u32 = 0x103;
pub const ZX_THREAD_STATE_BLOCKED_SLEEPING: u32 = 0x203;
pub const ZX_THREAD_STATE_BLOCKED_PORT: u32 = 0x403;
pub const ZX_THREAD_STATE_BLOCKED_WAIT_ONE: u32 = 0x603;
pub const ZX_THREAD_STATE_BLOCKED_WAIT_MANY: u32 = 0x703;

// Exceptions (`syscalls/exception.h`, spec §9).
pub const ZX_EXCP_GENERAL: u32 = 0x008;
pub const ZX_EXCP_FATAL_PAGE_FAULT: u32 = 0x108;
pub const ZX_EXCP_UNDEFINED_INSTRUCTION: u32 = 0x208;
pub const ZX_EXCP_SW_BREAKPOINT: u32 = 0x308;
pub const ZX_EXCP_POLICY_ERROR: u32 = 0x8208;
pub const ZX_EXCEPTION_CHANNEL_DEBUGGER: u32 = 1;
pub const ZX_EXCEPTION_STATE_TRY_NEXT: u32 = 0;
pub const ZX_EXCEPTION_STATE_HANDLED: u32 = 1;

// Jobs and policies (`syscalls/policy.h`, `syscalls/object.h`, spec §2.2, §11).
pub const ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO: u32 = 1;
pub const ZX_JOB_POL_RELATIVE: u32 = 0;
pub const ZX_JOB_POL_ABSOLUTE: u32 = 1;
pub const ZX_JOB_POL_BASIC: u32 = 0;
pub const ZX_POL_BAD_HANDLE: u32 = 0;
pub const ZX_POL_NEW_ANY: u32 = 3;
pub const ZX_POL_NEW_VMO: u32 = 4;
pub const ZX_POL_NEW_CHANNEL: u32 = 5;
pub const ZX_POL_NEW_EVENT: u32 = 6;
pub const ZX_POL_NEW_PORT: u32 = 8;
pub const ZX_POL_NEW_PROCESS: u32 = 12;
pub const ZX_POL_MAX: u32 = 15;
pub const ZX_POL_ACTION_ALLOW: u32 = 0;
pub const ZX_POL_ACTION_DENY: u32 = 1;
pub const ZX_POL_ACTION_KILL: u32 = 4;
