/* sim/metrics.c -- see metrics.h. */
#include "metrics.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

static void put(sim_metrics *m, const char *key, double value, bool add) {
  for (size_t i = 0; i < m->len; i++)
    if (strcmp(m->v[i].key, key) == 0) {
      m->v[i].value = add ? m->v[i].value + value : value;
      return;
    }
  if (m->len == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 32;
    sim_metric *v = realloc(m->v, cap * sizeof *v);
    if (!v) sim_panic("metrics: out of memory");
    m->v = v;
    m->cap = cap;
  }
  snprintf(m->v[m->len].key, sizeof m->v[m->len].key, "%s", key);
  m->v[m->len++].value = value;
}

void metrics_set(void *ctx, const char *key, double value) { put(ctx, key, value, false); }
void metrics_add(void *ctx, const char *key, double value) { put(ctx, key, value, true); }

double metrics_get(const sim_metrics *m, const char *key, double dflt) {
  for (size_t i = 0; i < m->len; i++)
    if (strcmp(m->v[i].key, key) == 0) return m->v[i].value;
  return dflt;
}

void metrics_free(sim_metrics *m) {
  free(m->v);
  m->v = NULL;
  m->len = m->cap = 0;
}
