/* cpu/model.h -- the memory models as sets of core features.
 *
 * A model is not a rule checked against executions: it is the hardware the
 * core has.  Each row of CPU_MODELS says which structures exist; the
 * reorderings a model allows are whatever those structures let through
 * (DESIGN.md, "Memory models").
 *
 *   name  loads wait   store buffer  invalidate  loads out
 *         for stores   out of order  queue       of order
 *
 * arm (ARMv8, other-multi-copy-atomic): a load does not stop the thread;
 * it binds whenever the memory system answers, so younger loads and stores
 * may perform first (core.h, "Out-of-order loads").  MESI keeps stores
 * multi-copy atomic.  arm keeps weak's invalidate queue: code that needs
 * every value at once (the map, in C) cannot run past a load, and a stale
 * hit is how its younger load binds before an older one; dependencies,
 * DMB ISHLD and acquires apply the queue as under weak.
 */
#ifndef MMSIM_CPU_MODEL_H
#define MMSIM_CPU_MODEL_H

#include <stdbool.h>

#define CPU_MODELS(X)                                                          \
  X(SC,   "sc",   true,  false, false, false, "sequential consistency")        \
  X(TSO,  "tso",  false, false, false, false, "FIFO store buffer (x86-TSO)")   \
  X(PSO,  "pso",  false, true,  false, false, "store buffer drains out of order across lines") \
  X(WEAK, "weak", false, true,  true,  false, "pso plus invalidate queues")    \
  X(ARM,  "arm",  false, true,  true,  true,  "weak plus loads that bind out of order (ARMv8)")

typedef enum {
#define X(id, name, lw, ooo, iq, ol, doc) CPU_##id,
  CPU_MODELS(X)
#undef X
  CPU_NMODELS
} cpu_model;

typedef struct cpu_model_info {
  const char *name;
  bool loads_wait_for_stores; /* no store->load bypass: sc */
  bool sb_out_of_order;       /* store->store across lines: pso, weak */
  bool invalidate_queue;      /* stale hits: weak */
  bool ooo_loads;             /* loads do not block issue: arm */
  const char *doc;
} cpu_model_info;

extern const cpu_model_info cpu_model_table[CPU_NMODELS];
int cpu_model_find(const char *name); /* model, or -1 */

#endif
