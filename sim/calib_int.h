/* sim/calib_int.h -- what calibrate.c (the steps) and calib_report.c (the
 * report and the profile) share; nothing else includes it. */
#ifndef MMSIM_SIM_CALIB_INT_H
#define MMSIM_SIM_CALIB_INT_H

#include "../workloads/native.h"
#include "../workloads/scenario_run.h"
#include "calibrate.h"

typedef struct sample {
  wl_result *r; /* n results, kept to be stored after the fit */
  double *logf; /* calib_log_freq of each */
  double *freq; /* anomalies / iterations of each */
  size_t n;
} sample;

typedef struct point {
  cfg *c;
  sample s;
  double w1, ks; /* this scenario's fit at this point */
} point;

/* One config of the calibration: its scenario, its native runs and its
 * simulated runs at every point of the common grid. */
typedef struct calib_scn {
  const cfg *base;
  cfg_calib k;
  const wl_scenario *scn;
  point *pts;
  cfg *native_cfg;
  sample native;
  double load; /* /proc/loadavg's 1-minute figure, mean over its native runs; -1 unknown */
  size_t own_best; /* the point that fits this scenario best alone */
} calib_scn;

typedef struct calib {
  const calib_opts *o;
  calib_scn *sc;
  size_t nsc;
  const cfg *grid; /* the first config: the grid's keys and values */
  size_t nkeys, npoints, best;
  double *w1, *ks; /* the fit of every point: the mean over scenarios */
  native_host host;
} calib;

/* "net.jitter=32 cpu.issue_cycles=40" */
const char *calib__point_text(const calib *k, size_t p, char *buf, size_t n);
double calib__median(const sample *s);

/* The report of a calibration (one scenario, or --joint). */
void calib__report(const calib *k, FILE *out);
/* The best point's keys as a machine profile (sim/cfg_profile.c) at path. */
int calib__write_profile(const calib *k, const char *path, int64_t experiment, sim_err *err);
/* profiles/SLUG.json, SLUG from the host's CPU name and count. */
void calib__default_profile(const calib *k, char *buf, size_t n);

#endif
