/* sim/eventq.c -- see eventq.h. */
#include "eventq.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

void eventq_init(sim_eventq *q) { memset(q, 0, sizeof *q); }

void eventq_free(sim_eventq *q) {
  free(q->heap);
  memset(q, 0, sizeof *q);
}

void eventq_clear(sim_eventq *q) { q->len = 0; }

static inline bool before(const sim_event *a, const sim_event *b) {
  return a->cycle < b->cycle || (a->cycle == b->cycle && a->seq < b->seq);
}

void eventq_push(sim_eventq *q, uint64_t cycle, sim_handler fn, void *ctx,
                 uint64_t arg, const char *name) {
  if (q->len == q->cap) {
    size_t cap = q->cap ? 2 * q->cap : 64;
    sim_event *h = realloc(q->heap, cap * sizeof *h);
    if (!h) sim_panic("event queue: out of memory at %zu events", cap);
    q->heap = h;
    q->cap = cap;
  }
  sim_event ev = {cycle, q->next_seq++, fn, ctx, arg, name};
  size_t i = q->len++;
  while (i > 0) { /* sift up */
    size_t parent = (i - 1) / 2;
    if (!before(&ev, &q->heap[parent])) break;
    q->heap[i] = q->heap[parent];
    i = parent;
  }
  q->heap[i] = ev;
}

bool eventq_pop(sim_eventq *q, sim_event *out) {
  if (q->len == 0) return false;
  *out = q->heap[0];
  sim_event last = q->heap[--q->len];
  size_t i = 0, n = q->len;
  for (;;) { /* sift down */
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && before(&q->heap[c + 1], &q->heap[c])) c++;
    if (!before(&q->heap[c], &last)) break;
    q->heap[i] = q->heap[c];
    i = c;
  }
  if (n) q->heap[i] = last;
  return true;
}

bool eventq_check(const sim_eventq *q) {
  for (size_t i = 1; i < q->len; i++)
    if (before(&q->heap[i], &q->heap[(i - 1) / 2])) return false; /* Q1 */
  for (size_t i = 0; i < q->len; i++)
    if (q->heap[i].seq >= q->next_seq) return false; /* Q2 */
  return true;
}
