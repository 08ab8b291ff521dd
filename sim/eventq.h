/* sim/eventq.h -- the event queue: what happens next, in a fixed order.
 *
 * A binary min-heap of events stored by value in one growable array, keyed by
 * (cycle, seq).  seq is a counter taken at scheduling time, so events of the
 * same cycle run in the order they were scheduled (libuv's timer_less_than
 * tie-break on start_id).  That order is part of determinism: two runs that
 * schedule the same events in the same order pop them in the same order.
 *
 * The array only grows (doubling); a run reaches its peak depth in its first
 * iterations and then schedules with no allocation at all.  A calendar queue
 * would pop in O(1), but our queues hold a few dozen events (one or two per
 * core and message in flight), where a heap of 16-byte keys is as fast and
 * far simpler.
 *
 * Invariants (eventq_check):
 *   Q1  Heap order: no event precedes its parent in (cycle, seq).
 *   Q2  seq values are unique and increase in scheduling order.
 */
#ifndef MMSIM_SIM_EVENTQ_H
#define MMSIM_SIM_EVENTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sim_engine sim_engine;
typedef void (*sim_handler)(sim_engine *sim, void *ctx, uint64_t arg);

typedef struct sim_event {
  uint64_t cycle, seq;
  sim_handler fn;
  void *ctx;
  uint64_t arg;
  const char *name; /* static: traces read as words */
} sim_event;

typedef struct sim_eventq {
  sim_event *heap;
  size_t len, cap;
  uint64_t next_seq;
} sim_eventq;

void eventq_init(sim_eventq *q);
void eventq_free(sim_eventq *q);
void eventq_clear(sim_eventq *q); /* drop every event; keeps the array */
void eventq_push(sim_eventq *q, uint64_t cycle, sim_handler fn, void *ctx,
                 uint64_t arg, const char *name);
bool eventq_pop(sim_eventq *q, sim_event *out); /* false when empty */
static inline size_t eventq_len(const sim_eventq *q) { return q->len; }
static inline const sim_event *eventq_peek(const sim_eventq *q) {
  return q->len ? &q->heap[0] : NULL;
}
bool eventq_check(const sim_eventq *q);

#endif
