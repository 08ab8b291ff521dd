/* results/export.c -- every run with its params, outcomes and metrics, as
 * CSV or JSON, for tools outside mmsim (pandas, R, a spreadsheet).
 *
 * CSV is long ("tidy"): one row per item of a run, every row repeating the
 * run's columns, so it loads as one data frame and filters by `kind`:
 *
 *   run_id,experiment_id,experiment,engine,workload,model,seed,iterations,
 *   status,started_at,wall_s,sim_cycles,host,config_hash,version,kind,key,
 *   value,count,forbidden,anomaly
 *
 * version is the `git describe` of the mmsim that stored the run (empty
 * for runs stored before mmsim recorded it).
 *
 *   kind=run      one per run, key..anomaly empty (so a run with no items
 *                 still appears)
 *   kind=param    key, value
 *   kind=outcome  key = the outcome text, count, forbidden (0/1), anomaly
 *   kind=metric   key, value
 *
 * Rejected: one wide row per run with a column per param and metric.  It
 * reads well in a spreadsheet but has no place for an outcome's count,
 * forbidden flag and anomaly kind together, and its columns change with the
 * data.  The resolved config_json is left out of CSV: it is the params again,
 * as one unwieldy cell; JSON carries it.
 *
 * Quoting is RFC 4180: a field containing a comma, a double quote, CR or LF
 * (or leading/trailing space) is enclosed in double quotes, inner quotes
 * doubled; records end in CRLF.  NULL is an empty field.
 *
 * JSON is one object: {"format":"mmsim-export","schema_version":N,
 * "experiments":[...],"runs":[...]}, a run being
 *   {"id":..,"experiment_id":..,"engine":..,...,"config":{resolved config},
 *    "params":{"key":value,...},
 *    "outcomes":[{"outcome":..,"count":..,"forbidden":bool,"anomaly":..}],
 *    "metrics":{"key":value,...}}
 * written one run per line as it is read, so a large database never sits in
 * memory whole.  Integers are written as their exact decimal text (cJSON's
 * numbers are doubles, which would round seeds above 2^53).
 *
 * Both are read in one read transaction, so a sweep writing meanwhile
 * never shows up half in the export.
 *
 * Real numbers are written with the fewest digits that read back to the same
 * double (%.15g, else %.17g), so 0.05 stays 0.05.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "db_int.h"

/* ---- Numbers ---- */

static void fmt_real(double v, char *buf, size_t n) {
  snprintf(buf, n, "%.15g", v);
  if (strtod(buf, NULL) != v) snprintf(buf, n, "%.17g", v);
}

/* ---- CSV ---- */

static void csv_field(FILE *out, const char *s) {
  size_t n = strlen(s);
  int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
  if (!quote) quote = strpbrk(s, ",\"\r\n") != NULL;
  if (!quote) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  for (const char *p = s; *p; p++) {
    if (*p == '"') fputc('"', out);
    fputc(*p, out);
  }
  fputc('"', out);
}

static void csv_column(FILE *out, sqlite3_stmt *s, int i) {
  char buf[64];
  switch (sqlite3_column_type(s, i)) {
  case SQLITE_NULL:
    return;
  case SQLITE_INTEGER:
    fprintf(out, "%lld", (long long)sqlite3_column_int64(s, i));
    return;
  case SQLITE_FLOAT:
    fmt_real(sqlite3_column_double(s, i), buf, sizeof buf);
    fputs(buf, out);
    return;
  default:
    csv_field(out, (const char *)sqlite3_column_text(s, i));
  }
}

#define CSV_RUN_COLS                                                          \
  "r.id AS run_id, r.experiment_id AS experiment_id, e.name AS experiment, "  \
  "r.engine AS engine, r.workload AS workload, r.model AS model, "           \
  "r.seed AS seed, r.iterations AS iterations, r.status AS status, "         \
  "r.started_at AS started_at, r.wall_s AS wall_s, "                         \
  "r.sim_cycles AS sim_cycles, r.host AS host, r.config_hash AS config_hash, " \
  "r.version AS version, "
#define CSV_FROM " FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id "

static const char csv_sql[] =
    "SELECT * FROM ("
    "SELECT " CSV_RUN_COLS "'run' AS kind, NULL AS key, NULL AS value, "
    "  NULL AS count, NULL AS forbidden, NULL AS anomaly, 0 AS ord" CSV_FROM
    "UNION ALL SELECT " CSV_RUN_COLS "'param', p.key, p.value, NULL, NULL, NULL, 1"
    CSV_FROM "JOIN params p ON p.run_id = r.id "
    "UNION ALL SELECT " CSV_RUN_COLS "'outcome', o.outcome, NULL, o.count, "
    "  o.forbidden, o.anomaly, 2" CSV_FROM "JOIN outcomes o ON o.run_id = r.id "
    "UNION ALL SELECT " CSV_RUN_COLS "'metric', m.key, m.value, NULL, NULL, NULL, 3"
    CSV_FROM "JOIN metrics m ON m.run_id = r.id"
    ") ORDER BY run_id, ord, key";

static int export_csv(db *d, FILE *out, sim_err *err) {
  sqlite3_stmt *s = NULL;
  int rc = db__prepare(d, csv_sql, &s);
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "export csv");
  int ncols = sqlite3_column_count(s) - 1; /* without ord */
  for (int i = 0; i < ncols; i++) {
    if (i) fputc(',', out);
    csv_field(out, sqlite3_column_name(s, i));
  }
  fputs("\r\n", out);
  while ((rc = db__step(d, s)) == SQLITE_ROW) {
    for (int i = 0; i < ncols; i++) {
      if (i) fputc(',', out);
      csv_column(out, s, i);
    }
    fputs("\r\n", out);
  }
  int code = rc == SQLITE_DONE ? 0 : db__fail(d, err, rc, "export csv");
  sqlite3_finalize(s);
  return code;
}

/* ---- JSON ---- */

/* The value of column i; NULL only when out of memory. */
static cJSON *json_column(sqlite3_stmt *s, int i) {
  char buf[64];
  switch (sqlite3_column_type(s, i)) {
  case SQLITE_NULL:
    return cJSON_CreateNull();
  case SQLITE_INTEGER:
    snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(s, i));
    return cJSON_CreateRaw(buf);
  case SQLITE_FLOAT:
    return cJSON_CreateNumber(sqlite3_column_double(s, i));
  default:
    return cJSON_CreateString((const char *)sqlite3_column_text(s, i));
  }
}

/* Adds column i under its own name (or under `name`); 0 when out of memory. */
static int json_add(cJSON *o, const char *name, sqlite3_stmt *s, int i) {
  cJSON *v = json_column(s, i);
  return v && cJSON_AddItemToObject(o, name ? name : sqlite3_column_name(s, i), v);
}

/* Config text as JSON, or as a string if it does not parse. */
static int json_add_config(cJSON *o, sqlite3_stmt *s, int i) {
  const char *txt = (const char *)sqlite3_column_text(s, i);
  cJSON *v = txt ? cJSON_Parse(txt) : NULL;
  if (!v) v = txt ? cJSON_CreateString(txt) : cJSON_CreateNull();
  return v && cJSON_AddItemToObject(o, "config", v);
}

/* Prints o compactly; 0 when out of memory. */
static int json_print(FILE *out, const cJSON *o) {
  char *txt = cJSON_PrintUnformatted(o);
  if (!txt) return 0;
  fputs(txt, out);
  cJSON_free(txt);
  return 1;
}

enum { J_EXP, J_RUN, J_PARAM, J_OUTCOME, J_METRIC, J_N };
static const char *const json_sql[J_N] = {
    [J_EXP] = "SELECT id, name, created_at, config_json FROM experiments ORDER BY id",
    [J_RUN] = ("SELECT id, experiment_id, engine, workload, model, seed, iterations, "
               "status, started_at, wall_s, sim_cycles, host, config_hash, version, "
               "config_json FROM runs ORDER BY id"),
    [J_PARAM] = "SELECT key, value FROM params WHERE run_id = ?1 ORDER BY key",
    [J_OUTCOME] = ("SELECT outcome, count, forbidden, anomaly FROM outcomes "
                   "WHERE run_id = ?1 ORDER BY outcome"),
    [J_METRIC] = "SELECT key, value FROM metrics WHERE run_id = ?1 ORDER BY key",
};

/* Adds rows of s (bound to one run) as key -> value pairs into a new object. */
static int json_pairs(db *d, sqlite3_stmt *s, cJSON *run, const char *name, int *src) {
  cJSON *o = cJSON_AddObjectToObject(run, name);
  if (!o) return 0;
  while ((*src = db__step(d, s)) == SQLITE_ROW)
    if (!json_add(o, (const char *)sqlite3_column_text(s, 0), s, 1)) return 0;
  sqlite3_reset(s);
  return 1;
}

static int json_outcomes(db *d, sqlite3_stmt *s, cJSON *run, int *src) {
  cJSON *a = cJSON_AddArrayToObject(run, "outcomes");
  if (!a) return 0;
  while ((*src = db__step(d, s)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(a, o)) {
      cJSON_Delete(o);
      return 0;
    }
    if (!json_add(o, NULL, s, 0) || !json_add(o, NULL, s, 1) ||
        !cJSON_AddBoolToObject(o, "forbidden", sqlite3_column_int(s, 2) != 0) ||
        !json_add(o, NULL, s, 3))
      return 0;
  }
  sqlite3_reset(s);
  return 1;
}

static int export_json(db *d, FILE *out, sim_err *err) {
  sqlite3_stmt *st[J_N] = {0};
  cJSON *o = NULL;
  int src = SQLITE_DONE, code = 0;
  for (int i = 0; i < J_N; i++)
    if ((src = db__prepare(d, json_sql[i], &st[i])) != SQLITE_OK) goto dberr;
  /* One read transaction: experiments and runs from the same snapshot. */
  if ((src = db__exec(d, "BEGIN")) != SQLITE_OK) goto dberr;

  fprintf(out, "{\"format\":\"mmsim-export\",\"schema_version\":%d,\n\"experiments\":[",
          DB_SCHEMA_VERSION);
  int n = 0;
  sqlite3_stmt *s = st[J_EXP];
  while ((src = db__step(d, s)) == SQLITE_ROW) {
    if (!(o = cJSON_CreateObject())) goto nomem;
    if (!json_add(o, NULL, s, 0) || !json_add(o, NULL, s, 1) ||
        !json_add(o, NULL, s, 2) || !json_add_config(o, s, 3))
      goto nomem;
    fputs(n++ ? ",\n" : "\n", out);
    if (!json_print(out, o)) goto nomem;
    cJSON_Delete(o);
    o = NULL;
  }
  if (src != SQLITE_DONE) goto dberr;
  fputs("],\n\"runs\":[", out);

  n = 0;
  s = st[J_RUN];
  int ncols = sqlite3_column_count(s) - 1; /* config_json is last */
  while ((src = db__step(d, s)) == SQLITE_ROW) {
    if (!(o = cJSON_CreateObject())) goto nomem;
    for (int i = 0; i < ncols; i++)
      if (!json_add(o, NULL, s, i)) goto nomem;
    if (!json_add_config(o, s, ncols)) goto nomem;
    int64_t id = sqlite3_column_int64(s, 0);
    for (int k = J_PARAM; k <= J_METRIC; k++) sqlite3_bind_int64(st[k], 1, id);
    int ok = json_pairs(d, st[J_PARAM], o, "params", &src);
    if (ok && src != SQLITE_DONE) goto dberr;
    ok = ok && json_outcomes(d, st[J_OUTCOME], o, &src);
    if (ok && src != SQLITE_DONE) goto dberr;
    ok = ok && json_pairs(d, st[J_METRIC], o, "metrics", &src);
    if (ok && src != SQLITE_DONE) goto dberr;
    if (!ok) goto nomem;
    fputs(n++ ? ",\n" : "\n", out);
    if (!json_print(out, o)) goto nomem;
    cJSON_Delete(o);
    o = NULL;
  }
  if (src != SQLITE_DONE) goto dberr;
  fputs("\n]}\n", out);
  goto done;

dberr:
  code = db__fail(d, err, src, "export json");
  goto done;
nomem:
  code = sim_errf(err, SIM_ENOMEM, "%s: export json: out of memory", d->path);
done:
  cJSON_Delete(o);
  for (int i = 0; i < J_N; i++) sqlite3_finalize(st[i]);
  db__rollback(d); /* ends the read transaction; nothing was written */
  return code;
}

int db_export(db *d, db_format f, FILE *out, sim_err *err) {
  int rc;
  switch (f) {
  case DB_CSV:
    rc = export_csv(d, out, err);
    break;
  case DB_JSON:
    rc = export_json(d, out, err);
    break;
  default:
    return sim_errf(err, SIM_EINVAL, "%s: export: unknown format %d", d->path, (int)f);
  }
  if (!rc && (fflush(out) != 0 || ferror(out)))
    rc = sim_errf(err, SIM_EIO, "%s: export: writing the output failed", d->path);
  return rc;
}
