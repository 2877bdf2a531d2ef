/*
 * cases_tasks.c: creating, starting and ending threads and processes, and killing a job.
 *
 *   Spinel case        Linux equivalent
 *   thread_lifecycle   pthread_create of a thread that returns at once + pthread_join
 *   process_lifecycle  posix_spawn of exit0 (a static program that only calls exit_group)
 *                      + waitpid
 *   job_kill_10        kill(-pgid, SIGKILL) of a process group of 10 processes blocked in
 *                      futex wait + waitpid until all 10 are reaped
 *
 * Every thread and process of a case is pinned to CPU 0.
 */
#include "bench.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Processes in the "job" that job_kill_10 kills. */
#define JOB_PROCESSES 10

static void *return_at_once(void *arg)
{
    return arg;
}

/*
 * thread_lifecycle: from the rdtsc before pthread_create to the rdtsc after pthread_join
 * returned: clone of the thread, its first run, its exit, and the join's futex wait for the
 * kernel's clear of the thread ID. glibc reuses the stack of a joined thread, so after the
 * warm-up no iteration maps a new stack.
 */
void bench_thread_lifecycle(uint64_t *samples, size_t count)
{
    bench_pin_to_cpu(0);
    for (size_t i = 0; i < count; i++) {
        pthread_t thread;
        uint64_t t0 = bench_rdtsc();
        if (pthread_create(&thread, NULL, return_at_once, NULL) != 0)
            bench_die("pthread_create");
        if (pthread_join(thread, NULL) != 0)
            bench_die("pthread_join");
        samples[i] = bench_rdtsc() - t0;
    }
}

/* The path of exit0: the directory this benchmark was started from, then its name. */
static void exit0_path(char *path, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", path, size - 1);
    if (n < 0)
        bench_die("readlink /proc/self/exe");
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    size_t dir = slash == NULL ? 0 : (size_t)(slash - path) + 1;
    if (dir + sizeof(BENCH_EXIT0_NAME) > size)
        bench_die("exit0 path length");
    memcpy(path + dir, BENCH_EXIT0_NAME, sizeof(BENCH_EXIT0_NAME));
}

/*
 * process_lifecycle: from the rdtsc before posix_spawn to the rdtsc after waitpid returned:
 * glibc's clone(CLONE_VM | CLONE_VFORK), execve of a one-page static program, its single
 * exit_group, and the parent reaping it. The program does nothing else, so the figure is the
 * kernel's cost of a process, not a C library's start-up.
 */
void bench_process_lifecycle(uint64_t *samples, size_t count)
{
    char *argv[] = { BENCH_EXIT0_NAME, NULL };
    char *envp[] = { NULL };
    char path[PATH_MAX];
    exit0_path(path, sizeof(path));

    bench_pin_to_cpu(0);
    for (size_t i = 0; i < count; i++) {
        pid_t child;
        int status;
        uint64_t t0 = bench_rdtsc();
        if (posix_spawn(&child, path, NULL, NULL, argv, envp) != 0)
            bench_die("posix_spawn");
        if (waitpid(child, &status, 0) != child)
            bench_die("waitpid");
        samples[i] = bench_rdtsc() - t0;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            bench_die("exit0's status");
    }
}

/* A member of the job: joins the group, says it is ready, then blocks until it is killed. */
static void job_member(pid_t leader, uint32_t *ready, uint32_t *never_signalled)
{
    setpgid(0, leader);
    __atomic_add_fetch(ready, 1, __ATOMIC_RELEASE);
    for (;;)
        bench_futex_wait(never_signalled, 0, FUTEX_ACROSS_PROCESSES);
}

/*
 * job_kill_10: each iteration forks 10 processes into a fresh process group and waits, outside
 * the span, until every one of them is asleep in futex wait. The span runs from the rdtsc
 * before kill(-pgid, SIGKILL) to the rdtsc after the tenth waitpid returned, that is until the
 * last member has died and been reaped: the point where a Spinel job is terminated.
 */
void bench_job_kill_10(uint64_t *samples, size_t count)
{
    uint32_t *shared = bench_shared_pages(2 * sizeof(uint32_t));
    uint32_t *ready = &shared[0], *never_signalled = &shared[1];

    bench_pin_to_cpu(0);
    for (size_t i = 0; i < count; i++) {
        pid_t members[JOB_PROCESSES];
        pid_t leader = 0;

        *ready = 0;
        for (int k = 0; k < JOB_PROCESSES; k++) {
            pid_t pid = fork();
            if (pid < 0)
                bench_die("fork");
            if (pid == 0)
                job_member(leader, ready, never_signalled);
            /* Both sides set the group, so neither order of running races. */
            if (leader == 0)
                leader = pid;
            if (setpgid(pid, leader) != 0)
                bench_die("setpgid");
            members[k] = pid;
        }
        while (__atomic_load_n(ready, __ATOMIC_ACQUIRE) < JOB_PROCESSES)
            sched_yield();
        for (int k = 0; k < JOB_PROCESSES; k++)
            bench_wait_until_asleep(members[k]);

        uint64_t t0 = bench_rdtsc();
        if (kill(-leader, SIGKILL) != 0)
            bench_die("kill");
        for (int k = 0; k < JOB_PROCESSES; k++)
            if (waitpid(-leader, NULL, 0) < 0)
                bench_die("waitpid");
        samples[i] = bench_rdtsc() - t0;
    }
}
