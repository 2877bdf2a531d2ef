//! One safe function per syscall of `syscalls_abi::numbers`, each a single `syscall`
//! instruction.
//!
//! Register convention (see `syscalls_abi::numbers`): the number in `rax`; arguments in `rdi`,
//! `rsi`, `rdx`, `r10`, `r8`, `r9`, `r12`, `r13`; the `syscall` instruction itself clobbers
//! `rcx` and `r11`; the `zx_status_t` comes back in `rax`, sign-extended. Every other register
//! is preserved by the kernel.
//!
//! Why these functions are safe: each pointer passed to the kernel is taken from a Rust
//! reference or slice, and the length passed with it is that slice's length. The kernel
//! validates every user pointer, copies only within the lengths given, and never keeps a
//! pointer past the syscall, so the worst a wrong argument can do is make the syscall fail.
//! Syscalls that change this process's own mappings (`vmar_unmap`, `vmar_protect`,
//! `vmar_destroy`, `vmar_map` with `ZX_VM_SPECIFIC_OVERWRITE`) can take memory away from under
//! Rust code; the library's own allocations (heap, stacks) live in regions it never passes to
//! them, and programs must not point them at memory they hold references into (the kernel then
//! kills the faulting process, it cannot reach another one).
//!
//! Status values are returned raw (`i32`); [`crate::Status`] gives them meaning.

use core::arch::asm;
use syscalls_abi::numbers as nr;

/// Declares `raw0` .. `raw8`: the `syscall` instruction with that many arguments.
macro_rules! raw_syscalls {
    ($($name:ident($($arg:ident => $reg:tt),*);)*) => {
        $(
            /// Issues syscall `number` with these arguments and returns `rax`.
            ///
            /// # Safety
            ///
            /// Every argument the kernel treats as a pointer must point to memory that the
            /// kernel may read or write for the syscall's whole length, as the syscall's
            /// document describes.
            #[inline(always)]
            // The syscall ABI passes up to eight arguments, one register each.
            #[allow(clippy::too_many_arguments)]
            pub(crate) unsafe fn $name(number: u64 $(, $arg: u64)*) -> i64 {
                let ret: i64;
                // SAFETY: `syscall` enters the kernel, which preserves every register but
                // `rax` (the result), `rcx` and `r11`; the memory it touches is the caller's
                // obligation (see `# Safety`).
                unsafe {
                    asm!(
                        "syscall",
                        inlateout("rax") number as i64 => ret,
                        $(in($reg) $arg,)*
                        lateout("rcx") _,
                        lateout("r11") _,
                        options(nostack),
                    );
                }
                ret
            }
        )*
    };
}

raw_syscalls! {
    raw0();
    raw1(a0 => "rdi");
    raw2(a0 => "rdi", a1 => "rsi");
    raw3(a0 => "rdi", a1 => "rsi", a2 => "rdx");
    raw4(a0 => "rdi", a1 => "rsi", a2 => "rdx", a3 => "r10");
    raw5(a0 => "rdi", a1 => "rsi", a2 => "rdx", a3 => "r10", a4 => "r8");
    raw6(a0 => "rdi", a1 => "rsi", a2 => "rdx", a3 => "r10", a4 => "r8", a5 => "r9");
    raw7(a0 => "rdi", a1 => "rsi", a2 => "rdx", a3 => "r10", a4 => "r8", a5 => "r9",
         a6 => "r12");
    raw8(a0 => "rdi", a1 => "rsi", a2 => "rdx", a3 => "r10", a4 => "r8", a5 => "r9",
         a6 => "r12", a7 => "r13");
}

/// A `zx_status_t` from `rax`: the kernel sign-extends the 32-bit status.
#[inline(always)]
fn status(rax: i64) -> i32 {
    rax as i32
}

/// A pointer argument for a shared reference.
#[inline(always)]
fn ptr<T: ?Sized>(value: &T) -> u64 {
    value as *const T as *const u8 as u64
}

/// A pointer argument for an exclusive reference.
#[inline(always)]
fn mut_ptr<T: ?Sized>(value: &mut T) -> u64 {
    value as *mut T as *mut u8 as u64
}

/// One entry of `zx_object_wait_many` (`zx_wait_item_t`).
pub use syscalls_abi::zx_wait_item_t as WaitItem;

/// `zx_handle_close`.
#[inline]
pub fn handle_close(handle: u32) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe { raw1(nr::handle_close, handle.into()) })
}

/// `zx_handle_duplicate`.
#[inline]
pub fn handle_duplicate(handle: u32, rights: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe {
        raw3(
            nr::handle_duplicate,
            handle.into(),
            rights.into(),
            mut_ptr(out),
        )
    })
}

/// `zx_handle_replace`.
#[inline]
pub fn handle_replace(handle: u32, rights: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe {
        raw3(
            nr::handle_replace,
            handle.into(),
            rights.into(),
            mut_ptr(out),
        )
    })
}

/// `zx_object_wait_one`.
#[inline]
pub fn object_wait_one(handle: u32, signals: u32, deadline: i64, observed: &mut u32) -> i32 {
    let (handle, signals, deadline) = (handle.into(), signals.into(), deadline as u64);
    // SAFETY: `observed` is one writable `u32`.
    status(unsafe {
        raw4(
            nr::object_wait_one,
            handle,
            signals,
            deadline,
            mut_ptr(observed),
        )
    })
}

/// `zx_object_wait_many`.
#[inline]
pub fn object_wait_many(items: &mut [WaitItem], deadline: i64) -> i32 {
    let (count, deadline) = (items.len() as u64, deadline as u64);
    // SAFETY: `items` is `count` writable `zx_wait_item_t`s.
    status(unsafe { raw3(nr::object_wait_many, mut_ptr(items), count, deadline) })
}

/// `zx_object_wait_async`.
#[inline]
pub fn object_wait_async(handle: u32, port: u32, key: u64, signals: u32, options: u32) -> i32 {
    let (handle, port, signals, options) =
        (handle.into(), port.into(), signals.into(), options.into());
    // SAFETY: no pointer arguments.
    status(unsafe { raw5(nr::object_wait_async, handle, port, key, signals, options) })
}

/// `zx_object_signal`.
#[inline]
pub fn object_signal(handle: u32, clear_mask: u32, set_mask: u32) -> i32 {
    let (handle, clear, set) = (handle.into(), clear_mask.into(), set_mask.into());
    // SAFETY: no pointer arguments.
    status(unsafe { raw3(nr::object_signal, handle, clear, set) })
}

/// `zx_object_signal_peer`.
#[inline]
pub fn object_signal_peer(handle: u32, clear_mask: u32, set_mask: u32) -> i32 {
    let (handle, clear, set) = (handle.into(), clear_mask.into(), set_mask.into());
    // SAFETY: no pointer arguments.
    status(unsafe { raw3(nr::object_signal_peer, handle, clear, set) })
}

/// `zx_object_get_info`: records into `buffer`, their counts into `actual` and `avail`.
#[inline]
pub fn object_get_info(
    handle: u32,
    topic: u32,
    buffer: &mut [u8],
    actual: &mut usize,
    avail: &mut usize,
) -> i32 {
    let (handle, topic, len) = (handle.into(), topic.into(), buffer.len() as u64);
    let (buffer, actual, avail) = (mut_ptr(buffer), mut_ptr(actual), mut_ptr(avail));
    // SAFETY: `buffer` is `len` writable bytes; `actual` and `avail` are writable `usize`s.
    status(unsafe {
        raw6(
            nr::object_get_info,
            handle,
            topic,
            buffer,
            len,
            actual,
            avail,
        )
    })
}

/// `zx_object_get_property`: the property's value into `value`.
#[inline]
pub fn object_get_property(handle: u32, property: u32, value: &mut [u8]) -> i32 {
    let (handle, property, len) = (handle.into(), property.into(), value.len() as u64);
    // SAFETY: `value` is `len` writable bytes.
    status(unsafe {
        raw4(
            nr::object_get_property,
            handle,
            property,
            mut_ptr(value),
            len,
        )
    })
}

/// `zx_object_set_property`.
#[inline]
pub fn object_set_property(handle: u32, property: u32, value: &[u8]) -> i32 {
    let (handle, property, len) = (handle.into(), property.into(), value.len() as u64);
    // SAFETY: `value` is `len` readable bytes.
    status(unsafe { raw4(nr::object_set_property, handle, property, ptr(value), len) })
}

/// `zx_event_create`.
#[inline]
pub fn event_create(options: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw2(nr::event_create, options.into(), mut_ptr(out)) })
}

/// `zx_eventpair_create`.
#[inline]
pub fn eventpair_create(options: u32, out0: &mut u32, out1: &mut u32) -> i32 {
    let (options, out0, out1) = (options.into(), mut_ptr(out0), mut_ptr(out1));
    // SAFETY: `out0` and `out1` are writable `u32`s.
    status(unsafe { raw3(nr::eventpair_create, options, out0, out1) })
}

/// `zx_channel_create`.
#[inline]
pub fn channel_create(options: u32, out0: &mut u32, out1: &mut u32) -> i32 {
    let (options, out0, out1) = (options.into(), mut_ptr(out0), mut_ptr(out1));
    // SAFETY: `out0` and `out1` are writable `u32`s.
    status(unsafe { raw3(nr::channel_create, options, out0, out1) })
}

/// `zx_channel_read`: the next message into `bytes` and `handles`.
#[inline]
pub fn channel_read(
    handle: u32,
    options: u32,
    bytes: &mut [u8],
    handles: &mut [u32],
    actual_bytes: &mut u32,
    actual_handles: &mut u32,
) -> i32 {
    let (handle, options) = (handle.into(), options.into());
    let (num_bytes, num_handles) = (bytes.len() as u64, handles.len() as u64);
    let (bytes, handles) = (mut_ptr(bytes), mut_ptr(handles));
    let (actual_bytes, actual_handles) = (mut_ptr(actual_bytes), mut_ptr(actual_handles));
    // SAFETY: `bytes` holds `num_bytes` writable bytes and `handles` `num_handles` writable
    // `u32`s; both actual counts are writable `u32`s.
    status(unsafe {
        raw8(
            nr::channel_read,
            handle,
            options,
            bytes,
            handles,
            num_bytes,
            num_handles,
            actual_bytes,
            actual_handles,
        )
    })
}

/// `zx_channel_write`: one message of `bytes` and `handles` (which the kernel consumes).
#[inline]
pub fn channel_write(handle: u32, options: u32, bytes: &[u8], handles: &[u32]) -> i32 {
    let (handle, options) = (handle.into(), options.into());
    let (num_bytes, num_handles) = (bytes.len() as u64, handles.len() as u64);
    // SAFETY: `bytes` holds `num_bytes` readable bytes and `handles` `num_handles` `u32`s.
    status(unsafe {
        raw6(
            nr::channel_write,
            handle,
            options,
            ptr(bytes),
            num_bytes,
            ptr(handles),
            num_handles,
        )
    })
}

/// `zx_channel_call_args_t`.
#[repr(C)]
struct ChannelCallArgs {
    wr_bytes: u64,
    wr_handles: u64,
    rd_bytes: u64,
    rd_handles: u64,
    wr_num_bytes: u32,
    wr_num_handles: u32,
    rd_num_bytes: u32,
    rd_num_handles: u32,
}

/// The buffers of one `zx_channel_call`.
#[derive(Debug)]
pub struct CallBuffers<'a> {
    /// The request's bytes.
    pub write_bytes: &'a [u8],
    /// The request's handles (consumed by the kernel).
    pub write_handles: &'a [u32],
    /// Room for the reply's bytes.
    pub read_bytes: &'a mut [u8],
    /// Room for the reply's handles.
    pub read_handles: &'a mut [u32],
}

/// `zx_channel_call`: writes a request, waits for the reply with the same transaction id.
#[inline]
pub fn channel_call(
    handle: u32,
    options: u32,
    deadline: i64,
    buffers: CallBuffers<'_>,
    actual_bytes: &mut u32,
    actual_handles: &mut u32,
) -> i32 {
    let args = ChannelCallArgs {
        wr_num_bytes: buffers.write_bytes.len() as u32,
        wr_num_handles: buffers.write_handles.len() as u32,
        rd_num_bytes: buffers.read_bytes.len() as u32,
        rd_num_handles: buffers.read_handles.len() as u32,
        wr_bytes: ptr(buffers.write_bytes),
        wr_handles: ptr(buffers.write_handles),
        rd_bytes: mut_ptr(buffers.read_bytes),
        rd_handles: mut_ptr(buffers.read_handles),
    };
    let (handle, options, deadline) = (handle.into(), options.into(), deadline as u64);
    let (actual_bytes, actual_handles) = (mut_ptr(actual_bytes), mut_ptr(actual_handles));
    // SAFETY: `args` describes four live buffers with their exact lengths, borrowed for the
    // whole call; both actual counts are writable `u32`s.
    status(unsafe {
        raw6(
            nr::channel_call,
            handle,
            options,
            deadline,
            ptr(&args),
            actual_bytes,
            actual_handles,
        )
    })
}

/// `zx_port_create`.
#[inline]
pub fn port_create(options: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw2(nr::port_create, options.into(), mut_ptr(out)) })
}

/// `zx_port_queue`: `packet` is a `zx_port_packet_t`.
#[inline]
pub fn port_queue(handle: u32, packet: &[u8; 48]) -> i32 {
    // SAFETY: `packet` is a readable `zx_port_packet_t` (48 bytes).
    status(unsafe { raw2(nr::port_queue, handle.into(), ptr(packet)) })
}

/// `zx_port_wait`: the next packet into `packet`.
#[inline]
pub fn port_wait(handle: u32, deadline: i64, packet: &mut [u8; 48]) -> i32 {
    let (handle, deadline) = (handle.into(), deadline as u64);
    // SAFETY: `packet` is a writable `zx_port_packet_t` (48 bytes).
    status(unsafe { raw3(nr::port_wait, handle, deadline, mut_ptr(packet)) })
}

/// `zx_port_cancel`.
#[inline]
pub fn port_cancel(handle: u32, source: u32, key: u64) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe { raw3(nr::port_cancel, handle.into(), source.into(), key) })
}

/// `zx_vmo_create`.
#[inline]
pub fn vmo_create(size: u64, options: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw3(nr::vmo_create, size, options.into(), mut_ptr(out)) })
}

/// `zx_vmo_read`: `buffer.len()` bytes from `offset`.
#[inline]
pub fn vmo_read(handle: u32, buffer: &mut [u8], offset: u64) -> i32 {
    let (handle, len) = (handle.into(), buffer.len() as u64);
    // SAFETY: `buffer` is `len` writable bytes.
    status(unsafe { raw4(nr::vmo_read, handle, mut_ptr(buffer), offset, len) })
}

/// `zx_vmo_write`: `buffer` at `offset`.
#[inline]
pub fn vmo_write(handle: u32, buffer: &[u8], offset: u64) -> i32 {
    let (handle, len) = (handle.into(), buffer.len() as u64);
    // SAFETY: `buffer` is `len` readable bytes.
    status(unsafe { raw4(nr::vmo_write, handle, ptr(buffer), offset, len) })
}

/// `zx_vmo_get_size`.
#[inline]
pub fn vmo_get_size(handle: u32, size: &mut u64) -> i32 {
    // SAFETY: `size` is one writable `u64`.
    status(unsafe { raw2(nr::vmo_get_size, handle.into(), mut_ptr(size)) })
}

/// `zx_vmo_set_size`.
#[inline]
pub fn vmo_set_size(handle: u32, size: u64) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe { raw2(nr::vmo_set_size, handle.into(), size) })
}

/// `zx_vmar_allocate`.
#[inline]
pub fn vmar_allocate(
    parent: u32,
    options: u32,
    offset: usize,
    size: usize,
    child: &mut u32,
    child_addr: &mut usize,
) -> i32 {
    let (parent, options, offset, size) =
        (parent.into(), options.into(), offset as u64, size as u64);
    let (child, child_addr) = (mut_ptr(child), mut_ptr(child_addr));
    // SAFETY: `child` is a writable `u32` and `child_addr` a writable `usize`.
    status(unsafe {
        raw6(
            nr::vmar_allocate,
            parent,
            options,
            offset,
            size,
            child,
            child_addr,
        )
    })
}

/// `zx_vmar_destroy`.
#[inline]
pub fn vmar_destroy(handle: u32) -> i32 {
    // SAFETY: no pointer arguments (see the module doc on changing this process's mappings).
    status(unsafe { raw1(nr::vmar_destroy, handle.into()) })
}

/// `zx_vmar_map`.
#[inline]
pub fn vmar_map(
    handle: u32,
    options: u32,
    vmar_offset: usize,
    vmo: u32,
    vmo_offset: u64,
    len: usize,
    mapped_addr: &mut usize,
) -> i32 {
    let (handle, options, vmar_offset) = (handle.into(), options.into(), vmar_offset as u64);
    let (vmo, len, mapped_addr) = (vmo.into(), len as u64, mut_ptr(mapped_addr));
    // SAFETY: `mapped_addr` is a writable `usize` (see the module doc on overwriting
    // mappings).
    status(unsafe {
        raw7(
            nr::vmar_map,
            handle,
            options,
            vmar_offset,
            vmo,
            vmo_offset,
            len,
            mapped_addr,
        )
    })
}

/// `zx_vmar_unmap`.
#[inline]
pub fn vmar_unmap(handle: u32, addr: usize, len: usize) -> i32 {
    // SAFETY: no pointer arguments for the kernel to follow (see the module doc on unmapping).
    status(unsafe { raw3(nr::vmar_unmap, handle.into(), addr as u64, len as u64) })
}

/// `zx_vmar_protect`.
#[inline]
pub fn vmar_protect(handle: u32, options: u32, addr: usize, len: usize) -> i32 {
    let (handle, options, addr, len) = (handle.into(), options.into(), addr as u64, len as u64);
    // SAFETY: no pointer arguments for the kernel to follow (see the module doc on changing
    // protections).
    status(unsafe { raw4(nr::vmar_protect, handle, options, addr, len) })
}

/// `zx_process_create`.
#[inline]
pub fn process_create(
    job: u32,
    name: &[u8],
    options: u32,
    proc_handle: &mut u32,
    vmar_handle: &mut u32,
) -> i32 {
    let (job, name_len, options) = (job.into(), name.len() as u64, options.into());
    let (proc_handle, vmar_handle) = (mut_ptr(proc_handle), mut_ptr(vmar_handle));
    // SAFETY: `name` is `name_len` readable bytes; both outputs are writable `u32`s.
    status(unsafe {
        raw6(
            nr::process_create,
            job,
            ptr(name),
            name_len,
            options,
            proc_handle,
            vmar_handle,
        )
    })
}

/// `zx_process_start`: `arg1` is a handle moved into the new process (consumed either way).
#[inline]
pub fn process_start(
    process: u32,
    thread: u32,
    entry: usize,
    stack: usize,
    arg1: u32,
    arg2: usize,
) -> i32 {
    let (process, thread, entry, stack) =
        (process.into(), thread.into(), entry as u64, stack as u64);
    // SAFETY: no pointers into this process: `entry` and `stack` are addresses in the new
    // process.
    status(unsafe {
        raw6(
            nr::process_start,
            process,
            thread,
            entry,
            stack,
            arg1.into(),
            arg2 as u64,
        )
    })
}

/// `zx_process_exit`: ends the calling process with `retcode`.
#[inline]
pub fn process_exit(retcode: i64) -> ! {
    // SAFETY: no pointer arguments; the syscall does not return.
    unsafe { raw1(nr::process_exit, retcode as u64) };
    unreachable!("zx_process_exit returned")
}

/// `zx_process_read_memory`: from `vaddr` in the target into `buffer`.
#[inline]
pub fn process_read_memory(
    handle: u32,
    vaddr: usize,
    buffer: &mut [u8],
    actual: &mut usize,
) -> i32 {
    let (handle, vaddr, len) = (handle.into(), vaddr as u64, buffer.len() as u64);
    let (buffer, actual) = (mut_ptr(buffer), mut_ptr(actual));
    // SAFETY: `buffer` is `len` writable bytes of this process; `actual` a writable `usize`.
    status(unsafe { raw5(nr::process_read_memory, handle, vaddr, buffer, len, actual) })
}

/// `zx_process_write_memory`: `buffer` to `vaddr` in the target.
///
/// Aimed at this process itself it can change memory behind Rust's back; the conformance
/// suite aims it only at other processes and at pages no Rust value lives in.
#[inline]
pub fn process_write_memory(handle: u32, vaddr: usize, buffer: &[u8], actual: &mut usize) -> i32 {
    let (handle, vaddr, len) = (handle.into(), vaddr as u64, buffer.len() as u64);
    let (buffer, actual) = (ptr(buffer), mut_ptr(actual));
    // SAFETY: `buffer` is `len` readable bytes; `actual` a writable `usize`.
    status(unsafe { raw5(nr::process_write_memory, handle, vaddr, buffer, len, actual) })
}

/// `zx_thread_create`.
#[inline]
pub fn thread_create(process: u32, name: &[u8], options: u32, out: &mut u32) -> i32 {
    let (process, name_len, options) = (process.into(), name.len() as u64, options.into());
    // SAFETY: `name` is `name_len` readable bytes; `out` a writable `u32`.
    status(unsafe {
        raw5(
            nr::thread_create,
            process,
            ptr(name),
            name_len,
            options,
            mut_ptr(out),
        )
    })
}

/// `zx_thread_start`.
#[inline]
pub fn thread_start(handle: u32, entry: usize, stack: usize, arg1: usize, arg2: usize) -> i32 {
    let (handle, entry, stack) = (handle.into(), entry as u64, stack as u64);
    // SAFETY: no pointers the kernel follows; what the new thread does with `entry`, `stack`
    // and its arguments is the starter's contract (see `runtime`).
    status(unsafe {
        raw5(
            nr::thread_start,
            handle,
            entry,
            stack,
            arg1 as u64,
            arg2 as u64,
        )
    })
}

/// `zx_thread_exit`: ends the calling thread.
///
/// Crate-private: a thread that leaves without unwinding must own nothing that others borrow,
/// which only the library's thread entry can promise.
#[inline]
pub(crate) fn thread_exit() -> ! {
    // SAFETY: no pointer arguments; the syscall does not return.
    unsafe { raw0(nr::thread_exit) };
    unreachable!("zx_thread_exit returned")
}

/// `zx_job_create`.
#[inline]
pub fn job_create(parent: u32, options: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw3(nr::job_create, parent.into(), options.into(), mut_ptr(out)) })
}

/// `zx_job_set_policy`: `count` records of `topic` read from `policy`.
///
/// The kernel reads at most `policy.len()` bytes; a `count` whose records need more is
/// refused by the kernel's own bound on the copy (it reads only this process's memory).
#[inline]
pub fn job_set_policy(handle: u32, options: u32, topic: u32, policy: &[u32], count: u32) -> i32 {
    let (handle, options, topic) = (handle.into(), options.into(), topic.into());
    let count = count.min(policy.len() as u32 / 2);
    // SAFETY: `policy` holds at least `count` `zx_policy_basic_t` records (two `u32`s each),
    // readable for the call.
    status(unsafe {
        raw5(
            nr::job_set_policy,
            handle,
            options,
            topic,
            ptr(policy),
            count.into(),
        )
    })
}

/// `zx_job_set_critical`.
#[inline]
pub fn job_set_critical(job: u32, options: u32, process: u32) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe {
        raw3(
            nr::job_set_critical,
            job.into(),
            options.into(),
            process.into(),
        )
    })
}

/// `zx_task_kill`.
#[inline]
pub fn task_kill(handle: u32) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe { raw1(nr::task_kill, handle.into()) })
}

/// `zx_task_create_exception_channel`.
#[inline]
pub fn task_create_exception_channel(handle: u32, options: u32, out: &mut u32) -> i32 {
    let (handle, options, out) = (handle.into(), options.into(), mut_ptr(out));
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw3(nr::task_create_exception_channel, handle, options, out) })
}

/// `zx_exception_get_thread`.
#[inline]
pub fn exception_get_thread(handle: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw2(nr::exception_get_thread, handle.into(), mut_ptr(out)) })
}

/// `zx_exception_get_process`.
#[inline]
pub fn exception_get_process(handle: u32, out: &mut u32) -> i32 {
    // SAFETY: `out` is one writable `u32`.
    status(unsafe { raw2(nr::exception_get_process, handle.into(), mut_ptr(out)) })
}

/// `zx_nanosleep`: sleeps until `deadline` (monotonic nanoseconds).
#[inline]
pub fn nanosleep(deadline: i64) -> i32 {
    // SAFETY: no pointer arguments.
    status(unsafe { raw1(nr::nanosleep, deadline as u64) })
}

/// `zx_clock_get_monotonic`: nanoseconds since boot, returned in `rax` as Zircon's
/// `zx_time_t zx_clock_get_monotonic(void)` returns it.
#[inline]
pub fn clock_get_monotonic() -> i64 {
    // SAFETY: no arguments.
    unsafe { raw0(nr::clock_get_monotonic) }
}

/// `zx_debug_write`: `bytes` to the kernel console.
#[inline]
pub fn debug_write(bytes: &[u8]) -> i32 {
    // SAFETY: `bytes` is `bytes.len()` readable bytes.
    status(unsafe { raw2(nr::debug_write, ptr(bytes), bytes.len() as u64) })
}

/// Why [`syscall_inert`] refused to issue a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotInert {
    /// The syscall ends the calling thread without unwinding.
    ExitsThread,
    /// This argument could address user memory.
    UserAddress(usize),
    /// This argument's low 32 bits name a handle the process holds.
    LiveHandle(usize),
}

/// Issues any syscall with arguments that cannot reach this process's memory or objects: the
/// garbage-syscall fuzzer's door.
///
/// Every argument must lie outside the user address range `[USER_BASE, USER_END)` (so as a
/// pointer it names nothing this process could have mapped), and its low 32 bits must not be a
/// handle this process holds. `zx_thread_exit` is refused. Returns `rax` as the kernel left it.
pub fn syscall_inert(number: u64, args: [u64; 8]) -> Result<i64, NotInert> {
    if number == nr::thread_exit {
        return Err(NotInert::ExitsThread);
    }
    let user = crate::vm::USER_BASE as u64..crate::vm::USER_END as u64;
    for (i, &arg) in args.iter().enumerate() {
        if user.contains(&arg) {
            return Err(NotInert::UserAddress(i));
        }
        if crate::handle::is_live_handle_value(arg as u32) {
            return Err(NotInert::LiveHandle(i));
        }
    }
    let [a0, a1, a2, a3, a4, a5, a6, a7] = args;
    // SAFETY: no argument can address memory of this process (checked above), and none names
    // one of its handles, so the kernel can only fail the call, create objects, or end the
    // process (memory-safe in every case).
    Ok(unsafe { raw8(number, a0, a1, a2, a3, a4, a5, a6, a7) })
}
