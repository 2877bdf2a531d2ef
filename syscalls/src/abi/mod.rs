//! The ABI shared by the kernel and user space: syscall numbers and the C-layout structures of
//! Zircon's headers. Status codes, rights and signals are the `objects` crate's (re-exported by
//! the kernel build); user space carries their raw values in its own library.

pub mod bootstrap;
pub mod numbers;
