//! Value tests: every status code, right, signal bit, task return code and default rights set
//! against the numbers of spec §0.1-§0.4 and §1.1, typed here as literals so that a constant
//! that drifts from Zircon's headers fails (a test comparing the constants with themselves
//! could not).

use super::super::*;

#[test]
fn every_status_has_the_value_of_errors_h() {
    let expected: &[(&str, zx_status_t, i32)] = &[
        ("ZX_OK", ZX_OK, 0),
        ("ZX_ERR_INTERNAL", ZX_ERR_INTERNAL, -1),
        ("ZX_ERR_NOT_SUPPORTED", ZX_ERR_NOT_SUPPORTED, -2),
        ("ZX_ERR_NO_RESOURCES", ZX_ERR_NO_RESOURCES, -3),
        ("ZX_ERR_NO_MEMORY", ZX_ERR_NO_MEMORY, -4),
        ("ZX_ERR_INTERNAL_INTR_RETRY", ZX_ERR_INTERNAL_INTR_RETRY, -6),
        ("ZX_ERR_INVALID_ARGS", ZX_ERR_INVALID_ARGS, -10),
        ("ZX_ERR_BAD_HANDLE", ZX_ERR_BAD_HANDLE, -11),
        ("ZX_ERR_WRONG_TYPE", ZX_ERR_WRONG_TYPE, -12),
        ("ZX_ERR_BAD_SYSCALL", ZX_ERR_BAD_SYSCALL, -13),
        ("ZX_ERR_OUT_OF_RANGE", ZX_ERR_OUT_OF_RANGE, -14),
        ("ZX_ERR_BUFFER_TOO_SMALL", ZX_ERR_BUFFER_TOO_SMALL, -15),
        ("ZX_ERR_BAD_STATE", ZX_ERR_BAD_STATE, -20),
        ("ZX_ERR_TIMED_OUT", ZX_ERR_TIMED_OUT, -21),
        ("ZX_ERR_SHOULD_WAIT", ZX_ERR_SHOULD_WAIT, -22),
        ("ZX_ERR_CANCELED", ZX_ERR_CANCELED, -23),
        ("ZX_ERR_PEER_CLOSED", ZX_ERR_PEER_CLOSED, -24),
        ("ZX_ERR_NOT_FOUND", ZX_ERR_NOT_FOUND, -25),
        ("ZX_ERR_ALREADY_EXISTS", ZX_ERR_ALREADY_EXISTS, -26),
        ("ZX_ERR_ALREADY_BOUND", ZX_ERR_ALREADY_BOUND, -27),
        ("ZX_ERR_UNAVAILABLE", ZX_ERR_UNAVAILABLE, -28),
        ("ZX_ERR_ACCESS_DENIED", ZX_ERR_ACCESS_DENIED, -30),
        ("ZX_ERR_IO", ZX_ERR_IO, -40),
        ("ZX_ERR_IO_REFUSED", ZX_ERR_IO_REFUSED, -41),
        ("ZX_ERR_IO_DATA_INTEGRITY", ZX_ERR_IO_DATA_INTEGRITY, -42),
        ("ZX_ERR_IO_DATA_LOSS", ZX_ERR_IO_DATA_LOSS, -43),
        ("ZX_ERR_IO_NOT_PRESENT", ZX_ERR_IO_NOT_PRESENT, -44),
        ("ZX_ERR_IO_OVERRUN", ZX_ERR_IO_OVERRUN, -45),
        ("ZX_ERR_IO_MISSED_DEADLINE", ZX_ERR_IO_MISSED_DEADLINE, -46),
        ("ZX_ERR_IO_INVALID", ZX_ERR_IO_INVALID, -47),
        ("ZX_ERR_BAD_PATH", ZX_ERR_BAD_PATH, -50),
        ("ZX_ERR_NOT_DIR", ZX_ERR_NOT_DIR, -51),
        ("ZX_ERR_NOT_FILE", ZX_ERR_NOT_FILE, -52),
        ("ZX_ERR_FILE_BIG", ZX_ERR_FILE_BIG, -53),
        ("ZX_ERR_NO_SPACE", ZX_ERR_NO_SPACE, -54),
        ("ZX_ERR_NOT_EMPTY", ZX_ERR_NOT_EMPTY, -55),
        ("ZX_ERR_STOP", ZX_ERR_STOP, -60),
        ("ZX_ERR_NEXT", ZX_ERR_NEXT, -61),
        ("ZX_ERR_ASYNC", ZX_ERR_ASYNC, -62),
        (
            "ZX_ERR_PROTOCOL_NOT_SUPPORTED",
            ZX_ERR_PROTOCOL_NOT_SUPPORTED,
            -70,
        ),
        (
            "ZX_ERR_ADDRESS_UNREACHABLE",
            ZX_ERR_ADDRESS_UNREACHABLE,
            -71,
        ),
        ("ZX_ERR_ADDRESS_IN_USE", ZX_ERR_ADDRESS_IN_USE, -72),
        ("ZX_ERR_NOT_CONNECTED", ZX_ERR_NOT_CONNECTED, -73),
        ("ZX_ERR_CONNECTION_REFUSED", ZX_ERR_CONNECTION_REFUSED, -74),
        ("ZX_ERR_CONNECTION_RESET", ZX_ERR_CONNECTION_RESET, -75),
        ("ZX_ERR_CONNECTION_ABORTED", ZX_ERR_CONNECTION_ABORTED, -76),
        (
            "ZX_ERR_INTERNAL_INTR_KILLED",
            ZX_ERR_INTERNAL_INTR_KILLED,
            -502,
        ),
    ];
    for &(name, constant, value) in expected {
        assert_eq!(constant, value, "{name}");
        assert_eq!(zx_status_get_string(value), Some(name), "{name}");
    }
    let table: Vec<_> = ZX_STATUSES
        .iter()
        .map(|&(name, value)| (name, value))
        .collect();
    let pinned: Vec<_> = expected
        .iter()
        .map(|&(name, _, value)| (name, value))
        .collect();
    assert_eq!(table, pinned, "ZX_STATUSES holds exactly these, in order");
}

#[test]
fn every_right_has_the_bit_of_rights_h() {
    let expected: &[(&str, zx_rights_t, u32)] = &[
        ("NONE", ZX_RIGHT_NONE, 0x0),
        ("DUPLICATE", ZX_RIGHT_DUPLICATE, 0x1),
        ("TRANSFER", ZX_RIGHT_TRANSFER, 0x2),
        ("READ", ZX_RIGHT_READ, 0x4),
        ("WRITE", ZX_RIGHT_WRITE, 0x8),
        ("EXECUTE", ZX_RIGHT_EXECUTE, 0x10),
        ("MAP", ZX_RIGHT_MAP, 0x20),
        ("GET_PROPERTY", ZX_RIGHT_GET_PROPERTY, 0x40),
        ("SET_PROPERTY", ZX_RIGHT_SET_PROPERTY, 0x80),
        ("ENUMERATE", ZX_RIGHT_ENUMERATE, 0x100),
        ("DESTROY", ZX_RIGHT_DESTROY, 0x200),
        ("SET_POLICY", ZX_RIGHT_SET_POLICY, 0x400),
        ("GET_POLICY", ZX_RIGHT_GET_POLICY, 0x800),
        ("SIGNAL", ZX_RIGHT_SIGNAL, 0x1000),
        ("SIGNAL_PEER", ZX_RIGHT_SIGNAL_PEER, 0x2000),
        ("WAIT", ZX_RIGHT_WAIT, 0x4000),
        ("INSPECT", ZX_RIGHT_INSPECT, 0x8000),
        ("MANAGE_JOB", ZX_RIGHT_MANAGE_JOB, 0x1_0000),
        ("MANAGE_PROCESS", ZX_RIGHT_MANAGE_PROCESS, 0x2_0000),
        ("MANAGE_THREAD", ZX_RIGHT_MANAGE_THREAD, 0x4_0000),
        ("APPLY_PROFILE", ZX_RIGHT_APPLY_PROFILE, 0x8_0000),
        ("SAME_RIGHTS", ZX_RIGHT_SAME_RIGHTS, 0x8000_0000),
        ("RIGHTS_BASIC", ZX_RIGHTS_BASIC, 0xc003),
        ("RIGHTS_IO", ZX_RIGHTS_IO, 0xc),
        ("RIGHTS_PROPERTY", ZX_RIGHTS_PROPERTY, 0xc0),
        ("RIGHTS_POLICY", ZX_RIGHTS_POLICY, 0xc00),
    ];
    for &(name, constant, value) in expected {
        assert_eq!(constant, value, "ZX_RIGHT_{name}: {constant:#x}");
    }
}

#[test]
fn every_default_rights_set_is_that_of_rights_h() {
    let expected: &[(&str, zx_rights_t, u32)] = &[
        // (BASIC & ~DUPLICATE) | IO | SIGNAL | SIGNAL_PEER
        ("channel", ZX_DEFAULT_CHANNEL_RIGHTS, 0xf00e),
        // BASIC | SIGNAL
        ("event", ZX_DEFAULT_EVENT_RIGHTS, 0xd003),
        // BASIC | SIGNAL | SIGNAL_PEER
        ("eventpair", ZX_DEFAULT_EVENTPAIR_RIGHTS, 0xf003),
        // BASIC | IO | PROPERTY | POLICY | ENUMERATE | DESTROY | SIGNAL | MANAGE_*
        ("job", ZX_DEFAULT_JOB_RIGHTS, 0x7_dfcf),
        // BASIC | IO | PROPERTY | ENUMERATE | DESTROY | SIGNAL | MANAGE_PROCESS | MANAGE_THREAD
        ("process", ZX_DEFAULT_PROCESS_RIGHTS, 0x6_d3cf),
        // BASIC | IO | PROPERTY | DESTROY | SIGNAL | MANAGE_THREAD
        ("thread", ZX_DEFAULT_THREAD_RIGHTS, 0x4_d2cf),
        // (BASIC & ~WAIT) | IO
        ("port", ZX_DEFAULT_PORT_RIGHTS, 0x800f),
        // BASIC & ~WAIT
        ("vmar", ZX_DEFAULT_VMAR_RIGHTS, 0x8003),
        // BASIC | IO | PROPERTY | MAP | SIGNAL
        ("vmo", ZX_DEFAULT_VMO_RIGHTS, 0xd0ef),
        // TRANSFER | PROPERTY | INSPECT
        ("exception", ZX_DEFAULT_EXCEPTION_RIGHTS, 0x80c2),
        // TRANSFER | WAIT | READ (task_create_exception_channel.md)
        ("exception channel", ZX_EXCEPTION_CHANNEL_RIGHTS, 0x4006),
    ];
    for &(object, constant, value) in expected {
        assert_eq!(constant, value, "{object}: {constant:#x}");
    }
}

#[test]
fn every_signal_has_the_bit_of_types_h() {
    let expected: &[(&str, zx_signals_t, u32)] = &[
        ("SIGNAL_NONE", ZX_SIGNAL_NONE, 0x0),
        ("OBJECT_READABLE", ZX_OBJECT_READABLE, 0x1),
        ("OBJECT_WRITABLE", ZX_OBJECT_WRITABLE, 0x2),
        ("OBJECT_PEER_CLOSED", ZX_OBJECT_PEER_CLOSED, 0x4),
        ("OBJECT_SIGNALED", ZX_OBJECT_SIGNALED, 0x8),
        ("OBJECT_SIGNAL_4", ZX_OBJECT_SIGNAL_4, 0x10),
        ("OBJECT_SIGNAL_5", ZX_OBJECT_SIGNAL_5, 0x20),
        ("OBJECT_SIGNAL_ALL", ZX_OBJECT_SIGNAL_ALL, 0x00ff_ffff),
        ("SIGNAL_HANDLE_CLOSED", ZX_SIGNAL_HANDLE_CLOSED, 0x0080_0000),
        ("USER_SIGNAL_0", ZX_USER_SIGNAL_0, 0x0100_0000),
        ("USER_SIGNAL_1", ZX_USER_SIGNAL_1, 0x0200_0000),
        ("USER_SIGNAL_2", ZX_USER_SIGNAL_2, 0x0400_0000),
        ("USER_SIGNAL_3", ZX_USER_SIGNAL_3, 0x0800_0000),
        ("USER_SIGNAL_4", ZX_USER_SIGNAL_4, 0x1000_0000),
        ("USER_SIGNAL_5", ZX_USER_SIGNAL_5, 0x2000_0000),
        ("USER_SIGNAL_6", ZX_USER_SIGNAL_6, 0x4000_0000),
        ("USER_SIGNAL_7", ZX_USER_SIGNAL_7, 0x8000_0000),
        ("USER_SIGNAL_ALL", ZX_USER_SIGNAL_ALL, 0xff00_0000),
        ("EVENT_SIGNALED", ZX_EVENT_SIGNALED, 0x8),
        ("EVENT_SIGNAL_MASK", ZX_EVENT_SIGNAL_MASK, 0xff00_0008),
        ("EVENTPAIR_SIGNALED", ZX_EVENTPAIR_SIGNALED, 0x8),
        ("EVENTPAIR_PEER_CLOSED", ZX_EVENTPAIR_PEER_CLOSED, 0x4),
        (
            "EVENTPAIR_SIGNAL_MASK",
            ZX_EVENTPAIR_SIGNAL_MASK,
            0xff00_000c,
        ),
        ("CHANNEL_READABLE", ZX_CHANNEL_READABLE, 0x1),
        ("CHANNEL_WRITABLE", ZX_CHANNEL_WRITABLE, 0x2),
        ("CHANNEL_PEER_CLOSED", ZX_CHANNEL_PEER_CLOSED, 0x4),
        ("TASK_TERMINATED", ZX_TASK_TERMINATED, 0x8),
        ("JOB_TERMINATED", ZX_JOB_TERMINATED, 0x8),
        ("JOB_NO_JOBS", ZX_JOB_NO_JOBS, 0x10),
        ("JOB_NO_PROCESSES", ZX_JOB_NO_PROCESSES, 0x20),
        ("PROCESS_TERMINATED", ZX_PROCESS_TERMINATED, 0x8),
        ("THREAD_TERMINATED", ZX_THREAD_TERMINATED, 0x8),
        ("THREAD_RUNNING", ZX_THREAD_RUNNING, 0x10),
        ("THREAD_SUSPENDED", ZX_THREAD_SUSPENDED, 0x20),
        ("VMO_ZERO_CHILDREN", ZX_VMO_ZERO_CHILDREN, 0x8),
    ];
    for &(name, constant, value) in expected {
        assert_eq!(constant, value, "ZX_{name}: {constant:#x}");
    }
}

#[test]
fn every_task_return_code_is_that_of_object_h() {
    let expected: &[(&str, i64, i64)] = &[
        ("SYSCALL_KILL", ZX_TASK_RETCODE_SYSCALL_KILL, -1024),
        ("OOM_KILL", ZX_TASK_RETCODE_OOM_KILL, -1025),
        ("POLICY_KILL", ZX_TASK_RETCODE_POLICY_KILL, -1026),
        ("VDSO_KILL", ZX_TASK_RETCODE_VDSO_KILL, -1027),
        ("EXCEPTION_KILL", ZX_TASK_RETCODE_EXCEPTION_KILL, -1028),
        (
            "CRITICAL_PROCESS_KILL",
            ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL,
            -1029,
        ),
    ];
    for &(name, constant, value) in expected {
        assert_eq!(constant, value, "ZX_TASK_RETCODE_{name}");
    }
}
