/* tests/e2e/test_merge.c -- `mmsim merge`: shards into one database.
 *
 * Runs come over whole (params, outcomes, metrics), once: merging a shard
 * again, or a shard holding a run the output has, adds nothing; a shard of
 * another schema version or not an mmsim database is refused and the
 * output keeps exactly what it had.
 */
#include "../check.h"
#include "cli.h"
#include "results/db.h"

#define LIT MMSIM_SOURCE_DIR "/litmus/x86/"

static const char *const rows =
    "SELECT r.workload, o.outcome, o.count FROM runs r JOIN outcomes o ON o.run_id = r.id "
    "ORDER BY 1, 2";

static void t_merge(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "SB.litmus --iterations 2000 --db s1.db"), 0);
  CHECK_EQ_I64(cli("litmus " LIT "MP.litmus " LIT "SB.litmus --iterations 2000 --db s2.db"), 0);
  CHECK_EQ_I64(cli("merge out.db s1.db s2.db"), 0);
  CHECK_CONTAINS(cli_out, "s1.db: 1 run(s) merged, 0 already present");
  CHECK_CONTAINS(cli_out, "s2.db: 1 run(s) merged, 1 already present"); /* the same SB run */
  CHECK_EQ_I64(cli_sql_int("out.db", "SELECT count(*) FROM runs WHERE status = 'done'"), 2);
  char *a = cli_sql_text("s2.db", rows), *b = cli_sql_text("out.db", rows);
  CHECK_EQ_STR(a, b);
  free(a), free(b);
  const char *nmet = "SELECT count(*) FROM metrics m JOIN runs r ON r.id = m.run_id "
                     "WHERE r.workload = 'MP'";
  CHECK_EQ_I64(cli_sql_int("out.db", nmet), cli_sql_int("s2.db", nmet));
  const char *npar = "SELECT count(*) FROM params p JOIN runs r ON r.id = p.run_id "
                     "WHERE r.workload = 'MP'";
  CHECK(cli_sql_int("out.db", npar) > 20);
  CHECK_EQ_I64(cli_sql_int("out.db", npar), cli_sql_int("s2.db", npar));
  CHECK_EQ_I64(cli("merge out.db s1.db s2.db"), 0); /* again: nothing new */
  CHECK_CONTAINS(cli_out, "s2.db: 0 run(s) merged, 2 already present");
  CHECK_EQ_I64(cli_sql_int("out.db", "SELECT count(*) FROM runs"), 2);
}

static void t_refused(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "SB.litmus --iterations 500 --db out.db"), 0);
  CHECK_EQ_I64(cli("litmus " LIT "MP.litmus --iterations 500 --db future.db"), 0);
  char path[512];
  sqlite3 *h;
  snprintf(path, sizeof path, "%s/future.db", cli_dir);
  CHECK(sqlite3_open(path, &h) == SQLITE_OK); /* as a newer mmsim would leave it */
  CHECK(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_close(h);
  cli_write("notes.db", "not a database at all, but long enough to be read as one\n");
  CHECK(cli("merge out.db notes.db") != 0);
  CHECK_CONTAINS(cli_out, "notes.db");
  CHECK_EQ_I64(cli_sql_int("out.db", "SELECT count(*) FROM runs"), 1);
  CHECK(cli("merge out.db future.db") != 0);
  CHECK_CONTAINS(cli_out, "future.db");
  CHECK_EQ_I64(cli_sql_int("out.db", "SELECT count(*) FROM runs"), 1);
  CHECK_EQ_I64(cli("merge out.db"), 2);
}

/* SQLite's I/O-error loop (STYLE.md 7): fail the Nth statement of a merge,
 * for every N until one succeeds; each failed merge leaves no run behind. */
static void t_fault_loop(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "MP.litmus " LIT "SB.litmus --iterations 500 --db s.db"), 0);
  char out[512], shard[512];
  snprintf(out, sizeof out, "%s/out.db", cli_dir);
  snprintf(shard, sizeof shard, "%s/s.db", cli_dir);
  int failures = 0;
  for (int n = 1; n < 200; n++) {
    sim_err err = {0, ""};
    db *d = NULL;
    CHECK_EQ_I64(db_open(out, &d, &err), 0);
    db_fail_after(d, n);
    db_merge_stats st;
    int rc = db_merge(d, shard, &st, &err);
    db_close(d);
    long long runs = cli_sql_int("out.db", "SELECT count(*) FROM runs");
    if (rc == 0) {
      CHECK_EQ_I64(runs, 2);
      CHECK_EQ_U64(st.merged, 2);
      break;
    }
    failures++;
    CHECK_EQ_I64(runs, 0); /* nothing half merged */
  }
  CHECK(failures > 5); /* the loop did reach into the merge */
}

static const check_case cases[] = {
    {"merge", t_merge}, {"refused", t_refused}, {"fault_loop", t_fault_loop}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
