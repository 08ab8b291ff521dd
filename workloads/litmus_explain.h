/* workloads/litmus_explain.h -- why one iteration of a litmus test was not
 * SC (the chain: explain_exec.h), and the test with its fix in.
 *
 * A litmus test's locations are its own: one line each, so an event's
 * location is the one at its address.  Its accesses are never calls of
 * anything larger (no torn_access or rmw_interleaving: the dialects have no
 * split access or non-atomic RMW), and the tag is the instruction's index
 * in its thread (litmus_interp.c).
 */
#ifndef MMSIM_WORKLOADS_LITMUS_EXPLAIN_H
#define MMSIM_WORKLOADS_LITMUS_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "explain_exec.h"
#include "litmus.h"

/* x from the trace of one iteration of t; loc_addr[i] is location i's
 * simulated address.  SIM_ENOMEM only. */
int litmus_explain(const litmus_test *t, const cpu_trace *tr, const uint64_t *loc_addr,
                   explain_exec *x, sim_err *err);

/* A fresh copy of t (its text parsed again) with the fixes of x's
 * mechanisms inserted. */
int litmus_explain_fixed(const litmus_test *t, const explain_exec *x, litmus_test **out,
                         sim_err *err);

#endif
