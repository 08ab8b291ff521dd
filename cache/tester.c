/* cache/tester.c -- the random coherence tester: issue, check, watch.
 *
 * Design (the contract and invariants T1-T3 are in tester.h):
 *   - Each requester owns `outstanding` slots; a slot holds one request in
 *     flight at a time.  A completion schedules the slot's next issue as a
 *     zero-delay event instead of calling access() from inside done: a
 *     memory system may call done deep in its own handler, and re-entering
 *     it there is a hazard the MESI controllers need not be written for.
 *     The random gap between requests is r->delay, which the memory system
 *     must honour (MS1), so it is exercised too.
 *   - A slot alternates between two mem_req objects, so a done that runs a
 *     second time finds its request idle even after the slot has issued its
 *     next one (a single object would be busy again and pass).
 *   - The run advances in windows of deadlock_cycles after the last
 *     completion (sim_run's bound): if a window ends with no completion while
 *     requests are in flight, that is a deadlock or livelock, and a queue
 *     that runs dry with requests in flight is a lost request.  No watchdog
 *     event is needed, so the event stream is the memory system's own.
 *   - Shadow bytes are indexed by (line, offset), not by address, so a large
 *     stride costs no shadow memory.
 *   - A load may count as performed in the past (mem_req.perf_at: a weak
 *     core's hit on a line whose invalidation waits in its invalidate
 *     queue performs when that invalidation arrived).  Each shadow byte
 *     keeps its last HISTORY values with the cycles they were replaced, and
 *     such a load must return the value the shadow had then: the check
 *     stays exact under weak, with stale reads allowed only as far back as
 *     the hardware can explain.
 */
#include "tester.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/rng.h"

const char *const tester_kind_name[TESTER_NKINDS] = {
#define X(n, s) s,
    TESTER_KINDS(X)
#undef X
};

static const mem_req_kind req_kind[TESTER_NKINDS] = {REQ_LOAD, REQ_STORE, REQ_RMW, REQ_CAS};

static const char *const rmw_name[] = {
#define X(n) #n,
    MEM_RMW_OPS(X)
#undef X
};
#define NRMW (sizeof rmw_name / sizeof rmw_name[0])

typedef struct tester tester;

#define HISTORY 32 /* replaced values kept per shadow byte */

typedef struct byte_hist {
  uint64_t until[HISTORY]; /* the cycle value[i] was replaced */
  uint8_t value[HISTORY];
  uint8_t next, len;
} byte_hist;

typedef struct tester_writer {
  uint64_t cycle;
  uint32_t core; /* UINT32_MAX: the initial value */
  uint32_t kind;
} tester_writer;

typedef struct treq {
  mem_req r; /* first: done hands back &r, which is the treq */
  tester *t;
  mem_req sent; /* the request as issued: to report it and to see it unchanged */
  tester_kind kind;
  uint64_t issued_at;
  uint32_t shadow_at; /* index of the request's first byte in the shadow */
  uint32_t slot;
  bool busy;
} treq;

typedef struct tslot {
  treq req[2];
  unsigned cur;
} tslot;

struct tester {
  const tester_params *p;
  memsys *m;
  sim_engine sim;
  sim_rng *rng; /* one per requester (T2) */
  tslot *slots; /* requester c's are [c * outstanding, (c + 1) * outstanding) */
  uint8_t *shadow;
  tester_writer *writer; /* per shadow byte: who wrote it last, for reports */
  byte_hist *hist;       /* per shadow byte: what it held before */
  uint64_t issued, inflight, last_done, loc_spacing, weight_sum;
  tester_result *res;
  sim_err *err;
  bool failed;
};

void tester_params_default(tester_params *p) {
  *p = (tester_params){.cores = 4,
                       .outstanding = 2,
                       .ops = 100000,
                       .seed = 1,
                       .lines = 16,
                       .line_bytes = 64,
                       .locs = 4,
                       .base = 0,
                       .stride = 1024 * 64,
                       .max_delay = 16,
                       .deadlock_cycles = 100000,
                       .mix = {40, 30, 15, 15},
                       .log = NULL};
}

int tester_params_check(const tester_params *p, sim_err *err) {
  if (p->cores < 1 || p->cores > 4096)
    return sim_errf(err, SIM_EINVAL, "tester: cores: %u is not in 1..4096", p->cores);
  if (p->outstanding < 1 || p->outstanding > 64)
    return sim_errf(err, SIM_EINVAL, "tester: outstanding: %u is not in 1..64", p->outstanding);
  if (p->lines < 1 || p->lines > 1024)
    return sim_errf(err, SIM_EINVAL, "tester: lines: %u is not in 1..1024", p->lines);
  if (p->line_bytes < 8 || p->line_bytes > 4096 || (p->line_bytes & (p->line_bytes - 1)))
    return sim_errf(err, SIM_EINVAL, "tester: line_bytes: %u is not a power of two in 8..4096",
                    p->line_bytes);
  if (p->locs < 1 || p->locs > p->line_bytes / 8)
    return sim_errf(err, SIM_EINVAL,
                    "tester: locs: %u is not in 1..%u (8 bytes each in a "
                    "%u-byte line)",
                    p->locs, p->line_bytes / 8, p->line_bytes);
  if (p->base % p->line_bytes || p->base > (UINT64_C(1) << 40))
    return sim_errf(err, SIM_EINVAL,
                    "tester: base: %#" PRIx64 " is not a multiple of the "
                    "line size below 2^40",
                    p->base);
  if (p->stride % p->line_bytes || (p->lines > 1 && p->stride == 0) ||
      p->stride > (UINT64_C(1) << 30))
    return sim_errf(err, SIM_EINVAL,
                    "tester: stride: %" PRIu64 " is not a non-zero multiple "
                    "of the line size (%u) up to 2^30",
                    p->stride, p->line_bytes);
  if (p->deadlock_cycles < 1)
    return sim_errf(err, SIM_EINVAL, "tester: deadlock_cycles: must be at least 1");
  if (p->max_delay > 1000000)
    return sim_errf(err, SIM_EINVAL, "tester: max_delay: %" PRIu64 " is above 1000000",
                    p->max_delay);
  unsigned sum = 0;
  for (int k = 0; k < TESTER_NKINDS; k++) {
    if (p->mix[k] > 1000)
      return sim_errf(err, SIM_EINVAL, "tester: mix of %s: %u is above 1000", tester_kind_name[k],
                      p->mix[k]);
    sum += p->mix[k];
  }
  if (!sum) return sim_errf(err, SIM_EINVAL, "tester: mix: every weight is 0");
  return 0;
}

uint64_t tester_mem_bytes(const tester_params *p) {
  return p->base + (uint64_t)(p->lines - 1) * p->stride + p->line_bytes;
}

static uint64_t line_addr(const tester_params *p, unsigned line) {
  return p->base + (uint64_t)line * p->stride;
}

void tester_fill(const tester_params *p, uint8_t *data) {
  sim_rng r;
  sim_rng_derive(&r, p->seed, "tester.init", 0);
  for (unsigned l = 0; l < p->lines; l++)
    for (unsigned b = 0; b < p->line_bytes; b += 8)
      memsys_put(data + line_addr(p, l) + b, 8, sim_rng_next(&r));
}

void tester_result_add(tester_result *res, const tester_result *r) {
  res->ops += r->ops;
  for (int k = 0; k < TESTER_NKINDS; k++)
    res->by_kind[k] += r->by_kind[k];
  res->cas_ok += r->cas_ok;
  res->cycles += r->cycles;
  res->violations += r->violations;
  res->deadlocks += r->deadlocks;
  res->digest = res->digest * 0x100000001b3ULL ^ r->digest;
}

/* --- reports ------------------------------------------------------------- */

static const char *req_str(const treq *q, char *buf, size_t n) {
  const mem_req *s = &q->sent;
  int k = snprintf(buf, n, "core %u %s", s->core, tester_kind_name[q->kind]);
  if (q->kind == TESTER_RMW) k += snprintf(buf + k, n - (size_t)k, ".%s", rmw_name[s->op]);
  k += snprintf(buf + k, n - (size_t)k, " %u B at %#" PRIx64, s->size, s->addr);
  if (q->kind == TESTER_CAS)
    k += snprintf(buf + k, n - (size_t)k, " expected %#" PRIx64, s->expected);
  if (q->kind != TESTER_LOAD) k += snprintf(buf + k, n - (size_t)k, " value %#" PRIx64, s->value);
  snprintf(buf + k, n - (size_t)k, " (issued at cycle %" PRIu64 ", delay %" PRIu64 ")",
           q->issued_at, s->delay);
  return buf;
}

static void log_outstanding(tester *t) {
  FILE *f = t->p->log;
  if (!f) return;
  char buf[256];
  fprintf(f, "  %" PRIu64 " request(s) in flight:\n", t->inflight);
  for (size_t s = 0; s < (size_t)t->p->cores * t->p->outstanding; s++)
    for (int i = 0; i < 2; i++)
      if (t->slots[s].req[i].busy)
        fprintf(f, "    %s\n", req_str(&t->slots[s].req[i], buf, sizeof buf));
}

/* The first failure: stop issuing, keep the message, log the state. */
__attribute__((format(printf, 3, 4))) static void fail(tester *t, bool deadlock, const char *fmt,
                                                       ...) {
  if (t->failed) return;
  t->failed = true;
  if (deadlock)
    t->res->deadlocks++;
  else
    t->res->violations++;
  char what[480];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  sim_errf(t->err, SIM_EVIOLATION, "seed %" PRIu64 ": %s: %s", t->p->seed,
           deadlock ? "deadlock" : "violation", what);
  if (t->p->log) {
    fprintf(t->p->log,
            "coherence tester failure (%u cores, %u outstanding, seed %" PRIu64 ", cycle %" PRIu64
            ")\n  %s\n",
            t->p->cores, t->p->outstanding, t->p->seed, sim_now(&t->sim), t->err->msg);
    log_outstanding(t);
  }
}

/* --- issue --------------------------------------------------------------- */

static void on_done(sim_engine *sim, mem_req *r);

static tester_kind draw_kind(tester *t, sim_rng *g) {
  uint64_t x = sim_rng_upto(g, t->weight_sum - 1);
  int k = 0;
  while (x >= t->p->mix[k])
    x -= t->p->mix[k++];
  return (tester_kind)k;
}

static void issue(sim_engine *sim, void *ctx, uint64_t slot) {
  tester *t = ctx;
  const tester_params *p = t->p;
  if (t->failed || t->issued == p->ops) return;
  tslot *s = &t->slots[slot];
  treq *q = &s->req[s->cur ^= 1];
  if (q->busy) {
    fail(t, false, "tester bug: slot %" PRIu64 " reused while busy", slot);
    return;
  }
  unsigned core = (unsigned)(slot / p->outstanding);
  sim_rng *g = &t->rng[core];
  tester_kind kind = draw_kind(t, g);
  unsigned line = (unsigned)sim_rng_upto(g, p->lines - 1);
  unsigned loc = (unsigned)sim_rng_upto(g, p->locs - 1);
  unsigned size = 1u << sim_rng_upto(g, 3);
  unsigned off = (unsigned)(loc * t->loc_spacing + sim_rng_upto(g, 8 / size - 1) * size);
  uint64_t value = mem_trunc(sim_rng_next(g), size);
  mem_req *r = &q->r;
  *r = (mem_req){.kind = req_kind[kind],
                 .core = core,
                 .size = size,
                 .addr = line_addr(p, line) + off,
                 .value = value,
                 .op = (mem_rmw_op)sim_rng_upto(g, NRMW - 1),
                 .delay = sim_rng_upto(g, p->max_delay),
                 .done = on_done,
                 .owner = q,
                 .perf_at = UINT64_MAX}; /* out: a memory system that sets none means now */
  q->shadow_at = line * p->line_bytes + off;
  if (kind == TESTER_CAS) /* half expect the current value, so some succeed */
    r->expected = sim_rng_upto(g, 1) ? memsys_get(t->shadow + q->shadow_at, size)
                                     : mem_trunc(sim_rng_next(g), size);
  q->sent = *r;
  q->kind = kind;
  q->issued_at = sim_now(sim);
  q->busy = true;
  t->issued++;
  t->inflight++;
  t->m->ops->access(t->m, sim, r);
}

/* --- check --------------------------------------------------------------- */

static bool unchanged(const mem_req *r, const mem_req *s) {
  return r->kind == s->kind && r->core == s->core && r->size == s->size && r->addr == s->addr &&
         r->expected == s->expected && r->op == s->op && r->delay == s->delay &&
         r->done == s->done && r->owner == s->owner;
}

/* The old value an RMW, CAS or load returned must be the shadow's. */
static bool check_old(tester *t, const treq *q, uint64_t want) {
  if (q->r.value == want) return true;
  char buf[256], who[96] = "the initial value";
  unsigned b = 0;
  while (b + 1 < q->r.size && ((q->r.value ^ want) >> (8 * b) & 0xff) == 0)
    b++;
  const tester_writer *w = &t->writer[q->shadow_at + b];
  if (w->core != UINT32_MAX)
    snprintf(who, sizeof who, "core %u's %s at cycle %" PRIu64, w->core, tester_kind_name[w->kind],
             w->cycle);
  fail(t, false,
       "cycle %" PRIu64 ": %s returned %#" PRIx64 ", expected %#" PRIx64
       " (byte %u last written by %s)",
       sim_now(&t->sim), req_str(q, buf, sizeof buf), q->r.value, want, b, who);
  return false;
}

/* Apply a performed write to the shadow, keeping what it replaced. */
static void shadow_write(tester *t, const treq *q, uint64_t v) {
  uint64_t now = sim_now(&t->sim);
  for (unsigned b = 0; b < q->r.size; b++) {
    byte_hist *h = &t->hist[q->shadow_at + b];
    h->until[h->next] = now;
    h->value[h->next] = t->shadow[q->shadow_at + b];
    h->next = (uint8_t)((h->next + 1) % HISTORY);
    if (h->len < HISTORY) h->len++;
  }
  memsys_put(t->shadow + q->shadow_at, q->r.size, v);
  for (unsigned b = 0; b < q->r.size; b++)
    t->writer[q->shadow_at + b] = (tester_writer){now, q->r.core, (uint32_t)q->kind};
}

/* The shadow's value at the start of cycle `at` (writes that performed at
 * `at` or later undone); false if the history does not reach back. */
static bool shadow_at(const tester *t, const treq *q, uint64_t at, uint64_t *out) {
  uint8_t bytes[8];
  for (unsigned b = 0; b < q->r.size; b++) {
    const byte_hist *h = &t->hist[q->shadow_at + b];
    uint8_t v = t->shadow[q->shadow_at + b];
    unsigned i = 0;
    for (; i < h->len; i++) {
      unsigned k = (h->next + HISTORY - 1 - i) % HISTORY; /* newest first */
      if (h->until[k] < at) break;
      v = h->value[k];
    }
    if (i == h->len && h->len == HISTORY) return false;
    bytes[b] = v;
  }
  *out = memsys_get(bytes, q->r.size);
  return true;
}

static void on_done(sim_engine *sim, mem_req *r) {
  treq *q = (treq *)r;
  tester *t = q->t;
  if (t->failed) return;
  char buf[256];
  if (!q->busy) {
    fail(t, false, "cycle %" PRIu64 ": done ran again for a completed request: %s", sim_now(sim),
         req_str(q, buf, sizeof buf));
    return;
  }
  if (sim_now(sim) < q->issued_at + q->sent.delay) {
    fail(t, false,
         "cycle %" PRIu64 ": done ran before the request's delay was over "
         "(MS1): %s",
         sim_now(sim), req_str(q, buf, sizeof buf));
    return;
  }
  if (!unchanged(r, &q->sent)) {
    fail(t, false,
         "cycle %" PRIu64 ": the memory system changed an input field of "
         "%s",
         sim_now(sim), req_str(q, buf, sizeof buf));
    return;
  }
  uint64_t old = memsys_get(t->shadow + q->shadow_at, r->size);
  switch (q->kind) {
  case TESTER_LOAD:
    if (r->perf_at < sim_now(sim) && !shadow_at(t, q, r->perf_at, &old)) {
      fail(t, false, "cycle %" PRIu64 ": %s counts as performed at cycle %" PRIu64
           ", before the last %d writes of its bytes", sim_now(sim),
           req_str(q, buf, sizeof buf), r->perf_at, HISTORY);
      return;
    }
    if (!check_old(t, q, old)) return;
    break;
  case TESTER_STORE: shadow_write(t, q, q->sent.value); break;
  case TESTER_RMW:
    if (!check_old(t, q, old)) return;
    shadow_write(t, q, mem_rmw_apply(r->op, old, q->sent.value));
    break;
  case TESTER_CAS: {
    if (!check_old(t, q, old)) return;
    bool ok = old == mem_trunc(r->expected, r->size);
    if (r->success != ok) {
      fail(t, false, "cycle %" PRIu64 ": %s returned old %#" PRIx64 " but success %d", sim_now(sim),
           req_str(q, buf, sizeof buf), old, (int)r->success);
      return;
    }
    if (ok) shadow_write(t, q, q->sent.value);
    t->res->cas_ok += ok;
    break;
  }
  case TESTER_NKINDS: break;
  }
  q->busy = false;
  t->inflight--;
  t->last_done = sim_now(sim);
  t->res->ops++;
  t->res->by_kind[q->kind]++;
  uint64_t h = t->res->digest;
  h = (h ^ sim_now(sim)) * 0x100000001b3ULL;
  h = (h ^ (r->core << 2 | q->kind)) * 0x100000001b3ULL;
  t->res->digest = (h ^ r->value) * 0x100000001b3ULL;
  if (t->issued < t->p->ops) sim_schedule(sim, 0, issue, t, q->slot, "tester.issue");
}

/* At the end, with nothing in flight, peek must agree with the shadow (MS2):
 * this catches a lost store that no later load happened to read. */
static void check_final(tester *t) {
  const tester_params *p = t->p;
  for (unsigned l = 0; l < p->lines; l++)
    for (unsigned b = 0; b < p->line_bytes; b++) {
      uint64_t got = t->m->ops->peek(t->m, line_addr(p, l) + b, 1);
      uint8_t want = t->shadow[l * p->line_bytes + b];
      if (got != want) {
        fail(t, false, "after the run: peek of byte %#" PRIx64 " is %#" PRIx64 ", expected %#x",
             line_addr(p, l) + b, got, want);
        return;
      }
    }
}

/* --- run ----------------------------------------------------------------- */

static void deadlock(tester *t, const char *why) {
  char buf[256] = "";
  const treq *oldest = NULL;
  for (size_t s = 0; s < (size_t)t->p->cores * t->p->outstanding; s++)
    for (int i = 0; i < 2; i++) {
      const treq *q = &t->slots[s].req[i];
      if (q->busy && (!oldest || q->issued_at < oldest->issued_at)) oldest = q;
    }
  if (oldest) req_str(oldest, buf, sizeof buf);
  fail(t, true, "cycle %" PRIu64 ": %s; %" PRIu64 " request(s) in flight, the oldest: %s",
       sim_now(&t->sim), why, t->inflight, buf);
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* Windows of deadlock_cycles after the last completion (see the header). */
static void run_windows(tester *t) {
  uint64_t dc = t->p->deadlock_cycles;
  for (;;) {
    uint64_t bound = sat_add(t->last_done, dc);
    size_t left = sim_run(&t->sim, bound);
    if (t->failed) return;
    if (t->m->fault.code) { /* the memory system stopped the run (memsys.h) */
      fail(t, false, "%s", t->m->fault.msg);
      return;
    }
    if (!left) {
      if (t->inflight) deadlock(t, "no event left to run");
      return;
    }
    if (!t->inflight && t->issued == t->p->ops) {
      if (sim_run(&t->sim, sat_add(sim_now(&t->sim), dc)))
        deadlock(t, "every request done, but the memory system does not go idle");
      return;
    }
    if (sat_add(t->last_done, dc) == bound) {
      char why[96];
      snprintf(why, sizeof why, "no request completed for %" PRIu64 " cycles", dc);
      deadlock(t, why);
      return;
    }
  }
}

static void tester_free(tester *t) {
  sim_engine_free(&t->sim);
  free(t->rng);
  free(t->slots);
  free(t->shadow);
  free(t->hist);
  free(t->writer);
}

int tester_run(const tester_params *p, memsys *m, tester_result *res, sim_err *err) {
  memset(res, 0, sizeof *res);
  int rc = tester_params_check(p, err);
  if (rc) return rc;
  if (m->size < tester_mem_bytes(p))
    return sim_errf(err, SIM_EINVAL,
                    "tester: the memory system has %zu bytes; the run needs %" PRIu64, m->size,
                    tester_mem_bytes(p));
  size_t nslots = (size_t)p->cores * p->outstanding;
  tester t = {
      .p = p, .m = m, .res = res, .err = err, .loc_spacing = (p->line_bytes / p->locs) & ~7u};
  sim_engine_init(&t.sim);
  t.rng = calloc(p->cores, sizeof *t.rng);
  t.slots = calloc(nslots, sizeof *t.slots);
  t.shadow = malloc((size_t)p->lines * p->line_bytes);
  t.writer = malloc((size_t)p->lines * p->line_bytes * sizeof *t.writer);
  t.hist = calloc((size_t)p->lines * p->line_bytes, sizeof *t.hist);
  if (!t.rng || !t.slots || !t.shadow || !t.writer || !t.hist) {
    tester_free(&t);
    return sim_errf(err, SIM_ENOMEM, "tester: out of memory for %zu requests", nslots);
  }
  for (int k = 0; k < TESTER_NKINDS; k++)
    t.weight_sum += p->mix[k];
  for (unsigned c = 0; c < p->cores; c++)
    sim_rng_derive(&t.rng[c], p->seed, "tester.core", c);
  for (size_t s = 0; s < nslots; s++)
    for (int i = 0; i < 2; i++) {
      t.slots[s].req[i].t = &t;
      t.slots[s].req[i].slot = (uint32_t)s;
    }
  m->ops->reset(m, p->seed);
  for (unsigned l = 0; l < p->lines; l++)
    for (unsigned b = 0; b < p->line_bytes; b++)
      t.shadow[l * p->line_bytes + b] = (uint8_t)m->ops->peek(m, line_addr(p, l) + b, 1);
  for (size_t i = 0; i < (size_t)p->lines * p->line_bytes; i++)
    t.writer[i] = (tester_writer){0, UINT32_MAX, 0};
  /* Slot k of every requester before slot k + 1 of any, so the first
   * requests of all requesters interleave. */
  for (unsigned k = 0; k < p->outstanding; k++)
    for (unsigned c = 0; c < p->cores; c++)
      sim_schedule(&t.sim, 0, issue, &t, (uint64_t)c * p->outstanding + k, "tester.issue");
  run_windows(&t);
  if (!t.failed) check_final(&t);
  res->cycles = sim_now(&t.sim);
  rc = t.failed ? SIM_EVIOLATION : 0;
  tester_free(&t);
  return rc;
}
