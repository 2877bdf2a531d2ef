//! Handle rights (`zircon/rights.h`, spec §0.4 and §1.1).

use super::types::zx_rights_t;

/// No right.
pub const ZX_RIGHT_NONE: zx_rights_t = 0;
/// `zx_handle_duplicate`.
pub const ZX_RIGHT_DUPLICATE: zx_rights_t = 1 << 0;
/// Sending through a channel (and `arg1` of `zx_process_start`).
pub const ZX_RIGHT_TRANSFER: zx_rights_t = 1 << 1;
/// Reading data; mapping readable.
pub const ZX_RIGHT_READ: zx_rights_t = 1 << 2;
/// Writing data; mapping writable.
pub const ZX_RIGHT_WRITE: zx_rights_t = 1 << 3;
/// Mapping executable.
pub const ZX_RIGHT_EXECUTE: zx_rights_t = 1 << 4;
/// Mapping a VMO.
pub const ZX_RIGHT_MAP: zx_rights_t = 1 << 5;
/// `zx_object_get_property`.
pub const ZX_RIGHT_GET_PROPERTY: zx_rights_t = 1 << 6;
/// `zx_object_set_property`.
pub const ZX_RIGHT_SET_PROPERTY: zx_rights_t = 1 << 7;
/// Listing children through `zx_object_get_info`.
pub const ZX_RIGHT_ENUMERATE: zx_rights_t = 1 << 8;
/// `zx_task_kill`.
pub const ZX_RIGHT_DESTROY: zx_rights_t = 1 << 9;
/// Setting a job's policy.
pub const ZX_RIGHT_SET_POLICY: zx_rights_t = 1 << 10;
/// Reading a job's policy.
pub const ZX_RIGHT_GET_POLICY: zx_rights_t = 1 << 11;
/// `zx_object_signal`.
pub const ZX_RIGHT_SIGNAL: zx_rights_t = 1 << 12;
/// `zx_object_signal_peer`.
pub const ZX_RIGHT_SIGNAL_PEER: zx_rights_t = 1 << 13;
/// Waiting on the object.
pub const ZX_RIGHT_WAIT: zx_rights_t = 1 << 14;
/// `zx_object_get_info`.
pub const ZX_RIGHT_INSPECT: zx_rights_t = 1 << 15;
/// Creating child jobs (ruling 14.1).
pub const ZX_RIGHT_MANAGE_JOB: zx_rights_t = 1 << 16;
/// Creating processes in a job, threads in a process (ruling 14.1).
pub const ZX_RIGHT_MANAGE_PROCESS: zx_rights_t = 1 << 17;
/// Starting and controlling threads (ruling 14.1).
pub const ZX_RIGHT_MANAGE_THREAD: zx_rights_t = 1 << 18;
/// Applying a profile.
pub const ZX_RIGHT_APPLY_PROFILE: zx_rights_t = 1 << 19;
/// A request value for duplicate and replace meaning "the rights the handle has"; not a
/// right.
pub const ZX_RIGHT_SAME_RIGHTS: zx_rights_t = 1 << 31;

/// `ZX_RIGHTS_BASIC`: what almost every handle carries.
pub const ZX_RIGHTS_BASIC: zx_rights_t =
    ZX_RIGHT_TRANSFER | ZX_RIGHT_DUPLICATE | ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT;
/// `ZX_RIGHTS_IO`.
pub const ZX_RIGHTS_IO: zx_rights_t = ZX_RIGHT_READ | ZX_RIGHT_WRITE;
/// `ZX_RIGHTS_PROPERTY`.
pub const ZX_RIGHTS_PROPERTY: zx_rights_t = ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;
/// `ZX_RIGHTS_POLICY`.
pub const ZX_RIGHTS_POLICY: zx_rights_t = ZX_RIGHT_GET_POLICY | ZX_RIGHT_SET_POLICY;

/// A channel endpoint's rights: channels cannot be duplicated.
pub const ZX_DEFAULT_CHANNEL_RIGHTS: zx_rights_t =
    (ZX_RIGHTS_BASIC & !ZX_RIGHT_DUPLICATE) | ZX_RIGHTS_IO | ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER;
/// An event's rights.
pub const ZX_DEFAULT_EVENT_RIGHTS: zx_rights_t = ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL;
/// Each event pair end's rights.
pub const ZX_DEFAULT_EVENTPAIR_RIGHTS: zx_rights_t =
    ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER;
/// A job's rights.
pub const ZX_DEFAULT_JOB_RIGHTS: zx_rights_t = ZX_RIGHTS_BASIC
    | ZX_RIGHTS_IO
    | ZX_RIGHTS_PROPERTY
    | ZX_RIGHTS_POLICY
    | ZX_RIGHT_ENUMERATE
    | ZX_RIGHT_DESTROY
    | ZX_RIGHT_SIGNAL
    | ZX_RIGHT_MANAGE_JOB
    | ZX_RIGHT_MANAGE_PROCESS
    | ZX_RIGHT_MANAGE_THREAD;
/// A process's rights.
pub const ZX_DEFAULT_PROCESS_RIGHTS: zx_rights_t = ZX_RIGHTS_BASIC
    | ZX_RIGHTS_IO
    | ZX_RIGHTS_PROPERTY
    | ZX_RIGHT_ENUMERATE
    | ZX_RIGHT_DESTROY
    | ZX_RIGHT_SIGNAL
    | ZX_RIGHT_MANAGE_PROCESS
    | ZX_RIGHT_MANAGE_THREAD;
/// A thread's rights.
pub const ZX_DEFAULT_THREAD_RIGHTS: zx_rights_t = ZX_RIGHTS_BASIC
    | ZX_RIGHTS_IO
    | ZX_RIGHTS_PROPERTY
    | ZX_RIGHT_DESTROY
    | ZX_RIGHT_SIGNAL
    | ZX_RIGHT_MANAGE_THREAD;
/// A port's rights: ports cannot be waited on.
pub const ZX_DEFAULT_PORT_RIGHTS: zx_rights_t = (ZX_RIGHTS_BASIC & !ZX_RIGHT_WAIT) | ZX_RIGHTS_IO;
/// A VMAR's rights before its `CAN_MAP_*` options add `READ`, `WRITE` and `EXECUTE`.
pub const ZX_DEFAULT_VMAR_RIGHTS: zx_rights_t = ZX_RIGHTS_BASIC & !ZX_RIGHT_WAIT;
/// A VMO's rights (`EXECUTE` is never a default).
pub const ZX_DEFAULT_VMO_RIGHTS: zx_rights_t =
    ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHTS_PROPERTY | ZX_RIGHT_MAP | ZX_RIGHT_SIGNAL;
/// An exception's rights: exception handles cannot be duplicated.
pub const ZX_DEFAULT_EXCEPTION_RIGHTS: zx_rights_t =
    ZX_RIGHT_TRANSFER | ZX_RIGHTS_PROPERTY | ZX_RIGHT_INSPECT;
/// The rights of the read-only channel end `zx_task_create_exception_channel` returns
/// (spec §3.11).
pub const ZX_EXCEPTION_CHANNEL_RIGHTS: zx_rights_t =
    ZX_RIGHT_TRANSFER | ZX_RIGHT_WAIT | ZX_RIGHT_READ;
