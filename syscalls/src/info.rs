//! `zx_object_get_info` (spec §10): one record or an array of records per topic, in the
//! layouts of `abi::info`.
//!
//! Each topic looks the handle up with the type and right it needs (BAD_HANDLE,
//! WRONG_TYPE, ACCESS_DENIED in that order), builds its records from the objects, and copies
//! them out. A one-record topic whose buffer is too small is BUFFER_TOO_SMALL (with `actual`
//! 0 and `avail` 1); an array topic writes as many records as fit and reports how many there
//! are in `avail`, which is not an error. `actual` and `avail` are optional. An unknown topic
//! is NOT_SUPPORTED.
//!
//! Topics: `HANDLE_VALID`, `HANDLE_BASIC`, `HANDLE_COUNT` (any object; the last needs
//! `INSPECT`), `PROCESS`, `JOB`, `THREAD`, `THREAD_EXCEPTION_REPORT`, `VMAR`, `VMO` (each
//! needs `INSPECT`), `PROCESS_THREADS`, `JOB_CHILDREN`, `JOB_PROCESSES` (arrays of koids;
//! `ENUMERATE`). Spinel VMOs have no name, no parent and no children, so those fields of
//! `zx_info_vmo_t` are zero; its `share_count` is the number of handles to the VMO.

use alloc::sync::Arc;

use objects::abi::{HandleValue, ZX_OBJ_PROP_NONE, ZX_OBJ_PROP_WAITABLE};
use objects::task::ops;
use objects::vm::{Vmar, Vmo};
use objects::{KernelObject, Rights, Status, ZxResult};

use crate::abi::*;
use crate::context::SyscallContext;
use crate::user_ptr::UserPtr;

/// Where a `zx_object_get_info` puts its records and their counts.
pub(crate) struct InfoBuffer {
    pub buffer: UserPtr<u8>,
    pub buffer_size: usize,
    pub actual: UserPtr<usize>,
    pub avail: UserPtr<usize>,
}

/// `zx_object_get_info`; see the module doc.
pub(crate) fn get_info(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    topic: zx_object_info_topic_t,
    out: InfoBuffer,
) -> ZxResult {
    let handles = cx.handles();
    match topic {
        ZX_INFO_HANDLE_VALID => handles.handle_info(handle).map(drop),
        ZX_INFO_HANDLE_BASIC => out.record(cx, &handle_basic(cx, handle)?),
        ZX_INFO_HANDLE_COUNT => out.record(cx, &handle_count(cx, handle)?),
        ZX_INFO_PROCESS => {
            let info = ops::process_info(handles, handle)?;
            out.record(cx, &zx_info_process_t::from(info))
        }
        ZX_INFO_JOB => out.record(cx, &zx_info_job_t::from(ops::job_info(handles, handle)?)),
        ZX_INFO_THREAD => {
            let info = ops::thread_info(handles, handle)?;
            out.record(cx, &zx_info_thread_t::from(info))
        }
        ZX_INFO_THREAD_EXCEPTION_REPORT => {
            let report = ops::thread_exception_report(handles, handle)?;
            out.record(cx, &zx_exception_report_t::from(report))
        }
        ZX_INFO_VMAR => out.record(cx, &vmar_record(cx, handle)?),
        ZX_INFO_VMO => out.record(cx, &vmo_record(cx, handle)?),
        ZX_INFO_PROCESS_THREADS => out.records(cx, &ops::process_threads(handles, handle)?),
        ZX_INFO_JOB_CHILDREN => out.records(cx, &ops::job_children(handles, handle)?),
        ZX_INFO_JOB_PROCESSES => out.records(cx, &ops::job_processes(handles, handle)?),
        _ => Err(Status::NotSupported),
    }
}

impl InfoBuffer {
    /// Copies out the one record of a topic.
    fn record<T: Wire>(&self, cx: &SyscallContext<'_>, record: &T) -> ZxResult {
        if self.buffer_size < T::SIZE {
            self.counts(cx, 0, 1)?;
            return Err(Status::BufferTooSmall);
        }
        UserPtr::<T>::new(self.buffer.address()).write(cx.memory, record)?;
        self.counts(cx, 1, 1)
    }

    /// Copies out as many of `records` as fit.
    fn records<T: Wire>(&self, cx: &SyscallContext<'_>, records: &[T]) -> ZxResult {
        let fit = records.len().min(self.buffer_size / T::SIZE);
        UserPtr::<T>::new(self.buffer.address()).write_array(cx.memory, &records[..fit])?;
        self.counts(cx, fit, records.len())
    }

    fn counts(&self, cx: &SyscallContext<'_>, actual: usize, avail: usize) -> ZxResult {
        self.actual.write_if_present(cx.memory, &actual)?;
        self.avail.write_if_present(cx.memory, &avail)
    }
}

/// The object behind `handle` as a `T`, and the handle's rights, if they include `rights`.
fn lookup<T: KernelObject>(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    rights: Rights,
) -> ZxResult<(Arc<T>, Rights)> {
    let (object, held) = cx.object_and_rights::<T>(handle)?;
    if !held.contains(rights) {
        return Err(Status::AccessDenied);
    }
    Ok((object, held))
}

fn handle_basic(cx: &SyscallContext<'_>, handle: HandleValue) -> ZxResult<zx_info_handle_basic_t> {
    let (object, rights) = cx.handles().handle_info(handle)?;
    let props = match object.signal_state() {
        Some(_) => ZX_OBJ_PROP_WAITABLE,
        None => ZX_OBJ_PROP_NONE,
    };
    Ok(zx_info_handle_basic_t {
        koid: object.koid(),
        rights: rights.bits(),
        r#type: object.object_type() as zx_obj_type_t,
        related_koid: object.related_koid(),
        props,
        padding1: [0; 4],
    })
}

fn handle_count(cx: &SyscallContext<'_>, handle: HandleValue) -> ZxResult<zx_info_handle_count_t> {
    let (object, rights) = cx.handles().handle_info(handle)?;
    if !rights.contains(Rights::INSPECT) {
        return Err(Status::AccessDenied);
    }
    Ok(zx_info_handle_count_t {
        handle_count: object.base().handle_count() as u32,
    })
}

fn vmar_record(cx: &SyscallContext<'_>, handle: HandleValue) -> ZxResult<zx_info_vmar_t> {
    let (vmar, _) = lookup::<Vmar>(cx, handle, Rights::INSPECT)?;
    Ok(zx_info_vmar_t {
        base: vmar.base(),
        len: vmar.size(),
    })
}

fn vmo_record(cx: &SyscallContext<'_>, handle: HandleValue) -> ZxResult<zx_info_vmo_t> {
    let (vmo, rights) = lookup::<Vmo>(cx, handle, Rights::INSPECT)?;
    let mut flags = ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE;
    if vmo.is_resizable() {
        flags |= ZX_INFO_VMO_RESIZABLE;
    }
    if vmo.options().contains(objects::vm::VmoOptions::DISCARDABLE) {
        flags |= ZX_INFO_VMO_DISCARDABLE;
    }
    Ok(zx_info_vmo_t {
        koid: vmo.koid(),
        size_bytes: vmo.size(),
        num_mappings: vmo.mapping_count(),
        share_count: vmo.base().handle_count(),
        flags,
        committed_bytes: vmo.committed_bytes(),
        handle_rights: rights.bits(),
        cache_policy: ZX_CACHE_POLICY_CACHED,
        ..Default::default()
    })
}
