//! `exit0`: the smallest program, which the benchmark's `process_lifecycle` case starts.
//!
//! Its first and only act is `zx_process_exit(0)`: no startup message is read and no heap is set
//! up, so starting it costs only what the process builder and the kernel do. It is the
//! counterpart of the Linux side's `exit0.c`, a static program that only calls `exit_group`.

#![no_std]
#![no_main]
#![deny(unsafe_code)]

user::bare_entry!(start);

fn start(_startup_channel: usize, _arg2: usize) -> ! {
    user::sys::process_exit(0)
}
