/* tests/results/test_import_litmus7.c -- results/import_litmus7.c under
 * SQLite faults (STYLE.md 7, SQLite's I/O-error loops): fail the Nth
 * statement of an import of two logs (4 runs, each a SAVEPOINT inside the
 * import's one transaction) for every N until the import succeeds; after
 * each failure the database holds no run and no experiment (I2). */
#include <sqlite3.h>

#include "../check.h"
#include "results/db.h"

#define DATA MMSIM_SOURCE_DIR "/tests/data/"

static char tmpdir[64];

static long long count(const char *path, const char *sql) {
  sqlite3 *h;
  long long v = -1;
  if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
      if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
      sqlite3_finalize(s);
    }
  }
  sqlite3_close(h);
  return v;
}

static void t_fault_loop(void) {
  const char *p = check_path(tmpdir, "fault.db");
  const char *logs[] = {DATA "litmus7-x86.log", DATA "klitmus7-lkmm.log"};
  db *d = NULL;
  sim_err err = {0};
  CHECK_EQ_I64(db_open(p, &d, &err), 0);
  int n, failures = 0, rc = -1;
  for (n = 1; n < 500; n++) {
    db_import_stats st;
    db_fail_after(d, n);
    rc = db_import_litmus7(d, logs, 2, &st, &err);
    if (!rc) break;
    failures++;
    CHECK_EQ_I64(rc, SIM_EIO);
    CHECK_CONTAINS(err.msg, "injected");
    CHECK_EQ_U64(st.tests, 0);
    CHECK_EQ_I64(count(p, "SELECT count(*) FROM runs"), 0);
    CHECK_EQ_I64(count(p, "SELECT count(*) FROM experiments"), 0);
    CHECK_EQ_I64(count(p, "SELECT count(*) FROM outcomes"), 0);
  }
  db_fail_after(d, 0);
  db_close(d);
  CHECK_EQ_I64(rc, 0);
  CHECK(failures > 4 * 3); /* every run's statements were each failed once */
  CHECK_EQ_I64(count(p, "SELECT count(*) FROM runs WHERE status = 'done'"), 4);
  CHECK_EQ_I64(count(p, "SELECT sum(count) FROM outcomes"), 6000000);
}

static const check_case cases[] = {
    {"fault_loop", t_fault_loop},
    {0},
};

int main(int argc, char **argv) {
  if (check_tmpdir_make(tmpdir, sizeof tmpdir, "test_import")) return 1;
  int rc = check_main(cases, argc, argv);
  check_tmpdir_done(tmpdir, rc);
  return rc;
}
