/* tests/results/test_db.c -- results/: schema, migrations, writing runs
 * (D1, with SQLite-style fault injection), read-only queries (D2), views,
 * and export.
 *
 * Each case works on its own file in a fresh temporary directory and checks
 * the file with a separate raw SQLite connection, so what is tested is what
 * another process would see, not what the db handle believes.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cJSON.h>

#include "../check.h"
#include "results/db.h"
#include "sim/version.h"

static char tmpdir[64];

static const char *path_of(const char *name) { return check_path(tmpdir, name); }

/* ---- raw looks at a file ---- */

static int64_t sql_int(const char *path, const char *sql) {
  sqlite3 *h = NULL;
  sqlite3_stmt *s = NULL;
  int64_t v = -999;
  if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
    v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 0);
  else
    fprintf(stderr, "  sql_int(%s): %s\n", sql, sqlite3_errmsg(h));
  sqlite3_finalize(s);
  sqlite3_close(h);
  return v;
}

static double sql_double(const char *path, const char *sql) {
  sqlite3 *h = NULL;
  sqlite3_stmt *s = NULL;
  double v = -999;
  if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
    v = sqlite3_column_type(s, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 0);
  else
    fprintf(stderr, "  sql_double(%s): %s\n", sql, sqlite3_errmsg(h));
  sqlite3_finalize(s);
  sqlite3_close(h);
  return v;
}

static void sql_raw(const char *path, const char *sql) {
  sqlite3 *h = NULL;
  char *msg = NULL;
  if (sqlite3_open(path, &h) != SQLITE_OK || sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
    CHECK__FAIL("sql_raw(%s): %s", sql, msg ? msg : sqlite3_errmsg(h));
  sqlite3_close(h);
}

#define CHECK_NEAR(a, b, tol)                                                  \
  do {                                                                         \
    double check_a_ = (a), check_b_ = (b);                                     \
    if (!(fabs(check_a_ - check_b_) <= (tol)))                                 \
      CHECK__FAIL("%s ~= %s: %.12g != %.12g", #a, #b, check_a_, check_b_);     \
  } while (0)

/* ---- a sample run: SB on tso, 50 forbidden of 1000 ---- */

static const db_param sample_params[] = {
    {"cpu.model", "tso"}, {"cpu.cores", "4"}, {"net.jitter", "0.5"}, {"workload.litmus", "SB"},
};
static const db_outcome sample_outcomes[] = {
    {"0:EAX=0; 1:EAX=0;", 50, 1, "mutual_exclusion"},
    {"0:EAX=0; 1:EAX=1;", 475, 0, NULL},
    {"0:EAX=1; 1:EAX=0;", 470, 0, NULL},
    {"0:EAX=1; 1:EAX=1;", 5, 0, NULL},
};
static const db_metric sample_metrics[] = {
    {"l1.misses", 1234},
    {"reorder.store_load", 12},
    {"reorder.store_load.per_kop", 3.5},
    {"reorder.store_store.per_kop", 0.25},
    {"undefined", NAN},
};

static db_run sample_run(void) {
  db_run r = {
      .engine = "sim", .workload = "SB", .model = "tso",
      .seed = 42, .iterations = 1000, .sim_cycles = 987654, .wall_s = 1.5,
      .host = "testhost", .config_json = "{\"cpu\":{\"model\":\"tso\",\"cores\":4}}",
      .config_hash = "abc123",
      .params = sample_params, .nparams = sizeof sample_params / sizeof *sample_params,
      .outcomes = sample_outcomes, .noutcomes = sizeof sample_outcomes / sizeof *sample_outcomes,
      .metrics = sample_metrics, .nmetrics = sizeof sample_metrics / sizeof *sample_metrics,
  };
  return r;
}

static db *open_fresh(const char *name) {
  sim_err err = {0};
  db *d = NULL;
  unlink(path_of(name));
  int rc = db_open(path_of(name), &d, &err);
  if (rc) CHECK__FAIL("db_open(%s): %s", name, err.msg);
  return d;
}

static int64_t write_sample(db *d) {
  sim_err err = {0};
  db_run r = sample_run();
  int64_t id = 0;
  int rc = db_run_write(d, 0, &r, &id, &err);
  if (rc) CHECK__FAIL("db_run_write: %s", err.msg);
  return id;
}

/* Output of f(d, out, err) as a string (static buffer). */
static char *capture(int (*f)(db *, FILE *, sim_err *), db *d, int *rc, sim_err *err) {
  static char *buf;
  size_t n;
  free(buf);
  buf = NULL;
  FILE *out = open_memstream(&buf, &n);
  *rc = f(d, out, err);
  fclose(out);
  return buf;
}

static const char *query_sql;
static int query_fn(db *d, FILE *out, sim_err *err) { return db_query_print(d, query_sql, out, err); }
static int runs_fn(db *d, FILE *out, sim_err *err) { return db_runs_print(d, out, err); }
static int csv_fn(db *d, FILE *out, sim_err *err) { return db_export(d, DB_CSV, out, err); }
static int json_fn(db *d, FILE *out, sim_err *err) { return db_export(d, DB_JSON, out, err); }

/* ---- schema and migrations ---- */

static void t_create_schema(void) {
  db *d = open_fresh("create.db");
  db_close(d);
  const char *p = path_of("create.db");
  CHECK_EQ_I64(sql_int(p, "PRAGMA user_version"), DB_SCHEMA_VERSION);
  CHECK_EQ_I64(sql_int(p, "PRAGMA application_id"), 0x6D6D736D);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                          "('experiments','runs','params','outcomes','metrics')"), 5);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM sqlite_schema WHERE type = 'view' AND name IN "
                          "('run_rates','anomaly_rates','reorder_rates')"), 3);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN "
                          "('runs_config_hash','params_key','metrics_key')"), 3);
  CHECK_EQ_I64(sql_int(p, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
  /* Reopening an up-to-date file migrates nothing and keeps its data. */
  sim_err err = {0};
  CHECK_EQ_I64(db_open(p, &d, &err), 0);
  write_sample(d);
  db_close(d);
  CHECK_EQ_I64(db_open(p, &d, &err), 0);
  db_close(d);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM runs"), 1);
}

static void t_migrate_empty_file(void) {
  const char *p = path_of("empty.db");
  FILE *f = fopen(p, "w");
  CHECK(f != NULL);
  fclose(f);
  sim_err err = {0};
  db *d = NULL;
  CHECK_EQ_I64(db_open(p, &d, &err), 0);
  db_close(d);
  CHECK_EQ_I64(sql_int(p, "PRAGMA user_version"), DB_SCHEMA_VERSION);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM runs"), 0);
}

static void t_refuse_newer(void) {
  const char *p = path_of("newer.db");
  unlink(p);
  sql_raw(p, "PRAGMA user_version = 99");
  sim_err err = {0};
  db *d = NULL;
  CHECK_EQ_I64(db_open(p, &d, &err), SIM_ESCHEMA);
  CHECK(d == NULL);
  CHECK_CONTAINS(err.msg, p);
  CHECK_CONTAINS(err.msg, "99");
  char newer[64];
  snprintf(newer, sizeof newer, "newer than this mmsim's version %d", DB_SCHEMA_VERSION);
  CHECK_CONTAINS(err.msg, newer);
  memset(&err, 0, sizeof err);
  CHECK_EQ_I64(db_open_readonly(p, &d, &err), SIM_ESCHEMA);
  CHECK_CONTAINS(err.msg, "99");
  /* S1, S2: refused before anything was written. */
  CHECK_EQ_I64(sql_int(p, "PRAGMA user_version"), 99);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM sqlite_schema"), 0);
  CHECK_EQ_I64(sql_int(p, "SELECT journal_mode = 'delete' FROM pragma_journal_mode"), 1);
}

static void t_refuse_foreign(void) {
  const char *p = path_of("foreign.db");
  unlink(p);
  sql_raw(p, "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)");
  sim_err err = {0};
  db *d = NULL;
  CHECK_EQ_I64(db_open(p, &d, &err), SIM_ESCHEMA);
  CHECK_CONTAINS(err.msg, p);
  CHECK_CONTAINS(err.msg, "not an mmsim database");
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM sqlite_schema"), 1);
  memset(&err, 0, sizeof err);
  CHECK_EQ_I64(db_open_readonly(p, &d, &err), SIM_ESCHEMA);
  CHECK_CONTAINS(err.msg, "not an mmsim database");

  /* Another application's mark, even with no tables. */
  const char *q = path_of("foreign_app.db");
  unlink(q);
  sql_raw(q, "PRAGMA application_id = 1234");
  CHECK_EQ_I64(db_open(q, &d, &err), SIM_ESCHEMA);
  CHECK_CONTAINS(err.msg, "application_id 0x4d2");
}

static void t_refuse_not_sqlite(void) {
  const char *p = path_of("text.db");
  FILE *f = fopen(p, "w");
  CHECK(f != NULL);
  fputs("this is a text file, long enough to be mistaken for nothing at all..........\n"
        "................................................................................\n",
        f);
  fclose(f);
  sim_err err = {0};
  db *d = NULL;
  CHECK_EQ_I64(db_open(p, &d, &err), SIM_ESCHEMA);
  CHECK_CONTAINS(err.msg, p);
  CHECK_CONTAINS(err.msg, "not a database");
}

static void t_unwritable_path(void) {
  sim_err err = {0};
  db *d = NULL;
  CHECK_EQ_I64(db_open("/nonexistent/dir/x.db", &d, &err), SIM_EDB);
  CHECK(d == NULL);
  CHECK_CONTAINS(err.msg, "/nonexistent/dir/x.db");
  CHECK_CONTAINS(err.msg, "cannot open");
  memset(&err, 0, sizeof err);
  CHECK_EQ_I64(db_open_readonly(path_of("missing.db"), &d, &err), SIM_EDB);
  CHECK_CONTAINS(err.msg, "missing.db");
}

static void t_readonly_empty_refused(void) {
  const char *p = path_of("ro_empty.db");
  FILE *f = fopen(p, "w");
  CHECK(f != NULL);
  fclose(f);
  sim_err err = {0};
  db *d = NULL;
  CHECK_EQ_I64(db_open_readonly(p, &d, &err), SIM_ESCHEMA);
  CHECK_CONTAINS(err.msg, "no mmsim schema yet");
}

/* ---- writing (D1) ---- */

static void t_write_run(void) {
  db *d = open_fresh("write.db");
  sim_err err = {0};
  int64_t eid = 0;
  CHECK_EQ_I64(db_experiment_create(d, "sweep-1", "{\"sweep\":{\"cpu.model\":[\"tso\"]}}", &eid, &err), 0);
  CHECK(eid > 0);
  db_run r = sample_run();
  int64_t id = 0;
  CHECK_EQ_I64(db_run_write(d, eid, &r, &id, &err), 0);
  CHECK(id > 0);
  db_close(d);
  const char *p = path_of("write.db");
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM runs WHERE status = 'done'"), 1);
  CHECK_EQ_I64(sql_int(p, "SELECT experiment_id FROM runs"), eid);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM params"), 4);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM outcomes"), 4);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM metrics"), 5);
  CHECK_EQ_I64(sql_int(p, "SELECT sim_cycles FROM runs"), 987654);
  /* NUMERIC affinity: numbers are numbers, names stay text. */
  CHECK_EQ_I64(sql_int(p, "SELECT typeof(value) = 'integer' FROM params WHERE key = 'cpu.cores'"), 1);
  CHECK_EQ_I64(sql_int(p, "SELECT typeof(value) = 'real' FROM params WHERE key = 'net.jitter'"), 1);
  CHECK_EQ_I64(sql_int(p, "SELECT typeof(value) = 'text' FROM params WHERE key = 'cpu.model'"), 1);
  /* A non-finite metric is stored as NULL. */
  CHECK_EQ_I64(sql_int(p, "SELECT value IS NULL FROM metrics WHERE key = 'undefined'"), 1);
  CHECK_EQ_I64(sql_int(p, "SELECT started_at LIKE '____-__-__T__:__:__Z' FROM runs"), 1);
}

static void t_write_rejects_bad_input(void) {
  db *d = open_fresh("bad.db");
  sim_err err = {0};
  db_run r = sample_run();
  r.seed = UINT64_MAX;
  CHECK_EQ_I64(db_run_write(d, 0, &r, NULL, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "seed 18446744073709551615");

  static const db_param dup[] = {{"cpu.model", "tso"}, {"cpu.model", "pso"}};
  r = sample_run();
  r.params = dup;
  r.nparams = 2;
  CHECK_EQ_I64(db_run_write(d, 0, &r, NULL, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "param 'cpu.model'");
  CHECK_CONTAINS(err.msg, "UNIQUE");

  r = sample_run();
  r.engine = "gem5";
  CHECK_EQ_I64(db_run_write(d, 0, &r, NULL, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "CHECK constraint");

  r = sample_run();
  CHECK_EQ_I64(db_run_write(d, 777, &r, NULL, &err), SIM_EINVAL); /* no experiment 777 */
  CHECK_CONTAINS(err.msg, "FOREIGN KEY");
  db_close(d);
  CHECK_EQ_I64(sql_int(path_of("bad.db"), "SELECT count(*) FROM runs"), 0);
  CHECK_EQ_I64(sql_int(path_of("bad.db"), "SELECT count(*) FROM params"), 0);
}

/* SQLite's I/O-error loop: fail step N of a run write for N = 1, 2, ...
 * until a write gets through; after each, the file holds either no trace of
 * the run or exactly one complete, done run. */
static void t_fault_loop(void) {
  db *d = open_fresh("fault.db");
  const char *p = path_of("fault.db");
  db_run r = sample_run();
  int failures = 0, n;
  for (n = 1; n < 100; n++) {
    sim_err err = {0};
    db_fail_after(d, n);
    int64_t id = -1;
    int rc = db_run_write(d, 0, &r, &id, &err);
    int64_t runs = sql_int(p, "SELECT count(*) FROM runs");
    if (rc) {
      failures++;
      CHECK_EQ_I64(rc, SIM_EIO);
      CHECK_CONTAINS(err.msg, p);
      CHECK_CONTAINS(err.msg, "writing run");
      CHECK_CONTAINS(err.msg, "injected");
      CHECK_EQ_I64(runs, 0);
    } else {
      CHECK_EQ_I64(runs, 1);
      break;
    }
    CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM params"), 0);
    CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM outcomes"), 0);
    CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM metrics"), 0);
  }
  /* BEGIN, run, 4 params, 4 outcomes, 5 metrics, done, COMMIT. */
  CHECK_EQ_I64(failures, 1 + 1 + 4 + 4 + 5 + 1 + 1);
  db_fail_after(d, 0);
  db_close(d);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM runs WHERE status = 'done'"), 1);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM params"), 4);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM outcomes"), 4);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM metrics"), 5);
}

/* The same loop over the readers: every failing step is reported, not
 * half-printed as success, and leaks nothing (run under ASan). */
static void t_read_fault_loop(void) {
  db *d = open_fresh("rfault.db");
  write_sample(d);
  write_sample(d);
  db_close(d);
  sim_err err = {0};
  CHECK_EQ_I64(db_open_readonly(path_of("rfault.db"), &d, &err), 0);
  int (*const fns[])(db *, FILE *, sim_err *) = {csv_fn, json_fn, runs_fn};
  for (size_t f = 0; f < sizeof fns / sizeof *fns; f++) {
    int n, rc = -1;
    for (n = 1; n < 200; n++) {
      db_fail_after(d, n);
      capture(fns[f], d, &rc, &err);
      if (!rc) break;
      CHECK_EQ_I64(rc, SIM_EIO);
      CHECK_CONTAINS(err.msg, "injected");
    }
    CHECK_EQ_I64(rc, 0);
    CHECK(n > 1);
  }
  db_close(d);
}

/* Parallel sweep workers: several processes open one fresh file at once
 * (one migrates, the others wait for it) and write runs side by side. */
static void t_parallel_writers(void) {
  const char *p = path_of("parallel.db");
  unlink(p);
  enum { NPROC = 6, NRUNS = 5 };
  pid_t pids[NPROC];
  for (int i = 0; i < NPROC; i++) {
    pids[i] = fork();
    CHECK(pids[i] >= 0);
    if (pids[i] == 0) {
      sim_err err = {0};
      db *d = NULL;
      if (db_open(p, &d, &err)) {
        fprintf(stderr, "  child %d: %s\n", i, err.msg);
        _exit(1);
      }
      db_run r = sample_run();
      for (int k = 0; k < NRUNS; k++)
        if (db_run_write(d, 0, &r, NULL, &err)) {
          fprintf(stderr, "  child %d: %s\n", i, err.msg);
          _exit(1);
        }
      db_close(d);
      _exit(0);
    }
  }
  int ok = 0;
  for (int i = 0; i < NPROC; i++) {
    int st = 0;
    waitpid(pids[i], &st, 0);
    ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
  }
  CHECK_EQ_I64(ok, NPROC);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM runs WHERE status = 'done'"), NPROC * NRUNS);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM params"), NPROC * NRUNS * 4);
}

/* ---- views ---- */

static void t_views(void) {
  db *d = open_fresh("views.db");
  int64_t id = write_sample(d);
  db_run z = sample_run();
  z.iterations = 0;
  z.noutcomes = 0;
  int64_t zid = 0;
  sim_err err = {0};
  CHECK_EQ_I64(db_run_write(d, 0, &z, &zid, &err), 0);
  db_close(d);
  const char *p = path_of("views.db");
  char sql[256];
#define RR(col, rid) (snprintf(sql, sizeof sql, "SELECT " col " FROM run_rates WHERE run_id = %lld", \
                               (long long)(rid)), sql)
  CHECK_EQ_I64(sql_int(p, RR("iterations", id)), 1000);
  CHECK_EQ_I64(sql_int(p, RR("forbidden_count", id)), 50);
  /* 50 of 1000: p = 0.05, Wilson 95% by hand: [0.0381301, 0.0653141]. */
  CHECK_NEAR(sql_double(p, RR("forbidden_rate", id)), 0.05, 1e-12);
  CHECK_NEAR(sql_double(p, RR("forbidden_lo", id)), 0.0381301, 1e-6);
  CHECK_NEAR(sql_double(p, RR("forbidden_hi", id)), 0.0653141, 1e-6);
  CHECK_EQ_I64(sql_int(p, RR("anomaly_count", id)), 50);
  CHECK_NEAR(sql_double(p, RR("anomaly_lo", id)), 0.0381301, 1e-6);
  CHECK_NEAR(sql_double(p, RR("anomaly_hi", id)), 0.0653141, 1e-6);
  /* None of n: the low bound is exactly 0, not a rounding residue; the high
   * bound is 1.96^2 / (n + 1.96^2) (the k = 0 Wilson bound). */
  sql_raw(p, "INSERT INTO runs(engine, workload, model, seed, iterations, status, started_at) "
             "VALUES ('sim', 'none', 'sc', 1, 2000, 'done', 'now')");
  int64_t nid = sql_int(p, "SELECT max(id) FROM runs");
  CHECK_EQ_I64(sql_int(p, RR("forbidden_lo = 0.0", nid)), 1);
  CHECK_NEAR(sql_double(p, RR("forbidden_hi", nid)), 3.8416 / (2000 + 3.8416), 1e-12);
  /* All of n: the high bound is exactly 1. */
  sql_raw(p, "INSERT INTO runs(engine, workload, model, seed, iterations, status, started_at) "
             "VALUES ('sim', 'all', 'sc', 1, 10, 'done', 'now');"
             "INSERT INTO outcomes VALUES (last_insert_rowid(), 'x', 10, 1, NULL)");
  int64_t aid = sql_int(p, "SELECT max(id) FROM runs");
  CHECK_EQ_I64(sql_int(p, RR("forbidden_hi = 1.0", aid)), 1);
  CHECK_NEAR(sql_double(p, RR("forbidden_lo", aid)), 10 / (10 + 3.8416), 1e-12);
  /* 0 iterations: no rate, not an error. */
  CHECK(isnan(sql_double(p, RR("forbidden_rate", zid))));
  CHECK(isnan(sql_double(p, RR("anomaly_lo", zid))));

  CHECK_EQ_I64(sql_int(p, "SELECT count FROM anomaly_rates WHERE anomaly = 'mutual_exclusion'"), 50);
  CHECK_NEAR(sql_double(p, "SELECT hi FROM anomaly_rates WHERE anomaly = 'mutual_exclusion'"),
             0.0653141, 1e-6);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM anomaly_rates"), 1);

  /* reorder_rates: count and per_kop side by side; kinds with one of them. */
  snprintf(sql, sizeof sql, "SELECT count(*) FROM reorder_rates WHERE run_id = %lld", (long long)id);
  CHECK_EQ_I64(sql_int(p, sql), 2);
  CHECK_EQ_I64(sql_int(p, "SELECT count FROM reorder_rates WHERE kind = 'store_load' LIMIT 1"), 12);
  CHECK_NEAR(sql_double(p, "SELECT per_kop FROM reorder_rates WHERE kind = 'store_load' LIMIT 1"), 3.5, 0);
  CHECK_NEAR(sql_double(p, "SELECT per_kop FROM reorder_rates WHERE kind = 'store_store' LIMIT 1"), 0.25, 0);
  CHECK_EQ_I64(sql_int(p, "SELECT count FROM reorder_rates WHERE kind = 'store_store' LIMIT 1"), -1);

  /* S3: a run not marked done (as a crashed writer without D1 would leave)
   * is in no view. */
  sql_raw(p, "INSERT INTO runs(engine, workload, model, seed, iterations, status, started_at) "
             "VALUES ('sim', 'MP', 'weak', 1, 10, 'running', 'now');"
             "INSERT INTO outcomes VALUES (last_insert_rowid(), 'x', 10, 1, 'stale_read');"
             "INSERT INTO metrics VALUES ((SELECT max(id) FROM runs), 'reorder.load_load', 3);");
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM run_rates"), 4);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM anomaly_rates"), 1);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM reorder_rates WHERE kind = 'load_load'"), 0);
#undef RR
}

/* ---- reading (D2) ---- */

static void t_readonly_refuses_write(void) {
  db *d = open_fresh("ro.db");
  write_sample(d);
  db_close(d);
  const char *p = path_of("ro.db");
  sim_err err = {0};
  CHECK_EQ_I64(db_open_readonly(p, &d, &err), 0);
  int rc;
  query_sql = "DELETE FROM runs";
  capture(query_fn, d, &rc, &err);
  CHECK_EQ_I64(rc, SIM_EDB);
  CHECK(strncmp(err.msg, p, strlen(p)) == 0);
  CHECK_CONTAINS(err.msg, "read-only");
  query_sql = "PRAGMA user_version = 5";
  capture(query_fn, d, &rc, &err);
  CHECK_EQ_I64(rc, SIM_EDB);
  db_run r = sample_run();
  CHECK_EQ_I64(db_run_write(d, 0, &r, NULL, &err), SIM_EDB);
  db_close(d);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM runs"), 1);
  CHECK_EQ_I64(sql_int(p, "PRAGMA user_version"), DB_SCHEMA_VERSION);

  /* A read-write handle still refuses writing queries. */
  CHECK_EQ_I64(db_open(p, &d, &err), 0);
  query_sql = "SELECT 1; DROP TABLE metrics";
  capture(query_fn, d, &rc, &err);
  CHECK_EQ_I64(rc, SIM_EDB);
  CHECK_CONTAINS(err.msg, "statement 2 would write");
  db_close(d);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM metrics"), 5);
}

static void t_query_print(void) {
  db *d = open_fresh("query.db");
  write_sample(d);
  db_close(d);
  sim_err err = {0};
  CHECK_EQ_I64(db_open_readonly(path_of("query.db"), &d, &err), 0);
  int rc;
  query_sql = "SELECT key, value FROM params ORDER BY key";
  char *out = capture(query_fn, d, &rc, &err);
  CHECK_EQ_I64(rc, 0);
  CHECK_EQ_STR(out,
               "key              value\n"
               "---------------  -----\n"
               "cpu.cores            4\n"
               "cpu.model        tso\n"
               "net.jitter         0.5\n"
               "workload.litmus  SB\n"
               "(4 rows)\n");
  query_sql = "SELECT NULL AS n, 'a\nb' AS t";
  out = capture(query_fn, d, &rc, &err);
  CHECK_EQ_I64(rc, 0);
  CHECK_EQ_STR(out, "n     t\n----  ----\nNULL  a\\nb\n(1 row)\n");
  query_sql = "SELEC 1";
  capture(query_fn, d, &rc, &err);
  CHECK_EQ_I64(rc, SIM_EDB);
  CHECK_CONTAINS(err.msg, "syntax error");

  out = capture(runs_fn, d, &rc, &err);
  CHECK_EQ_I64(rc, 0);
  CHECK_CONTAINS(out, "id  experiment  engine  workload  model  seed  iterations  status");
  CHECK_CONTAINS(out, "forbidden_rate [95% CI]");
  CHECK_CONTAINS(out, "0.05 [0.03813, 0.06531]");
  CHECK_CONTAINS(out, "(1 row)");
  db_close(d);
}

/* ---- export ---- */

static void t_export_csv(void) {
  db *d = open_fresh("csv.db");
  db_run r = sample_run();
  r.workload = "SB, \"quoted\"";
  sim_err err = {0};
  CHECK_EQ_I64(db_run_write(d, 0, &r, NULL, &err), 0);
  db_close(d);
  CHECK_EQ_I64(db_open_readonly(path_of("csv.db"), &d, &err), 0);
  int rc;
  char *out = capture(csv_fn, d, &rc, &err);
  db_close(d);
  CHECK_EQ_I64(rc, 0);
  static const char header[] =
      "run_id,experiment_id,experiment,engine,workload,model,seed,iterations,status,"
      "started_at,wall_s,sim_cycles,host,config_hash,version,kind,key,value,count,forbidden,"
      "anomaly\r\n";
  CHECK(strncmp(out, header, strlen(header)) == 0);
  CHECK_CONTAINS(out, "\r\n1,,,sim,\"SB, \"\"quoted\"\"\",tso,42,1000,done,");
  char run_row[160];
  snprintf(run_row, sizeof run_row, ",1.5,987654,testhost,abc123,%s,run,,,,,\r\n", sim_version());
  CHECK_CONTAINS(out, run_row);
  CHECK_CONTAINS(out, ",param,cpu.cores,4,,,\r\n");
  CHECK_CONTAINS(out, ",param,net.jitter,0.5,,,\r\n");
  CHECK_CONTAINS(out, ",outcome,0:EAX=0; 1:EAX=0;,,50,1,mutual_exclusion\r\n");
  CHECK_CONTAINS(out, ",outcome,0:EAX=0; 1:EAX=1;,,475,0,\r\n");
  CHECK_CONTAINS(out, ",metric,reorder.store_load.per_kop,3.5,,,\r\n");
  CHECK_CONTAINS(out, ",metric,undefined,,,,\r\n");
  size_t lines = 0;
  for (const char *c = out; (c = strstr(c, "\r\n")); c += 2) lines++;
  CHECK_EQ_U64(lines, 1 + 1 + 4 + 4 + 5); /* header, run, params, outcomes, metrics */
}

static void t_export_json(void) {
  db *d = open_fresh("json.db");
  sim_err err = {0};
  int64_t eid;
  CHECK_EQ_I64(db_experiment_create(d, "exp", "{\"sweep\":{\"net.jitter\":[0,1]}}", &eid, &err), 0);
  db_run r = sample_run();
  r.seed = 9007199254740993ULL; /* 2^53 + 1: a double would round it */
  CHECK_EQ_I64(db_run_write(d, eid, &r, NULL, &err), 0);
  db_close(d);
  CHECK_EQ_I64(db_open_readonly(path_of("json.db"), &d, &err), 0);
  int rc;
  char *out = capture(json_fn, d, &rc, &err);
  db_close(d);
  CHECK_EQ_I64(rc, 0);
  CHECK_CONTAINS(out, "\"seed\":9007199254740993");
  cJSON *j = cJSON_Parse(out);
  CHECK(j != NULL);
  CHECK_EQ_I64(cJSON_GetObjectItem(j, "schema_version")->valueint, DB_SCHEMA_VERSION);
  cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "experiments"), 0);
  CHECK_EQ_STR(cJSON_GetObjectItem(e, "name")->valuestring, "exp");
  CHECK(cJSON_IsObject(cJSON_GetObjectItem(e, "config")));
  cJSON *runs = cJSON_GetObjectItem(j, "runs");
  CHECK_EQ_I64(cJSON_GetArraySize(runs), 1);
  cJSON *run = cJSON_GetArrayItem(runs, 0);
  CHECK_EQ_STR(cJSON_GetObjectItem(run, "status")->valuestring, "done");
  CHECK_EQ_STR(cJSON_GetObjectItem(run, "version")->valuestring, sim_version());
  CHECK_EQ_I64(cJSON_GetObjectItem(run, "experiment_id")->valueint, eid);
  cJSON *cfg = cJSON_GetObjectItem(run, "config");
  CHECK_EQ_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(cfg, "cpu"), "model")->valuestring, "tso");
  cJSON *params = cJSON_GetObjectItem(run, "params");
  CHECK_EQ_I64(cJSON_GetArraySize(params), 4);
  CHECK(cJSON_IsNumber(cJSON_GetObjectItem(params, "cpu.cores")));
  CHECK_EQ_I64(cJSON_GetObjectItem(params, "cpu.cores")->valueint, 4);
  CHECK_EQ_STR(cJSON_GetObjectItem(params, "cpu.model")->valuestring, "tso");
  cJSON *outc = cJSON_GetObjectItem(run, "outcomes");
  CHECK_EQ_I64(cJSON_GetArraySize(outc), 4);
  cJSON *o0 = cJSON_GetArrayItem(outc, 0);
  CHECK_EQ_STR(cJSON_GetObjectItem(o0, "outcome")->valuestring, "0:EAX=0; 1:EAX=0;");
  CHECK_EQ_I64(cJSON_GetObjectItem(o0, "count")->valueint, 50);
  CHECK(cJSON_IsTrue(cJSON_GetObjectItem(o0, "forbidden")));
  CHECK_EQ_STR(cJSON_GetObjectItem(o0, "anomaly")->valuestring, "mutual_exclusion");
  CHECK(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(outc, 1), "anomaly")));
  cJSON *m = cJSON_GetObjectItem(run, "metrics");
  CHECK_EQ_I64(cJSON_GetArraySize(m), 5);
  CHECK(cJSON_GetObjectItem(m, "reorder.store_load.per_kop")->valuedouble == 3.5);
  CHECK(cJSON_IsNull(cJSON_GetObjectItem(m, "undefined")));
  cJSON_Delete(j);
}

static const check_case cases[] = {
    {"create_schema", t_create_schema},
    {"migrate_empty_file", t_migrate_empty_file},
    {"refuse_newer", t_refuse_newer},
    {"refuse_foreign", t_refuse_foreign},
    {"refuse_not_sqlite", t_refuse_not_sqlite},
    {"unwritable_path", t_unwritable_path},
    {"readonly_empty_refused", t_readonly_empty_refused},
    {"write_run", t_write_run},
    {"write_rejects_bad_input", t_write_rejects_bad_input},
    {"fault_loop", t_fault_loop},
    {"read_fault_loop", t_read_fault_loop},
    {"parallel_writers", t_parallel_writers},
    {"views", t_views},
    {"readonly_refuses_write", t_readonly_refuses_write},
    {"query_print", t_query_print},
    {"export_csv", t_export_csv},
    {"export_json", t_export_json},
    {0},
};

int main(int argc, char **argv) {
  if (check_tmpdir_make(tmpdir, sizeof tmpdir, "test_db")) return 1;
  int rc = check_main(cases, argc, argv);
  check_tmpdir_done(tmpdir, rc);
  return rc;
}
