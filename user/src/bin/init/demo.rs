//! The demonstration a normal boot runs: a job tree of processes working at once, waiting on
//! each other's termination, and one killed by its job.
//!
//! ```text
//! root job
//! └── demo
//!     ├── workers: chain-0 .. chain-5, each counting primes, then waiting for the one before
//!     └── doomed:  spinner, spinning until `init` kills its job
//! ```
//!
//! The workers all compute at the same time, so the executors of every CPU have work; each
//! then waits for `ZX_PROCESS_TERMINATED` of the previous worker (a handle it received in its
//! startup message) before it exits, so they end in order. `init` waits for the last one,
//! reads every return code, kills the `doomed` job and shows the spinner's return code. Each
//! worker also says which CPUs it computed on (read with `rdtscp`, whose `IA32_TSC_AUX` the
//! kernel sets to the CPU's index), so the boot log shows the work spread over the machine.

use alloc::vec::Vec;
use user::{
    AsHandleRef, Boot, HandleBased, Job, Process, ProcessBuilder, Rights, Startup, Task, Time,
    ZxResult, println,
};

/// Workers in the chain.
const WORKERS: usize = 6;
/// Each worker counts the primes below this bound plus 10,000 times its index.
const PRIME_LIMIT: u64 = 40_000;

/// Runs the demonstration; returns `init`'s exit code.
pub fn run(boot: &Boot) -> i64 {
    match demonstrate(boot) {
        Ok(()) => {
            println!("demo: done");
            0
        }
        Err(status) => {
            println!("demo: failed: {status}");
            1
        }
    }
}

fn demonstrate(boot: &Boot) -> ZxResult {
    let program = boot.program("init").ok_or(user::Status::NotFound)?;
    let demo = boot.root_job.create_child()?;
    let result = run_tree(&demo, program);
    if result.is_err() {
        // Leave nothing running (the spinner would keep the machine on forever).
        let _ = demo.kill();
    }
    result
}

fn run_tree(demo: &Job, program: &user::Vmo) -> ZxResult {
    let (workers, doomed) = (demo.create_child()?, demo.create_child()?);

    let spinner = ProcessBuilder::new(&doomed, "spinner", program)
        .args(["init", "worker", "spin"])
        .spawn()?;
    println!(
        "demo: spinner started in job `doomed` (koid {})",
        doomed.koid()?
    );

    let mut chain: Vec<Process> = Vec::new();
    for index in 0..WORKERS {
        let limit = PRIME_LIMIT + 10_000 * index as u64;
        let (index_text, limit_text) = (alloc::format!("{index}"), alloc::format!("{limit}"));
        let mut builder = ProcessBuilder::new(&workers, &alloc::format!("chain-{index}"), program)
            .args(["init", "worker", "chain", &index_text, &limit_text]);
        if let Some(previous) = chain.last() {
            let rights = Rights::WAIT | Rights::INSPECT | Rights::TRANSFER;
            builder = builder.handle(previous.duplicate(rights)?);
        }
        chain.push(builder.spawn()?.process);
    }
    println!("demo: {WORKERS} workers started in job `workers`");

    let last = chain.last().expect("at least one worker");
    last.wait_terminated(Time::INFINITE)?;
    for (index, worker) in chain.iter().enumerate() {
        println!(
            "demo: chain-{index} ended with return code {}",
            worker.info()?.return_code
        );
    }

    doomed.kill()?;
    spinner.process.wait_terminated(Time::INFINITE)?;
    let code = spinner.process.info()?.return_code;
    println!("demo: killed job `doomed`; the spinner ended with return code {code}");
    show_tree(demo)
}

/// Prints what is left of the demo job tree.
fn show_tree(demo: &Job) -> ZxResult {
    let info = demo.info()?;
    println!(
        "demo: job `demo` has {} child jobs, exited = {}",
        demo.children()?.len(),
        info.exited
    );
    Ok(())
}

/// The worker side (`init worker ...`); returns the process's return code.
pub fn worker(mut startup: Startup) -> i64 {
    let args: Vec<&str> = startup.args.iter().map(|a| a.as_str()).collect();
    match args.as_slice() {
        [_, _, "spin"] => loop {
            core::hint::spin_loop();
        },
        [_, _, "chain", index, limit] => {
            let (Ok(index), Ok(limit)) = (index.parse::<u64>(), limit.parse::<u64>()) else {
                return super::EXIT_USAGE;
            };
            let mut cpus = CpuSet::default();
            let primes = count_primes(limit, &mut cpus);
            let previous = Process::from(startup.take_handle(0));
            if previous.is_valid_handle() {
                let _ = previous.wait_terminated(Time::INFINITE);
            }
            println!("demo: chain-{index}: {primes} primes below {limit}{cpus}");
            index as i64
        }
        _ => super::EXIT_USAGE,
    }
}

/// The number of primes below `limit`, by trial division: work that keeps a CPU busy. Notes
/// in `cpus` the CPU of every [`CPU_SAMPLE_PERIOD`]-th number.
fn count_primes(limit: u64, cpus: &mut CpuSet) -> u64 {
    (2..limit)
        .inspect(|&n| {
            if n % CPU_SAMPLE_PERIOD == 0 {
                cpus.note_current();
            }
        })
        .filter(|&n| (2..).take_while(|d| d * d <= n).all(|d| n % d != 0))
        .count() as u64
}

/// How often, in numbers tried, a worker notes the CPU it runs on.
const CPU_SAMPLE_PERIOD: u64 = 256;

/// The CPUs a worker was seen on (indices below 64); empty where the CPU has no `rdtscp`.
#[derive(Default)]
struct CpuSet(u64);

impl CpuSet {
    /// Notes the CPU this thread runs on now.
    fn note_current(&mut self) {
        if let Some((_, cpu)) = user::sys::tsc::read_with_cpu()
            && cpu < u64::BITS
        {
            self.0 |= 1 << cpu;
        }
    }
}

/// `", on CPUs 0 2 3"`, or nothing when no CPU was noted.
impl core::fmt::Display for CpuSet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.0 == 0 {
            return Ok(());
        }
        f.write_str(", on CPUs")?;
        for cpu in (0..u64::BITS).filter(|cpu| self.0 & (1 << cpu) != 0) {
            write!(f, " {cpu}")?;
        }
        Ok(())
    }
}
