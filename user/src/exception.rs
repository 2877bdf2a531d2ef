//! Exceptions (spec §9): what an exception channel delivers, and how a handler answers.

use crate::channel::Channel;
use crate::handle::{AsHandleRef, Handle, handle_type};
use crate::info::ExceptionInfo;
use crate::status::{Status, ZxResult};
use crate::sys;
use crate::task::{Process, Thread};
use crate::time::Time;
use syscalls_abi::*;

handle_type!(
    /// An exception handle: the faulting thread stays stopped until it is closed.
    Exception
);

impl Exception {
    /// The faulting thread (`zx_exception_get_thread`).
    pub fn thread(&self) -> ZxResult<Thread> {
        let mut out = 0;
        Status::ok(sys::exception_get_thread(self.raw_handle(), &mut out))?;
        Ok(Handle::from_raw(out).into())
    }

    /// The faulting thread's process (`zx_exception_get_process`).
    pub fn process(&self) -> ZxResult<Process> {
        let mut out = 0;
        Status::ok(sys::exception_get_process(self.raw_handle(), &mut out))?;
        Ok(Handle::from_raw(out).into())
    }

    /// Sets `ZX_PROP_EXCEPTION_STATE`: what happens when the handle closes.
    pub fn set_state(&self, state: u32) -> ZxResult {
        self.set_property(ZX_PROP_EXCEPTION_STATE, &state.to_le_bytes())
    }

    /// Marks the exception handled: the thread resumes when the handle closes.
    pub fn set_handled(&self) -> ZxResult {
        self.set_state(ZX_EXCEPTION_STATE_HANDLED)
    }
}

/// Waits for the next exception on `channel` and reads it: the info record and the
/// exception handle.
pub fn read_exception(channel: &Channel, deadline: Time) -> ZxResult<(ExceptionInfo, Exception)> {
    let message = channel.read_wait(deadline)?;
    let bytes: &[u8; ExceptionInfo::SIZE] = message
        .bytes
        .as_slice()
        .try_into()
        .map_err(|_| Status::Internal)?;
    let mut handles = message.handles;
    let exception = handles.pop().ok_or(Status::Internal)?;
    if !handles.is_empty() {
        return Err(Status::Internal);
    }
    Ok((ExceptionInfo::from_bytes(bytes), exception.into()))
}
