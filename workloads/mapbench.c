/* workloads/mapbench.c -- see mapbench.h. */
#include "mapbench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/rng.h"
#include "spinlock.h"

const char *const mb_kind_name[MB_NKINDS] = {"read", "write", "delete"};
const char *const mb_obs_name[MB_NOBS] = {"lost", "concurrent"};

/* --- Parameters ----------------------------------------------------------- */

/* Cumulative Zipf weights of ranks 0..n-1 (rank r weighs 1/(r+1)^s),
 * normalised to end at 1. */
static double *zipf_cdf(unsigned n, double s) {
  double *c = malloc((size_t)n * sizeof *c), sum = 0;
  if (!c) return NULL;
  for (unsigned i = 0; i < n; i++) c[i] = sum += pow((double)i + 1, -s);
  for (unsigned i = 0; i < n; i++) c[i] /= sum;
  c[n - 1] = 1.0;
  return c;
}

int mb_params_from_cfg(const cfg *c, mb_params *p, sim_err *err) {
  memset(p, 0, sizeof *p);
  p->variant_name = cfg_str(c, CK_WORKLOAD_VARIANT);
  p->sharded = strcmp(p->variant_name, "sharded") == 0;
  p->cow = strcmp(p->variant_name, "cow") == 0;
  p->syncm = strcmp(p->variant_name, "syncmap") == 0;
  p->variant = p->sharded            ? HMAP_RWMUTEX
               : p->cow || p->syncm ? HMAP_UNSAFE
                                    : (hmap_variant)hmap_variant_find(p->variant_name);
  p->threads = (unsigned)cfg_int(c, CK_WORKLOAD_THREADS);
  p->keys = (unsigned)cfg_int(c, CK_WORKLOAD_KEYS);
  if (p->keys == 0) p->keys = 1024;
  if (p->keys < 2)
    return cfg_errf(c, err, SIM_ECONFIG, CK_WORKLOAD_KEYS,
                    "mapbench needs at least 2 keys (one only read, one written), not %u",
                    p->keys);
  p->shards = p->sharded ? (unsigned)cfg_int(c, CK_WORKLOAD_SHARDS) : 1;
  p->stride = (unsigned)cfg_int(c, CK_WORKLOAD_STRIDE);
  p->ops = (uint64_t)cfg_int(c, CK_WORKLOAD_OPS);
  double r = cfg_real(c, CK_WORKLOAD_MIX_READ), w = cfg_real(c, CK_WORKLOAD_MIX_WRITE),
         d = cfg_real(c, CK_WORKLOAD_MIX_DELETE);
  if (fabs(r + w + d - 1) > 1e-9)
    return cfg_errf(c, err, SIM_ECONFIG, CK_WORKLOAD_MIX_READ,
                    "workload.mix.read + write + delete is %g + %g + %g = %g, not 1", r, w, d,
                    r + w + d);
  p->mix[0] = r, p->mix[1] = r + w, p->mix[2] = 1;
  p->zipf = cfg_real(c, CK_WORKLOAD_ZIPF);
  p->seed = (uint64_t)cfg_int(c, CK_RUN_SEED);
  p->hash0 = sim_seed_derive(p->seed, "map.hash0", 0);
  if (p->zipf > 0) {
    p->cdf_all = zipf_cdf(p->keys, p->zipf);
    p->cdf_churn = zipf_cdf(p->keys - p->keys / 2, p->zipf);
    if (!p->cdf_all || !p->cdf_churn) {
      mb_params_free(p);
      return sim_errf(err, SIM_ENOMEM, "out of memory");
    }
  }
  return 0;
}

void mb_params_free(mb_params *p) {
  free(p->cdf_all);
  free(p->cdf_churn);
  p->cdf_all = p->cdf_churn = NULL;
}

/* --- The maps ------------------------------------------------------------- */

/* Each map is made with room for all its keys: no growth during a run. */
static unsigned keys_per_map(const mb_params *p) {
  return p->sharded ? 2 * (p->keys / p->shards) + HMAP_SLOTS : p->keys;
}

static size_t round_up(size_t n, size_t al) { return (n + al - 1) & ~(al - 1); }

size_t mb_arena_bytes(const mb_params *p) {
  size_t al = p->stride > 64 ? p->stride : 64, b = round_up(sizeof(hmap_bucket), al);
  size_t kpm = keys_per_map(p), nb = 1;
  while (kpm > HMAP_SLOTS && kpm > 13 * nb / 2) nb *= 2; /* hmap_make's 2^B */
  /* header, RWMutex, buckets, and overflow buckets for colliding keys
   * (and for unsafe writers that both extend one chain) */
  size_t per_map = 2 * al + al + nb * b + (kpm / 2 + 4) * b, copies = 0;
  double writes = (double)p->threads * (double)p->ops * (1 - p->mix[0]);
  if (p->cow || p->syncm) /* a map a write (cow), or a dirty map a promotion (syncmap) */
    copies = 2 * (size_t)writes + p->threads;
  size_t entries = p->syncm ? (p->keys + 2 * (size_t)writes + 16) * al : 0;
  return (p->shards + copies) * per_map + entries + (size_t)p->threads * 16 * b + 2 * al + 4096;
}

/* The shard of a key: a hash of its own, not the map's (whose low bits
 * pick the bucket inside the shard). */
static unsigned shard_of(const mb_params *p, uint64_t key) {
  uint64_t h = key * 0x9e3779b97f4a7c15ULL;
  h ^= h >> 29;
  return (unsigned)((h * 0xbf58476d1ce4e5b9ULL) >> 32) % p->shards;
}

static const hmap *map_of(const mb_inst *x, uint64_t key) {
  return &x->maps[x->prm->sharded ? shard_of(x->prm, key) : 0];
}

static bool preloaded(const mb_params *p, unsigned id) { /* stable, or every other churn */
  unsigned stable = p->keys / 2;
  return id < stable || (id - stable) % 2 == 0;
}

/* syncmap: the same keys stored, then promoted to the read map. */
static int syncmap_setup(mb_inst *x, const mb_params *p, mem_port *setup) {
  int rc = syncmap_make(&x->sm, setup, HMAP_UNSAFE, keys_per_map(p), p->hash0, wl_arena_alloc,
                        &x->arena);
  for (unsigned id = 0; id < p->keys && !rc; id++)
    if (preloaded(p, id)) rc = syncmap_store(setup, &x->sm, (uint64_t)id + 1, MB_VAL((uint64_t)id + 1));
  return rc ? rc : syncmap_promote(setup, &x->sm);
}

int mb_inst_setup(mb_inst *x, const mb_params *p, uint8_t *base, size_t size,
                  mem_port *setup) {
  if (!x->maps && !(x->maps = calloc(p->shards, sizeof *x->maps))) return HMAP_ENOMEM;
  x->prm = p;
  x->nmaps = p->shards;
  memset(base, 0, size);
  x->arena = (wl_arena){base, size, 0, p->stride > 64 ? p->stride : 64};
  if (p->syncm) return syncmap_setup(x, p, setup);
  for (unsigned i = 0; i < x->nmaps; i++) {
    int rc = hmap_make(&x->maps[i], setup, p->variant, keys_per_map(p), p->hash0,
                       wl_arena_alloc, &x->arena);
    if (rc) return rc;
  }
  if (p->cow) { /* the pointer and the lock, a line each */
    x->cow_ptr = wl_arena_alloc(&x->arena, 64);
    x->cow_lock = wl_arena_alloc(&x->arena, 64);
    if (!x->cow_ptr || !x->cow_lock) return HMAP_ENOMEM;
    mem_store(setup, x->cow_ptr, (uint64_t)(uintptr_t)x->maps[0].h, 8, MO_RELAXED);
  }
  for (unsigned id = 0; id < p->keys; id++) {
    if (!preloaded(p, id)) continue;
    uint64_t key = (uint64_t)id + 1;
    int rc = hmap_assign(setup, map_of(x, key), key, MB_VAL(key));
    if (rc) return rc;
  }
  return HMAP_OK;
}

void mb_inst_free(mb_inst *x) {
  free(x->maps);
  x->maps = NULL;
}

/* --- A thread's operations ------------------------------------------------ */

static double unit(sim_rng *r) { return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53; }

/* A rank in [0, n): uniform, or the first whose cumulative weight passes u. */
static unsigned pick(sim_rng *r, const double *cdf, unsigned n) {
  if (!cdf) return (unsigned)sim_rng_upto(r, n - 1);
  double u = unit(r);
  unsigned lo = 0, hi = n - 1;
  while (lo < hi) {
    unsigned mid = lo + (hi - lo) / 2;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

static int lat_push(mb_stats *s, mb_kind k, uint64_t dt) {
  if (s->nlat[k] == s->cap[k]) {
    size_t cap = s->cap[k] ? 2 * s->cap[k] : 1024;
    uint32_t *v = realloc(s->lat[k], cap * sizeof *v);
    if (!v) return HMAP_ENOMEM;
    s->lat[k] = v, s->cap[k] = cap;
  }
  s->lat[k][s->nlat[k]++] = dt > UINT32_MAX ? UINT32_MAX : (uint32_t)dt;
  return HMAP_OK;
}

/* Copy-on-write: the map readers see now (Go: m := c.m.Load()). */
static hmap cow_current(const mb_inst *x, mem_port *p) {
  hmap m = x->maps[0];
  m.h = (hmap_hdr *)(uintptr_t)mem_load(p, x->cow_ptr, 8, MO_ACQUIRE);
  return m;
}

/* A write under copy-on-write: lock, copy, change the copy, publish. */
static int cow_write(const mb_inst *x, mem_port *p, uint64_t key, mb_kind k) {
  uint64_t t0 = mem_now(p);
  mem_spin_lock(p, x->cow_lock, 8);
  p->lock_wait += mem_now(p) - t0;
  hmap old = x->maps[0], nm;
  old.h = (hmap_hdr *)(uintptr_t)mem_load(p, x->cow_ptr, 8, MO_RELAXED); /* ours: we hold the lock */
  int rc = hmap_make(&nm, p, HMAP_UNSAFE, keys_per_map(x->prm), x->prm->hash0, old.alloc,
                     old.alloc_ctx);
  if (!rc) rc = hmap_copy(p, &nm, &old);
  if (!rc) rc = k == MB_WRITE ? hmap_assign(p, &nm, key, MB_VAL(key)) : hmap_delete(p, &nm, key);
  if (rc == HMAP_NOTFOUND) rc = HMAP_OK; /* deleting an absent key still copies, as Go's would */
  if (!rc) mem_store(p, x->cow_ptr, (uint64_t)(uintptr_t)nm.h, 8, MO_RELEASE);
  mem_spin_unlock(p, x->cow_lock, 8);
  return rc;
}

/* One operation on whichever map the variant has; a lookup's value in *v. */
static int one_op(const mb_inst *x, mem_port *p, mb_kind k, uint64_t key, uint64_t *v) {
  const mb_params *prm = x->prm;
  if (prm->syncm) {
    if (k == MB_READ) return syncmap_load(p, &x->sm, key, v);
    return k == MB_WRITE ? syncmap_store(p, &x->sm, key, MB_VAL(key))
                         : syncmap_delete(p, &x->sm, key);
  }
  if (prm->cow && k != MB_READ) return cow_write(x, p, key, k);
  hmap cur;
  const hmap *m = prm->cow ? (cur = cow_current(x, p), &cur) : map_of(x, key);
  if (k == MB_READ) return hmap_lookup(p, m, key, v);
  return k == MB_WRITE ? hmap_assign(p, m, key, MB_VAL(key)) : hmap_delete(p, m, key);
}

int mb_thread(const mb_inst *x, mem_port *p, unsigned tid, uint64_t iteration, mb_stats *st) {
  const mb_params *prm = x->prm;
  sim_rng r;
  sim_rng_derive(&r, sim_seed_derive(prm->seed, "mapbench", iteration), "mapbench.thread", tid);
  unsigned stable = prm->keys / 2, churn = prm->keys - stable;
  p->lock_wait = 0;
  int rc = HMAP_OK;
  for (uint64_t i = 0; i < prm->ops; i++) {
    double u = unit(&r);
    mb_kind k = u < prm->mix[0] ? MB_READ : u < prm->mix[1] ? MB_WRITE : MB_DELETE;
    unsigned id = k == MB_READ ? pick(&r, prm->cdf_all, prm->keys)
                               : stable + pick(&r, prm->cdf_churn, churn);
    uint64_t key = (uint64_t)id + 1, v = 0, t0 = mem_now(p);
    rc = one_op(x, p, k, key, &v);
    uint64_t dt = mem_now(p) - t0;
    if (k == MB_READ && (rc == HMAP_OK ? v != MB_VAL(key) : rc == HMAP_NOTFOUND && id < stable))
      st->lost++;
    if (rc == HMAP_ENOMEM || lat_push(st, k, dt) == HMAP_ENOMEM) {
      rc = HMAP_ENOMEM;
      break;
    }
    st->concurrent += rc == HMAP_CONCURRENT;
    st->ops[k]++;
  }
  st->lock_wait += p->lock_wait;
  st->enomem += rc == HMAP_ENOMEM;
  return rc == HMAP_ENOMEM ? rc : HMAP_OK;
}

/* --- Tallies and metrics -------------------------------------------------- */

void mb_stats_absorb(mb_stats *dst, const mb_stats *src) {
  for (int k = 0; k < MB_NKINDS; k++) {
    dst->ops[k] += src->ops[k];
    for (size_t i = 0; i < src->nlat[k]; i++) lat_push(dst, (mb_kind)k, src->lat[k][i]);
  }
  dst->lost += src->lost;
  dst->concurrent += src->concurrent;
  dst->enomem += src->enomem;
  dst->lock_wait += src->lock_wait;
}

void mb_stats_free(mb_stats *s) {
  for (int k = 0; k < MB_NKINDS; k++) free(s->lat[k]);
  memset(s, 0, sizeof *s);
}

uint64_t mb_stats_ops(const mb_stats *s) { return s->ops[0] + s->ops[1] + s->ops[2]; }

const char *mb_classify(const int64_t *o) {
  if (o[0]) return "lost_key";
  return o[1] ? "concurrent_access" : NULL;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* Nearest rank of a sorted array: the smallest value with at least q of
 * the values at or below it. */
static double rank(const uint32_t *v, size_t n, double q) {
  if (!n) return 0;
  size_t i = (size_t)ceil(q * (double)n);
  return v[i ? i - 1 : 0];
}

static void percentiles(sim_metrics *m, const char *unit, const char *suffix, uint32_t *v,
                        size_t n) {
  char key[64];
  if (n) qsort(v, n, sizeof *v, cmp_u32);
  snprintf(key, sizeof key, "mapbench.p50_%s%s", unit, suffix);
  metrics_set(m, key, rank(v, n, 0.50));
  snprintf(key, sizeof key, "mapbench.p99_%s%s", unit, suffix);
  metrics_set(m, key, rank(v, n, 0.99));
}

void mb_metrics(sim_metrics *m, mb_stats *s, uint64_t time, bool native) {
  uint64_t ops = mb_stats_ops(s);
  double n = ops ? (double)ops : 1, t = time ? (double)time : 1;
  const char *unit = native ? "ns" : "cycles";
  metrics_set(m, "mapbench.ops", (double)ops);
  if (native) metrics_set(m, "mapbench.ops_per_s", 1e9 * (double)ops / t);
  else metrics_set(m, "mapbench.ops_per_kcycle", 1000.0 * (double)ops / t);
  size_t all_n = s->nlat[0] + s->nlat[1] + s->nlat[2], at = 0;
  uint32_t *all = malloc((all_n ? all_n : 1) * sizeof *all);
  for (int k = 0; k < MB_NKINDS; k++) {
    char key[64];
    snprintf(key, sizeof key, "mapbench.ops.%s", mb_kind_name[k]);
    metrics_set(m, key, (double)s->ops[k]);
    snprintf(key, sizeof key, ".%s", mb_kind_name[k]);
    percentiles(m, unit, key, s->lat[k], s->nlat[k]);
    if (all && s->nlat[k]) memcpy(all + at, s->lat[k], s->nlat[k] * sizeof *all);
    at += s->nlat[k];
  }
  if (all) percentiles(m, unit, "", all, all_n);
  free(all);
  metrics_set(m, native ? "mapbench.lock_wait_ns_per_op" : "mapbench.lock_wait_per_op",
              (double)s->lock_wait / n);
  metrics_set(m, "mapbench.lost", (double)s->lost);
  metrics_set(m, "mapbench.concurrent", (double)s->concurrent);
  metrics_set(m, "mapbench.enomem", (double)s->enomem);
  if (native) return;
  double misses = metrics_get(m, "l1.load_misses", 0) + metrics_get(m, "l1.store_misses", 0) +
                  metrics_get(m, "l1.rmw_misses", 0);
  /* A line lost to another core's write: an Inv to a sharer, or a
   * forwarded GetM taking an owner's line (an RMW on a lock's line). */
  double inv = metrics_get(m, "l1.invs_received", 0) + metrics_get(m, "net.msgs.FWD_GETM", 0);
  metrics_set(m, "mapbench.inv_per_op", inv / n);
  metrics_set(m, "mapbench.msgs_per_op", metrics_get(m, "net.msgs", 0) / n);
  metrics_set(m, "mapbench.l1_miss_per_op", misses / n);
}
