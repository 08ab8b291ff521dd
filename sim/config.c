/* sim/config.c -- a cfg's storage: lifetime, reading by key id, and the
 * canonical resolved JSON and its hash (see config.h, C2).
 *
 * Storage.  A cfg holds one value per row of CFG_KEYS, indexed by cfg_key_id,
 * so cfg_int()/cfg_str() are one array load: the hot paths read config in
 * loops and must not pay for string work.  Text values (CFG_STR, CFG_ENUM)
 * are owned copies.  Beside the values a cfg keeps what belongs to the last
 * file loaded: its folder (cfg_dir), its "name", its "sweep" grid, its
 * "calibrate" object and its source JSON.  Filling a cfg from JSON or --set
 * is cfg_load.c's job; the layout is in cfg_int.h.
 *
 * Threads: no mutable globals here; a cfg may be read from many threads at
 * once.
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

/* ---- Lifetime ---- */

void cfg_free(cfg *c) {
  if (!c) return;
  for (int i = 0; i < CFG_NKEYS; i++) cfg__val_free((cfg_key_id)i, &c->v[i]);
  cfg__sweep_free(c);
  cfg__calib_free(c);
  free(c->name);
  free(c->dir);
  free(c->file);
  free(c->source);
  free(c);
}

cfg *cfg_new(void) {
  cfg *c = calloc(1, sizeof *c);
  if (!c || !(c->dir = cfg__dup("."))) goto fail;
  for (int i = 0; i < CFG_NKEYS; i++) {
    sim_err e = {0};
    int rc = cfg__val_from_text(&e, "config.h", "default", (cfg_key_id)i, cfg__keys[i].def, &c->v[i]);
    if (rc == SIM_ENOMEM) goto fail;
    /* A default that fails its own row is a bug in the table, not input. */
    if (rc != SIM_OK) sim_panic("config.h: default of %s: %s", cfg__keys[i].path, e.msg);
  }
  return c;
fail:
  cfg_free(c);
  return NULL;
}

cfg *cfg_clone(const cfg *c) {
  cfg *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  for (int i = 0; i < CFG_NKEYS; i++) {
    d->v[i] = c->v[i];
    if (cfg__is_text(cfg__keys[i].type) && !(d->v[i].s = cfg__dup(c->v[i].s))) goto fail;
  }
  if (!(d->dir = cfg__dup(c->dir))) goto fail;
  if (c->file && !(d->file = cfg__dup(c->file))) goto fail;
  if (c->name && !(d->name = cfg__dup(c->name))) goto fail;
  if (c->source && !(d->source = cfg__dup(c->source))) goto fail;
  d->repeat = c->repeat;
  memcpy(d->given, c->given, sizeof d->given);
  if (c->nsweep) {
    if (!(d->sweep = calloc(c->nsweep, sizeof *d->sweep))) goto fail;
    for (size_t i = 0; i < c->nsweep; i++) {
      sweep_axis *a = &d->sweep[d->nsweep++]; /* counted first: fail frees it */
      a->id = c->sweep[i].id;
      if (!(a->vals = calloc(c->sweep[i].n, sizeof *a->vals))) goto fail;
      for (; a->n < c->sweep[i].n; a->n++)
        if (!(a->vals[a->n] = cfg__dup(c->sweep[i].vals[a->n]))) goto fail;
    }
  }
  d->has_calib = c->has_calib;
  d->calib = c->calib;
  if (c->ncalib) {
    if (!(d->calib_axes = calloc(c->ncalib, sizeof *d->calib_axes))) goto fail;
    for (size_t i = 0; i < c->ncalib; i++) {
      sweep_axis *a = &d->calib_axes[d->ncalib++]; /* counted first: fail frees it */
      a->id = c->calib_axes[i].id;
      if (!(a->vals = calloc(c->calib_axes[i].n, sizeof *a->vals))) goto fail;
      for (; a->n < c->calib_axes[i].n; a->n++)
        if (!(a->vals[a->n] = cfg__dup(c->calib_axes[i].vals[a->n]))) goto fail;
    }
  }
  return d;
fail:
  cfg_free(d);
  return NULL;
}
/* ---- Reading ---- */

int64_t cfg_int(const cfg *c, cfg_key_id id) {
  assert((unsigned)id < CFG_NKEYS);
  assert(cfg__keys[id].type == CFG_INT || cfg__keys[id].type == CFG_BOOL);
  return c->v[id].i;
}

double cfg_real(const cfg *c, cfg_key_id id) {
  assert((unsigned)id < CFG_NKEYS && cfg__keys[id].type == CFG_REAL);
  return c->v[id].r;
}

const char *cfg_str(const cfg *c, cfg_key_id id) {
  assert((unsigned)id < CFG_NKEYS && cfg__is_text(cfg__keys[id].type));
  return c->v[id].s;
}

const char *cfg_name(const cfg *c) { return c->name; }

const char *cfg_dir(const cfg *c) { return c->dir; }

const char *cfg_file(const cfg *c) { return c->file; }

/* ---- Checks beyond one row (workloads/, sim/run.c) ---- */

int cfg_errf(const cfg *c, sim_err *err, int code, cfg_key_id key, const char *fmt, ...) {
  char what[400];
  va_list ap;
  assert((unsigned)key < CFG_NKEYS);
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (c->file) return sim_errf(err, code, "%s: %s: %s", c->file, cfg__keys[key].path, what);
  return sim_errf(err, code, "%s: %s", cfg__keys[key].path, what);
}

int cfg_blame(const cfg *c, sim_err *err, cfg_key_id key) {
  char old[sizeof err->msg];
  int code = err->code == SIM_EIO ? SIM_ECONFIG : err->code;
  snprintf(old, sizeof old, "%s", err->msg);
  return cfg_errf(c, err, code, key, "%s", old);
}

/* Into buf, or false when it does not fit. */
bool cfg__path(const cfg *c, const char *p, char *buf, size_t n) {
  int len = p[0] == '/' || strcmp(c->dir, ".") == 0 ? snprintf(buf, n, "%s", p)
                                                    : snprintf(buf, n, "%s/%s", c->dir, p);
  return len >= 0 && (size_t)len < n;
}

void cfg__swap(cfg *a, cfg *b) {
  cfg tmp = *a;
  *a = *b;
  *b = tmp;
}

static bool litmus_path(const cfg *c, char *buf, size_t n) {
  return cfg__path(c, c->v[CK_WORKLOAD_LITMUS].s, buf, n);
}

int cfg_litmus_path(const cfg *c, char *buf, size_t n, sim_err *err) {
  assert(buf && n > 0);
  buf[0] = '\0';
  if (!c->v[CK_WORKLOAD_LITMUS].s[0])
    return cfg_errf(c, err, SIM_ECONFIG, CK_WORKLOAD_LITMUS,
                    "missing or empty: name the litmus file to run");
  if (!litmus_path(c, buf, n))
    return cfg_errf(c, err, SIM_ECONFIG, CK_WORKLOAD_LITMUS, "the path is too long");
  return SIM_OK;
}

/* ---- Derived keys ----
 *
 * workload.litmus_hash is the FNV-1a 64 of the litmus file's bytes.  The
 * resolved config, and so the config hash, then changes when the file is
 * edited: a sweep reruns its points and `runs` tells the two apart, where
 * the path alone would call the stale results "done already".  It is
 * computed when workload.litmus or the config's folder changes (cfg_set,
 * each load), not on every read: a sweep resolves each of its points, and a
 * file read per point would cost more than the hashing.  A file that cannot
 * be read hashes to "": the run then fails on it with the key named
 * (cfg_litmus_path, cfg_blame), and the config still prints.
 * Rejected: hashing on every cfg_resolved_json (I/O in a getter, many
 * times per point), and storing the test's whole text (kilobytes in every
 * run row, for what a hash decides as well). */

bool cfg__read_only(cfg_key_id id) { return id == CK_WORKLOAD_LITMUS_HASH; }

int cfg__litmus_rehash(cfg *c) {
  char path[4096], hex[17] = "";
  FILE *f;
  if (c->v[CK_WORKLOAD_LITMUS].s[0] && litmus_path(c, path, sizeof path) &&
      (f = fopen(path, "rb"))) {
    uint64_t h = 14695981039346656037ULL; /* FNV-1a 64 offset basis */
    unsigned char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
      for (size_t i = 0; i < got; i++) h = (h ^ buf[i]) * 1099511628211ULL;
    if (!ferror(f)) snprintf(hex, sizeof hex, "%016" PRIx64, h);
    fclose(f);
  }
  char *s = cfg__dup(hex);
  if (!s) return SIM_ENOMEM;
  free(c->v[CK_WORKLOAD_LITMUS_HASH].s);
  c->v[CK_WORKLOAD_LITMUS_HASH].s = s;
  return SIM_OK;
}

const char *cfg_value_text(const cfg *c, cfg_key_id id, char *buf, size_t n) {
  assert((unsigned)id < CFG_NKEYS && buf && n > 0);
  return cfg__val_text(id, &c->v[id], buf, n);
}

/* ---- Output ---- */

/* The object for the group of path's segments before the last, created in
 * first-use order; *leaf is set to the last segment. */
static cJSON *group_of(cJSON *root, const char *path, const char **leaf) {
  cJSON *obj = root;
  const char *seg = path, *dot;
  while ((dot = strchr(seg, '.'))) {
    char name[PATH_MAX_LEN];
    size_t len = (size_t)(dot - seg);
    assert(len < sizeof name);
    memcpy(name, seg, len);
    name[len] = '\0';
    cJSON *child = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!child && !(child = cJSON_AddObjectToObject(obj, name))) return NULL;
    obj = child;
    seg = dot + 1;
  }
  *leaf = seg;
  return obj;
}

char *cfg_resolved_json(const cfg *c) {
  cJSON *root = cJSON_CreateObject();
  char *out = NULL;
  if (!root) return NULL;
  if (c->name && !cJSON_AddStringToObject(root, "name", c->name)) goto done;
  for (int i = 0; i < CFG_NKEYS; i++) {
    const char *leaf;
    char text[64];
    cJSON *obj = group_of(root, cfg__keys[i].path, &leaf), *item;
    if (!obj) goto done;
    switch (cfg__keys[i].type) {
    case CFG_INT:
    case CFG_REAL:
      /* Raw: cJSON would print an int64 through a double. */
      item = cJSON_CreateRaw(cfg__val_text((cfg_key_id)i, &c->v[i], text, sizeof text));
      break;
    case CFG_BOOL: item = cJSON_CreateBool(c->v[i].i != 0); break;
    default: item = cJSON_CreateString(c->v[i].s); break;
    }
    if (!item) goto done;
    if (!cJSON_AddItemToObject(obj, leaf, item)) {
      cJSON_Delete(item);
      goto done;
    }
  }
  out = cJSON_PrintUnformatted(root);
done:
  cJSON_Delete(root);
  return out;
}

char *cfg_source_json(const cfg *c) { return cfg__dup(c->source ? c->source : "{}"); }

void cfg_hash(const cfg *c, char out[17]) {
  char *json = cfg_resolved_json(c);
  uint64_t h = 14695981039346656037ULL; /* FNV-1a 64 offset basis */
  if (!json) sim_panic("cfg_hash: out of memory");
  for (const unsigned char *p = (const unsigned char *)json; *p; p++) {
    h ^= *p;
    h *= 1099511628211ULL; /* FNV 64 prime */
  }
  free(json);
  snprintf(out, 17, "%016" PRIx64, h);
}
