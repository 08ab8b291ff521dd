/* cpu/model.h -- the memory models as sets of core features.
 *
 * A model is not a rule checked against executions: it is the hardware the
 * core has.  Each row of CPU_MODELS says which structures exist; the
 * reorderings a model allows are whatever those structures let through
 * (DESIGN.md, "Memory models").
 *
 *   name  loads wait   store buffer  invalidate
 *         for stores   out of order  queue
 */
#ifndef MMSIM_CPU_MODEL_H
#define MMSIM_CPU_MODEL_H

#include <stdbool.h>

#define CPU_MODELS(X)                                                   \
  X(SC,   "sc",   true,  false, false, "sequential consistency")        \
  X(TSO,  "tso",  false, false, false, "FIFO store buffer (x86-TSO)")   \
  X(PSO,  "pso",  false, true,  false, "store buffer drains out of order across lines") \
  X(WEAK, "weak", false, true,  true,  "pso plus invalidate queues")

typedef enum {
#define X(id, name, lw, ooo, iq, doc) CPU_##id,
  CPU_MODELS(X)
#undef X
  CPU_NMODELS
} cpu_model;

typedef struct cpu_model_info {
  const char *name;
  bool loads_wait_for_stores; /* no store->load bypass: sc */
  bool sb_out_of_order;       /* store->store across lines: pso, weak */
  bool invalidate_queue;      /* stale hits: weak */
  const char *doc;
} cpu_model_info;

extern const cpu_model_info cpu_model_table[CPU_NMODELS];
int cpu_model_find(const char *name); /* model, or -1 */

#endif
