/* sim/calib_int.h -- what calibrate.c (the steps) and calib_report.c (the
 * report and the profile) share; nothing else includes it. */
#ifndef MMSIM_SIM_CALIB_INT_H
#define MMSIM_SIM_CALIB_INT_H

#include "../workloads/litmus_run.h"
#include "../workloads/native.h"
#include "../workloads/scenario_run.h"
#include "calibrate.h"

/* One run's result: a map scenario's or a litmus test's (calib_scn.t). */
typedef struct calib_res {
  wl_result w;
  litmus_result l;
} calib_res;

typedef struct sample {
  calib_res *r; /* n results, kept to be stored after the fit */
  double *logf; /* calib_log_freq of each */
  double *freq; /* anomalies / iterations of each */
  size_t n;
} sample;

typedef struct point {
  cfg *c;
  sample s;
  double w1, ks; /* this scenario's fit at this point */
} point;

/* One config of the calibration: its map scenario or litmus test, its
 * native runs and its simulated runs at every point of the common grid.
 * A litmus test's anomalies are its non-SC outcomes, as `mmsim litmus`
 * stores them. */
typedef struct calib_scn {
  const cfg *base;
  cfg_calib k;
  const char *name;  /* the scenario's or the test's */
  litmus_test *t;    /* a litmus test (owned), or NULL: a map scenario */
  sim_hist *sc_set;  /* its SC outcomes (owned) */
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
