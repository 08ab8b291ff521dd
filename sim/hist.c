/* sim/hist.c -- see hist.h. */
#include "hist.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

typedef struct entry {
  uint64_t count, first;
} entry;

struct sim_hist {
  unsigned width;
  size_t len, cap;   /* entries */
  int64_t *keys;     /* len * width */
  entry *ents;
  size_t *slots;     /* index + 1, 0 = empty; nslots a power of two */
  size_t nslots;
};

sim_hist *hist_new(unsigned width) {
  sim_hist *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  h->width = width ? width : 1;
  h->nslots = 64;
  h->slots = calloc(h->nslots, sizeof *h->slots);
  if (!h->slots) {
    free(h);
    return NULL;
  }
  return h;
}

void hist_free(sim_hist *h) {
  if (!h) return;
  free(h->keys);
  free(h->ents);
  free(h->slots);
  free(h);
}

static uint64_t hash(const int64_t *v, unsigned w) {
  uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (unsigned i = 0; i < w; i++) {
    x ^= (uint64_t)v[i];
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 32;
  }
  return x;
}

static void rehash(sim_hist *h) {
  size_t n = h->nslots * 2, *s = calloc(n, sizeof *s);
  if (!s) sim_panic("histogram: out of memory at %zu outcomes", h->len);
  for (size_t i = 0; i < h->len; i++) {
    size_t j = hash(h->keys + i * h->width, h->width) & (n - 1);
    while (s[j]) j = (j + 1) & (n - 1);
    s[j] = i + 1;
  }
  free(h->slots);
  h->slots = s;
  h->nslots = n;
}

size_t hist_add(sim_hist *h, const int64_t *vals, uint64_t iteration) {
  size_t bytes = h->width * sizeof *vals;
  size_t j = hash(vals, h->width) & (h->nslots - 1);
  for (; h->slots[j]; j = (j + 1) & (h->nslots - 1)) {
    size_t i = h->slots[j] - 1;
    if (memcmp(h->keys + i * h->width, vals, bytes) == 0) {
      h->ents[i].count++;
      return i;
    }
  }
  if (h->len == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 16;
    int64_t *k = realloc(h->keys, cap * bytes);
    if (k) h->keys = k;
    entry *e = realloc(h->ents, cap * sizeof *e);
    if (e) h->ents = e;
    if (!k || !e) sim_panic("histogram: out of memory at %zu outcomes", h->len);
    h->cap = cap;
  }
  size_t i = h->len++;
  memcpy(h->keys + i * h->width, vals, bytes);
  h->ents[i] = (entry){1, iteration};
  h->slots[j] = i + 1;
  if (2 * h->len > h->nslots) rehash(h);
  return i;
}

long hist_find(const sim_hist *h, const int64_t *vals) {
  size_t bytes = h->width * sizeof *vals;
  for (size_t j = hash(vals, h->width) & (h->nslots - 1); h->slots[j];
       j = (j + 1) & (h->nslots - 1))
    if (memcmp(h->keys + (h->slots[j] - 1) * h->width, vals, bytes) == 0)
      return (long)(h->slots[j] - 1);
  return -1;
}

size_t hist_len(const sim_hist *h) { return h->len; }
unsigned hist_width(const sim_hist *h) { return h->width; }
const int64_t *hist_key(const sim_hist *h, size_t i) { return h->keys + i * h->width; }
uint64_t hist_count(const sim_hist *h, size_t i) { return h->ents[i].count; }
uint64_t hist_first(const sim_hist *h, size_t i) { return h->ents[i].first; }

const int64_t *hist_only(const sim_hist *h) { return hist_len(h) == 1 ? hist_key(h, 0) : NULL; }

/* Sorting permutes keys and entries together through an index array. */
static int cmp_first(const void *a, const void *b, void *ctx) {
  const sim_hist *h = ctx;
  uint64_t x = h->ents[*(const size_t *)a].first, y = h->ents[*(const size_t *)b].first;
  return (x > y) - (x < y);
}

static int cmp_idx(const void *a, const void *b, void *ctx) {
  const sim_hist *h = ctx;
  const int64_t *x = hist_key(h, *(const size_t *)a);
  const int64_t *y = hist_key(h, *(const size_t *)b);
  for (unsigned i = 0; i < h->width; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

static void sort_by(sim_hist *h, int (*cmp)(const void *, const void *, void *)) {
  if (h->len < 2) return;
  size_t n = h->len, bytes = h->width * sizeof(int64_t);
  size_t *idx = malloc(n * sizeof *idx);
  int64_t *keys = malloc(n * bytes);
  entry *ents = malloc(n * sizeof *ents);
  if (!idx || !keys || !ents) sim_panic("histogram: out of memory sorting");
  for (size_t i = 0; i < n; i++) idx[i] = i;
  qsort_r(idx, n, sizeof *idx, cmp, h);
  for (size_t i = 0; i < n; i++) {
    memcpy(keys + i * h->width, h->keys + idx[i] * h->width, bytes);
    ents[i] = h->ents[idx[i]];
  }
  free(idx);
  free(h->keys);
  free(h->ents);
  h->keys = keys;
  h->ents = ents;
  h->cap = n;
  rehash(h); /* rebuilds slots for the new order (doubles them: harmless) */
}

void hist_sort(sim_hist *h) { sort_by(h, cmp_idx); }

void hist_absorb(sim_hist *dst, const sim_hist *src) {
  for (size_t i = 0; i < src->len; i++) {
    const int64_t *k = hist_key(src, i);
    long j = hist_find(dst, k);
    if (j < 0) {
      j = (long)hist_add(dst, k, src->ents[i].first);
      dst->ents[j].count = 0;
    }
    entry *e = &dst->ents[j];
    e->count += src->ents[i].count;
    if (src->ents[i].first < e->first) e->first = src->ents[i].first;
  }
  sort_by(dst, cmp_first); /* firsts differ: one iteration, one outcome */
}
