/* plots/plot_resolve.c -- the names a user gives plot, turned into SQL.
 *
 * Shared by every figure that reads runs by parameter and metric (plot.c's
 * lines and bars, plot_scatter.c, plot_hist.c's --by): the same names mean
 * the same thing in each, and an unknown name gets the same message, naming
 * it and a few valid ones.
 *
 *   axis (x, by)  a column of runs (engine, workload, model, host, seed,
 *                 iterations, experiment_id) or a key of params.  --by may
 *                 list several joined by commas ("engine,model"): the series
 *                 is their values joined by a space ("sim tso", "native
 *                 Intel(R) ..."), which is how native and simulated runs of
 *                 one workload stay apart while each keeps its model.
 *   y             a key of metrics, or a derived rate (forbidden_rate,
 *                 anomaly_rate, anomaly_rate.KIND).
 *
 * Parameter keys go into the SQL as quoted literals (sqlite3_mprintf %Q),
 * not bound, so that one expression can hold several of them.
 *
 * The Wilson interval is the formula of results/schema.c's views, computed
 * here in C because figures pool counts over runs after the view.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

#define WILSON_Z 1.96

static const char *const run_columns[] = {
    "engine", "workload", "model", "host", "seed", "iterations", "experiment_id", NULL,
};

/* DESIGN.md "What the numbers mean", the anomaly kinds. */
static const char *const anomaly_kinds[] = {
    "stale_read", "torn_read", "lost_update", "undetected_write", "mutual_exclusion",
    "inconsistent_map", NULL,
};

static int is_run_column(const char *name) {
  for (const char *const *c = run_columns; *c; c++)
    if (!strcmp(*c, name)) return 1;
  return 0;
}

int plot__db_error(sqlite3 *h, const plot_opts *o, sim_err *err) {
  return sim_errf(err, SIM_EDB, "%s: plot: %s", o->db_path, sqlite3_errmsg(h));
}

int plot__query_error(sqlite3 *h, const plot_opts *o, sim_err *err) {
  if (o->where && *o->where)
    return sim_errf(err, SIM_EINVAL, "where '%s': %s", o->where, sqlite3_errmsg(h));
  return plot__db_error(h, o, err);
}

static int exists(sqlite3 *h, const char *sql, const char *key, int *found) {
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(h, sql, -1, &s, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  sqlite3_finalize(s);
  return rc;
}

/* Appends up to `max` names from sql (one text column; ?1 bound to `near`)
 * to buf. */
static void list_names(sqlite3 *h, const char *sql, const char *near, char *buf, size_t n,
                       int max) {
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK) return;
  sqlite3_bind_text(s, 1, near, -1, SQLITE_STATIC);
  int shown = 0, more = 0;
  while (sqlite3_step(s) == SQLITE_ROW) {
    if (shown == max) {
      more++;
      continue;
    }
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s%s", len ? ", " : "", sqlite3_column_text(s, 0));
    shown++;
  }
  if (more) {
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, " (and %d more)", more);
  }
  sqlite3_finalize(s);
}

/* SQL ordering names that share the wrong name's first dotted part first:
 * for "cpu.modle" the cpu.* keys are the ones worth showing. */
#define NEAR_FIRST(col)                                                        \
  "(substr(" col ", 1, instr(" col " || '.', '.')) <> "                        \
  "substr(?1, 1, instr(?1 || '.', '.')))"

int plot__is_metric(sqlite3 *h, const char *key, int *found) {
  return exists(h,
                "SELECT 1 FROM metrics m JOIN runs r ON r.id = m.run_id "
                "WHERE m.key = ?1 AND r.status = 'done' LIMIT 1",
                key, found);
}

int plot__is_axis(sqlite3 *h, const char *name, int *found) {
  if (is_run_column(name)) return *found = 1, SQLITE_OK;
  return exists(h,
                "SELECT 1 FROM params p JOIN runs r ON r.id = p.run_id "
                "WHERE p.key = ?1 AND r.status = 'done' LIMIT 1",
                name, found);
}

/* One name's SQL, malloc'd (sqlite3_free). */
static int one_axis(sqlite3 *h, const plot_opts *o, const char *role, const char *name,
                    char **expr, sim_err *err) {
  int found = 0;
  *expr = NULL;
  if (plot__is_axis(h, name, &found) != SQLITE_OK) return plot__db_error(h, o, err);
  if (!found) {
    char names[360] = "engine, workload, model";
    list_names(h,
               "SELECT DISTINCT p.key FROM params p JOIN runs r ON r.id = p.run_id "
               "WHERE r.status = 'done' ORDER BY " NEAR_FIRST("p.key") ", p.key",
               name, names, sizeof names, 8);
    return sim_errf(err, SIM_EINVAL, "unknown %s '%s': no run has such a parameter; valid: %s",
                    role, name, names);
  }
  *expr = is_run_column(name)
              ? sqlite3_mprintf("r.%s", name)
              : sqlite3_mprintf("(SELECT p.value FROM params p WHERE p.run_id = r.id "
                                "AND p.key = %Q)",
                                name);
  return *expr ? 0 : sim_errf(err, SIM_ENOMEM, "out of memory");
}

int plot__axis_sql(sqlite3 *h, const plot_opts *o, const char *role, const char *names,
                   char **expr, sim_err *err) {
  *expr = NULL;
  if (!strchr(names, ',')) {
    char *e;
    int rc = one_axis(h, o, role, names, &e, err);
    if (!rc && !(*expr = strdup(e))) rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    sqlite3_free(e);
    return rc;
  }
  /* A list: the values joined by spaces; a run without one of them has none. */
  char *list = strdup(names), *sql = sqlite3_mprintf("(");
  int rc = list && sql ? 0 : sim_errf(err, SIM_ENOMEM, "out of memory");
  int first = 1;
  for (char *save = NULL, *n = list ? strtok_r(list, ",", &save) : NULL; n && !rc;
       n = strtok_r(NULL, ",", &save), first = 0) {
    char *e;
    if ((rc = one_axis(h, o, role, n, &e, err))) break;
    char *next = sqlite3_mprintf("%s%s%s", sql, first ? "" : " || ' ' || ", e);
    sqlite3_free(e);
    sqlite3_free(sql);
    sql = next;
    if (!sql) rc = sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  if (!rc && first) rc = sim_errf(err, SIM_EINVAL, "--%s '%s' names nothing", role, names);
  if (!rc) {
    char *done = sqlite3_mprintf("%s)", sql);
    *expr = done ? strdup(done) : NULL;
    sqlite3_free(done);
    if (!*expr) rc = sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  sqlite3_free(sql);
  free(list);
  return rc;
}

int plot__resolve_y(sqlite3 *h, const plot_opts *o, plot__y *y, sim_err *err) {
  const char *name = o->y;
  memset(y, 0, sizeof *y);
  if (!strcmp(name, "forbidden_rate")) return y->kind = PLOT_Y_FORBIDDEN, 0;
  if (!strcmp(name, "anomaly_rate")) return y->kind = PLOT_Y_ANOMALY, 0;
  int found = 0;
  if (!strncmp(name, "anomaly_rate.", 13)) {
    y->kind = PLOT_Y_ANOMALY_KIND;
    y->anomaly = name + 13;
    for (const char *const *k = anomaly_kinds; *k && !found; k++) found = !strcmp(*k, y->anomaly);
    if (!found && exists(h, "SELECT 1 FROM outcomes WHERE anomaly = ?1 LIMIT 1", y->anomaly,
                         &found) != SQLITE_OK)
      return plot__db_error(h, o, err);
    if (found) return 0;
    return sim_errf(err, SIM_EINVAL,
                    "unknown y '%s': no anomaly kind '%s'; kinds: stale_read, "
                    "torn_read, lost_update, undetected_write, mutual_exclusion",
                    name, y->anomaly);
  }
  if (strchr(name, ',')) { /* cause.A,cause.B: every one a cause metric */
    y->kind = PLOT_Y_CAUSES;
    for (const char *p = name; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] != 0)) {
      char part[128];
      snprintf(part, sizeof part, "%.*s", (int)strcspn(p, ","), p);
      if (strncmp(part, "cause.", 6) != 0)
        return sim_errf(err, SIM_EINVAL, "y '%s': a list of y must be cause.KIND metrics "
                        "(run.causes), and '%s' is not one", name, part);
      if (plot__is_metric(h, part, &found) != SQLITE_OK) return plot__db_error(h, o, err);
      if (!found)
        return sim_errf(err, SIM_EINVAL, "y '%s': no run has the metric '%s' (runs stored with "
                        "run.causes=true have cause.store_buffer, cause.store_order, ...)",
                        name, part);
    }
    return 0;
  }
  y->kind = strncmp(name, "cause.", 6) == 0 ? PLOT_Y_CAUSE : PLOT_Y_METRIC;
  if (plot__is_metric(h, name, &found) != SQLITE_OK) return plot__db_error(h, o, err);
  if (found) return 0;
  char names[360] = "forbidden_rate, anomaly_rate, anomaly_rate.KIND";
  list_names(h,
             "SELECT DISTINCT m.key FROM metrics m JOIN runs r ON r.id = m.run_id "
             "WHERE r.status = 'done' ORDER BY " NEAR_FIRST("m.key") ", m.key",
             name, names, sizeof names, 8);
  return sim_errf(err, SIM_EINVAL, "unknown y '%s': no run has such a metric; valid: %s", name,
                  names);
}

const char *plot__k_sql(const plot__y *y) {
  switch (y->kind) {
  case PLOT_Y_FORBIDDEN: return "rr.forbidden_count";
  case PLOT_Y_ANOMALY: return "rr.anomaly_count";
  case PLOT_Y_CAUSE:
    return "(SELECT CAST(cm.value AS INTEGER) FROM metrics cm WHERE cm.run_id = r.id "
           "AND cm.key = :y)";
  case PLOT_Y_CAUSES: /* the series is the metric */
    return "(SELECT CAST(cm.value AS INTEGER) FROM metrics cm WHERE cm.run_id = r.id "
           "AND cm.key = p.bv)";
  case PLOT_Y_ANOMALY_KIND:
    return "coalesce((SELECT a.count FROM anomaly_rates a "
           "WHERE a.run_id = r.id AND a.anomaly = :kind), 0)";
  default: return "0";
  }
}

const char *plot__known_sql(const plot__y *y) {
  if (y->kind == PLOT_Y_CAUSE) /* runs without run.causes have no count */
    return "EXISTS (SELECT 1 FROM metrics cm WHERE cm.run_id = r.id AND cm.key = :y)";
  return y->kind == PLOT_Y_ANOMALY || y->kind == PLOT_Y_ANOMALY_KIND ? "rr.anomaly_count IS NOT NULL"
                                                                    : "1";
}

void plot__wilson(int64_t k, int64_t n, double *p, double *lo, double *hi) {
  if (n <= 0) {
    *p = *lo = *hi = NAN;
    return;
  }
  double z = WILSON_Z, z2 = z * z, nn = (double)n;
  *p = (double)k / nn;
  double den = 1.0 + z2 / nn;
  double center = (*p + z2 / (2.0 * nn)) / den;
  double half = z * sqrt(*p * (1.0 - *p) / nn + z2 / (4.0 * nn * nn)) / den;
  /* Exact at the ends, as in the views (rounding leaves 1e-19 there). */
  *lo = k == 0 ? 0.0 : fmax(0.0, center - half);
  *hi = k == n ? 1.0 : fmin(1.0, center + half);
}

void plot__put_num(FILE *f, double v) {
  if (isnan(v)) fputs(" ?", f);
  else fprintf(f, " %.10g", v);
}

void plot__put_text(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) fputc(*s == '"' ? '\'' : (*s == '\n' ? ' ' : *s), f);
  fputc('"', f);
}
