/* plots/plot_scatter.c -- a rate (or metric) against a metric, one labelled
 * point per --by group: "what each fix buys and what it costs".
 *
 *   mmsim plot DB --x map.cycles_per_op --y anomaly_rate --by workload.variant
 *
 * plot_metric comes here when --x names a metric rather than a parameter.
 * Each group (each value of --by, or all runs when there is none) pools its
 * done runs: x is the mean of the metric with min..max as its bar, y is
 * k/n over the summed iterations with the Wilson 95% interval (a metric y:
 * mean with min..max), so a point's two bars say how much each coordinate
 * can be trusted.  Points take the house palette in order of first
 * appearance and carry their group's name as a label, since a legend would
 * make the reader match colours to names for every point.
 *
 * Zero rates and the log y axis.  The interesting contrast is usually a
 * broken variant at 1e-2 beside fixed ones at 0 -- zero only because none
 * was seen in n iterations.  Zero cannot sit on a log axis, and dropping
 * the point would hide the fix.  So: y is logarithmic when the positive
 * values span two decades or more, where a zero rate stands in as its
 * Wilson upper bound (about 3.84/n); on such an axis a zero rate is drawn
 * at that upper bound as an open downward triangle (an upper limit, as
 * physics plots show them), labelled "NAME (0/n)", and the key says what
 * the triangle means.  On a linear axis a zero is drawn at 0 with its bar up
 * to the upper bound, like any other point.  (Rejected: a symlog or an
 * arbitrary floor such as 1e-9, which puts a point where no data says it
 * is.)  A metric y goes log only when all values are positive and span
 * three decades.
 *
 * .dat (one row per point, in order of first appearance):
 *   label x x_lo x_hi y y_lo y_hi runs k n lt y_draw upper below
 * y_draw is where the point is drawn (y, or y_hi when upper is 1); below 1
 * puts the label under the point (place_labels).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

typedef struct spoint {
  char *label;
  double x, xlo, xhi, y, lo, hi, ydraw;
  int64_t runs, k, n;
  int upper; /* drawn as an upper limit (zero rate on a log axis) */
  int below; /* label below the point: an earlier label is too close above */
} spoint;

typedef struct scatter {
  const plot_opts *o;
  const plot__y *y;
  spoint *pts;
  size_t n;
  int logy, logx;
  double ymin, ymax; /* log y range */
  plot__pool pool;
} scatter;

static int is_rate(const scatter *sc) { return sc->y->kind != PLOT_Y_METRIC; }


/* The candidate runs (rid, NULL, bv) of plot_pool.c: those with metric x,
 * and metric y when y is one. */
static char *sel_sql(const scatter *sc, const char *byexpr) {
  const plot_opts *o = sc->o;
  const char *where = o->where && *o->where ? o->where : "1";
  char *sql = NULL;
  if (asprintf(&sql,
               "SELECT r.id AS rid, NULL AS xv, %s AS bv FROM runs r\n"
               "JOIN run_rates rr ON rr.run_id = r.id\n"
               "JOIN metrics xm ON xm.run_id = r.id AND xm.key = :x AND xm.value IS NOT NULL\n"
               "%s WHERE r.status = 'done' AND (%s) AND %s AND " PLOT_EXPERIMENT_SQL,
               byexpr ? byexpr : "NULL",
               is_rate(sc) ? ""
                           : "JOIN metrics ym ON ym.run_id = r.id AND ym.key = :y "
                             "AND ym.value IS NOT NULL\n",
               where, plot__known_sql(sc->y)) < 0)
    return NULL;
  return sql;
}

static int gather(sqlite3 *h, scatter *sc, const char *byexpr, sim_err *err) {
  const plot_opts *o = sc->o;
  int rc = 0;
  char *sel = sel_sql(sc, byexpr), *with = sel ? plot__with_pick(sel) : NULL, *sql = NULL;
  if (!with ||
      asprintf(&sql,
               "%sSELECT p.bv, avg(xm.value), min(xm.value), max(xm.value), count(*), sum(%s),\n"
               "  sum(rr.iterations), avg(ym.value), min(ym.value), max(ym.value)\n"
               "FROM pick p JOIN runs r ON r.id = p.rid JOIN run_rates rr ON rr.run_id = p.rid\n"
               "JOIN metrics xm ON xm.run_id = p.rid AND xm.key = :x\n"
               "LEFT JOIN metrics ym ON ym.run_id = p.rid AND ym.key = :y\n"
               "GROUP BY p.bv ORDER BY min(p.rid)",
               with, plot__k_sql(sc->y)) < 0)
    sql = NULL;
  free(sel);
  free(with);
  if (!sql) return sim_errf(err, SIM_ENOMEM, "out of memory");
  sqlite3_stmt *s = NULL;
  int src = sqlite3_prepare_v2(h, sql, -1, &s, NULL);
  free(sql);
  if (src == SQLITE_OK) plot__bind(s, o, sc->y->anomaly, NULL);
  size_t cap = 0;
  while (src == SQLITE_OK || src == SQLITE_ROW) {
    if ((src = sqlite3_step(s)) != SQLITE_ROW) break;
    if (sc->n == cap) {
      cap = cap ? 2 * cap : 16;
      spoint *p = realloc(sc->pts, cap * sizeof *p);
      if (!p) goto nomem;
      sc->pts = p;
    }
    spoint *p = &sc->pts[sc->n++];
    memset(p, 0, sizeof *p);
    const unsigned char *b = sqlite3_column_text(s, 0);
    p->label = strdup(b ? (const char *)b : o->by ? "(unset)" : "all runs");
    if (!p->label) goto nomem;
    p->x = sqlite3_column_double(s, 1);
    p->xlo = sqlite3_column_double(s, 2);
    p->xhi = sqlite3_column_double(s, 3);
    p->runs = sqlite3_column_int64(s, 4);
    p->n = sqlite3_column_int64(s, 6);
    if (is_rate(sc)) {
      p->k = sqlite3_column_int64(s, 5);
      plot__wilson(p->k, p->n, &p->y, &p->lo, &p->hi);
    } else {
      p->y = sqlite3_column_double(s, 7);
      p->lo = sqlite3_column_double(s, 8);
      p->hi = sqlite3_column_double(s, 9);
    }
    p->ydraw = p->y;
  }
  if (src != SQLITE_DONE) {
    rc = plot__query_error(h, o, err);
    sqlite3_finalize(s);
    return rc;
  }
  sqlite3_finalize(s);
  if (sc->n == 0)
    return sim_errf(err, SIM_EINVAL, "no done run has both metric x '%s' and y '%s'%s%s", o->x,
                    o->y, o->where && *o->where ? " where " : "",
                    o->where && *o->where ? o->where : "");
  return 0;
nomem:
  sqlite3_finalize(s);
  return sim_errf(err, SIM_ENOMEM, "out of memory");
}

static void place_labels(scatter *sc, double xspan);
static int mark_upper_limits(scatter *sc, sim_err *err);

/* The axis choices of the file comment. */
static int arrange(scatter *sc, sim_err *err) {
  int rc;
  double pmin = INFINITY, pmax = 0, xmin = INFINITY, xmax = -INFINITY;
  int all_pos = 1;
  for (size_t i = 0; i < sc->n; i++) {
    const spoint *p = &sc->pts[i];
    double v = p->y > 0 ? p->y : is_rate(sc) && p->n > 0 ? p->hi : NAN;
    if (p->y <= 0) all_pos = 0;
    if (!isnan(v)) pmin = fmin(pmin, v), pmax = fmax(pmax, v);
    xmin = fmin(xmin, p->xlo);
    xmax = fmax(xmax, p->xhi);
  }
  sc->logx = xmin > 0 && xmax / xmin >= 1000.0;
  if (is_rate(sc))
    sc->logy = pmax > 0 && pmin > 0 && pmax / pmin >= 100.0;
  else
    sc->logy = all_pos && pmin > 0 && pmax / pmin >= 1000.0;
  if (sc->logy && (rc = mark_upper_limits(sc, err))) return rc;
  place_labels(sc, xmax - xmin);
  return 0;
}

/* Labels sit right of and above their point; one that would land on an
 * earlier point's label (near in x, at about the same height) goes below
 * its point instead.  Two passes of this are enough for the handful of
 * variants a figure has; a crowded figure wants --where, not cleverness. */
static void place_labels(scatter *sc, double xspan) {
  double yspan = 0;
  for (size_t i = 0; i < sc->n; i++) yspan = fmax(yspan, sc->pts[i].ydraw);
  for (size_t i = 0; i < sc->n; i++) {
    spoint *p = &sc->pts[i];
    for (size_t j = 0; j < i && !p->below; j++) {
      const spoint *q = &sc->pts[j];
      if (q->below || isnan(p->ydraw) || isnan(q->ydraw)) continue;
      int near_y = sc->logy ? fabs(log10(p->ydraw / q->ydraw)) < 0.2
                            : fabs(p->ydraw - q->ydraw) < 0.06 * yspan;
      if (near_y && fabs(p->x - q->x) < 0.3 * (xspan > 0 ? xspan : 1)) p->below = 1;
    }
  }
}

/* On a log axis a zero rate is drawn at its upper bound (file comment). */
static int mark_upper_limits(scatter *sc, sim_err *err) {
  double lo = INFINITY, hi = 0;
  for (size_t i = 0; i < sc->n; i++) {
    spoint *p = &sc->pts[i];
    if (is_rate(sc) && p->k == 0 && p->n > 0) {
      p->upper = 1;
      p->ydraw = p->hi;
      char *l = NULL;
      if (asprintf(&l, "%s (0/%" PRId64 ")", p->label, p->n) < 0)
        return sim_errf(err, SIM_ENOMEM, "out of memory");
      free(p->label);
      p->label = l;
    }
    if (isnan(p->ydraw)) continue;
    lo = fmin(lo, p->upper ? p->ydraw : p->lo > 0 ? p->lo : p->y);
    hi = fmax(hi, p->hi > 0 ? p->hi : p->ydraw);
  }
  /* Half a decade of room below (the triangles) and above (the labels). */
  sc->ymin = lo / 3.0;
  sc->ymax = hi * 3.0;
  return 0;
}

static void write_dat(FILE *f, const scatter *sc) {
  const plot_opts *o = sc->o;
  fputs("# mmsim plot data (scatter: x is a metric, one point per group)\n", f);
  plot__dat_source(f, o, " (mean over the group's runs; x_lo..x_hi min..max)");
  fputs(is_rate(sc) ? "\n# y = k/n pooled over the group's runs; y_lo, y_hi: Wilson 95%\n"
                    : "\n# y: mean of the metric; y_lo..y_hi min..max\n",
        f);
  fputs("# runs, n: the group's runs (repeats of one config) and their summed iterations;\n"
        "# k: the rate's count (0 for a metric y)\n", f);
  plot__dat_pool(f, &sc->pool);
  fputs("# upper 1: no event seen, drawn at y_hi (the 95% upper bound) on the log axis\n"
        "# columns: label x x_lo x_hi y y_lo y_hi runs k n lt y_draw upper below\n",
        f);
  for (size_t i = 0; i < sc->n; i++) {
    const spoint *p = &sc->pts[i];
    plot__put_text(f, p->label);
    plot__put_num(f, p->x);
    plot__put_num(f, p->xlo);
    plot__put_num(f, p->xhi);
    plot__put_num(f, p->y);
    plot__put_num(f, p->lo);
    plot__put_num(f, p->hi);
    fprintf(f, " %" PRId64 " %" PRId64 " %" PRId64 " %zu", p->runs, p->k, p->n,
            i % PLOT_NCOLORS + 1);
    plot__put_num(f, p->ydraw);
    fprintf(f, " %d %d\n", p->upper, p->below);
  }
}

static void write_gp(FILE *f, const scatter *sc, const plot__files *files) {
  const plot_opts *o = sc->o;
  char what[300];
  snprintf(what, sizeof what, "%s vs %s%s%s", o->y, o->x, o->by ? " by " : "", o->by ? o->by : "");
  plot__preamble(f, files, what, 0);
  plot__title(f, o, what, sc->pool.note);
  fputs("\nset xlabel ", f);
  plot__quote(f, o->x);
  fputs(" . ' (mean over runs; bars: min..max)'\nset ylabel ", f);
  plot__quote(f, o->y);
  fputs(is_rate(sc) ? " . ' (per iteration; bars: Wilson 95%)'\n"
                    : " . ' (mean; bars: min..max over runs)'\n",
        f);
  /* Labels need room right of the rightmost point and above the top one. */
  fputs("set autoscale xfix\nset offsets graph 0.08, graph 0.30, 0, 0\n", f);
  if (sc->logx) fputs("set logscale x\n", f);
  if (sc->logy) {
    fputs("set logscale y\n", f);
    fputs("set format y '%.0e'\n", f); /* noenhanced: no superscripts, so 1e-05 */
    fprintf(f, "set yrange [%.6g:%.6g]\n", sc->ymin, sc->ymax);
  } else {
    fputs("set yrange [0:*]\nset offsets graph 0.08, graph 0.30, graph 0.12, 0\n", f);
  }
  if (sc->logy) fputs("set key below\n", f);
  else fputs("unset key\n", f);
  fputs("plot ", f);
  plot__quote(f, files->dat_base);
  fputs(" using 2:($13 == 0 ? $12 : NaN):3:4:6:7:11 with xyerrorbars lc variable pt 7 ps 1.4"
        " notitle, \\\n"
        "     '' using 2:($13 == 1 ? $12 : NaN):3:4:11 with xerrorbars lc variable pt 10 ps 1.8"
        " notitle, \\\n"
        "     '' using 2:($14 == 0 ? $12 : NaN):1:11 with labels left offset char 1.2,0.6"
        " tc variable notitle, \\\n"
        "     '' using 2:($14 == 1 ? $12 : NaN):1:11 with labels left offset char 1.2,-0.7"
        " tc variable notitle",
        f);
  if (sc->logy)
    fputs(", \\\n     NaN with points pt 10 ps 1.8 lc rgb '#333333'"
          " title 'none seen: drawn at its 95% upper bound'",
          f);
  fputc('\n', f);
}

static void dat_fn(FILE *f, const void *fig, const plot__files *files) {
  (void)files;
  write_dat(f, fig);
}

static void gp_fn(FILE *f, const void *fig, const plot__files *files) {
  write_gp(f, fig, files);
}

int plot__scatter(sqlite3 *h, const plot_opts *o, const plot__y *y, const plot__files *f,
                  sim_err *err) {
  scatter sc = {.o = o, .y = y};
  char *byexpr = NULL, *sel = NULL;
  int rc = o->by ? plot__axis_sql(h, o, "by", o->by, &byexpr, err) : 0;
  if (!rc && !(sel = sel_sql(&sc, byexpr))) rc = sim_errf(err, SIM_ENOMEM, "out of memory");
  if (!rc) rc = plot__pool_check(h, o, sel, y->anomaly, NULL, &sc.pool, err);
  if (!rc) rc = gather(h, &sc, byexpr, err);
  free(sel);
  free(byexpr);
  if (!rc) rc = arrange(&sc, err);
  if (!rc) rc = plot__draw(f, dat_fn, gp_fn, &sc, err);
  for (size_t i = 0; i < sc.n; i++) free(sc.pts[i].label);
  free(sc.pts);
  plot__pool_free(&sc.pool);
  return rc;
}
