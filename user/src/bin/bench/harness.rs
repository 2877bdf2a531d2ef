//! Running the cases: settings, warm-up, statistics and the result lines.
//!
//! Each case gets the number of iterations to run (warm-up first) and returns one sample per
//! iteration; the harness drops the warm-up samples, sorts the rest and prints the minimum, and
//! the median and 99th percentile by nearest rank, as the kernel's cases and the Linux guest do.
//!
//! Invariant: a result line is printed only for a case whose every iteration succeeded; a case
//! that fails prints `bench-error: <case>: <why>` instead, and `bench: done` is then never
//! printed, so the host sees the run as failed rather than reading a partial one as complete.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use user::{Job, Startup, Status, Vmo, println};

use crate::EXIT_FAILED;

/// Measured iterations per case unless `bench.iterations` says otherwise (the issue asks for at
/// least 1000).
const DEFAULT_ITERATIONS: usize = 1000;
/// The most warm-up iterations per case.
const MAX_WARM_UP: usize = 100;

/// What `bench run` is told, from the kernel command line's `bench.*` words.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `bench.iterations=N`: measured iterations per case.
    pub iterations: usize,
    /// `bench.cases=a,b`: run only these cases (all when absent).
    pub only: Option<Vec<String>>,
    /// `bench.cpus=N`: CPUs online, which the kernel adds when it starts `init`.
    pub cpus: usize,
}

impl Settings {
    /// Reads `key=value` words; unknown ones are ignored.
    fn parse(words: &[&str]) -> Settings {
        let value = |key: &str| {
            words
                .iter()
                .filter_map(|w| w.strip_prefix(key)?.strip_prefix('='))
                .next_back()
        };
        let number = |key: &str| value(key).and_then(|v| v.parse::<usize>().ok());
        Settings {
            iterations: number("bench.iterations")
                .filter(|&n| n > 0)
                .unwrap_or(DEFAULT_ITERATIONS),
            only: value("bench.cases").map(|list| list.split(',').map(String::from).collect()),
            cpus: number("bench.cpus").unwrap_or(1),
        }
    }

    /// Whether the settings ask for the case `name`.
    fn wants(&self, name: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|only| only.iter().any(|n| n == name))
    }
}

/// What the cases run with: the job and the programs `init` passed.
pub struct Context {
    /// A job the cases start their processes and jobs in.
    pub job: Job,
    /// This program's ELF, to start peers.
    pub program: Vmo,
    /// `exit0`'s ELF.
    pub exit0: Vmo,
    /// `waiter`'s ELF.
    pub waiter: Vmo,
    /// CPUs online.
    pub cpus: usize,
}

/// Indices of the handles `init` passes.
const HANDLE_JOB: usize = 0;
const HANDLE_PROGRAM: usize = 1;
const HANDLE_EXIT0: usize = 2;
const HANDLE_WAITER: usize = 3;

/// Why a case failed.
#[derive(Debug)]
pub struct Failure(pub String);

/// What a case returns: one sample per iteration, warm-up first.
pub type CaseResult = Result<Vec<u64>, Failure>;

/// Turns a status into a failure that names the step.
pub trait OrFail<T> {
    /// `Err(status)` becomes a failure "`what`: `status`".
    fn or_fail(self, what: &str) -> Result<T, Failure>;
}

impl<T> OrFail<T> for Result<T, Status> {
    fn or_fail(self, what: &str) -> Result<T, Failure> {
        self.map_err(|status| Failure(format!("{what}: {status}")))
    }
}

/// One case: its shared name, the CPUs it needs, and its body, which runs the given number of
/// iterations.
struct Case {
    name: &'static str,
    min_cpus: usize,
    run: fn(&Context, usize) -> CaseResult,
}

/// Every case, in the order of the report (`src/bench/results.rs`).
const CASES: [Case; 11] = [
    Case {
        name: "null_syscall",
        min_cpus: 1,
        run: crate::ipc::null_syscall,
    },
    Case {
        name: "event_switch_threads",
        min_cpus: 1,
        run: crate::ipc::event_switch_threads,
    },
    Case {
        name: "event_switch_processes",
        min_cpus: 1,
        run: crate::ipc::event_switch_processes,
    },
    Case {
        name: "object_wait_latency",
        min_cpus: 1,
        run: crate::ipc::object_wait_latency,
    },
    Case {
        name: "channel_roundtrip_64",
        min_cpus: 1,
        run: crate::ipc::channel_roundtrip_64,
    },
    Case {
        name: "port_queue_wait",
        min_cpus: 1,
        run: crate::ipc::port_queue_wait,
    },
    Case {
        name: "thread_lifecycle",
        min_cpus: 1,
        run: crate::tasks::thread_lifecycle,
    },
    Case {
        name: "process_lifecycle",
        min_cpus: 1,
        run: crate::tasks::process_lifecycle,
    },
    Case {
        name: "vmo_first_touch",
        min_cpus: 1,
        run: crate::memory::vmo_first_touch,
    },
    Case {
        name: "job_kill_10",
        min_cpus: 1,
        run: crate::tasks::job_kill_10,
    },
    Case {
        name: "pingpong_cross_cpu",
        min_cpus: 2,
        run: crate::cross_cpu::pingpong_cross_cpu,
    },
];

/// `bench run`: every case the settings and the machine allow, then `bench: done`.
pub fn run(words: &[&str], startup: &mut Startup) -> i64 {
    let settings = Settings::parse(words);
    let context = Context {
        job: startup.take_handle(HANDLE_JOB).into(),
        program: startup.take_handle(HANDLE_PROGRAM).into(),
        exit0: startup.take_handle(HANDLE_EXIT0).into(),
        waiter: startup.take_handle(HANDLE_WAITER).into(),
        cpus: settings.cpus,
    };
    let measured = settings.iterations;
    let warm_up = measured.min(MAX_WARM_UP);

    let mut failed = false;
    for case in CASES.iter() {
        if !settings.wants(case.name) || context.cpus < case.min_cpus {
            continue;
        }
        println!("bench: running {}", case.name);
        match (case.run)(&context, warm_up + measured) {
            Ok(samples) if samples.len() == warm_up + measured => {
                report(case.name, samples[warm_up..].to_vec())
            }
            Ok(samples) => {
                println!("bench-error: {}: {} samples", case.name, samples.len());
                failed = true;
            }
            Err(Failure(why)) => {
                println!("bench-error: {}: {why}", case.name);
                failed = true;
            }
        }
    }
    if failed {
        return EXIT_FAILED;
    }
    println!("bench: done");
    0
}

/// Prints one case's figures from its measured samples.
fn report(name: &str, mut samples: Vec<u64>) {
    samples.sort_unstable();
    let n = samples.len();
    let rank = |percent: usize| samples[(n * percent).div_ceil(100).max(1) - 1];
    println!(
        "bench: {name} n={n} min={} median={} p99={}",
        samples[0],
        rank(50),
        rank(99)
    );
}
