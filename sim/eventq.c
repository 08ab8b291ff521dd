/* sim/eventq.c -- see eventq.h. */
#include "eventq.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

#define MASK (EVENTQ_WHEEL - 1)

void eventq_init(sim_eventq *q) { memset(q, 0, sizeof *q); }

void eventq_free(sim_eventq *q) {
  free(q->pool);
  free(q->heap);
  memset(q, 0, sizeof *q);
}

/* Called between iterations, so it only touches busy slots: an empty
 * wheel's slots are already clear, and memset of all of them cost half of
 * all instructions in mmsim bench. */
void eventq_clear(sim_eventq *q) {
  for (uint32_t w = 0; w < EVENTQ_WHEEL / 64 && q->wheel_len; w++)
    for (uint64_t bits = q->busy[w]; bits; bits &= bits - 1) {
      uint32_t s = w * 64 + (uint32_t)__builtin_ctzll(bits);
      q->head[s] = q->tail[s] = 0;
    }
  memset(q->busy, 0, sizeof q->busy);
  q->wheel_len = q->heap_len = 0;
  q->pool_len = q->free_list = 0;
  q->cursor = q->next_seq = 0;
}

/* --- The overflow heap ---------------------------------------------------- */

static inline bool before(const sim_event *a, const sim_event *b) {
  return a->cycle < b->cycle || (a->cycle == b->cycle && a->seq < b->seq);
}

static void heap_push(sim_eventq *q, const sim_event *ev) {
  if (q->heap_len == q->heap_cap) {
    size_t cap = q->heap_cap ? 2 * q->heap_cap : 16;
    sim_event *h = realloc(q->heap, cap * sizeof *h);
    if (!h) sim_panic("event queue: out of memory at %zu events", cap);
    q->heap = h;
    q->heap_cap = cap;
  }
  size_t i = q->heap_len++;
  while (i > 0 && before(ev, &q->heap[(i - 1) / 2])) {
    q->heap[i] = q->heap[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  q->heap[i] = *ev;
}

static void heap_pop(sim_eventq *q, sim_event *out) {
  *out = q->heap[0];
  sim_event last = q->heap[--q->heap_len];
  size_t i = 0, n = q->heap_len;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && before(&q->heap[c + 1], &q->heap[c])) c++;
    if (!before(&q->heap[c], &last)) break;
    q->heap[i] = q->heap[c];
    i = c;
  }
  if (n) q->heap[i] = last;
}

/* --- The wheel ------------------------------------------------------------ */

static uint32_t node_alloc(sim_eventq *q) {
  if (q->free_list) {
    uint32_t i = q->free_list - 1;
    q->free_list = q->pool[i].next;
    return i;
  }
  if (q->pool_len == q->pool_cap) {
    uint32_t cap = q->pool_cap ? 2 * q->pool_cap : 64;
    eventq_node *p = realloc(q->pool, cap * sizeof *p);
    if (!p) sim_panic("event queue: out of memory at %u events", cap);
    q->pool = p;
    q->pool_cap = cap;
  }
  return q->pool_len++;
}

/* Put ev at the end of its slot.  That keeps each slot in seq order (Q1)
 * without a search: a push's seq is the largest yet, and a far event moves
 * in from the heap (in heap order) on the very pop that brings the cursor
 * within reach of its cycle, before any push can target that cycle. */
static inline void wheel_append(sim_eventq *q, const sim_event *ev) {
  uint32_t i = node_alloc(q), s = (uint32_t)(ev->cycle & MASK);
  q->pool[i].ev = *ev;
  q->pool[i].next = 0;
  q->wheel_len++;
  if (q->tail[s])
    q->pool[q->tail[s] - 1].next = i + 1;
  else
    q->head[s] = i + 1, q->busy[s / 64] |= UINT64_C(1) << (s % 64);
  q->tail[s] = i + 1;
}

void eventq_push(sim_eventq *q, uint64_t cycle, sim_handler fn, void *ctx,
                 uint64_t arg, const char *name) {
  sim_event ev = {cycle, q->next_seq++, fn, ctx, arg, name};
  if (cycle < q->cursor) sim_panic("event %s scheduled in the past", name);
  if (cycle - q->cursor < EVENTQ_WHEEL)
    wheel_append(q, &ev);
  else
    heap_push(q, &ev); /* Q2 */
}

/* The cycle of the first busy slot at or after the cursor's; the wheel is
 * not empty.  Scans the bitmap a word at a time, wrapping around once. */
static uint64_t first_busy(const sim_eventq *q) {
  enum { NW = EVENTQ_WHEEL / 64 };
  uint32_t start = (uint32_t)(q->cursor & MASK), w0 = start / 64;
  uint64_t high = ~UINT64_C(0) << (start % 64);
  for (uint32_t k = 0; k <= NW; k++) {
    uint32_t w = (w0 + k) % NW;
    uint64_t bits = q->busy[w] & (k == 0 ? high : k == NW ? ~high : ~UINT64_C(0));
    if (bits) {
      uint32_t slot = w * 64 + (uint32_t)__builtin_ctzll(bits);
      return q->cursor + ((slot - start) & MASK);
    }
  }
  sim_panic("event queue: wheel count %zu but no busy slot", q->wheel_len);
}

uint64_t eventq_next_cycle(const sim_eventq *q) {
  uint64_t c = q->wheel_len ? first_busy(q) : UINT64_MAX;
  return q->heap_len && q->heap[0].cycle < c ? q->heap[0].cycle : c;
}

bool eventq_pop(sim_eventq *q, uint64_t until, sim_event *out) {
  if (!eventq_len(q)) return false;
  uint64_t next = eventq_next_cycle(q);
  if (next > until) return false;
  q->cursor = next; /* every event lies at or after it */
  while (q->heap_len && q->heap[0].cycle - q->cursor < EVENTQ_WHEEL) {
    sim_event ev; /* Q2: far events join the wheel as it reaches them */
    heap_pop(q, &ev);
    wheel_append(q, &ev);
  }
  uint32_t s = (uint32_t)(next & MASK), i = q->head[s] - 1;
  *out = q->pool[i].ev;
  q->head[s] = q->pool[i].next;
  if (!q->head[s]) {
    q->tail[s] = 0;
    q->busy[s / 64] &= ~(UINT64_C(1) << (s % 64));
  }
  q->pool[i].next = q->free_list;
  q->free_list = i + 1;
  q->wheel_len--;
  return true;
}

bool eventq_check(const sim_eventq *q) {
  size_t n = 0;
  for (uint32_t s = 0; s < EVENTQ_WHEEL; s++) {
    uint64_t last_seq = 0;
    bool busy = (q->busy[s / 64] >> (s % 64)) & 1;
    if (busy != (q->head[s] != 0)) return false;
    for (uint32_t i = q->head[s]; i; i = q->pool[i - 1].next, n++) {
      const sim_event *ev = &q->pool[i - 1].ev;
      if (ev->cycle < q->cursor || ev->cycle - q->cursor >= EVENTQ_WHEEL) return false;
      if ((ev->cycle & MASK) != s || (n && i != q->head[s] && ev->seq <= last_seq)) return false;
      last_seq = ev->seq;
    }
  }
  for (size_t i = 1; i < q->heap_len; i++)
    if (before(&q->heap[i], &q->heap[(i - 1) / 2])) return false;
  return n == q->wheel_len;
}
