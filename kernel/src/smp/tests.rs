//! In-kernel tests of SMP bring-up and the TLB shoot-down.
//!
//! The host runner passes what it booted on the command line: `smp.expect=<CPUs>` and, for a
//! topology with holes in its APIC ids, `smp.apic_ids=<id>,<id>,...`.

use super::{CpuSet, apic_id, online_count, stacks, tlb_shootdown};
use crate::memory::{allocate_zeroed_frame, map_kernel_page, phys_to_virt, unmap_kernel_page};
use crate::sched::executor;
use crate::sched::tests::on_cpu;
use crate::{check_eq, kernel_test};
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicUsize, Ordering};
use x86_64::VirtAddr;
use x86_64::instructions::interrupts;
use x86_64::structures::paging::{Page, PageTableFlags};

kernel_test! {
    fn every_cpu_the_machine_has_is_online() -> TestResult {
        let mut ids: Vec<u32> = (0..online_count()).filter_map(apic_id).collect();
        ids.sort_unstable();
        let count = ids.len();
        ids.dedup();
        check_eq!(ids.len(), count);
        if let Some(expected) = crate::cmdline::get("smp.expect") {
            let expected: usize = expected.parse().map_err(|_| "bad smp.expect")?;
            check_eq!(online_count(), expected);
        }
        if let Some(expected) = crate::cmdline::get("smp.apic_ids") {
            let expected: Result<Vec<u32>, _> = expected.split(',').map(str::parse).collect();
            check_eq!(ids, expected.map_err(|_| "bad smp.apic_ids")?);
        }
        Ok(())
    }
}

/// Reads the first word of `page` on `cpu`.
async fn read_on(cpu: usize, page: VirtAddr) -> Result<u64, String> {
    let address = page.as_u64();
    on_cpu(cpu, || async move {
        // SAFETY: the test keeps the page mapped to a frame of its own while CPUs read it.
        unsafe { (address as *const u64).read_volatile() }
    })
    .await
}

kernel_test! {
    async fn a_shootdown_makes_every_cpu_see_the_new_mapping() -> TestResult {
        let top = stacks::allocate(4096).ok_or("no page for the test")?;
        let page = Page::containing_address(top - 4096u64);
        let address = page.start_address();
        // SAFETY: the page was just mapped for this test alone.
        unsafe { address.as_mut_ptr::<u64>().write_volatile(1) };
        for cpu in 0..online_count() {
            check_eq!(read_on(cpu, address).await?, 1);
        }

        // Point the page at another frame; only this CPU's TLB is flushed by the remap.
        let frame = allocate_zeroed_frame().ok_or("out of frames")?;
        // SAFETY: the frame was just allocated and is reached through the direct map.
        unsafe { phys_to_virt(frame.start_address()).as_mut_ptr::<u64>().write_volatile(2) };
        let flags = PageTableFlags::WRITABLE | PageTableFlags::NO_EXECUTE | PageTableFlags::GLOBAL;
        let old = unmap_kernel_page(page).ok_or("the page was not mapped")?;
        map_kernel_page(page, frame, flags).map_err(|e| format!("{e:?}"))?;
        tlb_shootdown(&CpuSet::all_online(), address..address + 4096u64);

        for cpu in 0..online_count() {
            check_eq!(read_on(cpu, address).await?, 2);
        }
        crate::memory::free_frame(old);
        Ok(())
    }
}

kernel_test! {
    async fn cpus_shooting_each_other_down_at_once_do_not_deadlock() -> TestResult {
        const TRIES: usize = 10;
        for _ in 0..TRIES {
            if shoot_down_from_every_cpu_at_once().await? {
                return Ok(());
            }
        }
        Err("could not get one task onto every CPU".into())
    }
}

/// Shoot-down rounds each participant makes with interrupts masked.
const ROUNDS: usize = 200;
/// How long participants may take to start on their CPUs.
const START_TIMEOUT_NS: i64 = 5_000_000_000;

/// What the participants of one attempt share.
struct Attempt {
    /// The CPU each participant started on (`usize::MAX` until it does).
    started_on: Vec<AtomicUsize>,
    /// 1: go, 2: abort (a participant was stolen onto a CPU that already had one).
    verdict: AtomicUsize,
}

const GO: usize = 1;
const ABORT: usize = 2;

/// One task per other CPU, each spinning (so its CPU cannot steal) until every one has started
/// on a CPU of its own; then all of them, and this task, shoot every CPU down at once with
/// interrupts masked. Returns false if the tasks did not land on distinct CPUs.
async fn shoot_down_from_every_cpu_at_once() -> Result<bool, String> {
    let me = crate::arch::x86_64::percpu::cpu_index();
    let others: Vec<usize> = (0..online_count()).filter(|&cpu| cpu != me).collect();
    let attempt = Arc::new(Attempt {
        started_on: others
            .iter()
            .map(|_| AtomicUsize::new(usize::MAX))
            .collect(),
        verdict: AtomicUsize::new(0),
    });
    let mut tasks = Vec::new();
    for (slot, &cpu) in others.iter().enumerate() {
        let attempt = attempt.clone();
        let task = executor().spawn_on(cpu, async move {
            let here = crate::arch::x86_64::percpu::cpu_index();
            attempt.started_on[slot].store(here, Ordering::Release);
            loop {
                match attempt.verdict.load(Ordering::Acquire) {
                    GO => break shoot_with_interrupts_masked(),
                    ABORT => break,
                    _ => core::hint::spin_loop(),
                }
            }
        });
        tasks.push(task.map_err(|e| format!("{e}"))?);
    }

    let give_up = crate::arch::x86_64::tsc::now() + START_TIMEOUT_NS;
    let all_started = || {
        attempt
            .started_on
            .iter()
            .all(|c| c.load(Ordering::Acquire) != usize::MAX)
    };
    while !all_started() && crate::arch::x86_64::tsc::now() < give_up {
        core::hint::spin_loop();
    }
    let mut cpus: Vec<usize> = attempt
        .started_on
        .iter()
        .map(|c| c.load(Ordering::Acquire))
        .collect();
    cpus.sort_unstable();
    let placed = all_started() && cpus == others;
    attempt
        .verdict
        .store(if placed { GO } else { ABORT }, Ordering::Release);
    if placed {
        shoot_with_interrupts_masked();
    }
    for task in tasks {
        task.await;
    }
    Ok(placed)
}

fn shoot_with_interrupts_masked() {
    let range = VirtAddr::new(0x1000)..VirtAddr::new(0x2000);
    interrupts::without_interrupts(|| {
        for _ in 0..ROUNDS {
            tlb_shootdown(&CpuSet::all_online(), range.clone());
        }
    });
}
