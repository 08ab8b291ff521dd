/* tests/e2e/test_cli_args.c -- one consistent command line: every argument
 * checked before anything runs, --db for every database, -h and help for
 * every command, one message prefix, the version, failed writes to stdout,
 * and what `mmsim runs` lists. */
#include <sys/stat.h>

#include "../check.h"
#include "cli.h"
#include "sweep.h"

#define LIT MMSIM_SOURCE_DIR "/litmus/"

/* Runs in a database of cli_dir, done or not. */
static long long nruns(const char *db) { return cli_sql_int(db, "SELECT count(*) FROM runs"); }

/* "mmsim ARGS" with stdout to /dev/full; stderr into cli_out. */
static int cli_full(const char *args) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "cd %s && %s %s 2>&1 >/dev/full", cli_dir, MMSIM_BIN, args);
  FILE *f = popen(cmd, "r");
  if (!f) abort();
  size_t n = fread(cli_out, 1, sizeof cli_out - 1, f);
  cli_out[n] = 0;
  int st = pclose(f);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* A bad model late in the list stores nothing and names --model. */
static void t_litmus_validates_all(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus " LIT "x86/MP.litmus --model tso,pso,bogus -n 50"),
               2);
  CHECK_CONTAINS(cli_out, "mmsim litmus: --model");
  CHECK_CONTAINS(cli_out, "bogus");
  CHECK(strstr(cli_out, "--set") == NULL);
  CHECK(strstr(cli_out, "Stored") == NULL);
  CHECK(nruns("results.db") <= 0);
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus --model tso --set cpu.bogus=1 -n 50"), 2);
  CHECK(nruns("results.db") <= 0);
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus --model tso,,pso -n 50"), 2);
  CHECK_CONTAINS(cli_out, "--model");
}

/* A write-protected database fails before anything is simulated.  Root
 * writes through file modes, so as root the command runs as nobody
 * (setpriv); the folder stays writable, as in the report, so SQLite can
 * open the file (read-only) and only a write would fail. */
static void t_readonly_db(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus -n 20 --db ro.db"), 0);
  char p[512], cmd[2048];
  snprintf(p, sizeof p, "%s/ro.db", cli_dir);
  chmod(cli_dir, 0777);
  chmod(p, 0444);
  const char *as = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  snprintf(cmd, sizeof cmd, "cd %s && %s%s litmus " LIT "x86/SB.litmus -n 300000 --db ro.db 2>&1",
           cli_dir, as, MMSIM_BIN);
  FILE *f = popen(cmd, "r");
  CHECK(f != NULL);
  size_t n = fread(cli_out, 1, sizeof cli_out - 1, f);
  cli_out[n] = 0;
  int st = pclose(f);
  CHECK_EQ_I64(WIFEXITED(st) ? WEXITSTATUS(st) : 128, 1);
  CHECK_CONTAINS(cli_out, "read-only");
  CHECK(strstr(cli_out, "Observation") == NULL); /* nothing was simulated */
  CHECK_EQ_I64(nruns("ro.db"), 1);
}

/* runs and config --defaults into a full disk: exit 1 with a message. */
static void t_full_stdout(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus -n 20"), 0);
  CHECK_EQ_I64(cli_full("runs results.db"), 1);
  CHECK_CONTAINS(cli_out, "mmsim runs: writing standard output failed");
  CHECK_EQ_I64(cli_full("config --defaults"), 1);
  CHECK_CONTAINS(cli_out, "mmsim config:");
  CHECK_EQ_I64(cli_full("--help"), 1);
}

/* --db F wherever a command reads a database; the positional form stays. */
static void t_db_flag(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus -n 20 --db my.db"), 0);
  CHECK_EQ_I64(cli("runs --db my.db"), 0);
  CHECK_CONTAINS(cli_out, "(1 row)");
  CHECK_EQ_I64(cli("runs my.db"), 0);
  CHECK_CONTAINS(cli_out, "(1 row)");
  CHECK_EQ_I64(cli("query --db my.db \"SELECT count(*) AS n FROM runs\""), 0);
  CHECK_CONTAINS(cli_out, "(1 row)");
  CHECK_EQ_I64(cli("query --db my.db"), 0);
  CHECK_CONTAINS(cli_out, "run_rates");
  CHECK_EQ_I64(cli("export --db my.db --csv"), 0);
  CHECK_CONTAINS(cli_out, "SB");
  CHECK_EQ_I64(cli("plot --db my.db --histogram 1 -o h.svg"), 0);
  CHECK_EQ_I64(cli("merge --db all.db my.db"), 0);
  CHECK_EQ_I64(nruns("all.db"), 1);
  CHECK_EQ_I64(cli("runs my.db --db my.db"), 2);
  CHECK_CONTAINS(cli_out, "given twice");
}

/* sweep's shorthands, -h and help for all, single prefix, named options. */
static void t_flags_and_help(void) {
  cli_tmpdir();
  static const char *const cmds[] = {"run", "sweep", "litmus", "config", "query", "runs",
                                     "export", "plot", "bench", "native", "calibrate",
                                     "test-coherence", "merge", "import-litmus7", "protocol"};
  for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
    CHECK_EQ_I64(cli("%s -h", cmds[i]), 0);
    CHECK_CONTAINS(cli_out, "usage: mmsim");
    CHECK_EQ_I64(cli("help %s", cmds[i]), 0);
    CHECK_CONTAINS(cli_out, "usage: mmsim");
  }
  CHECK_EQ_I64(cli("sweep -j 0 x.json"), 2);
  CHECK(strstr(cli_out, "sweep: sweep:") == NULL);
  CHECK_CONTAINS(cli_out, "mmsim sweep: -j: 0");
  CHECK_EQ_I64(cli("plot --frobnicate x.db -o a.png"), 2);
  CHECK_CONTAINS(cli_out, "--frobnicate");
  CHECK_EQ_I64(cli("sweep --bogus x.json"), 2);
  CHECK_CONTAINS(cli_out, "unknown option --bogus");
  CHECK_EQ_I64(cli("bench --reps x"), 2);
  CHECK(strstr(cli_out, "bench: bench") == NULL);
  /* The summaries: whole sentences, the text starting in one column. */
  CHECK_EQ_I64(cli("--help"), 0);
  int col = -1, lines = 0;
  for (char *l = strstr(cli_out, "\n  "); l; l = strstr(l + 1, "\n  ")) {
    char *eol = strchr(l + 1, '\n');
    char *text = l + 3 + strcspn(l + 3, " ");
    text += strspn(text, " ");
    CHECK(eol && eol[-1] == '.');
    if (col < 0) col = (int)(text - l);
    CHECK_EQ_I64(text - l, col);
    lines++;
  }
  CHECK(lines >= 15);
  /* sweep takes run's shorthands */
  cli_write("grid.json", grid_json);
  CHECK_EQ_I64(cli("sweep grid.json -j1 --db s.db --iterations 30 --seed 9"), 0);
  CHECK_EQ_I64(cli_sql_int("s.db", "SELECT count(*) FROM runs WHERE iterations = 30 AND seed "
                                   "IN (9, 10)"), 12);
  CHECK_EQ_I64(cli("sweep grid.json -j1 --db s.db --model bogus"), 2);
  CHECK_CONTAINS(cli_out, "--model");
}

/* The version: printed, and stored with every run. */
static void t_version(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("--version"), 0);
  CHECK(strncmp(cli_out, "mmsim ", 6) == 0);
  char v[128];
  snprintf(v, sizeof v, "%.*s", (int)strcspn(cli_out + 6, "\n"), cli_out + 6);
  CHECK(strlen(v) > 0);
  CHECK_EQ_I64(cli("version"), 0);
  CHECK_CONTAINS(cli_out, v);
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus -n 20"), 0);
  char *got = cli_sql_text("results.db", "SELECT version FROM runs");
  CHECK_CONTAINS(got, v);
  free(got);
  CHECK_EQ_I64(cli("runs results.db"), 0);
  CHECK_CONTAINS(cli_out, "version");
  CHECK_CONTAINS(cli_out, v);
}

/* runs: filters, and the swept keys as columns. */
static void t_runs_list(void) {
  cli_tmpdir();
  cli_write("grid.json", grid_json);
  CHECK_EQ_I64(cli("sweep grid.json -j1 --db r.db --iterations 20"), 0);
  CHECK_EQ_I64(cli("litmus " LIT "x86/MP.litmus -n 20 --db r.db"), 0);
  CHECK_EQ_I64(cli("runs r.db --experiment grid"), 0);
  CHECK_CONTAINS(cli_out, "(12 rows)");
  CHECK_CONTAINS(cli_out, "net.jitter");  /* swept: a column */
  CHECK(strstr(cli_out, "cache.l1.sets") == NULL); /* the same everywhere: none */
  CHECK_EQ_I64(cli("runs r.db --experiment grid --model sc --where \"r.seed = 5\""), 0);
  CHECK_CONTAINS(cli_out, "(3 rows)");
  CHECK_EQ_I64(cli("runs r.db --workload MP"), 0);
  CHECK_CONTAINS(cli_out, "(1 row)");
  CHECK(strstr(cli_out, "net.jitter") == NULL);
  CHECK_EQ_I64(cli("runs r.db --where \"nosuchcol = 1\""), 2);
  CHECK_CONTAINS(cli_out, "--where");
}

/* -j N: the rows a run stores are the same for every N (a litmus run with
 * its witnesses, a map scenario with its anomalies); -j takes 1 to 1024,
 * and mmsim native, whose threads are the test's, refuses it. */
static void t_jobs(void) {
  cli_tmpdir();
  for (int j = 1; j <= 2; j++) {
    CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus " LIT "x86/IRIW.litmus --model tso,weak -n 3000 "
                     "-j %d --db j%d.db", j, j), 0);
    CHECK_EQ_I64(cli("run " MMSIM_SOURCE_DIR "/configs/map/publish-flag-unsafe.json --model weak "
                     "-n 300 --set run.causes=true -j %d --db j%d.db", j, j), 0);
  }
  CHECK_CONTAINS(cli_out, "First anomaly at"); /* the runs found something to compare */
  static const char *const q[] = {
      "SELECT id, workload, model, seed, iterations, sim_cycles, config_hash FROM runs ORDER BY id",
      "SELECT run_id, outcome, count, forbidden, anomaly FROM outcomes ORDER BY run_id, outcome",
      "SELECT run_id, key, printf('%.17g', value) FROM metrics ORDER BY run_id, key"};
  for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
    char *a = cli_sql_text("j1.db", q[i]), *b = cli_sql_text("j2.db", q[i]);
    CHECK(strlen(a) > 0);
    CHECK_EQ_STR(a, b);
    free(a);
    free(b);
  }
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus -j 0"), 2);
  CHECK_CONTAINS(cli_out, "mmsim litmus: -j: 0 is not 1 to 1024");
  CHECK_EQ_I64(cli("native --litmus " LIT "x86/SB.litmus -j 2"), 2);
  CHECK_CONTAINS(cli_out, "-j is for the simulator");
}

static const check_case cases[] = {{"litmus_validates_all", t_litmus_validates_all},
                                   {"jobs", t_jobs},
                                   {"readonly_db", t_readonly_db},
                                   {"full_stdout", t_full_stdout},
                                   {"db_flag", t_db_flag},
                                   {"flags_and_help", t_flags_and_help},
                                   {"version", t_version},
                                   {"runs_list", t_runs_list},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
