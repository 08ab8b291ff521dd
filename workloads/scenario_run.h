/* workloads/scenario_run.h -- running a map scenario: its parameters from a
 * config, the simulated runner, and the result both runners fill.
 *
 * The simulated runner builds one sim_machine per run with the scenario's
 * arena in simulated memory.  Before every iteration it zeroes the arena
 * and builds the instance through a native port on that memory (before
 * time 0, as litmus_run.c writes initial values); the threads then run on
 * the simulated cores; the final state is read through a port whose loads
 * are sim_machine_peek (the coherent value, MS2), and the oracle counts the
 * outcome.  Iteration K run alone (--iteration K) gives the same outcome.
 *
 * Metrics (simulator): the machine's counters, plus map.ops (map operations
 * by every thread), map.ops_per_iteration and map.cycles_per_op (simulated
 * cycles x threads / map operations: the cost of one operation, spinning
 * polls included).  Host speed stays out of metrics (they must repeat bit
 * for bit) and is printed only.
 */
#ifndef MMSIM_WORKLOADS_SCENARIO_RUN_H
#define MMSIM_WORKLOADS_SCENARIO_RUN_H

#include <stdio.h>

#include "../results/db.h"
#include "../cpu/trace.h"
#include "../sim/config.h"
#include "../sim/hist.h"
#include "../sim/metrics.h"
#include "explain_exec.h"
#include "scenario.h"

typedef struct wl_result {
  const wl_scenario *s;
  wl_params prm;
  sim_hist *hist;      /* outcomes: s->nobs values each */
  uint64_t iterations, anomalies, forbidden, map_ops;
  uint64_t sim_cycles; /* 0 natively */
  double wall_s;
  sim_metrics metrics;
  explain_causes causes; /* run.causes (wl_run_causes): anomalous iterations */
} wl_result;

/* The scenario and its parameters from c; errors name the key. */
int wl_params_from_cfg(const cfg *c, const wl_scenario **s, wl_params *prm, sim_err *err);

/* Iterations first .. first+count-1 in the simulator, on `jobs` host
 * threads (0: one per host CPU); the result is the same bit for bit for
 * every jobs but for wall_s (sim/par.h). */
int wl_run_sim(const cfg *c, uint64_t first, uint64_t count, unsigned jobs, wl_result *r,
               sim_err *err);
/* wl_run_sim with every iteration traced and each anomalous one (the
 * oracle gives a kind) attributed to its mechanisms: r->causes and the
 * metrics cause.KIND and cause.explained. */
int wl_run_causes(const cfg *c, uint64_t first, uint64_t count, unsigned jobs, wl_result *r,
                  sim_err *err);
/* Iteration k alone, traced into trace (with the protocol messages;
 * cpu_trace_init'ed by the caller) and explained into w
 * (scenario_explain.h); free w with wl_explained_free. */
struct wl_explained;
int wl_run_explain(const cfg *c, uint64_t k, cpu_trace *trace, struct wl_explained *w,
                   wl_result *r, sim_err *err);
void wl_result_free(wl_result *r);

/* Counting one outcome (both runners). */
void wl_result_add(wl_result *r, const int64_t *o, uint64_t iteration);

/* The report: histogram with anomaly kinds, rates, map operations. */
void wl_report_print(FILE *out, const wl_result *r, const char *engine, const char *model);
/* Outcome rows for db_run; strings live in *text (free both). */
db_outcome *wl_report_outcomes(wl_result *r, char **text);

#endif
