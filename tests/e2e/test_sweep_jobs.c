/* tests/e2e/test_sweep_jobs.c -- `mmsim sweep --emit-jobs` through GNU
 * parallel and `mmsim merge`: the shards merged hold the same runs, row for
 * row, as the sweep on one machine, in one experiment.
 *
 * Needs GNU parallel (.ci/setup installs it); without it the test exits 77,
 * which CMakeLists.txt declares as CTest's SKIP_RETURN_CODE.
 */
#include "../check.h"
#include "sweep.h"

#define ALL "SELECT count(*) FROM runs"

static int lines(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, name);
  FILE *f = fopen(path, "r");
  int n = 0, c;
  if (!f) return -1;
  while ((c = fgetc(f)) != EOF) n += c == '\n';
  fclose(f);
  return n;
}

static int sh(const char *cmd) {
  char full[4096];
  snprintf(full, sizeof full, "cd %s && %s", cli_dir, cmd);
  int st = system(full);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* (d) The jobs run by parallel and merged = the local sweep. */
static void t_parallel(void) {
  cli_tmpdir();
  cli_write("grid.json", grid_json);
  CHECK_EQ_I64(cli("sweep grid.json -j2 --db local.db"), 0);
  CHECK_EQ_I64(cli("sweep grid.json --db fresh.db --emit-jobs jobs.txt"), 0);
  CHECK_CONTAINS(cli_out, "wrote 12 commands to jobs.txt");
  CHECK_EQ_I64(cli_sql_int("fresh.db", ALL), -1); /* only read, never created */
  CHECK_EQ_I64(lines("jobs.txt"), 12);
  CHECK_EQ_I64(sh("parallel -j2 < jobs.txt > parallel.log 2>&1"), 0);
  CHECK_EQ_I64(cli("merge merged.db shard-*.db"), 0);
  CHECK_EQ_I64(cli_sql_int("merged.db", ALL), 12);
  char *got = cli_sql_text("merged.db", points_sql);
  CHECK_EQ_STR(got, grid_points);
  free(got);
  CHECK(same_runs("local.db", "merged.db"));
  const char *exp = "SELECT name, config_json FROM experiments";
  char *a = cli_sql_text("local.db", exp), *b = cli_sql_text("merged.db", exp);
  CHECK_EQ_STR(a, b); /* one experiment, the same on both sides */
  free(a), free(b);
  /* The merged database is a finished sweep: nothing to run, no job. */
  CHECK_EQ_I64(cli("sweep grid.json --db merged.db"), 0);
  CHECK_CONTAINS(cli_out, "nothing to run");
  CHECK_EQ_I64(cli("sweep grid.json --db merged.db --emit-jobs again.txt"), 0);
  CHECK_EQ_I64(lines("again.txt"), 0);
}

/* Shards merged into a database that already has part of the sweep land
 * in its experiment; the local sweep and the jobs share the work. */
static void t_partial(void) {
  cli_tmpdir();
  cli_write("grid.json", grid_json);
  CHECK_EQ_I64(cli("sweep grid.json --db all.db --emit-jobs jobs.txt"), 0);
  CHECK_EQ_I64(sh("sed -n 1,5p jobs.txt | sh > jobs.log 2>&1"), 0); /* five points, by hand */
  CHECK_EQ_I64(cli("merge all.db shard-*.db"), 0);
  CHECK_EQ_I64(cli_sql_int("all.db", ALL), 5);
  CHECK_EQ_I64(cli("sweep grid.json --db all.db --emit-jobs rest.txt"), 0);
  CHECK_EQ_I64(lines("rest.txt"), 7);
  CHECK_EQ_I64(cli("sweep grid.json -j2 --db all.db"), 0); /* the other seven, here */
  CHECK_CONTAINS(cli_out, "5 done already, 7 to run");
  CHECK_EQ_I64(cli_sql_int("all.db", ALL), 12);
  CHECK_EQ_I64(cli_sql_int("all.db", "SELECT count(*) FROM experiments"), 1);
  char *got = cli_sql_text("all.db", points_sql);
  CHECK_EQ_STR(got, grid_points);
  free(got);
}

static const check_case cases[] = {{"parallel", t_parallel}, {"partial", t_partial}, {0, 0}};

int main(int argc, char **argv) {
  if (system("command -v parallel >/dev/null 2>&1") != 0) {
    printf("SKIP: GNU parallel is not installed (apt-get install parallel, or sh .ci/setup)\n");
    return 77;
  }
  return check_main(cases, argc, argv);
}
