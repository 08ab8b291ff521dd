/* sim/calibrate.h -- mmsim calibrate: a map scenario or litmus test on the
 * host and in the simulator over a grid of machine parameters, and the
 * point whose distribution of per-run anomaly frequencies is nearest the
 * host's.
 *
 * The steps of calib_run, in order:
 *   1. grid    the points of the config's calibrate.params: the product of
 *              its axes, the first key slowest; each a clone of the config
 *              with the point's values set.
 *   2. native  calibrate.native_runs runs of calibrate.native_iterations
 *              (default run.iterations) on the host, seeds run.seed,
 *              run.seed + 1, ... (natively the seed fixes only the map's
 *              hash seed and native.start_skew's draws); under --joint in
 *              rounds, a run of each scenario per round.
 *   3. sim     calibrate.sim_runs runs of run.iterations at every point,
 *              seeds run.seed, run.seed + 1, ...: the same seeds at every
 *              point (common random numbers), so points differ by their
 *              parameters and not by their draws, and every simulated run
 *              is reproducible by mmsim run with its stored config.
 *   4. fit     per point, W1 (the residual) and KS between the log10
 *              frequencies of its runs and the native ones (calib_stats.h);
 *              the best point has the least W1, then the least KS, then
 *              comes first in grid order.
 *   5. store   one experiment: the native runs (metric calibrate.host_load,
 *              the 1-minute load average read before each round of them,
 *              averaged), then every simulated run
 *              with metrics calibrate.point (its index in grid order),
 *              calibrate.residual, calibrate.ks and calibrate.best (1 on the
 *              best point's runs).  Runs are written after the fit because
 *              a stored run never changes (D1 of results/db.h); so an
 *              interrupted calibration stores nothing.
 *   6. report  the table of points, both distributions and the fit on out;
 *              the figure (plot_calibration in plots/plot.h) from the
 *              stored experiment.
 *
 * A run's frequency is its anomalous iterations (the scenario oracle's, or
 * a litmus test's non-SC outcomes, as in run_rates.anomaly_count) over its
 * iterations.  Simulated points run one
 * after another: a minute for a grid of a few dozen points on two cores;
 * mmsim sweep's pool is the place for parallel runs.
 */
#ifndef MMSIM_SIM_CALIBRATE_H
#define MMSIM_SIM_CALIBRATE_H

#include <stdio.h>

#include "config.h"
#include "err.h"

typedef struct calib_opts {
  const char *db_path;     /* required: calibration is stored */
  const char *experiment;  /* experiment name */
  const char *config_json; /* the config as given, calibrate object included */
  const char *figure;      /* .png or .svg; NULL: calibrate-<scenario>.png */
  FILE *out;               /* the report; NULL for none */
  FILE *progress;          /* one line per step; NULL for none */
  unsigned jobs;           /* host threads per simulated run (sim/par.h); 0: all */
  bool save_profile;       /* write the best point as a machine profile: */
  const char *profile_out; /* here; NULL: profiles/CPU-NAME-Ncpu.json */
} calib_opts;

/* c must have a "calibrate" object (cfg_calibrate) and a map or litmus
 * workload. */
int calib_run(const cfg *c, const calib_opts *o, sim_err *err);

/* mmsim calibrate --joint: n configs, each a map scenario of its own with
 * a "calibrate" object, all with the first one's calibrate.params.  Steps
 * as above, per scenario, on one grid: every scenario runs natively (its
 * load stored with it), every point runs every scenario, and a point's fit
 * is the mean of its scenarios' W1 (then KS).  Simulated runs store that
 * mean as calibrate.residual and calibrate.ks, their own scenario's as
 * calibrate.scenario_residual and calibrate.scenario_ks.  The report gives
 * each scenario's residual at the joint best point beside its own best,
 * and whether its simulated median lies within a decade of the native one.
 * With n = 1 this is calib_run. */
int calib_run_joint(const cfg *const *cs, size_t n, const calib_opts *o, sim_err *err);

#endif
