//! Syscall numbers.
//!
//! Zircon reaches the kernel through its vDSO, so its raw numbers are not an ABI; Spinel's user
//! library calls `syscall` directly with these. The number goes in `rax`; arguments in `rdi`,
//! `rsi`, `rdx`, `r10`, `r8`, `r9`, `r12`, `r13` (`rcx` and `r11` are taken by the `syscall`
//! instruction itself), in the order of the syscall's C signature in Zircon's documentation
//! (`zx_channel_read`'s eight arguments fill all eight). A 32-bit argument is read from the low
//! half of its register. The `zx_status_t` result comes back in `rax`, sign-extended; the one
//! exception is `zx_clock_get_monotonic`, which returns the `zx_time_t` itself, as in Zircon.
//! `zx_process_exit` and `zx_thread_exit` do not return.

/// Declares the syscall numbers and the table of their names, written once.
macro_rules! syscall_numbers {
    ($($name:ident = $value:literal,)*) => {
        $(
            #[doc = concat!("`zx_", stringify!($name), "`.")]
            #[allow(non_upper_case_globals)]
            pub const $name: u64 = $value;
        )*

        /// The name of syscall `number`, for logs.
        pub fn name(number: u64) -> Option<&'static str> {
            match number {
                $($value => Some(stringify!($name)),)*
                _ => None,
            }
        }
    };
}

syscall_numbers! {
    handle_close = 0,
    handle_duplicate = 1,
    handle_replace = 2,
    object_wait_one = 3,
    object_wait_many = 4,
    object_wait_async = 5,
    object_signal = 6,
    object_signal_peer = 7,
    object_get_info = 8,
    object_get_property = 9,
    object_set_property = 10,
    event_create = 11,
    eventpair_create = 12,
    channel_create = 13,
    channel_read = 14,
    channel_write = 15,
    channel_call = 16,
    port_create = 17,
    port_queue = 18,
    port_wait = 19,
    port_cancel = 20,
    vmo_create = 21,
    vmo_read = 22,
    vmo_write = 23,
    vmo_get_size = 24,
    vmo_set_size = 25,
    vmar_allocate = 26,
    vmar_destroy = 27,
    vmar_map = 28,
    vmar_unmap = 29,
    vmar_protect = 30,
    process_create = 31,
    process_start = 32,
    process_exit = 33,
    process_read_memory = 34,
    process_write_memory = 35,
    thread_create = 36,
    thread_start = 37,
    thread_exit = 38,
    job_create = 39,
    job_set_policy = 40,
    job_set_critical = 41,
    task_kill = 42,
    task_create_exception_channel = 43,
    exception_get_thread = 44,
    exception_get_process = 45,
    nanosleep = 46,
    clock_get_monotonic = 47,
    debug_write = 48,
}
