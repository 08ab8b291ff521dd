/* tests/cache/test_tester.c -- the random coherence tester.
 *
 * Two halves.  It passes where it must: on the ideal memory, for 2 to 64
 * requesters, with one or many requests in flight, and gives the same totals
 * for the same seed.  And it fails where it must: a memory system built
 * here to be wrong in one way at a time (a stale load, a dropped store, a
 * lost or repeated or early done, a request that never finishes while the
 * machine keeps busy) is reported as a violation or a deadlock, with the
 * seed in the message.  A checker never seen to fail proves nothing.
 */
#include "../../cache/tester.h"

#include "../../sim/rng.h"
#include "../check.h"

static uint8_t mem[1 << 20];

/* Small geometry: 8 lines 4 KiB apart fit in `mem`. */
static tester_params params(unsigned cores, uint64_t ops, uint64_t seed) {
  tester_params p;
  tester_params_default(&p);
  p.cores = cores;
  p.ops = ops;
  p.seed = seed;
  p.lines = 8;
  p.stride = 4096;
  return p;
}

static int run_ideal(const tester_params *p, uint64_t jitter, tester_result *r, sim_err *err) {
  memsys_params mp = {p->cores, 5, jitter};
  memset(mem, 0, sizeof mem);
  tester_fill(p, mem);
  memsys *m = memsys_ideal_new(&mp, mem, sizeof mem);
  CHECK(m);
  int rc = tester_run(p, m, r, err);
  m->ops->free(m);
  return rc;
}

static void pass_on_ideal(unsigned cores, unsigned outstanding, uint64_t ops) {
  tester_params p = params(cores, ops, 42);
  p.outstanding = outstanding;
  tester_result r;
  sim_err err = {0, ""};
  int rc = run_ideal(&p, 8, &r, &err);
  if (rc) fprintf(stderr, "  %s\n", err.msg);
  CHECK_EQ_I64(rc, 0);
  CHECK_EQ_U64(r.ops, ops);
  CHECK_EQ_U64(r.by_kind[TESTER_LOAD] + r.by_kind[TESTER_STORE] + r.by_kind[TESTER_RMW] +
                   r.by_kind[TESTER_CAS],
               ops);
  CHECK_EQ_U64(r.violations + r.deadlocks, 0);
  CHECK(r.by_kind[TESTER_LOAD] > 0 && r.by_kind[TESTER_CAS] > 0);
  CHECK(r.cas_ok > 0 && r.cas_ok < r.by_kind[TESTER_CAS]);
  CHECK(r.cycles > 0);
}

static void t_ideal_2(void) { pass_on_ideal(2, 2, 100000); }
static void t_ideal_4(void) { pass_on_ideal(4, 2, 100000); }
static void t_ideal_8(void) { pass_on_ideal(8, 4, 100000); }
static void t_ideal_16(void) { pass_on_ideal(16, 2, 200000); }
static void t_ideal_64(void) { pass_on_ideal(64, 8, 200000); }
static void t_ideal_1_outstanding(void) { pass_on_ideal(4, 1, 50000); }

/* Everything on 8 bytes of one line: the most true sharing there is. */
static void t_one_location(void) {
  tester_params p = params(8, 100000, 3);
  p.lines = 1;
  p.locs = 1;
  p.max_delay = 0;
  tester_result r;
  sim_err err = {0, ""};
  CHECK_EQ_I64(run_ideal(&p, 0, &r, &err), 0);
  CHECK_EQ_U64(r.ops, 100000);
}

static void t_zero_ops(void) {
  tester_params p = params(4, 0, 1);
  tester_result r;
  sim_err err = {0, ""};
  CHECK_EQ_I64(run_ideal(&p, 8, &r, &err), 0);
  CHECK_EQ_U64(r.ops, 0);
}

/* T2: same seed, same totals and digest; another seed, another digest. */
static void t_deterministic(void) {
  tester_params p = params(8, 50000, 7);
  tester_result a, b, c;
  sim_err err = {0, ""};
  CHECK_EQ_I64(run_ideal(&p, 8, &a, &err), 0);
  CHECK_EQ_I64(run_ideal(&p, 8, &b, &err), 0);
  CHECK_EQ_U64(a.ops, b.ops);
  for (int k = 0; k < TESTER_NKINDS; k++)
    CHECK_EQ_U64(a.by_kind[k], b.by_kind[k]);
  CHECK_EQ_U64(a.cas_ok, b.cas_ok);
  CHECK_EQ_U64(a.cycles, b.cycles);
  CHECK_EQ_U64(a.digest, b.digest);
  p.seed = 8;
  CHECK_EQ_I64(run_ideal(&p, 8, &c, &err), 0);
  CHECK(c.digest != a.digest);
}

static void t_bad_params(void) {
  sim_err err = {0, ""};
  tester_params p = params(4, 10, 1);
  p.cores = 0;
  CHECK_EQ_I64(tester_params_check(&p, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "cores");
  p = params(4, 10, 1);
  p.line_bytes = 48;
  CHECK_EQ_I64(tester_params_check(&p, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "line_bytes");
  p = params(4, 10, 1);
  p.locs = 9;
  CHECK_EQ_I64(tester_params_check(&p, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "locs");
  p = params(4, 10, 1);
  p.stride = 100;
  CHECK_EQ_I64(tester_params_check(&p, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "stride");
  p = params(4, 10, 1);
  memset(p.mix, 0, sizeof p.mix);
  CHECK_EQ_I64(tester_params_check(&p, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "mix");
  /* A memory system smaller than the lines it must hold. */
  p = params(4, 10, 1);
  memsys_params mp = {4, 5, 0};
  memsys *m = memsys_ideal_new(&mp, mem, 4096);
  CHECK(m);
  tester_result r;
  int rc = tester_run(&p, m, &r, &err);
  m->ops->free(m);
  CHECK_EQ_I64(rc, SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "the run needs");
}

/* --- a memory system that is wrong in one way at a time ------------------ */

typedef enum {
  B_STALE_LOAD,  /* loads of line 0 read a copy taken at reset */
  B_DROP_STORE,  /* one store is acknowledged but never written */
  B_LOST_DONE,   /* one request never completes; the queue runs dry */
  B_LIVELOCK,    /* one request retries forever; the machine stays busy */
  B_DOUBLE_DONE, /* one request's done runs twice */
  B_EARLY_DONE,  /* r->delay ignored */
  B_CAS_FLAG,    /* a failed CAS reports success */
} bmode;

typedef struct broken {
  memsys base;
  bmode mode;
  uint64_t n;      /* requests performed so far */
  uint64_t victim; /* the request that goes wrong, by perform order */
  mem_req *stuck;  /* B_LIVELOCK: the request that retries forever */
  uint8_t stale[64];
  sim_rng jitter;
} broken;

static void b_perform(sim_engine *sim, void *ctx, uint64_t arg) {
  broken *b = ctx;
  mem_req *r = (mem_req *)(uintptr_t)arg;
  uint8_t *p = b->base.data + r->addr;
  uint64_t old = memsys_get(p, r->size);
  bool victim = ++b->n == b->victim;
  if (victim && b->mode == B_LOST_DONE) return;
  if (victim && b->mode == B_LIVELOCK) b->stuck = r;
  if (r == b->stuck) {
    sim_schedule(sim, 10, b_perform, b, arg, "broken.retry");
    return;
  }
  switch (r->kind) {
  case REQ_LOAD:
    r->value =
        b->mode == B_STALE_LOAD && r->addr < 64 ? memsys_get(b->stale + r->addr, r->size) : old;
    break;
  case REQ_STORE:
    if (b->mode == B_DROP_STORE && b->n >= b->victim && b->n < b->victim + 50) break;
    memsys_put(p, r->size, r->value);
    break;
  case REQ_RMW:
    memsys_put(p, r->size, mem_rmw_apply(r->op, old, r->value));
    r->value = old;
    break;
  case REQ_CAS:
    r->success = old == mem_trunc(r->expected, r->size);
    if (r->success)
      memsys_put(p, r->size, r->value);
    else if (b->mode == B_CAS_FLAG)
      r->success = true;
    r->value = old;
    break;
  }
  r->done(sim, r);
  if (victim && b->mode == B_DOUBLE_DONE) r->done(sim, r);
}

static void b_access(memsys *m, sim_engine *sim, mem_req *r) {
  broken *b = (broken *)m;
  uint64_t d = (b->mode == B_EARLY_DONE ? 0 : r->delay) + 3 + sim_rng_upto(&b->jitter, 5);
  sim_schedule(sim, d, b_perform, b, (uint64_t)(uintptr_t)r, "broken.perform");
}

static uint64_t b_peek(memsys *m, uint64_t addr, unsigned size) {
  return memsys_get(m->data + addr, size);
}

static void b_reset(memsys *m, uint64_t seed) {
  broken *b = (broken *)m;
  memcpy(b->stale, m->data, sizeof b->stale);
  sim_rng_derive(&b->jitter, seed, "broken.jitter", 0);
  b->n = 0;
  b->stuck = NULL;
}

static void b_metrics(memsys *m, memsys_metric_fn fn, void *ctx) {}
static void b_free(memsys *m) {}

static void b_quiesce(memsys *m) { (void)m; }
static void b_warm(memsys *m, uint64_t a, uint64_t n, uint64_t s) { (void)m, (void)a, (void)n, (void)s; }

static const memsys_ops broken_ops = {.access = b_access, .peek = b_peek, .reset = b_reset,
                                      .quiesce = b_quiesce, .warm = b_warm,
                                      .metrics = b_metrics, .free = b_free};

static char log_text[1 << 16];

/* Run seed 5 on a memory broken by `mode`; returns the tester's code. */
static int run_broken(bmode mode, tester_result *r, sim_err *err) {
  tester_params p = params(4, 20000, 5);
  p.deadlock_cycles = 5000;
  FILE *log = tmpfile();
  CHECK(log);
  p.log = log;
  memset(mem, 0, sizeof mem);
  tester_fill(&p, mem);
  broken b = {.base = {&broken_ops, mem, sizeof mem}, .mode = mode, .victim = 1000};
  int rc = tester_run(&p, &b.base, r, err);
  rewind(log);
  size_t n = fread(log_text, 1, sizeof log_text - 1, log);
  log_text[n] = 0;
  fclose(log);
  if (getenv("TESTER_SHOW")) fprintf(stderr, "%s", log_text);
  return rc;
}

static void expect_violation(bmode mode, const char *what) {
  tester_result r;
  sim_err err = {0, ""};
  CHECK_EQ_I64(run_broken(mode, &r, &err), SIM_EVIOLATION);
  CHECK_EQ_U64(r.violations, 1);
  CHECK_EQ_U64(r.deadlocks, 0);
  CHECK_CONTAINS(err.msg, "seed 5: violation");
  CHECK_CONTAINS(err.msg, what);
  CHECK_CONTAINS(log_text, "seed 5");
}

static void expect_deadlock(bmode mode, const char *what) {
  tester_result r;
  sim_err err = {0, ""};
  CHECK_EQ_I64(run_broken(mode, &r, &err), SIM_EVIOLATION);
  CHECK_EQ_U64(r.deadlocks, 1);
  CHECK_EQ_U64(r.violations, 0);
  CHECK_CONTAINS(err.msg, "seed 5: deadlock");
  CHECK_CONTAINS(err.msg, what);
  CHECK_CONTAINS(err.msg, "1 request(s) in flight");
  CHECK_CONTAINS(log_text, "1 request(s) in flight:");
  CHECK(r.ops < 20000);
}

/* The stale value is reported with everything needed to chase it. */
static void t_catches_stale_load(void) {
  expect_violation(B_STALE_LOAD, "load");
  tester_result r;
  sim_err err = {0, ""};
  run_broken(B_STALE_LOAD, &r, &err);
  CHECK_CONTAINS(err.msg, "core ");
  CHECK_CONTAINS(err.msg, " B at 0x");
  CHECK_CONTAINS(err.msg, "expected 0x");
  CHECK_CONTAINS(err.msg, "returned 0x");
  CHECK_CONTAINS(err.msg, "cycle ");
}
static void t_catches_dropped_store(void) { expect_violation(B_DROP_STORE, "expected"); }
static void t_catches_double_done(void) { expect_violation(B_DOUBLE_DONE, "done ran again"); }
static void t_catches_early_done(void) { expect_violation(B_EARLY_DONE, "delay"); }
static void t_catches_cas_flag(void) { expect_violation(B_CAS_FLAG, "success"); }
static void t_catches_lost_done(void) { expect_deadlock(B_LOST_DONE, "no event left"); }
static void t_catches_livelock(void) {
  expect_deadlock(B_LIVELOCK, "no request completed for 5000 cycles");
}

/* A store dropped where no later load looks is still caught at the end:
 * stores only, and the last three are dropped. */
static void t_catches_unread_lost_store(void) {
  tester_params p = params(2, 200, 9);
  p.mix[TESTER_LOAD] = p.mix[TESTER_RMW] = p.mix[TESTER_CAS] = 0;
  memset(mem, 0, sizeof mem);
  tester_fill(&p, mem);
  broken b = {.base = {&broken_ops, mem, sizeof mem}, .mode = B_DROP_STORE, .victim = 198};
  tester_result r;
  sim_err err = {0, ""};
  CHECK_EQ_I64(tester_run(&p, &b.base, &r, &err), SIM_EVIOLATION);
  CHECK_EQ_U64(r.ops, 200);
  CHECK_CONTAINS(err.msg, "after the run: peek");
}

static const check_case cases[] = {{"ideal_2", t_ideal_2},
                                   {"ideal_4", t_ideal_4},
                                   {"ideal_8", t_ideal_8},
                                   {"ideal_16", t_ideal_16},
                                   {"ideal_64", t_ideal_64},
                                   {"ideal_1_outstanding", t_ideal_1_outstanding},
                                   {"one_location", t_one_location},
                                   {"zero_ops", t_zero_ops},
                                   {"deterministic", t_deterministic},
                                   {"bad_params", t_bad_params},
                                   {"catches_stale_load", t_catches_stale_load},
                                   {"catches_dropped_store", t_catches_dropped_store},
                                   {"catches_double_done", t_catches_double_done},
                                   {"catches_early_done", t_catches_early_done},
                                   {"catches_cas_flag", t_catches_cas_flag},
                                   {"catches_lost_done", t_catches_lost_done},
                                   {"catches_livelock", t_catches_livelock},
                                   {"catches_unread_lost_store", t_catches_unread_lost_store},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
