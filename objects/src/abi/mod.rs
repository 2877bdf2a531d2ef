//! Zircon's ABI vocabulary: status codes, rights, signals, koids and object types, with the
//! exact numeric values user space sees.

mod koid;
mod object_type;
mod rights;
mod signals;
mod status;

pub use koid::{Koid, ZX_KOID_FIRST, ZX_KOID_INVALID, ZX_KOID_KERNEL, new_koid};
pub use object_type::{ObjectType, ZX_OBJ_PROP_NONE, ZX_OBJ_PROP_WAITABLE};
pub use rights::{Rights, ZX_RIGHT_SAME_RIGHTS};
pub use signals::Signals;
pub use status::{Status, ZX_OK, ZxResult, status_of};
