//! The raw ABI against the `objects` crate's typed values: every constant both define must
//! agree, so the two can never drift apart.

use objects::abi as typed;
use objects::task::{ExceptionInfo, ExceptionReport, ProcessInfo, ThreadInfo};
use objects::vm::{VmOptions, VmoOptions};
use objects::{ObjectType, Rights, Signals, Status};

use syscalls::abi::*;

/// Asserts that each raw constant equals the typed value beside it.
macro_rules! same {
    ($($raw:expr => $typed:expr,)*) => {
        $(assert_eq!($raw, $typed, "{} differs", stringify!($raw));)*
    };
}

#[test]
fn every_status_has_the_same_value_and_name() {
    for &status in Status::ALL {
        assert_eq!(
            zx_status_get_string(status.into_raw()),
            Some(status.name()),
            "{status:?}"
        );
    }
    // The raw table also holds ZX_OK, which `Status` leaves to `Ok`.
    assert_eq!(ZX_STATUSES.len(), Status::ALL.len() + 1);
    assert_eq!(ZX_OK, typed::ZX_OK);
}

#[test]
fn rights_agree() {
    same! {
        ZX_RIGHT_DUPLICATE => Rights::DUPLICATE.bits(),
        ZX_RIGHT_TRANSFER => Rights::TRANSFER.bits(),
        ZX_RIGHT_READ => Rights::READ.bits(),
        ZX_RIGHT_WRITE => Rights::WRITE.bits(),
        ZX_RIGHT_EXECUTE => Rights::EXECUTE.bits(),
        ZX_RIGHT_MAP => Rights::MAP.bits(),
        ZX_RIGHT_GET_PROPERTY => Rights::GET_PROPERTY.bits(),
        ZX_RIGHT_SET_PROPERTY => Rights::SET_PROPERTY.bits(),
        ZX_RIGHT_ENUMERATE => Rights::ENUMERATE.bits(),
        ZX_RIGHT_DESTROY => Rights::DESTROY.bits(),
        ZX_RIGHT_SET_POLICY => Rights::SET_POLICY.bits(),
        ZX_RIGHT_GET_POLICY => Rights::GET_POLICY.bits(),
        ZX_RIGHT_SIGNAL => Rights::SIGNAL.bits(),
        ZX_RIGHT_SIGNAL_PEER => Rights::SIGNAL_PEER.bits(),
        ZX_RIGHT_WAIT => Rights::WAIT.bits(),
        ZX_RIGHT_INSPECT => Rights::INSPECT.bits(),
        ZX_RIGHT_MANAGE_JOB => Rights::MANAGE_JOB.bits(),
        ZX_RIGHT_MANAGE_PROCESS => Rights::MANAGE_PROCESS.bits(),
        ZX_RIGHT_MANAGE_THREAD => Rights::MANAGE_THREAD.bits(),
        ZX_RIGHT_APPLY_PROFILE => Rights::APPLY_PROFILE.bits(),
        ZX_RIGHT_SAME_RIGHTS => typed::ZX_RIGHT_SAME_RIGHTS,
        ZX_RIGHTS_BASIC => Rights::BASIC.bits(),
        ZX_RIGHTS_IO => Rights::IO.bits(),
        ZX_RIGHTS_PROPERTY => Rights::PROPERTY.bits(),
        ZX_RIGHTS_POLICY => Rights::POLICY.bits(),
        ZX_DEFAULT_CHANNEL_RIGHTS => Rights::DEFAULT_CHANNEL.bits(),
        ZX_DEFAULT_EVENT_RIGHTS => Rights::DEFAULT_EVENT.bits(),
        ZX_DEFAULT_EVENTPAIR_RIGHTS => Rights::DEFAULT_EVENTPAIR.bits(),
        ZX_DEFAULT_JOB_RIGHTS => Rights::DEFAULT_JOB.bits(),
        ZX_DEFAULT_PROCESS_RIGHTS => Rights::DEFAULT_PROCESS.bits(),
        ZX_DEFAULT_THREAD_RIGHTS => Rights::DEFAULT_THREAD.bits(),
        ZX_DEFAULT_PORT_RIGHTS => Rights::DEFAULT_PORT.bits(),
        ZX_DEFAULT_VMAR_RIGHTS => Rights::DEFAULT_VMAR.bits(),
        ZX_DEFAULT_VMO_RIGHTS => Rights::DEFAULT_VMO.bits(),
        ZX_DEFAULT_EXCEPTION_RIGHTS => Rights::DEFAULT_EXCEPTION.bits(),
        ZX_EXCEPTION_CHANNEL_RIGHTS => Rights::EXCEPTION_CHANNEL.bits(),
    }
    // Every named right above, and nothing else, is a right.
    let named = Rights::all()
        .iter()
        .fold(0, |all, right| all | right.bits());
    assert_eq!(named, 0xf_ffff);
}

#[test]
fn signals_agree() {
    same! {
        ZX_SIGNAL_HANDLE_CLOSED => Signals::HANDLE_CLOSED.bits(),
        ZX_USER_SIGNAL_0 => Signals::USER_0.bits(),
        ZX_USER_SIGNAL_1 => Signals::USER_1.bits(),
        ZX_USER_SIGNAL_2 => Signals::USER_2.bits(),
        ZX_USER_SIGNAL_3 => Signals::USER_3.bits(),
        ZX_USER_SIGNAL_4 => Signals::USER_4.bits(),
        ZX_USER_SIGNAL_5 => Signals::USER_5.bits(),
        ZX_USER_SIGNAL_6 => Signals::USER_6.bits(),
        ZX_USER_SIGNAL_7 => Signals::USER_7.bits(),
        ZX_USER_SIGNAL_ALL => Signals::USER_ALL.bits(),
        ZX_OBJECT_SIGNAL_ALL => Signals::OBJECT_ALL.bits(),
        ZX_EVENT_SIGNALED => Signals::EVENT_SIGNALED.bits(),
        ZX_EVENT_SIGNAL_MASK => Signals::EVENT_MASK.bits(),
        ZX_EVENTPAIR_SIGNALED => Signals::EVENTPAIR_SIGNALED.bits(),
        ZX_EVENTPAIR_PEER_CLOSED => Signals::EVENTPAIR_PEER_CLOSED.bits(),
        ZX_EVENTPAIR_SIGNAL_MASK => Signals::EVENTPAIR_MASK.bits(),
        ZX_CHANNEL_READABLE => Signals::CHANNEL_READABLE.bits(),
        ZX_CHANNEL_WRITABLE => Signals::CHANNEL_WRITABLE.bits(),
        ZX_CHANNEL_PEER_CLOSED => Signals::CHANNEL_PEER_CLOSED.bits(),
        ZX_TASK_TERMINATED => Signals::TASK_TERMINATED.bits(),
        ZX_JOB_TERMINATED => Signals::JOB_TERMINATED.bits(),
        ZX_JOB_NO_JOBS => Signals::JOB_NO_JOBS.bits(),
        ZX_JOB_NO_PROCESSES => Signals::JOB_NO_PROCESSES.bits(),
        ZX_PROCESS_TERMINATED => Signals::PROCESS_TERMINATED.bits(),
        ZX_THREAD_TERMINATED => Signals::THREAD_TERMINATED.bits(),
        ZX_THREAD_RUNNING => Signals::THREAD_RUNNING.bits(),
        ZX_THREAD_SUSPENDED => Signals::THREAD_SUSPENDED.bits(),
        ZX_VMO_ZERO_CHILDREN => Signals::VMO_ZERO_CHILDREN.bits(),
    }
}

#[test]
fn object_types_and_handle_constants_agree() {
    same! {
        ZX_OBJ_TYPE_NONE => ObjectType::None as u32,
        ZX_OBJ_TYPE_PROCESS => ObjectType::Process as u32,
        ZX_OBJ_TYPE_THREAD => ObjectType::Thread as u32,
        ZX_OBJ_TYPE_VMO => ObjectType::Vmo as u32,
        ZX_OBJ_TYPE_CHANNEL => ObjectType::Channel as u32,
        ZX_OBJ_TYPE_EVENT => ObjectType::Event as u32,
        ZX_OBJ_TYPE_PORT => ObjectType::Port as u32,
        ZX_OBJ_TYPE_INTERRUPT => ObjectType::Interrupt as u32,
        ZX_OBJ_TYPE_LOG => ObjectType::Log as u32,
        ZX_OBJ_TYPE_SOCKET => ObjectType::Socket as u32,
        ZX_OBJ_TYPE_RESOURCE => ObjectType::Resource as u32,
        ZX_OBJ_TYPE_EVENTPAIR => ObjectType::EventPair as u32,
        ZX_OBJ_TYPE_JOB => ObjectType::Job as u32,
        ZX_OBJ_TYPE_VMAR => ObjectType::Vmar as u32,
        ZX_OBJ_TYPE_FIFO => ObjectType::Fifo as u32,
        ZX_OBJ_TYPE_TIMER => ObjectType::Timer as u32,
        ZX_OBJ_TYPE_SUSPEND_TOKEN => ObjectType::SuspendToken as u32,
        ZX_OBJ_TYPE_EXCEPTION => ObjectType::Exception as u32,
        ZX_OBJ_TYPE_CLOCK => ObjectType::Clock as u32,
        ZX_OBJ_PROP_NONE => typed::ZX_OBJ_PROP_NONE,
        ZX_OBJ_PROP_WAITABLE => typed::ZX_OBJ_PROP_WAITABLE,
        ZX_HANDLE_INVALID => typed::ZX_HANDLE_INVALID,
        ZX_HANDLE_FIXED_BITS_MASK => typed::ZX_HANDLE_FIXED_BITS_MASK,
        ZX_KOID_INVALID => typed::ZX_KOID_INVALID,
        ZX_KOID_KERNEL => typed::ZX_KOID_KERNEL,
        ZX_KOID_FIRST => typed::ZX_KOID_FIRST,
        ZX_MAX_NAME_LEN => typed::ZX_MAX_NAME_LEN,
    }
}

#[test]
fn ipc_constants_agree() {
    same! {
        ZX_CHANNEL_MAX_MSG_BYTES as usize => typed::ZX_CHANNEL_MAX_MSG_BYTES,
        ZX_CHANNEL_MAX_MSG_HANDLES as usize => typed::ZX_CHANNEL_MAX_MSG_HANDLES,
        ZX_CHANNEL_READ_MAY_DISCARD => typed::ZX_CHANNEL_READ_MAY_DISCARD,
        ZX_CHANNEL_WRITE_USE_IOVEC => typed::ZX_CHANNEL_WRITE_USE_IOVEC,
        ZX_PKT_TYPE_USER => typed::ZX_PKT_TYPE_USER,
        ZX_PKT_TYPE_SIGNAL_ONE => typed::ZX_PKT_TYPE_SIGNAL_ONE,
        ZX_PKT_TYPE_GUEST_BELL => typed::ZX_PKT_TYPE_GUEST_BELL,
        ZX_PKT_TYPE_GUEST_MEM => typed::ZX_PKT_TYPE_GUEST_MEM,
        ZX_PKT_TYPE_GUEST_IO => typed::ZX_PKT_TYPE_GUEST_IO,
        ZX_PKT_TYPE_GUEST_VCPU => typed::ZX_PKT_TYPE_GUEST_VCPU,
        ZX_PKT_TYPE_INTERRUPT => typed::ZX_PKT_TYPE_INTERRUPT,
        ZX_PKT_TYPE_PAGE_REQUEST => typed::ZX_PKT_TYPE_PAGE_REQUEST,
        ZX_PKT_TYPE_EXCEPTION(3) => typed::zx_pkt_type_exception(3),
        ZX_PORT_BIND_TO_INTERRUPT => typed::ZX_PORT_BIND_TO_INTERRUPT,
        ZX_PORT_PACKET_PAYLOAD_SIZE => typed::ZX_PORT_PACKET_PAYLOAD_SIZE,
        zx_port_packet_t::SIZE => typed::ZX_PORT_PACKET_SIZE,
        ZX_WAIT_ASYNC_ONCE => typed::ZX_WAIT_ASYNC_ONCE,
        ZX_WAIT_ASYNC_TIMESTAMP => typed::ZX_WAIT_ASYNC_TIMESTAMP,
        ZX_WAIT_MANY_MAX_ITEMS => typed::ZX_WAIT_MANY_MAX_ITEMS,
        ZX_TIME_INFINITE => typed::ZX_TIME_INFINITE,
        ZX_TIME_INFINITE_PAST => typed::ZX_TIME_INFINITE_PAST,
    }
}

#[test]
fn task_constants_agree() {
    use typed::ThreadState;
    same! {
        ZX_TASK_RETCODE_SYSCALL_KILL => typed::ZX_TASK_RETCODE_SYSCALL_KILL,
        ZX_TASK_RETCODE_OOM_KILL => typed::ZX_TASK_RETCODE_OOM_KILL,
        ZX_TASK_RETCODE_POLICY_KILL => typed::ZX_TASK_RETCODE_POLICY_KILL,
        ZX_TASK_RETCODE_VDSO_KILL => typed::ZX_TASK_RETCODE_VDSO_KILL,
        ZX_TASK_RETCODE_EXCEPTION_KILL => typed::ZX_TASK_RETCODE_EXCEPTION_KILL,
        ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL => typed::ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL,
        ZX_THREAD_STATE_NEW => ThreadState::New.into_raw(),
        ZX_THREAD_STATE_RUNNING => ThreadState::Running.into_raw(),
        ZX_THREAD_STATE_SUSPENDED => ThreadState::Suspended.into_raw(),
        ZX_THREAD_STATE_BLOCKED => typed::ZX_THREAD_STATE_BLOCKED,
        ZX_THREAD_STATE_DYING => ThreadState::Dying.into_raw(),
        ZX_THREAD_STATE_DEAD => ThreadState::Dead.into_raw(),
        ZX_THREAD_STATE_BLOCKED_EXCEPTION => ThreadState::BlockedException.into_raw(),
        ZX_THREAD_STATE_BLOCKED_SLEEPING => ThreadState::BlockedSleeping.into_raw(),
        ZX_THREAD_STATE_BLOCKED_FUTEX => ThreadState::BlockedFutex.into_raw(),
        ZX_THREAD_STATE_BLOCKED_PORT => ThreadState::BlockedPort.into_raw(),
        ZX_THREAD_STATE_BLOCKED_CHANNEL => ThreadState::BlockedChannel.into_raw(),
        ZX_THREAD_STATE_BLOCKED_WAIT_ONE => ThreadState::BlockedWaitOne.into_raw(),
        ZX_THREAD_STATE_BLOCKED_WAIT_MANY => ThreadState::BlockedWaitMany.into_raw(),
        ZX_THREAD_STATE_BLOCKED_INTERRUPT => ThreadState::BlockedInterrupt.into_raw(),
        ZX_THREAD_STATE_BLOCKED_PAGER => ThreadState::BlockedPager.into_raw(),
        ZX_PROP_NAME => typed::ZX_PROP_NAME,
        ZX_PROP_EXCEPTION_STATE => typed::ZX_PROP_EXCEPTION_STATE,
        ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO => typed::ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO,
        ZX_CPU_SET_MAX_CPUS => typed::ZX_CPU_SET_MAX_CPUS,
        ZX_CPU_SET_BITS_PER_WORD => typed::ZX_CPU_SET_BITS_PER_WORD,
        ZX_CPU_SET_WORDS => objects::task::CPU_SET_WORDS,
    }
}

#[test]
fn exception_constants_agree() {
    use typed::ExceptionChannelType;
    same! {
        ZX_EXCP_SYNTH => typed::ZX_EXCP_SYNTH,
        ZX_EXCP_GENERAL => typed::ZX_EXCP_GENERAL,
        ZX_EXCP_FATAL_PAGE_FAULT => typed::ZX_EXCP_FATAL_PAGE_FAULT,
        ZX_EXCP_UNDEFINED_INSTRUCTION => typed::ZX_EXCP_UNDEFINED_INSTRUCTION,
        ZX_EXCP_SW_BREAKPOINT => typed::ZX_EXCP_SW_BREAKPOINT,
        ZX_EXCP_HW_BREAKPOINT => typed::ZX_EXCP_HW_BREAKPOINT,
        ZX_EXCP_UNALIGNED_ACCESS => typed::ZX_EXCP_UNALIGNED_ACCESS,
        ZX_EXCP_THREAD_STARTING => typed::ZX_EXCP_THREAD_STARTING,
        ZX_EXCP_THREAD_EXITING => typed::ZX_EXCP_THREAD_EXITING,
        ZX_EXCP_POLICY_ERROR => typed::ZX_EXCP_POLICY_ERROR,
        ZX_EXCP_PROCESS_STARTING => typed::ZX_EXCP_PROCESS_STARTING,
        ZX_EXCEPTION_CHANNEL_DEBUGGER => typed::ZX_EXCEPTION_CHANNEL_DEBUGGER,
        ZX_EXCEPTION_STATE_TRY_NEXT => typed::ZX_EXCEPTION_STATE_TRY_NEXT,
        ZX_EXCEPTION_STATE_HANDLED => typed::ZX_EXCEPTION_STATE_HANDLED,
        ZX_EXCEPTION_CHANNEL_TYPE_NONE => ExceptionChannelType::None as u32,
        ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER => ExceptionChannelType::Debugger as u32,
        ZX_EXCEPTION_CHANNEL_TYPE_THREAD => ExceptionChannelType::Thread as u32,
        ZX_EXCEPTION_CHANNEL_TYPE_PROCESS => ExceptionChannelType::Process as u32,
        ZX_EXCEPTION_CHANNEL_TYPE_JOB => ExceptionChannelType::Job as u32,
        ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER => ExceptionChannelType::JobDebugger as u32,
    }
}

#[test]
fn policy_constants_agree() {
    same! {
        ZX_JOB_POL_RELATIVE => typed::ZX_JOB_POL_RELATIVE,
        ZX_JOB_POL_ABSOLUTE => typed::ZX_JOB_POL_ABSOLUTE,
        ZX_JOB_POL_BASIC => typed::ZX_JOB_POL_BASIC,
        ZX_JOB_POL_TIMER_SLACK => typed::ZX_JOB_POL_TIMER_SLACK,
        ZX_POL_BAD_HANDLE => typed::ZX_POL_BAD_HANDLE,
        ZX_POL_WRONG_OBJECT => typed::ZX_POL_WRONG_OBJECT,
        ZX_POL_VMAR_WX => typed::ZX_POL_VMAR_WX,
        ZX_POL_NEW_ANY => typed::ZX_POL_NEW_ANY,
        ZX_POL_NEW_VMO => typed::ZX_POL_NEW_VMO,
        ZX_POL_NEW_CHANNEL => typed::ZX_POL_NEW_CHANNEL,
        ZX_POL_NEW_EVENT => typed::ZX_POL_NEW_EVENT,
        ZX_POL_NEW_EVENTPAIR => typed::ZX_POL_NEW_EVENTPAIR,
        ZX_POL_NEW_PORT => typed::ZX_POL_NEW_PORT,
        ZX_POL_NEW_SOCKET => typed::ZX_POL_NEW_SOCKET,
        ZX_POL_NEW_FIFO => typed::ZX_POL_NEW_FIFO,
        ZX_POL_NEW_TIMER => typed::ZX_POL_NEW_TIMER,
        ZX_POL_NEW_PROCESS => typed::ZX_POL_NEW_PROCESS,
        ZX_POL_NEW_PROFILE => typed::ZX_POL_NEW_PROFILE,
        ZX_POL_AMBIENT_MARK_VMO_EXEC => typed::ZX_POL_AMBIENT_MARK_VMO_EXEC,
        ZX_POL_MAX => typed::ZX_POL_MAX,
        ZX_POL_ACTION_ALLOW => typed::ZX_POL_ACTION_ALLOW,
        ZX_POL_ACTION_DENY => typed::ZX_POL_ACTION_DENY,
        ZX_POL_ACTION_ALLOW_EXCEPTION => typed::ZX_POL_ACTION_ALLOW_EXCEPTION,
        ZX_POL_ACTION_DENY_EXCEPTION => typed::ZX_POL_ACTION_DENY_EXCEPTION,
        ZX_POL_ACTION_KILL => typed::ZX_POL_ACTION_KILL,
        ZX_POL_ACTION_MAX => typed::ZX_POL_ACTION_MAX,
        ZX_TIMER_SLACK_CENTER => typed::ZX_TIMER_SLACK_CENTER,
        ZX_TIMER_SLACK_EARLY => typed::ZX_TIMER_SLACK_EARLY,
        ZX_TIMER_SLACK_LATE => typed::ZX_TIMER_SLACK_LATE,
    }
}

#[test]
fn vm_options_agree() {
    same! {
        ZX_VM_PERM_READ => VmOptions::PERM_READ.bits(),
        ZX_VM_PERM_WRITE => VmOptions::PERM_WRITE.bits(),
        ZX_VM_PERM_EXECUTE => VmOptions::PERM_EXECUTE.bits(),
        ZX_VM_COMPACT => VmOptions::COMPACT.bits(),
        ZX_VM_SPECIFIC => VmOptions::SPECIFIC.bits(),
        ZX_VM_SPECIFIC_OVERWRITE => VmOptions::SPECIFIC_OVERWRITE.bits(),
        ZX_VM_CAN_MAP_SPECIFIC => VmOptions::CAN_MAP_SPECIFIC.bits(),
        ZX_VM_CAN_MAP_READ => VmOptions::CAN_MAP_READ.bits(),
        ZX_VM_CAN_MAP_WRITE => VmOptions::CAN_MAP_WRITE.bits(),
        ZX_VM_CAN_MAP_EXECUTE => VmOptions::CAN_MAP_EXECUTE.bits(),
        ZX_VM_MAP_RANGE => VmOptions::MAP_RANGE.bits(),
        ZX_VM_REQUIRE_NON_RESIZABLE => VmOptions::REQUIRE_NON_RESIZABLE.bits(),
        ZX_VM_ALLOW_FAULTS => VmOptions::ALLOW_FAULTS.bits(),
        ZX_VM_OFFSET_IS_UPPER_LIMIT => VmOptions::OFFSET_IS_UPPER_LIMIT.bits(),
        ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED => VmOptions::PERM_READ_IF_XOM_UNSUPPORTED.bits(),
        ZX_VM_ALIGN_BASE => objects::vm::ZX_VM_ALIGN_BASE,
        ZX_VM_ALIGN_1KB => VmOptions::ALIGN_1KB.bits(),
        ZX_VM_ALIGN_64KB => VmOptions::ALIGN_64KB.bits(),
        ZX_VM_ALIGN_1MB => VmOptions::ALIGN_1MB.bits(),
        ZX_VM_ALIGN_2MB => VmOptions::ALIGN_2MB.bits(),
        ZX_VM_ALIGN_1GB => VmOptions::ALIGN_1GB.bits(),
        ZX_VM_ALIGN_4GB => VmOptions::ALIGN_4GB.bits(),
        ZX_VMO_RESIZABLE => VmoOptions::RESIZABLE.bits(),
        ZX_VMO_DISCARDABLE => VmoOptions::DISCARDABLE.bits(),
        ZX_PAGE_SIZE => objects::vm::PAGE_SIZE,
    }
}

#[test]
fn the_objects_records_encode_as_the_abi_structs() {
    let process = ProcessInfo {
        return_code: -1026,
        started: true,
        exited: false,
        debugger_attached: true,
    };
    let raw = zx_info_process_t {
        return_code: -1026,
        started: true,
        exited: false,
        debugger_attached: true,
        padding1: [0; 5],
    };
    assert_eq!(encoded(&raw), process.to_bytes());
    assert_eq!(zx_info_process_t::SIZE, ProcessInfo::SIZE);
    assert_eq!(zx_info_job_t::SIZE, objects::task::JobInfo::SIZE);
    assert_eq!(zx_info_thread_t::SIZE, ThreadInfo::SIZE);

    let info = ExceptionInfo {
        pid: 1030,
        tid: 1031,
        kind: ZX_EXCP_FATAL_PAGE_FAULT,
    };
    let raw = zx_exception_info_t {
        pid: 1030,
        tid: 1031,
        r#type: ZX_EXCP_FATAL_PAGE_FAULT,
        padding1: [0; 4],
    };
    assert_eq!(encoded(&raw), info.to_bytes());

    let report = ExceptionReport {
        kind: ZX_EXCP_FATAL_PAGE_FAULT,
        arch: objects::task::X86ExceptionData {
            vector: 14,
            err_code: 6,
            cr2: 0xdead_0000,
        },
    };
    let raw = zx_exception_report_t {
        header: zx_exception_header_t {
            size: zx_exception_report_t::SIZE as u32,
            r#type: ZX_EXCP_FATAL_PAGE_FAULT,
        },
        context: zx_exception_context_t {
            x86_64: zx_x86_64_exc_data_t {
                vector: 14,
                err_code: 6,
                cr2: 0xdead_0000,
            },
        },
    };
    assert_eq!(encoded(&raw), report.to_bytes());
}

#[test]
fn port_packets_encode_as_the_objects_packets() {
    let packet = objects::ipc::PortPacket::signal_one(
        42,
        objects::ipc::SignalPacket {
            trigger: Signals::USER_1,
            observed: Signals::USER_1 | Signals::SIGNALED,
            count: 1,
            timestamp: 99,
        },
    );
    let raw = zx_port_packet_t::decode(&packet.to_bytes());
    assert_eq!(raw.key, 42);
    assert_eq!(raw.r#type, ZX_PKT_TYPE_SIGNAL_ONE);
    let signal = raw.signal().expect("a signal packet");
    assert_eq!(signal.observed, ZX_USER_SIGNAL_1 | ZX_EVENT_SIGNALED);
    assert_eq!(signal.timestamp, 99);
    assert_eq!(encoded(&raw), packet.to_bytes());
}

/// The bytes of `value`.
fn encoded<T: Wire>(value: &T) -> Vec<u8> {
    let mut bytes = vec![0; T::SIZE];
    value.encode(&mut bytes);
    bytes
}
