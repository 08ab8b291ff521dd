/* tests/results/test_claim.c -- results/claim.c: claims of sweep points
 * (C1-C4), the trigger that releases a claim with its run, and the
 * migration that brings a version-1 file the claims table.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check.h"
#include "results/db.h"

static char tmpdir[64];

static const char *path_of(const char *name) { return check_path(tmpdir, name); }

static int64_t sql_int(const char *path, const char *sql) {
  sqlite3 *h = NULL;
  sqlite3_stmt *s = NULL;
  int64_t v = -999;
  if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
    v = sqlite3_column_int64(s, 0);
  else
    fprintf(stderr, "  sql_int(%s): %s\n", sql, sqlite3_errmsg(h));
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

static db *open_fresh(const char *name) {
  sim_err err = {0};
  db *d = NULL;
  unlink(path_of(name));
  if (db_open(path_of(name), &d, &err)) CHECK__FAIL("db_open(%s): %s", name, err.msg);
  return d;
}

#define NAME "grid"
#define SRC "{\"sweep\":{}}"
#define HASH "0123456789abcdef"

/* alive(): the owners whose pid is in the list */
static int64_t live_pids[4];
static int alive(void *ctx, const db_owner *o) {
  (void)ctx;
  for (int i = 0; i < 4; i++)
    if (live_pids[i] == o->pid) return 1;
  return 0;
}

static db_owner owner(int64_t pid) {
  db_owner o;
  memset(&o, 0, sizeof o);
  o.pid = pid, o.pid_start = 1000 + pid;
  snprintf(o.host, sizeof o.host, "h1");
  return o;
}

static db_claim_state take(db *d, const db_owner *me, db_owner *holder) {
  sim_err err = {0};
  db_claim_state st = DB_CLAIM_DONE;
  if (db_claim_take(d, NAME, SRC, HASH, me, alive, NULL, &st, holder, &err))
    CHECK__FAIL("db_claim_take: %s", err.msg);
  return st;
}

/* A done sim run of the point in experiment (NAME, SRC). */
static void store_point(db *d) {
  sim_err err = {0};
  int64_t e = 0;
  if (db_experiment_join(d, NAME, SRC, NULL, &e, &err)) CHECK__FAIL("join: %s", err.msg);
  db_run r = {.engine = "sim", .workload = "SB", .model = "tso", .seed = 1, .iterations = 10,
              .config_hash = HASH};
  if (db_run_write(d, e, &r, NULL, &err)) CHECK__FAIL("db_run_write: %s", err.msg);
}

/* C1-C3: take, held by a live owner, taken over from a dead one, done. */
static void t_take(void) {
  db *d = open_fresh("take.db");
  const char *p = path_of("take.db");
  db_owner a = owner(11), b = owner(22), h;
  live_pids[0] = 11;
  CHECK_EQ_I64(take(d, &a, NULL), DB_CLAIM_TAKEN);
  CHECK_EQ_I64(take(d, &a, NULL), DB_CLAIM_TAKEN); /* its own claim again */
  CHECK_EQ_I64(take(d, &b, &h), DB_CLAIM_HELD);
  CHECK_EQ_I64(h.pid, 11);
  CHECK_EQ_STR(h.host, "h1");
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM claims WHERE status = 'running' AND pid = 11 "
                          "AND pid_start = 1011 AND host = 'h1'"), 1);
  live_pids[0] = 0; /* a exits */
  CHECK_EQ_I64(take(d, &b, NULL), DB_CLAIM_TAKEN);
  CHECK_EQ_I64(sql_int(p, "SELECT pid FROM claims"), 22);
  /* The same pid with another start time is another process: not a's claim. */
  db_owner a2 = owner(22);
  a2.pid_start = 5;
  live_pids[1] = 22;
  CHECK_EQ_I64(take(d, &a2, NULL), DB_CLAIM_HELD);
  /* C4: the run's commit releases the claim; then the point is done. */
  store_point(d);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM claims"), 0);
  CHECK_EQ_I64(take(d, &a, NULL), DB_CLAIM_DONE);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM claims"), 0);
  db_close(d);
  live_pids[1] = 0;
}

/* C4: release drops only the owner's own claim. */
static void t_release(void) {
  db *d = open_fresh("release.db");
  const char *p = path_of("release.db");
  sim_err err = {0};
  db_owner a = owner(11), b = owner(22);
  CHECK_EQ_I64(take(d, &a, NULL), DB_CLAIM_TAKEN);
  CHECK_EQ_I64(db_claim_release(d, NAME, SRC, HASH, &b, &err), 0);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM claims"), 1);
  CHECK_EQ_I64(db_claim_release(d, NAME, SRC, HASH, &a, &err), 0);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM claims"), 0);
  /* Nothing of the experiment is created by a claim. */
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM experiments"), 0);
  db_close(d);
}

/* A claim of another experiment (other config) is another point. */
static void t_other_experiment(void) {
  db *d = open_fresh("other.db");
  sim_err err = {0};
  db_owner a = owner(11), b = owner(22);
  live_pids[0] = 11;
  CHECK_EQ_I64(take(d, &a, NULL), DB_CLAIM_TAKEN);
  db_claim_state st;
  CHECK_EQ_I64(db_claim_take(d, NAME, "{\"other\":1}", HASH, &b, alive, NULL, &st, NULL, &err), 0);
  CHECK_EQ_I64(st, DB_CLAIM_TAKEN);
  db_close(d);
  live_pids[0] = 0;
}

/* A version-1 file (before claims) is migrated: the table and trigger come
 * in, its runs stay. */
static void t_migrate_v1(void) {
  db *d = open_fresh("v1.db");
  store_point(d);
  db_close(d);
  const char *p = path_of("v1.db");
  sql_raw(p, "DROP TRIGGER runs_release_claim; DROP TABLE claims; "
             "ALTER TABLE runs DROP COLUMN version; PRAGMA user_version = 1");
  sim_err err = {0};
  CHECK_EQ_I64(db_open(p, &d, &err), 0);
  CHECK_EQ_I64(sql_int(p, "PRAGMA user_version"), DB_SCHEMA_VERSION);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                          "('claims', 'runs_release_claim')"), 2);
  CHECK_EQ_I64(sql_int(p, "SELECT count(*) FROM runs"), 1);
  db_owner a = owner(11);
  CHECK_EQ_I64(take(d, &a, NULL), DB_CLAIM_DONE);
  db_close(d);
}

/* A failing step inside take leaves no claim and no open transaction. */
static void t_fault_loop(void) {
  const char *p = path_of("fault.db");
  db_owner a = owner(11);
  for (int n = 1; n < 20; n++) {
    db *d = open_fresh("fault.db");
    sim_err err = {0};
    db_claim_state st;
    db_fail_after(d, n);
    int rc = db_claim_take(d, NAME, SRC, HASH, &a, alive, NULL, &st, NULL, &err);
    db_fail_after(d, 0);
    int64_t nclaims = sql_int(p, "SELECT count(*) FROM claims");
    if (rc) {
      CHECK_EQ_I64(nclaims, 0);
      CHECK_CONTAINS(err.msg, "claiming point " HASH);
    } else {
      CHECK_EQ_I64(nclaims, 1);
      db_close(d);
      break;
    }
    CHECK_EQ_I64(take(d, &a, NULL), DB_CLAIM_TAKEN); /* the handle still works */
    db_close(d);
  }
}

static const check_case cases[] = {
    {"take", t_take},
    {"release", t_release},
    {"other_experiment", t_other_experiment},
    {"migrate_v1", t_migrate_v1},
    {"fault_loop", t_fault_loop},
    {0},
};

int main(int argc, char **argv) {
  if (check_tmpdir_make(tmpdir, sizeof tmpdir, "test_claim")) return 1;
  int rc = check_main(cases, argc, argv);
  check_tmpdir_done(tmpdir, rc);
  return rc;
}
