/* sim/calibrate.c -- see calibrate.h.  The steps below are its six, one
 * function each, called in order by calib_run. */
#include "calibrate.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../plots/plot.h"
#include "../workloads/litmus_native.h"
#include "../workloads/litmus_sc.h"
#include "calib_int.h"
#include "calib_stats.h"
#include "run.h"
#include "wallclock.h"

enum { MAX_SIM_RUNS = 100000 }; /* points x sim_runs: every result is held until the fit */

static int nomem(sim_err *err) { return sim_errf(err, SIM_ENOMEM, "out of memory"); }

/* ---- Results of either kind ---- */

static int res_native(calib *k, calib_scn *sc, calib_res *r, sim_err *err) {
  if (sc->t) return litmus_run_native(sc->t, sc->native_cfg, &r->l, &k->host, err);
  return native_run(sc->native_cfg, &r->w, &k->host, err);
}

static int res_sim(const calib *k, const calib_scn *sc, cfg *c, calib_res *r, sim_err *err) {
  uint64_t iters = (uint64_t)cfg_int(c, CK_RUN_ITERATIONS);
  if (sc->t) return litmus_run_sim(sc->t, c, 0, iters, k->o->jobs, &r->l, err);
  return wl_run_sim(c, 0, iters, k->o->jobs, &r->w, err);
}

static void res_free(const calib_scn *sc, calib_res *r) {
  if (sc->t) litmus_result_free(&r->l);
  else wl_result_free(&r->w);
}

static uint64_t res_iterations(const calib_scn *sc, const calib_res *r) {
  return sc->t ? r->l.iterations : r->w.iterations;
}

/* Anomalous iterations: the oracle's, or the litmus outcomes not in SC. */
static uint64_t res_anomalies(const calib_scn *sc, const calib_res *r) {
  if (!sc->t) return r->w.anomalies;
  uint64_t a = 0;
  for (size_t i = 0; i < hist_len(r->l.hist); i++)
    if (hist_find(sc->sc_set, hist_key(r->l.hist, i)) < 0) a += hist_count(r->l.hist, i);
  return a;
}

static sim_metrics *res_metrics(const calib_scn *sc, calib_res *r) {
  return sc->t ? &r->l.metrics : &r->w.metrics;
}

/* h: the host of a native run, NULL for a simulated one. */
static int res_store(run_session *s, const calib_scn *sc, const cfg *c, calib_res *r,
                     const native_host *h, sim_err *err) {
  if (!sc->t) return run_store_map(s, c, &r->w, h, err);
  return run_store_litmus(s, c, sc->t, &r->l, sc->sc_set,
                          h ? run_host_model() : cfg_str(c, CK_CPU_MODEL), h, err);
}

static int sample_alloc(sample *s, size_t n) {
  s->r = calloc(n, sizeof *s->r);
  s->logf = calloc(n, sizeof *s->logf);
  s->freq = calloc(n, sizeof *s->freq);
  return s->r && s->logf && s->freq ? 0 : -1;
}

static void sample_free(const calib_scn *sc, sample *s) {
  for (size_t i = 0; i < s->n; i++) res_free(sc, &s->r[i]);
  free(s->r);
  free(s->logf);
  free(s->freq);
  memset(s, 0, sizeof *s);
}

static void sample_add(const calib_scn *sc, sample *s) {
  uint64_t n = res_iterations(sc, &s->r[s->n]), a = res_anomalies(sc, &s->r[s->n]);
  s->freq[s->n] = n ? (double)a / (double)n : 0;
  s->logf[s->n] = calib_log_freq(a, n);
  s->n++;
}

static int set_u64(cfg *c, const char *key, uint64_t v, sim_err *err) {
  char text[32];
  snprintf(text, sizeof text, "%" PRIu64, v);
  return cfg_set(c, key, text, err);
}

const char *calib__point_text(const calib *k, size_t p, char *buf, size_t n) {
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < k->nkeys; i++) {
    char v[64];
    const char *key = cfg_calib_key(k->grid, i);
    cfg_value_text(k->sc[0].pts[p].c, (cfg_key_id)cfg_key_find(key), v, sizeof v);
    int w = snprintf(buf + len, n - len, "%s%s=%s", i ? " " : "", key, v);
    if (w < 0 || (size_t)w >= n - len) break;
    len += (size_t)w;
  }
  return buf;
}

/* ---- 1. grid ---- */

/* The later configs must name the first one's grid: one machine for all. */
static int same_grid(const cfg *a, const cfg *b, const char *file, sim_err *err) {
  bool same = cfg_calib_nkeys(a) == cfg_calib_nkeys(b);
  for (size_t i = 0; same && i < cfg_calib_nkeys(a); i++) {
    same = strcmp(cfg_calib_key(a, i), cfg_calib_key(b, i)) == 0 &&
           cfg_calib_nvalues(a, i) == cfg_calib_nvalues(b, i);
    for (size_t j = 0; same && j < cfg_calib_nvalues(a, i); j++)
      same = strcmp(cfg_calib_value(a, i, j), cfg_calib_value(b, i, j)) == 0;
  }
  if (same) return 0;
  return sim_errf(err, SIM_ECONFIG, "%s: calibrate.params: --joint fits one grid; give every "
                  "config the first one's (%s)", file, cfg_file(a) ? cfg_file(a) : "the first");
}

static int make_grid(calib *k, sim_err *err) {
  size_t runs = 0;
  k->nkeys = cfg_calib_nkeys(k->grid);
  k->npoints = 1;
  for (size_t j = 0; j < k->nsc; j++) runs += (size_t)k->sc[j].k.sim_runs;
  for (size_t i = 0; i < k->nkeys; i++) {
    k->npoints *= cfg_calib_nvalues(k->grid, i);
    if (k->npoints * runs > MAX_SIM_RUNS)
      return sim_errf(err, SIM_ECONFIG,
                      "calibrate.params: the grid times calibrate.sim_runs is more than %d "
                      "simulated runs; use a coarser grid",
                      MAX_SIM_RUNS);
  }
  if (!(k->w1 = calloc(k->npoints, sizeof *k->w1)) || !(k->ks = calloc(k->npoints, sizeof *k->ks)))
    return nomem(err);
  for (size_t j = 0; j < k->nsc; j++) {
    calib_scn *sc = &k->sc[j];
    if (!(sc->pts = calloc(k->npoints, sizeof *sc->pts))) return nomem(err);
    for (size_t p = 0; p < k->npoints; p++) {
      if (!(sc->pts[p].c = cfg_clone(sc->base))) return nomem(err);
      size_t rest = p;
      for (size_t i = k->nkeys; i-- > 0;) { /* the last key fastest */
        size_t n = cfg_calib_nvalues(k->grid, i);
        int rc = cfg_set(sc->pts[p].c, cfg_calib_key(k->grid, i),
                         cfg_calib_value(k->grid, i, rest % n), err);
        if (rc) return rc;
        rest /= n;
      }
      if (sample_alloc(&sc->pts[p].s, (size_t)sc->k.sim_runs)) return nomem(err);
    }
  }
  return 0;
}

/* ---- 2. native ---- */

/* Other work on the host moves native frequencies several-fold (a thread
 * descheduled mid-increment loses its update), so the load is reported and
 * stored beside them. */
static double host_load(void) {
  double l = -1;
  FILE *f = fopen("/proc/loadavg", "r");
  if (f) {
    if (fscanf(f, "%lf", &l) != 1) l = -1;
    fclose(f);
  }
  return l;
}

static int native_setup(calib_scn *sc, sim_err *err) {
  int rc;
  if (!(sc->native_cfg = cfg_clone(sc->base))) return nomem(err);
  if (sc->k.native_iterations &&
      (rc = set_u64(sc->native_cfg, "run.iterations", (uint64_t)sc->k.native_iterations, err)))
    return rc;
  return sample_alloc(&sc->native, (size_t)sc->k.native_runs) ? nomem(err) : 0;
}

/* Round by round, a run of each scenario in turn: the host's state drifts
 * within minutes (its native rates with it), so every scenario samples the
 * same stretch of it, and the load read before each round is each one's. */
static int run_native(calib *k, sim_err *err) {
  int64_t rounds = 0;
  int rc;
  double t0 = wallclock_s();
  for (size_t j = 0; j < k->nsc; j++) {
    if ((rc = native_setup(&k->sc[j], err))) return rc;
    if (k->sc[j].k.native_runs > rounds) rounds = k->sc[j].k.native_runs;
  }
  for (int64_t i = 0; i < rounds; i++) {
    double l = host_load();
    for (size_t j = 0; j < k->nsc; j++) {
      calib_scn *sc = &k->sc[j];
      if (i >= sc->k.native_runs) continue;
      sc->load += l / (double)sc->k.native_runs; /* the mean over its runs */
      uint64_t seed = (uint64_t)cfg_int(sc->base, CK_RUN_SEED) + (uint64_t)i;
      if ((rc = set_u64(sc->native_cfg, "run.seed", seed, err)) ||
          (rc = res_native(k, sc, &sc->native.r[sc->native.n], err))) {
        res_free(sc, &sc->native.r[sc->native.n]);
        if (k->nsc > 1) sim_err_prefix(err, "%s", sc->name);
        return rc;
      }
      sample_add(sc, &sc->native);
    }
  }
  if (k->o->progress)
    for (size_t j = 0; j < k->nsc; j++)
      fprintf(k->o->progress, "native: %s%s%" PRId64 " runs of %" PRId64 " iterations on %s\n",
              k->nsc > 1 ? k->sc[j].name : "", k->nsc > 1 ? ": " : "",
              k->sc[j].k.native_runs, cfg_int(k->sc[j].native_cfg, CK_RUN_ITERATIONS),
              k->host.cpu);
  if (k->o->progress) fprintf(k->o->progress, "native: %.1f s\n", wallclock_s() - t0);
  return 0;
}

/* ---- 3. sim ---- */

static int run_points(calib *k, sim_err *err) {
  double t0 = wallclock_s();
  for (size_t p = 0; p < k->npoints; p++) {
    char where[512];
    for (size_t j = 0; j < k->nsc; j++) {
      calib_scn *sc = &k->sc[j];
      point *pt = &sc->pts[p];
      uint64_t seed = (uint64_t)cfg_int(sc->base, CK_RUN_SEED);
      for (int64_t i = 0; i < sc->k.sim_runs; i++) {
        int rc;
        if ((rc = set_u64(pt->c, "run.seed", seed + (uint64_t)i, err)) ||
            (rc = res_sim(k, sc, pt->c, &pt->s.r[pt->s.n], err))) {
          res_free(sc, &pt->s.r[pt->s.n]);
          sim_err_prefix(err, "%s%spoint %zu (%s)", k->nsc > 1 ? sc->name : "",
                         k->nsc > 1 ? ": " : "", p, calib__point_text(k, p, where, sizeof where));
          return rc;
        }
        sample_add(sc, &pt->s);
      }
    }
    if (k->o->progress)
      fprintf(k->o->progress, "sim: point %zu/%zu (%s) done, %.1f s\n", p + 1, k->npoints,
              calib__point_text(k, p, where, sizeof where), wallclock_s() - t0);
  }
  return 0;
}

/* ---- 4. fit ---- */

static uint64_t min_iterations(const calib_scn *sc, const sample *s, uint64_t m) {
  for (size_t i = 0; i < s->n; i++)
    if (res_iterations(sc, &s->r[i]) < m) m = res_iterations(sc, &s->r[i]);
  return m;
}

/* Each scenario against its own native runs, on its own floor; then the
 * joint fit of a point is the mean of its scenarios' (W1, then KS): one
 * decade off in one scenario weighs as much as in another. */
static void fit(calib *k) {
  for (size_t j = 0; j < k->nsc; j++) {
    calib_scn *sc = &k->sc[j];
    uint64_t n_min = min_iterations(sc, &sc->native, UINT64_MAX);
    for (size_t p = 0; p < k->npoints; p++) n_min = min_iterations(sc, &sc->pts[p].s, n_min);
    calib_clamp(sc->native.logf, sc->native.n, n_min); /* calib_stats.h: the common floor */
    for (size_t p = 0; p < k->npoints; p++) calib_clamp(sc->pts[p].s.logf, sc->pts[p].s.n, n_min);
    sc->own_best = 0;
    for (size_t p = 0; p < k->npoints; p++) {
      point *pt = &sc->pts[p], *b = &sc->pts[sc->own_best];
      pt->w1 = calib_w1(sc->native.logf, sc->native.n, pt->s.logf, pt->s.n);
      pt->ks = calib_ks(sc->native.logf, sc->native.n, pt->s.logf, pt->s.n);
      if (pt->w1 < b->w1 || (pt->w1 == b->w1 && pt->ks < b->ks)) sc->own_best = p;
      k->w1[p] += pt->w1 / (double)k->nsc;
      k->ks[p] += pt->ks / (double)k->nsc;
    }
  }
  k->best = 0;
  for (size_t p = 0; p < k->npoints; p++)
    if (k->w1[p] < k->w1[k->best] || (k->w1[p] == k->w1[k->best] && k->ks[p] < k->ks[k->best]))
      k->best = p;
}

/* ---- 5. store ---- */

static int store(calib *k, run_session *s, sim_err *err) {
  int rc;
  for (size_t j = 0; j < k->nsc; j++) {
    calib_scn *sc = &k->sc[j];
    uint64_t seed = (uint64_t)cfg_int(sc->base, CK_RUN_SEED);
    for (size_t i = 0; i < sc->native.n; i++) {
      /* Each native run under the seed it ran with. */
      if ((rc = set_u64(sc->native_cfg, "run.seed", seed + i, err)) ||
          (metrics_set(res_metrics(sc, &sc->native.r[i]), "calibrate.host_load", sc->load),
           rc = res_store(s, sc, sc->native_cfg, &sc->native.r[i], &k->host, err)))
        return rc;
    }
    for (size_t p = 0; p < k->npoints; p++) {
      point *pt = &sc->pts[p];
      for (size_t i = 0; i < pt->s.n; i++) {
        sim_metrics *m = res_metrics(sc, &pt->s.r[i]);
        metrics_set(m, "calibrate.point", (double)p);
        metrics_set(m, "calibrate.residual", k->w1[p]);
        metrics_set(m, "calibrate.ks", k->ks[p]);
        metrics_set(m, "calibrate.best", p == k->best);
        if (k->nsc > 1) { /* the point's fit is the mean; this is the scenario's part */
          metrics_set(m, "calibrate.scenario_residual", pt->w1);
          metrics_set(m, "calibrate.scenario_ks", pt->ks);
        }
        if ((rc = set_u64(pt->c, "run.seed", seed + i, err)) ||
            (rc = res_store(s, sc, pt->c, &pt->s.r[i], NULL, err)))
          return rc;
      }
    }
  }
  return 0;
}

/* ---- calib_run ---- */

static void calib_free(calib *k) {
  for (size_t j = 0; j < k->nsc; j++) {
    calib_scn *sc = &k->sc[j];
    for (size_t p = 0; sc->pts && p < k->npoints; p++) {
      cfg_free(sc->pts[p].c);
      sample_free(sc, &sc->pts[p].s);
    }
    free(sc->pts);
    cfg_free(sc->native_cfg);
    sample_free(sc, &sc->native);
    hist_free(sc->sc_set);
    if (sc->t) litmus_free(sc->t);
  }
  free(k->sc);
  free(k->w1);
  free(k->ks);
}

/* A litmus config's test and its SC outcomes, the reference its
 * anomalies are counted against. */
static int load_test(calib_scn *sc, const char *file, sim_err *err) {
  litmus_sc_stats st;
  sim_err why = {0, ""};
  int rc = run_load_litmus(sc->base, &sc->t, err);
  if (rc) return rc;
  sc->name = litmus_name(sc->t);
  rc = litmus_sc_search(sc->t, (uint64_t)cfg_int(sc->base, CK_WORKLOAD_SC_MAX_STATES), &sc->sc_set,
                        &st, &why);
  if (rc == SIM_EFULL)
    return sim_errf(err, SIM_ECONFIG, "%s: workload.sc_max_states: %s; calibration counts non-SC "
                    "outcomes and needs them all", file, why.msg);
  if (rc) *err = why;
  return rc;
}

/* Each config: a calibrate object, a map scenario or litmus test, the
 * first one's grid, a name of its own. */
static int check_configs(calib *k, const cfg *const *cs, sim_err *err) {
  for (size_t j = 0; j < k->nsc; j++) {
    calib_scn *sc = &k->sc[j];
    const char *file = cfg_file(cs[j]) ? cfg_file(cs[j]) : "calibrate";
    const char *kind = cfg_str(cs[j], CK_WORKLOAD_KIND);
    int rc;
    sc->base = cs[j];
    if (!cfg_calibrate(cs[j], &sc->k))
      return sim_errf(err, SIM_ECONFIG, "%s: calibrate: the config has no \"calibrate\" object",
                      file);
    if (strcmp(kind, "litmus") == 0) {
      if ((rc = load_test(sc, file, err))) return rc;
    } else if (strcmp(kind, "map") == 0) {
      wl_params prm;
      const wl_scenario *scn;
      if ((rc = wl_params_from_cfg(cs[j], &scn, &prm, err))) return rc;
      sc->name = scn->name;
    } else {
      return sim_errf(err, SIM_EUNSUP,
                      "%s: workload.kind: mmsim calibrate fits map scenarios and litmus tests, "
                      "not \"%s\"", file, kind);
    }
    if (j && (rc = same_grid(cs[0], cs[j], file, err))) return rc;
    for (size_t i = 0; i < j; i++)
      if (strcmp(k->sc[i].name, sc->name) == 0)
        return sim_errf(err, SIM_ECONFIG, "%s: %s is already in the fit (%s)", file, sc->name,
                        cfg_file(cs[i]) ? cfg_file(cs[i]) : "");
  }
  return 0;
}

int calib_run(const cfg *c, const calib_opts *o, sim_err *err) {
  return calib_run_joint(&c, 1, o, err);
}

int calib_run_joint(const cfg *const *cs, size_t n, const calib_opts *o, sim_err *err) {
  calib k = {.o = o, .nsc = n, .grid = cs[0]};
  run_session *s = NULL;
  int rc;
  if (!o->db_path) return sim_errf(err, SIM_EINVAL, "calibrate: no database given");
  if (!(k.sc = calloc(n, sizeof *k.sc))) return nomem(err);
  if ((rc = check_configs(&k, cs, err))) goto done;
  char fig[512];
  if (o->figure) snprintf(fig, sizeof fig, "%s", o->figure);
  else snprintf(fig, sizeof fig, "calibrate-%s.png", n > 1 ? "joint" : k.sc[0].name);
  /* Everything that can be checked before an hour of running is. */
  run_opts ro = {.db_path = o->db_path, .experiment = o->experiment,
                 .config_json = o->config_json};
  if ((rc = make_grid(&k, err)) || (rc = run_session_open(&s, &ro, err))) goto done;
  if ((rc = run_native(&k, err)) || (rc = run_points(&k, err))) goto done;
  fit(&k);
  if ((rc = store(&k, s, err))) goto done;
  int64_t exp_id = run_session_experiment(s);
  size_t nnative = 0, nsim = 0;
  for (size_t j = 0; j < n; j++)
    nnative += k.sc[j].native.n, nsim += k.npoints * (size_t)k.sc[j].k.sim_runs;
  if (o->out) {
    calib__report(&k, o->out);
    fprintf(o->out, "Stored as experiment %" PRId64 " in %s: %zu native runs, %zu simulated "
                    "runs (metrics calibrate.*)\n",
            exp_id, o->db_path, nnative, nsim);
  }
  run_session_close(s); /* the figure reads what was written */
  s = NULL;
  if (o->save_profile) {
    char prof[512];
    if (o->profile_out) snprintf(prof, sizeof prof, "%s", o->profile_out);
    else calib__default_profile(&k, prof, sizeof prof);
    if ((rc = calib__write_profile(&k, prof, exp_id, err))) goto done;
    if (o->out) fprintf(o->out, "Wrote the machine profile %s (apply with --profile)\n", prof);
  }
  if ((rc = plot_calibration(o->db_path, (long long)exp_id, fig, err))) goto done;
  if (o->out) fprintf(o->out, "Wrote %s (data and gnuplot script beside it)\n", fig);
done:
  run_session_close(s);
  calib_free(&k);
  return rc;
}
