//! Zircon's scalar types (`zircon/types.h`), under their C names.

/// A status: `ZX_OK` or a negative `ZX_ERR_*`.
pub type zx_status_t = i32;
/// A handle value, meaningful only in the process that holds it.
pub type zx_handle_t = u32;
/// A set of `ZX_RIGHT_*` bits.
pub type zx_rights_t = u32;
/// A set of signal bits.
pub type zx_signals_t = u32;
/// A kernel object id.
pub type zx_koid_t = u64;
/// A point on a clock, in nanoseconds.
pub type zx_time_t = i64;
/// A span of time, in nanoseconds.
pub type zx_duration_t = i64;
/// A `ZX_OBJ_TYPE_*` value.
pub type zx_obj_type_t = u32;
/// A set of `ZX_OBJ_PROP_*` bits.
pub type zx_obj_props_t = u32;
/// A set of `ZX_VM_*` option bits.
pub type zx_vm_option_t = u32;
/// A virtual address.
pub type zx_vaddr_t = usize;
/// An offset into a VMO.
pub type zx_off_t = u64;
/// A `ZX_EXCP_*` exception type.
pub type zx_excp_type_t = u32;
/// A `ZX_INFO_*` topic.
pub type zx_object_info_topic_t = u32;
/// A `ZX_CLOCK_*` clock id.
pub type zx_clock_t = u32;
/// A channel transaction id (the first four bytes of a `zx_channel_call` message).
pub type zx_txid_t = u32;
