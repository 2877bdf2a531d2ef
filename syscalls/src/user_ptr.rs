//! Typed user pointers: how the syscalls reach user memory, and the only way they do.
//!
//! A [`UserPtr<T>`] is an address a syscall received, typed as the syscall's C signature types
//! it. Reads and writes go through the calling process's [`UserMemory`], which validates the
//! range and survives faults; every failure (a null pointer, an unmapped or kernel address,
//! an address computation that overflows) is `ZX_ERR_INVALID_ARGS`, never a kernel fault.
//! Values cross as the exact bytes of their C layout ([`Wire`]). An empty buffer is never
//! touched, so its pointer may be null, as Zircon allows. Array lengths come from user space:
//! callers bound them before they ask for an array.

use alloc::vec;
use alloc::vec::Vec;
use core::marker::PhantomData;

use objects::{Status, ZxResult};

use crate::abi::Wire;
use crate::context::{BadUserAccess, UserMemory};

/// The largest record a [`UserPtr`] reads or writes whole (`zx_info_vmo_t` is 104 bytes).
const MAX_RECORD_BYTES: usize = 128;

/// The buffer of a small record, whose zeroing costs one store.
const SMALL_RECORD_BYTES: usize = 8;

/// Runs `f` on a zeroed stack buffer of exactly `T::SIZE` bytes, cut from the smallest of two
/// arrays that holds it (the choice is made at compile time), so that a 4-byte handle or
/// signal set does not zero a whole record's room on every copy.
#[inline(always)]
fn with_record_buffer<T: Wire, R>(f: impl FnOnce(&mut [u8]) -> R) -> R {
    const { assert!(T::SIZE <= MAX_RECORD_BYTES) };
    if T::SIZE <= SMALL_RECORD_BYTES {
        f(&mut [0; SMALL_RECORD_BYTES][..T::SIZE])
    } else {
        f(&mut [0; MAX_RECORD_BYTES][..T::SIZE])
    }
}

/// A user address holding a `T` (or the first of an array of them).
pub struct UserPtr<T> {
    address: u64,
    _points_to: PhantomData<fn() -> T>,
}

impl<T> Clone for UserPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for UserPtr<T> {}

impl<T> core::fmt::Debug for UserPtr<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "UserPtr({:#x})", self.address)
    }
}

impl<T> UserPtr<T> {
    /// The pointer at user address `address`.
    pub fn new(address: u64) -> Self {
        UserPtr {
            address,
            _points_to: PhantomData,
        }
    }

    /// The address.
    pub fn address(self) -> u64 {
        self.address
    }

    /// Whether the pointer is null (an optional output the caller does not want).
    pub fn is_null(self) -> bool {
        self.address == 0
    }
}

impl<T: Wire> UserPtr<T> {
    /// The `index`th element of the array starting here; INVALID_ARGS if the address
    /// overflows.
    pub fn element(self, index: usize) -> ZxResult<UserPtr<T>> {
        let offset = index.checked_mul(T::SIZE).ok_or(Status::InvalidArgs)?;
        byte_offset(self.address, offset).map(UserPtr::new)
    }

    /// Copies a `T` in.
    pub fn read(self, memory: &dyn UserMemory) -> ZxResult<T> {
        with_record_buffer::<T, _>(|bytes| {
            memory.read(self.address, bytes).map_err(invalid_args)?;
            Ok(T::decode(bytes))
        })
    }

    /// Copies `value` out.
    pub fn write(self, memory: &dyn UserMemory, value: &T) -> ZxResult {
        with_record_buffer::<T, _>(|bytes| {
            value.encode(bytes);
            memory.write(self.address, bytes).map_err(invalid_args)
        })
    }

    /// Copies `value` out unless the pointer is null (an optional output).
    pub fn write_if_present(self, memory: &dyn UserMemory, value: &T) -> ZxResult {
        match self.is_null() {
            true => Ok(()),
            false => self.write(memory, value),
        }
    }

    /// Copies in an array of `count` elements, in one copy. The caller has bounded `count`.
    pub fn read_array(self, memory: &dyn UserMemory, count: usize) -> ZxResult<Vec<T>> {
        if count == 0 {
            // The commonest array, a message's handles, is empty: nothing to copy or decode.
            return Ok(Vec::new());
        }
        let len = count.checked_mul(T::SIZE).ok_or(Status::InvalidArgs)?;
        let mut bytes = vec![0; len];
        UserPtr::<u8>::new(self.address).read_bytes(memory, &mut bytes)?;
        Ok(bytes.chunks_exact(T::SIZE).map(T::decode).collect())
    }

    /// Copies `values` out as an array, in one copy.
    pub fn write_array(self, memory: &dyn UserMemory, values: &[T]) -> ZxResult {
        let mut bytes = vec![0; values.len() * T::SIZE];
        for (chunk, value) in bytes.chunks_exact_mut(T::SIZE).zip(values) {
            value.encode(chunk);
        }
        UserPtr::<u8>::new(self.address).write_bytes(memory, &bytes)
    }
}

impl UserPtr<u8> {
    /// The address `bytes` further on; INVALID_ARGS if it overflows.
    pub fn offset(self, bytes: usize) -> ZxResult<UserPtr<u8>> {
        byte_offset(self.address, bytes).map(UserPtr::new)
    }

    /// Fills `buf` from user memory; an empty `buf` touches nothing.
    pub fn read_bytes(self, memory: &dyn UserMemory, buf: &mut [u8]) -> ZxResult {
        if buf.is_empty() {
            return Ok(());
        }
        check_range(self.address, buf.len())?;
        memory.read(self.address, buf).map_err(invalid_args)
    }

    /// Copies `data` to user memory; an empty `data` touches nothing.
    pub fn write_bytes(self, memory: &dyn UserMemory, data: &[u8]) -> ZxResult {
        if data.is_empty() {
            return Ok(());
        }
        check_range(self.address, data.len())?;
        memory.write(self.address, data).map_err(invalid_args)
    }
}

/// `address + offset`, or INVALID_ARGS when it overflows.
fn byte_offset(address: u64, offset: usize) -> ZxResult<u64> {
    address
        .checked_add(offset as u64)
        .ok_or(Status::InvalidArgs)
}

/// INVALID_ARGS for a range that wraps around the address space; the user memory checks the
/// rest.
fn check_range(address: u64, len: usize) -> ZxResult {
    byte_offset(address, len).map(|_| ())
}

fn invalid_args(_: BadUserAccess) -> Status {
    Status::InvalidArgs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::{zx_info_handle_basic_t, zx_wait_item_t};
    use std::sync::Mutex;

    /// 256 bytes of user memory at 0x1000.
    struct Window(Mutex<[u8; 256]>);

    const BASE: u64 = 0x1000;

    impl Window {
        fn range(
            &self,
            address: u64,
            len: usize,
        ) -> Result<core::ops::Range<usize>, BadUserAccess> {
            let start = address.checked_sub(BASE).ok_or(BadUserAccess)? as usize;
            let end = start.checked_add(len).ok_or(BadUserAccess)?;
            if end > 256 {
                return Err(BadUserAccess);
            }
            Ok(start..end)
        }
    }

    impl UserMemory for Window {
        fn read(&self, address: u64, buf: &mut [u8]) -> Result<(), BadUserAccess> {
            let range = self.range(address, buf.len())?;
            buf.copy_from_slice(&self.0.lock().unwrap()[range]);
            Ok(())
        }

        fn write(&self, address: u64, data: &[u8]) -> Result<(), BadUserAccess> {
            let range = self.range(address, data.len())?;
            self.0.lock().unwrap()[range].copy_from_slice(data);
            Ok(())
        }
    }

    fn window() -> Window {
        Window(Mutex::new([0; 256]))
    }

    #[test]
    fn a_struct_round_trips_through_user_memory() {
        let memory = window();
        let value = zx_info_handle_basic_t {
            koid: 1234,
            rights: 7,
            ..Default::default()
        };
        let ptr = UserPtr::new(BASE + 8);
        ptr.write(&memory, &value).unwrap();
        assert_eq!(ptr.read(&memory), Ok(value));
    }

    #[test]
    fn a_bad_address_is_invalid_args() {
        let memory = window();
        assert_eq!(
            UserPtr::<u32>::new(0).read(&memory),
            Err(Status::InvalidArgs)
        );
        assert_eq!(
            UserPtr::<u64>::new(BASE + 252).write(&memory, &1),
            Err(Status::InvalidArgs),
            "a value running off the end"
        );
        let wrapping = UserPtr::<u8>::new(u64::MAX - 1);
        assert_eq!(
            wrapping.read_bytes(&memory, &mut [0; 4]),
            Err(Status::InvalidArgs)
        );
        assert_eq!(
            UserPtr::<zx_wait_item_t>::new(BASE)
                .element(usize::MAX)
                .err(),
            Some(Status::InvalidArgs)
        );
    }

    #[test]
    fn empty_buffers_and_absent_outputs_touch_nothing() {
        let memory = window();
        let null = UserPtr::<u8>::new(0);
        assert_eq!(null.read_bytes(&memory, &mut []), Ok(()));
        assert_eq!(null.write_bytes(&memory, &[]), Ok(()));
        assert_eq!(UserPtr::<u32>::new(0).write_if_present(&memory, &5), Ok(()));
        assert_eq!(
            UserPtr::<zx_wait_item_t>::new(0).read_array(&memory, 0),
            Ok(Vec::new())
        );
    }

    #[test]
    fn arrays_are_laid_out_back_to_back() {
        let memory = window();
        let items = [
            zx_wait_item_t {
                handle: 3,
                waitfor: 4,
                pending: 5,
            },
            zx_wait_item_t {
                handle: 6,
                waitfor: 7,
                pending: 8,
            },
        ];
        let ptr = UserPtr::<zx_wait_item_t>::new(BASE);
        ptr.write_array(&memory, &items).unwrap();
        assert_eq!(ptr.element(1).unwrap().read(&memory), Ok(items[1]));
        assert_eq!(ptr.read_array(&memory, 2), Ok(items.to_vec()));
        assert_eq!(UserPtr::<u32>::new(BASE + 12).read(&memory), Ok(6));
    }
}
