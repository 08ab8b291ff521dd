/* cache/mesi.c -- the MESI hierarchy as a memory system: building it, the
 * memsys entry points, the end of an iteration, and its metrics.  The
 * protocol itself is in l1.c, dir.c and their tables.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mesi_int.h"

/* --- Wait nodes: a pool, so stalls do not allocate once warm -------------- */

cache_wait *cache__wait_new(mesi *m, mem_req *r, net_msg *msg) {
  cache_wait *w = m->wait_free;
  if (w)
    m->wait_free = w->next;
  else if (!(w = malloc(sizeof *w)))
    abort(); /* 24 bytes; the pool only grows to the stalls in flight */
  w->next = NULL;
  w->req = r;
  w->msg = msg;
  return w;
}

void cache__wait_free(mesi *m, cache_wait *w) {
  w->next = m->wait_free;
  m->wait_free = w;
}

/* A callback may let its core run ahead in time (fast forward) only when
 * it is the last thing this event does; before another completion it must
 * not, or that completion would happen at the advanced time. */
void cache__complete(mesi *m) {
  sim_engine *sim = m->sim;
  bool ff = sim->fast_forward;
  while (m->done) {
    mem_req *r = m->done;
    m->done = r->next;
    if (!m->done) m->done_tail = &m->done;
    sim->fast_forward = ff && !m->done;
    r->done(sim, r);
  }
  sim->fast_forward = ff;
}

cache_wait *cache__finish(mesi *m, cache_line *ln, net_msg *msg, bool wake, bool frees) {
  if (msg) net_msg_free(&m->net, msg);
  cache_wait *w = NULL;
  if (wake) {
    w = ln->wait;
    ln->wait = NULL;
    ln->wait_tail = &ln->wait;
  }
  if (frees) {
    if (ln->wait)
      memsys_fault(&m->base, m->sim, "line %#" PRIx64 " freed with requests waiting on it",
                   ln->addr);
    cache_release(ln);
  }
  return w;
}

/* --- memsys entry points ----------------------------------------------------- */

static void deliver(void *ctx, net_msg *msg) {
  mesi *m = ctx;
  if (msg->dst >= m->p.cores)
    dir_receive(&m->dir[msg->dst - m->p.cores], msg);
  else
    l1_receive(&m->l1[msg->dst], msg);
  cache__complete(m);
}

static void arrive(sim_engine *sim, void *ctx, uint64_t arg) {
  l1_ctl *c = ctx;
  (void)sim;
  l1_request(c, (mem_req *)(uintptr_t)arg, true);
  cache__complete(c->m);
}

static void access_(memsys *base, sim_engine *sim, mem_req *r) {
  mesi *m = (mesi *)base;
  m->sim = m->net.sim = sim;
  r->issued = sim_now(sim) + r->delay;
  sim_schedule(sim, r->delay + m->p.l1.latency, arrive, &m->l1[r->core],
               (uint64_t)(uintptr_t)r, "l1.access");
}

/* The coherent value: the owner's copy, else the LLC's, else memory's.
 * Meant for a quiet machine (between iterations it is memory's). */
static uint64_t peek(memsys *base, uint64_t addr, unsigned size) {
  mesi *m = (mesi *)base;
  uint64_t line = addr & ~(uint64_t)(m->p.line_bytes - 1), off = addr - line;
  cache_line *d = cache_find(&mesi_dir(m, line)->llc, line);
  if (d && d->owner >= 0) {
    cache_line *o = cache_find(&m->l1[d->owner].arr, line);
    if (o) return memsys_get(o->data + off, size);
  }
  if (d && d->state != DIR_NI_D) return memsys_get(d->data + off, size);
  return memsys_get(base->data + addr, size);
}

/* Give back whatever an abandoned iteration left waiting on a line. */
static void drop_waiters(mesi *m, cache_array *a) {
  for (size_t i = 0; i < a->nused; i++) {
    cache_line *l = a->used[i];
    while (l->wait) {
      cache_wait *w = l->wait;
      l->wait = w->next;
      if (w->msg) net_msg_free(&m->net, w->msg);
      cache__wait_free(m, w);
    }
    l->wait_tail = &l->wait;
  }
}

/* End of an iteration: owners' data to the LLC, the LLC's dirty lines to
 * memory, every frame freed.  After a normal iteration nothing is in flight;
 * after an abandoned one the engine has dropped its events, and the lines
 * are written back as they stand. */
static void quiesce_bank(mesi *m, cache_array *llc) {
  memsys *base = &m->base;
  for (size_t i = 0; i < llc->nused; i++) {
    cache_line *d = llc->used[i];
    if (!d->state || d->state == DIR_NI_D) continue;
    if (d->owner >= 0) {
      cache_line *o = cache_find(&m->l1[d->owner].arr, d->addr);
      if (o && (o->state == L1_M || o->state == L1_MI_A)) {
        memcpy(d->data, o->data, m->p.line_bytes);
        d->dirty = true;
      }
    }
    if (d->dirty) {
      size_t n = base->size - d->addr < m->p.line_bytes ? base->size - d->addr : m->p.line_bytes;
      memcpy(base->data + d->addr, d->data, n);
    }
  }
  drop_waiters(m, llc);
  cache_array_reset(llc);
}

static void quiesce(memsys *base) {
  mesi *m = (mesi *)base;
  if (m->dir)
    for (unsigned b = 0; b < m->p.llc_banks; b++) quiesce_bank(m, &m->dir[b].llc);
  for (unsigned c = 0; c < m->p.cores; c++) {
    iq_clear(&m->l1[c].iq); /* its lines are freed below: nothing to apply */
    drop_waiters(m, &m->l1[c].arr);
    cache_array_reset(&m->l1[c].arr);
    cache_array_reset(&m->l1[c].l1tags);
    m->l1[c].mon_valid = false; /* MS3: no monitor survives an iteration */
  }
}

/* Where a line starts: in memory, shared by a random non-empty subset of
 * the cores, or owned (E or M) by one, a third each, drawn from the
 * iteration's seed.  Real iterations start with the lines wherever the last
 * one left them, and that spread of first-access latencies is what lets
 * outcomes such as x86's R appear: with every line in memory, a load and a
 * store sent together from one core reach the directory together, and R
 * needs the load to be served long before the store. */
static void warm(memsys *base, uint64_t addr, uint64_t bytes, uint64_t iter_seed) {
  mesi *m = (mesi *)base;
  sim_rng r;
  sim_rng_derive_h(&r, iter_seed, m->warm_name, 0);
  for (uint64_t line = addr & ~(uint64_t)(m->p.line_bytes - 1); line < addr + bytes;
       line += m->p.line_bytes) {
    uint64_t where = sim_rng_upto(&r, 2), pick = sim_rng_next(&r);
    cache_array *llc = &mesi_dir(m, line)->llc;
    if (where == 0 || cache_find(llc, line)) continue;
    bool is_free;
    cache_line *d = cache_victim(llc, line, NULL, NULL, &is_free);
    if (!d || !is_free) continue;
    cache_claim(llc, d, line);
    size_t n = base->size - line < m->p.line_bytes ? base->size - line : m->p.line_bytes;
    memcpy(d->data, base->data + line, n);
    memset(d->data + n, 0, m->p.line_bytes - n);
    if (m->check) check_mem_fill(m->check, line);
    d->state = DIR_I;
    if (where == 1) {
      for (unsigned c = 0; c < m->p.cores; c++)
        if ((pick >> (c % 64) & 1) && l1_place(&m->l1[c], line, L1_S, d->data))
          d->sharers |= UINT64_C(1) << c;
      if (d->sharers) d->state = DIR_S;
    } else {
      unsigned c = (unsigned)((pick >> 1) % m->p.cores);
      if (l1_place(&m->l1[c], line, (pick & 1) ? L1_M : L1_E, d->data)) {
        d->owner = (int32_t)c;
        d->state = DIR_EM;
      }
    }
  }
}

static void reset(memsys *base, uint64_t iter_seed) {
  mesi *m = (mesi *)base;
  m->done = NULL;
  m->done_tail = &m->done;
  net_reset(&m->net, iter_seed);
  if (m->check) check_reset(m->check);
  base->fault.code = 0;
  base->fault.msg[0] = 0;
}

static void metrics(memsys *base, memsys_metric_fn fn, void *ctx) {
  mesi *m = (mesi *)base;
  l1_counters s = {0};
  for (unsigned c = 0; c < m->p.cores; c++) {
#define X(f, key) s.f += m->l1[c].n.f;
    L1_COUNTERS(X)
#undef X
  }
#define X(f, key) fn(ctx, key, (double)s.f);
  L1_COUNTERS(X)
#undef X
  dir_counters ds = {0};
  for (unsigned b = 0; b < m->p.llc_banks; b++) {
#define X(f, key) ds.f += m->dir[b].n.f;
    DIR_COUNTERS(X)
#undef X
  }
#define X(f, key) fn(ctx, key, (double)ds.f);
  DIR_COUNTERS(X)
#undef X
  fn(ctx, "mem.load_latency_avg", s.loads ? (double)s.load_cycles / (double)s.loads : 0);
  fn(ctx, "mem.store_latency_avg", s.stores ? (double)s.store_cycles / (double)s.stores : 0);
  fn(ctx, "mem.rmw_latency_avg", s.rmws ? (double)s.rmw_cycles / (double)s.rmws : 0);
  uint64_t total = 0;
  char key[96];
  for (int t = 0; t < MSG_NTYPES; t++) {
    total += m->net.sent[t];
    snprintf(key, sizeof key, "net.msgs.%s", net_msg_name[t]);
    fn(ctx, key, (double)m->net.sent[t]);
  }
  fn(ctx, "net.msgs", (double)total);
  /* How often each cell fired: only the cells that did (mmsim protocol). */
  for (int st = 0; st < L1_NSTATES; st++)
    for (int ev = 0; ev < L1_NEVENTS; ev++) {
      uint64_t n = 0;
      for (unsigned c = 0; c < m->p.cores; c++) n += m->l1[c].fired[st][ev];
      if (!n) continue;
      snprintf(key, sizeof key, "proto.l1.%s.%s", l1_state_name[st], l1_event_name[ev]);
      fn(ctx, key, (double)n);
    }
  for (int st = 0; st < DIR_NSTATES; st++)
    for (int ev = 0; ev < DIR_NEVENTS; ev++) {
      uint64_t n = 0;
      for (unsigned b = 0; b < m->p.llc_banks; b++) n += m->dir[b].fired[st][ev];
      if (!n) continue;
      snprintf(key, sizeof key, "proto.dir.%s.%s", dir_state_name[st], dir_event_name[ev]);
      fn(ctx, key, (double)n);
    }
}

static void absorb(memsys *base, const memsys *from) {
  mesi *m = (mesi *)base;
  const mesi *f = (const mesi *)from;
  for (unsigned c = 0; c < m->p.cores; c++) {
    l1_ctl *d = &m->l1[c];
    const l1_ctl *s = &f->l1[c];
#define X(f, key) d->n.f += s->n.f;
    L1_COUNTERS(X)
#undef X
    for (int st = 0; st < L1_NSTATES; st++)
      for (int ev = 0; ev < L1_NEVENTS; ev++) d->fired[st][ev] += s->fired[st][ev];
  }
  for (unsigned b = 0; b < m->p.llc_banks; b++) {
    dir_ctl *d = &m->dir[b];
    const dir_ctl *s = &f->dir[b];
#define X(f, key) d->n.f += s->n.f;
    DIR_COUNTERS(X)
#undef X
    for (int st = 0; st < DIR_NSTATES; st++)
      for (int ev = 0; ev < DIR_NEVENTS; ev++) d->fired[st][ev] += s->fired[st][ev];
  }
  for (int t = 0; t < MSG_NTYPES; t++) m->net.sent[t] += f->net.sent[t];
}

static void destroy(memsys *base) {
  mesi *m = (mesi *)base;
  if (!m) return;
  if (m->l1) {
    quiesce(base); /* returns every parked wait node to the pool */
    for (unsigned c = 0; c < m->p.cores; c++) l1_free(&m->l1[c]);
  }
  if (m->dir)
    for (unsigned b = 0; b < m->p.llc_banks; b++) dir_free(&m->dir[b]);
  free(m->dir);
  net_free(&m->net);
  while (m->wait_free) {
    cache_wait *w = m->wait_free;
    m->wait_free = w->next;
    free(w);
  }
  check_free(m->check);
  free(m->l1);
  free(m);
}

static bool holds(memsys *base, unsigned core, uint64_t addr) {
  mesi *m = (mesi *)base;
  l1_ctl *c = &m->l1[core];
  const cache_line *l = cache_find(&c->arr, cache_line_addr(&c->arr, addr));
  return l && (l->state == L1_E || l->state == L1_M);
}

static void iq_apply(memsys *base, sim_engine *sim, unsigned core) {
  mesi *m = (mesi *)base;
  m->sim = m->net.sim = sim;
  l1_iq_apply(&m->l1[core]); /* IQ_APPLY performs nothing: no completions */
}

static void tap(void *ctx, const net_msg *msg, uint64_t arrival) {
  mesi *m = ctx;
  m->observe(m->observe_ctx, msg->src, msg->dst, net_msg_name[msg->type], msg->addr, arrival);
}

static void observe_cells(memsys *base,
                          void (*fn)(void *ctx, unsigned node, const char *state,
                                     const char *event, const char *next, uint64_t line),
                          void *ctx) {
  mesi *m = (mesi *)base;
  m->cell = fn;
  m->cell_ctx = ctx;
}

static void observe(memsys *base,
                    void (*fn)(void *ctx, unsigned src, unsigned dst, const char *type,
                               uint64_t line, uint64_t arrival),
                    void *ctx) {
  mesi *m = (mesi *)base;
  m->observe = fn;
  m->observe_ctx = ctx;
  m->net.tap = fn ? tap : NULL;
  m->net.tap_ctx = fn ? m : NULL;
}

static const memsys_ops mesi_ops = {
    .access = access_, .peek = peek, .reset = reset, .quiesce = quiesce, .warm = warm, .holds = holds, .iq_apply = iq_apply,
    .metrics = metrics, .absorb = absorb, .free = destroy, .observe = observe, .observe_cells = observe_cells,
};

memsys *memsys_mesi_new(const mesi_params *p, uint8_t *data, size_t size, sim_err *err) {
  if (p->llc_banks == 0 || (p->llc_banks & (p->llc_banks - 1)) || p->llc_banks > p->llc.sets) {
    sim_errf(err, SIM_ECONFIG,
             "cache.llc.banks: %u is not a power of two from 1 to cache.llc.sets (%u)",
             p->llc_banks, p->llc.sets);
    return NULL;
  }
  if (p->cores == 0 || p->cores > 64) {
    sim_errf(err, SIM_ECONFIG, "cpu.cores: %u; the MESI directory tracks 1 to 64 cores",
             p->cores);
    return NULL;
  }
  mesi *m = calloc(1, sizeof *m);
  if (!m) goto nomem;
  m->base.ops = &mesi_ops;
  m->base.data = data;
  m->base.size = size;
  m->p = *p;
  m->warm_name = sim_name_hash("cache.initial");
  m->done_tail = &m->done;
  m->l1 = calloc(p->cores, sizeof *m->l1);
  if (!m->l1) goto nomem;
  for (unsigned c = 0; c < p->cores; c++)
    if (l1_init(&m->l1[c], m, c)) goto nomem;
  m->dir = calloc(p->llc_banks, sizeof *m->dir);
  if (!m->dir) goto nomem;
  for (unsigned b = 0; b < p->llc_banks; b++)
    if (dir_init(&m->dir[b], m, b)) goto nomem;
  net_params np = {p->cores + p->llc_banks, p->line_bytes, p->net_latency, p->net_jitter, p->link_cycles};
  if (net_init(&m->net, &np, NULL, deliver, m)) goto nomem;
  if (p->check && !(m->check = check_new(m))) goto nomem;
  return &m->base;
nomem:
  destroy(m ? &m->base : NULL);
  sim_errf(err, SIM_ENOMEM, "out of memory building the cache hierarchy");
  return NULL;
}
