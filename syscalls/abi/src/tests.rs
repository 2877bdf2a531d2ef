//! Layout tests: every record's size and field offsets against the numbers of Zircon's C
//! headers (x86_64), and the byte images [`Wire`] makes of them; the constants' values are
//! checked in [`values`].

use core::mem::{offset_of, size_of};

use super::*;

mod values;

#[test]
fn port_packet_is_48_bytes_with_the_union_at_16() {
    assert_eq!(size_of::<zx_port_packet_t>(), 48);
    assert_eq!(offset_of!(zx_port_packet_t, key), 0);
    assert_eq!(offset_of!(zx_port_packet_t, r#type), 8);
    assert_eq!(offset_of!(zx_port_packet_t, status), 12);
    assert_eq!(offset_of!(zx_port_packet_t, payload), 16);
    assert_eq!(size_of::<zx_packet_signal_t>(), ZX_PORT_PACKET_PAYLOAD_SIZE);
    assert_eq!(offset_of!(zx_packet_signal_t, observed), 4);
    assert_eq!(offset_of!(zx_packet_signal_t, count), 8);
    assert_eq!(offset_of!(zx_packet_signal_t, timestamp), 16);
    assert_eq!(offset_of!(zx_packet_signal_t, reserved1), 24);
}

#[test]
fn handle_records_match_types_h() {
    assert_eq!(size_of::<zx_info_handle_basic_t>(), 32);
    assert_eq!(offset_of!(zx_info_handle_basic_t, rights), 8);
    assert_eq!(offset_of!(zx_info_handle_basic_t, r#type), 12);
    assert_eq!(offset_of!(zx_info_handle_basic_t, related_koid), 16);
    assert_eq!(offset_of!(zx_info_handle_basic_t, props), 24);
    assert_eq!(size_of::<zx_info_handle_count_t>(), 4);
    assert_eq!(size_of::<zx_handle_info_t>(), 16);
    assert_eq!(offset_of!(zx_handle_info_t, rights), 8);
    assert_eq!(size_of::<zx_wait_item_t>(), 12);
    assert_eq!(offset_of!(zx_wait_item_t, pending), 8);
    assert_eq!(size_of::<zx_channel_iovec_t>(), 16);
    assert_eq!(offset_of!(zx_channel_iovec_t, capacity), 8);
    assert_eq!(size_of::<zx_channel_call_args_t>(), 48);
    assert_eq!(offset_of!(zx_channel_call_args_t, wr_num_bytes), 32);
}

#[test]
fn exception_records_match_exception_h() {
    assert_eq!(size_of::<zx_exception_info_t>(), 24);
    assert_eq!(offset_of!(zx_exception_info_t, tid), 8);
    assert_eq!(offset_of!(zx_exception_info_t, r#type), 16);
    assert_eq!(size_of::<zx_exception_header_t>(), 8);
    assert_eq!(size_of::<zx_exception_context_t>(), 24);
    assert_eq!(size_of::<zx_exception_report_t>(), 32);
    assert_eq!(offset_of!(zx_exception_report_t, context), 8);
    assert_eq!(offset_of!(zx_x86_64_exc_data_t, cr2), 16);
}

#[test]
fn task_records_match_object_h() {
    assert_eq!(size_of::<zx_info_process_t>(), 16);
    assert_eq!(offset_of!(zx_info_process_t, started), 8);
    assert_eq!(offset_of!(zx_info_process_t, exited), 9);
    assert_eq!(offset_of!(zx_info_process_t, debugger_attached), 10);
    assert_eq!(size_of::<zx_info_job_t>(), 16);
    assert_eq!(offset_of!(zx_info_job_t, kill_on_oom), 9);
    assert_eq!(size_of::<zx_cpu_set_t>(), 64);
    assert_eq!(size_of::<zx_info_thread_t>(), 72);
    assert_eq!(offset_of!(zx_info_thread_t, wait_exception_channel_type), 4);
    assert_eq!(offset_of!(zx_info_thread_t, cpu_affinity_mask), 8);
    assert_eq!(size_of::<zx_policy_basic_t>(), 8);
    assert_eq!(size_of::<zx_policy_timer_slack_t>(), 16);
    assert_eq!(offset_of!(zx_policy_timer_slack_t, default_mode), 8);
}

#[test]
fn vm_records_match_object_h() {
    assert_eq!(size_of::<zx_info_vmar_t>(), 16);
    assert_eq!(offset_of!(zx_info_vmar_t, len), 8);
    assert_eq!(size_of::<zx_info_vmo_t>(), 104);
    assert_eq!(offset_of!(zx_info_vmo_t, name), 8);
    assert_eq!(offset_of!(zx_info_vmo_t, size_bytes), 40);
    assert_eq!(offset_of!(zx_info_vmo_t, parent_koid), 48);
    assert_eq!(offset_of!(zx_info_vmo_t, num_children), 56);
    assert_eq!(offset_of!(zx_info_vmo_t, num_mappings), 64);
    assert_eq!(offset_of!(zx_info_vmo_t, share_count), 72);
    assert_eq!(offset_of!(zx_info_vmo_t, flags), 80);
    assert_eq!(offset_of!(zx_info_vmo_t, committed_bytes), 88);
    assert_eq!(offset_of!(zx_info_vmo_t, handle_rights), 96);
    assert_eq!(offset_of!(zx_info_vmo_t, cache_policy), 100);
}

#[test]
fn wire_sizes_are_the_c_sizes() {
    assert_eq!(zx_port_packet_t::SIZE, 48);
    assert_eq!(zx_info_vmo_t::SIZE, 104);
    assert_eq!(zx_info_thread_t::SIZE, 72);
    assert_eq!(<[u64; 4]>::SIZE, 32);
}

#[test]
fn encoding_writes_each_field_at_its_offset_and_zeroes_padding() {
    let basic = zx_info_handle_basic_t {
        koid: 0x1122_3344_5566_7788,
        rights: ZX_RIGHT_READ,
        r#type: ZX_OBJ_TYPE_EVENT,
        related_koid: 9,
        props: ZX_OBJ_PROP_WAITABLE,
        padding1: [0; 4],
    };
    let mut bytes = [0xee; 32];
    basic.encode(&mut bytes);
    assert_eq!(bytes[..8], 0x1122_3344_5566_7788u64.to_le_bytes());
    assert_eq!(bytes[8..12], ZX_RIGHT_READ.to_le_bytes());
    assert_eq!(bytes[12..16], ZX_OBJ_TYPE_EVENT.to_le_bytes());
    assert_eq!(bytes[16..24], 9u64.to_le_bytes());
    assert_eq!(bytes[24..28], 1u32.to_le_bytes());
    assert_eq!(bytes[28..], [0; 4]);
    assert_eq!(zx_info_handle_basic_t::decode(&bytes), basic);
}

#[test]
fn process_record_puts_flags_after_the_return_code() {
    let info = zx_info_process_t {
        return_code: ZX_TASK_RETCODE_SYSCALL_KILL,
        started: true,
        exited: true,
        ..Default::default()
    };
    let mut bytes = [0xff; 16];
    info.encode(&mut bytes);
    assert_eq!(bytes[..8], (-1024i64).to_le_bytes());
    assert_eq!(bytes[8..], [1, 1, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn signal_packets_decode_from_the_payload() {
    let signal = zx_packet_signal_t {
        trigger: ZX_USER_SIGNAL_0,
        observed: ZX_USER_SIGNAL_0 | ZX_EVENT_SIGNALED,
        count: 1,
        timestamp: 77,
        reserved1: 0,
    };
    let mut packet = zx_port_packet_t {
        key: 5,
        r#type: ZX_PKT_TYPE_SIGNAL_ONE,
        ..Default::default()
    };
    signal.encode(&mut packet.payload);
    assert_eq!(packet.signal(), Some(signal));
    assert_eq!(zx_port_packet_t::user(5, 0, [0; 32]).signal(), None);
    assert_eq!(ZX_PKT_TYPE_EXCEPTION(2), 0x208);
}

#[test]
fn status_names_round_trip() {
    assert_eq!(
        zx_status_get_string(ZX_ERR_BAD_HANDLE),
        Some("ZX_ERR_BAD_HANDLE")
    );
    assert_eq!(zx_status_get_string(ZX_OK), Some("ZX_OK"));
    assert_eq!(zx_status_get_string(-5), None);
}

#[test]
fn header_macros_compute_as_in_c() {
    assert_eq!(
        ZX_THREAD_STATE_BASIC(ZX_THREAD_STATE_BLOCKED_PORT),
        ZX_THREAD_STATE_BLOCKED
    );
    assert!(ZX_EXCP_IS_ARCH(ZX_EXCP_FATAL_PAGE_FAULT));
    assert!(!ZX_EXCP_IS_ARCH(ZX_EXCP_THREAD_EXITING));
    assert_eq!(ZX_MSEC(3), 3_000_000);
    assert_eq!(ZX_SEC(i64::MAX), i64::MAX);
    assert_eq!(
        zx_time_add_duration(ZX_TIME_INFINITE - 1, ZX_SEC(1)),
        ZX_TIME_INFINITE
    );
    assert_eq!(ZX_VM_ALIGN_2MB, 21 << 24);
}
