/*
 * exit0.c: the smallest program process_lifecycle can spawn: it calls exit_group(0) and does
 * nothing else, with no C library start-up. Built with -nostdlib -static.
 */
#include <sys/syscall.h>

void _start(void)
{
    __asm__ volatile("syscall" : : "a"(SYS_exit_group), "D"(0) : "rcx", "r11", "memory");
    __builtin_unreachable();
}
