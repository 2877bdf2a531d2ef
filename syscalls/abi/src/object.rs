//! Handle values, koids, object types and names (`zircon/types.h`, spec §0.5 and §1.2).

use super::types::{zx_handle_t, zx_koid_t, zx_obj_props_t, zx_obj_type_t, zx_rights_t};
use super::wire::wire_struct;

/// Names no handle; closing it is allowed and does nothing.
pub const ZX_HANDLE_INVALID: zx_handle_t = 0;
/// The bits set in every valid handle value.
pub const ZX_HANDLE_FIXED_BITS_MASK: u32 = 0x3;

/// No object.
pub const ZX_KOID_INVALID: zx_koid_t = 0;
/// The kernel itself.
pub const ZX_KOID_KERNEL: zx_koid_t = 1;
/// The first koid handed to an object.
pub const ZX_KOID_FIRST: zx_koid_t = 1024;

/// Object names hold at most 31 bytes and a NUL; longer names are truncated.
pub const ZX_MAX_NAME_LEN: usize = 32;

/// No type.
pub const ZX_OBJ_TYPE_NONE: zx_obj_type_t = 0;
/// A process.
pub const ZX_OBJ_TYPE_PROCESS: zx_obj_type_t = 1;
/// A thread.
pub const ZX_OBJ_TYPE_THREAD: zx_obj_type_t = 2;
/// A virtual memory object.
pub const ZX_OBJ_TYPE_VMO: zx_obj_type_t = 3;
/// A channel endpoint.
pub const ZX_OBJ_TYPE_CHANNEL: zx_obj_type_t = 4;
/// An event.
pub const ZX_OBJ_TYPE_EVENT: zx_obj_type_t = 5;
/// A port.
pub const ZX_OBJ_TYPE_PORT: zx_obj_type_t = 6;
/// An interrupt.
pub const ZX_OBJ_TYPE_INTERRUPT: zx_obj_type_t = 9;
/// The kernel log.
pub const ZX_OBJ_TYPE_LOG: zx_obj_type_t = 12;
/// A socket.
pub const ZX_OBJ_TYPE_SOCKET: zx_obj_type_t = 14;
/// A resource.
pub const ZX_OBJ_TYPE_RESOURCE: zx_obj_type_t = 15;
/// An event pair end.
pub const ZX_OBJ_TYPE_EVENTPAIR: zx_obj_type_t = 16;
/// A job.
pub const ZX_OBJ_TYPE_JOB: zx_obj_type_t = 17;
/// A virtual memory address region.
pub const ZX_OBJ_TYPE_VMAR: zx_obj_type_t = 18;
/// A FIFO.
pub const ZX_OBJ_TYPE_FIFO: zx_obj_type_t = 19;
/// A timer.
pub const ZX_OBJ_TYPE_TIMER: zx_obj_type_t = 22;
/// A suspend token.
pub const ZX_OBJ_TYPE_SUSPEND_TOKEN: zx_obj_type_t = 27;
/// An exception.
pub const ZX_OBJ_TYPE_EXCEPTION: zx_obj_type_t = 29;
/// A clock.
pub const ZX_OBJ_TYPE_CLOCK: zx_obj_type_t = 30;

/// `zx_info_handle_basic_t.props`: the object cannot be waited on.
pub const ZX_OBJ_PROP_NONE: zx_obj_props_t = 0;
/// `zx_info_handle_basic_t.props`: the object can be waited on.
pub const ZX_OBJ_PROP_WAITABLE: zx_obj_props_t = 1;

wire_struct! {
    /// A handle a channel read delivered, with its type and rights (`zx_channel_read_etc`).
    pub struct zx_handle_info_t {
        /// The handle's value in the reader's table.
        pub handle: zx_handle_t,
        /// The object's type.
        pub r#type: zx_obj_type_t,
        /// The handle's rights.
        pub rights: zx_rights_t,
        /// Zero.
        pub unused: u32,
    }
}
