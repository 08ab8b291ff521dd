/* plots/plot.c -- a metric or rate of done runs against a run parameter.
 *
 * plot_metric is four steps, in this order:
 *   1. resolve   x and by to SQL over runs r: a column of runs (engine,
 *                workload, model, host, seed, iterations, experiment_id) or
 *                a key of params; y to a metric key or a derived rate.  A
 *                name no done run has is SIM_EINVAL naming it, with a few
 *                valid names (plot_resolve.c).  An x that is no parameter
 *                but a metric hands the figure to plot_scatter.c.
 *   2. gather    one row per (by, x) point, aggregated over its runs:
 *                rates sum k and n over the runs and recompute the rate and
 *                its Wilson 95% interval (pooling the iterations, as if one
 *                long run); metrics take the mean, with min and max.
 *   3. write     OUT's stem .dat (commented header) and .gp (complete and
 *                editable, after the house style of gnuplot.c).
 *   4. draw      gnuplot (plot__draw: all three files or none, P4).
 *
 * y is a key of metrics, or one of the derived rates (per iteration):
 *   forbidden_rate      iterations whose outcome is forbidden
 *   anomaly_rate        iterations whose outcome has an anomaly kind
 *   anomaly_rate.KIND   iterations with anomaly KIND (stale_read, ...)
 *
 * Numeric or text x.  x is numeric when every x value gathered is an SQLite
 * INTEGER or REAL -- params.value has NUMERIC affinity (results/schema.c),
 * so "8" was stored as 8 and "tso" as text.  Numeric x draws lines with
 * points (yerrorlines: Wilson bars for rates, min..max for a metric with
 * several runs at a point), sorted by x, with a log x axis when positive x
 * spans three decades or more.  Text x draws clustered bars (gnuplot
 * histogram style, with error bars likewise), x values in the order they
 * first appear in the database (lowest run id), which is the order the sweep
 * listed them -- for cpu.model that is usually sc, tso, pso, weak, where
 * alphabetical order would not be.  Series (by) are sorted numerically when
 * all numeric, else by first appearance too.
 *
 * The Wilson interval (plot__wilson) is the formula of results/schema.c's
 * views, computed in C because the counts are pooled over runs after the
 * view.
 *
 * .dat layouts (columns 2-4 are always y, its low and high bar):
 *   numeric x: one block per series (gnuplot `index i`), two blank lines
 *              between blocks; rates "x y y_lo y_hi runs k n", metrics
 *              "x y_mean y_min y_max runs iterations".
 *   text x:    one row per x value, "x" then for series i the five columns
 *              y y_lo y_hi runs iterations starting at column 2 + 5i; '?'
 *              where a series has no run at that x.
 * A point's runs are repeats of one config, identical runs once
 * (plot_pool.c, checked before step 2).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

typedef struct point {
  char *x, *by;       /* text as SQLite renders it; by NULL: unset */
  double xnum, bynum;
  int xnumeric, bynumeric;
  double y, lo, hi;   /* NAN: undefined (0 iterations) */
  int64_t runs, k, n; /* n: iterations summed over the runs; k: rates only */
  int64_t first;      /* lowest run id at this point */
} point;

typedef struct series {
  const char *by; /* NULL: unset */
  double bynum;
  int64_t first;
} series;

typedef struct figure {
  const plot_opts *o;
  plot__y y;
  char *xexpr, *byexpr;
  point *pts;
  size_t npts;
  series *ser;
  size_t nser;
  char **xs; /* distinct x values, in axis order (text x) */
  size_t nxs;
  int xnumeric, errbars, logx, logy, nonneg;
  plot__pool pool;
} figure;

/* ---- 2. gather ---- */

/* The figure's candidate runs as (rid, xv, bv) (plot_pool.c's sel). */
static char *sel_sql(const figure *fg) {
  const plot_opts *o = fg->o;
  const char *where = o->where && *o->where ? o->where : "1";
  const char *by = fg->byexpr ? fg->byexpr : "NULL";
  char *sql = NULL;
  int rc = asprintf(&sql,
                    "SELECT rid, xv, bv FROM (\n"
                    "  SELECT r.id AS rid, %s AS xv, %s AS bv FROM runs r %s\n"
                    "  WHERE r.status = 'done' AND (%s) AND %s AND " PLOT_EXPERIMENT_SQL "\n"
                    ") WHERE xv IS NOT NULL",
                    fg->xexpr, fg->y.kind == PLOT_Y_CAUSES ? "cm0.key" : by,
                    fg->y.kind == PLOT_Y_METRIC
                        ? "JOIN metrics m ON m.run_id = r.id AND m.key = :y AND m.value IS NOT NULL"
                    : fg->y.kind == PLOT_Y_CAUSES
                        ? "JOIN run_rates rr ON rr.run_id = r.id JOIN metrics cm0 ON cm0.run_id = r.id "
                          "AND instr(',' || :y || ',', ',' || cm0.key || ',') > 0"
                        : "JOIN run_rates rr ON rr.run_id = r.id",
                    where, plot__known_sql(&fg->y));
  return rc < 0 ? NULL : sql;
}

/* One row per point over plot_pool.c's pick (identical runs once). */
static char *query_sql(const figure *fg) {
  char *sel = sel_sql(fg), *with = sel ? plot__with_pick(sel) : NULL, *sql = NULL;
  int rc = -1;
  if (with && fg->y.kind == PLOT_Y_METRIC)
    rc = asprintf(&sql,
                  "%sSELECT p.xv, p.bv, avg(m.value), min(m.value), max(m.value), count(*), 0,\n"
                  "  sum(r.iterations), min(p.rid)\n"
                  "FROM pick p JOIN runs r ON r.id = p.rid\n"
                  "JOIN metrics m ON m.run_id = p.rid AND m.key = :y\n"
                  "GROUP BY p.bv, p.xv",
                  with);
  else if (with)
    rc = asprintf(&sql,
                  "%sSELECT p.xv, p.bv, 0, 0, 0, count(*), sum(%s), sum(rr.iterations), min(p.rid)\n"
                  "FROM pick p JOIN runs r ON r.id = p.rid JOIN run_rates rr ON rr.run_id = p.rid\n"
                  "GROUP BY p.bv, p.xv",
                  with, plot__k_sql(&fg->y));
  free(sel);
  free(with);
  return rc < 0 ? NULL : sql;
}

static char *col_strdup(sqlite3_stmt *s, int i) {
  const unsigned char *t = sqlite3_column_text(s, i);
  return t ? strdup((const char *)t) : NULL;
}

static int is_number(sqlite3_stmt *s, int i) {
  int t = sqlite3_column_type(s, i);
  return t == SQLITE_INTEGER || t == SQLITE_FLOAT;
}


static int gather(sqlite3 *h, figure *fg, sim_err *err) {
  const plot_opts *o = fg->o;
  char *sql = query_sql(fg);
  if (!sql) return sim_errf(err, SIM_ENOMEM, "out of memory");
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(h, sql, -1, &s, NULL);
  free(sql);
  if (rc != SQLITE_OK) {
    rc = plot__query_error(h, o, err);
    sqlite3_finalize(s);
    return rc;
  }
  plot__bind(s, o, fg->y.anomaly, NULL);
  size_t cap = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (fg->npts == cap) {
      cap = cap ? 2 * cap : 32;
      point *p = realloc(fg->pts, cap * sizeof *p);
      if (!p) goto nomem;
      fg->pts = p;
    }
    point *p = &fg->pts[fg->npts];
    memset(p, 0, sizeof *p);
    p->x = col_strdup(s, 0);
    p->xnumeric = is_number(s, 0);
    p->xnum = sqlite3_column_double(s, 0);
    p->by = col_strdup(s, 1);
    p->bynumeric = is_number(s, 1);
    p->bynum = sqlite3_column_double(s, 1);
    p->runs = sqlite3_column_int64(s, 5);
    p->first = sqlite3_column_int64(s, 8);
    fg->npts++;
    if (!p->x || (sqlite3_column_type(s, 1) != SQLITE_NULL && !p->by)) goto nomem;
    p->k = sqlite3_column_int64(s, 6);
    p->n = sqlite3_column_int64(s, 7);
    if (fg->y.kind == PLOT_Y_METRIC) {
      p->y = sqlite3_column_double(s, 2);
      p->lo = sqlite3_column_double(s, 3);
      p->hi = sqlite3_column_double(s, 4);
    } else {
      plot__wilson(p->k, p->n, &p->y, &p->lo, &p->hi);
    }
  }
  if (rc != SQLITE_DONE) {
    rc = plot__query_error(h, o, err);
    sqlite3_finalize(s);
    return rc;
  }
  sqlite3_finalize(s);
  if (fg->npts == 0)
    return sim_errf(err, SIM_EINVAL,
                    "no done run has both x '%s' and y '%s'%s%s", o->x, o->y,
                    o->where && *o->where ? " where " : "", o->where && *o->where ? o->where : "");
  return 0;
nomem:
  sqlite3_finalize(s);
  return sim_errf(err, SIM_ENOMEM, "out of memory");
}

/* ---- ordering ---- */

static int same(const char *a, const char *b) {
  return a == b || (a && b && !strcmp(a, b));
}

static int series_cmp_num(const void *a, const void *b) {
  const series *x = a, *y = b;
  return (x->bynum > y->bynum) - (x->bynum < y->bynum);
}

static int series_cmp_first(const void *a, const void *b) {
  const series *x = a, *y = b;
  return (x->first > y->first) - (x->first < y->first);
}

static int point_cmp_x(const void *a, const void *b) {
  const point *x = a, *y = b;
  return (x->xnum > y->xnum) - (x->xnum < y->xnum);
}

/* Series, x order and the drawing choices, from the gathered points. */
static int arrange(figure *fg, sim_err *err) {
  int bynumeric = 1;
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  fg->xnumeric = 1;
  fg->nonneg = 1;
  fg->errbars = fg->y.kind != PLOT_Y_METRIC;
  fg->ser = calloc(fg->npts, sizeof *fg->ser);
  fg->xs = calloc(fg->npts, sizeof *fg->xs);
  int64_t *xfirst = calloc(fg->npts, sizeof *xfirst);
  if (!fg->ser || !fg->xs || !xfirst) {
    free(xfirst);
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < fg->npts; i++) {
    const point *p = &fg->pts[i];
    fg->xnumeric &= p->xnumeric;
    if (p->by) bynumeric &= p->bynumeric;
    if (p->runs > 1) fg->errbars = 1;
    if (p->y < 0 || p->lo < 0) fg->nonneg = 0;
    xmin = fmin(xmin, p->xnum);
    xmax = fmax(xmax, p->xnum);
    ymin = fmin(ymin, p->runs > 1 ? fmin(p->y, p->lo) : p->y);
    ymax = fmax(ymax, p->y);
    size_t j = 0;
    while (j < fg->nser && !same(fg->ser[j].by, p->by)) j++;
    if (j == fg->nser) fg->ser[fg->nser++] = (series){p->by, p->bynum, p->first};
    else if (p->first < fg->ser[j].first) fg->ser[j].first = p->first;
    j = 0;
    while (j < fg->nxs && strcmp(fg->xs[j], p->x)) j++;
    if (j == fg->nxs) fg->xs[fg->nxs] = p->x, xfirst[fg->nxs++] = p->first;
    else if (p->first < xfirst[j]) xfirst[j] = p->first;
  }
  qsort(fg->ser, fg->nser, sizeof *fg->ser, bynumeric ? series_cmp_num : series_cmp_first);
  if (fg->xnumeric) {
    qsort(fg->pts, fg->npts, sizeof *fg->pts, point_cmp_x);
    fg->logx = xmin > 0 && xmax / xmin >= 1000.0;
    /* A metric over three decades (latency against cores): a log axis,
     * or the small values are a flat line at 0. */
    fg->logy = ymin > 0 && ymax / ymin >= 1000.0;
  } else { /* insertion sort of x values by first appearance: few of them */
    for (size_t i = 1; i < fg->nxs; i++)
      for (size_t j = i; j > 0 && xfirst[j] < xfirst[j - 1]; j--) {
        char *t = fg->xs[j];
        fg->xs[j] = fg->xs[j - 1], fg->xs[j - 1] = t;
        int64_t f = xfirst[j];
        xfirst[j] = xfirst[j - 1], xfirst[j - 1] = f;
      }
  }
  free(xfirst);
  return 0;
}

/* ---- 3. write ---- */

static const char *series_name(const series *s) { return s->by ? s->by : "(unset)"; }

/* A plot clause's title: none for a lone series without --by, else its name. */
static void series_title(FILE *f, const figure *fg, size_t i) {
  if (fg->nser == 1 && !fg->o->by) {
    fputs("notitle", f);
  } else {
    fputs("title ", f);
    plot__quote(f, series_name(&fg->ser[i]));
  }
}

static void dat_header(FILE *f, const figure *fg) {
  const plot_opts *o = fg->o;
  fprintf(f, "# mmsim plot data (%s)\n", fg->xnumeric ? "numeric x" : "text x");
  plot__dat_source(f, o, "");
  fputs(fg->y.kind == PLOT_Y_METRIC
            ? "\n# y is the mean of the metric over the done runs at each point; bars min..max\n"
            : "\n# y = k/n: k iterations of n, summed over the done runs at each point;\n"
              "# y_lo, y_hi: Wilson 95% interval\n",
        f);
  fputs("# runs, iterations (n): what each point holds; its runs are repeats of one config\n", f);
  plot__dat_pool(f, &fg->pool);
  const char *cols = fg->y.kind == PLOT_Y_METRIC ? "y_mean y_min y_max runs iterations"
                                                 : "y y_lo y_hi runs k n";
  if (fg->xnumeric) {
    fprintf(f, "# one block per series (gnuplot index i), blocks separated by two blank lines\n"
               "# columns: x %s\n", cols);
  } else {
    fputs("# one row per x; series i has columns 2+5i..6+5i: y y_lo y_hi runs iterations"
          " ('?': none)\n# x", f);
    for (size_t i = 0; i < fg->nser; i++) {
      fprintf(f, " | %zu: ", i);
      plot__comment(f, series_name(&fg->ser[i]));
    }
    fputc('\n', f);
  }
}

static void write_dat(FILE *f, const figure *fg) {
  dat_header(f, fg);
  if (fg->xnumeric) {
    for (size_t i = 0; i < fg->nser; i++) {
      fprintf(f, "%s# series %zu: ", i ? "\n\n" : "", i);
      if (fg->o->by) fprintf(f, "%s=", fg->o->by);
      plot__comment(f, series_name(&fg->ser[i]));
      fputc('\n', f);
      for (size_t j = 0; j < fg->npts; j++) {
        const point *p = &fg->pts[j];
        if (!same(p->by, fg->ser[i].by)) continue;
        fputs(p->x, f);
        plot__put_num(f, p->y);
        plot__put_num(f, p->lo);
        plot__put_num(f, p->hi);
        fprintf(f, " %" PRId64, p->runs);
        if (fg->y.kind != PLOT_Y_METRIC) fprintf(f, " %" PRId64, p->k);
        fprintf(f, " %" PRId64, p->n);
        fputc('\n', f);
      }
    }
    return;
  }
  for (size_t j = 0; j < fg->nxs; j++) {
    plot__put_text(f, fg->xs[j]);
    for (size_t i = 0; i < fg->nser; i++) {
      const point *p = NULL;
      for (size_t k = 0; k < fg->npts && !p; k++)
        if (!strcmp(fg->pts[k].x, fg->xs[j]) && same(fg->pts[k].by, fg->ser[i].by))
          p = &fg->pts[k];
      if (!p) {
        fputs(" ? ? ? 0 0", f);
        continue;
      }
      plot__put_num(f, p->y);
      plot__put_num(f, p->lo);
      plot__put_num(f, p->hi);
      fprintf(f, " %" PRId64 " %" PRId64, p->runs, p->n);
    }
    fputc('\n', f);
  }
}

static void write_gp(FILE *f, const figure *fg, const plot__files *files) {
  const plot_opts *o = fg->o;
  char what[300];
  snprintf(what, sizeof what, "%s vs %s%s%s", o->y, o->x, o->by ? " by " : "", o->by ? o->by : "");
  plot__preamble(f, files, what, 0);

  plot__title(f, o, what, fg->pool.note);
  fputs("\nset xlabel ", f);
  plot__quote(f, o->x);
  fputs("\nset ylabel ", f);
  if (fg->y.kind == PLOT_Y_METRIC) {
    plot__quote(f, o->y);
    if (fg->errbars) fputs(" . ' (mean; bars: min..max over runs)'", f);
  } else {
    plot__quote(f, o->y);
    fputs(" . ' (per iteration; bars: Wilson 95%)'", f);
  }
  fputc('\n', f);
  if (o->by) {
    fputs("set key title ", f);
    plot__quote(f, o->by);
    fputc('\n', f);
    size_t longest = 0;
    for (size_t i = 0; i < fg->nser; i++)
      if (strlen(series_name(&fg->ser[i])) > longest) longest = strlen(series_name(&fg->ser[i]));
    plot__key_for(f, longest);
  }
  if (fg->nonneg) fputs("set yrange [0:*]\n", f);
  fputs("set offsets graph 0.04, graph 0.04, graph 0.08, 0\n", f);

  if (fg->xnumeric) {
    fputs("set autoscale xfix   # the data's own x range, padded by the offsets\n", f);
    if (fg->logx) fputs("set logscale x\n", f);
    if (fg->logy) fputs("set logscale y\nset yrange [*:*]\n", f);
    fputs("plot ", f);
    for (size_t i = 0; i < fg->nser; i++) {
      if (i) fputs(", \\\n     ", f);
      if (i) fputs("''", f);
      else plot__quote(f, files->dat_base);
      fprintf(f, " index %zu using %s with %s lt %zu ", i, fg->errbars ? "1:2:3:4" : "1:2",
              fg->errbars ? "yerrorlines" : "linespoints", i % PLOT_NCOLORS + 1);
      series_title(f, fg, i);
    }
    fputc('\n', f);
    return;
  }
  fputs("set style data histograms\n", f);
  fputs(fg->errbars ? "set style histogram errorbars gap 1 lw 1\n"
                    : "set style histogram clustered gap 1\n",
        f);
  fputs("set xtics scale 0\nset grid noxtics\n", f);
  size_t longest = 0;
  for (size_t j = 0; j < fg->nxs; j++)
    if (strlen(fg->xs[j]) > longest) longest = strlen(fg->xs[j]);
  if (longest * fg->nxs > 80) fputs("set xtics rotate by 30 right\n", f);
  fputs("plot ", f);
  for (size_t i = 0; i < fg->nser; i++) {
    size_t c = 2 + 5 * i;
    if (i) fputs(", \\\n     ''", f);
    else plot__quote(f, files->dat_base);
    if (fg->errbars) fprintf(f, " using %zu:%zu:%zu", c, c + 1, c + 2);
    else fprintf(f, " using %zu", c);
    if (i == 0) fputs(":xtic(1)", f);
    fprintf(f, " lt %zu ", i % PLOT_NCOLORS + 1);
    series_title(f, fg, i);
  }
  /* Each bar's value above its bar (above its error bar): a native rate of
   * 0.01 beside a simulated 0.9 is a sliver on a linear axis, and a log
   * axis would lose the zeros.  Bar i of n sits at x + (i - (n-1)/2)/(n+1)
   * in the histogram style's ordinal x (gap 1).  Left out when crowded:
   * with four series a label is wider than its bar. */
  if (fg->nser <= 3 && fg->nxs * fg->nser <= 24) {
    double n = (double)fg->nser;
    for (size_t i = 0; i < fg->nser; i++) {
      size_t c = 2 + 5 * i;
      fprintf(f,
              ", \\\n     '' using ($0 %+.4f):(column(%zu)):(sprintf('%%.2g', column(%zu)))"
              " with labels offset 0,0.7 font ',9' notitle",
              ((double)i - (n - 1) / 2.0) / (n + 1.0), fg->errbars ? c + 2 : c, c);
    }
  }
  fputc('\n', f);
}

static void dat_fn(FILE *f, const void *fig, const plot__files *files) {
  (void)files;
  write_dat(f, fig);
}

static void gp_fn(FILE *f, const void *fig, const plot__files *files) {
  write_gp(f, fig, files);
}

/* ---- the figure ---- */

static void figure_free(figure *fg) {
  for (size_t i = 0; i < fg->npts; i++) {
    free(fg->pts[i].x);
    free(fg->pts[i].by);
  }
  free(fg->pts);
  free(fg->ser);
  free(fg->xs);
  free(fg->xexpr);
  free(fg->byexpr);
  plot__pool_free(&fg->pool);
}

int plot_metric(const plot_opts *o, sim_err *err) {
  if (!o || !o->db_path || !o->x || !o->y || !*o->x || !*o->y)
    return sim_errf(err, SIM_EINVAL, "needs a database, --x and --y");
  if (o->by && !*o->by) return sim_errf(err, SIM_EINVAL, "--by is empty");
  plot__files files;
  int rc = plot__files_init(&files, o->out, err);
  if (rc) return rc;
  figure fg = {.o = o};
  sqlite3 *h = NULL;
  if ((rc = plot__open_db(o->db_path, &h, err))) goto out;
  if ((rc = plot__resolve_y(h, o, &fg.y, err))) goto out;
  if (fg.y.kind == PLOT_Y_CAUSES && o->by) {
    rc = sim_errf(err, SIM_EINVAL, "y '%s' draws one series per cause; it takes no --by "
                  "(select with --where instead)", o->y);
    goto out;
  }
  /* x a metric rather than a parameter: one point per series (scatter). */
  int x_axis = 1, x_metric = 0;
  if (plot__is_axis(h, o->x, &x_axis) != SQLITE_OK ||
      (!x_axis && plot__is_metric(h, o->x, &x_metric) != SQLITE_OK)) {
    rc = plot__db_error(h, o, err);
    goto out;
  }
  if (x_metric && fg.y.kind == PLOT_Y_CAUSES) {
    rc = sim_errf(err, SIM_EINVAL, "a list of y takes a parameter as x, not the metric '%s'", o->x);
    goto out;
  }
  if (x_metric) {
    rc = plot__scatter(h, o, &fg.y, &files, err);
    goto out;
  }
  if ((rc = plot__axis_sql(h, o, "x", o->x, &fg.xexpr, err))) {
    if (rc == SIM_EINVAL) sim_err_prefix(err, "x is neither a parameter nor a metric");
    goto out;
  }
  if (o->by && (rc = plot__axis_sql(h, o, "by", o->by, &fg.byexpr, err))) goto out;
  char *sel = sel_sql(&fg);
  rc = sel ? plot__pool_check(h, o, sel, fg.y.anomaly, NULL, &fg.pool, err)
           : sim_errf(err, SIM_ENOMEM, "out of memory");
  free(sel);
  if (rc) goto out;
  if ((rc = gather(h, &fg, err))) goto out;
  if ((rc = arrange(&fg, err))) goto out;
  rc = plot__draw(&files, dat_fn, gp_fn, &fg, err);
out:
  sqlite3_close(h);
  figure_free(&fg);
  plot__files_free(&files);
  return rc;
}
