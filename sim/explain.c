/* sim/explain.c -- see explain.h. */
#include "explain.h"

#include <inttypes.h>
#include <string.h>

#include "../workloads/litmus_run.h"
#include "../workloads/litmus_sc.h"

/* The first iteration of c's run whose outcome is not in sc. */
static int find_non_sc(const litmus_test *t, const cfg *c, const sim_hist *sc, explain_result *r,
                       sim_err *err) {
  litmus_result lr;
  uint64_t n = (uint64_t)cfg_int(c, CK_RUN_ITERATIONS);
  int rc = litmus_run_sim(t, c, 0, n, 0, &lr, err);
  if (rc) return rc;
  r->searched = lr.iterations;
  for (size_t i = 0; i < hist_len(lr.hist); i++) {
    if (hist_find(sc, hist_key(lr.hist, i)) >= 0) continue;
    uint64_t k = hist_first(lr.hist, i);
    if (!r->found || k < r->iteration) r->iteration = k, r->found = true;
  }
  litmus_result_free(&lr);
  return 0;
}

/* Iteration r->iteration of t, traced; the outcome checked against the
 * untraced one when `want` is given. */
static int replay(const litmus_test *t, const cfg *c, explain_result *r, const int64_t *want,
                  litmus_result *lr, sim_err *err) {
  int rc = litmus_run_traced(t, c, r->iteration, &r->trace, r->loc_addr, lr, err);
  if (rc) return rc;
  const int64_t *v = hist_only(lr->hist);
  if (!v || (want && memcmp(v, want, litmus_nobs(t) * sizeof *v) != 0))
    return sim_errf(err, SIM_EVIOLATION, "%s: iteration %" PRIu64 " traced gave another outcome "
                    "than untraced (trace.h TR2)", litmus_path(t), r->iteration);
  return 0;
}

int explain_run(const cfg *c, bool asked, uint64_t iteration, explain_result *r, sim_err *err) {
  memset(r, 0, sizeof *r);
  r->model = cfg_str(c, CK_CPU_MODEL);
  r->asked = asked;
  r->iteration = iteration;
  const char *kind = cfg_str(c, CK_WORKLOAD_KIND);
  if (strcmp(kind, "map") == 0) return explain__map(c, r, err);
  if (strcmp(kind, "litmus") != 0)
    return cfg_errf(c, err, SIM_EUNSUP, CK_WORKLOAD_KIND, "mmsim explain explains litmus tests "
                    "and map scenarios, not \"%s\" workloads", kind);
  char path[4096];
  int rc = cfg_litmus_path(c, path, sizeof path, err);
  if (!rc && (rc = litmus_parse_file(path, &r->t, err)) == SIM_EIO)
    rc = cfg_blame(c, err, CK_WORKLOAD_LITMUS);
  if (rc) return rc;
  r->name = litmus_name(r->t);
  r->nthreads = litmus_nthreads(r->t);
  if (!cpu_trace_init(&r->trace, EXPLAIN_TRACE_CAP)) return sim_errf(err, SIM_ENOMEM, "out of memory");

  sim_hist *sc = NULL;
  sim_err why;
  r->sc_known = litmus_sc_search(r->t, (uint64_t)cfg_int(c, CK_WORKLOAD_SC_MAX_STATES), &sc, NULL,
                                 &why) == 0;
  if (!asked && !r->sc_known) {
    *err = why;
    return why.code;
  }
  if (!asked && (rc = find_non_sc(r->t, c, sc, r, err))) goto out;
  if (!asked && !r->found) goto out;
  r->found = true;

  /* The untraced outcome of that iteration, then the traced replay. */
  litmus_result plain = {0}, traced = {0};
  rc = litmus_run_sim(r->t, c, r->iteration, 1, 1, &plain, err);
  if (!rc) rc = replay(r->t, c, r, hist_only(plain.hist), &traced, err);
  if (!rc) {
    const int64_t *v = hist_only(traced.hist);
    litmus_outcome_format(r->t, v, r->outcome, sizeof r->outcome);
    r->cond = litmus_cond_eval(r->t, v);
    r->sc = r->sc_known && hist_find(sc, v) >= 0;
    rc = litmus_explain(r->t, &r->trace, r->loc_addr, &r->x, err);
  }
  litmus_result_free(&plain);
  litmus_result_free(&traced);
  if (rc || r->x.nmech == 0 || !r->sc_known) goto out;

  /* The fix: the same iteration with the fences in, on a copy of the test
   * (untraced: only its outcome matters). */
  litmus_test *fixed = NULL;
  if ((rc = litmus_explain_fixed(r->t, &r->x, &fixed, err))) goto out;
  litmus_result fr = {0};
  if (!(rc = litmus_run_sim(fixed, c, r->iteration, 1, 1, &fr, err))) {
    const int64_t *v = hist_only(fr.hist);
    r->fix_tried = v != NULL;
    if (v) {
      litmus_outcome_format(fixed, v, r->fixed_outcome, sizeof r->fixed_outcome);
      r->fix_sc = hist_find(sc, v) >= 0;
    }
  }
  litmus_result_free(&fr);
  litmus_free(fixed);
out:
  hist_free(sc);
  return rc;
}

void explain_result_free(explain_result *r) {
  explain_exec_free(&r->x);
  wl_explained_free(&r->w);
  cpu_trace_free(&r->trace);
  litmus_free(r->t);
  memset(r, 0, sizeof *r);
}
