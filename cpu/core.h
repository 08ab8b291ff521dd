/* cpu/core.h -- one in-order core: issue, store buffer, fences, atomics.
 *
 * The core runs one simulated thread, a coroutine.  When the thread makes a
 * mem API call it hands the core one uop (cpu_core_exec) and sleeps; the core
 * decides, cycle by cycle through events, when that uop has its result, and
 * then resumes the thread.  The thread therefore issues one uop at a time, in
 * program order, and a load blocks it until the load's value is bound.
 *
 * Per uop kind (the store buffer, SB, is FIFO here; pso/weak come in issue 4):
 *   LOAD   forwarded from the SB if a younger store covers it; waits for the
 *          SB to empty on a partial overlap, and always under sc; else the
 *          memory system binds its value.
 *   STORE  enters the SB (waits while the SB is full) and retires at once;
 *          the SB drains its oldest entry to memory, one at a time, each
 *          entry waiting cpu.store_buffer.drain_delay cycles first.
 *   RMW/CAS drain the SB, then perform atomically in memory: a full fence.
 *   FENCE  full: waits until the SB is empty.  store/load: nothing to order
 *          under sc and tso (FIFO SB; loads already in order).
 *   WORK   N cycles of local computation.
 *
 * States of a core (core->wait), and the function that leaves each:
 *   RUN      thread running or a resume event pending -> ev_resume
 *   SB_EMPTY uop waits for the SB to empty -> drain_done
 *   SB_SPACE store waits for a free SB entry -> drain_done
 *   MEM      a load/RMW/CAS is in the memory system -> mem_done
 *   DONE     the thread has returned
 *
 * Reorder accounting (DESIGN.md): a load that binds its value while older
 * stores of the same thread sit in the SB has performed before them: one
 * store_load event.
 *
 * Invariants:
 *   CO1  At most one uop of the thread is in flight.
 *   CO2  SB entries perform in program order (tso), so a store never becomes
 *        visible before an older store.
 */
#ifndef MMSIM_CPU_CORE_H
#define MMSIM_CPU_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "../cache/memsys.h"
#include "../sim/engine.h"
#include "model.h"
#include "thread.h"
#include "uop.h"

typedef struct cpu_params {
  cpu_model model;
  unsigned sb_entries;
  uint64_t drain_delay, issue_cycles, forward_cycles;
} cpu_params;

/* Counters of one core; summed into a run's metrics. */
#define CPU_COUNTERS(X)                                            \
  X(uops, "micro-ops executed")                                    \
  X(loads, "loads")                                                \
  X(stores, "stores")                                              \
  X(rmws, "RMW and CAS")                                           \
  X(fences, "fences")                                              \
  X(sb_forwards, "loads forwarded from the store buffer")          \
  X(sb_full_stalls, "stores that waited for a free SB entry")      \
  X(sb_drain_waits, "uops that waited for the SB to empty")

/* Reorder events (DESIGN.md), named older_younger: store_load is a load that
 * performed before an older store.  Reported as reorder.KIND and
 * reorder.KIND.per_kop; pso and weak add their kinds here (issue 4). */
#define CPU_REORDERS(X) X(store_load)

typedef enum {
#define X(k) CPU_REORDER_##k,
  CPU_REORDERS(X)
#undef X
  CPU_NREORDERS
} cpu_reorder;

typedef struct cpu_counters {
#define X(n, d) uint64_t n;
  CPU_COUNTERS(X)
#undef X
  uint64_t reorder[CPU_NREORDERS];
} cpu_counters;

typedef struct cpu_core cpu_core;
typedef void (*cpu_entry)(void *arg, unsigned tid);

/* Lifetime */
cpu_core *cpu_core_new(unsigned id, const cpu_params *p, sim_engine *sim, memsys *mem);
void cpu_core_free(cpu_core *c);

/* Scheduler side: start the thread entry(arg, tid) after `delay` cycles. */
void cpu_core_start(cpu_core *c, cpu_entry entry, void *arg, unsigned tid, uint64_t delay);
bool cpu_core_done(const cpu_core *c);       /* thread returned */
bool cpu_core_quiet(const cpu_core *c);      /* done and store buffer empty */
const cpu_counters *cpu_core_counters(const cpu_core *c);
void cpu_core_clear_counters(cpu_core *c);

/* Thread side, from inside the coroutine: run one uop, return its value
 * (load, RMW: the value read; CAS: 1 on success with the old value in *old). */
uint64_t cpu_core_exec(cpu_core *c, const uop *u, uint64_t *old);

/* Debug */
const char *cpu_core_str(const cpu_core *c, char *buf, size_t n);

#endif
