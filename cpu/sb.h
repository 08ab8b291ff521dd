/* cpu/sb.h -- the store buffer of one core.
 *
 * Holds stores between retirement and the moment they perform (reach memory,
 * or with the MESI hierarchy the L1 in M).  A ring of entries in program
 * order.  tso drains the oldest entry only; pso and weak (issue 4) may drain
 * younger entries to other lines first.
 *
 * The struct is public so the core embeds it and the length checks on every
 * load stay inline; only sb.c changes its fields.
 *
 * Invariants (sb_check):
 *   SB1  Two entries to the same line drain in program order.
 *   SB2  A load is forwarded from the youngest older entry that covers it,
 *        and only if that entry covers every byte it reads (else PARTIAL:
 *        the load waits, as x86 does for a partially overlapping store).
 */
#ifndef MMSIM_CPU_SB_H
#define MMSIM_CPU_SB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sb_entry {
  uint64_t addr, value;
  unsigned size;
  uint64_t ready_at; /* cycle from which it may start to drain */
} sb_entry;

typedef struct sb {
  sb_entry *ring;
  unsigned cap, head, len;
} sb;

typedef enum { SB_MISS, SB_HIT, SB_PARTIAL } sb_fwd;

/* Lifetime */
bool sb_init(sb *b, unsigned entries); /* false if out of memory */
void sb_free(sb *b);
static inline void sb_clear(sb *b) { b->head = b->len = 0; }

/* Core side */
static inline bool sb_empty(const sb *b) { return b->len == 0; }
static inline bool sb_full(const sb *b) { return b->len == b->cap; }
static inline unsigned sb_len(const sb *b) { return b->len; }
void sb_push(sb *b, uint64_t addr, unsigned size, uint64_t value, uint64_t ready_at);
sb_fwd sb_forward(const sb *b, uint64_t addr, unsigned size, uint64_t *value);

/* Drain side */
static inline sb_entry *sb_at(const sb *b, unsigned i) { /* 0 = oldest */
  return &b->ring[(b->head + i) % b->cap];
}
void sb_pop(sb *b); /* remove the oldest */

/* Debug */
bool sb_check(const sb *b);
const char *sb_str(const sb *b, char *buf, size_t n);

#endif
