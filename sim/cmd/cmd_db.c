/* sim/cmd/cmd_db.c -- the commands that read or fill a results database:
 * query, runs, export, merge, import-litmus7. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../results/db.h"
#include "cmd_int.h"

/* --- query, runs, export ------------------------------------------------- */

static int open_ro(const char *cmd, int argc, char **argv, db **d, sim_err *err) {
  if (argc < 2 || argv[1][0] == '-') return cmd__usage_error(err, cmd, "expected DB");
  return db_open_readonly(argv[1], d, err);
}

static int cmd_query(int argc, char **argv, sim_err *err) {
  if (argc >= 2 && strcmp(argv[1], "--help") == 0) return cmd__usage_of("query"), 0;
  if (argc > 3) return cmd__usage_error(err, "query", "expected DB and at most one SQL statement");
  db *d;
  int rc = open_ro("query", argc, argv, &d, err);
  if (rc) return rc;
  const char *sql = argc == 3 ? argv[2]
                              : "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE "
                                "'sqlite_%' ORDER BY type, name";
  rc = db_query_print(d, sql, stdout, err);
  db_close(d);
  return rc;
}

const cmd_desc cmd_query_desc = {"query", "query DB [SQL]",
     "Run one SQL statement on the database opened read-only and print the rows.\n"
     "Without SQL: list the tables and views.",
     cmd_query};

static int cmd_runs(int argc, char **argv, sim_err *err) {
  if (argc >= 2 && strcmp(argv[1], "--help") == 0) return cmd__usage_of("runs"), 0;
  if (argc != 2) return cmd__usage_error(err, "runs", "expected DB");
  db *d;
  int rc = open_ro("runs", argc, argv, &d, err);
  if (rc) return rc;
  rc = db_runs_print(d, stdout, err);
  db_close(d);
  return rc;
}

const cmd_desc cmd_runs_desc = {"runs", "runs DB", "List the runs with their rates.", cmd_runs};

static int cmd_export(int argc, char **argv, sim_err *err) {
  if (argc >= 2 && strcmp(argv[1], "--help") == 0) return cmd__usage_of("export"), 0;
  const char *db_path = NULL, *out_path = NULL;
  int fmt = -1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--csv") == 0) fmt = DB_CSV;
    else if (strcmp(argv[i], "--json") == 0) fmt = DB_JSON;
    else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out_path = argv[++i];
    else if (argv[i][0] != '-' && !db_path) db_path = argv[i];
    else return cmd__usage_error(err, "export", "unexpected argument");
  }
  if (!db_path || fmt < 0) return cmd__usage_error(err, "export", "expected DB and --csv or --json");
  db *d;
  int rc = db_open_readonly(db_path, &d, err);
  if (rc) return rc;
  FILE *out = out_path ? fopen(out_path, "w") : stdout;
  if (!out) rc = sim_errf(err, SIM_EIO, "%s: cannot write", out_path);
  else rc = db_export(d, (db_format)fmt, out, err);
  if (out && out != stdout && fclose(out) && !rc)
    rc = sim_errf(err, SIM_EIO, "%s: write failed", out_path);
  db_close(d);
  return rc;
}

const cmd_desc cmd_export_desc = {"export", "export DB --csv|--json [-o FILE]",
     "Every run with its params, outcomes and metrics, as CSV or JSON.", cmd_export};

/* --- merge --------------------------------------------------------------- */

/* Shards into one database: each shard in its own transaction, so a bad
 * one stops the command with the earlier ones merged and itself not. */
static int cmd_merge(int argc, char **argv, sim_err *err) {
  if (argc >= 2 && strcmp(argv[1], "--help") == 0) return cmd__usage_of("merge"), 0;
  if (argc < 3) return cmd__usage_error(err, "merge", "expected OUT.db and at least one SHARD.db");
  db *out = NULL;
  /* Every shard checked before the output is opened, and so created. */
  int rc = db_merge_check(argv[1], (const char *const *)argv + 2, (size_t)argc - 2, err);
  if (!rc) rc = db_open(argv[1], &out, err);
  for (int i = 2; i < argc && !rc; i++) {
    db_merge_stats st;
    if (!(rc = db_merge(out, argv[i], &st, err)))
      printf("%s: %" PRIu64 " run(s) merged, %" PRIu64 " already present\n", argv[i], st.merged,
             st.skipped);
  }
  if (out) db_close(out);
  return rc;
}

const cmd_desc cmd_merge_desc = {"merge", "merge OUT.db SHARD.db...",
     "Join result databases (shards of a sweep run on many machines) into OUT.db,\n"
     "created if missing.  Each shard goes in whole or not at all; runs OUT.db has\n"
     "already (same engine, workload, model, seed, iterations and config hash;\n"
     "for native runs also host and start time) are skipped, never duplicated.\n"
     "A shard that is not an mmsim database of this schema version is refused.",
     cmd_merge};

/* --- import-litmus7 ------------------------------------------------------ */

/* litmus7/klitmus7 logs as native runs: all logs or none (db_import_litmus7). */
static int cmd_import_litmus7(int argc, char **argv, sim_err *err) {
  const char *path = DEFAULT_DB;
  const char **logs = calloc((size_t)argc, sizeof *logs);
  size_t n = 0;
  if (!logs) return sim_errf(err, SIM_ENOMEM, "out of memory");
  int rc = 0;
  for (int i = 1; i < argc && !rc; i++) {
    if (strcmp(argv[i], "--help") == 0) {
      free(logs);
      return cmd__usage_of("import-litmus7"), 0;
    }
    if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) path = argv[++i];
    else if (argv[i][0] == '-' && argv[i][1]) rc = cmd__usage_error(err, "import-litmus7", "unknown option");
    else logs[n++] = argv[i];
  }
  if (!rc && !n) rc = cmd__usage_error(err, "import-litmus7", "expected at least one LOG");
  db *d = NULL;
  db_import_stats st;
  if (!rc) rc = db_open(path, &d, err);
  if (!rc) rc = db_import_litmus7(d, logs, n, &st, err);
  if (!rc)
    printf("Imported %" PRIu64 " test(s) from %" PRIu64 " log(s) into %s as native runs\n",
           st.tests, st.files, path);
  if (d) db_close(d);
  free(logs);
  return rc;
}

const cmd_desc cmd_import_litmus7_desc = {"import-litmus7", "import-litmus7 LOG... [--db F]",
     "Store litmus7 and klitmus7 logs as native runs: each test of each log one run\n"
     "(engine native, workload the test name, iterations the sum of its histogram,\n"
     "model the CPU or architecture the log names, else unknown).  Outcomes the\n"
     "condition names (*>; for forall the others) are forbidden, anomaly non_sc.\n"
     "All logs are read first: a malformed one is reported as FILE:LINE and\n"
     "nothing is stored.\n"
     "  --db F   results database (default " DEFAULT_DB ")",
     cmd_import_litmus7};
