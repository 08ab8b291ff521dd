/* plots/plot_outcomes.c -- the outcome histograms of one litmus test across
 * models (or engines, hosts, any --by), side by side.
 *
 *   mmsim plot DB --histogram SB [--by model] [--where COND] -o sb.png
 *
 * Outcomes on the x axis, in outcome text order (as herd7 and litmus7 list
 * them, and as plot_hist.c draws one run); one bar per group at each
 * outcome.  Groups pool their done runs of the test: a bar is the summed
 * count over the summed iterations, a frequency per iteration, so groups
 * run for different lengths compare directly.  (Raw counts would make the
 * model with the most iterations look the most relaxed.)
 *
 * Forbidden is a property of an outcome under a model, not of the outcome
 * alone: SB's 0:EAX=0; 1:EAX=0; is forbidden under sc and allowed under
 * tso.  So each bar says it for itself: a group's colour, solid where the
 * outcome is allowed for that group, hatched where it is forbidden (any of
 * the group's runs stored it forbidden), and the key says what hatching
 * means.  (Rejected: colouring forbidden bars vermillion as plot_hist.c
 * does for one run; with several groups colour already names the group.)
 *
 * y is logarithmic when the non-zero frequencies span more than two
 * decades: a native machine's relaxed outcome at 3e-3 beside a model's 0.7
 * is otherwise no bar at all.  (plot_hist.c waits for three decades: one
 * run's bars carry their counts as labels, these do not.)  An outcome a
 * group never produced has no bar there ('?' in the .dat), on either axis.
 *
 * .dat: one row per outcome, "i outcome", then per group g (in order of
 * first appearance) three columns from 3 + 3g: frequency count forbidden.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

typedef struct cell {
  int64_t count;
  int forbidden, present;
} cell;

typedef struct group {
  char *name;
  int64_t iterations, runs;
} group;

typedef struct ohist {
  const plot_opts *o;
  const char *test, *by;
  group *g;
  size_t ng;
  char **outs; /* sorted */
  size_t nouts;
  cell *cells; /* nouts x ng */
  int logy;
  double ymin;
  plot__pool pool;
} ohist;

static void ohist_free(ohist *h) {
  for (size_t i = 0; i < h->ng; i++) free(h->g[i].name);
  for (size_t i = 0; i < h->nouts; i++) free(h->outs[i]);
  free(h->g);
  free(h->outs);
  free(h->cells);
  plot__pool_free(&h->pool);
}

static char *col_dup(sqlite3_stmt *s, int i, const char *dflt) {
  const unsigned char *t = sqlite3_column_text(s, i);
  return strdup(t ? (const char *)t : dflt);
}

/* The test's candidate runs (rid, NULL, bv) of plot_pool.c. */
static char *sel_sql(const ohist *h, const char *byexpr) {
  const char *where = h->o->where && *h->o->where ? h->o->where : "1";
  char *sql = NULL;
  if (asprintf(&sql,
               "SELECT r.id AS rid, NULL AS xv, %s AS bv FROM runs r\n"
               "WHERE r.status = 'done' AND r.workload = :test AND (%s) AND " PLOT_EXPERIMENT_SQL,
               byexpr, where) < 0)
    return NULL;
  return sql;
}

/* with (plot__with_pick) followed by the query tail. */
static int prepare(sqlite3 *db, const ohist *h, const char *with, const char *tail,
                   sqlite3_stmt **s, sim_err *err) {
  char *sql = NULL;
  if (asprintf(&sql, "%s%s", with, tail) < 0) return sim_errf(err, SIM_ENOMEM, "out of memory");
  int rc = sqlite3_prepare_v2(db, sql, -1, s, NULL);
  free(sql);
  if (rc != SQLITE_OK) return plot__query_error(db, h->o, err);
  plot__bind(*s, h->o, NULL, h->test);
  return 0;
}

static int find_out(const ohist *h, const char *o) {
  size_t lo = 0, hi = h->nouts;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(h->outs[mid], o);
    if (!c) return (int)mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/* Groups (by first appearance), the outcome axis, then the cells. */
static int gather(sqlite3 *db, ohist *h, sim_err *err) {
  char *byexpr = NULL, *sel = NULL, *with = NULL;
  sqlite3_stmt *s = NULL;
  int rc = plot__axis_sql(db, h->o, "by", h->by, &byexpr, err);
  if (rc) return rc;
  if (!(sel = sel_sql(h, byexpr)) || !(with = plot__with_pick(sel))) goto nomem;
  /* Q2 of plot_pool.c, with the default --by model among the ignored. */
  plot_opts o = *h->o;
  o.by = h->by;
  o.x = NULL; /* not used by this figure: no axis to ignore */
  if ((rc = plot__pool_check(db, &o, sel, NULL, h->test, &h->pool, err))) goto out;
  rc = prepare(db, h, with,
               "SELECT p.bv, sum(r.iterations), count(*), min(p.rid)\n"
               "FROM pick p JOIN runs r ON r.id = p.rid GROUP BY p.bv ORDER BY min(p.rid)",
               &s, err);
  int src = SQLITE_ROW;
  while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
    group *g = realloc(h->g, (h->ng + 1) * sizeof *g);
    if (!g) goto nomem;
    h->g = g;
    g = &h->g[h->ng++];
    g->name = col_dup(s, 0, "(unset)");
    g->iterations = sqlite3_column_int64(s, 1);
    g->runs = sqlite3_column_int64(s, 2);
    if (!g->name) goto nomem;
  }
  if (!rc && src != SQLITE_DONE) rc = plot__query_error(db, h->o, err);
  sqlite3_finalize(s);
  s = NULL;
  if (!rc && h->ng == 0)
    rc = sim_errf(err, SIM_EINVAL, "no done run of test '%s'%s%s (see mmsim runs %s)", h->test,
                  h->o->where && *h->o->where ? " where " : "",
                  h->o->where && *h->o->where ? h->o->where : "", h->o->db_path);

  if (!rc)
    rc = prepare(db, h, with,
                 "SELECT o.outcome FROM pick p JOIN outcomes o ON o.run_id = p.rid\n"
                 "GROUP BY o.outcome ORDER BY o.outcome",
                 &s, err);
  while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
    char **outs = realloc(h->outs, (h->nouts + 1) * sizeof *outs);
    if (!outs) goto nomem;
    h->outs = outs;
    if (!(h->outs[h->nouts++] = col_dup(s, 0, ""))) goto nomem;
  }
  if (!rc && src != SQLITE_DONE) rc = plot__query_error(db, h->o, err);
  sqlite3_finalize(s);
  s = NULL;
  if (!rc && h->nouts == 0)
    rc = sim_errf(err, SIM_EINVAL, "runs of test '%s' have no outcomes to draw", h->test);
  if (!rc && !(h->cells = calloc(h->nouts * h->ng, sizeof *h->cells))) goto nomem;

  if (!rc)
    rc = prepare(db, h, with,
                 "SELECT p.bv, o.outcome, sum(o.count), max(o.forbidden)\n"
                 "FROM pick p JOIN outcomes o ON o.run_id = p.rid GROUP BY p.bv, o.outcome",
                 &s, err);
  while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
    const unsigned char *b = sqlite3_column_text(s, 0);
    const char *bn = b ? (const char *)b : "(unset)";
    size_t gi = 0;
    while (gi < h->ng && strcmp(h->g[gi].name, bn)) gi++;
    int oi = find_out(h, (const char *)sqlite3_column_text(s, 1));
    if (gi == h->ng || oi < 0) continue; /* cannot happen: same runs as above */
    cell *c = &h->cells[(size_t)oi * h->ng + gi];
    c->count = sqlite3_column_int64(s, 2);
    c->forbidden = sqlite3_column_int(s, 3) != 0;
    c->present = 1;
  }
  if (!rc && src != SQLITE_DONE) rc = plot__query_error(db, h->o, err);
  sqlite3_finalize(s);
out:
  free(byexpr);
  free(sel);
  free(with);
  return rc;
nomem:
  sqlite3_finalize(s);
  free(byexpr);
  free(sel);
  free(with);
  return sim_errf(err, SIM_ENOMEM, "out of memory");
}

static double freq(const ohist *h, size_t oi, size_t gi) {
  const cell *c = &h->cells[oi * h->ng + gi];
  int64_t n = h->g[gi].iterations;
  return c->present && n > 0 ? (double)c->count / (double)n : NAN;
}

static void arrange(ohist *h) {
  double lo = INFINITY, hi = 0;
  for (size_t i = 0; i < h->nouts; i++)
    for (size_t j = 0; j < h->ng; j++) {
      double f = freq(h, i, j);
      if (f > 0) lo = fmin(lo, f), hi = fmax(hi, f);
    }
  h->logy = hi > 0 && hi / lo > 100.0;
  /* Down to a third of the smallest bar, so it shows as a bar. */
  h->ymin = h->logy ? pow(10.0, floor(log10(lo / 3.0))) : 0;
}

static void write_dat(FILE *f, const ohist *h) {
  fputs("# mmsim outcome histograms of test ", f);
  plot__comment(f, h->test);
  fputs(" by ", f);
  plot__comment(f, h->by);
  fputs("\n# db: ", f);
  plot__comment(f, h->o->db_path);
  if (h->o->where && *h->o->where) {
    fputs("\n# where: ", f);
    plot__comment(f, h->o->where);
  }
  if (h->o->experiment) {
    fputs("\n# experiment: ", f);
    plot__comment(f, h->o->experiment);
  }
  fputc('\n', f);
  plot__dat_pool(f, &h->pool);
  fputs("# frequency = count / iterations, both summed over the group's done runs\n"
        "# (repeats of one config; each group's runs and iterations below);\n"
        "# forbidden 1: some run of the group stored the outcome forbidden; '?': never seen\n"
        "# columns: i outcome, then for group g from column 3+3g: frequency count forbidden\n",
        f);
  for (size_t j = 0; j < h->ng; j++) {
    fprintf(f, "# group %zu: ", j);
    plot__comment(f, h->g[j].name);
    fprintf(f, " (%" PRId64 " runs, %" PRId64 " iterations)\n", h->g[j].runs,
            h->g[j].iterations);
  }
  for (size_t i = 0; i < h->nouts; i++) {
    fprintf(f, "%zu ", i);
    plot__put_text(f, h->outs[i]);
    for (size_t j = 0; j < h->ng; j++) {
      const cell *c = &h->cells[i * h->ng + j];
      if (!c->present) {
        fputs(" ? ? ?", f);
        continue;
      }
      plot__put_num(f, freq(h, i, j));
      fprintf(f, " %" PRId64 " %d", c->count, c->forbidden);
    }
    fputc('\n', f);
  }
}

static void write_gp(FILE *f, const ohist *h, const plot__files *files) {
  const plot_opts *o = h->o;
  char what[300];
  snprintf(what, sizeof what, "%s: outcomes by %s", h->test, h->by);
  size_t longest = 0;
  for (size_t i = 0; i < h->nouts; i++)
    if (strlen(h->outs[i]) > longest) longest = strlen(h->outs[i]);
  /* About 22 px per bar and 30 between outcomes, at least the standard. */
  size_t w = h->nouts * (h->ng * 22 + 30) + 360;
  plot__preamble(f, files, what, w > 960 ? (int)(w > 4000 ? 4000 : w) : 0);
  plot__title(f, o, what, h->pool.note);
  fputs("\nset xlabel 'outcome'\n"
        "set ylabel 'frequency per iteration (pooled over runs)'\n",
        f);
  double bw = 0.8 / (double)h->ng;
  fprintf(f, "set boxwidth %.6g absolute\nset xrange [-0.6:%zu.6]\n", bw, h->nouts - 1);
  fputs("set xtics scale 0\nset grid noxtics\n", f);
  if (longest * h->nouts > 80 || h->nouts > 6) fputs("set xtics rotate by 30 right\n", f);
  if (h->logy)
    fprintf(f, "set logscale y\nset format y '%%.0e'\nset yrange [%.3g:*]   "
               "# frequencies span more than 2 decades\n",
            h->ymin);
  else
    fputs("set yrange [0:*]\nset offsets 0, 0, graph 0.08, 0\n", f);
  fputs("set key title ", f);
  plot__quote(f, h->by);
  fputc('\n', f);
  size_t longname = 0;
  for (size_t j = 0; j < h->ng; j++)
    if (strlen(h->g[j].name) > longname) longname = strlen(h->g[j].name);
  plot__key_for(f, longname);
  fputs("plot ", f);
  plot__quote(f, files->dat_base);
  fputs(" using 1:(NaN):xtic(2) notitle", f);
  for (size_t j = 0; j < h->ng; j++) {
    double off = -0.4 + bw * ((double)j + 0.5);
    size_t c = 3 + 3 * j, lt = j % PLOT_NCOLORS + 1;
    fprintf(f,
            ", \\\n     '' using ($1 %+.4f):(column(%zu) == 0 ? column(%zu) : NaN) with boxes"
            " lt %zu fs solid 0.85 border lc rgb '#333333' title ",
            off, c + 2, c, lt);
    plot__quote(f, h->g[j].name);
    fprintf(f,
            ", \\\n     '' using ($1 %+.4f):(column(%zu) == 1 ? column(%zu) : NaN) with boxes"
            " lt %zu fs pattern 4 border lt %zu notitle",
            off, c + 2, c, lt, lt);
  }
  fputs(", \\\n     NaN with boxes lc rgb '#333333' fs pattern 4 title 'hatched: forbidden'\n",
        f);
}

static void dat_fn(FILE *f, const void *fig, const plot__files *files) {
  (void)files;
  write_dat(f, fig);
}

static void gp_fn(FILE *f, const void *fig, const plot__files *files) {
  write_gp(f, fig, files);
}

int plot_outcomes(const plot_opts *o, const char *test, sim_err *err) {
  if (!o || !o->db_path || !test || !*test)
    return sim_errf(err, SIM_EINVAL, "needs a database and a test name");
  if (o->by && !*o->by) return sim_errf(err, SIM_EINVAL, "--by is empty");
  plot__files files;
  int rc = plot__files_init(&files, o->out, err);
  if (rc) return rc;
  ohist h = {.o = o, .test = test, .by = o->by ? o->by : "model"};
  sqlite3 *db = NULL;
  if (!(rc = plot__open_db(o->db_path, &db, err)) && !(rc = gather(db, &h, err))) {
    arrange(&h);
    rc = plot__draw(&files, dat_fn, gp_fn, &h, err);
  }
  sqlite3_close(db);
  ohist_free(&h);
  plot__files_free(&files);
  return rc;
}
