//! `zx_object_get_info` and the properties (spec §10, §9.4).

mod common;

use common::{Harness, st};
use objects::KernelObject;
use syscalls::abi::*;

/// `zx_object_get_info` into a buffer of `size` bytes; the status, `actual` and `avail`.
fn get_info(
    harness: &Harness,
    handle: zx_handle_t,
    topic: u32,
    buffer: u64,
    size: usize,
) -> (i64, u64, u64) {
    let counts = harness.memory.alloc(16);
    harness.memory.put(counts, &[0xff; 16]);
    let args = [
        handle.into(),
        topic.into(),
        buffer,
        size as u64,
        counts,
        counts + 8,
    ];
    let status = harness.call(numbers::object_get_info, &args);
    (
        status,
        harness.memory.get_u64(counts),
        harness.memory.get_u64(counts + 8),
    )
}

#[test]
fn handle_valid_answers_ok_or_bad_handle() {
    let harness = Harness::new();
    let event = harness.event();
    let args = |handle: u32| [handle.into(), ZX_INFO_HANDLE_VALID.into(), 0, 0, 0, 0];
    harness.ok(numbers::object_get_info, &args(event));
    assert_eq!(
        harness.call(numbers::object_get_info, &args(0x1233)),
        st(ZX_ERR_BAD_HANDLE)
    );
}

#[test]
fn handle_basic_describes_the_handle_and_its_object() {
    let harness = Harness::new();
    let (a, b) = harness.channel();
    let buffer = harness.memory.alloc(32);
    let (status, actual, avail) = get_info(&harness, a, ZX_INFO_HANDLE_BASIC, buffer, 32);
    assert_eq!((status, actual, avail), (0, 1, 1));
    let info = harness.memory.get_struct::<zx_info_handle_basic_t>(buffer);
    assert_eq!(info.r#type, ZX_OBJ_TYPE_CHANNEL);
    assert_eq!(info.rights, ZX_DEFAULT_CHANNEL_RIGHTS);
    assert_eq!(info.props, ZX_OBJ_PROP_WAITABLE);
    assert_eq!(info.related_koid, harness.basic_info(b).koid);
    assert!(info.koid >= ZX_KOID_FIRST);
}

#[test]
fn ports_and_vmars_are_not_waitable() {
    let harness = Harness::new();
    let port = harness.port();
    let vmar = harness.root_vmar_handle();
    assert_eq!(harness.basic_info(port).props, ZX_OBJ_PROP_NONE);
    assert_eq!(harness.basic_info(vmar).props, ZX_OBJ_PROP_NONE);
}

#[test]
fn a_thread_is_related_to_its_process_and_a_process_to_its_job() {
    let harness = Harness::new();
    let (thread, process, job) = (
        harness.thread_handle(),
        harness.process_handle(),
        harness.job_handle(),
    );
    assert_eq!(
        harness.basic_info(thread).related_koid,
        harness.process.koid()
    );
    assert_eq!(harness.basic_info(process).related_koid, harness.job.koid());
    assert_eq!(
        harness.basic_info(job).related_koid,
        ZX_KOID_INVALID,
        "the root job has no parent"
    );
}

#[test]
fn a_one_record_topic_with_a_small_buffer_is_buffer_too_small() {
    let harness = Harness::new();
    let event = harness.event();
    let buffer = harness.memory.alloc(32);
    let (status, actual, avail) = get_info(&harness, event, ZX_INFO_HANDLE_BASIC, buffer, 31);
    assert_eq!((status, actual, avail), (st(ZX_ERR_BUFFER_TOO_SMALL), 0, 1));
}

#[test]
fn a_bad_info_buffer_is_invalid_args() {
    let harness = Harness::new();
    let event = harness.event();
    let unmapped = harness.memory.unmapped();
    let (status, _, _) = get_info(&harness, event, ZX_INFO_HANDLE_BASIC, unmapped, 32);
    assert_eq!(status, st(ZX_ERR_INVALID_ARGS));
    let buffer = harness.memory.alloc(32);
    let args = [
        event.into(),
        ZX_INFO_HANDLE_BASIC.into(),
        buffer,
        32,
        unmapped,
        0,
    ];
    assert_eq!(
        harness.call(numbers::object_get_info, &args),
        st(ZX_ERR_INVALID_ARGS)
    );
}

#[test]
fn an_unknown_topic_is_not_supported() {
    let harness = Harness::new();
    let event = harness.event();
    let buffer = harness.memory.alloc(256);
    for topic in [
        ZX_INFO_NONE,
        ZX_INFO_TASK_STATS,
        ZX_INFO_VMO | (3 << 28),
        9999,
    ] {
        let (status, _, _) = get_info(&harness, event, topic, buffer, 256);
        assert_eq!(status, st(ZX_ERR_NOT_SUPPORTED), "topic {topic:#x}");
    }
}

#[test]
fn a_topic_on_the_wrong_object_is_wrong_type() {
    let harness = Harness::new();
    let event = harness.event();
    let buffer = harness.memory.alloc(128);
    for topic in [
        ZX_INFO_PROCESS,
        ZX_INFO_THREAD,
        ZX_INFO_JOB,
        ZX_INFO_VMAR,
        ZX_INFO_VMO,
        ZX_INFO_PROCESS_THREADS,
    ] {
        let (status, _, _) = get_info(&harness, event, topic, buffer, 128);
        assert_eq!(status, st(ZX_ERR_WRONG_TYPE), "topic {topic}");
    }
}

#[test]
fn a_topic_without_its_right_is_access_denied() {
    let harness = Harness::new();
    let process = harness.process_handle();
    let bare = harness.reduced(process, ZX_RIGHT_WAIT);
    let buffer = harness.memory.alloc(64);
    for topic in [
        ZX_INFO_PROCESS,
        ZX_INFO_PROCESS_THREADS,
        ZX_INFO_HANDLE_COUNT,
    ] {
        let (status, _, _) = get_info(&harness, bare, topic, buffer, 64);
        assert_eq!(status, st(ZX_ERR_ACCESS_DENIED), "topic {topic}");
    }
    let (status, _, _) = get_info(&harness, bare, ZX_INFO_HANDLE_BASIC, buffer, 64);
    assert_eq!(status, 0, "HANDLE_BASIC needs no right");
}

#[test]
fn process_thread_and_job_records() {
    let harness = Harness::new();
    let process = harness.process_handle();
    let info: zx_info_process_t = harness.info(process, ZX_INFO_PROCESS);
    assert!(info.started && !info.exited && !info.debugger_attached);

    let thread = harness.thread_handle();
    let info: zx_info_thread_t = harness.info(thread, ZX_INFO_THREAD);
    assert_eq!(info.state, ZX_THREAD_STATE_RUNNING);
    assert_eq!(
        info.wait_exception_channel_type,
        ZX_EXCEPTION_CHANNEL_TYPE_NONE
    );
    assert_eq!(info.cpu_affinity_mask.mask[0], 0b11, "two CPUs");

    let job = harness.job_handle();
    let info: zx_info_job_t = harness.info(job, ZX_INFO_JOB);
    assert!(!info.exited);
}

#[test]
fn an_exception_report_needs_an_exception() {
    let harness = Harness::new();
    let thread = harness.thread_handle();
    let buffer = harness.memory.alloc(32);
    let (status, _, _) = get_info(
        &harness,
        thread,
        ZX_INFO_THREAD_EXCEPTION_REPORT,
        buffer,
        32,
    );
    assert_eq!(status, st(ZX_ERR_BAD_STATE));
}

#[test]
fn koid_arrays_write_what_fits_and_report_what_exists() {
    let harness = Harness::new();
    let process = harness.process_handle();
    for name in [b"a", b"b"] {
        let text = harness.memory.alloc_with(name);
        harness.create(numbers::thread_create, &[process.into(), text, 1, 0]);
    }
    let buffer = harness.memory.alloc(24);
    let (status, actual, avail) = get_info(&harness, process, ZX_INFO_PROCESS_THREADS, buffer, 24);
    assert_eq!((status, actual, avail), (0, 3, 3));
    assert_eq!(harness.memory.get_u64(buffer), harness.thread.koid());

    let (status, actual, avail) = get_info(&harness, process, ZX_INFO_PROCESS_THREADS, buffer, 15);
    assert_eq!(
        (status, actual, avail),
        (0, 1, 3),
        "a short buffer is not an error"
    );
    let (status, actual, avail) = get_info(&harness, process, ZX_INFO_PROCESS_THREADS, 0, 0);
    assert_eq!(
        (status, actual, avail),
        (0, 0, 3),
        "a null buffer asks for the count"
    );
}

#[test]
fn job_children_and_processes_list_koids() {
    let harness = Harness::new();
    let job = harness.job_handle();
    let child = harness.create(numbers::job_create, &[job.into(), 0]);
    let child_koid = harness.basic_info(child).koid;
    let buffer = harness.memory.alloc(64);
    let (status, actual, _) = get_info(&harness, job, ZX_INFO_JOB_CHILDREN, buffer, 64);
    assert_eq!((status, actual), (0, 1));
    assert_eq!(harness.memory.get_u64(buffer), child_koid);
    let (status, actual, _) = get_info(&harness, job, ZX_INFO_JOB_PROCESSES, buffer, 64);
    assert_eq!((status, actual), (0, 1));
    assert_eq!(harness.memory.get_u64(buffer), harness.process.koid());
}

#[test]
fn handle_count_counts_the_objects_handles() {
    let harness = Harness::new();
    let event = harness.event();
    harness.reduced(event, ZX_RIGHT_SAME_RIGHTS);
    let info: zx_info_handle_count_t = harness.info(event, ZX_INFO_HANDLE_COUNT);
    assert_eq!(info.handle_count, 2);
}

#[test]
fn vmar_and_vmo_records() {
    let harness = Harness::new();
    let vmar = harness.root_vmar_handle();
    let info: zx_info_vmar_t = harness.info(vmar, ZX_INFO_VMAR);
    let root = harness.process.root_vmar();
    assert_eq!((info.base, info.len), (root.base(), root.size()));

    let vmo = harness.create(numbers::vmo_create, &[10_000, ZX_VMO_RESIZABLE.into()]);
    let data = harness.memory.alloc_with(&[1; 5000]);
    harness.ok(numbers::vmo_write, &[vmo.into(), data, 0, 5000]);
    let addr = harness.memory.alloc(8);
    let options = ZX_VM_PERM_READ | ZX_VM_ALLOW_FAULTS;
    harness.ok(
        numbers::vmar_map,
        &[vmar.into(), options.into(), 0, vmo.into(), 0, 4096, addr],
    );

    let info: zx_info_vmo_t = harness.info(vmo, ZX_INFO_VMO);
    assert_eq!(info.size_bytes, 12_288);
    assert_eq!(info.committed_bytes, 8192);
    assert_eq!(info.num_mappings, 1);
    assert_eq!(info.share_count, 1);
    assert_eq!(info.handle_rights, ZX_DEFAULT_VMO_RIGHTS);
    assert_eq!(
        info.flags,
        ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE | ZX_INFO_VMO_RESIZABLE
    );
    assert_eq!(info.koid, harness.basic_info(vmo).koid);
}

/// `zx_object_get_property` into a buffer of `size` bytes: the status and the bytes.
fn get_property(
    harness: &Harness,
    handle: zx_handle_t,
    property: u32,
    size: usize,
) -> (i64, Vec<u8>) {
    let buffer = harness.memory.alloc(size);
    let args = [handle.into(), property.into(), buffer, size as u64];
    let status = harness.call(numbers::object_get_property, &args);
    (status, harness.memory.get(buffer, size))
}

fn set_property(harness: &Harness, handle: zx_handle_t, property: u32, value: &[u8]) -> i64 {
    let buffer = harness.memory.alloc_with(value);
    let args = [handle.into(), property.into(), buffer, value.len() as u64];
    harness.call(numbers::object_set_property, &args)
}

#[test]
fn task_names_can_be_read_and_set() {
    let harness = Harness::new();
    let (process, thread, job) = (
        harness.process_handle(),
        harness.thread_handle(),
        harness.job_handle(),
    );
    let (status, name) = get_property(&harness, process, ZX_PROP_NAME, ZX_MAX_NAME_LEN);
    assert_eq!(status, 0);
    assert_eq!(&name[..7], b"caller\0");
    for handle in [process, thread, job] {
        assert_eq!(set_property(&harness, handle, ZX_PROP_NAME, b"renamed"), 0);
        let (_, name) = get_property(&harness, handle, ZX_PROP_NAME, ZX_MAX_NAME_LEN);
        assert_eq!(&name[..8], b"renamed\0");
    }
    assert_eq!(harness.thread.name().as_bytes(), b"renamed");
}

#[test]
fn a_long_name_is_truncated_to_31_bytes() {
    let harness = Harness::new();
    let thread = harness.thread_handle();
    assert_eq!(
        set_property(&harness, thread, ZX_PROP_NAME, &[b'n'; 100]),
        0
    );
    let (_, name) = get_property(&harness, thread, ZX_PROP_NAME, ZX_MAX_NAME_LEN);
    assert_eq!(name[..31], [b'n'; 31]);
    assert_eq!(name[31], 0);
}

#[test]
fn a_name_needs_a_full_buffer_and_the_property_rights() {
    let harness = Harness::new();
    let thread = harness.thread_handle();
    let (status, _) = get_property(&harness, thread, ZX_PROP_NAME, ZX_MAX_NAME_LEN - 1);
    assert_eq!(status, st(ZX_ERR_BUFFER_TOO_SMALL));
    let no_properties = harness.reduced(thread, ZX_RIGHT_WAIT);
    let (status, _) = get_property(&harness, no_properties, ZX_PROP_NAME, ZX_MAX_NAME_LEN);
    assert_eq!(status, st(ZX_ERR_ACCESS_DENIED));
    assert_eq!(
        set_property(&harness, no_properties, ZX_PROP_NAME, b"x"),
        st(ZX_ERR_ACCESS_DENIED)
    );
    assert_eq!(
        set_property(&harness, 0x1233, ZX_PROP_NAME, b"x"),
        st(ZX_ERR_BAD_HANDLE)
    );
    let unmapped = harness.memory.unmapped();
    let args = [thread.into(), ZX_PROP_NAME.into(), unmapped, 32];
    assert_eq!(
        harness.call(numbers::object_get_property, &args),
        st(ZX_ERR_INVALID_ARGS)
    );
    assert_eq!(
        harness.call(numbers::object_set_property, &args),
        st(ZX_ERR_INVALID_ARGS)
    );
}

#[test]
fn objects_without_names_read_empty_and_refuse_one() {
    let harness = Harness::new();
    let vmo = harness.vmo(4096);
    let (status, name) = get_property(&harness, vmo, ZX_PROP_NAME, ZX_MAX_NAME_LEN);
    assert_eq!((status, name), (0, vec![0; ZX_MAX_NAME_LEN]));
    assert_eq!(
        set_property(&harness, vmo, ZX_PROP_NAME, b"x"),
        st(ZX_ERR_NOT_SUPPORTED)
    );
}

#[test]
fn unknown_properties_are_not_supported() {
    let harness = Harness::new();
    let process = harness.process_handle();
    for property in [ZX_PROP_REGISTER_FS, ZX_PROP_PROCESS_VDSO_BASE_ADDRESS, 999] {
        let (status, _) = get_property(&harness, process, property, 64);
        assert_eq!(status, st(ZX_ERR_NOT_SUPPORTED));
        assert_eq!(
            set_property(&harness, process, property, &[0; 8]),
            st(ZX_ERR_NOT_SUPPORTED)
        );
    }
}

#[test]
fn the_exception_state_is_an_exceptions_property() {
    let harness = Harness::new();
    let event = harness.event();
    let (status, _) = get_property(&harness, event, ZX_PROP_EXCEPTION_STATE, 4);
    assert_eq!(
        status,
        st(ZX_ERR_ACCESS_DENIED),
        "events have no GET_PROPERTY"
    );
    let thread = harness.thread_handle();
    let (status, _) = get_property(&harness, thread, ZX_PROP_EXCEPTION_STATE, 4);
    assert_eq!(status, st(ZX_ERR_WRONG_TYPE));
    assert_eq!(
        set_property(&harness, thread, ZX_PROP_EXCEPTION_STATE, &[1, 0, 0, 0]),
        st(ZX_ERR_WRONG_TYPE)
    );
}

#[test]
fn the_vmo_content_size_reads_and_sets() {
    let harness = Harness::new();
    let vmo = harness.vmo(5000);
    let (status, value) = get_property(&harness, vmo, ZX_PROP_VMO_CONTENT_SIZE, 8);
    assert_eq!((status, u64::decode(&value)), (0, 5000));
    assert_eq!(
        set_property(
            &harness,
            vmo,
            ZX_PROP_VMO_CONTENT_SIZE,
            &100u64.to_le_bytes()
        ),
        0
    );
    let (_, value) = get_property(&harness, vmo, ZX_PROP_VMO_CONTENT_SIZE, 8);
    assert_eq!(u64::decode(&value), 100);
    let too_big = 8193u64.to_le_bytes();
    assert_eq!(
        set_property(&harness, vmo, ZX_PROP_VMO_CONTENT_SIZE, &too_big),
        st(ZX_ERR_OUT_OF_RANGE)
    );
    let (status, _) = get_property(&harness, vmo, ZX_PROP_VMO_CONTENT_SIZE, 7);
    assert_eq!(status, st(ZX_ERR_BUFFER_TOO_SMALL));
}
