/* cache/ideal.c -- the ideal memory: one shared store, a latency, jitter.
 *
 * The reference below every model: no caches, so no coherence to get wrong.
 * Each access performs at one cycle, atomically, on main memory; the seeded
 * jitter varies that cycle per access, so iterations interleave differently
 * as they do on hardware.  The MESI hierarchy (issue 3) replaces it as the
 * default and is tested against it.
 */
#include <stdlib.h>

#include "../sim/rng.h"
#include "memsys.h"

typedef struct ideal {
  memsys base;
  memsys_params p;
  sim_rng *jitter; /* one stream per core */
  uint64_t *mon;   /* MS3: per core, the monitored address + 1, or 0 */
  uint64_t jitter_name; /* sim_name_hash("ideal.jitter") */
  uint64_t loads, stores, rmws;
} ideal;

static void perform(sim_engine *sim, void *ctx, uint64_t arg) {
  ideal *m = ctx;
  mem_req *r = (mem_req *)(uintptr_t)arg;
  uint8_t *p = m->base.data + r->addr;
  uint64_t old = memsys_get(p, r->size);
  /* MS3: with no lines, a monitor holds the address; any other core's
   * write there clears it. */
  if (r->kind != REQ_LOAD)
    for (unsigned c = 0; c < m->p.cores; c++)
      if (c != r->core && m->mon[c] == r->addr + 1) m->mon[c] = 0;
  switch (r->kind) {
  case REQ_LOAD:
    m->loads++;
    r->value = old;
    if (r->excl) m->mon[r->core] = r->addr + 1;
    break;
  case REQ_STORE:
    m->stores++;
    memsys_put(p, r->size, r->value);
    break;
  case REQ_RMW:
    m->rmws++;
    memsys_put(p, r->size, mem_rmw_apply(r->op, old, r->value));
    r->value = old;
    break;
  case REQ_CAS:
    m->rmws++;
    r->success = r->excl ? m->mon[r->core] == r->addr + 1 : old == mem_trunc(r->expected, r->size);
    if (r->excl) m->mon[r->core] = 0;
    if (r->success) memsys_put(p, r->size, r->value);
    r->value = old;
    break;
  }
  r->perf_at = sim_now(sim);
  r->done(sim, r);
}

static void submit(memsys *base, sim_engine *sim, mem_req *r) {
  ideal *m = (ideal *)base;
  uint64_t delay = r->delay + m->p.latency + sim_rng_upto(&m->jitter[r->core], m->p.jitter);
  sim_schedule(sim, delay, perform, m, (uint64_t)(uintptr_t)r, "ideal.perform");
}

static uint64_t peek(memsys *base, uint64_t addr, unsigned size) {
  return memsys_get(base->data + addr, size);
}

static void reset(memsys *base, uint64_t iter_seed) {
  ideal *m = (ideal *)base;
  for (unsigned c = 0; c < m->p.cores; c++) {
    sim_rng_derive_h(&m->jitter[c], iter_seed, m->jitter_name, c);
    m->mon[c] = 0;
  }
}

static void metrics(memsys *base, memsys_metric_fn fn, void *ctx) {
  ideal *m = (ideal *)base;
  fn(ctx, "mem.loads", (double)m->loads);
  fn(ctx, "mem.stores", (double)m->stores);
  fn(ctx, "mem.rmws", (double)m->rmws);
}

static void absorb(memsys *base, const memsys *from) {
  ideal *m = (ideal *)base;
  const ideal *f = (const ideal *)from;
  m->loads += f->loads;
  m->stores += f->stores;
  m->rmws += f->rmws;
}

static void destroy(memsys *base) {
  ideal *m = (ideal *)base;
  free(m->jitter);
  free(m->mon);
  free(m);
}

static void quiesce(memsys *base) { (void)base; /* no caches: memory is always current */ }

static void warm(memsys *base, uint64_t addr, uint64_t bytes, uint64_t iter_seed) {
  (void)base, (void)addr, (void)bytes, (void)iter_seed; /* nothing to warm */
}

static bool holds(memsys *base, unsigned core, uint64_t addr) {
  (void)base, (void)core, (void)addr;
  return false; /* no caches: every store is a miss */
}

static void iq_apply(memsys *base, sim_engine *sim, unsigned core) {
  (void)base, (void)sim, (void)core; /* no invalidate queues */
}

static const memsys_ops ideal_ops = {
    .access = submit, .peek = peek, .reset = reset, .quiesce = quiesce, .warm = warm, .holds = holds, .iq_apply = iq_apply,
    .metrics = metrics, .absorb = absorb, .free = destroy,
};

memsys *memsys_ideal_new(const memsys_params *p, uint8_t *data, size_t size) {
  ideal *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->jitter = calloc(p->cores ? p->cores : 1, sizeof *m->jitter);
  m->mon = calloc(p->cores ? p->cores : 1, sizeof *m->mon);
  if (!m->jitter || !m->mon) {
    free(m->jitter);
    free(m->mon);
    free(m);
    return NULL;
  }
  m->base.ops = &ideal_ops;
  m->base.data = data;
  m->base.size = size;
  m->p = *p;
  m->jitter_name = sim_name_hash("ideal.jitter");
  reset(&m->base, 0);
  return &m->base;
}
