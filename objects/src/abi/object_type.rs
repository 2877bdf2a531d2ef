//! Object types (`zx_obj_type_t`), with Zircon's values (`types.h`), taken from the
//! `ZX_OBJ_TYPE_*` constants of the ABI crate.

use syscalls_abi::*;

/// The type of a kernel object, as `ZX_INFO_HANDLE_BASIC` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ObjectType {
    #[doc(alias = "ZX_OBJ_TYPE_NONE")]
    None = ZX_OBJ_TYPE_NONE,
    #[doc(alias = "ZX_OBJ_TYPE_PROCESS")]
    Process = ZX_OBJ_TYPE_PROCESS,
    #[doc(alias = "ZX_OBJ_TYPE_THREAD")]
    Thread = ZX_OBJ_TYPE_THREAD,
    #[doc(alias = "ZX_OBJ_TYPE_VMO")]
    Vmo = ZX_OBJ_TYPE_VMO,
    #[doc(alias = "ZX_OBJ_TYPE_CHANNEL")]
    Channel = ZX_OBJ_TYPE_CHANNEL,
    #[doc(alias = "ZX_OBJ_TYPE_EVENT")]
    Event = ZX_OBJ_TYPE_EVENT,
    #[doc(alias = "ZX_OBJ_TYPE_PORT")]
    Port = ZX_OBJ_TYPE_PORT,
    #[doc(alias = "ZX_OBJ_TYPE_INTERRUPT")]
    Interrupt = ZX_OBJ_TYPE_INTERRUPT,
    #[doc(alias = "ZX_OBJ_TYPE_LOG")]
    Log = ZX_OBJ_TYPE_LOG,
    #[doc(alias = "ZX_OBJ_TYPE_SOCKET")]
    Socket = ZX_OBJ_TYPE_SOCKET,
    #[doc(alias = "ZX_OBJ_TYPE_RESOURCE")]
    Resource = ZX_OBJ_TYPE_RESOURCE,
    #[doc(alias = "ZX_OBJ_TYPE_EVENTPAIR")]
    EventPair = ZX_OBJ_TYPE_EVENTPAIR,
    #[doc(alias = "ZX_OBJ_TYPE_JOB")]
    Job = ZX_OBJ_TYPE_JOB,
    #[doc(alias = "ZX_OBJ_TYPE_VMAR")]
    Vmar = ZX_OBJ_TYPE_VMAR,
    #[doc(alias = "ZX_OBJ_TYPE_FIFO")]
    Fifo = ZX_OBJ_TYPE_FIFO,
    #[doc(alias = "ZX_OBJ_TYPE_TIMER")]
    Timer = ZX_OBJ_TYPE_TIMER,
    #[doc(alias = "ZX_OBJ_TYPE_SUSPEND_TOKEN")]
    SuspendToken = ZX_OBJ_TYPE_SUSPEND_TOKEN,
    #[doc(alias = "ZX_OBJ_TYPE_EXCEPTION")]
    Exception = ZX_OBJ_TYPE_EXCEPTION,
    #[doc(alias = "ZX_OBJ_TYPE_CLOCK")]
    Clock = ZX_OBJ_TYPE_CLOCK,
}
