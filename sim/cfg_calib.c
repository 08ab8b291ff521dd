/* sim/cfg_calib.c -- the "calibrate" grammar (mmsim calibrate): which
 * machine keys to fit, over which values, and how many runs of each side.
 */
#include "cfg_int.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cfg__calib_free(cfg *c) {
  for (size_t i = 0; i < c->ncalib; i++) {
    for (size_t j = 0; j < c->calib_axes[i].n; j++) free(c->calib_axes[i].vals[j]);
    free(c->calib_axes[i].vals);
  }
  free(c->calib_axes);
  c->calib_axes = NULL;
  c->ncalib = 0;
  c->has_calib = false;
}

/* ---- The "calibrate" object (mmsim calibrate) ----
 *
 * "params" holds axes written exactly as sweep's (a list, or from/to/step),
 * parsed by the same cfg__sweep_list/cfg__sweep_range and then moved to their own
 * list, so the two grids never mix and both are checked alike at load.
 * Only keys of the simulated machine may be fitted: cpu.*, memory.*,
 * cache.*, net.* and run.start_skew.  Fitting workload.* or run.iterations
 * would change the experiment, not the machine, and native.* does nothing
 * in the simulator. */


static int calib_axis(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *m) {
  cfg *t = lc->t;
  int rc = cJSON_IsArray(m) ? cfg__sweep_list(lc, where, id, m) : cfg__sweep_range(lc, where, id, m);
  if (rc != SIM_OK) return rc; /* on success the axis is the last of t->sweep */
  sweep_axis ax = t->sweep[--t->nsweep];
  sweep_axis *a = realloc(t->calib_axes, (t->ncalib + 1) * sizeof *a);
  if (!a) {
    for (size_t j = 0; j < ax.n; j++) free(ax.vals[j]);
    free(ax.vals);
    return cfg__nomem(lc->err, lc->src);
  }
  t->calib_axes = a;
  t->calib_axes[t->ncalib++] = ax;
  return SIM_OK;
}

static int walk_calib_params(load_ctx *lc, const char *prefix, const cJSON *obj) {
  for (const cJSON *m = obj->child; m; m = m->next) {
    char full[PATH_MAX_LEN], where[PATH_MAX_LEN + 24], got[128];
    int rc;
    if (cfg__is_comment(m)) continue;
    bool fits = cfg__join(full, sizeof full, prefix, m->string);
    snprintf(where, sizeof where, "calibrate.params.%s", full);
    int id = fits ? cfg_key_find(full) : -1;
    if (id >= 0) {
      if (lc->fitted[id]) return cfg__bad(lc->err, lc->src, where, "given twice");
      lc->fitted[id] = true;
      if (!cfg_machine_key(full))
        rc = cfg__bad(lc->err, lc->src, where,
                 "not a parameter of the simulated machine (calibrate fits cpu.*, memory.*, "
                 "cache.*, net.* and run.start_skew)");
      else if (cJSON_IsArray(m) || cJSON_IsObject(m)) rc = calib_axis(lc, where, (cfg_key_id)id, m);
      else
        rc = cfg__bad(lc->err, lc->src, where,
                 "expected a list of values or {\"from\", \"to\", \"step\"}, got %s",
                 cfg__describe(lc, m, got, sizeof got));
    } else if (fits && cfg__is_group(full) && cJSON_IsObject(m)) {
      rc = walk_calib_params(lc, full, m);
    } else {
      rc = cfg__unknown_key(lc->err, lc->src, where, full, cJSON_IsObject(m));
    }
    if (rc != SIM_OK) return rc;
  }
  return SIM_OK;
}

/* One of calibrate's counts: an integer in [lo, hi]. */
static int calib_count(load_ctx *lc, const cJSON *m, int64_t lo, int64_t hi, int64_t *out) {
  char where[64], got[128];
  int64_t v;
  snprintf(where, sizeof where, "calibrate.%s", m->string);
  if (!cJSON_IsNumber(m) || cfg__json_int(lc, m, &v) != NUM_OK)
    return cfg__bad(lc->err, lc->src, where, "expected an integer, got %s",
               cfg__describe(lc, m, got, sizeof got));
  if (v < lo || v > hi)
    return cfg__bad(lc->err, lc->src, where, "%" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]%s",
               v, lo, hi, lo == 2 ? " (a distribution needs at least 2 runs)" : "");
  *out = v;
  return SIM_OK;
}

int cfg__walk_calibrate(load_ctx *lc, const cJSON *obj) {
  static const char *const names[] = {"params", "native_runs", "sim_runs", "native_iterations"};
  bool seen[4] = {false, false, false, false};
  char got[128];
  lc->t->has_calib = true;
  lc->t->calib = (cfg_calib){.native_runs = 10, .sim_runs = 10, .native_iterations = 0};
  for (const cJSON *m = obj->child; m; m = m->next) {
    size_t i = 0;
    int rc;
    if (cfg__is_comment(m)) continue;
    while (i < 4 && strcmp(m->string, names[i]) != 0) i++;
    if (i == 4) {
      char where[PATH_MAX_LEN + 16];
      snprintf(where, sizeof where, "calibrate.%.*s", PATH_MAX_LEN, m->string);
      return cfg__bad(lc->err, lc->src, where,
                 "unknown member (expected params, native_runs, sim_runs, native_iterations)");
    }
    if (seen[i]) return cfg__bad(lc->err, lc->src, "calibrate", "\"%s\" given twice", names[i]);
    seen[i] = true;
    switch (i) {
    case 0:
      if (!cJSON_IsObject(m))
        return cfg__bad(lc->err, lc->src, "calibrate.params",
                   "expected an object mapping keys to lists of values, got %s",
                   cfg__describe(lc, m, got, sizeof got));
      rc = walk_calib_params(lc, "", m);
      break;
    case 1: rc = calib_count(lc, m, 2, 100000, &lc->t->calib.native_runs); break;
    case 2: rc = calib_count(lc, m, 2, 100000, &lc->t->calib.sim_runs); break;
    default: rc = calib_count(lc, m, 1, 10000000000LL, &lc->t->calib.native_iterations); break;
    }
    if (rc != SIM_OK) return rc;
  }
  if (lc->t->ncalib == 0)
    return cfg__bad(lc->err, lc->src, "calibrate.params",
               "missing or empty: name at least one key to fit (net.jitter, ...)");
  return SIM_OK;
}
/* ---- Reading ---- */

bool cfg_calibrate(const cfg *c, cfg_calib *out) {
  if (c->has_calib && out) *out = c->calib;
  return c->has_calib;
}

size_t cfg_calib_nkeys(const cfg *c) { return c->ncalib; }

const char *cfg_calib_key(const cfg *c, size_t i) {
  assert(i < c->ncalib);
  return cfg__keys[c->calib_axes[i].id].path;
}

size_t cfg_calib_nvalues(const cfg *c, size_t i) {
  assert(i < c->ncalib);
  return c->calib_axes[i].n;
}

const char *cfg_calib_value(const cfg *c, size_t i, size_t j) {
  assert(i < c->ncalib && j < c->calib_axes[i].n);
  return c->calib_axes[i].vals[j];
}
