/* plots/plot_hist.c -- the outcome histogram of one run.
 *
 * One bar per outcome row of the run, height = its count, bars in outcome
 * text order (as herd7 and litmus7 list them, so the histograms of two
 * models of one test line up bar for bar), each bar labelled with its count.
 * Allowed outcomes are linetype PLOT_LT_ALLOWED (blue), forbidden ones
 * PLOT_LT_FORBIDDEN (vermillion) of the house style, with a key saying so.
 * When the non-zero counts span more than three decades (max / min > 1000)
 * the y axis is logarithmic, so a rare forbidden outcome next to a million
 * allowed ones is still a visible bar.
 *
 * .dat columns: i outcome count forbidden anomaly   (anomaly "-" when SC)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

typedef struct bar {
  char *outcome, *anomaly;
  int64_t count;
  int forbidden;
} bar;

typedef struct hist {
  long long run_id;
  char *workload, *model, *engine;
  int64_t iterations;
  bar *bars;
  size_t n;
} hist;

static void hist_free(hist *g) {
  for (size_t i = 0; i < g->n; i++) {
    free(g->bars[i].outcome);
    free(g->bars[i].anomaly);
  }
  free(g->bars);
  free(g->workload);
  free(g->model);
  free(g->engine);
}

static char *col_strdup(sqlite3_stmt *s, int i) {
  const unsigned char *t = sqlite3_column_text(s, i);
  return strdup(t ? (const char *)t : "");
}

static int load_run(sqlite3 *h, const char *path, hist *g, sim_err *err) {
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(h,
                              "SELECT workload, model, engine, iterations, status "
                              "FROM runs WHERE id = ?1",
                              -1, &s, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(s, 1, g->run_id);
    rc = sqlite3_step(s);
  }
  if (rc == SQLITE_DONE) {
    sqlite3_finalize(s);
    return sim_errf(err, SIM_EINVAL, "%s has no run %lld (see mmsim runs %s)", path,
                    g->run_id, path);
  }
  if (rc != SQLITE_ROW) {
    rc = sim_errf(err, SIM_EDB, "%s: plot: %s", path, sqlite3_errmsg(h));
    sqlite3_finalize(s);
    return rc;
  }
  if (strcmp((const char *)sqlite3_column_text(s, 4), "done")) {
    sqlite3_finalize(s);
    return sim_errf(err, SIM_EINVAL, "%s: run %lld is not done", path, g->run_id);
  }
  g->workload = col_strdup(s, 0);
  g->model = col_strdup(s, 1);
  g->engine = col_strdup(s, 2);
  g->iterations = sqlite3_column_int64(s, 3);
  sqlite3_finalize(s);
  if (!g->workload || !g->model || !g->engine)
    return sim_errf(err, SIM_ENOMEM, "out of memory");

  rc = sqlite3_prepare_v2(h,
                          "SELECT outcome, count, forbidden, anomaly FROM outcomes "
                          "WHERE run_id = ?1 ORDER BY outcome",
                          -1, &s, NULL);
  if (rc != SQLITE_OK) return sim_errf(err, SIM_EDB, "%s: plot: %s", path, sqlite3_errmsg(h));
  sqlite3_bind_int64(s, 1, g->run_id);
  size_t cap = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (g->n == cap) {
      cap = cap ? 2 * cap : 16;
      bar *b = realloc(g->bars, cap * sizeof *b);
      if (!b) goto nomem;
      g->bars = b;
    }
    bar *b = &g->bars[g->n++];
    b->outcome = col_strdup(s, 0);
    b->count = sqlite3_column_int64(s, 1);
    b->forbidden = sqlite3_column_int(s, 2) != 0;
    b->anomaly = sqlite3_column_type(s, 3) == SQLITE_NULL ? strdup("-") : col_strdup(s, 3);
    if (!b->outcome || !b->anomaly) goto nomem;
  }
  if (rc != SQLITE_DONE) {
    rc = sim_errf(err, SIM_EDB, "%s: plot: %s", path, sqlite3_errmsg(h));
    sqlite3_finalize(s);
    return rc;
  }
  sqlite3_finalize(s);
  if (g->n == 0)
    return sim_errf(err, SIM_EINVAL, "%s: run %lld has no outcomes to draw", path,
                    g->run_id);
  return 0;
nomem:
  sqlite3_finalize(s);
  return sim_errf(err, SIM_ENOMEM, "out of memory");
}

static void put_text(FILE *f, const char *s) { /* a quoted .dat string */
  fputc('"', f);
  for (; *s; s++) fputc(*s == '"' ? '\'' : (*s == '\n' ? ' ' : *s), f);
  fputc('"', f);
}

static void write_dat(FILE *f, const hist *g, const char *path) {
  fprintf(f, "# mmsim outcome histogram of run %lld: %s, model %s, engine %s, %" PRId64
             " iterations\n# db: ",
          g->run_id, g->workload, g->model, g->engine, g->iterations);
  plot__comment(f, path);
  fputs("\n# columns: i outcome count forbidden anomaly\n", f);
  for (size_t i = 0; i < g->n; i++) {
    fprintf(f, "%zu ", i);
    put_text(f, g->bars[i].outcome);
    fprintf(f, " %" PRId64 " %d ", g->bars[i].count, g->bars[i].forbidden);
    put_text(f, g->bars[i].anomaly);
    fputc('\n', f);
  }
}

static void write_gp(FILE *f, const hist *g, const plot__files *files) {
  char what[400];
  snprintf(what, sizeof what, "run %lld: %s on %s (%s), %" PRId64 " iterations", g->run_id,
           g->workload, g->model, g->engine, g->iterations);
  int64_t lo = INT64_MAX, hi = 0;
  size_t longest = 0;
  for (size_t i = 0; i < g->n; i++) {
    if (g->bars[i].count > 0 && g->bars[i].count < lo) lo = g->bars[i].count;
    if (g->bars[i].count > hi) hi = g->bars[i].count;
    if (strlen(g->bars[i].outcome) > longest) longest = strlen(g->bars[i].outcome);
  }
  int logy = hi > 0 && lo != INT64_MAX && (double)hi / (double)lo > 1000.0;
  /* Wide enough that bars keep about 60 px each. */
  int width = g->n * 60 + 300 > 960 ? (int)(g->n * 60 + 300) : 0;
  if (width > 4000) width = 4000;
  plot__preamble(f, files, what, width);
  fputs("set title ", f);
  plot__quote(f, what);
  fputs("\nset xlabel 'outcome'\nset ylabel 'iterations'\n", f);
  fprintf(f, "set boxwidth 0.7\nset xrange [-0.6:%zu.6]\n", g->n - 1);
  fputs("set xtics scale 0\nset grid noxtics\n", f);
  if (longest * g->n > 80 || g->n > 6) fputs("set xtics rotate by 30 right\n", f);
  if (logy)
    fputs("set logscale y\nset yrange [0.5:*]   # counts span more than 3 decades\n", f);
  else
    fputs("set yrange [0:*]\n", f);
  fputs("set offsets 0, 0, graph 0.08, 0\n", f);
  fputs("plot ", f);
  plot__quote(f, files->dat_base);
  fprintf(f,
          " using 1:3:($4 > 0 ? %d : %d):xtic(2) with boxes lc variable notitle, \\\n"
          "     '' using 1:3:(sprintf('%%d', $3)) with labels offset 0,0.7 notitle, \\\n"
          "     NaN with boxes lt %d title 'allowed', \\\n"
          "     NaN with boxes lt %d title 'forbidden'\n",
          PLOT_LT_FORBIDDEN, PLOT_LT_ALLOWED, PLOT_LT_ALLOWED, PLOT_LT_FORBIDDEN);
}

typedef struct hist_fig {
  const hist *g;
  const char *db_path;
} hist_fig;

static void dat_fn(FILE *f, const void *fig, const plot__files *files) {
  (void)files;
  write_dat(f, ((const hist_fig *)fig)->g, ((const hist_fig *)fig)->db_path);
}

static void gp_fn(FILE *f, const void *fig, const plot__files *files) {
  write_gp(f, ((const hist_fig *)fig)->g, files);
}

int plot_histogram(const char *db_path, long long run_id, const char *out, sim_err *err) {
  if (!db_path) return sim_errf(err, SIM_EINVAL, "no database given");
  plot__files files;
  int rc = plot__files_init(&files, out, err);
  if (rc) return rc;
  hist g = {.run_id = run_id};
  sqlite3 *h = NULL;
  if ((rc = plot__open_db(db_path, &h, err))) goto out;
  if ((rc = load_run(h, db_path, &g, err))) goto out;
  rc = plot__draw(&files, dat_fn, gp_fn, &(hist_fig){&g, db_path}, err);
out:
  sqlite3_close(h);
  hist_free(&g);
  plot__files_free(&files);
  return rc;
}
