//! What every case is written with: the case table entry, the failure type with its checking
//! macros, and the context (report channel, the case's job, this program's ELF for helpers).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;
use user::sys::{self, Outs};
use user::{
    Channel, Handle, Job, ProcessBuilder, Spawned, Startup, Status, Thread, Time, Vmo, ZxResult,
};

/// One conformance case.
pub struct Case {
    /// Its name: the behaviour it checks.
    pub name: &'static str,
    /// The return code its process must end with (0, or the code of an expected kill).
    pub expect: i64,
    /// The check.
    pub run: fn(&Context) -> Outcome,
}

/// A case's result.
pub type Outcome = Result<(), Fail>;

/// Why a case failed, in words.
#[derive(Debug)]
pub struct Fail(pub String);

impl From<Status> for Fail {
    #[track_caller]
    fn from(status: Status) -> Fail {
        let at = core::panic::Location::caller();
        Fail(format!(
            "{}:{}: unexpected {}",
            at.file(),
            at.line(),
            status
        ))
    }
}

/// A case that must end with `zx_process_exit(0)`.
pub const fn case(name: &'static str, run: fn(&Context) -> Outcome) -> Case {
    Case {
        name,
        expect: 0,
        run,
    }
}

/// A case whose process must end with return code `expect` (a deliberate kill).
pub const fn killed_case(name: &'static str, expect: i64, run: fn(&Context) -> Outcome) -> Case {
    Case { name, expect, run }
}

/// Fails the case unless `$cond` holds.
macro_rules! ensure {
    ($cond:expr) => {
        $crate::harness::ensure!($cond, "{}", stringify!($cond))
    };
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err($crate::harness::Fail(alloc::format!(
                "{}:{}: {}", file!(), line!(), alloc::format!($($fmt)+)
            )));
        }
    };
}
pub(crate) use ensure;

/// Fails the case unless the two values are equal.
macro_rules! ensure_eq {
    ($left:expr, $right:expr) => {
        // `match` keeps the temporaries of both expressions alive for the comparison.
        match (&$left, &$right) {
            (left, right) => {
                $crate::harness::ensure!(
                    left == right,
                    "{} == {}: {:?} != {:?}",
                    stringify!($left),
                    stringify!($right),
                    left,
                    right
                );
            }
        }
    };
}
pub(crate) use ensure_eq;

/// Fails the case unless `$result` is `Err(Status::$status)`.
macro_rules! ensure_err {
    ($result:expr, $status:ident) => {{
        let raw = user::status::raw_status(&$result);
        $crate::harness::ensure!(
            raw == user::Status::$status.into_raw(),
            "{}: expected {}, got {}",
            stringify!($result),
            user::Status::$status,
            $crate::harness::status_name(raw)
        );
    }};
}
pub(crate) use ensure_err;

/// Fails the case unless raw status `$raw` is `ZX_OK` (`Ok`) or `Status::$status`.
macro_rules! ensure_raw {
    ($raw:expr, Ok) => {{
        let raw: i32 = $raw;
        $crate::harness::ensure!(
            raw == 0,
            "{}: expected ZX_OK, got {}",
            stringify!($raw),
            $crate::harness::status_name(raw)
        );
    }};
    ($raw:expr, $status:ident) => {{
        let raw: i32 = $raw;
        $crate::harness::ensure!(
            raw == user::Status::$status.into_raw(),
            "{}: expected {}, got {}",
            stringify!($raw),
            user::Status::$status,
            $crate::harness::status_name(raw)
        );
    }};
}
pub(crate) use ensure_raw;

/// A raw status in words (`ZX_OK` included).
pub fn status_name(raw: i32) -> String {
    match Status::ok(raw) {
        Ok(()) => String::from("ZX_OK"),
        Err(status) => format!("{status}"),
    }
}

/// A deadline far enough for anything a case waits for.
pub fn long() -> Time {
    Time::after(Duration::from_secs(10))
}

/// A deadline for waits that must time out.
pub fn short() -> Time {
    Time::after(Duration::from_millis(20))
}

/// An address in the kernel half ([`user::vm::KERNEL_ADDRESS`]) as a syscall argument: no user
/// pointer may name it, so syscalls given it as a buffer fail with `INVALID_ARGS`.
pub const KERNEL_ADDRESS: u64 = user::vm::KERNEL_ADDRESS as u64;

/// Issues `number` with `args` through [`sys::syscall_lending`], lending the handle `lent`;
/// returns the raw status.
pub fn lending(number: u64, args: [u64; 8], lent: u32, outs: &mut Outs) -> Result<i32, Fail> {
    let raw = sys::syscall_lending(number, args, lent, outs)
        .map_err(|why| Fail(format!("arguments refused: {why:?}")))?;
    sign_extended(raw)
}

/// Issues `number` with `args` through [`sys::syscall_inert`]; returns the raw status.
pub fn inert(number: u64, args: [u64; 8]) -> Result<i32, Fail> {
    let raw = sys::syscall_inert(number, args)
        .map_err(|why| Fail(format!("arguments refused: {why:?}")))?;
    sign_extended(raw)
}

/// The status in `rax` as a syscall left it, which must be a sign-extended `zx_status_t`.
fn sign_extended(rax: i64) -> Result<i32, Fail> {
    i32::try_from(rax).map_err(|_| Fail(format!("rax {rax:#x} is not a sign-extended status")))
}

/// What a case runs with.
pub struct Context {
    /// Where the failure reason goes.
    pub report: Channel,
    /// The job the case runs in.
    pub job: Job,
    /// This program's ELF file, to start helpers.
    pub program: Vmo,
}

impl Context {
    /// The context from the handles `init` passes: report channel, job, program VMO.
    pub fn from_startup(startup: &mut Startup) -> Context {
        Context {
            report: startup.take_handle(0).into(),
            job: startup.take_handle(1).into(),
            program: startup.take_handle(2).into(),
        }
    }

    /// Sends the failure reason to `init`.
    pub fn fail(&self, reason: &str) {
        let _ = self.report.write(reason.as_bytes(), Vec::new());
    }

    /// A new job under the case's job.
    pub fn sub_job(&self) -> ZxResult<Job> {
        self.job.create_child()
    }

    /// Starts helper `role` (see `helpers`) in `job` with `args` and `handles`.
    pub fn helper(
        &self,
        job: &Job,
        role: &str,
        args: &[&str],
        handles: Vec<Handle>,
    ) -> ZxResult<Spawned> {
        let mut builder = ProcessBuilder::new(job, role, &self.program)
            .args(["conformance", "helper", role])
            .args(args.iter().copied());
        for handle in handles {
            builder = builder.handle(handle);
        }
        builder.spawn()
    }

    /// Starts helper `role` in the case's job with a control channel as its first handle;
    /// returns the helper and the case's end of that channel.
    pub fn helper_with_channel(&self, role: &str, args: &[&str]) -> ZxResult<(Spawned, Channel)> {
        let (ours, theirs) = Channel::create()?;
        let spawned = self.helper(&self.job, role, args, alloc::vec![theirs.into()])?;
        Ok((spawned, ours))
    }

    /// The same in `job`.
    pub fn helper_in(&self, job: &Job, role: &str, args: &[&str]) -> ZxResult<(Spawned, Channel)> {
        let (ours, theirs) = Channel::create()?;
        let spawned = self.helper(job, role, args, alloc::vec![theirs.into()])?;
        Ok((spawned, ours))
    }
}

/// Polls `condition` every millisecond until it holds or [`long`] passes.
pub fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = long();
    while Time::now() < deadline {
        if condition() {
            return true;
        }
        let _ = user::time::sleep(Duration::from_millis(1));
    }
    condition()
}

/// Whether `thread` is in `state` (a `ZX_THREAD_STATE_*`) now.
pub fn is_in_state(thread: &Thread, state: u32) -> bool {
    thread.info().is_ok_and(|info| info.state == state)
}

/// Whether `thread` is in `state` (a `ZX_THREAD_STATE_*`) within [`long`], polled by
/// [`eventually`].
pub fn reaches_state(thread: &Thread, state: u32) -> bool {
    eventually(|| is_in_state(thread, state))
}
