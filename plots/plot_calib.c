/* plots/plot_calib.c -- the figure of one mmsim calibrate experiment.
 *
 * Two panels side by side, from the stored runs only (so the figure can be
 * redrawn from the database alone):
 *   left   every run's anomaly frequency, the native runs and the best
 *          point's simulated runs in two columns per scenario (one pair
 *          for mmsim calibrate, one per config for --joint), each run a dot (spread
 *          sideways by its index so equal values stay visible), a bar at
 *          each median.  Frequencies as (k+1/2)/(n+1) raised to the floor
 *          of the shortest runs, the values the residual is measured on
 *          (sim/calib_stats.h), so a run that saw nothing is drawn just
 *          below 1/n instead of vanishing; log y when they span a decade.
 *   right  the residual (W1, decades; --joint: the mean over scenarios) of every grid point against the swept
 *          key with the most values (the x axis), one line per combination
 *          of the other swept keys, the best point circled.
 * Swept keys are the params whose value differs between the simulated runs
 * of one scenario (run.seed aside), so no config is parsed here.
 *
 * .dat blocks (gnuplot index): 0 native runs (x, f), 1 best point's runs,
 * 2 the two medians, 3 the best point on the right panel (x, W1), then one
 * block per residual line (x, W1).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

enum { CAL_MAX_SCN = 16 }; /* scenarios drawn; runs of more are pooled into the last */

typedef struct cal_run {
  double f; /* (k + 1/2) / (n + 1) */
  int scn;  /* index in cal_fig.scn */
  long long point;
  double residual;
  int best;
} cal_run;

typedef struct cal_point {
  long long point;
  double residual;
  char **vals; /* one per swept key */
  int best;
} cal_point;

typedef struct cal_fig {
  long long exp;
  cal_run *native, *sim;
  size_t nnative, nsim;
  char **keys; /* swept keys */
  size_t nkeys;
  cal_point *pts;
  size_t npts;
  char host[128], workload[256];
  char scn[CAL_MAX_SCN][64]; /* workloads, in order of their first native run */
  size_t nscn;
  double n_min; /* the shortest run's iterations: the common floor */
} cal_fig;

static void fig_free(cal_fig *g) {
  for (size_t p = 0; p < g->npts; p++) {
    for (size_t i = 0; g->pts[p].vals && i < g->nkeys; i++) free(g->pts[p].vals[i]);
    free(g->pts[p].vals);
  }
  for (size_t i = 0; i < g->nkeys; i++) free(g->keys[i]);
  free(g->keys);
  free(g->pts);
  free(g->native);
  free(g->sim);
}

static int db_fail(sqlite3 *h, const char *path, sim_err *err) {
  return sim_errf(err, SIM_EDB, "%s: calibration figure: %s", path, sqlite3_errmsg(h));
}

/* Runs of one engine, with their calibrate.* metrics for "sim". */
static int load_runs(sqlite3 *h, const char *path, cal_fig *g, int sim, sim_err *err) {
  static const char native_sql[] =
      "SELECT rr.anomaly_count, r.iterations, -1, 0, 0, r.model, r.workload "
      "FROM runs r JOIN run_rates rr ON rr.run_id = r.id "
      "WHERE r.experiment_id = ?1 AND r.engine = 'native' ORDER BY r.id";
  static const char sim_sql[] =
      "SELECT rr.anomaly_count, r.iterations, mp.value, mr.value, mb.value, r.model, r.workload "
      "FROM runs r JOIN run_rates rr ON rr.run_id = r.id "
      "JOIN metrics mp ON mp.run_id = r.id AND mp.key = 'calibrate.point' "
      "JOIN metrics mr ON mr.run_id = r.id AND mr.key = 'calibrate.residual' "
      "JOIN metrics mb ON mb.run_id = r.id AND mb.key = 'calibrate.best' "
      "WHERE r.experiment_id = ?1 AND r.engine = 'sim' ORDER BY mp.value, r.id";
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(h, sim ? sim_sql : native_sql, -1, &s, NULL) != SQLITE_OK)
    return db_fail(h, path, err);
  sqlite3_bind_int64(s, 1, g->exp);
  cal_run **v = sim ? &g->sim : &g->native;
  size_t *n = sim ? &g->nsim : &g->nnative, cap = 0;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? 2 * cap : 64;
      cal_run *t = realloc(*v, cap * sizeof *t);
      if (!t) {
        sqlite3_finalize(s);
        return sim_errf(err, SIM_ENOMEM, "out of memory");
      }
      *v = t;
    }
    double k = sqlite3_column_double(s, 0), it = sqlite3_column_double(s, 1);
    if (it < g->n_min) g->n_min = it;
    const unsigned char *model = sqlite3_column_text(s, 5), *wl = sqlite3_column_text(s, 6);
    const char *w = wl ? (const char *)wl : "";
    size_t sc = 0;
    while (sc < g->nscn && strcmp(g->scn[sc], w) != 0) sc++;
    if (sc == g->nscn && g->nscn < CAL_MAX_SCN) { /* native runs come first: they name them */
      snprintf(g->scn[g->nscn++], sizeof g->scn[0], "%s", w);
      size_t len = strlen(g->workload);
      snprintf(g->workload + len, sizeof g->workload - len, "%s%s", len ? ", " : "", w);
    }
    if (sc == CAL_MAX_SCN) sc = CAL_MAX_SCN - 1;
    (*v)[(*n)++] = (cal_run){.f = (k + 0.5) / (it + 1), .scn = (int)sc,
                             .point = sqlite3_column_int64(s, 2),
                             .residual = sqlite3_column_double(s, 3),
                             .best = sqlite3_column_int(s, 4) != 0};
    if (!sim && model) snprintf(g->host, sizeof g->host, "%s", (const char *)model);
  }
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? 0 : db_fail(h, path, err);
}

/* The swept keys, then one row per point with its values. */
static int load_points(sqlite3 *h, const char *path, cal_fig *g, sim_err *err) {
  sqlite3_stmt *s;
  int rc;
  if (sqlite3_prepare_v2(h,
                         "SELECT key FROM (SELECT p.key AS key, count(DISTINCT p.value) AS n "
                         "FROM params p JOIN runs r ON r.id = p.run_id "
                         "WHERE r.experiment_id = ?1 AND r.engine = 'sim' AND p.key <> 'run.seed' "
                         "GROUP BY r.workload, p.key HAVING n > 1) "
                         "GROUP BY key ORDER BY max(n) DESC, key",
                         -1, &s, NULL) != SQLITE_OK)
    return db_fail(h, path, err);
  sqlite3_bind_int64(s, 1, g->exp);
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    char **t = realloc(g->keys, (g->nkeys + 1) * sizeof *t);
    if (!t || !(t[g->nkeys] = strdup((const char *)sqlite3_column_text(s, 0)))) {
      if (t) g->keys = t;
      sqlite3_finalize(s);
      return sim_errf(err, SIM_ENOMEM, "out of memory");
    }
    g->keys = t;
    g->nkeys++;
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return db_fail(h, path, err);

  /* Runs are ordered by point: one entry per distinct point. */
  if (!(g->pts = calloc(g->nsim, sizeof *g->pts))) return sim_errf(err, SIM_ENOMEM, "out of memory");
  if (sqlite3_prepare_v2(h,
                         "SELECT p.value FROM params p JOIN runs r ON r.id = p.run_id "
                         "JOIN metrics m ON m.run_id = r.id AND m.key = 'calibrate.point' "
                         "WHERE r.experiment_id = ?1 AND r.engine = 'sim' AND m.value = ?2 "
                         "AND p.key = ?3 LIMIT 1",
                         -1, &s, NULL) != SQLITE_OK)
    return db_fail(h, path, err);
  for (size_t i = 0; i < g->nsim; i++) {
    if (g->npts && g->pts[g->npts - 1].point == g->sim[i].point) continue;
    cal_point *p = &g->pts[g->npts++];
    *p = (cal_point){.point = g->sim[i].point, .residual = g->sim[i].residual,
                     .best = g->sim[i].best};
    if (g->nkeys && !(p->vals = calloc(g->nkeys, sizeof *p->vals))) break;
    for (size_t k = 0; k < g->nkeys; k++) {
      sqlite3_reset(s);
      sqlite3_bind_int64(s, 1, g->exp);
      sqlite3_bind_int64(s, 2, p->point);
      sqlite3_bind_text(s, 3, g->keys[k], -1, SQLITE_STATIC);
      const char *v = sqlite3_step(s) == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
      p->vals[k] = strdup(v ? v : "?");
      if (!p->vals[k]) break;
    }
  }
  sqlite3_finalize(s);
  for (size_t i = 0; i < g->npts; i++)
    for (size_t k = 0; k < g->nkeys; k++)
      if (!g->pts[i].vals || !g->pts[i].vals[k]) return sim_errf(err, SIM_ENOMEM, "out of memory");
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median_f(const cal_run *v, size_t n, int best_only, int scn) {
  double *t = malloc((n ? n : 1) * sizeof *t);
  size_t m = 0;
  if (!t) return NAN;
  for (size_t i = 0; i < n; i++)
    if ((!best_only || v[i].best) && v[i].scn == scn) t[m++] = v[i].f;
  qsort(t, m, sizeof *t, cmp_double);
  double r = m == 0 ? NAN : m % 2 ? t[m / 2] : (t[m / 2 - 1] + t[m / 2]) / 2;
  free(t);
  return r;
}

/* The other swept keys' values of point p: the label of its residual line. */
static void series_label(const cal_fig *g, const cal_point *p, char *buf, size_t n) {
  size_t len = 0;
  buf[0] = '\0';
  for (size_t k = 1; k < g->nkeys; k++) {
    int w = snprintf(buf + len, n - len, "%s%s=%s", len ? " " : "", g->keys[k], p->vals[k]);
    if (w < 0 || (size_t)w >= n - len) break;
    len += (size_t)w;
  }
  if (!len) snprintf(buf, n, "W1");
}

static double x_of(const cal_fig *g, const cal_point *p) {
  return g->nkeys ? strtod(p->vals[0], NULL) : (double)p->point;
}

static void write_dat(FILE *f, const cal_fig *g, char (*labels)[256], size_t *nseries) {
  size_t nb = 0, j;
  fprintf(f, "# mmsim calibration figure of experiment %lld: %s\n", g->exp, g->workload);
  /* Scenario s: its native runs about x = 2s, the best point's about 2s+1. */
  fputs("# index 0: native runs (x, frequency (k+1/2)/(n+1))\n", f);
  for (size_t s = 0; s < g->nscn; s++) {
    size_t ns = 0;
    for (size_t i = 0; i < g->nnative; i++) ns += g->native[i].scn == (int)s;
    j = 0;
    for (size_t i = 0; i < g->nnative; i++)
      if (g->native[i].scn == (int)s)
        fprintf(f, "%.4f %.6g\n", 2.0 * (double)s - 0.2 + 0.4 * (double)j++ / (double)(ns > 1 ? ns - 1 : 1),
                g->native[i].f);
  }
  fputs("\n\n# index 1: the best point's simulated runs\n", f);
  for (size_t s = 0; s < g->nscn; s++) {
    nb = 0;
    for (size_t i = 0; i < g->nsim; i++) nb += g->sim[i].best && g->sim[i].scn == (int)s;
    j = 0;
    for (size_t i = 0; i < g->nsim; i++)
      if (g->sim[i].best && g->sim[i].scn == (int)s)
        fprintf(f, "%.4f %.6g\n", 2.0 * (double)s + 1 - 0.2 + 0.4 * (double)j++ / (double)(nb > 1 ? nb - 1 : 1),
                g->sim[i].f);
  }
  fputs("\n\n# index 2: medians\n", f);
  for (size_t s = 0; s < g->nscn; s++)
    fprintf(f, "%zu %.6g\n%zu %.6g\n", 2 * s, median_f(g->native, g->nnative, 0, (int)s), 2 * s + 1,
            median_f(g->sim, g->nsim, 1, (int)s));
  fputs("\n\n# index 3: the best point (x, W1)\n", f);
  for (size_t p = 0; p < g->npts; p++)
    if (g->pts[p].best) fprintf(f, "%.6g %.6g\n", x_of(g, &g->pts[p]), g->pts[p].residual);
  /* One block per residual line, in order of first appearance. */
  *nseries = 0;
  for (size_t p = 0; p < g->npts; p++) {
    char lab[256];
    series_label(g, &g->pts[p], lab, sizeof lab);
    size_t s = 0;
    while (s < *nseries && strcmp(labels[s], lab) != 0) s++;
    if (s < *nseries) continue; /* written with its first point */
    if (*nseries == 64) break;
    snprintf(labels[(*nseries)++], 256, "%s", lab);
    fprintf(f, "\n\n# index %zu: %s\n", 3 + *nseries, lab);
    for (size_t q = p; q < g->npts; q++) {
      char l2[256];
      series_label(g, &g->pts[q], l2, sizeof l2);
      if (strcmp(l2, lab) == 0) fprintf(f, "%.6g %.6g\n", x_of(g, &g->pts[q]), g->pts[q].residual);
    }
  }
}

static void write_gp(FILE *f, const cal_fig *g, const plot__files *files, char (*labels)[256],
                     size_t nseries) {
  char what[512], best[256] = "";
  size_t len = 0;
  for (size_t p = 0; p < g->npts; p++)
    if (g->pts[p].best)
      for (size_t k = 0; k < g->nkeys; k++) {
        int w = snprintf(best + len, sizeof best - len, "%s%s=%s", k ? " " : "", g->keys[k],
                         g->pts[p].vals[k]);
        if (w < 0 || (size_t)w >= sizeof best - len) break;
        len += (size_t)w;
      }
  snprintf(what, sizeof what, "calibration of %s (experiment %lld): native on %s against the "
           "simulator", g->workload, g->exp, g->host);
  plot__preamble(f, files, what, 1400);
  fputs("set multiplot layout 1,2 title ", f);
  plot__quote(f, what);
  fputs("\n\n# left: per-run frequencies\n", f);
  /* Log y only when the runs span a decade: within one, log and linear
   * look alike and gnuplot's log axis would label just one tic. */
  double lo = INFINITY, hi = 0;
  for (size_t i = 0; i < g->nnative + g->nsim; i++) {
    const cal_run *r = i < g->nnative ? &g->native[i] : &g->sim[i - g->nnative];
    if (i >= g->nnative && !r->best) continue;
    if (r->f < lo) lo = r->f;
    if (r->f > hi) hi = r->f;
  }
  if (hi > 10 * lo) fputs("set logscale y\nset format y '%g'\n", f);
  else fputs("set yrange [0:*]\n", f);
  fputs("set key outside bottom center horizontal\n"
        "set ylabel 'anomaly frequency per iteration, (k+1/2)/(n+1)'\n"
        "set xtics scale 0\nset grid noxtics\n",
        f);
  fprintf(f, "set xrange [-0.6:%.1f]\n", 2.0 * (double)g->nscn - 0.4);
  char simlab[300];
  if (g->nscn == 1) {
    fputs("set xtics ('native' 0, ", f);
    snprintf(simlab, sizeof simlab, "sim: %s", best[0] ? best : "best point");
    plot__quote(f, simlab);
    fputs(" 1)\n", f);
  } else { /* the point is in the title; the columns name their scenario */
    fputs("set xtics rotate by -30 (", f);
    for (size_t s = 0; s < g->nscn; s++) {
      snprintf(simlab, sizeof simlab, "%s native", g->scn[s]);
      plot__quote(f, simlab);
      fprintf(f, " %zu, ", 2 * s);
      snprintf(simlab, sizeof simlab, "%s sim", g->scn[s]);
      plot__quote(f, simlab);
      fprintf(f, " %zu%s", 2 * s + 1, s + 1 < g->nscn ? ", " : ")\n");
    }
  }
  if (g->nscn == 1) {
    fputs("set title 'per-run anomaly frequency'\n", f);
  } else {
    snprintf(simlab, sizeof simlab, "per-run anomaly frequency; sim at %s", best[0] ? best : "the best point");
    fputs("set title ", f);
    plot__quote(f, simlab);
    fputc('\n', f);
  }
  fputs("plot ", f);
  plot__quote(f, files->dat_base);
  fprintf(f, " index 0 using 1:2 with points lt %d title 'native runs', \\\n"
             "     '' index 1 using 1:2 with points lt %d title 'simulated runs, best point', \\\n"
             "     '' index 2 using 1:2:(0.3):(0) with vectors nohead lt 7 lw 3 "
             "title 'median' , \\\n"
             "     '' index 2 using ($1-0.3):2:(0.6):(0) with vectors nohead lt 7 lw 3 notitle\n",
          PLOT_LT_ALLOWED, PLOT_LT_FORBIDDEN);
  fputs("\n# right: residual against the first swept key\n", f);
  fputs("unset logscale y\nset xrange [*:*]\nset yrange [0:*]\nset xtics auto norotate\nset grid xtics ytics\n"
        "set key outside bottom center horizontal\n"
        "set ylabel 'residual W1 (decades of frequency)'\n",
        f);
  fputs("set xlabel ", f);
  plot__quote(f, g->nkeys ? g->keys[0] : "grid point");
  fputs(g->nscn == 1 ? "\nset title 'residual of every grid point'\nplot "
                     : "\nset title 'mean residual over the scenarios, every grid point'\nplot ",
        f);
  for (size_t s = 0; s < nseries; s++) {
    if (s) fputs(", \\\n     ", f);
    plot__quote(f, files->dat_base);
    fprintf(f, " index %zu using 1:2 with linespoints lt %zu title ", 4 + s,
            (s + 2) % PLOT_NCOLORS + 1);
    plot__quote(f, labels[s]);
  }
  fputs(nseries ? ", \\\n     " : "", f);
  plot__quote(f, files->dat_base);
  fputs(" index 3 using 1:2 with points pt 6 ps 3 lw 2 lc rgb '#000000' title 'best'\n"
        "unset multiplot\n",
        f);
}

/* The .dat is written first and fills labels, which the .gp names. */
typedef struct cal_out {
  const cal_fig *g;
  char (*labels)[256];
  size_t *nseries;
} cal_out;

static void dat_fn(FILE *f, const void *fig, const plot__files *files) {
  const cal_out *c = fig;
  (void)files;
  write_dat(f, c->g, c->labels, c->nseries);
}

static void gp_fn(FILE *f, const void *fig, const plot__files *files) {
  const cal_out *c = fig;
  write_gp(f, c->g, files, c->labels, *c->nseries);
}

int plot_calibration(const char *db_path, long long experiment_id, const char *out,
                     sim_err *err) {
  if (!db_path) return sim_errf(err, SIM_EINVAL, "no database given");
  plot__files files;
  int rc = plot__files_init(&files, out, err);
  if (rc) return rc;
  cal_fig g = {.exp = experiment_id, .n_min = INFINITY};
  sqlite3 *h = NULL;
  char(*labels)[256] = calloc(64, sizeof *labels);
  size_t nseries = 0;
  if (!labels) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    goto out;
  }
  if ((rc = plot__open_db(db_path, &h, err)) || (rc = load_runs(h, db_path, &g, 0, err)) ||
      (rc = load_runs(h, db_path, &g, 1, err)))
    goto out;
  if (!g.nnative || !g.nsim) {
    rc = sim_errf(err, SIM_EINVAL,
                  "%s: experiment %lld has no calibration (native runs and simulated runs "
                  "with calibrate.* metrics)",
                  db_path, experiment_id);
    goto out;
  }
  for (size_t i = 0; i < g.nnative + g.nsim; i++) { /* the residual's floor, calib_stats.h */
    cal_run *r = i < g.nnative ? &g.native[i] : &g.sim[i - g.nnative];
    if (r->f < 0.5 / (g.n_min + 1)) r->f = 0.5 / (g.n_min + 1);
  }
  if ((rc = load_points(h, db_path, &g, err))) goto out;
  rc = plot__draw(&files, dat_fn, gp_fn, &(cal_out){&g, labels, &nseries}, err);
out:
  free(labels);
  sqlite3_close(h);
  fig_free(&g);
  plot__files_free(&files);
  return rc;
}
