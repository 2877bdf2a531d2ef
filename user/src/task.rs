//! Jobs, processes and threads (spec §2, §3, §11): the task tree.

use crate::channel::Channel;
use crate::handle::{AsHandleRef, Handle, handle_type};
use crate::info::{JobInfo, Koid, ProcessInfo, ThreadInfo, koids_from_bytes};
use crate::signals::Signals;
use crate::status::{Status, ZxResult};
use crate::sys;
use crate::time::Time;
use crate::vmar::Vmar;
use alloc::vec;
use alloc::vec::Vec;
use syscalls_abi::*;

handle_type!(
    /// A job: a node of the task tree that holds processes and child jobs.
    Job
);

handle_type!(
    /// A process.
    Process
);

handle_type!(
    /// A thread.
    Thread
);

/// Operations jobs, processes and threads share.
pub trait Task: AsHandleRef {
    /// Kills the task and everything under it (`zx_task_kill`).
    fn kill(&self) -> ZxResult {
        Status::ok(sys::task_kill(self.raw_handle()))
    }

    /// An exception channel of this task (`zx_task_create_exception_channel`); `options` 0 or
    /// `ZX_EXCEPTION_CHANNEL_DEBUGGER`.
    fn create_exception_channel(&self, options: u32) -> ZxResult<Channel> {
        let mut out = 0;
        Status::ok(sys::task_create_exception_channel(
            self.raw_handle(),
            options,
            &mut out,
        ))?;
        Ok(Handle::from_raw(out).into())
    }

    /// Waits for `ZX_TASK_TERMINATED`.
    fn wait_terminated(&self, deadline: Time) -> ZxResult {
        self.wait_one(Signals::TASK_TERMINATED, deadline)
            .map(|_| ())
    }
}

impl Task for Job {}
impl Task for Process {}
impl Task for Thread {}

/// Reads a list of koids (`ZX_INFO_*` topics whose records are koids).
fn koid_list(handle: &impl AsHandleRef, topic: u32) -> ZxResult<Vec<Koid>> {
    let mut capacity = 16;
    loop {
        let mut buffer = vec![0; capacity * 8];
        let (actual, avail) = handle.get_info(topic, &mut buffer)?;
        if actual == avail {
            return Ok(koids_from_bytes(&buffer, actual).collect());
        }
        capacity = avail;
    }
}

impl Job {
    /// A child job (`zx_job_create`).
    pub fn create_child(&self) -> ZxResult<Job> {
        let mut out = 0;
        Status::ok(sys::job_create(self.raw_handle(), 0, &mut out))?;
        Ok(Handle::from_raw(out).into())
    }

    /// A new, unstarted process in this job and its root VMAR (`zx_process_create`).
    pub fn create_process(&self, name: &str) -> ZxResult<(Process, Vmar)> {
        let (mut process, mut vmar) = (0, 0);
        let status = sys::process_create(
            self.raw_handle(),
            name.as_bytes(),
            0,
            &mut process,
            &mut vmar,
        );
        Status::ok(status)?;
        Ok((
            Handle::from_raw(process).into(),
            Handle::from_raw(vmar).into(),
        ))
    }

    /// Adds `ZX_JOB_POL_BASIC` entries, each `(condition, action)` (`zx_job_set_policy`).
    pub fn set_basic_policy(&self, options: u32, entries: &[(u32, u32)]) -> ZxResult {
        let words: Vec<u32> = entries.iter().flat_map(|&(c, a)| [c, a]).collect();
        let count = entries.len() as u32;
        let status =
            sys::job_set_policy(self.raw_handle(), options, ZX_JOB_POL_BASIC, &words, count);
        Status::ok(status)
    }

    /// Kills this job when `process` ends (`zx_job_set_critical`).
    pub fn set_critical(&self, options: u32, process: &Process) -> ZxResult {
        Status::ok(sys::job_set_critical(
            self.raw_handle(),
            options,
            process.raw_handle(),
        ))
    }

    /// `ZX_INFO_JOB`.
    pub fn info(&self) -> ZxResult<JobInfo> {
        let mut buffer = [0; JobInfo::SIZE];
        self.get_info(ZX_INFO_JOB, &mut buffer)?;
        Ok(JobInfo::from_bytes(&buffer))
    }

    /// The koids of the child jobs (`ZX_INFO_JOB_CHILDREN`).
    pub fn children(&self) -> ZxResult<Vec<Koid>> {
        koid_list(self, ZX_INFO_JOB_CHILDREN)
    }

    /// The koids of the processes (`ZX_INFO_JOB_PROCESSES`).
    pub fn processes(&self) -> ZxResult<Vec<Koid>> {
        koid_list(self, ZX_INFO_JOB_PROCESSES)
    }
}

impl Process {
    /// A new, unstarted thread (`zx_thread_create`).
    pub fn create_thread(&self, name: &str) -> ZxResult<Thread> {
        let mut out = 0;
        Status::ok(sys::thread_create(
            self.raw_handle(),
            name.as_bytes(),
            0,
            &mut out,
        ))?;
        Ok(Handle::from_raw(out).into())
    }

    /// Starts the process's first thread at `entry` with `rsp` = `stack`, `rdi` = the value
    /// `arg1` gets in the process, `rsi` = `arg2` (`zx_process_start`). `arg1` moves into the
    /// process, or is closed if the start fails.
    pub fn start(
        &self,
        thread: &Thread,
        entry: usize,
        stack: usize,
        arg1: Handle,
        arg2: usize,
    ) -> ZxResult {
        let status = sys::process_start(
            self.raw_handle(),
            thread.raw_handle(),
            entry,
            stack,
            arg1.into_raw(),
            arg2,
        );
        Status::ok(status)
    }

    /// Reads the target's memory at `address` (`zx_process_read_memory`); returns the bytes
    /// read.
    pub fn read_memory(&self, address: usize, buffer: &mut [u8]) -> ZxResult<usize> {
        let mut actual = 0;
        Status::ok(sys::process_read_memory(
            self.raw_handle(),
            address,
            buffer,
            &mut actual,
        ))?;
        Ok(actual)
    }

    /// Writes the target's memory at `address` (`zx_process_write_memory`); returns the
    /// bytes written. See `sys::process_write_memory` about aiming it at this process.
    pub fn write_memory(&self, address: usize, data: &[u8]) -> ZxResult<usize> {
        let mut actual = 0;
        Status::ok(sys::process_write_memory(
            self.raw_handle(),
            address,
            data,
            &mut actual,
        ))?;
        Ok(actual)
    }

    /// `ZX_INFO_PROCESS`.
    pub fn info(&self) -> ZxResult<ProcessInfo> {
        let mut buffer = [0; ProcessInfo::SIZE];
        self.get_info(ZX_INFO_PROCESS, &mut buffer)?;
        Ok(ProcessInfo::from_bytes(&buffer))
    }

    /// The koids of its threads (`ZX_INFO_PROCESS_THREADS`).
    pub fn threads(&self) -> ZxResult<Vec<Koid>> {
        koid_list(self, ZX_INFO_PROCESS_THREADS)
    }
}

impl Thread {
    /// Starts the thread at `entry` with `rsp` = `stack` and two arguments
    /// (`zx_thread_start`). For threads of this process running Rust code, use
    /// [`crate::thread::spawn`].
    pub fn start(&self, entry: usize, stack: usize, arg1: usize, arg2: usize) -> ZxResult {
        Status::ok(sys::thread_start(
            self.raw_handle(),
            entry,
            stack,
            arg1,
            arg2,
        ))
    }

    /// `ZX_INFO_THREAD`.
    pub fn info(&self) -> ZxResult<ThreadInfo> {
        let mut buffer = [0; ThreadInfo::SIZE];
        self.get_info(ZX_INFO_THREAD, &mut buffer)?;
        Ok(ThreadInfo::from_bytes(&buffer))
    }

    /// `ZX_INFO_THREAD_EXCEPTION_REPORT`: the exception the thread is stopped in.
    pub fn exception_report(&self) -> ZxResult<crate::info::ExceptionReport> {
        let mut buffer = [0; crate::info::ExceptionReport::SIZE];
        self.get_info(ZX_INFO_THREAD_EXCEPTION_REPORT, &mut buffer)?;
        Ok(crate::info::ExceptionReport::from_bytes(&buffer))
    }
}

/// Ends the calling process with `code` (`zx_process_exit`).
pub fn exit(code: i64) -> ! {
    sys::process_exit(code)
}
