//! Waiting on several objects (`zircon/types.h`, spec §5.2 and ruling 14.2).

use super::types::{zx_handle_t, zx_signals_t};
use super::wire::wire_struct;

/// The most items one `zx_object_wait_many` takes (ruling 14.2: the header's value).
pub const ZX_WAIT_MANY_MAX_ITEMS: usize = 64;

wire_struct! {
    /// One object of a `zx_object_wait_many`.
    pub struct zx_wait_item_t {
        /// The handle to wait on.
        pub handle: zx_handle_t,
        /// The signals that end the wait.
        pub waitfor: zx_signals_t,
        /// Written by the kernel: the object's signals when the wait ended.
        pub pending: zx_signals_t,
    }
}
