/* cpu/thread.h -- one coroutine per simulated thread.
 *
 * Workload code runs on the host as a coroutine with its own stack; a mem API
 * call suspends it (cpu_thread_yield) and the core resumes it when the value
 * is there (cpu_thread_resume).  The switch is Boost.Context's
 * make_fcontext/jump_fcontext, C-callable assembly from libboost-context-dev:
 * about 11 ns a round trip against about 550 ns for glibc's swapcontext,
 * which saves and restores the signal mask with a system call each time.
 *
 * Under AddressSanitizer the switches are announced with
 * __sanitizer_{start,finish}_switch_fiber, and a restarted stack is
 * unpoisoned, so ASan follows the stacks instead of reporting false errors.
 *
 * Invariants:
 *   T1  Only the coroutine itself yields, and only the scheduler resumes it.
 *   T2  A finished thread is not resumed until cpu_thread_start restarts it.
 */
#ifndef MMSIM_CPU_THREAD_H
#define MMSIM_CPU_THREAD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cpu_thread cpu_thread;
typedef void (*cpu_thread_fn)(void *arg);

cpu_thread *cpu_thread_new(size_t stack_bytes); /* NULL if out of memory */
void cpu_thread_free(cpu_thread *t);

/* (Re)start t at fn(arg); the first resume enters fn. */
void cpu_thread_start(cpu_thread *t, cpu_thread_fn fn, void *arg);
/* Run t until it yields or finishes; returns true when fn has returned. */
bool cpu_thread_resume(cpu_thread *t);
/* From inside t: back to whoever resumed it. */
void cpu_thread_yield(cpu_thread *t);
bool cpu_thread_done(const cpu_thread *t);

#endif
