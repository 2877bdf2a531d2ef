//! Handles: owned values that close on drop, and the operations every object type shares.
//!
//! [`Handle`] owns one handle value of this process and closes it when dropped; the typed
//! wrappers ([`Channel`](crate::Channel), [`Process`](crate::Process), ...) are newtypes over
//! it declared with [`handle_type!`]. [`AsHandleRef`] gives every one of them waits, signals,
//! `object_get_info` and properties; [`HandleBased`] adds duplicate and replace, which produce
//! a value of the same type.

use crate::info::{HandleBasicInfo, Koid};
use crate::port::Port;
use crate::rights::Rights;
use crate::signals::Signals;
use crate::status::{Status, ZxResult};
use crate::sys;
use crate::time::Time;
use syscalls_abi::*;

/// One handle of this process, closed on drop. The value 0 (`ZX_HANDLE_INVALID`) owns
/// nothing.
#[derive(Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Handle(u32);

impl Handle {
    /// The invalid handle: owns nothing, closing it is a no-op.
    pub const fn invalid() -> Handle {
        Handle(ZX_HANDLE_INVALID)
    }

    /// Takes ownership of handle value `raw` (it will be closed when the result drops).
    pub const fn from_raw(raw: u32) -> Handle {
        Handle(raw)
    }

    /// Gives up ownership: the value stays open and is returned.
    pub fn into_raw(self) -> u32 {
        let raw = self.0;
        core::mem::forget(self);
        raw
    }

    /// Whether this is not `ZX_HANDLE_INVALID`.
    pub const fn is_valid(&self) -> bool {
        self.0 != ZX_HANDLE_INVALID
    }

    /// Closes the handle now and reports the kernel's answer (`zx_handle_close`).
    pub fn close(self) -> ZxResult {
        Status::ok(sys::handle_close(self.into_raw()))
    }
}

impl Default for Handle {
    fn default() -> Self {
        Handle::invalid()
    }
}

impl Drop for Handle {
    #[inline]
    fn drop(&mut self) {
        if self.0 != ZX_HANDLE_INVALID {
            // A failure here means the value was already closed behind our back; there is no
            // one to report it to.
            let _ = sys::handle_close(self.0);
        }
    }
}

/// A handle of type `T` borrowed, not owned: it is not closed when this value drops. Used for
/// handles the runtime keeps open for the whole run (see [`crate::rt::process_self`]).
#[derive(Debug)]
pub struct Unowned<'a, T: Into<Handle>> {
    inner: core::mem::ManuallyDrop<T>,
    _borrow: core::marker::PhantomData<&'a T>,
}

impl<T: From<Handle> + Into<Handle>> Unowned<'_, T> {
    /// Borrows handle value `raw`, which someone else owns and keeps open.
    pub fn from_raw(raw: u32) -> Self {
        Unowned {
            inner: core::mem::ManuallyDrop::new(T::from(Handle::from_raw(raw))),
            _borrow: core::marker::PhantomData,
        }
    }
}

impl<T: Into<Handle>> core::ops::Deref for Unowned<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

/// Whether `raw` names a handle this process holds (`ZX_INFO_HANDLE_VALID`).
pub fn is_live_handle_value(raw: u32) -> bool {
    raw != ZX_HANDLE_INVALID
        && sys::object_get_info(raw, ZX_INFO_HANDLE_VALID, &mut [], &mut 0, &mut 0) == ZX_OK
}

/// Operations every handle supports, by reference.
pub trait AsHandleRef {
    /// The raw handle value.
    fn raw_handle(&self) -> u32;

    /// Whether the value is not `ZX_HANDLE_INVALID` (it may still be closed).
    fn is_valid_handle(&self) -> bool {
        self.raw_handle() != ZX_HANDLE_INVALID
    }

    /// Waits until one of `signals` is asserted or `deadline` passes (`zx_object_wait_one`).
    /// Returns the observed signals.
    fn wait_one(&self, signals: Signals, deadline: Time) -> ZxResult<Signals> {
        let (result, observed) = self.wait_one_observed(signals, deadline);
        result.map(|()| observed)
    }

    /// [`wait_one`](Self::wait_one) that also returns the observed signals on failure
    /// (meaningful with `TIMED_OUT` and `CANCELED`).
    fn wait_one_observed(&self, signals: Signals, deadline: Time) -> (ZxResult, Signals) {
        let mut observed = 0;
        let status = sys::object_wait_one(
            self.raw_handle(),
            signals.bits(),
            deadline.into_nanos(),
            &mut observed,
        );
        (Status::ok(status), Signals::from_bits_retain(observed))
    }

    /// Clears `clear` then sets `set` among the object's signals (`zx_object_signal`).
    fn signal(&self, clear: Signals, set: Signals) -> ZxResult {
        Status::ok(sys::object_signal(
            self.raw_handle(),
            clear.bits(),
            set.bits(),
        ))
    }

    /// The same on the peer of a peered object (`zx_object_signal_peer`).
    fn signal_peer(&self, clear: Signals, set: Signals) -> ZxResult {
        Status::ok(sys::object_signal_peer(
            self.raw_handle(),
            clear.bits(),
            set.bits(),
        ))
    }

    /// Asks for one packet on `port` with `key` once any of `signals` is asserted
    /// (`zx_object_wait_async`).
    fn wait_async(&self, port: &Port, key: u64, signals: Signals, options: u32) -> ZxResult {
        let status = sys::object_wait_async(
            self.raw_handle(),
            port.raw_handle(),
            key,
            signals.bits(),
            options,
        );
        Status::ok(status)
    }

    /// `zx_object_get_info` into `buffer`: returns (records written, records available).
    fn get_info(&self, topic: u32, buffer: &mut [u8]) -> ZxResult<(usize, usize)> {
        let (mut actual, mut avail) = (0, 0);
        let status =
            sys::object_get_info(self.raw_handle(), topic, buffer, &mut actual, &mut avail);
        Status::ok(status).map(|()| (actual, avail))
    }

    /// `ZX_INFO_HANDLE_BASIC`: koid, rights, type, related koid.
    fn basic_info(&self) -> ZxResult<HandleBasicInfo> {
        let mut buffer = [0; HandleBasicInfo::SIZE];
        self.get_info(ZX_INFO_HANDLE_BASIC, &mut buffer)?;
        Ok(HandleBasicInfo::from_bytes(&buffer))
    }

    /// The object's koid.
    fn koid(&self) -> ZxResult<Koid> {
        self.basic_info().map(|info| info.koid)
    }

    /// `zx_object_get_property` into `value`.
    fn get_property(&self, property: u32, value: &mut [u8]) -> ZxResult {
        Status::ok(sys::object_get_property(self.raw_handle(), property, value))
    }

    /// `zx_object_set_property`.
    fn set_property(&self, property: u32, value: &[u8]) -> ZxResult {
        Status::ok(sys::object_set_property(self.raw_handle(), property, value))
    }

    /// `ZX_PROP_NAME`, up to its terminating NUL.
    fn name(&self) -> ZxResult<crate::Name> {
        let mut buffer = [0; ZX_MAX_NAME_LEN];
        self.get_property(ZX_PROP_NAME, &mut buffer)?;
        Ok(crate::Name::from_bytes(&buffer))
    }

    /// Sets `ZX_PROP_NAME` (the kernel truncates it to 31 bytes).
    fn set_name(&self, name: &str) -> ZxResult {
        self.set_property(ZX_PROP_NAME, name.as_bytes())
    }
}

/// Handles that can be duplicated and replaced as their own type.
pub trait HandleBased: AsHandleRef + From<Handle> + Into<Handle> {
    /// A new handle to the same object with `rights` (`zx_handle_duplicate`).
    fn duplicate(&self, rights: Rights) -> ZxResult<Self> {
        let mut out = ZX_HANDLE_INVALID;
        Status::ok(sys::handle_duplicate(
            self.raw_handle(),
            rights.bits(),
            &mut out,
        ))?;
        Ok(Handle::from_raw(out).into())
    }

    /// Replaces this handle with one with `rights` (`zx_handle_replace`). The original is
    /// gone whatever the outcome.
    fn replace(self, rights: Rights) -> ZxResult<Self> {
        let raw = self.into().into_raw();
        let mut out = ZX_HANDLE_INVALID;
        Status::ok(sys::handle_replace(raw, rights.bits(), &mut out))?;
        Ok(Handle::from_raw(out).into())
    }

    /// The untyped handle.
    fn into_handle(self) -> Handle {
        self.into()
    }
}

impl AsHandleRef for Handle {
    #[inline]
    fn raw_handle(&self) -> u32 {
        self.0
    }
}

impl HandleBased for Handle {}

/// Declares a typed handle: a newtype over [`Handle`] with the shared traits.
macro_rules! handle_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, PartialEq, Eq, Hash)]
        #[repr(transparent)]
        pub struct $name($crate::handle::Handle);

        impl $crate::handle::AsHandleRef for $name {
            #[inline]
            fn raw_handle(&self) -> u32 {
                self.0.raw_handle()
            }
        }

        impl From<$crate::handle::Handle> for $name {
            fn from(handle: $crate::handle::Handle) -> Self {
                $name(handle)
            }
        }

        impl From<$name> for $crate::handle::Handle {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl $crate::handle::HandleBased for $name {}
    };
}
pub(crate) use handle_type;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn into_raw_keeps_the_value_and_invalid_owns_nothing() {
        let handle = Handle::from_raw(0);
        assert!(!handle.is_valid());
        assert_eq!(handle.into_raw(), 0);
        // Dropping the invalid handle issues no syscall (which a host test could not survive).
        drop(Handle::invalid());
    }
}
