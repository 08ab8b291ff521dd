/* sim/sweep.c -- mmsim sweep's plan (sweep.h): the grid's points in order,
 * their hashes, and which of them the database has done already.
 *
 * Every point's config is resolved and hashed here, in the parent, before
 * anything is written (W1): a million points cost seconds, and an error in
 * the last one found after an hour of runs would be worse.  The done set is
 * read once, up front, to count and skip what is done; it is only a first
 * cut: a point a concurrent sweep stores in the meantime, or one still held
 * by another process, is caught by its claim in the worker (W2,
 * sweep_pool.c).
 *
 * Rejected: keeping each point's cfg in memory (a cfg is a few KiB; a
 * million of them is gigabytes) -- rebuilding one from the base and the
 * grid index costs microseconds next to a run.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../results/db.h"
#include "sweep_int.h"

enum { SWEEP_MAX_POINTS = 1000000 }; /* a guard against a typo'd range, not a design limit */

/* The value index of axis k in grid cell `cell` (last axis fastest). */
size_t sweep__axis_index(const sweep_plan *p, size_t cell, size_t k) {
  for (size_t a = p->naxes; a-- > k + 1;) cell /= cfg_sweep_nvalues(p->base, a);
  return cell % cfg_sweep_nvalues(p->base, k);
}

const char *sweep__point_str(const sweep_plan *p, size_t i, char *buf, size_t n) {
  const sweep_point *pt = &p->pts[i];
  size_t len = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < p->naxes && len < n; k++) {
    const char *key = cfg_sweep_key(p->base, k);
    if (strcmp(key, "run.seed") == 0) continue; /* shown once, below */
    int w = snprintf(buf + len, n - len, "%s=%s ", key,
                     cfg_sweep_value(p->base, k, sweep__axis_index(p, pt->cell, k)));
    if (w > 0) len += (size_t)w;
  }
  if (len < n) snprintf(buf + len, n - len, "run.seed=%" PRIu64, pt->seed);
  return buf;
}

/* The base with cell's values; the seed is left as the cell resolves it. */
static cfg *cell_cfg(const sweep_plan *p, size_t cell, sim_err *err) {
  cfg *c = cfg_clone(p->base);
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory"), NULL;
  for (size_t k = 0; k < p->naxes; k++) {
    const char *key = cfg_sweep_key(p->base, k);
    if (cfg_set(c, key, cfg_sweep_value(p->base, k, sweep__axis_index(p, cell, k)), err)) {
      sim_err_prefix(err, "sweep.%s", key);
      cfg_free(c);
      return NULL;
    }
  }
  return c;
}

static int set_seed(cfg *c, uint64_t seed, sim_err *err) {
  char text[32];
  snprintf(text, sizeof text, "%" PRIu64, seed);
  return cfg_set(c, "run.seed", text, err);
}

cfg *sweep__point_cfg(const sweep_plan *p, size_t i, sim_err *err) {
  cfg *c = cell_cfg(p, p->pts[i].cell, err);
  if (c && set_seed(c, p->pts[i].seed, err)) {
    cfg_free(c);
    return NULL;
  }
  return c;
}

/* ---- Building the plan ---- */

/* --set key=value onto the base; a swept key is refused (the grid would
 * overwrite it, or it the grid: either way one of the two is a mistake). */
static int apply_set(cfg *base, const char *kv, sim_err *err) {
  const char *eq = strchr(kv, '=');
  if (!eq) return sim_errf(err, SIM_EUSAGE, "--set %s: expected key=value", kv);
  char key[256];
  snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
  for (size_t k = 0; k < cfg_sweep_nkeys(base); k++)
    if (strcmp(cfg_sweep_key(base, k), key) == 0)
      return sim_errf(err, SIM_EUSAGE, "--set %s: the config sweeps this key (sweep.%s); "
                      "--set fixes keys the grid does not vary", key, key);
  return cfg_set(base, key, eq + 1, err);
}

/* "configs/sb-tso.json" -> "sb-tso". */
static char *default_name(const char *path) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  size_t n = strlen(b);
  if (n > 5 && strcmp(b + n - 5, ".json") == 0) n -= 5;
  return strndup(b, n);
}

static int cmp_hash(const void *a, const void *b) { return strcmp(a, b); }

typedef struct hashes {
  char (*v)[17];
  size_t n, cap;
  bool nomem;
} hashes;

static void add_hash(void *ctx, const char *h) {
  hashes *hs = ctx;
  if (!h || strlen(h) != 16 || hs->nomem) return;
  if (hs->n == hs->cap) {
    size_t cap = hs->cap ? 2 * hs->cap : 256;
    void *v = realloc(hs->v, cap * sizeof *hs->v);
    if (!v) {
      hs->nomem = true;
      return;
    }
    hs->v = v, hs->cap = cap;
  }
  memcpy(hs->v[hs->n++], h, 17);
}

/* The hashes of the experiment's done runs, sorted.  create_db: open (and
 * create) the file as the workers will; else read it only if it exists. */
static int done_hashes(const sweep_plan *p, bool create_db, hashes *hs, sim_err *err) {
  db *d = NULL;
  int rc;
  if (!create_db && access(p->o->db_path, F_OK) != 0) return 0;
  if ((rc = create_db ? db_open(p->o->db_path, &d, err)
                      : db_open_readonly(p->o->db_path, &d, err)))
    return rc;
  rc = db_experiment_done_hashes(d, p->name, p->source, add_hash, hs, err);
  db_close(d);
  if (!rc && hs->nomem) rc = sim_errf(err, SIM_ENOMEM, "out of memory");
  if (!rc && hs->n) qsort(hs->v, hs->n, sizeof *hs->v, cmp_hash);
  return rc;
}

/* W1: two points with one resolved config would be one run stored twice
 * (run.seed swept with steps smaller than repeat, say). */
typedef struct keyed {
  char hash[17]; /* first: cmp_hash compares it */
  size_t i;
} keyed;

static int check_distinct(const sweep_plan *p, sim_err *err) {
  keyed *k = malloc(p->npts * sizeof *k);
  if (!k) return sim_errf(err, SIM_ENOMEM, "out of memory");
  for (size_t i = 0; i < p->npts; i++) {
    memcpy(k[i].hash, p->pts[i].hash, 17);
    k[i].i = i;
  }
  qsort(k, p->npts, sizeof *k, cmp_hash);
  int rc = 0;
  for (size_t i = 1; i < p->npts && !rc; i++)
    if (strcmp(k[i - 1].hash, k[i].hash) == 0) {
      char a[256], b[256];
      const sweep_point *x = &p->pts[k[i - 1].i], *y = &p->pts[k[i].i];
      if (x->r != y->r) /* the only way two cells meet: their seeds */
        rc = sim_errf(err, SIM_ECONFIG, "%s: sweep.run.seed: seed %" PRIu64 " comes twice, as "
                      "%" PRIu64 " + %" PRIu64 " and %" PRIu64 " + %" PRIu64 " (\"repeat\": %"
                      PRIu64 " runs seeds S..S+%" PRIu64 "); sweep run.seed in steps of at "
                      "least %" PRIu64, p->o->config_path, x->seed, x->seed - x->r, x->r,
                      y->seed - y->r, y->r, p->repeat, p->repeat - 1, p->repeat);
      else
        rc = sim_errf(err, SIM_ECONFIG, "%s: sweep: points %s and %s resolve to the same "
                      "config", p->o->config_path, sweep__point_str(p, k[i - 1].i, a, sizeof a),
                      sweep__point_str(p, k[i].i, b, sizeof b));
    }
  free(k);
  return rc;
}

int sweep__plan(sweep_plan *p, const sweep_opts *o, bool create_db, sim_err *err) {
  memset(p, 0, sizeof *p);
  p->o = o;
  hashes hs = {0};
  cfg *cell = NULL;
  int rc;
  if (!(p->base = cfg_new())) return sim_errf(err, SIM_ENOMEM, "out of memory");
  if ((rc = cfg_load_file(p->base, o->config_path, err))) goto fail;
  p->naxes = cfg_sweep_nkeys(p->base);
  if (p->naxes == 0) {
    rc = sim_errf(err, SIM_ECONFIG, "%s: no \"sweep\" object, so nothing to sweep (mmsim run runs one config)",
                  o->config_path);
    goto fail;
  }
  for (int i = 0; i < o->nsets; i++)
    if ((rc = apply_set(p->base, o->sets[i], err))) goto fail;
  p->repeat = cfg_sweep_repeat(p->base);
  p->name = cfg_name(p->base) ? strdup(cfg_name(p->base)) : default_name(o->config_path);
  p->source = cfg_source_json(p->base);
  if (!p->name || !p->source) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    goto fail;
  }

  /* The grid's size, refused past SWEEP_MAX_POINTS before allocating it. */
  uint64_t ncells = 1;
  for (size_t k = 0; k < p->naxes; k++) {
    ncells *= cfg_sweep_nvalues(p->base, k);
    if (ncells > SWEEP_MAX_POINTS) break;
  }
  if (ncells > SWEEP_MAX_POINTS || ncells * p->repeat > SWEEP_MAX_POINTS) {
    rc = sim_errf(err, SIM_ECONFIG, "%s: sweep: more than %d points (grid x repeat)",
                  o->config_path, SWEEP_MAX_POINTS);
    goto fail;
  }
  p->npts = (size_t)(ncells * p->repeat);
  if (!(p->pts = calloc(p->npts, sizeof *p->pts)) ||
      !(p->todo = calloc(p->npts, sizeof *p->todo))) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    goto fail;
  }

  /* Every point resolved and hashed (W1). */
  for (size_t c = 0; c < ncells; c++) {
    if (!(cell = cell_cfg(p, c, err))) {
      rc = err->code;
      goto fail;
    }
    uint64_t s0 = (uint64_t)cfg_int(cell, CK_RUN_SEED);
    if (s0 > (uint64_t)INT64_MAX - (p->repeat - 1)) {
      rc = sim_errf(err, SIM_ECONFIG, "%s: sweep.repeat: seeds %" PRIu64 " + 0..%" PRIu64
                    " pass run.seed's maximum", o->config_path, s0, p->repeat - 1);
      goto fail;
    }
    for (uint64_t r = 0; r < p->repeat; r++) {
      sweep_point *pt = &p->pts[c * p->repeat + r];
      pt->cell = c, pt->r = r, pt->seed = s0 + r;
      if ((rc = set_seed(cell, pt->seed, err))) goto fail;
      cfg_hash(cell, pt->hash);
    }
    cfg_free(cell);
    cell = NULL;
  }
  if ((rc = check_distinct(p, err))) goto fail;

  /* What is missing (W2). */
  if ((rc = done_hashes(p, create_db, &hs, err))) goto fail;
  for (size_t i = 0; i < p->npts; i++)
    if (!hs.n || !bsearch(p->pts[i].hash, hs.v, hs.n, sizeof *hs.v, cmp_hash))
      p->todo[p->ntodo++] = i;
  free(hs.v);
  return 0;
fail:
  cfg_free(cell);
  free(hs.v);
  sweep__plan_free(p);
  return rc;
}

void sweep__plan_free(sweep_plan *p) {
  cfg_free(p->base);
  free(p->name);
  free(p->source);
  free(p->pts);
  free(p->todo);
  memset(p, 0, sizeof *p);
}

int sweep_main(const sweep_opts *o, sweep_stats *st, sim_err *err) {
  sweep_plan p;
  memset(st, 0, sizeof *st);
  int rc = sweep__plan(&p, o, !o->emit_jobs, err);
  if (rc) return rc;
  st->points = p.npts;
  st->before = p.npts - p.ntodo;
  rc = o->emit_jobs ? sweep__emit(&p, err) : sweep__pool_run(&p, st, err);
  sweep__plan_free(&p);
  return rc;
}
