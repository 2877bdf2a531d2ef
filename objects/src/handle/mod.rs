//! Handles and per-process handle tables (spec §1.2 and §6).
//!
//! A [`Handle`] is an object reference with rights; dropping it closes it. A [`HandleTable`]
//! maps a process's handle values to its handles and implements close, duplicate and replace.

mod reference;
mod table;
mod value;

pub use reference::{Handle, HandleId};
pub(crate) use table::TableInner;
pub use table::{HandleTable, MAX_HANDLES_PER_PROCESS, MAX_PENDING, Pending};

#[cfg(test)]
mod pending_tests;
#[cfg(test)]
mod tests;
