/* sim/machine.h -- a simulated machine: engine, cores, memory system.
 *
 * Built once per run from the resolved config and reused for every
 * iteration.  An iteration starts from a clean machine state (time 0, empty
 * queues and store buffers, memory system reset) with randomness derived only
 * from (run seed, iteration index): iteration K run alone draws the same
 * numbers as iteration K inside a run, so it can be replayed (--iteration K).
 *
 * Main memory is one block of host memory (mem_base) holding the simulated
 * address space; workloads lay out their shared state with
 * sim_machine_alloc and initialise it before each iteration.
 *
 * Invariants:
 *   MA1  Thread i runs on core i.
 *   MA2  An iteration ends when every thread has returned and every store
 *        buffer has drained; still running at run.max_cycles is an error.
 */
#ifndef MMSIM_SIM_MACHINE_H
#define MMSIM_SIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cpu/core.h"
#include "config.h"
#include "err.h"

typedef struct sim_machine sim_machine;

typedef void (*sim_metric_fn)(void *ctx, const char *key, double value);

/* The memory system that memory.kind names, for `cores` cores over the
 * simulated memory data[0, size).  NULL + err on a config it cannot build. */
memsys *sim_memsys_new(const cfg *c, unsigned cores, uint8_t *data, size_t size, sim_err *err);

/* Lifetime.  nthreads: the workload's threads (cpu.cores 0 = as many). */
sim_machine *sim_machine_new(const cfg *c, unsigned nthreads, size_t mem_bytes, sim_err *err);
/* How many of `jobs` machines of c's shape fit sim.memory_limit together
 * (at least 1): a parallel run (sim/par.h) builds one per host thread. */
unsigned sim_machine_fit_jobs(const cfg *c, unsigned nthreads, unsigned jobs);
void sim_machine_free(sim_machine *m);

/* Memory layout (before iterations) */
void *sim_machine_alloc(sim_machine *m, size_t size, size_t align); /* NULL if full */
uint8_t *sim_machine_mem(sim_machine *m);
/* The coherent value at a host address in simulated memory (MS2). */
uint64_t sim_machine_peek(sim_machine *m, const void *addr, unsigned size);

/* Running.  Each thread calls entry(arg, tid) and uses sim_machine_port. */
mem_port *sim_machine_port(sim_machine *m, unsigned tid);
int sim_machine_iteration(sim_machine *m, uint64_t k, cpu_entry entry, void *arg,
                          sim_err *err);

/* run.start_skew: each iteration draws a start delay per thread, and by
 * default a thread's core starts that late.  A workload whose threads first
 * warm their caches and meet at a barrier calls sim_machine_skew_later once
 * (cores then start together) and delays each thread by
 * sim_machine_skew(m, tid) after the barrier, where the race starts: a skew
 * before the barrier would be absorbed by it.  The native runner does the
 * same with native.start_skew. */
void sim_machine_skew_later(sim_machine *m);
uint64_t sim_machine_skew(const sim_machine *m, unsigned tid);

/* Trace every core's events into t (cpu/trace.h), with the memory system's
 * protocol messages and table cells when `messages`, or stop with NULL. */
void sim_machine_trace(sim_machine *m, cpu_trace *t, bool messages);
/* The simulated address of a host address in the machine's memory. */
uint64_t sim_machine_addr(const sim_machine *m, const void *addr);

/* Totals over the iterations run so far. */
uint64_t sim_machine_cycles(const sim_machine *m);
uint64_t sim_machine_now(const sim_machine *m); /* the current iteration's cycle */
uint64_t sim_machine_mem_uops(const sim_machine *m);
void sim_machine_metrics(sim_machine *m, sim_metric_fn fn, void *ctx);
/* Add the totals of src, built from the same config and shape, into m's,
 * so m's metrics count both machines' iterations (sim/par.h). */
void sim_machine_absorb(sim_machine *m, const sim_machine *src);
unsigned sim_machine_nthreads(const sim_machine *m);

#endif
