/* cpu/iq.h -- an invalidate queue: invalidations acknowledged but not yet
 * applied, oldest first (weak model; McKenney, "Memory Barriers: a Hardware
 * View for Software Hackers").
 *
 * Only the data structure lives here; the L1 controller (cache/l1.c) pushes
 * an entry when it acks an Inv early and applies entries when they come due,
 * when the queue is full, or when the core asks (rmb, full fence, acquire).
 *
 * Invariants:
 *   IQ1  At most one entry per line (a queued line is no longer a sharer,
 *        so no second Inv can come for it).
 *   IQ2  Entries are in arrival order.
 */
#ifndef MMSIM_CPU_IQ_H
#define MMSIM_CPU_IQ_H

#include <stdbool.h>
#include <stdint.h>

typedef struct iq_entry {
  uint64_t line, at, seq; /* the line, when its Inv arrived, a serial */
} iq_entry;

typedef struct iq {
  iq_entry *v;
  unsigned len, cap;
  uint64_t next_seq;
} iq;

bool iq_init(iq *q, unsigned cap); /* false if out of memory */
void iq_free(iq *q);
static inline void iq_clear(iq *q) { q->len = 0; }
static inline bool iq_full(const iq *q) { return q->len == q->cap; }

/* Queue line's Inv (the queue is not full); returns the entry's serial. */
uint64_t iq_push(iq *q, uint64_t line, uint64_t at);
/* The entry for line, or the one with serial seq; NULL if none. */
const iq_entry *iq_find(const iq *q, uint64_t line);
const iq_entry *iq_find_seq(const iq *q, uint64_t seq);
/* Take out the entry for line; false if there was none. */
bool iq_remove(iq *q, uint64_t line);

bool iq_check(const iq *q);

#endif
