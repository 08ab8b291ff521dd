/* cpu/sb.c -- see sb.h. */
#include "sb.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

bool sb_init(sb *b, unsigned entries) {
  b->ring = calloc(entries, sizeof *b->ring);
  b->cap = entries;
  sb_clear(b);
  return b->ring != NULL;
}

void sb_free(sb *b) {
  free(b->ring);
  b->ring = NULL;
}

void sb_push(sb *b, uint64_t addr, unsigned size, uint64_t value, uint64_t line,
             uint64_t ready_at, uint32_t epoch) {
  assert(!sb_full(b));
  sb_entry *e = &b->ring[(b->head + b->len) % b->cap];
  e->addr = addr;
  e->size = size;
  e->value = value;
  e->line = line;
  e->ready_at = ready_at;
  e->epoch = epoch;
  e->state = SB_WAITING;
  b->len++;
  b->pending++;
}

bool sb_may_send(const sb *b, unsigned i) {
  const sb_entry *e = sb_at(b, i);
  for (unsigned j = 0; j < i; j++) {
    const sb_entry *o = sb_at(b, j);
    if (o->state == SB_PERFORMED) continue;
    if (o->line == e->line || o->epoch != e->epoch) return false; /* SB1, SB3 */
  }
  return true;
}

bool sb_performed(sb *b, unsigned i) {
  bool overtook = false;
  for (unsigned j = 0; j < i && !overtook; j++) overtook = sb_at(b, j)->state != SB_PERFORMED;
  sb_at(b, i)->state = SB_PERFORMED;
  b->pending--;
  while (b->len && sb_at(b, 0)->state == SB_PERFORMED) {
    b->head = (b->head + 1) % b->cap;
    b->len--;
  }
  return overtook;
}

sb_fwd sb_forward(const sb *b, uint64_t addr, unsigned size, uint64_t *value) {
  for (unsigned i = b->len; i-- > 0;) { /* SB2: youngest first */
    const sb_entry *e = sb_at(b, i);
    if (e->state == SB_PERFORMED) continue;
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

bool sb_check(const sb *b) {
  unsigned pending = 0;
  for (unsigned i = 0; i < b->len; i++) pending += sb_at(b, i)->state != SB_PERFORMED;
  return b->len <= b->cap && b->head < b->cap && pending == b->pending &&
         (!b->len || sb_at(b, 0)->state != SB_PERFORMED);
}

const char *sb_str(const sb *b, char *buf, size_t n) {
  static const char state[] = "wfp";
  size_t k = (size_t)snprintf(buf, n, "sb[%u/%u, %u pending]", b->len, b->cap, b->pending);
  for (unsigned i = 0; i < b->len && k < n; i++) {
    const sb_entry *e = sb_at(b, i);
    k += (size_t)snprintf(buf + k, n - k, " %#" PRIx64 ":%u=%" PRIu64 "%c", e->addr, e->size,
                          e->value, state[e->state]);
  }
  return buf;
}
