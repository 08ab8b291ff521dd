/* sim/calibrate.c -- see calibrate.h.  The steps below are its six, one
 * function each, called in order by calib_run. */
#include "calibrate.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../plots/plot.h"
#include "../workloads/native.h"
#include "../workloads/scenario_run.h"
#include "calib_stats.h"
#include "run.h"
#include "wallclock.h"

enum { MAX_SIM_RUNS = 100000 }; /* points x sim_runs: every result is held until the fit */

typedef struct sample {
  wl_result *r; /* n results, kept to be stored after the fit */
  double *logf; /* calib_log_freq of each */
  double *freq; /* anomalies / iterations of each */
  size_t n;
} sample;

typedef struct point {
  cfg *c;
  sample s;
  double w1, ks;
} point;

typedef struct calib {
  const cfg *base;
  const calib_opts *o;
  cfg_calib k;
  size_t nkeys, npoints, best;
  point *pts;
  cfg *native_cfg;
  sample native;
  native_host host;
  double load; /* /proc/loadavg's 1-minute figure before the native runs; -1 unknown */
  const wl_scenario *scn;
} calib;

static int nomem(sim_err *err) { return sim_errf(err, SIM_ENOMEM, "out of memory"); }

static int sample_alloc(sample *s, size_t n) {
  s->r = calloc(n, sizeof *s->r);
  s->logf = calloc(n, sizeof *s->logf);
  s->freq = calloc(n, sizeof *s->freq);
  return s->r && s->logf && s->freq ? 0 : -1;
}

static void sample_free(sample *s) {
  for (size_t i = 0; i < s->n; i++) wl_result_free(&s->r[i]);
  free(s->r);
  free(s->logf);
  free(s->freq);
  memset(s, 0, sizeof *s);
}

static void sample_add(sample *s) {
  const wl_result *r = &s->r[s->n];
  s->freq[s->n] = r->iterations ? (double)r->anomalies / (double)r->iterations : 0;
  s->logf[s->n] = calib_log_freq(r->anomalies, r->iterations);
  s->n++;
}

static int set_u64(cfg *c, const char *key, uint64_t v, sim_err *err) {
  char text[32];
  snprintf(text, sizeof text, "%" PRIu64, v);
  return cfg_set(c, key, text, err);
}

/* "net.jitter=32 cpu.issue_cycles=40" */
static const char *point_text(const calib *k, size_t p, char *buf, size_t n) {
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < k->nkeys; i++) {
    char v[64];
    cfg_value_text(k->pts[p].c, (cfg_key_id)cfg_key_find(cfg_calib_key(k->base, i)), v, sizeof v);
    int w = snprintf(buf + len, n - len, "%s%s=%s", i ? " " : "", cfg_calib_key(k->base, i), v);
    if (w < 0 || (size_t)w >= n - len) break;
    len += (size_t)w;
  }
  return buf;
}

/* ---- 1. grid ---- */

static int make_grid(calib *k, sim_err *err) {
  k->nkeys = cfg_calib_nkeys(k->base);
  k->npoints = 1;
  for (size_t i = 0; i < k->nkeys; i++) {
    k->npoints *= cfg_calib_nvalues(k->base, i);
    if (k->npoints * (size_t)k->k.sim_runs > MAX_SIM_RUNS)
      return sim_errf(err, SIM_ECONFIG,
                      "calibrate.params: the grid times calibrate.sim_runs is more than %d "
                      "simulated runs; use a coarser grid",
                      MAX_SIM_RUNS);
  }
  if (!(k->pts = calloc(k->npoints, sizeof *k->pts))) return nomem(err);
  for (size_t p = 0; p < k->npoints; p++) {
    if (!(k->pts[p].c = cfg_clone(k->base))) return nomem(err);
    size_t rest = p;
    for (size_t i = k->nkeys; i-- > 0;) { /* the last key fastest */
      size_t n = cfg_calib_nvalues(k->base, i);
      int rc = cfg_set(k->pts[p].c, cfg_calib_key(k->base, i),
                       cfg_calib_value(k->base, i, rest % n), err);
      if (rc) return rc;
      rest /= n;
    }
    if (sample_alloc(&k->pts[p].s, (size_t)k->k.sim_runs)) return nomem(err);
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

static int run_native(calib *k, sim_err *err) {
  uint64_t seed = (uint64_t)cfg_int(k->base, CK_RUN_SEED);
  int rc;
  k->load = host_load();
  if (!(k->native_cfg = cfg_clone(k->base))) return nomem(err);
  if (k->k.native_iterations &&
      (rc = set_u64(k->native_cfg, "run.iterations", (uint64_t)k->k.native_iterations, err)))
    return rc;
  if (sample_alloc(&k->native, (size_t)k->k.native_runs)) return nomem(err);
  double t0 = wallclock_s();
  for (int64_t i = 0; i < k->k.native_runs; i++) {
    if ((rc = set_u64(k->native_cfg, "run.seed", seed + (uint64_t)i, err)) ||
        (rc = native_run(k->native_cfg, &k->native.r[k->native.n], &k->host, err))) {
      wl_result_free(&k->native.r[k->native.n]);
      return rc;
    }
    sample_add(&k->native);
  }
  if (k->o->progress)
    fprintf(k->o->progress, "native: %" PRId64 " runs of %" PRId64 " iterations on %s, %.1f s\n",
            k->k.native_runs, cfg_int(k->native_cfg, CK_RUN_ITERATIONS), k->host.cpu,
            wallclock_s() - t0);
  return 0;
}

/* ---- 3. sim ---- */

static int run_points(calib *k, sim_err *err) {
  uint64_t seed = (uint64_t)cfg_int(k->base, CK_RUN_SEED);
  double t0 = wallclock_s();
  for (size_t p = 0; p < k->npoints; p++) {
    point *pt = &k->pts[p];
    uint64_t iters = (uint64_t)cfg_int(pt->c, CK_RUN_ITERATIONS);
    for (int64_t i = 0; i < k->k.sim_runs; i++) {
      int rc;
      if ((rc = set_u64(pt->c, "run.seed", seed + (uint64_t)i, err)) ||
          (rc = wl_run_sim(pt->c, 0, iters, k->o->jobs, &pt->s.r[pt->s.n], err))) {
        wl_result_free(&pt->s.r[pt->s.n]);
        char where[512];
        sim_err_prefix(err, "point %zu (%s)", p, point_text(k, p, where, sizeof where));
        return rc;
      }
      sample_add(&pt->s);
    }
    if (k->o->progress) {
      char where[512];
      fprintf(k->o->progress, "sim: point %zu/%zu (%s) done, %.1f s\n", p + 1, k->npoints,
              point_text(k, p, where, sizeof where), wallclock_s() - t0);
    }
  }
  return 0;
}

/* ---- 4. fit ---- */

static uint64_t min_iterations(const sample *s, uint64_t m) {
  for (size_t i = 0; i < s->n; i++)
    if (s->r[i].iterations < m) m = s->r[i].iterations;
  return m;
}

static void fit(calib *k) {
  uint64_t n_min = min_iterations(&k->native, UINT64_MAX);
  for (size_t p = 0; p < k->npoints; p++) n_min = min_iterations(&k->pts[p].s, n_min);
  calib_clamp(k->native.logf, k->native.n, n_min); /* calib_stats.h: the common floor */
  for (size_t p = 0; p < k->npoints; p++) calib_clamp(k->pts[p].s.logf, k->pts[p].s.n, n_min);
  k->best = 0;
  for (size_t p = 0; p < k->npoints; p++) {
    point *pt = &k->pts[p], *b = &k->pts[k->best];
    pt->w1 = calib_w1(k->native.logf, k->native.n, pt->s.logf, pt->s.n);
    pt->ks = calib_ks(k->native.logf, k->native.n, pt->s.logf, pt->s.n);
    if (pt->w1 < b->w1 || (pt->w1 == b->w1 && pt->ks < b->ks)) k->best = p;
  }
}

/* ---- 5. store ---- */

static int store(calib *k, run_session *s, sim_err *err) {
  int rc;
  for (size_t i = 0; i < k->native.n; i++) {
    /* Each native run under the seed it ran with. */
    if ((rc = set_u64(k->native_cfg, "run.seed",
                      (uint64_t)cfg_int(k->base, CK_RUN_SEED) + i, err)) ||
        (metrics_set(&k->native.r[i].metrics, "calibrate.host_load", k->load),
         rc = run_store_map(s, k->native_cfg, &k->native.r[i], &k->host, err)))
      return rc;
  }
  for (size_t p = 0; p < k->npoints; p++) {
    point *pt = &k->pts[p];
    for (size_t i = 0; i < pt->s.n; i++) {
      sim_metrics *m = &pt->s.r[i].metrics;
      metrics_set(m, "calibrate.point", (double)p);
      metrics_set(m, "calibrate.residual", pt->w1);
      metrics_set(m, "calibrate.ks", pt->ks);
      metrics_set(m, "calibrate.best", p == k->best);
      if ((rc = set_u64(pt->c, "run.seed", (uint64_t)cfg_int(k->base, CK_RUN_SEED) + i, err)) ||
          (rc = run_store_map(s, pt->c, &pt->s.r[i], NULL, err)))
        return rc;
    }
  }
  return 0;
}

/* ---- 6. report ---- */

/* median [q1, q3] min..max of a sample's frequencies. */
static void print_dist(FILE *out, const sample *s) {
  double *v = malloc(s->n * sizeof *v);
  if (!v) return;
  memcpy(v, s->freq, s->n * sizeof *v);
  calib_sort(v, s->n);
  fprintf(out, "%-10.4g %-10.4g %-10.4g %-10.4g %-10.4g", calib_quantile(v, s->n, 0.5),
          calib_quantile(v, s->n, 0.25), calib_quantile(v, s->n, 0.75), v[0], v[s->n - 1]);
  free(v);
}

static void print_runs(FILE *out, const char *what, const sample *s) {
  fprintf(out, "  %-8s", what);
  for (size_t i = 0; i < s->n; i++) {
    if (i && i % 10 == 0) fprintf(out, "\n  %-8s", "");
    fprintf(out, " %-9.4g", s->freq[i]);
  }
  fputc('\n', out);
}

static void report(const calib *k, FILE *out) {
  const point *b = &k->pts[k->best];
  char where[512];
  fprintf(out,
          "Calibration of %s (%s) against %s (%u CPUs, load average %.2f)\n"
          "  native: %zu runs of %" PRId64 " iterations; simulated: %zu points x %zu runs of "
          "%" PRId64 " iterations (seeds %" PRId64 "..)\n"
          "  residual W1: mean gap between the two distributions of log10 frequency, in "
          "decades\n"
          "  (frequency (k+1/2)/(n+1)); KS: largest gap between their CDFs, the tie-break\n\n",
          k->scn->name, cfg_str(k->base, CK_WORKLOAD_VARIANT), k->host.cpu, k->host.cores,
          k->load, k->native.n, cfg_int(k->native_cfg, CK_RUN_ITERATIONS), k->npoints,
          (size_t)k->k.sim_runs, cfg_int(k->base, CK_RUN_ITERATIONS),
          cfg_int(k->base, CK_RUN_SEED));
  fprintf(out, "  %6s  ", "point");
  for (size_t i = 0; i < k->nkeys; i++)
    fprintf(out, "%*s  ", (int)strlen(cfg_calib_key(k->base, i)), cfg_calib_key(k->base, i));
  fprintf(out, "%-10s %-10s %-10s %-10s %-10s %-8s %s\n", "median", "q1", "q3", "min", "max",
          "W1", "KS");
  for (size_t p = 0; p < k->npoints; p++) {
    fprintf(out, "%c %6zu  ", p == k->best ? '*' : ' ', p);
    for (size_t i = 0; i < k->nkeys; i++) {
      char v[64];
      const char *key = cfg_calib_key(k->base, i);
      fprintf(out, "%*s  ", (int)strlen(key),
              cfg_value_text(k->pts[p].c, (cfg_key_id)cfg_key_find(key), v, sizeof v));
    }
    print_dist(out, &k->pts[p].s);
    fprintf(out, " %-8.3f %.2f\n", k->pts[p].w1, k->pts[p].ks);
  }
  fprintf(out, "  %6s  ", "native");
  for (size_t i = 0; i < k->nkeys; i++)
    fprintf(out, "%*s  ", (int)strlen(cfg_calib_key(k->base, i)), "");
  print_dist(out, &k->native);
  fprintf(out, "\n\nBest point %zu: %s\n  residual W1 %.3f decades, KS %.2f\n", k->best,
          point_text(k, k->best, where, sizeof where), b->w1, b->ks);
  /* A best value at the end of its axis may be short of the real fit. */
  for (size_t i = 0, stride = k->npoints; i < k->nkeys; i++) {
    size_t n = cfg_calib_nvalues(k->base, i);
    stride /= n;
    size_t j = (k->best / stride) % n;
    const cfg_key *key = cfg_key_at((cfg_key_id)cfg_key_find(cfg_calib_key(k->base, i)));
    const char *v = cfg_calib_value(k->base, i, j);
    bool at_limit = key->type == CFG_INT && (strtoll(v, NULL, 10) == key->min ||
                                             strtoll(v, NULL, 10) == key->max);
    if (n > 1 && (j == 0 || j == n - 1) && !at_limit) /* nothing lies beyond a key's range */
      fprintf(out, "  note: %s=%s is the %s of its axis; the fit may lie beyond it\n",
              cfg_calib_key(k->base, i), v, j ? "last" : "first");
  }
  fprintf(out, "Per-run anomaly frequencies:\n");
  print_runs(out, "native", &k->native);
  print_runs(out, "best", &b->s);
}

/* ---- calib_run ---- */

static void calib_free(calib *k) {
  for (size_t p = 0; k->pts && p < k->npoints; p++) {
    cfg_free(k->pts[p].c);
    sample_free(&k->pts[p].s);
  }
  free(k->pts);
  cfg_free(k->native_cfg);
  sample_free(&k->native);
}

int calib_run(const cfg *c, const calib_opts *o, sim_err *err) {
  calib k = {.base = c, .o = o};
  run_session *s = NULL;
  wl_params prm;
  int rc;
  if (!cfg_calibrate(c, &k.k))
    return sim_errf(err, SIM_ECONFIG, "calibrate: the config has no \"calibrate\" object");
  if (strcmp(cfg_str(c, CK_WORKLOAD_KIND), "map") != 0)
    return sim_errf(err, SIM_EUNSUP, "workload.kind: mmsim calibrate fits map scenarios, not \"%s\"",
                    cfg_str(c, CK_WORKLOAD_KIND));
  if (!o->db_path) return sim_errf(err, SIM_EINVAL, "calibrate: no database given");
  if ((rc = wl_params_from_cfg(c, &k.scn, &prm, err))) return rc;
  char fig[512];
  if (o->figure) snprintf(fig, sizeof fig, "%s", o->figure);
  else snprintf(fig, sizeof fig, "calibrate-%s.png", k.scn->name);
  /* Everything that can be checked before an hour of running is. */
  run_opts ro = {.db_path = o->db_path, .experiment = o->experiment,
                 .config_json = o->config_json};
  if ((rc = make_grid(&k, err)) || (rc = run_session_open(&s, &ro, err))) goto done;
  if ((rc = run_native(&k, err)) || (rc = run_points(&k, err))) goto done;
  fit(&k);
  if ((rc = store(&k, s, err))) goto done;
  int64_t exp_id = run_session_experiment(s);
  if (o->out) {
    report(&k, o->out);
    fprintf(o->out, "Stored as experiment %" PRId64 " in %s: %zu native runs, %zu simulated "
                    "runs (metrics calibrate.*)\n",
            exp_id, o->db_path, k.native.n, k.npoints * (size_t)k.k.sim_runs);
  }
  run_session_close(s); /* the figure reads what was written */
  s = NULL;
  if ((rc = plot_calibration(o->db_path, (long long)exp_id, fig, err))) goto done;
  if (o->out) fprintf(o->out, "Wrote %s (data and gnuplot script beside it)\n", fig);
done:
  run_session_close(s);
  calib_free(&k);
  return rc;
}
