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
 * Data races (tests with plain C accesses only).  Two accesses to one
 * location from different threads, at least one a write and one plain,
 * race when some reachable state lets both happen next with nothing
 * ordering them.  "Next" looks past the thread's pending accesses up to the
 * first that orders later ones (a fence, an acquire load, a lock, an
 * ordered RMW, a grace period), through both arms of each branch, since
 * the LKMM lets unordered accesses run early: plain data read behind a
 * WRITE_ONCE flag with no barrier races, as herd7 says.  An access through
 * a pointer counts only when it is the thread's very next one (its address
 * is known then).  This approximates the LKMM's definition (which also
 * credits dependencies and more); where they differ it may flag more.
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
  bool plain;      /* the test has plain C accesses, so races were looked for */
  bool data_race;  /* ... and one was found (herd7's "Flag data-race") */
  char race[160];  /* which: "x: P0 line 5 (plain write), P1 line 9 (read)" */
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
