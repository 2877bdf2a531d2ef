//! The in-kernel test harness of test builds (`--features qemu-test`).
//!
//! Test cases are registered with [`kernel_test!`] next to the code they test and collected into
//! one linker section, so adding a test needs no central list. The harness runs them in order on
//! the bootstrap CPU and reports each over the console in a line format the host runner parses:
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

use alloc::string::String;

/// What a test returns: `Err` carries the reason it failed.
pub type TestResult = Result<(), String>;

/// A registered test case.
pub struct KernelTest {
    /// Full path of the test function, e.g. `kernel::memory::tests::heap_grows`.
    pub name: &'static str,
    /// The test itself.
    pub run: fn() -> TestResult,
}

/// Every test case in the kernel.
#[linkme::distributed_slice]
pub static KERNEL_TESTS: [KernelTest];

/// Declares a kernel test: `kernel_test! { fn name() -> TestResult { ... } }`.
#[macro_export]
macro_rules! kernel_test {
    ($(#[$meta:meta])* fn $name:ident() -> TestResult $body:block) => {
        $(#[$meta])*
        fn $name() -> $crate::testing::TestResult $body

        const _: () = {
            #[linkme::distributed_slice($crate::testing::KERNEL_TESTS)]
            static TEST: $crate::testing::KernelTest = $crate::testing::KernelTest {
                name: concat!(module_path!(), "::", stringify!($name)),
                run: $name,
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
pub fn run() -> bool {
    if let Some(name) = crate::cmdline::get("crash") {
        crash::run(name);
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
        match (test.run)() {
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
