/*
 * harness.c: runs one case and prints its figures; helpers the cases share.
 *
 * Invariant: a result line is printed only for a case whose every iteration succeeded; any
 * failing system call ends the program with a message naming it, so a broken case shows up as
 * a missing figure on the host, never as a wrong one.
 */
#include "bench.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

void bench_die(const char *what)
{
    fprintf(stdout, "linux-bench: %s failed: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The sample of nearest rank for `percent`: the smallest one at least `percent`% lie under. */
static uint64_t nearest_rank(const uint64_t *sorted, size_t n, unsigned percent)
{
    size_t rank = (percent * n + 99) / 100;
    return sorted[rank == 0 ? 0 : rank - 1];
}

void bench_run_case(const struct bench_case *c)
{
    size_t total = BENCH_WARMUP + BENCH_ITERATIONS;
    uint64_t *samples = calloc(total, sizeof(uint64_t));
    if (samples == NULL)
        bench_die("calloc");

    printf("bench: running %s\n", c->name);
    fflush(stdout);
    c->run(samples, total);

    uint64_t *measured = samples + BENCH_WARMUP;
    qsort(measured, BENCH_ITERATIONS, sizeof(uint64_t), compare_u64);
    printf("bench: %s n=%d min=%llu median=%llu p99=%llu\n", c->name, BENCH_ITERATIONS,
           (unsigned long long)measured[0],
           (unsigned long long)nearest_rank(measured, BENCH_ITERATIONS, 50),
           (unsigned long long)nearest_rank(measured, BENCH_ITERATIONS, 99));
    fflush(stdout);
    free(samples);
}

void bench_pin_to_cpu(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0)
        bench_die("sched_setaffinity");
}

/* Zeroed memory that a later fork() shares with the child instead of copying. */
void *bench_shared_pages(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        bench_die("mmap shared");
    return p;
}

char bench_task_state(pid_t tid)
{
    char path[64], line[512];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        bench_die("open /proc/<tid>/stat");
    size_t n = fread(line, 1, sizeof(line) - 1, f);
    fclose(f);
    line[n] = '\0';

    /* The state follows the command name, which is in parentheses and may hold spaces. */
    char *end_of_name = strrchr(line, ')');
    if (end_of_name == NULL || end_of_name[1] != ' ')
        bench_die("parse /proc/<tid>/stat");
    return end_of_name[2];
}

void bench_wait_until_asleep(pid_t tid)
{
    while (bench_task_state(tid) != 'S')
        sched_yield();
}

int bench_futex_wait(uint32_t *word, uint32_t expected, int shared)
{
    long op = shared ? FUTEX_WAIT : FUTEX_WAIT_PRIVATE;
    long ret = bench_syscall4(SYS_futex, (long)word, op, expected, 0);
    if (ret == 0)
        return 1;
    if (ret != -EAGAIN && ret != -EINTR) {
        errno = (int)-ret;
        bench_die("futex wait");
    }
    return 0;
}

void bench_futex_wake(uint32_t *word, int shared)
{
    long op = shared ? FUTEX_WAKE : FUTEX_WAKE_PRIVATE;
    long ret = bench_syscall4(SYS_futex, (long)word, op, 1, 0);
    if (ret < 0) {
        errno = (int)-ret;
        bench_die("futex wake");
    }
}
