/* tests/e2e/test_demo.c -- .ci/demo, the end of the README's first command,
 * run whole (shortened by MMSIM_DEMO_QUICK=1: few iterations, a small
 * calibration grid) in a folder laid out like a checkout.
 *
 * What a user relies on: rerunning the demo never touches results.db, the
 * default database of every other command (it used to `rm -f` it); the demo
 * writes demo/demo.db, draws its ten figures, and says where they are.
 */
#include <sys/stat.h>

#include "../check.h"
#include "cli.h"

#define RUNS "SELECT id, workload, model, iterations, config_hash FROM runs ORDER BY id"

/* cli_dir/name -> the checkout's name, so the demo's relative paths
 * (litmus/..., configs/...) resolve as they do in a checkout. */
static void link_source(const char *name) {
  char from[512], to[512];
  snprintf(from, sizeof from, "%s/%s", MMSIM_SOURCE_DIR, name);
  snprintf(to, sizeof to, "%s/%s", cli_dir, name);
  if (symlink(from, to) != 0) abort();
}

static int exists(const char *name) {
  struct stat st;
  return stat(check_path(cli_dir, name), &st) == 0 && st.st_size > 0;
}

static void t_keeps_results_db(void) {
  cli_tmpdir();
  link_source("litmus");
  link_source("configs");
  /* The user's own results, in the default database. */
  CHECK_EQ_I64(cli("litmus litmus/x86/SB.litmus --model tso --iterations 100"), 0);
  char *before = cli_sql_text("results.db", RUNS);
  CHECK_CONTAINS(before, "SB|tso|100|");

  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "cd %s && MMSIM=%s MMSIM_DEMO_QUICK=1 sh %s/.ci/demo > demo.log 2>&1",
           cli_dir, MMSIM_BIN, MMSIM_SOURCE_DIR);
  int st = system(cmd);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    snprintf(cmd, sizeof cmd, "cat %s/demo.log >&2", cli_dir);
    if (system(cmd) != 0) fprintf(stderr, "no demo.log\n");
    CHECK(!"the demo exited non-zero");
  }

  char *after = cli_sql_text("results.db", RUNS);
  CHECK_EQ_STR(after, before); /* the same runs, none added, none lost */
  free(before), free(after);

  /* Everything of the demo's own lands in demo/, the fitted profile too
   * (profiles/ holds the shipped ones). */
  CHECK(exists("demo/profile.json"));
  CHECK(cli_sql_int("demo/demo.db", "SELECT count(*) FROM runs WHERE engine = 'native'") >= 4);
  CHECK_EQ_I64(cli_sql_int("demo/demo.db",
                           "SELECT count(*) FROM runs WHERE workload = 'SB' AND engine = 'sim'"),
               6); /* the x86 test once per model, the AArch64 one under arm */
  static const char *const figures[] = {
      "demo/litmus-models.png",  "demo/sb-histogram.png",  "demo/mp-iq-delay.png", "demo/mp-iq-causes.png",
      "demo/publish-flag-cost.png", "demo/native-vs-sim.png",
      "demo/calibrate-joint.png", "demo/mapbench-scaling.png",
      "demo/mapbench-inv.png", "demo/mapbench-p99.png"};
  for (size_t i = 0; i < sizeof figures / sizeof *figures; i++) {
    if (!exists(figures[i])) fprintf(stderr, "  missing %s\n", figures[i]);
    CHECK(exists(figures[i]));
  }

  /* Its last words name its database, not the user's. */
  char log[512], *text = calloc(1, 1 << 16);
  snprintf(log, sizeof log, "%s/demo.log", cli_dir);
  FILE *f = fopen(log, "r");
  CHECK(f);
  text[fread(text, 1, (1 << 16) - 1, f)] = 0;
  fclose(f);
  CHECK_CONTAINS(text, "Demo database: ");
  CHECK_CONTAINS(text, "/demo/demo.db   (try: ");
  CHECK(!strstr(text, "results.db"));
  free(text);
}

static const check_case cases[] = {
    {"keeps_results_db", t_keeps_results_db},
    {0},
};

int main(int argc, char **argv) {
  int rc = check_main(cases, argc, argv);
  if (cli_dir[0]) check_tmpdir_done(cli_dir, rc); /* kept after a failure */
  return rc;
}
