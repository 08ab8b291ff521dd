/* sim/explain_map.c -- mmsim explain on a map scenario (explain.h). */
#include <inttypes.h>
#include <string.h>

#include "../workloads/scenario_run.h"
#include "explain.h"

/* The first iteration of c's run whose outcome has an anomaly kind. */
static int find_anomaly(const cfg *c, explain_result *r, sim_err *err) {
  wl_result wr;
  int rc = wl_run_sim(c, 0, (uint64_t)cfg_int(c, CK_RUN_ITERATIONS), 0, &wr, err);
  if (rc) return rc;
  r->searched = wr.iterations;
  for (size_t i = 0; i < hist_len(wr.hist); i++) {
    bool forbidden;
    if (!r->s->classify(&wr.prm, hist_key(wr.hist, i), &forbidden)) continue;
    uint64_t k = hist_first(wr.hist, i);
    if (!r->found || k < r->iteration) r->iteration = k, r->found = true;
  }
  wl_result_free(&wr);
  return 0;
}

/* The variant that removes every mechanism found: the strongest of their
 * cheapest fixes (fenced < atomic < locked), or -1. */
static int fix_variant(const explain_result *r) {
  int v = -1;
  for (unsigned i = 0; i < r->x.nmech; i++) {
    int f = wl_fix_variant(r->s, r->x.mech[i].kind);
    if (f < 0) return -1;
    if (f > v) v = f;
  }
  return v;
}

/* The same iteration with the fix's variant, untraced. */
static int try_fix(const cfg *c, explain_result *r, sim_err *err) {
  int v = fix_variant(r);
  if (v < 0 || v == hmap_variant_find(r->variant)) return 0;
  cfg *fc = cfg_clone(c);
  if (!fc) return sim_errf(err, SIM_ENOMEM, "out of memory");
  wl_result fr = {0};
  int rc = cfg_set(fc, "workload.variant", hmap_variant_name[v], err);
  if (!rc) rc = wl_run_sim(fc, r->iteration, 1, 1, &fr, err);
  const int64_t *o = rc ? NULL : hist_only(fr.hist);
  if (o) {
    bool forbidden;
    r->fix_tried = true;
    r->fix_variant = hmap_variant_name[v];
    r->fix_sc = r->s->classify(&fr.prm, o, &forbidden) == NULL;
    wl_outcome_format(r->s, o, r->fixed_outcome, sizeof r->fixed_outcome);
  }
  wl_result_free(&fr);
  cfg_free(fc);
  return rc;
}

int explain__map(const cfg *c, explain_result *r, sim_err *err) {
  wl_params prm;
  int rc = wl_params_from_cfg(c, &r->s, &prm, err);
  if (rc) return rc;
  r->name = r->s->name;
  r->nthreads = prm.threads;
  r->variant = cfg_str(c, CK_WORKLOAD_VARIANT);
  r->sc_known = true;
  if (!cpu_trace_init(&r->trace, EXPLAIN_TRACE_CAP)) return sim_errf(err, SIM_ENOMEM, "out of memory");
  if (!r->asked && (rc = find_anomaly(c, r, err))) return rc;
  if (!r->asked && !r->found) return 0;
  r->found = true;

  /* The untraced outcome of that iteration, then the traced replay. */
  wl_result plain = {0}, traced = {0};
  rc = wl_run_sim(c, r->iteration, 1, 1, &plain, err);
  if (!rc) rc = wl_run_explain(c, r->iteration, &r->trace, &r->w, &traced, err);
  const int64_t *want = rc ? NULL : hist_only(plain.hist);
  const int64_t *got = rc ? NULL : hist_only(traced.hist);
  if (!rc && (!want || !got || memcmp(want, got, r->s->nobs * sizeof *got) != 0))
    rc = sim_errf(err, SIM_EVIOLATION, "%s: iteration %" PRIu64 " traced gave another outcome "
                  "than untraced (trace.h TR2)", r->s->name, r->iteration);
  if (!rc) {
    wl_outcome_format(r->s, got, r->outcome, sizeof r->outcome);
    r->anomaly = r->w.anomaly;
    r->cond = r->anomaly != NULL;
    r->sc = !r->w.forbidden;
    r->x = r->w.x; /* the account, moved */
    memset(&r->w.x, 0, sizeof r->w.x);
  }
  wl_result_free(&plain);
  wl_result_free(&traced);
  if (!rc && r->anomaly && r->x.nmech) rc = try_fix(c, r, err);
  return rc;
}
