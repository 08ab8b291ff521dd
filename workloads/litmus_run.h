/* workloads/litmus_run.h -- a litmus test run in the simulator.
 *
 * Lays the test's locations out in simulated memory, one cache line each
 * (64-byte stride, so no two share a line), and for every iteration writes
 * the initial values, runs one coroutine per test thread on its own core,
 * waits for every store buffer to drain, reads the final memory through the
 * memory system and counts the observed outcome.
 */
#ifndef MMSIM_WORKLOADS_LITMUS_RUN_H
#define MMSIM_WORKLOADS_LITMUS_RUN_H

#include <stdint.h>

#include "../sim/config.h"
#include "../sim/hist.h"
#include "../cpu/trace.h"
#include "../sim/metrics.h"
#include "explain_exec.h"
#include "litmus.h"

typedef struct litmus_result {
  sim_hist *hist;      /* outcomes: litmus_nobs values each */
  uint64_t iterations; /* run */
  uint64_t positive;   /* iterations whose outcome satisfies the condition body */
  uint64_t sim_cycles, mem_uops;
  double wall_s;       /* host seconds spent simulating */
  sim_metrics metrics;
  explain_causes causes; /* run.causes (litmus_run_causes): non-SC iterations */
  bool data_race;        /* the SC reference found one (printed as herd7's Flag) */
} litmus_result;

/* Run iterations first .. first+count-1 of t under config c on `jobs`
 * host threads (0: one per host CPU).  The result is the same bit for bit
 * for every jobs but for wall_s (sim/par.h). */
int litmus_run_sim(const litmus_test *t, const cfg *c, uint64_t first, uint64_t count,
                   unsigned jobs, litmus_result *r, sim_err *err);
/* litmus_run_sim with every iteration traced and each non-SC one (outcome
 * not in sc) attributed to its mechanisms: r->causes, and the metrics
 * cause.KIND and cause.explained. */
int litmus_run_causes(const litmus_test *t, const cfg *c, uint64_t first, uint64_t count,
                      unsigned jobs, const sim_hist *sc, litmus_result *r, sim_err *err);

/* Iteration k alone (the same outcome as inside a run: machine.h) with
 * every core's events in trace (cpu/trace.h); loc_addr[i] gets location
 * i's simulated address. */
int litmus_run_traced(const litmus_test *t, const cfg *c, uint64_t k, cpu_trace *trace,
                      uint64_t *loc_addr, litmus_result *r, sim_err *err);
void litmus_result_free(litmus_result *r);

#endif
