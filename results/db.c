/* results/db.c -- opening the results database and writing runs into it.
 *
 * Also the one door every statement goes through (db__step, DI1 and DI2 in
 * db_int.h), so that db_fail_after can fail the Nth of them.
 *
 * Writing a run (D1).  db_run_write is one BEGIN IMMEDIATE transaction:
 *   1. INSERT the runs row with status 'running'
 *   2. INSERT its params, outcomes and metrics
 *   3. UPDATE status = 'done'               -- the last statement
 *   4. COMMIT
 * and any failure ROLLBACKs, so the file has either the whole run, done, or
 * nothing of it.  'running' is never visible to another connection (it only
 * exists inside the transaction); it is kept so that a reader that bypassed
 * transactions, or a future writer that streams a run in several
 * transactions, still cannot mistake a partial run for a finished one.
 * BEGIN IMMEDIATE rather than BEGIN: the write lock is taken up front, so
 * parallel sweep workers sharing one file wait in busy_timeout instead of
 * failing with SQLITE_BUSY on lock upgrade.  Called inside a transaction the
 * caller opened (import_litmus7.c writes many runs all or nothing), the run
 * is a SAVEPOINT of it instead: a failure undoes this run only and the
 * caller decides about the rest.
 *
 * Input checks.  SQLite's INTEGER is signed 64-bit, so seed, iterations,
 * sim_cycles and counts above INT64_MAX are refused (SIM_EINVAL) rather than
 * silently stored as REAL.  A metric value that is not finite is stored as
 * NULL (SQLite has no NaN); a run with one undefined ratio keeps its other
 * numbers.  experiment_id <= 0 writes NULL: the run belongs to no experiment
 * (a single `mmsim run`).
 *
 * started_at is the write time minus wall_s, in UTC ISO-8601: db_run has no
 * start time and the run is written when it ends.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/version.h"
#include "db_int.h"

/* ---- The statement door (DI1, DI2) ---- */

int db__step(db *d, sqlite3_stmt *s) {
  if (d->fail_after > 0 && --d->fail_after == 0) {
    d->injected = 1; /* DI2: fires once; the counter is now disarmed */
    return SQLITE_IOERR;
  }
  d->injected = 0;
  return sqlite3_step(s); /* DI1: the only call in results/ */
}

int db__prepare(db *d, const char *sql, sqlite3_stmt **s) {
  d->injected = 0;
  return sqlite3_prepare_v2(d->h, sql, -1, s, NULL);
}

/* sqlite3_exec, but each statement passes db__step (DI1). */
int db__exec(db *d, const char *sql) {
  const char *tail = sql;
  while (tail && *tail) {
    sqlite3_stmt *s = NULL;
    d->injected = 0;
    int rc = sqlite3_prepare_v2(d->h, tail, -1, &s, &tail);
    if (rc != SQLITE_OK) return rc;
    if (!s) continue; /* whitespace or a comment */
    while ((rc = db__step(d, s)) == SQLITE_ROW) {
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return rc;
  }
  return SQLITE_OK;
}

int db__code(int rc) {
  switch (rc & 0xff) {
  case SQLITE_IOERR:
  case SQLITE_FULL:
    return SIM_EIO;
  case SQLITE_NOTADB:
  case SQLITE_CORRUPT:
    return SIM_ESCHEMA;
  case SQLITE_CONSTRAINT:
  case SQLITE_MISMATCH:
  case SQLITE_TOOBIG:
    return SIM_EINVAL;
  case SQLITE_NOMEM:
    return SIM_ENOMEM;
  default: /* CANTOPEN, READONLY, BUSY, PERM, ERROR, ... */
    return SIM_EDB;
  }
}

int db__fail(db *d, sim_err *err, int rc, const char *fmt, ...) {
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  /* DI3: read the message now, before a ROLLBACK replaces it. */
  const char *msg = d->injected ? "disk I/O error (injected by db_fail_after)"
                    : d->h      ? sqlite3_errmsg(d->h)
                                : sqlite3_errstr(rc);
  int code = sim_errf(err, db__code(rc), "%s: %s: %s", d->path, what, msg);
  d->injected = 0;
  return code;
}

void db__rollback(db *d) {
  if (d->h && !sqlite3_get_autocommit(d->h)) db__exec(d, "ROLLBACK");
}

/* ---- The caller's transactions ---- */

int db_begin(db *d, sim_err *err) {
  if (d->readonly) return sim_errf(err, SIM_EDB, "%s: opened read-only; cannot write", d->path);
  int rc = db__exec(d, "BEGIN IMMEDIATE");
  return rc == SQLITE_OK ? 0 : db__fail(d, err, rc, "begin");
}

int db_commit(db *d, sim_err *err) {
  int rc = db__exec(d, "COMMIT");
  if (rc == SQLITE_OK) return 0;
  int code = db__fail(d, err, rc, "commit");
  db__rollback(d);
  return code;
}

void db_rollback(db *d) { db__rollback(d); }

/* ---- Lifetime ---- */

static int open_handle(const char *path, int flags, db **out, sim_err *err) {
  *out = NULL;
  if (!path || !*path)
    return sim_errf(err, SIM_EINVAL, "database path is empty");
  db *d = calloc(1, sizeof *d);
  if (!d || !(d->path = strdup(path))) {
    free(d);
    return sim_errf(err, SIM_ENOMEM, "%s: out of memory", path);
  }
  d->readonly = (flags & SQLITE_OPEN_READONLY) != 0;
  char why[256] = "";
  int rc = d->readonly ? db__readonly_open(path, &d->h, why, sizeof why)
                       : sqlite3_open_v2(path, &d->h, flags, NULL);
  if (rc != SQLITE_OK) {
    /* Not db__fail's mapping: an open that fails is a database error
     * whatever SQLite calls it (a missing directory is CANTOPEN). */
    sim_errf(err, SIM_EDB, "%s: cannot open database: %s", path,
             *why ? why : d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
    db_close(d);
    return SIM_EDB;
  }
  sqlite3_extended_result_codes(d->h, 1);
  sqlite3_busy_timeout(d->h, DB_BUSY_TIMEOUT_MS);
  *out = d;
  return 0;
}

int db_open(const char *path, db **out, sim_err *err) {
  db *d;
  int rc = open_handle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &d, err);
  if (rc) return rc;
  /* SQLite opens a write-protected file read-only without a word; the
   * first write would fail only after a whole simulation. */
  if (sqlite3_db_readonly(d->h, "main") == 1) {
    rc = sim_errf(err, SIM_EDB, "%s: the database is read-only: cannot store runs in it", path);
    goto fail;
  }
  int src = db__exec(d, "PRAGMA foreign_keys = ON");
  if (src != SQLITE_OK) {
    rc = db__fail(d, err, src, "opening");
    goto fail;
  }
  if ((rc = db__schema_migrate(d, err))) goto fail;
  *out = d;
  return 0;
fail:
  db_close(d);
  return rc;
}

int db_open_readonly(const char *path, db **out, sim_err *err) {
  db *d;
  int rc = open_handle(path, SQLITE_OPEN_READONLY, &d, err); /* D2 */
  if (rc) return rc;
  /* A file from an older mmsim is migrated forward first, as any writing
   * command would do to it, so that reading a database never needs a run
   * written into it.  When it cannot be written, db__schema_check says so. */
  int64_t older = db__schema_older(d);
  if (older) {
    db *w = NULL;
    sim_err ignored;
    db_close(d);
    if (db_open(path, &w, &ignored) == 0)
      fprintf(stderr, "mmsim: %s: database schema migrated from version %" PRId64
                      " to %d\n", path, older, DB_SCHEMA_VERSION);
    db_close(w);
    if ((rc = open_handle(path, SQLITE_OPEN_READONLY, &d, err))) return rc;
  }
  if ((rc = db__schema_check(d, err))) {
    db_close(d);
    return rc;
  }
  *out = d;
  return 0;
}

void db_close(db *d) {
  if (!d) return;
  db__rollback(d);
  sqlite3_close_v2(d->h); /* NULL is a no-op */
  free(d->path);
  free(d);
}

void db_fail_after(db *d, int n) {
  d->fail_after = n > 0 ? n : 0;
  d->injected = 0;
}

/* ---- Writing ---- */

int db_experiment_create(db *d, const char *name, const char *config_json,
                         int64_t *id, sim_err *err) {
  if (!name || !*name)
    return sim_errf(err, SIM_EINVAL, "%s: experiment name is empty", d->path);
  sqlite3_stmt *s = NULL;
  int rc = db__prepare(d,
                       "INSERT INTO experiments(name, created_at, config_json) "
                       "VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2)",
                       &s);
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "creating experiment '%s'", name);
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  if (config_json)
    sqlite3_bind_text(s, 2, config_json, -1, SQLITE_STATIC);
  rc = db__step(d, s);
  int code = 0;
  if (rc != SQLITE_DONE)
    code = db__fail(d, err, rc, "creating experiment '%s'", name);
  else if (id)
    *id = sqlite3_last_insert_rowid(d->h);
  sqlite3_finalize(s);
  return code;
}

/* SQLite's INTEGER range (see the file comment). */
static int check_u64(db *d, const char *what, uint64_t v, sim_err *err) {
  if (v > (uint64_t)INT64_MAX)
    return sim_errf(err, SIM_EINVAL,
                    "%s: %s %" PRIu64 " exceeds SQLite's INTEGER range (2^63-1)",
                    d->path, what, v);
  return 0;
}

static int check_run(db *d, const db_run *r, sim_err *err) {
  if (!r) return sim_errf(err, SIM_EINVAL, "%s: no run to write", d->path);
  if (!r->engine || !r->workload || !r->model)
    return sim_errf(err, SIM_EINVAL, "%s: run: engine, workload and model are required",
                    d->path);
  if (isnan(r->wall_s) || r->wall_s < 0)
    return sim_errf(err, SIM_EINVAL, "%s: run wall_s %g is not a duration",
                    d->path, r->wall_s);
  int rc;
  if ((rc = check_u64(d, "run seed", r->seed, err)) ||
      (rc = check_u64(d, "run iterations", r->iterations, err)) ||
      (rc = check_u64(d, "run sim_cycles", r->sim_cycles, err)))
    return rc;
  if ((r->nparams && !r->params) || (r->noutcomes && !r->outcomes) ||
      (r->nmetrics && !r->metrics))
    return sim_errf(err, SIM_EINVAL, "%s: run has counts but no arrays", d->path);
  for (size_t i = 0; i < r->nparams; i++)
    if (!r->params[i].key || !r->params[i].value)
      return sim_errf(err, SIM_EINVAL, "%s: run param %zu has no %s", d->path, i,
                      r->params[i].key ? "value" : "key");
  for (size_t i = 0; i < r->noutcomes; i++) {
    if (!r->outcomes[i].outcome)
      return sim_errf(err, SIM_EINVAL, "%s: run outcome %zu has no text", d->path, i);
    if ((rc = check_u64(d, "outcome count", r->outcomes[i].count, err))) return rc;
  }
  for (size_t i = 0; i < r->nmetrics; i++)
    if (!r->metrics[i].key)
      return sim_errf(err, SIM_EINVAL, "%s: run metric %zu has no key", d->path, i);
  return 0;
}

/* The statements of one run write, prepared once per call. */
enum { ST_RUN, ST_PARAM, ST_OUTCOME, ST_METRIC, ST_DONE, ST_N };
static const char *const write_sql[ST_N] = {
    [ST_RUN] = ("INSERT INTO runs(experiment_id, engine, workload, model, seed, "
                "iterations, status, started_at, wall_s, sim_cycles, host, "
                "config_json, config_hash, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                "'running', strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?7), ?8, ?9, "
                "?10, ?11, ?12, ?13)"),
    [ST_PARAM] = "INSERT INTO params(run_id, key, value) VALUES (?1, ?2, ?3)",
    [ST_OUTCOME] = ("INSERT INTO outcomes(run_id, outcome, count, forbidden, "
                    "anomaly) VALUES (?1, ?2, ?3, ?4, ?5)"),
    [ST_METRIC] = "INSERT INTO metrics(run_id, key, value) VALUES (?1, ?2, ?3)",
    [ST_DONE] = "UPDATE runs SET status = 'done' WHERE id = ?1 AND status = 'running'",
};

/* Step a bound statement once and reset it for the next row. */
static int step_row(db *d, sqlite3_stmt *s) {
  int rc = db__step(d, s);
  sqlite3_reset(s);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int db_run_write(db *d, int64_t experiment_id, const db_run *r, int64_t *run_id,
                 sim_err *err) {
  int rc = check_run(d, r, err);
  if (rc) return rc;
  if (d->readonly)
    return sim_errf(err, SIM_EDB, "%s: opened read-only; cannot write a run", d->path);

  sqlite3_stmt *st[ST_N] = {0};
  int src;
  for (int i = 0; i < ST_N; i++)
    if ((src = db__prepare(d, write_sql[i], &st[i])) != SQLITE_OK) {
      rc = db__fail(d, err, src, "writing run: preparing");
      goto out;
    }
  int nested = !sqlite3_get_autocommit(d->h); /* inside the caller's transaction */
  if ((src = db__exec(d, nested ? "SAVEPOINT run_write" : "BEGIN IMMEDIATE")) != SQLITE_OK) {
    rc = db__fail(d, err, src, "writing run: begin");
    goto out;
  }

  /* 1. the run, 'running' */
  char ago[48];
  snprintf(ago, sizeof ago, "-%.3f seconds", r->wall_s);
  sqlite3_stmt *s = st[ST_RUN];
  if (experiment_id > 0) sqlite3_bind_int64(s, 1, experiment_id);
  sqlite3_bind_text(s, 2, r->engine, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, r->workload, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, r->model, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 5, (int64_t)r->seed);
  sqlite3_bind_int64(s, 6, (int64_t)r->iterations);
  sqlite3_bind_text(s, 7, ago, -1, SQLITE_STATIC);
  sqlite3_bind_double(s, 8, r->wall_s);
  sqlite3_bind_int64(s, 9, (int64_t)r->sim_cycles);
  if (r->host) sqlite3_bind_text(s, 10, r->host, -1, SQLITE_STATIC);
  if (r->config_json) sqlite3_bind_text(s, 11, r->config_json, -1, SQLITE_STATIC);
  if (r->config_hash) sqlite3_bind_text(s, 12, r->config_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 13, sim_version(), -1, SQLITE_STATIC); /* every writer, one place */
  if ((src = step_row(d, s)) != SQLITE_OK) {
    rc = db__fail(d, err, src, "writing run %s/%s/%s", r->engine, r->workload, r->model);
    goto rollback;
  }
  int64_t id = sqlite3_last_insert_rowid(d->h);

  /* 2. what it measured */
  s = st[ST_PARAM];
  for (size_t i = 0; i < r->nparams; i++) {
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, r->params[i].key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->params[i].value, -1, SQLITE_STATIC);
    if ((src = step_row(d, s)) != SQLITE_OK) {
      rc = db__fail(d, err, src, "writing run %" PRId64 ": param '%s'", id,
                    r->params[i].key);
      goto rollback;
    }
  }
  s = st[ST_OUTCOME];
  for (size_t i = 0; i < r->noutcomes; i++) {
    const db_outcome *o = &r->outcomes[i];
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, o->outcome, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (int64_t)o->count);
    sqlite3_bind_int(s, 4, o->forbidden != 0);
    if (o->anomaly)
      sqlite3_bind_text(s, 5, o->anomaly, -1, SQLITE_STATIC);
    else
      sqlite3_bind_null(s, 5);
    if ((src = step_row(d, s)) != SQLITE_OK) {
      rc = db__fail(d, err, src, "writing run %" PRId64 ": outcome '%s'", id,
                    o->outcome);
      goto rollback;
    }
  }
  s = st[ST_METRIC];
  for (size_t i = 0; i < r->nmetrics; i++) {
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, r->metrics[i].key, -1, SQLITE_STATIC);
    if (isfinite(r->metrics[i].value))
      sqlite3_bind_double(s, 3, r->metrics[i].value);
    else
      sqlite3_bind_null(s, 3);
    if ((src = step_row(d, s)) != SQLITE_OK) {
      rc = db__fail(d, err, src, "writing run %" PRId64 ": metric '%s'", id,
                    r->metrics[i].key);
      goto rollback;
    }
  }

  /* 3. done, last (D1) */
  s = st[ST_DONE];
  sqlite3_bind_int64(s, 1, id);
  if ((src = step_row(d, s)) != SQLITE_OK) {
    rc = db__fail(d, err, src, "writing run %" PRId64 ": marking done", id);
    goto rollback;
  }
  if (sqlite3_changes(d->h) != 1)
    sim_panic("%s: run %" PRId64 " vanished inside its own transaction", d->path, id);

  /* 4. */
  if ((src = db__exec(d, nested ? "RELEASE run_write" : "COMMIT")) != SQLITE_OK) {
    rc = db__fail(d, err, src, "writing run %" PRId64 ": commit", id);
    goto rollback;
  }
  if (run_id) *run_id = id;
  rc = 0;
  goto out;

rollback:
  if (nested) {
    db__exec(d, "ROLLBACK TO run_write");
    db__exec(d, "RELEASE run_write");
  } else {
    db__rollback(d);
  }
out:
  for (int i = 0; i < ST_N; i++) sqlite3_finalize(st[i]);
  return rc;
}
