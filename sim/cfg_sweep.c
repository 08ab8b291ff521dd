/* sim/cfg_sweep.c -- the "sweep" grammar: a grid of keys to values, checked
 * at load so that a bad point fails before anything runs.
 *
 * Choices a config author sees (also printed by cfg_print_defaults):
 *   - A sweep list may not repeat a value (it would run the same point
 *     twice); a sweep range {"from","to","step"} is for numeric keys only,
 *     step defaults to 1, may be negative to count down, and may give at
 *     most SWEEP_MAX_VALUES values.  Every swept value is checked as the key's
 *     type and range at load time.
 *   - "repeat" inside "sweep" (top level of it only) is not a key but the
 *     number of runs per grid point, each with its own seed (sim/sweep.h
 *     has the rule); a positive integer up to SWEEP_MAX_VALUES, default 1.
 *     It lives in the sweep because it shapes the grid, not one run.
 * An axis is kept as the --set text of each value, which is what a sweep
 * point applies (cfg_set) and what `params` stores.
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

void cfg__sweep_free(cfg *c) {
  for (size_t i = 0; i < c->nsweep; i++) {
    for (size_t j = 0; j < c->sweep[i].n; j++) free(c->sweep[i].vals[j]);
    free(c->sweep[i].vals);
  }
  free(c->sweep);
  c->sweep = NULL;
  c->nsweep = 0;
  c->repeat = 0;
}

/* ---- The grammar ---- */

/* Adds the axis for key id from a list or a {"from","to","step"} object. */
static int sweep_push(load_ctx *lc, cfg_key_id id, char **vals, size_t n) {
  cfg *t = lc->t;
  sweep_axis *ax = realloc(t->sweep, (t->nsweep + 1) * sizeof *ax);
  if (!ax) return cfg__nomem(lc->err, lc->src);
  t->sweep = ax;
  t->sweep[t->nsweep++] = (sweep_axis){.id = id, .n = n, .vals = vals};
  return SIM_OK;
}

/* Checks one sweep point and appends its text to vals[*n]. */
static int sweep_point(load_ctx *lc, cfg_key_id id, cval *v, char **vals, size_t *n) {
  char text[64];
  const char *s = cfg__is_text(cfg__keys[id].type) ? v->s : cfg__val_text(id, v, text, sizeof text);
  char *copy = cfg__dup(s);
  cfg__val_free(id, v);
  if (!copy) return cfg__nomem(lc->err, lc->src);
  vals[(*n)++] = copy;
  return SIM_OK;
}

int cfg__sweep_list(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *list) {
  size_t cap = (size_t)cJSON_GetArraySize(list), n = 0;
  char **vals;
  int rc = SIM_OK;
  if (cap == 0)
    return cfg__bad(lc->err, lc->src, where, "expected a non-empty list of values, got an empty list");
  if (!(vals = calloc(cap, sizeof *vals))) return cfg__nomem(lc->err, lc->src);
  for (const cJSON *e = list->child; e; e = e->next) {
    cval v = {0};
    if ((rc = cfg__val_from_json(lc, where, id, e, &v)) != SIM_OK) {
      cfg__val_free(id, &v);
      goto fail;
    }
    if ((rc = sweep_point(lc, id, &v, vals, &n)) != SIM_OK) goto fail;
    for (size_t i = 0; i + 1 < n; i++)
      if (strcmp(vals[i], vals[n - 1]) == 0) {
        char q[64];
        rc = cfg__bad(lc->err, lc->src, where, "%s is listed twice",
                 cfg__is_text(cfg__keys[id].type) ? cfg__quote(vals[i], q, sizeof q) : vals[i]);
        goto fail;
      }
  }
  if ((rc = sweep_push(lc, id, vals, n)) == SIM_OK) return SIM_OK;
fail:
  for (size_t i = 0; i < n; i++) free(vals[i]);
  free(vals);
  return rc;
}

/* {"from": a, "to": b, "step": s}: a, a+s, ... while not past b. */
int cfg__sweep_range(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *obj) {
  const cfg_key *k = &cfg__keys[id];
  const cJSON *part[3] = {NULL, NULL, NULL};
  static const char *const names[3] = {"from", "to", "step"};
  char sub[PATH_MAX_LEN + 16], got[128];
  if (k->type != CFG_INT && k->type != CFG_REAL)
    return cfg__bad(lc->err, lc->src, where,
               "from/to/step needs a numeric key; give a list of values instead");
  for (const cJSON *m = obj->child; m; m = m->next) {
    int i = 0;
    if (cfg__is_comment(m)) continue;
    while (i < 3 && strcmp(m->string, names[i]) != 0) i++;
    if (i == 3)
      return cfg__bad(lc->err, lc->src, where, "unknown member \"%s\" (expected from, to, step)",
                 m->string);
    if (part[i]) return cfg__bad(lc->err, lc->src, where, "\"%s\" given twice", names[i]);
    part[i] = m;
  }
  for (int i = 0; i < 2; i++)
    if (!part[i]) return cfg__bad(lc->err, lc->src, where, "missing \"%s\"", names[i]);

  /* Read from/to/step as numbers (integers for an integer key). */
  int64_t iv[3] = {0, 0, 1};
  double dv[3] = {0, 0, 1};
  for (int i = 0; i < 3; i++) {
    if (!part[i]) continue;
    snprintf(sub, sizeof sub, "%s.%s", where, names[i]);
    if (!cJSON_IsNumber(part[i]) || !isfinite(part[i]->valuedouble))
      return cfg__bad(lc->err, lc->src, sub, "expected a%s number, got %s",
                 k->type == CFG_INT ? "n integer" : "", cfg__describe(lc, part[i], got, sizeof got));
    dv[i] = part[i]->valuedouble;
    if (k->type == CFG_INT && cfg__json_int(lc, part[i], &iv[i]) != NUM_OK)
      return cfg__bad(lc->err, lc->src, sub, "expected an exact integer, got %s",
                 cfg__describe(lc, part[i], got, sizeof got));
  }

  /* Count the points before allocating them. */
  size_t n;
  if (k->type == CFG_INT) {
    __int128 span = (__int128)iv[1] - iv[0], cnt;
    if (iv[2] == 0) return cfg__bad(lc->err, lc->src, where, "step must not be 0");
    cnt = span / iv[2] + 1;
    if (cnt < 1)
      return cfg__bad(lc->err, lc->src, where,
                 "from %" PRId64 " to %" PRId64 " by step %" PRId64 " gives no values", iv[0],
                 iv[1], iv[2]);
    if (cnt > SWEEP_MAX_VALUES)
      return cfg__bad(lc->err, lc->src, where, "from/to/step gives more than %d values",
                 SWEEP_MAX_VALUES);
    n = (size_t)cnt;
  } else {
    if (dv[2] == 0) return cfg__bad(lc->err, lc->src, where, "step must not be 0");
    double q = (dv[1] - dv[0]) / dv[2];
    if (q < -1e-9)
      return cfg__bad(lc->err, lc->src, where, "from %g to %g by step %g gives no values", dv[0], dv[1],
                 dv[2]);
    if (!(q < SWEEP_MAX_VALUES))
      return cfg__bad(lc->err, lc->src, where, "from/to/step gives more than %d values",
                 SWEEP_MAX_VALUES);
    n = (size_t)floor(q + 1e-9) + 1;
  }

  char **vals = calloc(n, sizeof *vals);
  size_t got_n = 0;
  int rc = SIM_OK;
  if (!vals) return cfg__nomem(lc->err, lc->src);
  for (size_t i = 0; i < n; i++) {
    cval v;
    if (k->type == CFG_INT) {
      v.i = (int64_t)(iv[0] + (__int128)iv[2] * (int64_t)i);
      rc = cfg__check_int(lc->err, lc->src, where, id, v.i);
    } else {
      char shown[64];
      v.r = dv[0] + dv[2] * (double)i;
      if (i == n - 1 && fabs(v.r - dv[1]) <= fabs(dv[2]) * 1e-9)
        v.r = dv[1]; /* no 0.30000000000000004 */
      rc = cfg__check_real(lc->err, lc->src, where, id, v.r, cfg__real_text(v.r, shown, sizeof shown));
    }
    if (rc != SIM_OK || (rc = sweep_point(lc, id, &v, vals, &got_n)) != SIM_OK) break;
  }
  if (rc == SIM_OK && (rc = sweep_push(lc, id, vals, got_n)) == SIM_OK) return SIM_OK;
  for (size_t i = 0; i < got_n; i++) free(vals[i]);
  free(vals);
  return rc;
}

/* "sweep": {"repeat": N}: runs per grid point. */
static int sweep_repeat(load_ctx *lc, const cJSON *m) {
  char got[128];
  int64_t v = 0;
  if (lc->seen_repeat) return cfg__bad(lc->err, lc->src, "sweep.repeat", "given twice");
  lc->seen_repeat = true;
  if (!cJSON_IsNumber(m) || cfg__json_int(lc, m, &v) != NUM_OK || v < 1 || v > SWEEP_MAX_VALUES)
    return cfg__bad(lc->err, lc->src, "sweep.repeat",
               "expected a positive integer (runs per point, at most %d), got %s",
               SWEEP_MAX_VALUES, cfg__describe(lc, m, got, sizeof got));
  lc->t->repeat = v;
  return SIM_OK;
}

/* The members of "sweep" (or of a group inside it), prefix being the group. */
int cfg__walk_sweep(load_ctx *lc, const char *prefix, const cJSON *obj) {
  for (const cJSON *m = obj->child; m; m = m->next) {
    char full[PATH_MAX_LEN], where[PATH_MAX_LEN + 8], got[128];
    int rc;
    if (cfg__is_comment(m)) continue;
    if (!*prefix && strcmp(m->string, "repeat") == 0) {
      if ((rc = sweep_repeat(lc, m)) != SIM_OK) return rc;
      continue;
    }
    bool fits = cfg__join(full, sizeof full, prefix, m->string);
    snprintf(where, sizeof where, "sweep.%s", full);
    int id = fits ? cfg_key_find(full) : -1;
    if (id >= 0) {
      if (lc->swept[id]) return cfg__bad(lc->err, lc->src, where, "given twice");
      lc->swept[id] = true;
      if (cfg__read_only((cfg_key_id)id))
        rc = cfg__bad(lc->err, lc->src, where, "read-only: computed from the litmus file");
      else if (cJSON_IsArray(m)) rc = cfg__sweep_list(lc, where, (cfg_key_id)id, m);
      else if (cJSON_IsObject(m)) rc = cfg__sweep_range(lc, where, (cfg_key_id)id, m);
      else
        rc = cfg__bad(lc->err, lc->src, where,
                 "expected a list of values or {\"from\", \"to\", \"step\"}, got %s",
                 cfg__describe(lc, m, got, sizeof got));
    } else if (fits && cfg__is_group(full) && cJSON_IsObject(m)) {
      rc = cfg__walk_sweep(lc, full, m);
    } else {
      rc = cfg__unknown_key(lc->err, lc->src, where, full, cJSON_IsObject(m));
    }
    if (rc != SIM_OK) return rc;
  }
  return SIM_OK;
}
/* ---- Reading ---- */

size_t cfg_sweep_nkeys(const cfg *c) { return c->nsweep; }

const char *cfg_sweep_key(const cfg *c, size_t i) {
  assert(i < c->nsweep);
  return cfg__keys[c->sweep[i].id].path;
}

size_t cfg_sweep_nvalues(const cfg *c, size_t i) {
  assert(i < c->nsweep);
  return c->sweep[i].n;
}

const char *cfg_sweep_value(const cfg *c, size_t i, size_t j) {
  assert(i < c->nsweep && j < c->sweep[i].n);
  return c->sweep[i].vals[j];
}

uint64_t cfg_sweep_repeat(const cfg *c) { return c->repeat ? (uint64_t)c->repeat : 1; }
