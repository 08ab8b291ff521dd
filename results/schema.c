/* results/schema.c -- the database schema, its versions and migrations.
 *
 * PRAGMA user_version is the schema version and PRAGMA application_id marks
 * the file as mmsim's (MMSIM_APP_ID, "mmsm").  migrations[v] takes a file
 * from version v to v+1; db__schema_migrate applies the missing ones in
 * order, and the new user_version, inside one BEGIN IMMEDIATE transaction, so
 * two processes opening a fresh file at once cannot both migrate it and a
 * crash mid-migration leaves the old version intact.  A shipped migration is
 * never edited: a schema change is a new entry and DB_SCHEMA_VERSION + 1.
 *
 * Invariants:
 *   S1  The file is refused (SIM_ESCHEMA, path and both versions) before
 *       anything is written to it when its user_version is newer than ours,
 *       or when it is not ours: an application_id other than ours, or
 *       version 0 with tables already in it (someone else's database).
 *   S2  WAL is switched on only after S1, so a refused file is not touched.
 *   S3  Every view shows runs with status 'done' only (D1 in db.h).
 *
 * Tables (DESIGN.md "Interfaces"); values are what db_run_write was given:
 *   experiments(id, name, created_at, config_json)
 *   runs(id, experiment_id, engine, workload, model, seed, iterations,
 *        status, started_at, wall_s, sim_cycles, host, config_json,
 *        config_hash, version)       version: the mmsim that stored it
 *   params(run_id, key, value)       value has NUMERIC affinity: "8" is
 *        stored as the integer 8 and "tso" as text, so `value > 4` compares
 *        numbers and plots can tell a numeric axis from a text one by
 *        typeof(value).  (Rejected: TEXT, which makes '10' < '8'.)
 *   outcomes(run_id, outcome, count, forbidden, anomaly)
 *   metrics(run_id, key, value)      value REAL; NULL when not finite
 *   claims(name, config_json, config_hash, status, pid, pid_start, host,
 *          claimed_at)           (version 2) a sweep point being run now:
 *        the experiment's identity (name, config_json, as experiment.c
 *        matches it) and the point's hash, and who runs it -- pid,
 *        pid_start (the kernel's start time of that pid, /proc/PID/stat
 *        field 22, so a reused pid is told apart) and host.  See
 *        results/claim.c.  Not an experiment_id: the experiment row waits
 *        for its first run (a sweep whose first point fails leaves none).
 *
 * Triggers:
 *   runs_release_claim  (version 2) a sim run becoming 'done' deletes the
 *        claim of its point in the same transaction, whoever wrote it (a
 *        sweep worker, mmsim run, merge): a run is committed together with
 *        releasing its claim, with no extra statement in any writer.
 *
 * Views (S3), rates per iteration with Wilson 95% intervals (z = 1.96):
 *   run_rates(run_id, iterations, forbidden_count, forbidden_rate,
 *             forbidden_lo, forbidden_hi, anomaly_count, anomaly_rate,
 *             anomaly_lo, anomaly_hi)
 *       an iteration is anomalous when its outcome row has anomaly NOT NULL;
 *       forbidden when the row has forbidden = 1.  The denominator is
 *       runs.iterations; 0 iterations gives NULL rates.  (version 4) A
 *       litmus run with metric sc.complete = 0 has NULL anomaly count and
 *       rates: its SC reference was not computed, so which outcomes are
 *       non-SC is unknown.
 *   anomaly_rates(run_id, anomaly, iterations, count, rate, lo, hi)
 *       one row per run and anomaly kind that occurred; (version 4) and a
 *       'non_sc' row with NULL count and rates for a run whose SC
 *       reference is unknown.
 *   reorder_rates(run_id, kind, count, per_kop)
 *       from the metric naming convention of reorder accounting:
 *       `reorder.<kind>` is the count of reorder events of that kind and
 *       `reorder.<kind>.per_kop` the rate per 1,000 memory micro-ops
 *       (DESIGN.md "Reorder event").  A run with only one of the two gets
 *       NULL in the other column.
 *
 * Indexes: runs(experiment_id) for per-experiment listings, runs(config_hash)
 * so a resumed sweep finds the points already done, runs(workload, model)
 * for the common filters, params(key, value) and metrics(key) for plot axes
 * (the primary keys (run_id, key) serve the per-run lookups).
 */
#include <inttypes.h>
#include <stdint.h>

#include "db_int.h"

#define MMSIM_APP_ID 0x6D6D736D /* "mmsm" */

/* Wilson score interval for k successes in n trials, as SQL over two column
 * expressions.  Written once here so the three views cannot disagree:
 *   center = (p + z^2/2n) / (1 + z^2/n)
 *   half   = z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n)
 * Division by zero is NULL in SQLite, so n = 0 gives NULL, not an error. */
#define W_Z "1.96"
#define W_Z2 "3.8416"
#define W_P(k, n) "(" k " * 1.0 / " n ")"
#define W_DEN(n) "(1.0 + " W_Z2 " / " n ")"
#define W_CENTER(k, n) "((" W_P(k, n) " + " W_Z2 " / (2.0 * " n ")) / " W_DEN(n) ")"
#define W_HALF(k, n)                                                         \
  "(" W_Z " * sqrt(" W_P(k, n) " * (1.0 - " W_P(k, n) ") / " n " + " W_Z2   \
  " / (4.0 * " n " * " n ")) / " W_DEN(n) ")"
/* At k = 0 (k = n) the bound is exactly 0 (1); computed, it comes out as
 * 1e-19 from rounding, which reads as if something had been seen. */
#define W_LO(k, n)                                                           \
  "CASE WHEN " k " = 0 AND " n " > 0 THEN 0.0 ELSE max(0.0, " W_CENTER(k, n) \
  " - " W_HALF(k, n) ") END"
#define W_HI(k, n)                                                           \
  "CASE WHEN " k " = " n " AND " n " > 0 THEN 1.0 ELSE min(1.0, "             \
  W_CENTER(k, n) " + " W_HALF(k, n) ") END"
/* A rate's three columns, k of n and its interval: PREFIXrate, PREFIXlo,
 * PREFIXhi. */
#define W_COLS(k, n, prefix)                                                 \
  "  " W_P(k, n) " AS " prefix "rate,\n  " W_LO(k, n) " AS " prefix "lo,\n  " \
  W_HI(k, n) " AS " prefix "hi"

/* Version 0 -> 1: the schema of DESIGN.md. */
static const char migration_1[] =
    "PRAGMA application_id = 1835889517;\n" /* MMSIM_APP_ID in decimal */
    "CREATE TABLE experiments (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  name        TEXT NOT NULL,\n"
    "  created_at  TEXT NOT NULL,\n"
    "  config_json TEXT CHECK (config_json IS NULL OR json_valid(config_json))\n"
    ");\n"
    "CREATE TABLE runs (\n"
    "  id            INTEGER PRIMARY KEY,\n"
    "  experiment_id INTEGER REFERENCES experiments(id),\n"
    "  engine        TEXT NOT NULL CHECK (engine IN ('sim', 'native')),\n"
    "  workload      TEXT NOT NULL,\n"
    "  model         TEXT NOT NULL,\n"
    "  seed          INTEGER NOT NULL,\n"
    "  iterations    INTEGER NOT NULL CHECK (iterations >= 0),\n"
    "  status        TEXT NOT NULL CHECK (status IN ('running', 'done')),\n"
    "  started_at    TEXT NOT NULL,\n"
    "  wall_s        REAL,\n"
    "  sim_cycles    INTEGER,\n"
    "  host          TEXT,\n"
    "  config_json   TEXT CHECK (config_json IS NULL OR json_valid(config_json)),\n"
    "  config_hash   TEXT\n"
    ");\n"
    "CREATE INDEX runs_experiment ON runs(experiment_id);\n"
    "CREATE INDEX runs_config_hash ON runs(config_hash);\n"
    "CREATE INDEX runs_workload_model ON runs(workload, model);\n"
    "CREATE TABLE params (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  key    TEXT NOT NULL,\n"
    "  value  NUMERIC,\n"
    "  PRIMARY KEY (run_id, key)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX params_key ON params(key, value);\n"
    "CREATE TABLE outcomes (\n"
    "  run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  outcome   TEXT NOT NULL,\n"
    "  count     INTEGER NOT NULL CHECK (count >= 0),\n"
    "  forbidden INTEGER NOT NULL CHECK (forbidden IN (0, 1)),\n"
    "  anomaly   TEXT,\n"
    "  PRIMARY KEY (run_id, outcome)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE metrics (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  key    TEXT NOT NULL,\n"
    "  value  REAL,\n"
    "  PRIMARY KEY (run_id, key)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX metrics_key ON metrics(key);\n"
    /* S3: every view starts from runs with status 'done'. */
    "CREATE VIEW reorder_rates AS\n"
    "SELECT k.run_id AS run_id, k.kind AS kind, c.value AS count,\n"
    "       p.value AS per_kop\n"
    "FROM (SELECT DISTINCT m.run_id AS run_id,\n"
    "        CASE WHEN m.key GLOB 'reorder.?*.per_kop'\n"
    "             THEN substr(m.key, 9, length(m.key) - 16)\n"
    "             ELSE substr(m.key, 9) END AS kind\n"
    "      FROM metrics m JOIN runs r ON r.id = m.run_id\n"
    "      WHERE r.status = 'done' AND m.key GLOB 'reorder.?*') k\n"
    "LEFT JOIN metrics c ON c.run_id = k.run_id AND c.key = 'reorder.' || k.kind\n"
    "LEFT JOIN metrics p ON p.run_id = k.run_id\n"
    "                   AND p.key = 'reorder.' || k.kind || '.per_kop';\n";

/* Version 1 -> 2: durable claims of sweep points (results/claim.c).  Its
 * own step, so that other migrations can be ordered around it. */
static const char migration_2[] =
    "CREATE TABLE claims (\n"
    "  name        TEXT NOT NULL,\n"
    "  config_json TEXT NOT NULL,\n"
    "  config_hash TEXT NOT NULL,\n"
    "  status      TEXT NOT NULL DEFAULT 'running' CHECK (status = 'running'),\n"
    "  pid         INTEGER NOT NULL,\n"
    "  pid_start   INTEGER NOT NULL,\n"
    "  host        TEXT NOT NULL,\n"
    "  claimed_at  TEXT NOT NULL,\n"
    "  PRIMARY KEY (config_hash, name, config_json)\n"
    ");\n"
    "CREATE TRIGGER runs_release_claim AFTER UPDATE OF status ON runs\n"
    "WHEN NEW.status = 'done' AND NEW.engine = 'sim' AND NEW.config_hash IS NOT NULL\n"
    "BEGIN\n"
    "  DELETE FROM claims WHERE config_hash = NEW.config_hash AND EXISTS\n"
    "    (SELECT 1 FROM experiments e WHERE e.id = NEW.experiment_id\n"
    "       AND e.name = claims.name AND e.config_json IS claims.config_json);\n"
    "END;\n";

/* Version 2 -> 3: runs.version, the `git describe` of the mmsim that stored
 * the run (sim/version.h); NULL for runs stored before it existed. */
static const char migration_version[] = "ALTER TABLE runs ADD COLUMN version TEXT;\n";

/* Version 3 -> 4: a litmus run whose SC reference search hit its budget
 * (metric sc.complete = 0, sim/run.c) has an unknown non-SC count: NULL in
 * run_rates, and an anomaly_rates row 'non_sc' with NULL count and rates,
 * rather than the 0 its outcome rows (no anomaly marked) would add up to.
 * The views are made here only, replacing version 1's on older files. */
#define SC_UNKNOWN(run)                                                      \
  "EXISTS (SELECT 1 FROM metrics u WHERE u.run_id = " run                    \
  " AND u.key = 'sc.complete' AND u.value = 0)"
static const char migration_sc_unknown[] =
    "DROP VIEW IF EXISTS run_rates;\n"
    "DROP VIEW IF EXISTS anomaly_rates;\n"
    "CREATE VIEW run_rates AS\n"
    "SELECT run_id, iterations,\n"
    "  forbidden_count,\n"
    W_COLS("forbidden_count", "iterations", "forbidden_") ",\n"
    "  anomaly_count,\n"
    W_COLS("anomaly_count", "iterations", "anomaly_") "\n"
    "FROM (SELECT r.id AS run_id, r.iterations AS iterations,\n"
    "        (SELECT coalesce(sum(o.count), 0) FROM outcomes o\n"
    "          WHERE o.run_id = r.id AND o.forbidden = 1) AS forbidden_count,\n"
    "        CASE WHEN " SC_UNKNOWN("r.id") " THEN NULL ELSE\n"
    "        (SELECT coalesce(sum(o.count), 0) FROM outcomes o\n"
    "          WHERE o.run_id = r.id AND o.anomaly IS NOT NULL) END AS anomaly_count\n"
    "      FROM runs r WHERE r.status = 'done');\n"
    "CREATE VIEW anomaly_rates AS\n"
    "SELECT run_id, anomaly, iterations, count,\n"
    W_COLS("count", "iterations", "") "\n"
    "FROM (SELECT r.id AS run_id, o.anomaly AS anomaly,\n"
    "             r.iterations AS iterations, sum(o.count) AS count\n"
    "      FROM runs r JOIN outcomes o ON o.run_id = r.id\n"
    "      WHERE r.status = 'done' AND o.anomaly IS NOT NULL\n"
    "      GROUP BY r.id, o.anomaly\n"
    "      UNION ALL\n"
    "      SELECT r.id, 'non_sc', r.iterations, NULL FROM runs r\n"
    "      WHERE r.status = 'done' AND " SC_UNKNOWN("r.id") ");\n";
#undef SC_UNKNOWN

/* migrations[v] takes version v to v + 1. */
static const char *const migrations[] = {
    migration_1,
    migration_2,
    migration_version,
    migration_sc_unknown,
};
_Static_assert(sizeof migrations / sizeof migrations[0] == DB_SCHEMA_VERSION,
               "one migration per schema version");

/* One integer from a one-row statement (a PRAGMA or a count). */
static int query_int(db *d, const char *sql, int64_t *v, sim_err *err) {
  sqlite3_stmt *s = NULL;
  int rc = db__prepare(d, sql, &s);
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "%s", sql);
  rc = db__step(d, s);
  if (rc == SQLITE_ROW) {
    *v = sqlite3_column_int64(s, 0);
    rc = SQLITE_OK;
  } else if (rc == SQLITE_DONE) {
    *v = 0;
    rc = SQLITE_OK;
  }
  int code = rc == SQLITE_OK ? 0 : db__fail(d, err, rc, "%s", sql);
  sqlite3_finalize(s);
  return code;
}

/* What the file is, read before anything is written to it (S1). */
typedef struct file_id {
  int64_t version, app_id, nobjects;
} file_id;

static int read_file_id(db *d, file_id *f, sim_err *err) {
  int rc = query_int(d, "PRAGMA user_version", &f->version, err);
  if (!rc) rc = query_int(d, "PRAGMA application_id", &f->app_id, err);
  if (!rc)
    rc = query_int(d,
                   "SELECT count(*) FROM sqlite_schema "
                   "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                   &f->nobjects, err);
  return rc;
}

/* S1.  Newer first: a future mmsim may well change application_id rules,
 * and "newer" is the more useful thing to tell the user. */
static int refuse(db *d, const file_id *f, sim_err *err) {
  if (f->version > DB_SCHEMA_VERSION)
    return sim_errf(err, SIM_ESCHEMA,
                    "%s: database schema version %" PRId64
                    " is newer than this mmsim's version %d; use a newer mmsim",
                    d->path, f->version, DB_SCHEMA_VERSION);
  if (f->app_id != 0 && f->app_id != MMSIM_APP_ID)
    return sim_errf(err, SIM_ESCHEMA,
                    "%s: not an mmsim database (application_id %#" PRIx64
                    ", schema version %" PRId64 "; mmsim's is %#x, version %d)",
                    d->path, (uint64_t)f->app_id, f->version, MMSIM_APP_ID,
                    DB_SCHEMA_VERSION);
  if (f->app_id == 0 && (f->version != 0 || f->nobjects != 0))
    return sim_errf(err, SIM_ESCHEMA,
                    "%s: not an mmsim database (it has %" PRId64
                    " tables/indexes/views but no mmsim mark; schema version %"
                    PRId64 ", mmsim's is %d)",
                    d->path, f->nobjects, f->version, DB_SCHEMA_VERSION);
  return 0;
}

int db__schema_migrate(db *d, sim_err *err) {
  file_id f;
  int rc = db__exec(d, "BEGIN IMMEDIATE");
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "opening");
  if ((rc = read_file_id(d, &f, err)) || (rc = refuse(d, &f, err))) goto fail;
  for (int64_t v = f.version; v < DB_SCHEMA_VERSION; v++) {
    int src = db__exec(d, migrations[v]);
    if (src != SQLITE_OK) {
      rc = db__fail(d, err, src, "migrating schema from version %" PRId64
                    " to %" PRId64, v, v + 1);
      goto fail;
    }
  }
  if (f.version < DB_SCHEMA_VERSION) {
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", DB_SCHEMA_VERSION);
    int src = db__exec(d, sql);
    if (src != SQLITE_OK) {
      rc = db__fail(d, err, src, "setting schema version");
      goto fail;
    }
  }
  int src = db__exec(d, "COMMIT");
  if (src != SQLITE_OK) {
    rc = db__fail(d, err, src, "committing schema");
    goto fail;
  }
  /* S2.  Switch only when needed: changing the journal mode wants the file
   * to itself, and parallel sweep workers open it all the time.  An
   * in-memory database reports "memory" and stays so.  SQLite may refuse
   * the switch at once with SQLITE_BUSY while another process holds the
   * file (it skips the busy handler there, to avoid a deadlock), so retry
   * for as long as the busy timeout, looking again first: the other
   * process is usually switching it too. */
  for (int waited = 0;; waited += 10) {
    sqlite3_stmt *s = NULL;
    src = db__prepare(d, "PRAGMA journal_mode", &s);
    if (src == SQLITE_OK) src = db__step(d, s);
    int wal = src == SQLITE_ROW &&
              (!sqlite3_stricmp((const char *)sqlite3_column_text(s, 0), "wal") ||
               !sqlite3_stricmp((const char *)sqlite3_column_text(s, 0), "memory"));
    sqlite3_finalize(s);
    if (src != SQLITE_ROW) return db__fail(d, err, src, "reading journal mode");
    if (wal || (src = db__exec(d, "PRAGMA journal_mode = WAL")) == SQLITE_OK) return 0;
    if ((src & 0xff) != SQLITE_BUSY || waited >= DB_BUSY_TIMEOUT_MS)
      return db__fail(d, err, src, "switching to WAL");
    sqlite3_sleep(10);
  }
fail:
  db__rollback(d);
  return rc;
}

int64_t db__schema_older(db *d) {
  file_id f;
  sim_err ignored;
  if (read_file_id(d, &f, &ignored) || refuse(d, &f, &ignored)) return 0;
  return f.version > 0 && f.version < DB_SCHEMA_VERSION ? f.version : 0;
}

int db__schema_check(db *d, sim_err *err) {
  file_id f;
  int rc = read_file_id(d, &f, err);
  if (!rc) rc = refuse(d, &f, err);
  if (rc) return rc;
  if (f.version == 0)
    return sim_errf(err, SIM_ESCHEMA,
                    "%s: empty database: no mmsim schema yet (version 0, "
                    "mmsim's is %d); a run writes one",
                    d->path, DB_SCHEMA_VERSION);
  if (f.version < DB_SCHEMA_VERSION)
    return sim_errf(err, SIM_ESCHEMA,
                    "%s: database schema version %" PRId64
                    " is older than this mmsim's version %d and the file "
                    "cannot be written to migrate it; copy it somewhere "
                    "writable and read the copy",
                    d->path, f.version, DB_SCHEMA_VERSION);
  return 0;
}
