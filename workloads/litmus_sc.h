/* workloads/litmus_sc.h -- every outcome a litmus test can have under SC.
 *
 * Enumerates the interleavings of the test's shared-memory operations by
 * depth-first search, each on one atomic memory: the reference that makes
 * "non-SC outcome" an exact statement rather than a test author's claim.
 * The threads are the same interpreter (litmus_thread_run) on coroutines,
 * over a port that stops before every shared access so the search can pick
 * which thread goes next.  A path is replayed from the initial state for
 * each branch: tests are small (a few operations per thread), and replaying
 * keeps the interpreter free of any snapshot machinery.
 *
 * Fences and local work cannot change an SC outcome and do not branch.
 */
#ifndef MMSIM_WORKLOADS_LITMUS_SC_H
#define MMSIM_WORKLOADS_LITMUS_SC_H

#include "../sim/hist.h"
#include "litmus.h"

#define LITMUS_SC_MAX_EXECUTIONS 2000000

/* *out: one entry per SC outcome (litmus_nobs values each).  SIM_EUNSUP if
 * the test has more than LITMUS_SC_MAX_EXECUTIONS interleavings. */
int litmus_sc_outcomes(const litmus_test *t, sim_hist **out, sim_err *err);

#endif
