/* tests/e2e/test_merge.c -- `mmsim merge`: shards into one database.
 *
 * Runs come over whole (params, outcomes, metrics), once: merging a shard
 * again, or a shard holding a run the output has, adds nothing; a shard of
 * another schema version or not an mmsim database is refused and the
 * output keeps exactly what it had.
 */
#include <time.h>

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

/* A database merged into itself, by any path: refused at once (it used to
 * wait 30 s for its own lock, then say "database is locked"). */
static void t_into_itself(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "SB.litmus --iterations 500 --db a.db"), 0);
  char a[512], link_path[512];
  snprintf(a, sizeof a, "%s/a.db", cli_dir);
  snprintf(link_path, sizeof link_path, "%s/hard.db", cli_dir);
  CHECK(link(a, link_path) == 0);
  time_t t0 = time(NULL);
  CHECK_EQ_I64(cli("merge a.db a.db"), 2);
  CHECK_CONTAINS(cli_out, "a.db: is the output database a.db itself");
  CHECK_EQ_I64(cli("merge a.db ./a.db"), 2);
  CHECK_EQ_I64(cli("merge a.db hard.db"), 2);
  CHECK_CONTAINS(cli_out, "hard.db: is the output database a.db itself");
  CHECK(time(NULL) - t0 < 10);
  CHECK_EQ_I64(cli_sql_int("a.db", "SELECT count(*) FROM runs"), 1);
  /* The library refuses it too, whatever the CLI checked. */
  sim_err err = {0, ""};
  db *d = NULL;
  CHECK_EQ_I64(db_open(a, &d, &err), 0);
  db_merge_stats st;
  CHECK_EQ_I64(db_merge(d, link_path, &st, &err), SIM_EINVAL);
  db_close(d);
  CHECK_CONTAINS(err.msg, "cannot be merged into itself");
}

/* A failed merge into a new file leaves no file. */
static void t_bad_shard_creates_nothing(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "SB.litmus --iterations 500 --db s.db"), 0);
  cli_write("notes.db", "not a database at all, but long enough to be read as one\n");
  CHECK(cli("merge new.db s.db notes.db") != 0);
  CHECK_CONTAINS(cli_out, "notes.db");
  CHECK(cli("merge new2.db missing.db") != 0);
  char path[512];
  snprintf(path, sizeof path, "%s/new.db", cli_dir);
  CHECK(access(path, F_OK) != 0);
  snprintf(path, sizeof path, "%s/new2.db", cli_dir);
  CHECK(access(path, F_OK) != 0);
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
    {"merge", t_merge},
    {"refused", t_refused},
    {"into_itself", t_into_itself},
    {"bad_shard_creates_nothing", t_bad_shard_creates_nothing},
    {"fault_loop", t_fault_loop},
    {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
