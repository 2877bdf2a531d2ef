/*
 * bench.h: what every case of the Linux side of Spinel's benchmark shares.
 *
 * The benchmark runs inside a Linux guest under QEMU TCG with `-icount shift=0`, where the guest
 * time-stamp counter advances by exactly one for each executed instruction. A figure is
 * therefore the difference of two `rdtsc` reads: the number of guest instructions between them,
 * on every CPU that ran in between (one CPU in icount mode). Nothing here converts to time.
 *
 * Each case fills an array of per-iteration samples; the harness (harness.c) discards the warm-up
 * samples at the front and prints the rest as one line in the format shared with Spinel:
 *
 *     bench: <case> n=<iterations> min=<u64> median=<u64> p99=<u64>
 *
 * with the median and the 99th percentile taken by nearest rank on the sorted samples.
 */
#ifndef SPINEL_LINUX_BENCH_H
#define SPINEL_LINUX_BENCH_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Samples measured per case after the warm-up (the issue asks for at least 1000). */
#define BENCH_ITERATIONS 1000
/* Samples taken and thrown away first, so caches of the kernel (slabs, stacks) are warm. */
#define BENCH_WARMUP 100

/* The smallest program to spawn (see exit0.c); it sits in the benchmark's own directory. */
#define BENCH_EXIT0_NAME "exit0"

/*
 * Reads the time-stamp counter. Under `-icount shift=0` it is the guest instruction count.
 * The "memory" clobber keeps the compiler from moving loads and stores across the read, so a
 * span holds exactly the code written between its two reads.
 */
static inline uint64_t bench_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* One case: fills `count` samples (warm-up first), one per iteration. */
typedef void (*bench_fn)(uint64_t *samples, size_t count);

struct bench_case {
    const char *name;
    bench_fn run;
};

/* Cases run on one CPU under icount (cases_ipc.c, cases_tasks.c, cases_memory.c). */
void bench_null_syscall(uint64_t *samples, size_t count);
void bench_event_switch_threads(uint64_t *samples, size_t count);
void bench_event_switch_processes(uint64_t *samples, size_t count);
void bench_object_wait_latency(uint64_t *samples, size_t count);
void bench_channel_roundtrip_64(uint64_t *samples, size_t count);
void bench_port_queue_wait(uint64_t *samples, size_t count);
void bench_thread_lifecycle(uint64_t *samples, size_t count);
void bench_process_lifecycle(uint64_t *samples, size_t count);
void bench_vmo_first_touch(uint64_t *samples, size_t count);
void bench_job_kill_10(uint64_t *samples, size_t count);

/* Cases that need two CPUs (cases_cross_cpu.c). */
void bench_ipi_wake(uint64_t *samples, size_t count);
void bench_pingpong_cross_cpu(uint64_t *samples, size_t count);

/* Runs one case: a progress line, the warm-up, the measured iterations and the result line. */
void bench_run_case(const struct bench_case *c);

/* Helpers shared by the cases (harness.c). They exit the program with a message on failure. */
void bench_pin_to_cpu(int cpu);
void *bench_shared_pages(size_t bytes);
void bench_die(const char *what);

/*
 * A system call made with the `syscall` instruction inline, as Spinel's user stubs make theirs,
 * so a span holds no C library wrapper. Returns the kernel's value: negative is -errno.
 */
static inline long bench_syscall0(long number)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "0"(number) : "rcx", "r11", "memory");
    return ret;
}

static inline long bench_syscall4(long number, long a0, long a1, long a2, long a3)
{
    long ret;
    register long r10 __asm__("r10") = a3;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "0"(number), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
                     : "rcx", "r11", "memory");
    return ret;
}

/* Values for the `shared` argument of the futex helpers. */
#define FUTEX_IN_PROCESS 0
#define FUTEX_ACROSS_PROCESSES 1

/*
 * Blocks while `*word == expected`. Returns 1 if it slept and was woken, 0 if it returned at once
 * because the word had changed (or a signal interrupted it).
 */
int bench_futex_wait(uint32_t *word, uint32_t expected, int shared);

/* Wakes at most one waiter blocked on `word`. */
void bench_futex_wake(uint32_t *word, int shared);

/* Linux's scheduler state of a thread or process, as /proc/<tid>/stat shows it. */
char bench_task_state(pid_t tid);
/* Yields the CPU until the thread or process `tid` is asleep ('S'), e.g. blocked in a wait. */
void bench_wait_until_asleep(pid_t tid);

#endif
