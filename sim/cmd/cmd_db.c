/* sim/cmd/cmd_db.c -- the commands that read or fill a results database:
 * query, runs, export, merge, import-litmus7. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../results/db.h"
#include "cmd_int.h"

/* --- query, runs, export ------------------------------------------------- */

/* The database a reading command names: `--db F` or its first operand
 * (both forms, item of DESIGN.md's "every command takes --db"). */
static int pick_db(const char *cmd, const char *flag, const char *operand, const char **path,
                   sim_err *err) {
  if (flag && operand)
    return cmd__usage_error(err, cmd, "the database is given twice (--db and an operand)");
  if (!flag && !operand) return cmd__usage_error(err, cmd, "expected DB (or --db DB)");
  *path = flag ? flag : operand;
  return 0;
}

static int cmd_query(int argc, char **argv, sim_err *err) {
  const char *flag = NULL, *pos[2] = {0};
  int npos = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--db") == 0) {
      if (i + 1 == argc) return cmd__usage_error(err, "query", "--db needs a value");
      flag = argv[++i];
    } else if (npos == 0 && !flag && argv[i][0] == '-') { /* SQL may start with "--" */
      char what[300];
      snprintf(what, sizeof what, "unknown option %s", argv[i]);
      return cmd__usage_error(err, "query", what);
    } else if (npos == 2) {
      return cmd__usage_error(err, "query", "expected DB and at most one SQL statement");
    } else {
      pos[npos++] = argv[i];
    }
  }
  const char *path = NULL, *sql = NULL;
  if (flag) { /* then the one operand is the SQL */
    if (npos == 2) return cmd__usage_error(err, "query", "expected DB and at most one SQL statement");
    sql = pos[0];
  } else {
    sql = pos[1];
  }
  int rc = pick_db("query", flag, flag ? NULL : pos[0], &path, err);
  if (rc) return rc;
  db *d;
  if ((rc = db_open_readonly(path, &d, err))) return rc;
  if (!sql)
    sql = "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";
  rc = db_query_print(d, sql, stdout, err);
  db_close(d);
  return rc;
}

const cmd_desc cmd_query_desc = {"query", "query DB [SQL] | query --db DB [SQL]",
     "Run one SQL statement on the database opened read-only and print the rows.\n"
     "Without SQL: list the tables and views.",
     cmd_query, "Run one read-only SQL statement on a database and print the rows."};

static int cmd_runs(int argc, char **argv, sim_err *err) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},        {"experiment", required_argument, 0, 'e'},
      {"workload", required_argument, 0, 'w'},  {"model", required_argument, 0, 'm'},
      {"where", required_argument, 0, 'W'},     {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  const char *flag = NULL, *path = NULL;
  db_runs_filter f = {0};
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (ch) {
    case 'd': flag = optarg; break;
    case 'e': f.experiment = optarg; break;
    case 'w': f.workload = optarg; break;
    case 'm': f.model = optarg; break;
    case 'W': f.where = optarg; break;
    case 'h': return cmd__usage_of("runs"), 0;
    default: return cmd__bad_option(err, "runs", opts, argv[optind - 1]);
    }
  }
  if (argc - optind > 1) return cmd__usage_error(err, "runs", "expected one DB");
  int rc = pick_db("runs", flag, optind < argc ? argv[optind] : NULL, &path, err);
  if (rc) return rc;
  db *d;
  if ((rc = db_open_readonly(path, &d, err))) return rc;
  rc = db_runs_list(d, &f, stdout, err);
  db_close(d);
  return rc;
}

const cmd_desc cmd_runs_desc = {"runs",
     "runs DB [--experiment NAME] [--workload W] [--model M] [--where SQL]\n"
     "       mmsim runs --db DB [...]",
     "List the runs with their rates, the parameters that differ among them\n"
     "(one column per config key whose value is not the same in every listed\n"
     "run) and the mmsim version that stored each.\n"
     "  --db DB            the database (or give it as the operand)\n"
     "  --experiment NAME  only runs of experiments called NAME\n"
     "  --workload W       only runs of workload (litmus test or scenario) W\n"
     "  --model M          only runs under model M (native runs: the host CPU)\n"
     "  --where SQL        only runs for which this SQL condition holds, over\n"
     "                     runs r and experiments e, e.g. \"r.seed > 3\"",
     cmd_runs, "List the stored runs with their rates, parameters and mmsim version."};

static int cmd_export(int argc, char **argv, sim_err *err) {
  const char *operand = NULL, *flag = NULL, *out_path = NULL, *db_path = NULL;
  int fmt = -1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return cmd__usage_of("export"), 0;
    if (strcmp(argv[i], "--csv") == 0) fmt = DB_CSV;
    else if (strcmp(argv[i], "--json") == 0) fmt = DB_JSON;
    else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out_path = argv[++i];
    else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) flag = argv[++i];
    else if (argv[i][0] != '-' && !operand) operand = argv[i];
    else {
      char what[300];
      snprintf(what, sizeof what, "unexpected argument %s", argv[i]);
      return cmd__usage_error(err, "export", what);
    }
  }
  int rc = pick_db("export", flag, operand, &db_path, err);
  if (rc) return rc;
  if (fmt < 0) return cmd__usage_error(err, "export", "expected --csv or --json");
  db *d;
  if ((rc = db_open_readonly(db_path, &d, err))) return rc;
  FILE *out = out_path ? fopen(out_path, "w") : stdout;
  if (!out) rc = sim_errf(err, SIM_EIO, "%s: cannot write", out_path);
  else rc = db_export(d, (db_format)fmt, out, err);
  if (out && out != stdout && fclose(out) && !rc)
    rc = sim_errf(err, SIM_EIO, "%s: write failed", out_path);
  db_close(d);
  return rc;
}

const cmd_desc cmd_export_desc = {"export", "export DB --csv|--json [-o FILE] | export --db DB --csv|--json [-o FILE]",
     "Every run with its params, outcomes and metrics, as CSV or JSON.", cmd_export, "Export every run with its params, outcomes and metrics as CSV or JSON."};

/* --- merge --------------------------------------------------------------- */

/* Shards into one database: each shard in its own transaction, so a bad
 * one stops the command with the earlier ones merged and itself not. */
static int cmd_merge(int argc, char **argv, sim_err *err) {
  if (argc >= 2 && strcmp(argv[1], "--help") == 0) return cmd__usage_of("merge"), 0;
  for (int i = 1; i + 1 < argc; i++) /* --db OUT: moved to the front, OUT's operand place */
    if (strcmp(argv[i], "--db") == 0) {
      char *out_path = argv[i + 1];
      memmove(&argv[2], &argv[1], (size_t)(i - 1) * sizeof *argv);
      argv[1] = out_path;
      memmove(&argv[i + 1], &argv[i + 2], (size_t)(argc - i - 1) * sizeof *argv);
      argc--;
      break;
    }
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

const cmd_desc cmd_merge_desc = {"merge", "merge OUT.db SHARD.db... | merge --db OUT.db SHARD.db...",
     "Join result databases (shards of a sweep run on many machines) into OUT.db,\n"
     "created if missing.  Each shard goes in whole or not at all; runs OUT.db has\n"
     "already (same engine, workload, model, seed, iterations and config hash;\n"
     "for native runs also host and start time) are skipped, never duplicated.\n"
     "A shard that is not an mmsim database of this schema version is refused.",
     cmd_merge, "Join result databases (a sweep's shards) into one, without duplicates."};

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
    else if (argv[i][0] == '-' && argv[i][1]) {
      char what[300];
      snprintf(what, sizeof what, "unknown option %s", argv[i]);
      rc = cmd__usage_error(err, "import-litmus7", what);
    }
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
     cmd_import_litmus7, "Store litmus7 and klitmus7 logs as native runs."};
