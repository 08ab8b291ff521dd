/* cpu/core.h -- one core: issue, store buffer, fences, atomics.
 *
 * The core runs one simulated thread, a coroutine.  When the thread makes a
 * mem API call it hands the core one uop (cpu_core_exec) and sleeps; the core
 * decides, cycle by cycle through events, when that uop has its result, and
 * then resumes the thread.  The thread therefore issues one uop at a time, in
 * program order, and a load blocks it until the load's value is bound: there
 * is no load->load or load->store reordering in issue, only what the store
 * buffer (SB) and the invalidate queue (IQ, in the L1) let through.
 *
 * Per uop kind:
 *   LOAD   forwarded from the SB if a younger unperformed store covers it;
 *          waits for the SB to empty on a partial overlap, and always under
 *          sc; else the memory system binds its value.  Under weak, a load
 *          may hit a stale line whose invalidation waits in the IQ.  Acquire
 *          (and seq_cst) loads apply the IQ after they bind; consume loads
 *          (address dependencies) apply it before, unless
 *          cpu.order_address_deps is false (Alpha).
 *   STORE  enters the SB (waits while it is full) and retires at once.  tso
 *          sends the oldest entry only, one at a time; pso and weak send any
 *          entry whose line has no older unperformed entry and whose fence
 *          epoch has drained (SB1, SB3 of sb.h), up to
 *          cpu.store_buffer.in_flight at once, plus any whose line the L1
 *          already holds in E or M.  Each entry waits
 *          cpu.store_buffer.drain_delay cycles before it may be sent.
 *          Release (and seq_cst) stores start a new epoch first.
 *   RMW/CAS wait for the SB to empty, then perform atomically in memory
 *          with the line in M.  An exclusive load (LDXR: uop.excl) waits
 *          for the SB to empty too and sets the L1's monitor; an exclusive
 *          CAS is STXR, which writes only if the monitor still holds its
 *          line (cache/memsys.h MS3).  seq_cst applies the IQ before and after
 *          (x86 LOCK: a full fence), acquire after, release and relaxed not.
 *   FENCE  full: waits for the SB to empty, then applies the IQ.  store
 *          (wmb): a new epoch under pso/weak; nothing under sc/tso, whose SB
 *          is FIFO.  load (rmb): applies the IQ (weak); nothing elsewhere.
 *   WORK   N cycles of local computation.
 *
 * Timing variety, where the host's timing varies and an in-order core's
 * would not (all off by default): each uop, the first included, issues up
 * to cpu.issue_gap cycles late (a front-end stall); once in cpu.stall.every
 * uops on average the thread stalls for cpu.stall.cycles/2 to
 * cpu.stall.cycles (a miss to DRAM, an interrupt, a preemption); each
 * store waits up to cpu.store_buffer.drain_jitter cycles more before it
 * may drain.  Every draw comes from the core's own stream, derived from
 * the iteration's seed, so an iteration replays alike.
 *
 * Out-of-order loads (arm).  A thread may hand over a load with somewhere
 * to put its value (uop.out, uop.bound) and go on at once: the load enters
 * the load queue (LQ), cpu.ooo.window entries, and binds whenever the memory
 * system answers, so a younger load or store can perform first.  The thread
 * sleeps on the value only when it needs it (LQ_WAIT): for an address, the
 * data of a store, a branch, or the end.  What stays ordered, as on ARMv8:
 *   - a load or store waits to issue while an older load to overlapping
 *     bytes is in the LQ (read-read and read-write coherence: CoRR, CoRW).
 *     A real core lets the younger load bind first and squashes and
 *     replays it if the line's invalidation arrives before the older one
 *     binds.  A younger load that survives that check read what the older
 *     one reads, so holding it gives the same outcomes, with no replay to
 *     get wrong; only its timing differs;
 *   - a release store (STLR) waits for every older load to bind, and then,
 *     as pso's release does, for every older store;
 *   - an acquire load (LDAR) waits for every older release store to perform
 *     and applies the invalidate queue before it binds (RCsc; an
 *     MO_ACQUIRE_PC one, LDAPR, does neither), and the thread waits for its
 *     value (later accesses follow);
 *   - a full fence (DMB ISH) and a load fence (DMB ISHLD) wait for every
 *     older load to bind; the full one then for the SB to empty; a store
 *     fence (DMB ISHST) starts an epoch, as under pso;
 *   - RMW and CAS wait for every older load, then for the SB, as elsewhere.
 * Dependencies are the thread's business: it waits for a value before it
 * computes an address, a store's data or a branch from it.
 *
 * States of a core (core->wait), and the function that leaves each:
 *   RUN      thread running or a resume event pending -> ev_resume
 *   SB_EMPTY uop waits for every store to perform -> drain_done
 *   SB_SPACE store waits for a free SB entry -> drain_done
 *   MEM      a load/RMW/CAS is in the memory system -> mem_done
 *   RETRY    arm: the uop waits for a load to bind or a store to perform,
 *            then issues again -> lq_done, drain_done
 *   DONE     the thread has returned
 *
 * Reorder accounting (DESIGN.md): a memory uop that performs before an
 * older uop of the same thread is one event, named older_younger.  A store
 * performs when its drain completes (the line in M); a load when it binds,
 * or, for a stale IQ hit, when that invalidation arrived (mem_req.perf_at).
 * Under arm, a load or store is counted against the loads and stores
 * older than it in the LQ and SB when it performs (load_store is then real).
 * store_load: a load while an older store was still unperformed;
 * store_store: a store while an older store was; load_load: a stale load
 * whose perform time precedes an older load's.  load_store is kept for the
 * definition's sake and is always 0 on this core: a store is issued only
 * after every older load has bound, and a stale load only moves earlier.
 *
 * Invariants:
 *   CO1  At most one uop of the thread is in flight (plus SB drains and,
 *        under arm, LQ loads).
 *   CO2  tso: SB entries perform in program order.  All models: SB1, SB3.
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
  unsigned sb_entries, sb_in_flight, line_bytes;
  uint64_t drain_delay, issue_cycles, forward_cycles;
  /* Timing variety (cpu.issue_gap, cpu.stall.*, drain_jitter): seeded
   * per core and iteration (cpu_core_seed); all 0, no draw is made. */
  uint64_t issue_gap, stall_every, stall_cycles, drain_jitter;
  bool order_addr_deps;
  unsigned ooo_window; /* arm: LQ entries */
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
  X(sb_drain_waits, "uops that waited for the SB to empty")               \
  X(iq_applies, "times the invalidate queue was applied by a fence")

/* Reorder events (DESIGN.md), named older_younger: store_load is a load that
 * performed before an older store.  Reported as reorder.KIND and
 * reorder.KIND.per_kop. */
#define CPU_REORDERS(X) X(store_load) X(store_store) X(load_load) X(load_store)

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

/* Scheduler side: the core's timing-variety stream for the iteration whose
 * seed is iter_seed (before cpu_core_start); then start the thread
 * entry(arg, tid) after `delay` cycles. */
void cpu_core_seed(cpu_core *c, uint64_t iter_seed, uint64_t name_hash);
void cpu_core_start(cpu_core *c, cpu_entry entry, void *arg, unsigned tid, uint64_t delay);
bool cpu_core_done(const cpu_core *c);       /* thread returned */
bool cpu_core_quiet(const cpu_core *c);      /* done, store buffer and LQ empty */
bool cpu_core_ooo(const cpu_core *c);        /* loads may be handed over unwaited (arm) */
uint64_t cpu_core_now(const cpu_core *c);    /* the simulated cycle (its engine's) */
const cpu_counters *cpu_core_counters(const cpu_core *c);
/* Add src's counters into c's (a parallel run joining its workers). */
void cpu_core_absorb(cpu_core *c, const cpu_core *src);
void cpu_core_clear_counters(cpu_core *c);

/* Tracing (trace.h): events of this core go to t; NULL (the default) stops. */
typedef struct cpu_trace cpu_trace;
void cpu_core_set_trace(cpu_core *c, cpu_trace *t);

/* Thread side, from inside the coroutine: run one uop, return its value
 * (load, RMW: the value read; CAS: 1 on success with the old value in *old).
 * A load with u->bound (arm only) returns at once; its value comes later. */
uint64_t cpu_core_exec(cpu_core *c, const uop *u, uint64_t *old);

/* Debug */
const char *cpu_core_str(const cpu_core *c, char *buf, size_t n);

#endif
