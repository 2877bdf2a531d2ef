/*
 * main.c: the Linux side of Spinel's benchmark. Runs the cases of one mode in a fixed order and
 * ends with `bench: done`, which tells the host the run is complete.
 *
 *   linux-bench one-cpu    the single-CPU cases, for the `-icount shift=0` boot
 *   linux-bench cross-cpu  the two-CPU cases, for the plain TCG `-smp 2` boot
 *
 * Spinel-only cases (kernel_future_switch, kernel_wake_same_cpu) have no Linux line.
 */
#include "bench.h"

#include <stdio.h>
#include <string.h>

static const struct bench_case ONE_CPU_CASES[] = {
    { "null_syscall", bench_null_syscall },
    { "event_switch_threads", bench_event_switch_threads },
    { "event_switch_processes", bench_event_switch_processes },
    { "object_wait_latency", bench_object_wait_latency },
    { "channel_roundtrip_64", bench_channel_roundtrip_64 },
    { "port_queue_wait", bench_port_queue_wait },
    { "thread_lifecycle", bench_thread_lifecycle },
    { "process_lifecycle", bench_process_lifecycle },
    { "vmo_first_touch", bench_vmo_first_touch },
    { "job_kill_10", bench_job_kill_10 },
};

static const struct bench_case CROSS_CPU_CASES[] = {
    { "ipi_wake", bench_ipi_wake },
    { "pingpong_cross_cpu", bench_pingpong_cross_cpu },
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static void run_all(const struct bench_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bench_run_case(&cases[i]);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: linux-bench one-cpu|cross-cpu\n");
        return 2;
    }

    /* Two reads in a row show what every span holds beyond its own code. */
    uint64_t t0 = bench_rdtsc();
    uint64_t t1 = bench_rdtsc();
    printf("linux-bench: two back-to-back rdtsc reads differ by %llu\n",
           (unsigned long long)(t1 - t0));

    if (strcmp(argv[1], "one-cpu") == 0)
        run_all(ONE_CPU_CASES, COUNT_OF(ONE_CPU_CASES));
    else if (strcmp(argv[1], "cross-cpu") == 0)
        run_all(CROSS_CPU_CASES, COUNT_OF(CROSS_CPU_CASES));
    else {
        fprintf(stderr, "linux-bench: unknown mode %s\n", argv[1]);
        return 2;
    }
    printf("bench: done\n");
    return 0;
}
