/* cpu/iq.c -- see iq.h.  A small array searched linearly: a queue holds a
 * handful of entries (cpu.invalidate_queue.entries, 8 by default). */
#include "iq.h"

#include <stdlib.h>
#include <string.h>

bool iq_init(iq *q, unsigned cap) {
  q->v = calloc(cap ? cap : 1, sizeof *q->v);
  q->len = 0;
  q->cap = cap;
  q->next_seq = 1;
  return q->v != NULL;
}

void iq_free(iq *q) {
  free(q->v);
  q->v = NULL;
}

uint64_t iq_push(iq *q, uint64_t line, uint64_t at) {
  q->v[q->len] = (iq_entry){line, at, q->next_seq};
  q->len++;
  return q->next_seq++;
}

const iq_entry *iq_find(const iq *q, uint64_t line) {
  for (unsigned i = 0; i < q->len; i++)
    if (q->v[i].line == line) return &q->v[i];
  return NULL;
}

const iq_entry *iq_find_seq(const iq *q, uint64_t seq) {
  for (unsigned i = 0; i < q->len; i++)
    if (q->v[i].seq == seq) return &q->v[i];
  return NULL;
}

bool iq_remove(iq *q, uint64_t line) {
  for (unsigned i = 0; i < q->len; i++)
    if (q->v[i].line == line) {
      memmove(&q->v[i], &q->v[i + 1], (q->len - i - 1) * sizeof *q->v); /* IQ2 */
      q->len--;
      return true;
    }
  return false;
}

bool iq_check(const iq *q) {
  for (unsigned i = 0; i < q->len; i++) {
    if (i && q->v[i].at < q->v[i - 1].at) return false; /* IQ2 */
    for (unsigned j = i + 1; j < q->len; j++)
      if (q->v[i].line == q->v[j].line) return false; /* IQ1 */
  }
  return q->len <= q->cap;
}
