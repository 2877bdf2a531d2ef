/*
 * cases_cross_cpu.c: wakes and hand-offs between two CPUs.
 *
 *   Spinel case         Linux equivalent
 *   ipi_wake            futex wake, from a thread on CPU 0, of a thread blocked in futex wait
 *                       on CPU 1 (which is idle, so the wake sends a reschedule IPI)
 *   pingpong_cross_cpu  futex ping-pong between a thread on CPU 0 and one on CPU 1, both
 *                       blocking, measured as a round trip
 *
 * These cases run only in the two-CPU boot. Under plain TCG the time-stamp counter follows the
 * host's, so their figures are host TSC ticks, not instructions, and swing with the host's load:
 * the runner boots several times and keeps the minimum of each figure.
 */
#include "bench.h"

#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The CPUs the two sides run on. */
#define CPU_SIGNALLER 0
#define CPU_WAITER 1

struct cross {
    uint32_t ping;
    uint32_t pong;
    uint64_t t0;
    pid_t waiter_tid;
    size_t count;
    uint64_t *samples;
};

/*
 * ipi_wake, the waiter on CPU 1: the sample spans from the signaller's rdtsc before its futex
 * wake on CPU 0 to this thread's rdtsc after its futex wait returned to user mode on CPU 1.
 */
static void *ipi_waiter(void *arg)
{
    struct cross *c = arg;
    bench_pin_to_cpu(CPU_WAITER);
    __atomic_store_n(&c->waiter_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);

    for (uint32_t i = 0; i < c->count; i++) {
        while (__atomic_load_n(&c->ping, __ATOMIC_ACQUIRE) != i + 1)
            bench_futex_wait(&c->ping, i, FUTEX_IN_PROCESS);
        c->samples[i] = bench_rdtsc() - c->t0;
        __atomic_store_n(&c->pong, i + 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

/*
 * ipi_wake, the signaller on CPU 0: before each signal it waits, outside the span, until the
 * waiter is asleep; after it, it spins on the answer so CPU 0 never idles.
 */
void bench_ipi_wake(uint64_t *samples, size_t count)
{
    struct cross c = { .count = count, .samples = samples };
    pthread_t waiter;

    bench_pin_to_cpu(CPU_SIGNALLER);
    if (pthread_create(&waiter, NULL, ipi_waiter, &c) != 0)
        bench_die("pthread_create");
    while (__atomic_load_n(&c.waiter_tid, __ATOMIC_ACQUIRE) == 0)
        sched_yield();

    for (uint32_t i = 0; i < count; i++) {
        bench_wait_until_asleep(c.waiter_tid);
        c.t0 = bench_rdtsc();
        __atomic_store_n(&c.ping, i + 1, __ATOMIC_RELEASE);
        bench_futex_wake(&c.ping, FUTEX_IN_PROCESS);
        while (__atomic_load_n(&c.pong, __ATOMIC_ACQUIRE) != i + 1)
            __builtin_ia32_pause();
    }
    if (pthread_join(waiter, NULL) != 0)
        bench_die("pthread_join");
}

/* pingpong_cross_cpu, the far side on CPU 1: answers each ping, blocking in between. */
static void *pingpong_far_side(void *arg)
{
    struct cross *c = arg;
    bench_pin_to_cpu(CPU_WAITER);
    for (uint32_t i = 0; i < c->count; i++) {
        while (__atomic_load_n(&c->ping, __ATOMIC_ACQUIRE) != i + 1)
            bench_futex_wait(&c->ping, i, FUTEX_IN_PROCESS);
        __atomic_store_n(&c->pong, i + 1, __ATOMIC_RELEASE);
        bench_futex_wake(&c->pong, FUTEX_IN_PROCESS);
    }
    return NULL;
}

/*
 * pingpong_cross_cpu: the span runs on CPU 0 from the rdtsc before its futex wake of the far
 * side to the rdtsc after its futex wait for the answer returned: one round trip, two
 * cross-CPU wakes.
 */
void bench_pingpong_cross_cpu(uint64_t *samples, size_t count)
{
    struct cross c = { .count = count };
    pthread_t far_side;

    bench_pin_to_cpu(CPU_SIGNALLER);
    if (pthread_create(&far_side, NULL, pingpong_far_side, &c) != 0)
        bench_die("pthread_create");

    for (uint32_t i = 0; i < count; i++) {
        uint64_t t0 = bench_rdtsc();
        __atomic_store_n(&c.ping, i + 1, __ATOMIC_RELEASE);
        bench_futex_wake(&c.ping, FUTEX_IN_PROCESS);
        while (__atomic_load_n(&c.pong, __ATOMIC_ACQUIRE) != i + 1)
            bench_futex_wait(&c.pong, i, FUTEX_IN_PROCESS);
        samples[i] = bench_rdtsc() - t0;
    }
    if (pthread_join(far_side, NULL) != 0)
        bench_die("pthread_join");
}
