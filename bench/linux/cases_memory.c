/*
 * cases_memory.c: the first touch of a page of a fresh mapping.
 *
 *   Spinel case      Linux equivalent
 *   vmo_first_touch  write to the single page of a fresh mmap(MAP_PRIVATE | MAP_ANONYMOUS)
 *
 * An anonymous private page is what Linux gives a program that asks for memory, and its first
 * write faults in a zeroed page, as the first touch of a Spinel VMO's page does.
 */
#include "bench.h"

#include <sys/mman.h>
#include <unistd.h>

/*
 * vmo_first_touch: the span holds one store to the page and nothing else, so it is the page
 * fault: the exception, allocating and zeroing a page, mapping it, and the return to the
 * faulting store. mmap and munmap run outside the span.
 */
void bench_vmo_first_touch(uint64_t *samples, size_t count)
{
    long page = sysconf(_SC_PAGESIZE);

    bench_pin_to_cpu(0);
    for (size_t i = 0; i < count; i++) {
        volatile char *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            bench_die("mmap");
        uint64_t t0 = bench_rdtsc();
        *p = 1;
        samples[i] = bench_rdtsc() - t0;
        if (munmap((void *)p, page) != 0)
            bench_die("munmap");
    }
}
