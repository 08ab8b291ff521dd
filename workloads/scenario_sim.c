/* workloads/scenario_sim.c -- a map scenario in the simulator; see
 * scenario_run.h. */
#include "scenario_run.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/machine.h"
#include "../sim/par.h"
#include "../sim/progress.h"
#include "../sim/rng.h"
#include "mem_native.h"
#include "scenario_explain.h"

/* --- The observing port: loads are peeks -------------------------------- */

typedef struct peek_port {
  mem_port base;
  sim_machine *m;
} peek_port;

static uint64_t pk_load(mem_port *p, const void *a, unsigned size, mem_order o) {
  (void)o;
  return sim_machine_peek(((peek_port *)p)->m, a, size);
}
static void pk_store(mem_port *p, void *a, uint64_t v, unsigned s, mem_order o) {
  sim_panic("scenario observe stored to %p", a);
}
static uint64_t pk_rmw(mem_port *p, void *a, mem_rmw_op op, uint64_t v, unsigned s,
                       mem_order o) {
  sim_panic("scenario observe did an RMW on %p", a);
}
static bool pk_cas(mem_port *p, void *a, uint64_t *e, uint64_t d, unsigned s, mem_order o) {
  sim_panic("scenario observe did a CAS on %p", a);
}
static void pk_fence(mem_port *p, mem_fence_kind k) { (void)p, (void)k; }
static void pk_work(mem_port *p, unsigned c) { (void)p, (void)c; }
static uint64_t pk_now(mem_port *p) { return sim_machine_now(((peek_port *)p)->m); }
static const mem_ops peek_ops = {pk_load, pk_store, pk_rmw, pk_cas, pk_fence, pk_work, pk_now, NULL, NULL, NULL, NULL};

/* --- Parameters ----------------------------------------------------------- */

int wl_params_from_cfg(const cfg *c, const wl_scenario **s, wl_params *prm, sim_err *err) {
  const char *name = cfg_str(c, CK_WORKLOAD_SCENARIO);
  if (!(*s = wl_scenario_find(name))) {
    char names[512];
    wl_scenario_names(names, sizeof names);
    return cfg_errf(c, err, SIM_ECONFIG, CK_WORKLOAD_SCENARIO, "\"%s\" is not one of %s", name,
                    names);
  }
  int v = hmap_variant_find(cfg_str(c, CK_WORKLOAD_VARIANT));
  if (v < 0)
    return cfg_errf(c, err, SIM_ECONFIG, CK_WORKLOAD_VARIANT,
                    "\"%s\" is a mapbench variant; a map scenario runs one map (unsafe, fenced, "
                    "atomic, locked or rwmutex)", cfg_str(c, CK_WORKLOAD_VARIANT));
  unsigned t = (unsigned)cfg_int(c, CK_WORKLOAD_THREADS);
  if (t < (*s)->min_threads || t > (*s)->max_threads)
    return cfg_errf(c, err, SIM_ECONFIG, CK_WORKLOAD_THREADS, "%s runs %u to %u threads, not %u",
                    name, (*s)->min_threads, (*s)->max_threads, t);
  *prm = (wl_params){
      .variant = (hmap_variant)v,
      .threads = t,
      .keys = (unsigned)cfg_int(c, CK_WORKLOAD_KEYS),
      .stride = (unsigned)cfg_int(c, CK_WORKLOAD_STRIDE),
      .rounds = (unsigned)cfg_int(c, CK_WORKLOAD_ROUNDS),
      .hash0 = sim_seed_derive((uint64_t)cfg_int(c, CK_RUN_SEED), "map.hash0", 0),
  };
  return 0;
}

/* --- Results -------------------------------------------------------------- */

void wl_result_add(wl_result *r, const int64_t *o, uint64_t iteration) {
  bool forbidden;
  const char *kind = r->s->classify(&r->prm, o, &forbidden);
  hist_add(r->hist, o, iteration);
  r->iterations++;
  r->anomalies += kind != NULL;
  r->forbidden += forbidden;
}

void wl_result_free(wl_result *r) {
  hist_free(r->hist);
  metrics_free(&r->metrics);
  memset(r, 0, sizeof *r);
}

/* --- The runner ----------------------------------------------------------- */

typedef struct sim_ctx {
  const wl_scenario *s;
  wl_inst x;
  sim_machine *m;
  uint64_t *bar; /* the warm-up barrier's counter, on a line of its own */
} sim_ctx;

/* As natively (native.c): a scenario with a warm step runs it, then waits
 * at a barrier (an atomic add, then polls) so the race starts with the
 * lines each thread will read in its cache, as in a warmed-up program.
 * run.start_skew delays each thread after the barrier, where the race
 * starts (native.start_skew does the same natively).  The barrier is simulated code, so its cycles count in the run's cycles
 * (and in map.cycles_per_op) alike for every variant. */
static void thread_entry(void *arg, unsigned tid) {
  sim_ctx *k = arg;
  mem_port *p = sim_machine_port(k->m, tid);
  p->tag = 0; /* warm-up and barrier: outside the race (HMAP_TAG_RACE) */
  if (k->s->warm) {
    k->s->warm(&k->x, p, tid);
    mem_rmw(p, k->bar, RMW_ADD, 1, 8);
    while (mem_load(p, k->bar, 8, MO_RELAXED) < k->x.prm->threads) mem_work(p, 1);
    uint64_t skew = sim_machine_skew(k->m, tid);
    if (skew) mem_work(p, (unsigned)skew);
  }
  p->tag = HMAP_TAG_RACE; /* what mmsim explain looks at (scenario_explain.h) */
  k->s->thread(&k->x, p, tid);
}

/* What a run does beyond counting outcomes: every iteration traced and
 * each anomalous one attributed to its mechanisms (causes), or the one
 * iteration explained (explain). */
typedef struct wl_mode {
  bool causes;
  wl_explained *explain;
  cpu_trace *trace; /* explain: the caller's, kept after the run */
} wl_mode;

/* The iteration just run, traced: its mechanisms counted (causes) or kept
 * and named (explain). */
static int attribute(sim_ctx *k, const wl_mode *mode, wl_locs *locs, cpu_trace *trace,
                     const int64_t *o, mem_port *peek, wl_result *r, sim_err *err) {
  bool forbidden;
  const char *kind = r->s->classify(&r->prm, o, &forbidden);
  if (mode->explain) {
    wl_explained *w = mode->explain;
    memcpy(w->outcome, o, sizeof w->outcome);
    w->anomaly = kind;
    w->forbidden = forbidden;
    int rc = wl_explain_trace(locs, trace, forbidden, &w->x, err);
    if (!rc) rc = wl_explained_name(w, locs, &k->x, peek, err);
    if (!rc) wl_explained_unhost(locs, &k->x, &w->x, trace);
    return rc;
  }
  if (!kind) return 0;
  explain_exec x;
  int rc = wl_explain_trace(locs, trace, forbidden, &x, err);
  if (rc) return rc;
  explain_causes_add(&r->causes, &x);
  explain_exec_free(&x);
  return 0;
}

/* One host thread's share of a run (sim/par.h): its machine with the
 * scenario's arena, and the outcomes and counts of its iterations. */
typedef struct worker {
  sim_ctx k;
  const wl_mode *mode;
  wl_result r;
  uint8_t *arena;
  size_t bytes;
  bool traced;
  cpu_trace own, *trace;
  wl_locs *locs;
  mem_native_port setup;
  peek_port peek;
} worker;

typedef struct init_ctx {
  const cfg *c;
  const wl_mode *mode;
} init_ctx;

static int worker_init(void *arg, unsigned index, void *ctxp, sim_err *err) {
  worker *w = arg;
  const cfg *c = ((init_ctx *)ctxp)->c;
  const wl_mode *mode = ((init_ctx *)ctxp)->mode;
  wl_result *r = &w->r;
  (void)index;
  int rc = wl_params_from_cfg(c, &r->s, &r->prm, err);
  if (rc) return rc;
  w->mode = mode;
  w->k.s = r->s;
  w->bytes = r->s->arena_bytes(&r->prm);
  if (!(w->k.m = sim_machine_new(c, r->prm.threads, w->bytes + 4096, err))) return err->code;
  if (r->s->warm) sim_machine_skew_later(w->k.m);
  w->arena = sim_machine_alloc(w->k.m, w->bytes, 4096);
  w->k.bar = sim_machine_alloc(w->k.m, 64, 64);
  r->hist = hist_new(r->s->nobs);
  w->traced = mode && (mode->causes || mode->explain);
  w->trace = mode && mode->trace ? mode->trace : &w->own;
  w->locs = w->traced && w->arena ? wl_locs_new(w->k.m, w->arena, w->bytes) : NULL;
  if (!w->arena || !w->k.bar || !r->hist ||
      (w->traced && (!w->locs || (!w->trace->ev && !cpu_trace_init(w->trace, 1 << 16)))))
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  /* Messages only for an explanation: causes need none. */
  if (w->traced) sim_machine_trace(w->k.m, w->trace, mode->explain != NULL);
  mem_native_port_init(&w->setup, 0, 8);
  w->peek = (peek_port){{.ops = &peek_ops}, w->k.m};
  return 0;
}

static void worker_free(worker *w) {
  wl_locs_free(w->locs);
  cpu_trace_free(&w->own);
  sim_machine_free(w->k.m);
  wl_result_free(&w->r);
}

/* Iterations first .. first+count-1 on w (par_chunk_fn). */
static int chunk(void *arg, uint64_t first, uint64_t count, bool poll, uint64_t *ran,
                 sim_err *err) {
  worker *w = arg;
  wl_result *r = &w->r;
  sim_ctx *k = &w->k;
  int64_t o[WL_MAX_OBS];
  uint64_t before = r->iterations;
  int rc = 0;
  for (uint64_t i = first; i < first + count; i++) {
    uint64_t ops[WL_MAX_THREADS];
    memcpy(ops, k->x.ops, sizeof ops);
    if (wl_inst_setup(r->s, &k->x, &r->prm, w->arena, w->bytes, &w->setup.base)) {
      rc = sim_errf(err, SIM_EFULL, "%s: the scenario's setup ran out of its %zu-byte arena",
                    r->s->name, w->bytes);
      break;
    }
    memcpy(k->x.ops, ops, sizeof ops); /* setup cleared them; they count the run */
    mem_store(&w->setup.base, k->bar, 0, 8, MO_RELAXED);
    if (w->traced) cpu_trace_clear(w->trace);
    if ((rc = sim_machine_iteration(k->m, i, thread_entry, k, err))) {
      sim_err_prefix(err, "%s", r->s->name);
      break;
    }
    memset(o, 0, sizeof o);
    r->s->observe(&k->x, &w->peek.base, o);
    if (w->traced && (rc = attribute(k, w->mode, w->locs, w->trace, o, &w->peek.base, r, err)))
      break;
    wl_result_add(r, o, i);
    if (poll && SIM_PROGRESS_POLL(r->iterations, count)) break; /* Ctrl-C: keep what is done */
  }
  *ran = r->iterations - before;
  return rc;
}

/* Iterations first .. first+count-1 on `jobs` host threads (0: all; an
 * explanation runs on one). */
static int run(const cfg *c, uint64_t first, uint64_t count, unsigned jobs, const wl_mode *mode,
               wl_result *r, sim_err *err) {
  memset(r, 0, sizeof *r);
  jobs = mode && mode->explain
             ? 1
             : sim_machine_fit_jobs(c, (unsigned)cfg_int(c, CK_WORKLOAD_THREADS),
                                    par_jobs_for(jobs, count));
  init_ctx ic = {c, mode};
  void *pool;
  double wall;
  int rc = par_run_pool(jobs, sizeof(worker), worker_init, &ic, chunk, first, count, &pool,
                        &wall, err);
  worker *w = pool;
  if (!rc) {
    worker *w0 = &w[0];
    for (unsigned i = 1; i < jobs; i++) { /* sums and earliest iterations (par.h) */
      hist_absorb(w0->r.hist, w[i].r.hist);
      w0->r.iterations += w[i].r.iterations;
      w0->r.anomalies += w[i].r.anomalies;
      w0->r.forbidden += w[i].r.forbidden;
      for (unsigned t = 0; t < w0->r.prm.threads; t++) w0->k.x.ops[t] += w[i].k.x.ops[t];
      explain_causes_absorb(&w0->r.causes, &w[i].r.causes);
      sim_machine_absorb(w0->k.m, w[i].k.m);
    }
    *r = w0->r;
    w0->r = (wl_result){0};
    r->wall_s = wall;
    for (unsigned t = 0; t < r->prm.threads; t++) r->map_ops += w0->k.x.ops[t];
    r->sim_cycles = sim_machine_cycles(w0->k.m);
    sim_machine_metrics(w0->k.m, metrics_set, &r->metrics);
    double it = r->iterations ? (double)r->iterations : 1;
    double ops = r->map_ops ? (double)r->map_ops : 1;
    metrics_set(&r->metrics, "sim.cycles_per_iteration", (double)r->sim_cycles / it);
    metrics_set(&r->metrics, "map.ops", (double)r->map_ops);
    metrics_set(&r->metrics, "map.ops_per_iteration", (double)r->map_ops / it);
    metrics_set(&r->metrics, "map.cycles_per_op",
                (double)r->sim_cycles * r->prm.threads / ops);
    if (mode && mode->causes) explain_cause_metrics(&r->metrics, &r->causes);
  }
  for (unsigned i = 0; w && i < jobs; i++) worker_free(&w[i]);
  free(w);
  return rc;
}

int wl_run_sim(const cfg *c, uint64_t first, uint64_t count, unsigned jobs, wl_result *r,
               sim_err *err) {
  return run(c, first, count, jobs, NULL, r, err);
}

int wl_run_causes(const cfg *c, uint64_t first, uint64_t count, unsigned jobs, wl_result *r,
                  sim_err *err) {
  wl_mode mode = {true, NULL, NULL};
  return run(c, first, count, jobs, &mode, r, err);
}

int wl_run_explain(const cfg *c, uint64_t k, cpu_trace *trace, wl_explained *w, wl_result *r,
                   sim_err *err) {
  wl_mode mode = {false, w, trace};
  memset(w, 0, sizeof *w);
  return run(c, k, 1, 1, &mode, r, err);
}
