//! The syscall layer's window on a process's memory.

use super::address_space;
use crate::arch::x86_64::usercopy::{copy_from_user, copy_to_user};
use alloc::sync::Arc;
use objects::vm::AddressSpace;
use syscalls::{BadUserAccess, UserMemory};

/// Copies to and from one address space. A syscall's future may resume on another CPU than the
/// one it started on, so every copy first makes sure the address space is the one loaded.
pub struct ProcessMemory<'a> {
    space: &'a Arc<AddressSpace>,
}

impl<'a> ProcessMemory<'a> {
    /// The memory of `space`.
    pub fn new(space: &'a Arc<AddressSpace>) -> Self {
        ProcessMemory { space }
    }
}

impl UserMemory for ProcessMemory<'_> {
    fn read(&self, address: u64, buf: &mut [u8]) -> Result<(), BadUserAccess> {
        address_space::activate(self.space);
        copy_from_user(buf, address).map_err(|_| BadUserAccess)
    }

    fn write(&self, address: u64, data: &[u8]) -> Result<(), BadUserAccess> {
        address_space::activate(self.space);
        copy_to_user(address, data).map_err(|_| BadUserAccess)
    }
}
