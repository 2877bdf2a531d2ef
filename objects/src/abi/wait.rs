//! Limits of the waiting syscalls (spec §0.5 and §14).

/// `ZX_WAIT_MANY_MAX_ITEMS`: the most items one `zx_object_wait_many` takes. The documents
/// disagree (8 or 64); spec §14.2 settles on the header's 64.
pub const ZX_WAIT_MANY_MAX_ITEMS: usize = 64;
