/* workloads/scenario_sim.c -- a map scenario in the simulator; see
 * scenario_run.h. */
#include "scenario_run.h"

#include <string.h>

#include "../sim/progress.h"
#include "../sim/machine.h"
#include "../sim/rng.h"
#include "../sim/wallclock.h"
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
static const mem_ops peek_ops = {pk_load, pk_store, pk_rmw, pk_cas, pk_fence, pk_work};

/* --- Parameters ----------------------------------------------------------- */

int wl_params_from_cfg(const cfg *c, const wl_scenario **s, wl_params *prm, sim_err *err) {
  const char *name = cfg_str(c, CK_WORKLOAD_SCENARIO);
  if (!(*s = wl_scenario_find(name))) {
    char names[512];
    wl_scenario_names(names, sizeof names);
    return cfg_errf(c, err, SIM_ECONFIG, CK_WORKLOAD_SCENARIO, "\"%s\" is not one of %s", name,
                    names);
  }
  unsigned t = (unsigned)cfg_int(c, CK_WORKLOAD_THREADS);
  if (t < (*s)->min_threads || t > (*s)->max_threads)
    return cfg_errf(c, err, SIM_ECONFIG, CK_WORKLOAD_THREADS, "%s runs %u to %u threads, not %u",
                    name, (*s)->min_threads, (*s)->max_threads, t);
  *prm = (wl_params){
      .variant = (hmap_variant)hmap_variant_find(cfg_str(c, CK_WORKLOAD_VARIANT)),
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

static int run(const cfg *c, uint64_t first, uint64_t count, const wl_mode *mode, wl_result *r,
               sim_err *err) {
  memset(r, 0, sizeof *r);
  int rc = wl_params_from_cfg(c, &r->s, &r->prm, err);
  if (rc) return rc;
  sim_ctx k = {.s = r->s};
  size_t bytes = r->s->arena_bytes(&r->prm);
  if (!(k.m = sim_machine_new(c, r->prm.threads, bytes + 4096, err))) return err->code;
  if (r->s->warm) sim_machine_skew_later(k.m);
  uint8_t *arena = sim_machine_alloc(k.m, bytes, 4096);
  k.bar = sim_machine_alloc(k.m, 64, 64);
  r->hist = hist_new(r->s->nobs);
  bool traced = mode && (mode->causes || mode->explain);
  cpu_trace own = {0}, *trace = mode && mode->trace ? mode->trace : &own;
  wl_locs *locs = traced && arena ? wl_locs_new(k.m, arena, bytes) : NULL;
  if (!arena || !k.bar || !r->hist || (traced && (!locs || (!trace->ev && !cpu_trace_init(trace, 1 << 16))))) {
    wl_locs_free(locs);
    cpu_trace_free(&own);
    sim_machine_free(k.m);
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  /* Messages only for an explanation: causes need none. */
  if (traced) sim_machine_trace(k.m, trace, mode->explain != NULL);
  mem_native_port setup;
  mem_native_port_init(&setup, 0, 8);
  peek_port peek = {{&peek_ops, 0, 0}, k.m};
  int64_t o[WL_MAX_OBS];
  double t0 = wallclock_s();
  for (uint64_t i = first; i < first + count; i++) {
    uint64_t ops[WL_MAX_THREADS];
    memcpy(ops, k.x.ops, sizeof ops);
    if (wl_inst_setup(r->s, &k.x, &r->prm, arena, bytes, &setup.base)) {
      rc = sim_errf(err, SIM_EFULL, "%s: the scenario's setup ran out of its %zu-byte arena",
                    r->s->name, bytes);
      break;
    }
    memcpy(k.x.ops, ops, sizeof ops); /* setup cleared them; they count the run */
    mem_store(&setup.base, k.bar, 0, 8, MO_RELAXED);
    if (traced) cpu_trace_clear(trace);
    if ((rc = sim_machine_iteration(k.m, i, thread_entry, &k, err))) {
      sim_err_prefix(err, "%s", r->s->name);
      break;
    }
    memset(o, 0, sizeof o);
    r->s->observe(&k.x, &peek.base, o);
    if (traced && (rc = attribute(&k, mode, locs, trace, o, &peek.base, r, err))) break;
    wl_result_add(r, o, i);
    if (SIM_PROGRESS_POLL(r->iterations, count)) break; /* Ctrl-C: keep what is done */
  }
  r->wall_s = wallclock_s() - t0;
  for (unsigned t = 0; t < r->prm.threads; t++) r->map_ops += k.x.ops[t];
  r->sim_cycles = sim_machine_cycles(k.m);
  sim_machine_metrics(k.m, metrics_set, &r->metrics);
  double it = r->iterations ? (double)r->iterations : 1, ops = r->map_ops ? (double)r->map_ops : 1;
  metrics_set(&r->metrics, "sim.cycles_per_iteration", (double)r->sim_cycles / it);
  metrics_set(&r->metrics, "map.ops", (double)r->map_ops);
  metrics_set(&r->metrics, "map.ops_per_iteration", (double)r->map_ops / it);
  metrics_set(&r->metrics, "map.cycles_per_op",
              (double)r->sim_cycles * r->prm.threads / ops);
  if (mode && mode->causes) explain_cause_metrics(&r->metrics, &r->causes);
  wl_locs_free(locs);
  cpu_trace_free(&own);
  sim_machine_free(k.m);
  return rc;
}

int wl_run_sim(const cfg *c, uint64_t first, uint64_t count, wl_result *r, sim_err *err) {
  return run(c, first, count, NULL, r, err);
}

int wl_run_causes(const cfg *c, uint64_t first, uint64_t count, wl_result *r, sim_err *err) {
  wl_mode mode = {true, NULL, NULL};
  return run(c, first, count, &mode, r, err);
}

int wl_run_explain(const cfg *c, uint64_t k, cpu_trace *trace, wl_explained *w, wl_result *r,
                   sim_err *err) {
  wl_mode mode = {false, w, trace};
  memset(w, 0, sizeof *w);
  return run(c, k, 1, &mode, r, err);
}
