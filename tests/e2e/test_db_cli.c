/* tests/e2e/test_db_cli.c -- the results database as the CLI leaves and
 * reads it, in the cases that go wrong: a run whose write fails, a
 * database in a directory the reader cannot write, queries that would
 * write, a plot --where that tries to be more than a filter, and plot
 * figures that would pool unrelated runs.
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

/* plot from the command line: runs that differ in more than the seed are
 * not pooled without --pool, --experiment picks one experiment's runs, and
 * a refused figure leaves no file behind. */
static void t_plot_pools_only_repeats(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "MP.litmus --iterations 200 --db r.db"), 0);
  CHECK_EQ_I64(cli("run " MMSIM_SOURCE_DIR "/configs/sb-tso.json --iterations 300 --db r.db "
                   "--experiment longer"), 0);
  CHECK_EQ_I64(cli("plot r.db --x model --y anomaly_rate -o f.png"), 2);
  CHECK_CONTAINS(cli_out, "would pool runs that differ in more than the seed");
  CHECK_CONTAINS(cli_out, "--experiment NAME (they come from litmus, longer)");
  CHECK(!cli_exists("f.dat") && !cli_exists("f.gp") && !cli_exists("f.png"));
  CHECK_EQ_I64(cli("plot r.db --x model --y anomaly_rate --experiment longer -o f.png"), 0);
  CHECK_EQ_I64(cli_sql_int("r.db", "SELECT count(*) FROM runs"), 2);
  CHECK_EQ_I64(cli("plot r.db --x model --y anomaly_rate --experiment nosuch -o f.png"), 2);
  CHECK_CONTAINS(cli_out, "has no experiment of that name; experiments: litmus, longer");
  CHECK_EQ_I64(cli("plot r.db --x model --y anomaly_rate --pool -o p.svg"), 0);
  CHECK_CONTAINS(cli_file("p.gp"), "pooled over");
  CHECK_EQ_I64(cli("plot r.db --histogram 1 --pool -o h.png"), 2);
}

/* A database from an older mmsim can be read at once: the reading command
 * migrates it forward (as a write would) and says so; a file that cannot
 * be written is refused with what to do. */
static void t_read_migrates_older_schema(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "MP.litmus --iterations 200 --db r.db"), 0);
  sql_exec("r.db", "PRAGMA user_version = 3");
  CHECK_EQ_I64(cli("runs r.db"), 0);
  CHECK_CONTAINS(cli_out, "r.db: database schema migrated from version 3 to");
  CHECK_CONTAINS(cli_out, "MP");
  CHECK(cli_sql_int("r.db", "PRAGMA user_version") > 3);
  sql_exec("r.db", "PRAGMA user_version = 3");
  char path[512];
  snprintf(path, sizeof path, "%s/r.db", cli_dir);
  CHECK(chmod(path, 0444) == 0);
  if (access(path, W_OK) == 0) return; /* root writes anyway: nothing to refuse */
  CHECK_EQ_I64(cli("runs r.db"), 1);
  CHECK_CONTAINS(cli_out, "cannot be written to migrate it");
}

/* query cannot write a file (VACUUM INTO) nor reach outside the database
 * (ATTACH), and cannot lift its own read-only guard. */
static void t_query_writes_nothing(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "MP.litmus --iterations 100 --db r.db"), 0);
  CHECK(cli("query r.db \"VACUUM INTO 'copy.db'\"") != 0);
  CHECK(!cli_exists("copy.db"));
  CHECK(cli("query r.db \"ATTACH 'other.db' AS o\"") != 0);
  CHECK(!cli_exists("other.db"));
  CHECK(cli("query r.db \"PRAGMA query_only = 0\"") != 0);
  CHECK_CONTAINS(cli_out, "queries are read-only");
  CHECK_EQ_I64(cli("query r.db \"PRAGMA table_info(runs)\""), 0);
  CHECK_EQ_I64(cli("query r.db \"SELECT count(*) AS n FROM runs\""), 0);
}

/* A --where is one condition: it can filter, never add rows of its own. */
static void t_where_only_filters(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "MP.litmus " LIT "SB.litmus --iterations 100 --db r.db"), 0);
  CHECK_EQ_I64(cli("plot r.db --x model --y anomaly_rate --where \"1)) UNION SELECT 1, 'forged', "
                   "NULL --\" -o f.png"), 2);
  CHECK_CONTAINS(cli_out, "must be one condition; column 2 has a ')' that closes more");
  CHECK_EQ_I64(cli("runs r.db --where \"1) UNION SELECT 1 --\""), 2);
  CHECK_CONTAINS(cli_out, "must be one condition");
  CHECK_EQ_I64(cli("runs r.db --where \"1; DROP TABLE runs\""), 2);
  CHECK_EQ_I64(cli("plot r.db --x model --y anomaly_rate --where \"r.workload = 'SB' /*\" "
                   "-o f.png"), 2);
  CHECK_CONTAINS(cli_out, "a comment (/*)");
  /* Subqueries and a ')' inside a string are a condition still. */
  CHECK_EQ_I64(cli("plot r.db --x model --y anomaly_rate --where \"r.id IN (SELECT run_id FROM "
                   "params WHERE key = 'run.seed') AND r.workload <> 'x)'\" --pool -o g.png"), 0);
}

/* A database in a directory the user cannot write can be read (WAL needs
 * a -shm file there).  Root writes anywhere, so this checks only as a user. */
static void t_read_only_directory(void) {
  if (geteuid() == 0) return;
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "MP.litmus --iterations 100 --db r.db"), 0);
  CHECK(chmod(cli_dir, 0555) == 0);
  CHECK_EQ_I64(cli("runs r.db"), 0);
  CHECK_CONTAINS(cli_out, "MP");
  CHECK_EQ_I64(cli("query r.db \"SELECT count(*) FROM runs\""), 0);
  CHECK_EQ_I64(cli("export r.db --csv"), 0);
  CHECK(chmod(cli_dir, 0755) == 0);
}

static const check_case cases[] = {
    {"query_writes_nothing", t_query_writes_nothing},
    {"where_only_filters", t_where_only_filters},
    {"read_only_directory", t_read_only_directory},
    {"read_migrates_older_schema", t_read_migrates_older_schema},
    {"failed_run_leaves_no_experiment", t_failed_run_leaves_no_experiment},
    {"plot_pools_only_repeats", t_plot_pools_only_repeats},
    {0},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
