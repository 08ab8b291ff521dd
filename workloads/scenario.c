/* workloads/scenario.c -- the scenario registry, instances and outcome text. */
#include "scenario.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const wl_scenario *const all[] = {
    &wl_publish_flag,  &wl_delete_len,           &wl_overflow_publish,  &wl_iterate_delete,
    &wl_refcount_tear, &wl_refcount_lost_update, &wl_write_detect_miss, &wl_dekker_flags,
    &wl_grow_evacuate,
};
#define NSCEN (sizeof all / sizeof all[0])

const wl_scenario *wl_scenario_at(size_t i) { return i < NSCEN ? all[i] : NULL; }

const wl_scenario *wl_scenario_find(const char *name) {
  for (size_t i = 0; i < NSCEN; i++)
    if (strcmp(all[i]->name, name) == 0) return all[i];
  return NULL;
}

void wl_scenario_names(char *buf, size_t n) {
  size_t k = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < NSCEN && k < n; i++)
    k += (size_t)snprintf(buf + k, n - k, "%s%s", i ? "|" : "", all[i]->name);
}

void *wl_arena_alloc(void *arena, size_t bytes) {
  wl_arena *a = arena;
  /* Whole lines at least: separately allocated objects never share one;
   * workload.stride spaces them further (adjacent-line prefetch). */
  size_t need = (bytes + a->align - 1) & ~(a->align - 1);
  size_t at = __atomic_fetch_add(&a->used, need, __ATOMIC_RELAXED);
  if (at + need > a->size) return NULL;
  return a->base + at;
}

int wl_inst_setup(const wl_scenario *s, wl_inst *x, const wl_params *prm, uint8_t *base,
                  size_t size, mem_port *setup_port) {
  memset(x, 0, sizeof *x);
  memset(base, 0, size);
  x->prm = prm;
  x->arena = (wl_arena){base, size, 0, prm->stride > 64 ? prm->stride : 64};
  return s->setup(x, setup_port);
}

/* A key not yet used by x, in `bucket` of map `map` as the map is now. */
uint64_t wl__key_in_bucket(wl_inst *x, mem_port *p, int map, uint64_t bucket) {
  for (uint64_t k = 1;; k++) {
    if (hmap_bucket_of(p, &x->map[map], k) != bucket) continue;
    bool used = false;
    for (size_t i = 0; i < sizeof x->key / sizeof x->key[0]; i++) used |= x->key[i] == k;
    if (!used) return k;
  }
}

size_t wl_outcome_format(const wl_scenario *s, const int64_t *o, char *buf, size_t n) {
  size_t k = 0;
  for (unsigned i = 0; i < s->nobs; i++) {
    char one[96];
    int len = o[i] > 0xffff || o[i] < -0xffff
                  ? snprintf(one, sizeof one, "%s=%#" PRIx64 ";", s->obs_name[i], (uint64_t)o[i])
                  : snprintf(one, sizeof one, "%s=%" PRId64 ";", s->obs_name[i], o[i]);
    if (i) k += (size_t)snprintf(buf ? buf + k : NULL, buf && k < n ? n - k : 0, " ");
    k += (size_t)snprintf(buf ? buf + k : NULL, buf && k < n ? n - k : 0, "%.*s", len, one);
  }
  return k;
}

/* Background keys: prm->keys keys outside bucket 0 (the hot bucket), so the
 * hot chain's layout is the scenario's alone.  The map was made with room
 * for them (hint), so preloading never starts a growth. */
int wl__preload(wl_inst *x, mem_port *p, int map) {
  uint64_t k = UINT64_C(1) << 40;
  for (unsigned n = 0; n < x->prm->keys; k++) {
    if (hmap_bucket_of(p, &x->map[map], k) == 0) continue;
    int rc = hmap_assign(p, &x->map[map], k, k);
    if (rc) return rc;
    n++;
  }
  return HMAP_OK;
}

/* The size hint of a map for `hot` scenario keys: twice the keys, so no
 * scenario write starts a growth, and at least two buckets when there are
 * background keys (they avoid bucket 0). */
static unsigned hint_of(const wl_params *prm, unsigned hot) {
  if (!prm->keys) return hot;
  unsigned h = 2 * (hot + prm->keys);
  return h < HMAP_SLOTS + 1 ? HMAP_SLOTS + 1 : h;
}

/* Make map `map` with room for `hot` keys beyond the background ones. */
int wl__make(wl_inst *x, mem_port *p, int map, unsigned hot) {
  int rc = hmap_make(&x->map[map], p, x->prm->variant, hint_of(x->prm, hot), x->prm->hash0,
                     wl_arena_alloc, &x->arena);
  if (!rc) rc = wl__preload(x, p, map);
  return rc;
}

size_t wl__arena_bytes(const wl_params *prm, unsigned maps, unsigned extra_buckets) {
  size_t al = prm->stride > 64 ? prm->stride : 64;
  size_t b = (sizeof(hmap_bucket) + al - 1) & ~(al - 1);
  size_t nb = 1, hint = hint_of(prm, HMAP_SLOTS + 2);
  while (hint > HMAP_SLOTS && hint > 13 * nb / 2) nb *= 2; /* hmap_make's B */
  /* header, buckets, and overflow buckets for background keys that collide */
  return maps * (2 * al + nb * b + (size_t)prm->keys * b / 4) + extra_buckets * b + 4096;
}
