/* workloads/litmus_sc.c -- see litmus_sc.h. */
#include "litmus_sc.h"

#include <stdlib.h>
#include <string.h>

#include "../cpu/thread.h"

#define MAX_DEPTH 256 /* shared accesses in one execution */

typedef struct sc_port {
  mem_port base;
  struct sc_search *s;
  cpu_thread *co;
  /* the access this thread waits to perform */
  int kind; /* 0 load, 1 store, 2 rmw, 3 cas */
  uint8_t *addr;
  unsigned size;
  uint64_t value, expected, result;
  mem_rmw_op op;
} sc_port;

typedef struct sc_search {
  const litmus_test *t;
  unsigned nthreads, nlocs;
  uint8_t mem[LITMUS_MAX_LOCS * 8];
  void *loc[LITMUS_MAX_LOCS];
  int64_t regs[LITMUS_MAX_THREADS][LITMUS_MAX_REGS];
  sc_port port[LITMUS_MAX_THREADS];
  unsigned path[MAX_DEPTH];
  sim_hist *out;
  uint64_t executions;
} sc_search;

static uint64_t get(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = n; i-- > 0;) v = (v << 8) | p[i];
  return v;
}
static void put(uint8_t *p, unsigned n, uint64_t v) {
  for (unsigned i = 0; i < n; i++, v >>= 8) p[i] = (uint8_t)v;
}

/* --- The port: park before each shared access ----------------------------- */

static uint64_t park(sc_port *p, int kind, const void *addr, unsigned size) {
  p->kind = kind;
  p->addr = (uint8_t *)addr;
  p->size = size;
  cpu_thread_yield(p->co);
  return p->result;
}
static uint64_t sc_load(mem_port *pp, const void *a, unsigned size, mem_order o) {
  (void)o;
  return park((sc_port *)pp, 0, a, size);
}
static void sc_store(mem_port *pp, void *a, uint64_t v, unsigned size, mem_order o) {
  (void)o;
  ((sc_port *)pp)->value = v;
  park((sc_port *)pp, 1, a, size);
}
static uint64_t sc_rmw(mem_port *pp, void *a, mem_rmw_op op, uint64_t v, unsigned size,
                       mem_order o) {
  (void)o; /* SC: every access is ordered */
  sc_port *p = (sc_port *)pp;
  p->value = v;
  p->op = op;
  return park(p, 2, a, size);
}
static bool sc_cas(mem_port *pp, void *a, uint64_t *expected, uint64_t desired, unsigned size,
                   mem_order o) {
  (void)o;
  sc_port *p = (sc_port *)pp;
  p->value = desired;
  p->expected = *expected;
  uint64_t old = park(p, 3, a, size);
  bool ok = old == mem_trunc(*expected, size);
  *expected = old;
  return ok;
}
static void sc_fence(mem_port *pp, mem_fence_kind k) { (void)pp, (void)k; }
static void sc_work(mem_port *pp, unsigned c) { (void)pp, (void)c; }
static const mem_ops sc_ops = {sc_load, sc_store, sc_rmw, sc_cas, sc_fence, sc_work};

/* Perform thread i's parked access atomically, then run it to its next one. */
static void step(sc_search *s, unsigned i) {
  sc_port *p = &s->port[i];
  uint64_t old = get(p->addr, p->size);
  switch (p->kind) {
  case 0: p->result = old; break;
  case 1: put(p->addr, p->size, p->value); break;
  case 2:
    put(p->addr, p->size, mem_rmw_apply(p->op, old, p->value));
    p->result = old;
    break;
  case 3:
    if (old == mem_trunc(p->expected, p->size)) put(p->addr, p->size, p->value);
    p->result = old;
    break;
  }
  cpu_thread_resume(p->co);
}

static void entry(void *arg) {
  sc_port *p = arg;
  litmus_thread_run(p->s->t, p->base.tid, &p->base, p->s->loc, p->s->regs[p->base.tid]);
}

/* Start from the initial state and replay path[0..depth). */
static void replay(sc_search *s, unsigned depth) {
  memset(s->mem, 0, sizeof s->mem);
  for (unsigned i = 0; i < s->nlocs; i++)
    put(s->loc[i], litmus_loc_size(s->t, i), litmus_loc_init(s->t, i));
  for (unsigned i = 0; i < s->nthreads; i++) {
    cpu_thread_start(s->port[i].co, entry, &s->port[i]);
    cpu_thread_resume(s->port[i].co);
  }
  for (unsigned d = 0; d < depth; d++) step(s, s->path[d]);
}

static int search(sc_search *s, unsigned depth, sim_err *err) {
  replay(s, depth);
  unsigned enabled[LITMUS_MAX_THREADS], n = 0;
  for (unsigned i = 0; i < s->nthreads; i++)
    if (!cpu_thread_done(s->port[i].co)) enabled[n++] = i;
  if (n && depth == MAX_DEPTH)
    return sim_errf(err, SIM_EUNSUP, "%s: more than %d shared accesses in one execution",
                    litmus_path(s->t), MAX_DEPTH);
  for (unsigned k = 0; k < n; k++) {
    s->path[depth] = enabled[k];
    int rc = search(s, depth + 1, err);
    if (rc) return rc;
  }
  if (n) return 0;
  if (++s->executions > LITMUS_SC_MAX_EXECUTIONS)
    return sim_errf(err, SIM_EUNSUP, "%s: more than %d SC interleavings to enumerate",
                    litmus_path(s->t), LITMUS_SC_MAX_EXECUTIONS);
  int64_t *regp[LITMUS_MAX_THREADS], vals[LITMUS_MAX_OBS];
  uint64_t mem[LITMUS_MAX_LOCS];
  for (unsigned i = 0; i < s->nthreads; i++) regp[i] = s->regs[i];
  for (unsigned i = 0; i < s->nlocs; i++) mem[i] = get(s->loc[i], litmus_loc_size(s->t, i));
  litmus_observe(s->t, regp, mem, vals);
  hist_add(s->out, vals, s->executions - 1);
  return 0;
}

int litmus_sc_outcomes(const litmus_test *t, sim_hist **out, sim_err *err) {
  sc_search *s = calloc(1, sizeof *s);
  int rc = 0;
  if (!s) return sim_errf(err, SIM_ENOMEM, "out of memory");
  s->t = t;
  s->nthreads = litmus_nthreads(t);
  s->nlocs = litmus_nlocs(t);
  for (unsigned i = 0; i < s->nlocs; i++) s->loc[i] = s->mem + 8 * i;
  s->out = hist_new(litmus_nobs(t));
  if (!s->out) rc = sim_errf(err, SIM_ENOMEM, "out of memory");
  for (unsigned i = 0; i < s->nthreads && !rc; i++) {
    s->port[i] = (sc_port){.base = {&sc_ops, i}, .s = s, .co = cpu_thread_new(64 * 1024)};
    if (!s->port[i].co) rc = sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  if (!rc) rc = search(s, 0, err);
  for (unsigned i = 0; i < s->nthreads; i++) cpu_thread_free(s->port[i].co);
  if (rc) {
    hist_free(s->out);
  } else {
    hist_sort(s->out);
    *out = s->out;
  }
  free(s);
  return rc;
}
