/* tests/e2e/test_db_cli.c -- the results database as the CLI leaves and
 * reads it, in the cases that go wrong: a run whose write fails, a
 * database in a directory the reader cannot write, queries that would
 * write, and a plot --where that tries to be more than a filter.
 */
#include <sys/stat.h>

#include "../check.h"
#include "cli.h"

#define LIT MMSIM_SOURCE_DIR "/litmus/x86/"

/* Raw SQL on a file in cli_dir, as another program would run it. */
static void sql_exec(const char *file, const char *sql) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, file);
  sqlite3 *h = NULL;
  char *msg = NULL;
  if (sqlite3_open(path, &h) != SQLITE_OK || sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
    CHECK__FAIL("sql_exec(%s): %s", sql, msg ? msg : sqlite3_errmsg(h));
  sqlite3_close(h);
}

/* A run whose write fails leaves no experiment row (the experiment is
 * written in the run's transaction). */
static void t_failed_run_leaves_no_experiment(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "MP.litmus --iterations 200 --db r.db"), 0);
  sql_exec("r.db", "CREATE TRIGGER refuse BEFORE INSERT ON runs "
                   "BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END");
  CHECK(cli("litmus " LIT "SB.litmus --iterations 200 --db r.db") != 0);
  CHECK_CONTAINS(cli_out, "refused by a test trigger");
  CHECK(cli("run " MMSIM_SOURCE_DIR "/configs/sb-tso.json --iterations 200 --db r.db "
            "--experiment mine") != 0);
  CHECK_EQ_I64(cli_sql_int("r.db", "SELECT count(*) FROM experiments"), 1);
  CHECK_EQ_I64(cli_sql_int("r.db", "SELECT count(*) FROM runs"), 1);
}

static const check_case cases[] = {
    {"failed_run_leaves_no_experiment", t_failed_run_leaves_no_experiment},
    {0},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
