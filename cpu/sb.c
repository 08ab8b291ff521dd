/* cpu/sb.c -- see sb.h. */
#include "sb.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

bool sb_init(sb *b, unsigned entries) {
  b->ring = calloc(entries, sizeof *b->ring);
  b->cap = entries;
  b->head = b->len = 0;
  return b->ring != NULL;
}

void sb_free(sb *b) {
  free(b->ring);
  b->ring = NULL;
}

void sb_push(sb *b, uint64_t addr, unsigned size, uint64_t value, uint64_t ready_at) {
  assert(!sb_full(b));
  sb_entry *e = &b->ring[(b->head + b->len) % b->cap];
  e->addr = addr;
  e->size = size;
  e->value = value;
  e->ready_at = ready_at;
  b->len++;
}

void sb_pop(sb *b) {
  assert(!sb_empty(b));
  b->head = (b->head + 1) % b->cap;
  b->len--;
}

sb_fwd sb_forward(const sb *b, uint64_t addr, unsigned size, uint64_t *value) {
  for (unsigned i = b->len; i-- > 0;) { /* SB2: youngest first */
    const sb_entry *e = sb_at(b, i);
    if (e->addr >= addr + size || addr >= e->addr + e->size) continue;
    if (e->addr <= addr && addr + size <= e->addr + e->size) {
      uint64_t v = e->value >> (8 * (addr - e->addr));
      *value = size >= 8 ? v : v & ((UINT64_C(1) << (8 * size)) - 1);
      return SB_HIT;
    }
    return SB_PARTIAL;
  }
  return SB_MISS;
}

bool sb_check(const sb *b) { return b->len <= b->cap && b->head < b->cap; }

const char *sb_str(const sb *b, char *buf, size_t n) {
  size_t k = (size_t)snprintf(buf, n, "sb[%u/%u]", b->len, b->cap);
  for (unsigned i = 0; i < b->len && k < n; i++) {
    const sb_entry *e = sb_at(b, i);
    k += (size_t)snprintf(buf + k, n - k, " %#" PRIx64 ":%u=%" PRIu64, e->addr, e->size,
                          e->value);
  }
  return buf;
}
