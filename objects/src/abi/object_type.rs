//! Object types (`zx_obj_type_t`), with Zircon's values (`types.h`).

/// The type of a kernel object, as `ZX_INFO_HANDLE_BASIC` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ObjectType {
    #[doc(alias = "ZX_OBJ_TYPE_NONE")]
    None = 0,
    #[doc(alias = "ZX_OBJ_TYPE_PROCESS")]
    Process = 1,
    #[doc(alias = "ZX_OBJ_TYPE_THREAD")]
    Thread = 2,
    #[doc(alias = "ZX_OBJ_TYPE_VMO")]
    Vmo = 3,
    #[doc(alias = "ZX_OBJ_TYPE_CHANNEL")]
    Channel = 4,
    #[doc(alias = "ZX_OBJ_TYPE_EVENT")]
    Event = 5,
    #[doc(alias = "ZX_OBJ_TYPE_PORT")]
    Port = 6,
    #[doc(alias = "ZX_OBJ_TYPE_INTERRUPT")]
    Interrupt = 9,
    #[doc(alias = "ZX_OBJ_TYPE_LOG")]
    Log = 12,
    #[doc(alias = "ZX_OBJ_TYPE_SOCKET")]
    Socket = 14,
    #[doc(alias = "ZX_OBJ_TYPE_RESOURCE")]
    Resource = 15,
    #[doc(alias = "ZX_OBJ_TYPE_EVENTPAIR")]
    EventPair = 16,
    #[doc(alias = "ZX_OBJ_TYPE_JOB")]
    Job = 17,
    #[doc(alias = "ZX_OBJ_TYPE_VMAR")]
    Vmar = 18,
    #[doc(alias = "ZX_OBJ_TYPE_FIFO")]
    Fifo = 19,
    #[doc(alias = "ZX_OBJ_TYPE_TIMER")]
    Timer = 22,
    #[doc(alias = "ZX_OBJ_TYPE_SUSPEND_TOKEN")]
    SuspendToken = 27,
    #[doc(alias = "ZX_OBJ_TYPE_EXCEPTION")]
    Exception = 29,
    #[doc(alias = "ZX_OBJ_TYPE_CLOCK")]
    Clock = 30,
}

/// `ZX_OBJ_PROP_NONE`: the object cannot be waited on.
pub const ZX_OBJ_PROP_NONE: u32 = 0;
/// `ZX_OBJ_PROP_WAITABLE`: the object can be waited on.
pub const ZX_OBJ_PROP_WAITABLE: u32 = 1;
