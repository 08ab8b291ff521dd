/* workloads/litmus_run.c -- see litmus_run.h. */
#include "litmus_run.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/machine.h"
#include "../sim/par.h"
#include "../sim/progress.h"
#include "litmus_explain.h"

#define LINE_BYTES 64

typedef struct litmus_ctx {
  const litmus_test *t;
  sim_machine *m;
  void *loc[LITMUS_MAX_LOCS];
  int64_t regs[LITMUS_MAX_THREADS][LITMUS_MAX_REGS];
} litmus_ctx;

static void thread_entry(void *arg, unsigned tid) {
  litmus_ctx *x = arg;
  litmus_thread_run(x->t, tid, sim_machine_port(x->m, tid), x->loc, x->regs[tid]);
}

/* run.causes: the iteration just run, traced, is attributed to the
 * mechanisms of its non-SC outcome (litmus_explain.h), each kind once. */
static int attribute(const litmus_test *t, const cpu_trace *trace, const uint64_t *loc_addr,
                     const sim_hist *sc, const int64_t *vals, litmus_result *r, sim_err *err) {
  if (hist_find(sc, vals) >= 0) return 0;
  explain_exec x;
  int rc = litmus_explain(t, trace, loc_addr, &x, err);
  if (rc) return rc;
  explain_causes_add(&r->causes, &x);
  explain_exec_free(&x);
  return 0;
}

/* One host thread's share of a run (sim/par.h): its machine, and the
 * outcomes and counts of the iterations it ran. */
typedef struct worker {
  litmus_ctx x;
  litmus_result r;
  cpu_trace *trace;            /* every iteration traced into it, if any */
  uint64_t *loc_addr;          /* with a trace: the locations' addresses */
  const sim_hist *causes_sc;   /* attribute non-SC iterations (needs the trace) */
  cpu_trace own;               /* a parallel worker's trace */
  uint64_t own_addr[LITMUS_MAX_LOCS];
} worker;

/* What every worker is made from (par_init_fn); the caller's trace goes
 * to worker 0 alone. */
typedef struct init_ctx {
  const litmus_test *t;
  const cfg *c;
  cpu_trace *trace;
  uint64_t *loc_addr;
  const sim_hist *causes_sc;
} init_ctx;

static int worker_init(void *arg, unsigned index, void *ctxp, sim_err *err) {
  worker *w = arg;
  const init_ctx *ic = ctxp;
  const litmus_test *t = ic->t;
  const cfg *c = ic->c;
  cpu_trace *trace = index ? NULL : ic->trace;
  uint64_t *loc_addr = index ? NULL : ic->loc_addr;
  const sim_hist *causes_sc = ic->causes_sc;
  unsigned nthreads = litmus_nthreads(t), nlocs = litmus_nlocs(t);
  w->x.t = t;
  w->causes_sc = causes_sc;
  if (causes_sc && !trace) { /* a parallel worker traces into its own */
    if (!cpu_trace_init(&w->own, 1 << 16)) return sim_errf(err, SIM_ENOMEM, "out of memory");
    trace = &w->own, loc_addr = w->own_addr;
  }
  w->trace = trace, w->loc_addr = loc_addr;
  w->x.m = sim_machine_new(c, nthreads, (size_t)(nlocs + 1) * LINE_BYTES, err);
  if (!w->x.m) return err->code;
  for (unsigned i = 0; i < nlocs; i++) {
    w->x.loc[i] = sim_machine_alloc(w->x.m, LINE_BYTES, LINE_BYTES);
    if (loc_addr) loc_addr[i] = sim_machine_addr(w->x.m, w->x.loc[i]);
  }
  sim_machine_trace(w->x.m, trace, !causes_sc); /* causes need no messages */
  if (!(w->r.hist = hist_new(litmus_nobs(t)))) return sim_errf(err, SIM_ENOMEM, "out of memory");
  return 0;
}

static void worker_free(worker *w) {
  sim_machine_free(w->x.m);
  cpu_trace_free(&w->own);
  litmus_result_free(&w->r);
}

/* Iterations first .. first+count-1 on w (par_chunk_fn). */
static int chunk(void *arg, uint64_t first, uint64_t count, bool poll, uint64_t *ran,
                 sim_err *err) {
  worker *w = arg;
  const litmus_test *t = w->x.t;
  litmus_result *r = &w->r;
  unsigned nthreads = litmus_nthreads(t), nlocs = litmus_nlocs(t);
  int64_t *regp[LITMUS_MAX_THREADS], vals[LITMUS_MAX_OBS];
  uint64_t mem[LITMUS_MAX_LOCS], before = r->iterations;
  for (unsigned i = 0; i < nthreads; i++) regp[i] = w->x.regs[i];
  int rc = 0;
  for (uint64_t k = first; k < first + count; k++) {
    for (unsigned i = 0; i < nlocs; i++) /* the initial state, before time 0 */
      memsys_put(w->x.loc[i], litmus_loc_size(t, i), litmus_loc_init(t, i));
    if (w->trace) cpu_trace_clear(w->trace);
    if ((rc = sim_machine_iteration(w->x.m, k, thread_entry, &w->x, err)) != 0) {
      sim_err_prefix(err, "%s", litmus_path(t));
      break;
    }
    for (unsigned i = 0; i < nlocs; i++)
      mem[i] = sim_machine_peek(w->x.m, w->x.loc[i], litmus_loc_size(t, i));
    litmus_observe(t, regp, mem, vals);
    if (w->causes_sc &&
        (rc = attribute(t, w->trace, w->loc_addr, w->causes_sc, vals, r, err)))
      break;
    hist_add(r->hist, vals, k);
    r->positive += litmus_cond_eval(t, vals);
    r->iterations++;
    if (poll && SIM_PROGRESS_POLL(r->iterations, count)) break; /* Ctrl-C: keep what is done */
  }
  *ran = r->iterations - before;
  return rc;
}

/* Iterations first .. first+count-1 on `jobs` host threads (0: all),
 * each traced into trace when it is given (serial only; loc_addr then
 * gets the locations' addresses), and attributed to its mechanisms when
 * causes_sc is given. */
static int run(const litmus_test *t, const cfg *c, uint64_t first, uint64_t count,
               unsigned jobs, cpu_trace *trace, uint64_t *loc_addr, const sim_hist *causes_sc,
               litmus_result *r, sim_err *err) {
  memset(r, 0, sizeof *r);
  jobs = trace ? 1 : sim_machine_fit_jobs(c, litmus_nthreads(t), par_jobs_for(jobs, count));
  init_ctx ic = {t, c, trace, loc_addr, causes_sc};
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
      w0->r.positive += w[i].r.positive;
      explain_causes_absorb(&w0->r.causes, &w[i].r.causes);
      sim_machine_absorb(w0->x.m, w[i].x.m);
    }
    *r = w0->r;
    w0->r = (litmus_result){0};
    r->wall_s = wall;
    r->sim_cycles = sim_machine_cycles(w0->x.m);
    r->mem_uops = sim_machine_mem_uops(w0->x.m);
    sim_machine_metrics(w0->x.m, metrics_set, &r->metrics);
    /* Host timings stay out of metrics: those must repeat bit for bit. */
    metrics_set(&r->metrics, "sim.cycles_per_iteration",
                r->iterations ? (double)r->sim_cycles / (double)r->iterations : 0);
    if (causes_sc) explain_cause_metrics(&r->metrics, &r->causes);
  }
  for (unsigned i = 0; w && i < jobs; i++) worker_free(&w[i]);
  free(w);
  return rc;
}

int litmus_run_sim(const litmus_test *t, const cfg *c, uint64_t first, uint64_t count,
                   unsigned jobs, litmus_result *r, sim_err *err) {
  return run(t, c, first, count, jobs, NULL, NULL, NULL, r, err);
}

int litmus_run_causes(const litmus_test *t, const cfg *c, uint64_t first, uint64_t count,
                      unsigned jobs, const sim_hist *sc, litmus_result *r, sim_err *err) {
  return run(t, c, first, count, jobs, NULL, NULL, sc, r, err);
}

int litmus_run_traced(const litmus_test *t, const cfg *c, uint64_t k, cpu_trace *trace,
                      uint64_t *loc_addr, litmus_result *r, sim_err *err) {
  return run(t, c, k, 1, 1, trace, loc_addr, NULL, r, err);
}

void litmus_result_free(litmus_result *r) {
  hist_free(r->hist);
  metrics_free(&r->metrics);
  memset(r, 0, sizeof *r);
}
