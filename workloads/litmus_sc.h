/* workloads/litmus_sc.h -- every outcome a litmus test can have under SC.
 *
 * The reference that makes "non-SC outcome" an exact statement rather than
 * a test author's claim.  A search over the test's state space: a state is
 * every thread's pc and registers plus the shared memory; a step runs one
 * thread's next shared access atomically on that memory, then its local
 * instructions up to the access after (litmus__exec with one access).  Each
 * state is visited once (a hash set of the states seen), so the cost is the
 * number of distinct states, not of interleavings: SB padded with 18
 * private stores per thread has about 10^11 interleavings but a few
 * thousand states.
 *
 * Rejected: enumerating interleavings (the first version), each replayed
 * from the initial state on coroutines.  Exact, but exponential in the
 * length of the threads even when they touch nothing in common.
 *
 * Fences and local work cannot change an SC outcome and do not branch.
 *
 * Invariants:
 *   SC1  The outcome set is complete, or the call fails: a search stopped
 *        by its budget returns SIM_EFULL and no set, never a partial one.
 *   SC2  The set is deterministic: the same test gives the same set (in
 *        hist_sort order) whatever the budget, when it fits.
 */
#ifndef MMSIM_WORKLOADS_LITMUS_SC_H
#define MMSIM_WORKLOADS_LITMUS_SC_H

#include "../sim/hist.h"
#include "litmus.h"

/* Default budget: states kept in memory (the default of the config key
 * workload.sc_max_states, sim/cfg_keys.h). */
#define LITMUS_SC_MAX_STATES 4000000
/* And at most this much memory for them, whatever the states budget. */
#define LITMUS_SC_MAX_BYTES ((size_t)1 << 30)

typedef struct litmus_sc_stats {
  uint64_t states; /* distinct states visited */
  double wall_s;   /* host seconds the search took */
} litmus_sc_stats;

/* *out: one entry per SC outcome (litmus_nobs values each).  SC1:
 * SIM_EFULL (message names the budget) when more than max_states states
 * (or LITMUS_SC_MAX_BYTES of them) would be needed; stats (may be NULL) is
 * filled either way. */
int litmus_sc_search(const litmus_test *t, uint64_t max_states, sim_hist **out, litmus_sc_stats *stats,
                     sim_err *err);
/* The same with the default budget. */
int litmus_sc_outcomes(const litmus_test *t, sim_hist **out, sim_err *err);

#endif
