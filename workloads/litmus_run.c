/* workloads/litmus_run.c -- see litmus_run.h. */
#include "litmus_run.h"

#include <string.h>

#include "../sim/machine.h"
#include "../sim/progress.h"
#include "../sim/wallclock.h"
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

/* Iterations first .. first+count-1, each traced into trace when it is
 * given (loc_addr then gets the locations' addresses), and attributed to
 * its mechanisms when causes_sc is given (which needs the trace). */
static int run(const litmus_test *t, const cfg *c, uint64_t first, uint64_t count,
               cpu_trace *trace, uint64_t *loc_addr, const sim_hist *causes_sc, litmus_result *r,
               sim_err *err) {
  memset(r, 0, sizeof *r);
  unsigned nthreads = litmus_nthreads(t), nlocs = litmus_nlocs(t), nobs = litmus_nobs(t);
  litmus_ctx x = {.t = t};
  x.m = sim_machine_new(c, nthreads, (size_t)(nlocs + 1) * LINE_BYTES, err);
  if (!x.m) return err->code;
  for (unsigned i = 0; i < nlocs; i++) {
    x.loc[i] = sim_machine_alloc(x.m, LINE_BYTES, LINE_BYTES);
    if (loc_addr) loc_addr[i] = sim_machine_addr(x.m, x.loc[i]);
  }
  sim_machine_trace(x.m, trace, !causes_sc); /* causes need no messages */
  r->hist = hist_new(nobs);
  if (!r->hist) {
    sim_machine_free(x.m);
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  }

  int64_t *regp[LITMUS_MAX_THREADS], vals[LITMUS_MAX_OBS];
  uint64_t mem[LITMUS_MAX_LOCS];
  for (unsigned i = 0; i < nthreads; i++) regp[i] = x.regs[i];
  int rc = 0;
  double t0 = wallclock_s();
  for (uint64_t k = first; k < first + count; k++) {
    for (unsigned i = 0; i < nlocs; i++) /* the initial state, before time 0 */
      memsys_put(x.loc[i], litmus_loc_size(t, i), litmus_loc_init(t, i));
    if (trace) cpu_trace_clear(trace);
    if ((rc = sim_machine_iteration(x.m, k, thread_entry, &x, err)) != 0) {
      sim_err_prefix(err, "%s", litmus_path(t));
      break;
    }
    for (unsigned i = 0; i < nlocs; i++)
      mem[i] = sim_machine_peek(x.m, x.loc[i], litmus_loc_size(t, i));
    litmus_observe(t, regp, mem, vals);
    if (causes_sc && (rc = attribute(t, trace, loc_addr, causes_sc, vals, r, err))) break;
    hist_add(r->hist, vals, k);
    r->positive += litmus_cond_eval(t, vals);
    r->iterations++;
    if (SIM_PROGRESS_POLL(r->iterations, count)) break; /* Ctrl-C: keep what is done */
  }
  r->wall_s = wallclock_s() - t0;
  r->sim_cycles = sim_machine_cycles(x.m);
  r->mem_uops = sim_machine_mem_uops(x.m);
  sim_machine_metrics(x.m, metrics_set, &r->metrics);
  /* Host timings stay out of metrics: those must repeat bit for bit. */
  metrics_set(&r->metrics, "sim.cycles_per_iteration",
              r->iterations ? (double)r->sim_cycles / (double)r->iterations : 0);
  if (causes_sc) explain_cause_metrics(&r->metrics, &r->causes);
  sim_machine_free(x.m);
  return rc;
}

int litmus_run_sim(const litmus_test *t, const cfg *c, uint64_t first, uint64_t count,
                   litmus_result *r, sim_err *err) {
  return run(t, c, first, count, NULL, NULL, NULL, r, err);
}

int litmus_run_causes(const litmus_test *t, const cfg *c, uint64_t first, uint64_t count,
                      const sim_hist *sc, litmus_result *r, sim_err *err) {
  cpu_trace trace;
  uint64_t loc_addr[LITMUS_MAX_LOCS];
  if (!cpu_trace_init(&trace, 1 << 16)) {
    memset(r, 0, sizeof *r);
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  int rc = run(t, c, first, count, &trace, loc_addr, sc, r, err);
  cpu_trace_free(&trace);
  return rc;
}

int litmus_run_traced(const litmus_test *t, const cfg *c, uint64_t k, cpu_trace *trace,
                      uint64_t *loc_addr, litmus_result *r, sim_err *err) {
  return run(t, c, k, 1, trace, loc_addr, NULL, r, err);
}

void litmus_result_free(litmus_result *r) {
  hist_free(r->hist);
  metrics_free(&r->metrics);
  memset(r, 0, sizeof *r);
}
