/* cpu/trace.c -- see trace.h. */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

const char *const trace_kind_name[] = {"load", "store", "drain", "rmw", "fence", "iq_apply", "msg", "cell"};
const char *const trace_src_name[] = {"store_buffer", "memory", "stale_line"};

bool cpu_trace_init(cpu_trace *t, size_t cap) {
  memset(t, 0, sizeof *t);
  t->ev = calloc(cap ? cap : 1, sizeof *t->ev);
  t->cap = cap;
  return t->ev != NULL;
}

void cpu_trace_free(cpu_trace *t) {
  free(t->ev);
  memset(t, 0, sizeof *t);
}

void cpu_trace_clear(cpu_trace *t) {
  t->n = 0;
  t->dropped = 0;
}

trace_ev *cpu_trace_add(cpu_trace *t) {
  if (t->n == t->cap) {
    t->dropped++;
    return NULL;
  }
  trace_ev *e = &t->ev[t->n++];
  memset(e, 0, sizeof *e);
  return e;
}
