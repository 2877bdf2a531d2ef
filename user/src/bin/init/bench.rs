//! Benchmark mode (`spinel.mode=bench`): starts the `bench` program and waits for it.
//!
//! The kernel's benchmark build starts `init` in this mode once its in-kernel cases are done.
//! `bench` runs as `bench run <words>`, where the words are the command line's `bench.*`
//! settings, in a job of its own under the root job, with four handles: that job, and the ELF
//! VMOs of `bench`, `exit0` and `waiter` (the programs its cases start).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use user::{Boot, HandleBased, ProcessBuilder, Rights, Status, Task, Time, Vmo, println};

/// The benchmark program and the programs it starts, in the order their VMOs are passed.
const PROGRAMS: [&str; 3] = ["bench", "exit0", "waiter"];

/// Runs the benchmark; returns `bench`'s return code (1 if it could not start).
pub fn run(boot: &Boot) -> i64 {
    match start_and_wait(boot) {
        Ok(0) => 0,
        Ok(code) => {
            println!("init: bench ended with return code {code}");
            code
        }
        Err(why) => {
            println!("init: could not run bench: {why}");
            1
        }
    }
}

fn start_and_wait(boot: &Boot) -> Result<i64, String> {
    let mut vmos: Vec<&Vmo> = Vec::with_capacity(PROGRAMS.len());
    for name in PROGRAMS {
        let vmo = boot
            .program(name)
            .ok_or(format!("no `{name}` program in the boot image"))?;
        vmos.push(vmo);
    }
    let job = boot.root_job.create_child().map_err(step("job_create"))?;

    let mut args = Vec::from(["bench", "run"]);
    args.extend(
        boot.cmdline
            .split_whitespace()
            .filter(|word| word.starts_with("bench.")),
    );
    let mut builder = ProcessBuilder::new(&job, "bench", vmos[0])
        .args(args)
        .handle(
            job.duplicate(Rights::SAME_RIGHTS)
                .map_err(step("handle_duplicate"))?,
        );
    for vmo in vmos {
        let copy = vmo.duplicate(Rights::SAME_RIGHTS);
        builder = builder.handle(copy.map_err(step("handle_duplicate"))?);
    }
    let spawned = builder.spawn().map_err(step("spawn"))?;
    spawned
        .process
        .wait_terminated(Time::INFINITE)
        .map_err(step("object_wait_one"))?;
    let code = spawned
        .process
        .info()
        .map_err(step("process info"))?
        .return_code;
    // Whatever the benchmark left behind dies with its job.
    let _ = job.kill();
    Ok(code)
}

/// Describes a failed step.
fn step(what: &'static str) -> impl Fn(Status) -> String {
    move |status| format!("{what}: {status}")
}
