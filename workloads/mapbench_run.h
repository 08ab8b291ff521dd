/* workloads/mapbench_run.h -- mapbench in the simulator, and its report.
 *
 * Simulated (mapbench_sim.c): one sim_machine of workload.threads cores
 * per host thread (-j, par.h);
 * before every iteration the maps are built afresh in the arena through a
 * native port (before time 0, as a scenario's instance is), then every
 * thread runs its operations on its own core.  The iterations' outcomes
 * go into a histogram, their tallies into mapbench.* metrics
 * (mapbench.h) beside the machine's.
 */
#ifndef MMSIM_WORKLOADS_MAPBENCH_RUN_H
#define MMSIM_WORKLOADS_MAPBENCH_RUN_H

#include <stdio.h>

#include "../results/db.h"
#include "mapbench.h"
#include "native.h"

typedef struct mb_result {
  mb_params prm;
  sim_hist *hist; /* outcomes: MB_NOBS values each */
  uint64_t iterations, anomalies, ops, sim_cycles;
  double wall_s;
  sim_metrics metrics;
} mb_result;

/* Iterations first .. first+count-1 on `jobs` host threads (0: all); the
 * same result bit for bit for every jobs but for wall_s. */
int mb_run_sim(const cfg *c, uint64_t first, uint64_t count, unsigned jobs, mb_result *r,
               sim_err *err);
/* The same on the host's cores (mapbench_native.c): run.iterations
 * iterations, its figures in host nanoseconds (mapbench.ops_per_s,
 * mapbench.p50_ns, ...). */
int mb_run_native(const cfg *c, mb_result *r, native_host *h, sim_err *err);
void mb_result_free(mb_result *r);

void mb_report_print(FILE *out, mb_result *r, const char *engine, const char *model);
/* Outcome rows for db_run; their strings live in *text (free both). */
db_outcome *mb_report_outcomes(mb_result *r, char **text);

#endif
