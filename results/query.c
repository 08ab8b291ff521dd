/* results/query.c -- read-only looks at a results database, as tables.
 *
 * db_query_print runs the user's SQL (every statement of it, in order) and
 * db_runs_print the canned list of runs; both print through one table
 * printer: a header line, a dash line, one aligned line per row (numbers
 * right-aligned, text left-aligned, NULL shown as NULL), then "(N rows)".
 * The whole result is held in memory to size the columns, which is fine for
 * what a person reads; scripts want db_export instead.
 *
 * Read-only (D2).  The CLI opens the file with db_open_readonly, so SQLite
 * itself refuses any write ("attempt to write a readonly database") and we
 * only prefix its message with the path.  Given a read-write handle,
 * db_query_print still refuses statements that would write
 * (sqlite3_stmt_readonly), so a query never changes a file however it was
 * opened.
 *
 * Widths count UTF-8 code points, not bytes, so outcome strings and names
 * with non-ASCII characters stay aligned; control characters in a cell are
 * shown escaped (\n, \t) so one row stays one line.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

typedef struct cell {
  char *text; /* NULL: SQL NULL */
  int right;  /* a number: right-aligned */
} cell;

typedef struct table {
  int ncols;
  cell *cells; /* row-major, row 0 is the header */
  size_t nrows, cap;
} table;

static void table_free(table *t) {
  for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++) free(t->cells[i].text);
  free(t->cells);
}

static int table_grow(table *t) {
  if (t->nrows < t->cap) return 0;
  size_t cap = t->cap ? 2 * t->cap : 16;
  cell *c = realloc(t->cells, cap * (size_t)t->ncols * sizeof *c);
  if (!c) return -1;
  t->cells = c;
  t->cap = cap;
  return 0;
}

/* A copy of s with control characters escaped; NULL on no memory. */
static char *escape(const char *s) {
  size_t n = 0;
  for (const char *p = s; *p; p++) n += (unsigned char)*p < 0x20 ? 4 : 1;
  char *o = malloc(n + 1), *q = o;
  if (!o) return NULL;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\n') q += sprintf(q, "\\n");
    else if (*p == '\t') q += sprintf(q, "\\t");
    else if (*p < 0x20) q += sprintf(q, "\\x%02x", *p);
    else *q++ = (char)*p;
  }
  *q = '\0';
  return o;
}

static size_t width(const char *s) {
  size_t w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    w += (*p & 0xC0) != 0x80;
  return w;
}

static int column_cell(sqlite3_stmt *s, int i, cell *c) {
  c->right = 0;
  c->text = NULL;
  switch (sqlite3_column_type(s, i)) {
  case SQLITE_NULL:
    return 0;
  case SQLITE_BLOB: {
    char buf[48];
    snprintf(buf, sizeof buf, "<blob %d bytes>", sqlite3_column_bytes(s, i));
    c->text = strdup(buf);
    break;
  }
  case SQLITE_INTEGER:
  case SQLITE_FLOAT: /* SQLite's own rendering of numbers, as its CLI shows */
    c->right = 1;
    c->text = strdup((const char *)sqlite3_column_text(s, i));
    break;
  default:
    c->text = escape((const char *)sqlite3_column_text(s, i));
  }
  return c->text ? 0 : -1;
}

static void print_table(const table *t, FILE *out) {
  size_t *w = calloc((size_t)t->ncols, sizeof *w);
  int *right = calloc((size_t)t->ncols, sizeof *right);
  if (!w || !right) goto done;
  for (int j = 0; j < t->ncols; j++) {
    int any = 0, all = 1;
    for (size_t i = 0; i < t->nrows; i++) {
      const cell *c = &t->cells[i * (size_t)t->ncols + (size_t)j];
      size_t cw = width(c->text ? c->text : "NULL");
      if (cw > w[j]) w[j] = cw;
      if (i > 0 && c->text) any = 1, all &= c->right;
    }
    right[j] = any && all; /* the header follows an all-number column */
  }
  for (size_t i = 0; i < t->nrows; i++) {
    for (int j = 0; j < t->ncols; j++) {
      const cell *c = &t->cells[i * (size_t)t->ncols + (size_t)j];
      const char *txt = c->text ? c->text : "NULL";
      int pad = (int)(w[j] - width(txt));
      int r = i == 0 ? right[j] : c->right;
      int last = j == t->ncols - 1;
      if (r) fprintf(out, "%*s%s", pad, "", txt);
      else fprintf(out, "%s%*s", txt, last ? 0 : pad, "");
      fputs(last ? "\n" : "  ", out);
    }
    if (i == 0)
      for (int j = 0; j < t->ncols; j++) {
        for (size_t k = 0; k < w[j]; k++) fputc('-', out);
        fputs(j == t->ncols - 1 ? "\n" : "  ", out);
      }
  }
  fprintf(out, "(%zu row%s)\n", t->nrows - 1, t->nrows == 2 ? "" : "s");
done:
  free(w);
  free(right);
}

/* Step s to the end, printing its rows as a table if it has columns. */
static int print_stmt(db *d, sqlite3_stmt *s, FILE *out, const char *what,
                      sim_err *err) {
  table t = {.ncols = sqlite3_column_count(s)};
  int rc, code = 0;
  if (t.ncols > 0) {
    if (table_grow(&t)) goto nomem;
    memset(t.cells, 0, (size_t)t.ncols * sizeof *t.cells);
    t.nrows = 1; /* the header; table_free frees what exists of it */
    for (int j = 0; j < t.ncols; j++)
      if (!(t.cells[j].text = escape(sqlite3_column_name(s, j) ? sqlite3_column_name(s, j) : "?")))
        goto nomem;
  }
  while ((rc = db__step(d, s)) == SQLITE_ROW) {
    if (t.ncols == 0) continue;
    if (table_grow(&t)) goto nomem;
    cell *row = &t.cells[t.nrows * (size_t)t.ncols];
    int bad = 0;
    for (int j = 0; j < t.ncols; j++)
      if (bad) row[j].text = NULL;
      else bad = column_cell(s, j, &row[j]);
    t.nrows++;
    if (bad) goto nomem;
  }
  if (rc != SQLITE_DONE) {
    code = db__fail(d, err, rc, "%s", what);
  } else if (t.ncols > 0) {
    print_table(&t, out);
    if (ferror(out))
      code = sim_errf(err, SIM_EIO, "%s: %s: writing the result failed", d->path, what);
  }
  table_free(&t);
  return code;
nomem:
  table_free(&t);
  return sim_errf(err, SIM_ENOMEM, "%s: %s: out of memory", d->path, what);
}

int db_query_print(db *d, const char *sql, FILE *out, sim_err *err) {
  if (!sql) return sim_errf(err, SIM_EINVAL, "%s: query: no SQL given", d->path);
  const char *tail = sql;
  int nstmts = 0;
  while (*tail) {
    sqlite3_stmt *s = NULL;
    const char *head = tail;
    int rc = sqlite3_prepare_v2(d->h, head, -1, &s, &tail);
    if ((rc & 0xff) == SQLITE_AUTH) /* readonly.c R1, R2 */
      return sim_errf(err, SIM_EDB, "%s: query: statement %d would write or reach outside the "
                      "database; queries are read-only (%s)", d->path, nstmts + 1,
                      sqlite3_errmsg(d->h));
    if (rc != SQLITE_OK) return db__fail(d, err, rc, "query");
    if (!s) continue; /* trailing whitespace or comment */
    nstmts++;
    if (!d->readonly && !sqlite3_stmt_readonly(s)) { /* D2 */
      sqlite3_finalize(s);
      return sim_errf(err, SIM_EDB,
                      "%s: query: statement %d would write; queries are read-only",
                      d->path, nstmts);
    }
    if (nstmts > 1) fputc('\n', out);
    int code = print_stmt(d, s, out, "query", err);
    sqlite3_finalize(s);
    if (code) return code;
  }
  if (nstmts == 0) return sim_errf(err, SIM_EINVAL, "%s: query: no SQL statement", d->path);
  return 0;
}

int db_metrics_each(db *d, int64_t run_id, const char *prefix,
                    void (*fn)(void *ctx, const char *key, double value), void *ctx,
                    sim_err *err) {
  sqlite3_stmt *s = NULL;
  int rc = db__prepare(d, "SELECT (SELECT count(*) FROM runs WHERE id = ?1), key, value "
                          "FROM (SELECT 1) LEFT JOIN metrics ON run_id = ?1 "
                          "AND substr(key, 1, length(?2)) = ?2 ORDER BY key", &s);
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "metrics of run %" PRId64, run_id);
  sqlite3_bind_int64(s, 1, run_id);
  sqlite3_bind_text(s, 2, prefix, -1, SQLITE_STATIC);
  int code = 0;
  while ((rc = db__step(d, s)) == SQLITE_ROW) {
    if (sqlite3_column_int64(s, 0) == 0) {
      code = sim_errf(err, SIM_EINVAL, "%s: no run %" PRId64, d->path, run_id);
      break;
    }
    if (sqlite3_column_type(s, 1) != SQLITE_NULL)
      fn(ctx, (const char *)sqlite3_column_text(s, 1), sqlite3_column_double(s, 2));
  }
  if (!code && rc != SQLITE_DONE) code = db__fail(d, err, rc, "metrics of run %" PRId64, run_id);
  sqlite3_finalize(s);
  return code;
}

/* The filter of db_runs_list as SQL over runs r and experiments e; the
 * names are bound (?1..?3), the user's --where is pasted in parentheses on
 * a read-only connection (D2), checked to be one expression by
 * prepare_filtered. */
#define RUNS_FROM                                                            \
  "FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id\n"          \
  "WHERE (?1 IS NULL OR e.name = ?1) AND (?2 IS NULL OR r.workload = ?2)\n"  \
  "  AND (?3 IS NULL OR r.model = ?3) AND (@WHERE@)"

/* Keys shown as their own columns already, or naming the workload again. */
#define RUNS_SHOWN_KEYS "'cpu.model', 'run.seed', 'run.iterations', 'workload.litmus'"

/* tmpl with each `token` replaced by value; NULL on no memory. */
static char *subst(const char *tmpl, const char *token, const char *value) {
  size_t n = 0, tl = strlen(token), vl = strlen(value);
  for (const char *p = strstr(tmpl, token); p; p = strstr(p + tl, token)) n++;
  char *o = malloc(strlen(tmpl) + n * vl + 1), *q = o;
  if (!o) return NULL;
  for (const char *p = tmpl, *h; ; p = h + tl) {
    if (!(h = strstr(p, token))) {
      strcpy(q, p);
      break;
    }
    memcpy(q, p, (size_t)(h - p));
    q += h - p;
    memcpy(q, value, vl);
    q += vl;
  }
  return o;
}

static int prepare_filtered(db *d, const db_runs_filter *f, const char *tmpl,
                            sqlite3_stmt **s, sim_err *err) {
  *s = NULL;
  if (f && f->where && db_where_check(f->where, err)) return SIM_EUSAGE;
  char *sql = subst(tmpl, "@WHERE@", f && f->where ? f->where : "1");
  if (!sql) return sim_errf(err, SIM_ENOMEM, "%s: listing runs: out of memory", d->path);
  const char *tail = NULL;
  int rc = sqlite3_prepare_v2(d->h, sql, -1, s, &tail);
  int trailing = rc == SQLITE_OK && tail && tail[strspn(tail, " \t\n;")];
  free(sql);
  if (rc != SQLITE_OK) {
    if (f && f->where)
      return sim_errf(err, SIM_EUSAGE, "%s: --where \"%s\": %s", d->path, f->where,
                      sqlite3_errmsg(d->h));
    return db__fail(d, err, rc, "listing runs");
  }
  if (trailing) {
    sqlite3_finalize(*s);
    *s = NULL;
    return sim_errf(err, SIM_EUSAGE, "%s: --where \"%s\": not one condition", d->path,
                    f->where);
  }
  if (f) {
    if (f->experiment) sqlite3_bind_text(*s, 1, f->experiment, -1, SQLITE_STATIC);
    if (f->workload) sqlite3_bind_text(*s, 2, f->workload, -1, SQLITE_STATIC);
    if (f->model) sqlite3_bind_text(*s, 3, f->model, -1, SQLITE_STATIC);
  }
  return 0;
}

/* The config keys whose values differ among the filtered runs, as extra
 * select columns: `, (SELECT value FROM params ...) AS "key"` each. */
static int differing_columns(db *d, const db_runs_filter *f, char **cols, sim_err *err) {
  sqlite3_stmt *s = NULL;
  *cols = NULL;
  int code = prepare_filtered(d, f,
                              "SELECT p.key FROM params p JOIN (SELECT r.id AS id " RUNS_FROM
                              ") l ON l.id = p.run_id\n"
                              "WHERE p.key NOT IN (" RUNS_SHOWN_KEYS ")\n"
                              "GROUP BY p.key\n"
                              "HAVING count(DISTINCT p.value) > 1 OR count(*) < (SELECT "
                              "count(*) FROM (SELECT r.id " RUNS_FROM "))\n"
                              "ORDER BY p.key",
                              &s, err);
  if (code) return code;
  char *acc = sqlite3_mprintf("");
  int rc;
  while (acc && (rc = db__step(d, s)) == SQLITE_ROW) {
    const char *k = (const char *)sqlite3_column_text(s, 0);
    char *next = sqlite3_mprintf("%s,\n (SELECT value FROM params WHERE run_id = r.id AND key = "
                                 "%Q) AS \"%w\"", acc, k, k);
    sqlite3_free(acc);
    acc = next;
  }
  if (!acc) code = sim_errf(err, SIM_ENOMEM, "%s: listing runs: out of memory", d->path);
  else if (rc != SQLITE_DONE) code = db__fail(d, err, rc, "listing runs");
  sqlite3_finalize(s);
  if (code) sqlite3_free(acc);
  else *cols = acc;
  return code;
}

int db_runs_print(db *d, FILE *out, sim_err *err) { return db_runs_list(d, NULL, out, err); }

int db_runs_list(db *d, const db_runs_filter *f, FILE *out, sim_err *err) {
  /* Rates as "rate [lo, hi]" (Wilson 95%): DESIGN.md asks that every
   * frequency be shown with its interval. */
#define RATE(p)                                                              \
  "CASE WHEN rr." p "_rate IS NULL THEN NULL ELSE printf('%.4g [%.4g, %.4g]', " \
  "rr." p "_rate, rr." p "_lo, rr." p "_hi) END"
  static const char sql[] =
      "SELECT r.id AS id, e.name AS experiment, r.engine AS engine,\n"
      "       r.workload AS workload, r.model AS model, r.seed AS seed,\n"
      "       r.iterations AS iterations, r.status AS status,\n"
      "       round(r.wall_s, 3) AS wall_s,\n"
      "       rr.forbidden_count AS forbidden,\n"
      "       " RATE("forbidden") " AS \"forbidden_rate [95% CI]\",\n"
      /* A done run's NULL count: its SC reference was not computed. */
      "       CASE WHEN rr.run_id IS NOT NULL AND rr.anomaly_count IS NULL THEN 'unknown'\n"
      "         ELSE rr.anomaly_count END AS anomalies,\n"
      "       CASE WHEN rr.run_id IS NOT NULL AND rr.anomaly_count IS NULL THEN 'unknown'\n"
      "         ELSE " RATE("anomaly") " END AS \"anomaly_rate [95% CI]\"@COLS@,\n"
      "       r.version AS version@CAUSES@\n"
      "FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id\n"
      "            LEFT JOIN run_rates rr ON rr.run_id = r.id\n"
      "WHERE r.id IN (SELECT r.id " RUNS_FROM ")\n"
      "ORDER BY r.id";
#undef RATE
  char *cols = NULL;
  int code = differing_columns(d, f, &cols, err);
  if (code) return code;
  char *with_cols = subst(sql, "@COLS@", cols);
  sqlite3_free(cols);
  /* run.causes: the mechanisms of each run's non-SC iterations, as
   * "kind=count", when any run of the file has them. */
  int64_t any = 0;
  sqlite3_stmt *q = NULL;
  if (db__prepare(d, "SELECT EXISTS (SELECT 1 FROM metrics WHERE key GLOB 'cause.*')", &q) ==
          SQLITE_OK &&
      db__step(d, q) == SQLITE_ROW)
    any = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  char *tmpl = with_cols ? subst(with_cols, "@CAUSES@",
                                 any ? ",\n       (SELECT group_concat(substr(m.key, 7) || '=' || "
                                       "CAST(m.value AS INTEGER), ' ') FROM metrics m\n"
                                       "        WHERE m.run_id = r.id AND m.key GLOB 'cause.*' "
                                       "AND m.key <> 'cause.explained' AND m.value > 0) AS causes"
                                     : "")
                         : NULL;
  free(with_cols);
  if (!tmpl) return sim_errf(err, SIM_ENOMEM, "%s: listing runs: out of memory", d->path);
  sqlite3_stmt *s = NULL;
  code = prepare_filtered(d, f, tmpl, &s, err);
  free(tmpl);
  if (code) return code;
  code = print_stmt(d, s, out, "listing runs", err);
  sqlite3_finalize(s);
  return code;
}

int db_run_config(db *d, int64_t run_id, char **json, sim_err *err) {
  *json = NULL;
  sqlite3_stmt *s = NULL;
  int rc = db__prepare(d, "SELECT config_json, engine FROM runs WHERE id = ?1", &s);
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "run %" PRId64, run_id);
  sqlite3_bind_int64(s, 1, run_id);
  rc = db__step(d, s);
  int code = 0;
  if (rc == SQLITE_DONE) {
    code = sim_errf(err, SIM_EINVAL, "%s: no run %" PRId64, d->path, run_id);
  } else if (rc != SQLITE_ROW) {
    code = db__fail(d, err, rc, "run %" PRId64, run_id);
  } else if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
    code = sim_errf(err, SIM_EINVAL, "%s: run %" PRId64 " (engine %s) stored no config: an "
                    "imported log cannot be replayed", d->path, run_id,
                    (const char *)sqlite3_column_text(s, 1));
  } else if (!(*json = strdup((const char *)sqlite3_column_text(s, 0)))) {
    code = sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  sqlite3_finalize(s);
  return code;
}
