//! `zx_object_get_property` and `zx_object_set_property` (spec §9.4, §10).
//!
//! The handle is checked first (BAD_HANDLE, then ACCESS_DENIED without `GET_PROPERTY` or
//! `SET_PROPERTY`), then the property: WRONG_TYPE for an object it does not apply to,
//! BUFFER_TOO_SMALL for a value buffer smaller than the property, INVALID_ARGS for a bad
//! pointer, NOT_SUPPORTED for a property Spinel does not keep.
//!
//! - `ZX_PROP_NAME`: `ZX_MAX_NAME_LEN` bytes, NUL-terminated. Jobs, processes and threads
//!   have names; every other object reads as the empty name and refuses a new one with
//!   NOT_SUPPORTED, as Zircon's objects without names do. A longer name is truncated.
//! - `ZX_PROP_EXCEPTION_STATE`: a `uint32_t` on an exception.
//! - `ZX_PROP_VMO_CONTENT_SIZE`: a `uint64_t` on a VMO (OUT_OF_RANGE past its size).

use alloc::sync::Arc;

use objects::abi::{HandleValue, ObjectType};
use objects::object::downcast;
use objects::task::{Exception, Job, Name, Process, Thread};
use objects::vm::Vmo;
use objects::{KernelObject, Rights, Status, ZxResult};

use crate::abi::{
    Wire, ZX_MAX_NAME_LEN, ZX_PROP_EXCEPTION_STATE, ZX_PROP_NAME, ZX_PROP_VMO_CONTENT_SIZE,
};
use crate::context::SyscallContext;
use crate::user_ptr::UserPtr;

/// `zx_object_get_property`; see the module doc.
pub(crate) fn get_property(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    property: u32,
    value: UserPtr<u8>,
    value_size: usize,
) -> ZxResult {
    let object = lookup(cx, handle, Rights::GET_PROPERTY)?;
    match property {
        ZX_PROP_NAME => {
            fits::<[u8; ZX_MAX_NAME_LEN]>(value_size)?;
            let name = name_of(&object)?.map_or([0; ZX_MAX_NAME_LEN], |name| name.to_property());
            value.write_bytes(cx.memory, &name)
        }
        ZX_PROP_EXCEPTION_STATE => {
            let exception = downcast::<Exception>(&object)?;
            fits::<u32>(value_size)?;
            UserPtr::<u32>::new(value.address()).write(cx.memory, &exception.state())
        }
        ZX_PROP_VMO_CONTENT_SIZE => {
            let vmo = downcast::<Vmo>(&object)?;
            fits::<u64>(value_size)?;
            UserPtr::<u64>::new(value.address()).write(cx.memory, &vmo.content_size())
        }
        _ => Err(Status::NotSupported),
    }
}

/// `zx_object_set_property`; see the module doc.
pub(crate) fn set_property(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    property: u32,
    value: UserPtr<u8>,
    value_size: usize,
) -> ZxResult {
    let object = lookup(cx, handle, Rights::SET_PROPERTY)?;
    match property {
        ZX_PROP_NAME => {
            let mut name = [0; ZX_MAX_NAME_LEN - 1];
            let name = &mut name[..value_size.min(ZX_MAX_NAME_LEN - 1)];
            value.read_bytes(cx.memory, name)?;
            set_name(&object, name)
        }
        ZX_PROP_EXCEPTION_STATE => {
            let exception = downcast::<Exception>(&object)?;
            fits::<u32>(value_size)?;
            let state = UserPtr::<u32>::new(value.address()).read(cx.memory)?;
            exception.set_state(state)
        }
        ZX_PROP_VMO_CONTENT_SIZE => {
            let vmo = downcast::<Vmo>(&object)?;
            fits::<u64>(value_size)?;
            let content_size = UserPtr::<u64>::new(value.address()).read(cx.memory)?;
            vmo.set_content_size(content_size)
        }
        _ => Err(Status::NotSupported),
    }
}

/// The object behind `handle`, if the handle has `right`.
fn lookup(
    cx: &SyscallContext<'_>,
    handle: HandleValue,
    right: Rights,
) -> ZxResult<Arc<dyn KernelObject>> {
    let (object, rights) = cx.handles().handle_info(handle)?;
    if !rights.contains(right) {
        return Err(Status::AccessDenied);
    }
    Ok(object)
}

/// BUFFER_TOO_SMALL unless a `T` fits in `value_size` bytes.
fn fits<T: Wire>(value_size: usize) -> ZxResult {
    match value_size < T::SIZE {
        true => Err(Status::BufferTooSmall),
        false => Ok(()),
    }
}

/// The name of a task; `None` for objects without names.
fn name_of(object: &Arc<dyn KernelObject>) -> ZxResult<Option<Name>> {
    Ok(match object.object_type() {
        ObjectType::Job => Some(downcast::<Job>(object)?.name()),
        ObjectType::Process => Some(downcast::<Process>(object)?.name()),
        ObjectType::Thread => Some(downcast::<Thread>(object)?.name()),
        _ => None,
    })
}

/// Renames a task; NOT_SUPPORTED for objects without names.
fn set_name(object: &Arc<dyn KernelObject>, name: &[u8]) -> ZxResult {
    match object.object_type() {
        ObjectType::Job => downcast::<Job>(object)?.set_name(name),
        ObjectType::Process => downcast::<Process>(object)?.set_name(name),
        ObjectType::Thread => downcast::<Thread>(object)?.set_name(name),
        _ => return Err(Status::NotSupported),
    }
    Ok(())
}
