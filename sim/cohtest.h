/* sim/cohtest.h -- the random coherence tester over the configured memory.
 *
 * Glue between cache/tester (which drives any memsys) and the config: the
 * tester's geometry defaults come from the cache keys, and each seed gets a
 * fresh memory system from sim_memsys_new, so memory.kind=mesi and every
 * cache.* key apply unchanged, and a failed seed cannot leave half-done
 * requests in the next one.
 *
 * Invariants:
 *   CT1  Seeds run in order seed, seed+1, ...; the ops split evenly over
 *        them (the first ops % seeds seeds take one more), so the totals
 *        of a command are a function of its flags and config alone.
 *   CT2  The first failing seed stops the command; err names it.
 */
#ifndef MMSIM_SIM_COHTEST_H
#define MMSIM_SIM_COHTEST_H

#include <stdint.h>

#include "../cache/tester.h"
#include "config.h"
#include "err.h"

/* Tester defaults for config c: cores from cpu.cores (0: 4), seed from
 * run.seed, outstanding from workload.outstanding, line_bytes from cache.line_bytes, stride
 * cache.llc.sets * cache.line_bytes, so every line maps to one set of the LLC and (as L1 sets
 * divide LLC sets) of each L1. */
void sim_cohtest_params(const cfg *c, tester_params *p);

/* p->ops split over `seeds` seeds from p->seed (CT1); totals summed into
 * *total.  On failure: the failing seed's code and message (CT2), and
 * *failed_seed set. */
int sim_cohtest_run(const cfg *c, const tester_params *p, uint64_t seeds, tester_result *total,
                    uint64_t *failed_seed, sim_err *err);
/* The same, handing each seed's memory-system metrics to fn(ctx, key, value)
 * before its memory system goes (fn NULL: none). */
int sim_cohtest_run_metrics(const cfg *c, const tester_params *p, uint64_t seeds,
                            tester_result *total, uint64_t *failed_seed,
                            memsys_metric_fn fn, void *ctx, sim_err *err);

#endif
