/* cache/array.c -- see array.h. */
#include "array.h"

#include <stdlib.h>
#include <string.h>

bool cache_array_init(cache_array *a, unsigned sets, unsigned ways, unsigned line_bytes) {
  memset(a, 0, sizeof *a);
  a->sets = sets;
  a->ways = ways;
  a->line_bytes = line_bytes;
  a->set_mask = sets - 1;
  while ((1u << a->set_shift) < line_bytes) a->set_shift++;
  size_t n = (size_t)sets * ways;
  a->frames = calloc(n, sizeof *a->frames);
  a->bytes = calloc(n, line_bytes);
  a->used = calloc(n, sizeof *a->used);
  if (!a->frames || !a->bytes || !a->used) {
    cache_array_free(a);
    return false;
  }
  return true; /* nothing written: see "Memory is paid for as it is touched" */
}

uint64_t cache_array_bytes(uint64_t sets, uint64_t ways, uint64_t line_bytes) {
  return sets * ways * (sizeof(cache_line) + line_bytes + sizeof(cache_line *));
}

void cache_array_free(cache_array *a) {
  free(a->frames);
  free(a->bytes);
  free(a->used);
  memset(a, 0, sizeof *a);
}

void cache_array_reset(cache_array *a) {
  for (size_t i = 0; i < a->nused; i++) {
    cache_line *l = a->used[i];
    cache_release(l);
    l->used = false;
  }
  a->nused = 0;
  a->clock = 0;
}

cache_line *cache_victim(cache_array *a, uint64_t line, bool (*evictable)(void *, const cache_line *),
                         void *ctx, bool *is_free) {
  cache_line *set = cache_set(a, line), *best = NULL;
  for (unsigned w = 0; w < a->ways; w++) {
    if (!set[w].state) {
      *is_free = true;
      return &set[w];
    }
    if ((!best || set[w].lru < best->lru) && evictable && evictable(ctx, &set[w]))
      best = &set[w];
  }
  *is_free = false;
  return best;
}

void cache_claim(cache_array *a, cache_line *l, uint64_t line) {
  l->data = a->bytes + (size_t)(l - a->frames) * a->line_bytes; /* zero until first claimed */
  l->addr = line;
  l->sharers = 0;
  l->owner = -1;
  l->acks_needed = l->acks_got = 0;
  l->dirty = false;
  l->wait = NULL;
  l->wait_tail = &l->wait;
  cache_touch(a, l);
  if (!l->used) {
    l->used = true;
    a->used[a->nused++] = l;
  }
}

void cache_release(cache_line *l) {
  l->state = 0;
  l->sharers = 0;
  l->owner = -1;
  l->dirty = false;
  l->wait = NULL;
  l->wait_tail = &l->wait;
}

bool cache_array_check(const cache_array *a) {
  for (unsigned s = 0; s < a->sets; s++) {
    const cache_line *set = &a->frames[(size_t)s * a->ways];
    for (unsigned w = 0; w < a->ways; w++) {
      if (!set[w].state) continue;
      if (((set[w].addr >> a->set_shift) & a->set_mask) != s) return false; /* AR2 */
      if (!set[w].used) return false;                                        /* AR3 */
      for (unsigned v = w + 1; v < a->ways; v++)
        if (set[v].state && set[v].addr == set[w].addr) return false;        /* AR1 */
    }
  }
  return true;
}
