/* sim/eventq.h -- the event queue: what happens next, in a fixed order.
 *
 * Events are ordered by (cycle, seq).  seq is a counter taken at scheduling
 * time, so events of the same cycle run in the order they were scheduled
 * (libuv's timer_less_than tie-break on start_id).  That order is part of
 * determinism: two runs that schedule the same events in the same order pop
 * them in the same order.
 *
 * Structure: a timing wheel of EVENTQ_WHEEL one-cycle slots covering
 * [cursor, cursor + EVENTQ_WHEEL), each slot a FIFO list, plus a binary heap
 * for the rare event further out.  Almost every delay in the simulator is a
 * few to a few hundred cycles, so push is an append and pop a bitmap scan.
 * The binary heap alone cost about 65 instructions per push and per pop
 * (callgrind, mmsim bench: a third of all instructions); the wheel takes
 * well under half of that.  Events live in a pool of nodes linked by index; the pool and the
 * heap only grow, so a run reaches its peak in its first iterations and then
 * schedules with no allocation at all.
 *
 * Invariants (eventq_check):
 *   Q1  Every wheel event's cycle lies in [cursor, cursor + EVENTQ_WHEEL), in
 *       slot cycle % EVENTQ_WHEEL; a slot's list is in increasing seq.
 *   Q2  Heap order on the overflow heap; its events are all at or beyond the
 *       wheel's horizon when pushed (they move into the wheel, by seq, as the
 *       cursor reaches them).
 */
#ifndef MMSIM_SIM_EVENTQ_H
#define MMSIM_SIM_EVENTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVENTQ_WHEEL 1024 /* slots; a power of two */

typedef struct sim_engine sim_engine;
typedef void (*sim_handler)(sim_engine *sim, void *ctx, uint64_t arg);

typedef struct sim_event {
  uint64_t cycle, seq;
  sim_handler fn;
  void *ctx;
  uint64_t arg;
  const char *name; /* static: traces read as words */
} sim_event;

typedef struct eventq_node {
  sim_event ev;
  uint32_t next; /* index + 1 in the pool; 0 = none */
} eventq_node;

typedef struct sim_eventq {
  eventq_node *pool;
  uint32_t pool_len, pool_cap, free_list; /* free_list: index + 1 */
  uint32_t head[EVENTQ_WHEEL], tail[EVENTQ_WHEEL];
  uint64_t busy[EVENTQ_WHEEL / 64]; /* bit per non-empty slot */
  uint64_t cursor;                  /* no event lies before it */
  size_t wheel_len;
  sim_event *heap; /* overflow: events beyond the horizon */
  size_t heap_len, heap_cap;
  uint64_t next_seq;
} sim_eventq;

void eventq_init(sim_eventq *q);
void eventq_free(sim_eventq *q);
void eventq_clear(sim_eventq *q); /* drop every event; keeps the memory */
void eventq_push(sim_eventq *q, uint64_t cycle, sim_handler fn, void *ctx,
                 uint64_t arg, const char *name);
/* The cycle of the next event, UINT64_MAX when there is none. */
uint64_t eventq_next_cycle(const sim_eventq *q);
/* Remove the next event into *out, unless the queue is empty or the next
 * event lies beyond `until` (then false, and nothing moves). */
bool eventq_pop(sim_eventq *q, uint64_t until, sim_event *out);
static inline size_t eventq_len(const sim_eventq *q) { return q->wheel_len + q->heap_len; }
bool eventq_check(const sim_eventq *q);

#endif
