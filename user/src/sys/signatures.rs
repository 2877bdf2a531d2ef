//! What each syscall's arguments are: handles, pointers into the caller's memory, or plain
//! values. The doors that let programs pass arbitrary arguments
//! ([`syscall_lending`](super::syscall_lending), [`Sandbox`](super::sandbox::Sandbox)) check
//! each argument by its kind, so this table is part of their safety argument: it is written
//! from the syscalls' C signatures, in the order of `syscalls_abi::numbers`.

use syscalls_abi::numbers as nr;

/// What one argument of a syscall is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// A handle value (the kernel reads its low 32 bits).
    Handle,
    /// An address in this process that the kernel reads or writes.
    Pointer,
    /// Anything else: sizes, options, signals, deadlines, addresses in another address space
    /// or relative to a VMAR named by a handle argument.
    Value,
}

/// Each syscall's handle and pointer arguments, by position (from the C signatures in
/// `syscalls_abi::numbers`' order; every other argument is a value).
const SIGNATURES: [(u64, &[usize], &[usize]); 49] = [
    (nr::handle_close, &[0], &[]),
    (nr::handle_duplicate, &[0], &[2]),
    (nr::handle_replace, &[0], &[2]),
    (nr::object_wait_one, &[0], &[3]),
    (nr::object_wait_many, &[], &[0]),
    (nr::object_wait_async, &[0, 1], &[]),
    (nr::object_signal, &[0], &[]),
    (nr::object_signal_peer, &[0], &[]),
    (nr::object_get_info, &[0], &[2, 4, 5]),
    (nr::object_get_property, &[0], &[2]),
    (nr::object_set_property, &[0], &[2]),
    (nr::event_create, &[], &[1]),
    (nr::eventpair_create, &[], &[1, 2]),
    (nr::channel_create, &[], &[1, 2]),
    (nr::channel_read, &[0], &[2, 3, 6, 7]),
    (nr::channel_write, &[0], &[2, 4]),
    (nr::channel_call, &[0], &[3, 4, 5]),
    (nr::port_create, &[], &[1]),
    (nr::port_queue, &[0], &[1]),
    (nr::port_wait, &[0], &[2]),
    (nr::port_cancel, &[0, 1], &[]),
    (nr::vmo_create, &[], &[2]),
    (nr::vmo_read, &[0], &[1]),
    (nr::vmo_write, &[0], &[1]),
    (nr::vmo_get_size, &[0], &[1]),
    (nr::vmo_set_size, &[0], &[]),
    (nr::vmar_allocate, &[0], &[4, 5]),
    (nr::vmar_destroy, &[0], &[]),
    (nr::vmar_map, &[0, 3], &[6]),
    (nr::vmar_unmap, &[0], &[]),
    (nr::vmar_protect, &[0], &[]),
    (nr::process_create, &[0], &[1, 4, 5]),
    (nr::process_start, &[0, 1, 4], &[]),
    (nr::process_exit, &[], &[]),
    (nr::process_read_memory, &[0], &[2, 4]),
    (nr::process_write_memory, &[0], &[2, 4]),
    (nr::thread_create, &[0], &[1, 4]),
    (nr::thread_start, &[0], &[]),
    (nr::thread_exit, &[], &[]),
    (nr::job_create, &[0], &[2]),
    (nr::job_set_policy, &[0], &[3]),
    (nr::job_set_critical, &[0, 2], &[]),
    (nr::task_kill, &[0], &[]),
    (nr::task_create_exception_channel, &[0], &[2]),
    (nr::exception_get_thread, &[0], &[1]),
    (nr::exception_get_process, &[0], &[1]),
    (nr::nanosleep, &[], &[]),
    (nr::clock_get_monotonic, &[], &[]),
    (nr::debug_write, &[], &[0]),
];

/// The kind of argument `index` of syscall `number`; `None` for an unknown syscall.
pub fn arg_kind(number: u64, index: usize) -> Option<ArgKind> {
    let (_, handles, pointers) = SIGNATURES.iter().find(|(n, _, _)| *n == number)?;
    Some(if handles.contains(&index) {
        ArgKind::Handle
    } else if pointers.contains(&index) {
        ArgKind::Pointer
    } else {
        ArgKind::Value
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_syscall_has_a_signature() {
        for number in 0..=nr::debug_write {
            assert!(arg_kind(number, 0).is_some(), "{:?}", nr::name(number));
        }
        assert_eq!(arg_kind(nr::debug_write + 1, 0), None);
    }

    #[test]
    fn signatures_name_handles_and_pointers_where_the_syscalls_have_them() {
        assert_eq!(arg_kind(nr::channel_read, 0), Some(ArgKind::Handle));
        assert_eq!(arg_kind(nr::channel_read, 3), Some(ArgKind::Pointer));
        assert_eq!(arg_kind(nr::channel_read, 4), Some(ArgKind::Value));
        assert_eq!(arg_kind(nr::vmar_map, 3), Some(ArgKind::Handle));
        assert_eq!(arg_kind(nr::vmar_map, 2), Some(ArgKind::Value));
        assert_eq!(arg_kind(nr::process_start, 4), Some(ArgKind::Handle));
        assert_eq!(arg_kind(nr::process_read_memory, 1), Some(ArgKind::Value));
    }
}
