//! The dispatch table: from a syscall number and its raw arguments to the family that runs it.

use crate::abi::numbers;
use crate::context::SyscallContext;
use objects::Status;

/// Runs syscall `number` with `args` (in register order); resolves to the `zx_status_t` that
/// goes back in `rax`.
pub async fn dispatch(context: &SyscallContext<'_>, number: u64, args: [u64; 8]) -> i64 {
    let _ = (context, args);
    let status = match numbers::name(number) {
        Some(_) => Status::NotSupported,
        None => Status::BadSyscall,
    };
    status.into_raw() as i64
}
