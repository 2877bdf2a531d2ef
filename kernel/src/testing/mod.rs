//! The in-kernel test harness of test builds (`--features qemu-test`).
//!
//! Test cases are registered with [`kernel_test!`] next to the code they test and collected into
//! one linker section, so adding a test needs no central list. A test is a plain function, or an
//! `async fn` for tests that need the executor (spawn tasks, sleep, wait for other CPUs). The
//! harness is itself the first task, spawned on the bootstrap CPU once every CPU is online and
//! the executor runs; it runs the tests in order, awaiting the async ones, and reports each over
//! the console in a line format the host runner parses:
//!
//! ```text
//! test: begin <count>
//! test: <name> ... ok
//! test: <name> ... FAILED: <reason>
//! test: end <passed> passed, <failed> failed
//! ```
//!
//! A test fails by returning `Err` (the `check!` macros do that); a panic or fatal exception
//! ends the run, and the runner counts every unreported test as failed. `test=<filter>` on the
//! command line runs only tests whose name contains the filter; `crash=<name>` runs one of the
//! deliberate crashes of [`crash`] instead, whose failure report the runner checks.

pub mod crash;

use alloc::boxed::Box;
use alloc::string::String;
use core::future::Future;
use core::pin::Pin;

/// What a test returns: `Err` carries the reason it failed.
pub type TestResult = Result<(), String>;

/// The future of an async test.
pub type TestFuture = Pin<Box<dyn Future<Output = TestResult> + Send>>;

/// How a test runs.
pub enum TestFn {
    /// A plain function, run inline.
    Sync(fn() -> TestResult),
    /// An `async fn`, awaited by the harness task.
    Async(fn() -> TestFuture),
}

/// A registered test case.
pub struct KernelTest {
    /// Full path of the test function, e.g. `kernel::memory::tests::heap_grows`.
    pub name: &'static str,
    /// The test itself.
    pub run: TestFn,
}

/// Every test case in the kernel.
#[linkme::distributed_slice]
pub static KERNEL_TESTS: [KernelTest];

/// Declares a kernel test: `kernel_test! { fn name() -> TestResult { ... } }`, or
/// `kernel_test! { async fn name() -> TestResult { ... } }` for a test that awaits.
#[macro_export]
macro_rules! kernel_test {
    ($(#[$meta:meta])* fn $name:ident() -> TestResult $body:block) => {
        $(#[$meta])*
        fn $name() -> $crate::testing::TestResult $body

        const _: () = {
            #[linkme::distributed_slice($crate::testing::KERNEL_TESTS)]
            static TEST: $crate::testing::KernelTest = $crate::testing::KernelTest {
                name: concat!(module_path!(), "::", stringify!($name)),
                run: $crate::testing::TestFn::Sync($name),
            };
        };
    };
    ($(#[$meta:meta])* async fn $name:ident() -> TestResult $body:block) => {
        $(#[$meta])*
        async fn $name() -> $crate::testing::TestResult $body

        const _: () = {
            fn boxed() -> $crate::testing::TestFuture {
                alloc::boxed::Box::pin($name())
            }

            #[linkme::distributed_slice($crate::testing::KERNEL_TESTS)]
            static TEST: $crate::testing::KernelTest = $crate::testing::KernelTest {
                name: concat!(module_path!(), "::", stringify!($name)),
                run: $crate::testing::TestFn::Async(boxed),
            };
        };
    };
}

/// Fails the test with a message and location unless `condition` holds.
#[macro_export]
macro_rules! check {
    ($condition:expr) => {
        $crate::check!($condition, "{}", stringify!($condition))
    };
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(alloc::format!("{} ({}:{})", format_args!($($message)+), file!(), line!()));
        }
    };
}

/// Fails the test unless the two values are equal, showing both.
#[macro_export]
macro_rules! check_eq {
    ($left:expr, $right:expr) => {{
        let (left, right) = (&$left, &$right);
        $crate::check!(
            left == right,
            "{} == {}: {:?} != {:?}",
            stringify!($left),
            stringify!($right),
            left,
            right
        );
    }};
}

/// Runs the selected tests (or the requested crash); returns whether every test passed.
pub async fn run() -> bool {
    if let Some(name) = crate::cmdline::get("crash") {
        crash::run(name).await;
    }
    let filter = crate::cmdline::get("test").unwrap_or("");
    let selected = || {
        KERNEL_TESTS
            .iter()
            .filter(|test| test.name.contains(filter))
    };

    crate::kprintln!("test: begin {}", selected().count());
    let mut failed = 0;
    for test in selected() {
        let name = test.name.strip_prefix("kernel::").unwrap_or(test.name);
        let result = match &test.run {
            TestFn::Sync(run) => run(),
            TestFn::Async(run) => run().await,
        };
        match result {
            Ok(()) => crate::kprintln!("test: {name} ... ok"),
            Err(reason) => {
                failed += 1;
                crate::kprintln!("test: {name} ... FAILED: {reason}");
            }
        }
    }
    let passed = selected().count() - failed;
    crate::kprintln!("test: end {passed} passed, {failed} failed");
    failed == 0
}
