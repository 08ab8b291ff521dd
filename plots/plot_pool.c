/* plots/plot_pool.c -- which runs one point of a figure may pool.
 *
 * A point (a bar, a line's point, a scatter group, a histogram group)
 * pools the done runs that fall on it: summed counts, a mean metric.  That
 * is only an estimate of one thing when the runs are repeats of one
 * config, differing in nothing but the seed.  Two rules, shared by every
 * pooling figure (plot.c, plot_scatter.c, plot_outcomes.c):
 *
 *   Q1  Identical runs count once.  Simulated runs with the same config
 *       hash and seed are one deterministic result stored twice (a rerun,
 *       a merge of overlapping databases); counting both would narrow the
 *       Wilson interval with no new data.  The lowest run id stays.
 *       Native runs are each a new measurement of the host, so every one
 *       counts, as results/merge.c keeps them apart too.
 *   Q2  A point pools only repeats: its runs must agree on every key of
 *       params, and on the runs columns engine, workload and model, except
 *       run.seed and the --x and --by names themselves.  A key missing from
 *       some of the runs counts as one more value.  Otherwise the figure is
 *       refused (SIM_EINVAL, exit 2), naming the keys that differ and how
 *       many values each takes at a point, with the way out: --by KEY,
 *       --where, --experiment NAME, or --pool to pool on purpose, which the
 *       figure's title and .dat then say ("pooled over ...").
 *
 * How a figure uses this: it writes `sel`, an SQL SELECT of its candidate
 * runs as (rid, xv, bv) -- run id, x value (NULL when points are not
 * split by x) and series value -- over runs r, with o->where and
 * PLOT_EXPERIMENT_SQL in its WHERE.  plot__pool_check applies Q2 to it
 * before anything is written, and plot__with_pick gives the WITH clause
 * whose table `pick` is sel after Q1, which the figure's aggregation reads.
 * (Rejected: comparing config_json texts.  They hold no native host, and
 * imported litmus7 runs store none, while params holds every key of both.)
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../results/db.h"
#include "plot_int.h"

/* How many differing keys a refusal names before "and N more". */
#define POOL_KEYS_SHOWN 4
/* How many experiment names it suggests. */
#define POOL_EXPERIMENTS_SHOWN 3

char *plot__with_pick(const char *sel) {
  char *s = NULL;
  /* Q1: one run per (point, engine sim, config hash, seed); others by id. */
  if (asprintf(&s,
               "WITH sel AS (\n%s\n),\n"
               "pick AS (SELECT s.rid AS rid, s.xv AS xv, s.bv AS bv FROM sel s WHERE s.rid IN (\n"
               "  SELECT min(s2.rid) FROM sel s2 JOIN runs r2 ON r2.id = s2.rid\n"
               "  GROUP BY s2.xv, s2.bv, CASE WHEN r2.engine = 'sim' AND r2.config_hash IS NOT NULL\n"
               "    THEN 'h ' || r2.config_hash || ' ' || r2.seed ELSE 'id ' || r2.id END))\n",
               sel) < 0)
    return NULL;
  return s;
}

void plot__bind(sqlite3_stmt *s, const plot_opts *o, const char *kind, const char *test) {
  const char *names[] = {":x", ":y", ":by", ":kind", ":test", ":experiment"};
  const char *vals[] = {o->x, o->y, o->by, kind, test, o->experiment};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    int at = sqlite3_bind_parameter_index(s, names[i]);
    if (at > 0 && vals[i]) sqlite3_bind_text(s, at, vals[i], -1, SQLITE_STATIC);
  }
}

void plot__dat_pool(FILE *f, const plot__pool *p) {
  if (p->note) {
    fputs("# --pool: ", f);
    plot__comment(f, p->note);
    fputc('\n', f);
  }
  if (p->dropped > 0)
    fprintf(f, "# %" PRId64 " identical run%s (same config hash and seed) counted once\n",
            p->dropped, p->dropped == 1 ? "" : "s");
}

void plot__pool_free(plot__pool *p) {
  free(p->note);
  p->note = NULL;
}

/* An --experiment that names no experiment is a typo: say which exist. */
static int check_experiment(sqlite3 *h, const plot_opts *o, sim_err *err) {
  if (!o->experiment) return 0;
  if (!*o->experiment) return sim_errf(err, SIM_EINVAL, "--experiment: the name is empty");
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(h, "SELECT DISTINCT name FROM experiments ORDER BY id", -1, &s,
                              NULL);
  if (rc != SQLITE_OK) return plot__db_error(h, o, err);
  char names[300] = "";
  int found = 0, n = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(s, 0);
    if (!name) continue;
    if (!strcmp(name, o->experiment)) found = 1;
    size_t len = strlen(names);
    if (n++ < 8) snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", name);
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return plot__db_error(h, o, err);
  if (found) return 0;
  return sim_errf(err, SIM_EINVAL, "--experiment '%s': %s has no experiment of that name%s%s%s",
                  o->experiment, o->db_path, n ? "; experiments: " : "", names,
                  n > 8 ? ", ..." : "");
}

/* The keys Q2 ignores, as an SQL list of literals (sqlite3_free). */
static char *ignored_sql(const plot_opts *o) {
  char *sql = sqlite3_mprintf("'run.seed'");
  const char *lists[] = {o->x, o->by ? o->by : o->x};
  for (size_t i = 0; i < 2 && sql; i++) {
    const char *p = lists[i];
    while (p && *p && sql) {
      size_t n = strcspn(p, ",");
      char *next = sqlite3_mprintf("%s, %.*Q", sql, (int)n, p);
      sqlite3_free(sql);
      sql = next;
      p += n + (p[n] == ',');
    }
  }
  return sql;
}

/* The differing keys of Q2, and the points that hold them, as CTEs after
 * plot__with_pick's. */
static const char diff_ctes[] =
    ", npt AS (SELECT xv, bv, count(*) AS nr FROM pick GROUP BY xv, bv),\n"
    "kv AS (SELECT p.xv AS xv, p.bv AS bv, q.key AS key, quote(q.value) AS val\n"
    "         FROM pick p JOIN params q ON q.run_id = p.rid\n"
    "       UNION ALL\n"
    "       SELECT p.xv, p.bv, c.key, quote(CASE c.key WHEN 'engine' THEN r.engine\n"
    "         WHEN 'workload' THEN r.workload ELSE r.model END)\n"
    "         FROM pick p JOIN runs r ON r.id = p.rid\n"
    "         JOIN (SELECT 'engine' AS key UNION ALL SELECT 'workload'\n"
    "               UNION ALL SELECT 'model') c),\n"
    "diff AS (SELECT kv.xv AS xv, kv.bv AS bv, kv.key AS key,\n"
    "           count(DISTINCT kv.val) + (count(*) < max(npt.nr)) AS nv\n"
    "         FROM kv JOIN npt ON npt.xv IS kv.xv AND npt.bv IS kv.bv\n"
    "         WHERE kv.key NOT IN (%s)\n"
    "         GROUP BY kv.xv, kv.bv, kv.key HAVING nv > 1)\n";

/* Runs one query of the check; calls row(stmt, ctx) per row. */
static int each_row(sqlite3 *h, const plot_opts *o, const char *kind, const char *test,
                    const char *sql, void (*row)(sqlite3_stmt *, void *), void *ctx,
                    sim_err *err) {
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(h, sql, -1, &s, NULL);
  if (rc != SQLITE_OK) {
    rc = plot__query_error(h, o, err);
    sqlite3_finalize(s);
    return rc;
  }
  plot__bind(s, o, kind, test);
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) row(s, ctx);
  if (rc != SQLITE_DONE) {
    rc = plot__query_error(h, o, err);
    sqlite3_finalize(s);
    return rc;
  }
  sqlite3_finalize(s);
  return 0;
}

typedef struct tally {
  char keys[400]; /* "KEY (N values), ..." */
  char first[160];  /* the first key, for the --by suggestion */
  int nkeys;
  int64_t counts[4]; /* points with differing runs, points, runs selected, runs picked */
  char exps[200];
  int nexps;
} tally;

static void key_row(sqlite3_stmt *s, void *ctx) {
  tally *t = ctx;
  const char *key = (const char *)sqlite3_column_text(s, 0);
  if (!key) return;
  if (t->nkeys == 0) snprintf(t->first, sizeof t->first, "%s", key);
  if (t->nkeys++ >= POOL_KEYS_SHOWN) return;
  size_t len = strlen(t->keys);
  snprintf(t->keys + len, sizeof t->keys - len, "%s%s (%" PRId64 " values)", len ? ", " : "",
           key, (int64_t)sqlite3_column_int64(s, 1));
}

static void count_row(sqlite3_stmt *s, void *ctx) {
  tally *t = ctx;
  for (int i = 0; i < 4; i++) t->counts[i] = sqlite3_column_int64(s, i);
}

static void exp_row(sqlite3_stmt *s, void *ctx) {
  tally *t = ctx;
  const char *name = (const char *)sqlite3_column_text(s, 0);
  if (!name || t->nexps++ >= POOL_EXPERIMENTS_SHOWN) return;
  size_t len = strlen(t->exps);
  snprintf(t->exps + len, sizeof t->exps - len, "%s%s", len ? ", " : "", name);
}

int plot__pool_check(sqlite3 *h, const plot_opts *o, const char *sel, const char *kind,
                     const char *test, plot__pool *pool, sim_err *err) {
  memset(pool, 0, sizeof *pool);
  int rc = o->where ? db_where_check(o->where, err) : 0; /* before any SQL holds it */
  if (!rc) rc = check_experiment(h, o, err);
  if (rc) return rc;
  char *with = plot__with_pick(sel), *ign = ignored_sql(o), *ctes = NULL;
  char *q_keys = NULL, *q_counts = NULL, *q_exps = NULL;
  tally t = {0};
  if (!with || !ign || asprintf(&ctes, diff_ctes, ign) < 0) ctes = NULL;
  if (!ctes ||
      asprintf(&q_keys, "%s%sSELECT key, max(nv) FROM diff GROUP BY key\n"
                        "ORDER BY count(*) DESC, max(nv), key", with, ctes) < 0 ||
      asprintf(&q_counts, "%s%sSELECT (SELECT count(*) FROM (SELECT DISTINCT xv, bv FROM diff)),\n"
                          "  (SELECT count(*) FROM npt), (SELECT count(*) FROM sel),\n"
                          "  (SELECT count(*) FROM pick)", with, ctes) < 0 ||
      asprintf(&q_exps, "%sSELECT e.name FROM pick p JOIN runs r ON r.id = p.rid\n"
                        "JOIN experiments e ON e.id = r.experiment_id\n"
                        "GROUP BY e.name ORDER BY min(p.rid)", with) < 0) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    goto out;
  }
  if ((rc = each_row(h, o, kind, test, q_keys, key_row, &t, err)) ||
      (rc = each_row(h, o, kind, test, q_counts, count_row, &t, err)))
    goto out;
  pool->dropped = t.counts[2] - t.counts[3];
  if (t.nkeys == 0) goto out;
  char more[48] = "";
  if (t.nkeys > POOL_KEYS_SHOWN)
    snprintf(more, sizeof more, " and %d more", t.nkeys - POOL_KEYS_SHOWN);
  if (o->pool) {
    if (asprintf(&pool->note, "pooled over %s%s", t.keys, more) < 0) {
      pool->note = NULL;
      rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    }
    goto out;
  }
  if ((rc = each_row(h, o, kind, test, q_exps, exp_row, &t, err))) goto out;
  char exps[260] = "";
  if (t.nexps > 1)
    snprintf(exps, sizeof exps, " (they come from %s%s)", t.exps,
             t.nexps > POOL_EXPERIMENTS_SHOWN ? ", ..." : "");
  rc = sim_errf(err, SIM_EINVAL,
                "%" PRId64 " of %" PRId64 " points would pool runs that differ in more than "
                "the seed: %s%s.  Split them with --by %s, select with --where COND or "
                "--experiment NAME%s, or pool them on purpose with --pool",
                t.counts[0], t.counts[1], t.keys, more, t.first, exps);
out:
  free(with);
  sqlite3_free(ign);
  free(ctes);
  free(q_keys);
  free(q_counts);
  free(q_exps);
  return rc;
}
