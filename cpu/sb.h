/* cpu/sb.h -- the store buffer of one core.
 *
 * Holds stores between retirement and the moment they perform (reach the
 * L1 in M).  A ring of entries in program order.  Each entry is WAITING
 * (not yet sent), IN_FLIGHT (its drain request is in the memory system) or
 * PERFORMED; performed entries leave from the head, so under pso and weak an
 * entry that performed out of order stays until every older one has.
 *
 * Which entry may be sent next is the core's policy (core.c): tso sends
 * the oldest only, pso and weak any entry SB1 and SB3 allow.
 *
 * The struct is public so the core embeds it and the checks on every load
 * stay inline; only sb.c changes its fields.
 *
 * Invariants (sb_check):
 *   SB1  Two entries to the same line perform in program order.
 *   SB2  A load is forwarded from the youngest older entry that covers it and
 *        has not performed, and only if that entry covers every byte it reads
 *        (else PARTIAL: the load waits, as x86 does for a partial overlap).
 *        A performed entry never forwards: its value is in memory, where a
 *        newer store by another core may already have replaced it.
 *   SB3  An entry performs only after every older entry of an older epoch
 *        (a store fence between them) has performed.
 *   SB4  pending counts the entries that have not performed.
 */
#ifndef MMSIM_CPU_SB_H
#define MMSIM_CPU_SB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { SB_WAITING, SB_IN_FLIGHT, SB_PERFORMED } sb_state;

typedef struct sb_entry {
  uint64_t addr, value;
  uint64_t line;     /* addr's cache line (SB1) */
  uint64_t ready_at; /* cycle from which it may be sent */
  unsigned size;
  uint32_t epoch;    /* store fences before it in program order (SB3) */
  uint8_t state;     /* sb_state */
} sb_entry;

typedef struct sb {
  sb_entry *ring;
  unsigned cap, head, len;
  unsigned pending; /* SB4 */
} sb;

typedef enum { SB_MISS, SB_HIT, SB_PARTIAL } sb_fwd;

/* Lifetime */
bool sb_init(sb *b, unsigned entries); /* false if out of memory */
void sb_free(sb *b);
static inline void sb_clear(sb *b) { b->head = b->len = b->pending = 0; }

/* Core side.  Empty: every store has performed (a fence's condition). */
static inline bool sb_empty(const sb *b) { return b->pending == 0; }
static inline bool sb_full(const sb *b) { return b->len == b->cap; }
static inline unsigned sb_len(const sb *b) { return b->len; }
void sb_push(sb *b, uint64_t addr, unsigned size, uint64_t value, uint64_t line,
             uint64_t ready_at, uint32_t epoch);
sb_fwd sb_forward(const sb *b, uint64_t addr, unsigned size, uint64_t *value);

/* Drain side.  Slots are ring positions: an entry keeps its slot for life. */
static inline unsigned sb_slot(const sb *b, unsigned i) { return (b->head + i) % b->cap; }
static inline sb_entry *sb_at(const sb *b, unsigned i) { /* 0 = oldest */
  return &b->ring[sb_slot(b, i)];
}
static inline unsigned sb_age(const sb *b, unsigned slot) { /* slot -> i */
  return (slot + b->cap - b->head) % b->cap;
}
/* May entry i be sent now under SB1 and SB3 (ignoring ready_at)? */
bool sb_may_send(const sb *b, unsigned i);
/* Entry i performed: mark it, retire performed entries from the head.
 * Returns true if an older entry had not performed (a store_store reorder). */
bool sb_performed(sb *b, unsigned i);

/* Debug */
bool sb_check(const sb *b);
const char *sb_str(const sb *b, char *buf, size_t n);

#endif
