//! A process's handle table: handle values mapped to handles, with Zircon's rules for close,
//! duplicate and replace (spec §1.2 and §6).
//!
//! Invariants kept under the table's lock:
//! - a value names a handle only while its slot holds one at the value's generation; removing
//!   a handle bumps the slot's generation, so the old value is dead at once;
//! - freed slots are reused oldest first, and only once more than [`REUSE_DELAY`] are free, so
//!   a closed value does not come back soon (see `value.rs` for the encoding);
//! - at most [`MAX_HANDLES_PER_PROCESS`] handles live in one table.
//!
//! A syscall that hands new handles to user space inserts them *pending* ([`Pending`]): they
//! hold their slots and count against the limit, but no value names them until the syscall
//! has copied the values out and publishes them; a failed copy discards them. So no other
//! thread of the process can use, close or send a handle whose syscall then fails.
//!
//! A handle that leaves the table (closed, replaced, sent through a channel) first ends the
//! waits started through it. The waits register under this table's lock (see `wait/`), so a
//! wait is either registered before the handle leaves, and is cancelled, or finds the value
//! already dead and fails with `BAD_HANDLE`. Handles are always dropped after the lock is
//! released: closing one may run `on_zero_handles`, which takes object locks that rank above
//! the table's.

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;
use arrayvec::ArrayVec;
use core::sync::atomic::{AtomicU64, Ordering};

use log::debug;
use spin::{Mutex, MutexGuard};

use super::reference::Handle;
use super::value::{INDEX_BITS, ValueCodec, next_generation};
use crate::abi::{HandleValue, Rights, Status, ZX_HANDLE_INVALID, ZxResult};
use crate::object::KernelObject;

/// The most handles one process may hold; one more is `ZX_ERR_NO_RESOURCES`.
///
/// 2^15 = 32 768: the slot index takes 15 of a value's 30 free bits, leaving 15 for the
/// generation that keeps closed values from coming back soon. It also caps a table's slots at
/// about 1.5 MiB of kernel memory, which a runaway process cannot exceed.
pub const MAX_HANDLES_PER_PROCESS: usize = 1 << INDEX_BITS;

/// How many free slots a table keeps before it reuses one: below this it grows instead.
const REUSE_DELAY: usize = 16;

/// Seeds for tables made without one; each table's values differ from the others'.
static NEXT_SEED: AtomicU64 = AtomicU64::new(0x5eed);

/// A process's handles, by value.
pub struct HandleTable {
    inner: Mutex<TableInner>,
}

/// The table's state; see the module doc for its invariants.
pub(crate) struct TableInner {
    codec: ValueCodec,
    slots: Vec<Slot>,
    free: VecDeque<u32>,
    len: usize,
}

struct Slot {
    generation: u16,
    handle: Option<Handle>,
    /// Inserted pending: no value names it yet (see the module doc).
    pending: bool,
}

/// The most handles one syscall inserts pending: a pair (`channel_create`, `process_create`).
pub const MAX_PENDING: usize = 2;

/// Handles inserted pending by one syscall, to publish once their values are copied out. Dropped
/// unpublished, they leave the table again and are closed. The values are kept inline, so the
/// syscalls that create handles allocate nothing for them.
#[must_use = "pending handles are discarded unless published"]
pub struct Pending<'a> {
    table: &'a HandleTable,
    values: ArrayVec<HandleValue, MAX_PENDING>,
}

impl Pending<'_> {
    /// The values the handles will have, in insertion order.
    pub fn values(&self) -> &[HandleValue] {
        &self.values
    }

    /// Makes the values name their handles.
    pub fn publish(mut self) {
        let values = core::mem::take(&mut self.values);
        let mut inner = self.table.inner.lock();
        for value in values {
            inner.publish(value);
        }
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if self.values.is_empty() {
            return;
        }
        let mut inner = self.table.inner.lock();
        let discarded: Vec<Handle> = self
            .values
            .iter()
            .filter_map(|&value| inner.take_pending(value))
            .collect();
        drop(inner);
        drop(discarded);
    }
}

impl Default for HandleTable {
    fn default() -> Self {
        Self::new()
    }
}

impl HandleTable {
    /// An empty table whose values are scrambled with a seed of its own.
    pub fn new() -> Self {
        Self::with_seed(NEXT_SEED.fetch_add(1, Ordering::Relaxed))
    }

    /// An empty table whose values are scrambled with `seed` (the kernel passes entropy).
    pub fn with_seed(seed: u64) -> Self {
        let inner = TableInner {
            codec: ValueCodec::new(seed),
            slots: Vec::new(),
            free: VecDeque::new(),
            len: 0,
        };
        HandleTable {
            inner: Mutex::new(inner),
        }
    }

    /// How many handles the table holds.
    pub fn len(&self) -> usize {
        self.inner.lock().len
    }

    /// Whether the table holds no handle.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds `handle` and returns its value; `NO_RESOURCES` (and the handle closed) when the
    /// table is full.
    pub fn insert(&self, handle: Handle) -> ZxResult<HandleValue> {
        let result = self.inner.lock().insert(handle);
        result.map_err(|rejected| {
            drop(rejected);
            Status::NoResources
        })
    }

    /// [`insert`](Self::insert), pending until published (see [`Pending`]).
    pub fn insert_pending(&self, handle: Handle) -> ZxResult<Pending<'_>> {
        self.insert_all_pending([handle])
            .map_err(|(status, _rejected)| status)
    }

    /// [`insert_all`](Self::insert_all) of up to [`MAX_PENDING`] handles, pending until
    /// published (see [`Pending`]).
    pub fn insert_all_pending<const N: usize>(
        &self,
        handles: [Handle; N],
    ) -> Result<Pending<'_>, (Status, [Handle; N])> {
        const { assert!(N <= MAX_PENDING) };
        let mut inner = self.inner.lock();
        if MAX_HANDLES_PER_PROCESS - inner.len < N {
            drop(inner);
            return Err((Status::NoResources, handles));
        }
        let values = handles
            .into_iter()
            .map(|handle| inner.insert_as(handle, true))
            .map(|inserted| inserted.unwrap_or_else(|_| unreachable!("room was checked")))
            .collect();
        Ok(Pending {
            table: self,
            values,
        })
    }

    /// Adds all of `handles`, or none: on `NO_RESOURCES` they come back to the caller.
    pub fn insert_all(
        &self,
        handles: Vec<Handle>,
    ) -> Result<Vec<HandleValue>, (Status, Vec<Handle>)> {
        let mut values = Vec::with_capacity(handles.len());
        let mut inner = self.inner.lock();
        if MAX_HANDLES_PER_PROCESS - inner.len < handles.len() {
            drop(inner);
            return Err((Status::NoResources, handles));
        }
        for handle in handles {
            let Ok(value) = inner.insert(handle) else {
                unreachable!("room for every handle was checked under the same lock");
            };
            values.push(value);
        }
        Ok(values)
    }

    /// Takes the handle out of the table, ending the waits started through it.
    pub fn remove(&self, value: HandleValue) -> ZxResult<Handle> {
        let handle = self.inner.lock().remove(value)?;
        handle.cancel_waits();
        Ok(handle)
    }

    /// `zx_handle_close` (spec §6.1): closes the handle; `ZX_HANDLE_INVALID` is allowed.
    pub fn close(&self, value: HandleValue) -> ZxResult {
        if value == ZX_HANDLE_INVALID {
            return Ok(());
        }
        drop(self.remove(value)?);
        Ok(())
    }

    /// `zx_handle_duplicate` (spec §6.2): a new handle to the same object with `rights`
    /// (`ZX_RIGHT_SAME_RIGHTS` or a subset). Needs `DUPLICATE`.
    pub fn duplicate(&self, value: HandleValue, rights: u32) -> ZxResult<HandleValue> {
        let pending = self.duplicate_pending(value, rights)?;
        let value = pending.values()[0];
        pending.publish();
        Ok(value)
    }

    /// [`duplicate`](Self::duplicate), the copy pending until published (see [`Pending`]).
    pub fn duplicate_pending(&self, value: HandleValue, rights: u32) -> ZxResult<Pending<'_>> {
        let mut inner = self.inner.lock();
        let source = inner.get(value)?;
        if !source.rights().contains(Rights::DUPLICATE) {
            return Err(Status::AccessDenied);
        }
        let rights = source
            .rights()
            .reduce_to(rights)
            .ok_or(Status::InvalidArgs)?;
        let copy = source.duplicate(rights);

        let result = inner.insert_as(copy, true);
        drop(inner);
        match result {
            Ok(value) => Ok(Pending {
                table: self,
                values: ArrayVec::from_iter([value]),
            }),
            Err(rejected) => {
                drop(rejected);
                Err(Status::NoResources)
            }
        }
    }

    /// `zx_handle_replace` (spec §6.3): a new handle with `rights` in place of the old one.
    /// The old value is dead afterwards even when the call fails. Needs no right.
    pub fn replace(&self, value: HandleValue, rights: u32) -> ZxResult<HandleValue> {
        let pending = self.replace_pending(value, rights)?;
        let value = pending.values()[0];
        pending.publish();
        Ok(value)
    }

    /// [`replace`](Self::replace), the new handle pending until published (see [`Pending`]).
    pub fn replace_pending(&self, value: HandleValue, rights: u32) -> ZxResult<Pending<'_>> {
        let mut inner = self.inner.lock();
        let original = inner.remove(value)?;
        let result = match original.rights().reduce_to(rights) {
            Some(rights) => inner
                .insert_as(original.duplicate(rights), true)
                .map_err(Some),
            None => Err(None),
        };
        drop(inner);

        original.cancel_waits();
        drop(original);
        match result {
            Ok(value) => Ok(Pending {
                table: self,
                values: ArrayVec::from_iter([value]),
            }),
            // Unreachable in practice (the original's slot was just freed), but a full table
            // is reported rather than assumed away.
            Err(Some(rejected)) => {
                drop(rejected);
                Err(Status::NoResources)
            }
            Err(None) => Err(Status::InvalidArgs),
        }
    }

    /// The object behind `value` as a `T`, if the handle has `rights`. Errors come in Zircon's
    /// order: `BAD_HANDLE`, `WRONG_TYPE`, `ACCESS_DENIED`.
    pub fn get<T: KernelObject>(&self, value: HandleValue, rights: Rights) -> ZxResult<Arc<T>> {
        let inner = self.inner.lock();
        let handle = inner.get(value)?;
        let object = handle.downcast::<T>()?;
        if !handle.rights().contains(rights) {
            return Err(Status::AccessDenied);
        }
        Ok(object)
    }

    /// The object behind `value`, of any type, if the handle has `rights`.
    pub fn get_object(
        &self,
        value: HandleValue,
        rights: Rights,
    ) -> ZxResult<Arc<dyn KernelObject>> {
        let inner = self.inner.lock();
        let handle = inner.get(value)?;
        if !handle.rights().contains(rights) {
            return Err(Status::AccessDenied);
        }
        Ok(handle.object().clone())
    }

    /// The object behind `value` and the handle's rights, whatever they are.
    pub fn handle_info(&self, value: HandleValue) -> ZxResult<(Arc<dyn KernelObject>, Rights)> {
        let inner = self.inner.lock();
        let handle = inner.get(value)?;
        Ok((handle.object().clone(), handle.rights()))
    }

    /// Closes every handle, as when the process ends.
    pub fn close_all(&self) {
        drop(self.drain());
    }

    /// Takes every handle out of the table and ends the waits started through them. Dropping
    /// the handles closes them; a caller inside `on_zero_handles` moves them to its orphans
    /// instead, so that closing nests no deeper.
    pub(crate) fn drain(&self) -> Vec<Handle> {
        let handles = self.inner.lock().take_all();
        for handle in &handles {
            handle.cancel_waits();
        }
        handles
    }

    /// Locks the table, for operations that must be atomic with respect to a close (waits,
    /// channel writes). Drop no handle while holding the guard.
    pub(crate) fn lock(&self) -> MutexGuard<'_, TableInner> {
        self.inner.lock()
    }
}

impl Drop for HandleTable {
    fn drop(&mut self) {
        self.close_all();
    }
}

impl TableInner {
    /// The handle `value` names, or `BAD_HANDLE`.
    pub(crate) fn get(&self, value: HandleValue) -> ZxResult<&Handle> {
        let index = self.locate(value)?;
        self.slots[index].handle.as_ref().ok_or(Status::BadHandle)
    }

    /// Takes the handle `value` names out of its slot; its waits are the caller's to cancel.
    pub(crate) fn remove(&mut self, value: HandleValue) -> ZxResult<Handle> {
        let index = self.locate(value)?;
        let slot = &mut self.slots[index];
        let handle = slot.handle.take().ok_or(Status::BadHandle)?;
        slot.generation = next_generation(slot.generation);
        self.free.push_back(index as u32);
        self.len -= 1;
        Ok(handle)
    }

    /// Stores `handle` and returns its value, or gives it back when the table is full.
    pub(crate) fn insert(&mut self, handle: Handle) -> Result<HandleValue, Handle> {
        self.insert_as(handle, false)
    }

    /// [`insert`](Self::insert), `pending` or not (see [`Pending`]).
    fn insert_as(&mut self, handle: Handle, pending: bool) -> Result<HandleValue, Handle> {
        let Some(index) = self.allocate() else {
            debug!("handle table full ({MAX_HANDLES_PER_PROCESS} handles)");
            return Err(handle);
        };
        let slot = &mut self.slots[index];
        slot.handle = Some(handle);
        slot.pending = pending;
        self.len += 1;
        Ok(self.codec.encode(index as u32, slot.generation))
    }

    /// The slot of the pending handle `value` will name, if it is still there (the table may
    /// have been emptied meanwhile, by the process's death).
    fn pending_slot(&mut self, value: HandleValue) -> Option<&mut Slot> {
        let (index, generation) = self.codec.decode(value)?;
        self.slots
            .get_mut(index as usize)
            .filter(|slot| slot.generation == generation && slot.pending && slot.handle.is_some())
    }

    /// Makes pending `value` name its handle.
    fn publish(&mut self, value: HandleValue) {
        if let Some(slot) = self.pending_slot(value) {
            slot.pending = false;
        }
    }

    /// Takes pending `value`'s handle out, unpublished; the caller closes it.
    fn take_pending(&mut self, value: HandleValue) -> Option<Handle> {
        let (index, _) = self.codec.decode(value)?;
        let slot = self.pending_slot(value)?;
        let handle = slot.handle.take();
        slot.pending = false;
        slot.generation = next_generation(slot.generation);
        self.free.push_back(index);
        self.len -= 1;
        handle
    }

    /// The slot index `value` names at its current generation, or `BAD_HANDLE`.
    fn locate(&self, value: HandleValue) -> ZxResult<usize> {
        let (index, generation) = self.codec.decode(value).ok_or(Status::BadHandle)?;
        let index = index as usize;
        match self.slots.get(index) {
            Some(slot)
                if slot.generation == generation && slot.handle.is_some() && !slot.pending =>
            {
                Ok(index)
            }
            _ => Err(Status::BadHandle),
        }
    }

    /// A free slot: the oldest freed one once enough are free, a new one otherwise.
    fn allocate(&mut self) -> Option<usize> {
        let can_grow = self.slots.len() < MAX_HANDLES_PER_PROCESS;
        if (self.free.len() > REUSE_DELAY || !can_grow)
            && let Some(index) = self.free.pop_front()
        {
            return Some(index as usize);
        }
        if !can_grow {
            return None;
        }
        self.slots.push(Slot {
            generation: 0,
            handle: None,
            pending: false,
        });
        Some(self.slots.len() - 1)
    }

    /// Empties the table, killing every value.
    fn take_all(&mut self) -> Vec<Handle> {
        let mut handles = Vec::with_capacity(self.len);
        for (index, slot) in self.slots.iter_mut().enumerate() {
            if let Some(handle) = slot.handle.take() {
                slot.pending = false;
                slot.generation = next_generation(slot.generation);
                self.free.push_back(index as u32);
                handles.push(handle);
            }
        }
        self.len = 0;
        handles
    }
}
