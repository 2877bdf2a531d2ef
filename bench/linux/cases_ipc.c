/*
 * cases_ipc.c: system calls, events, channels and ports, on one CPU.
 *
 * Linux has no kernel event, channel or port object; each case uses the Linux mechanism that
 * does the same job at the lowest cost, and says which below:
 *
 *   Spinel case             Linux equivalent
 *   null_syscall            getppid(2)
 *   event_switch_threads    futex wake + futex wait on a private futex, two threads
 *   event_switch_processes  the same on a futex in MAP_SHARED memory, two processes
 *   object_wait_latency     futex wake of a thread that has been asleep in futex wait
 *   channel_roundtrip_64    AF_UNIX SOCK_SEQPACKET socket pair (bidirectional, keeps message
 *                           boundaries, like a channel), 64-byte write + read each way
 *   port_queue_wait         eventfd write (queue) + epoll_wait on an edge-triggered epoll (wait)
 *
 * Every thread and process of a case is pinned to CPU 0, so a wake never crosses CPUs. getppid
 * and futex are called with an inline `syscall` instruction (bench_syscall0, bench_syscall4);
 * the other calls go through the C library, whose wrappers are a few instructions each.
 */
#include "bench.h"

#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdio.h>
#include <unistd.h>

/* Bytes moved each way by channel_roundtrip_64. */
#define CHANNEL_MESSAGE_BYTES 64

/*
 * null_syscall: from the first rdtsc, through one `syscall` instruction running getppid, to the
 * second rdtsc. getppid does no work beyond reading one field, so this is the kernel's entry
 * and exit path. The span also holds the few instructions that combine the first rdtsc's
 * EDX:EAX into one value.
 */
void bench_null_syscall(uint64_t *samples, size_t count)
{
    bench_pin_to_cpu(0);
    for (size_t i = 0; i < count; i++) {
        uint64_t t0 = bench_rdtsc();
        long ret = bench_syscall0(SYS_getppid);
        uint64_t t1 = bench_rdtsc();
        if (ret < 0)
            bench_die("getppid");
        samples[i] = t1 - t0;
    }
}

/*
 * The state the two sides of an event hand-off share. Side A bumps `ping` to signal side B; B
 * answers by bumping `pong`. `t0` is A's rdtsc just before it signals; B subtracts it from its
 * own rdtsc just after its wait returns.
 *
 * A sample counts only if B was really asleep in futex wait when A signalled. Linux's wake-up
 * preemption now and then gives A the CPU between B's answer and B's next wait; A's next signal
 * then finds B runnable, not blocked, and measures another path. Such iterations are repeated
 * (and counted) instead of kept, so every sample is the hand-off the case names.
 */
struct handoff {
    uint32_t ping;
    uint32_t pong;
    uint64_t t0;
    pid_t waiter_tid;       /* B's thread ID, for A to see B asleep */
    int shared;             /* FUTEX_IN_PROCESS or FUTEX_ACROSS_PROCESSES */
    int waker_lets_sleep;   /* A waits, outside the span, until B is asleep before signalling */
    size_t count;           /* samples wanted */
    size_t kept;            /* samples taken so far, written by B */
    size_t repeated;        /* iterations B found the signal without sleeping */
    uint64_t *samples;      /* written by B */
};

/* Iterations that may be repeated, per sample wanted, before a case gives up. */
#define HANDOFF_MAX_REPEATS 10

/*
 * Side A, the signaller: signals, then blocks in futex wait until B answers, until B has kept
 * every sample.
 */
static void handoff_signaller(struct handoff *h)
{
    while (__atomic_load_n(&h->waiter_tid, __ATOMIC_ACQUIRE) == 0)
        sched_yield();

    for (uint32_t i = 0; __atomic_load_n(&h->kept, __ATOMIC_ACQUIRE) < h->count; i++) {
        if (h->waker_lets_sleep)
            bench_wait_until_asleep(h->waiter_tid);

        h->t0 = bench_rdtsc();
        __atomic_store_n(&h->ping, i + 1, __ATOMIC_RELEASE);
        bench_futex_wake(&h->ping, h->shared);

        while (__atomic_load_n(&h->pong, __ATOMIC_ACQUIRE) != i + 1)
            bench_futex_wait(&h->pong, i, h->shared);
    }
}

/*
 * Side B, the waiter: blocks until A's signal, takes the sample, answers, and goes straight back
 * to blocking. The sample spans from A's rdtsc just before its futex wake to B's rdtsc just
 * after its futex wait returned to user mode.
 */
static void handoff_waiter(struct handoff *h)
{
    __atomic_store_n(&h->waiter_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);

    for (uint32_t i = 0; h->kept < h->count; i++) {
        int slept = 0;
        while (__atomic_load_n(&h->ping, __ATOMIC_ACQUIRE) != i + 1)
            slept |= bench_futex_wait(&h->ping, i, h->shared);
        uint64_t t1 = bench_rdtsc();

        if (slept)
            h->samples[h->kept++] = t1 - h->t0;
        else if (++h->repeated > HANDOFF_MAX_REPEATS * h->count)
            bench_die("hand-off: the waiter was almost never asleep;");

        __atomic_store_n(&h->pong, i + 1, __ATOMIC_RELEASE);
        bench_futex_wake(&h->pong, h->shared);
    }
}

static void *handoff_waiter_thread(void *arg)
{
    bench_pin_to_cpu(0);
    handoff_waiter(arg);
    return NULL;
}

/* Says how many iterations were repeated, so a reader knows the samples were chosen. */
static void handoff_report(const char *name, const struct handoff *h)
{
    if (h->repeated != 0)
        printf("linux-bench: %s: %zu iterations repeated, the waiter not yet asleep\n", name,
               h->repeated);
}

static void handoff_between_threads(const char *name, uint64_t *samples, size_t count,
                                    int waker_lets_sleep)
{
    struct handoff h = {
        .shared = FUTEX_IN_PROCESS,
        .waker_lets_sleep = waker_lets_sleep,
        .count = count,
        .samples = samples,
    };
    pthread_t waiter;

    bench_pin_to_cpu(0);
    if (pthread_create(&waiter, NULL, handoff_waiter_thread, &h) != 0)
        bench_die("pthread_create");
    handoff_signaller(&h);
    if (pthread_join(waiter, NULL) != 0)
        bench_die("pthread_join");
    handoff_report(name, &h);
}

/*
 * event_switch_threads: A and B alternate, each signalling the other and then blocking at once,
 * as a pair of threads handing work back and forth does. CFS keeps the two threads' virtual
 * runtimes close, so A's wake does not preempt it: the span holds A's futex wake, A's futex
 * wait that blocks and switches to B, and B's return from its futex wait to user mode.
 */
void bench_event_switch_threads(uint64_t *samples, size_t count)
{
    handoff_between_threads("event_switch_threads", samples, count, 0);
}

/*
 * object_wait_latency: before each signal A yields, outside the span, until B is asleep, so B
 * has been waiting a while when it is woken. CFS then lets the woken B preempt A on the way out
 * of A's futex wake: the span holds A's futex wake, the switch at its return, and B's return
 * from its futex wait to user mode. It is the latency from the signal to the waiter running.
 */
void bench_object_wait_latency(uint64_t *samples, size_t count)
{
    handoff_between_threads("object_wait_latency", samples, count, 1);
}

/*
 * event_switch_processes: as event_switch_threads, with A and B in two processes sharing the
 * futex word through a MAP_SHARED page, so each switch also changes the address space.
 */
void bench_event_switch_processes(uint64_t *samples, size_t count)
{
    struct handoff *h = bench_shared_pages(sizeof(*h) + count * sizeof(uint64_t));
    h->shared = FUTEX_ACROSS_PROCESSES;
    h->count = count;
    h->samples = (uint64_t *)(h + 1);

    bench_pin_to_cpu(0);
    pid_t child = fork();
    if (child < 0)
        bench_die("fork");
    if (child == 0) {
        handoff_waiter(h);
        _exit(0);
    }
    handoff_signaller(h);
    if (waitpid(child, NULL, 0) != child)
        bench_die("waitpid");

    memcpy(samples, h->samples, count * sizeof(uint64_t));
    handoff_report("event_switch_processes", h);
}

/*
 * channel_roundtrip_64: the parent writes 64 bytes to its end of the socket pair and reads the
 * reply; the child reads the 64 bytes and writes them back. The span runs from the parent's
 * rdtsc before its write to its rdtsc after its read returned: two messages, two process
 * switches.
 */
void bench_channel_roundtrip_64(uint64_t *samples, size_t count)
{
    int ends[2];
    char message[CHANNEL_MESSAGE_BYTES];

    memset(message, 0x5a, sizeof(message));
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, ends) != 0)
        bench_die("socketpair");

    bench_pin_to_cpu(0);
    pid_t child = fork();
    if (child < 0)
        bench_die("fork");
    if (child == 0) {
        close(ends[0]);
        for (size_t i = 0; i < count; i++) {
            if (read(ends[1], message, sizeof(message)) != sizeof(message))
                bench_die("child read");
            if (write(ends[1], message, sizeof(message)) != sizeof(message))
                bench_die("child write");
        }
        _exit(0);
    }

    close(ends[1]);
    for (size_t i = 0; i < count; i++) {
        uint64_t t0 = bench_rdtsc();
        if (write(ends[0], message, sizeof(message)) != sizeof(message))
            bench_die("write");
        if (read(ends[0], message, sizeof(message)) != sizeof(message))
            bench_die("read");
        samples[i] = bench_rdtsc() - t0;
    }
    close(ends[0]);
    if (waitpid(child, NULL, 0) != child)
        bench_die("waitpid");
}

/*
 * port_queue_wait: one thread queues a packet and takes it out again. The "port" is an epoll
 * instance watching an eventfd edge-triggered; queueing is a write of 1 to the eventfd, waiting
 * is epoll_wait for one event. The span holds exactly those two system calls. Edge triggering
 * makes each write a new event without a read to drain the counter, so the count of calls
 * matches Spinel's two (port_queue, port_wait).
 */
void bench_port_queue_wait(uint64_t *samples, size_t count)
{
    int event = eventfd(0, EFD_NONBLOCK);
    int port = epoll_create1(0);
    struct epoll_event watch = { .events = EPOLLIN | EPOLLET, .data.u64 = 1 };
    if (event < 0 || port < 0)
        bench_die("eventfd or epoll_create1");
    if (epoll_ctl(port, EPOLL_CTL_ADD, event, &watch) != 0)
        bench_die("epoll_ctl");

    bench_pin_to_cpu(0);
    for (size_t i = 0; i < count; i++) {
        uint64_t one = 1;
        struct epoll_event packet;
        uint64_t t0 = bench_rdtsc();
        if (write(event, &one, sizeof(one)) != sizeof(one))
            bench_die("eventfd write");
        if (epoll_wait(port, &packet, 1, -1) != 1)
            bench_die("epoll_wait");
        samples[i] = bench_rdtsc() - t0;
    }
    close(port);
    close(event);
}
