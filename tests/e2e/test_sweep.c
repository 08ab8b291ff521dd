/* tests/e2e/test_sweep.c -- `mmsim sweep` end to end: the grid it runs, the
 * rerun that runs nothing, Ctrl-C in the middle and the rerun that completes
 * it, and bad input that writes nothing.
 *
 * Each case checks the database, not the printout: exactly one done run per
 * point, with the point's params, and nothing else.
 */
#include <signal.h>
#include <time.h>

#include "../check.h"
#include "sweep.h"

#define DONE "SELECT count(*) FROM runs WHERE status = 'done'"
#define ALL "SELECT count(*) FROM runs"
#define HASHES "SELECT count(DISTINCT config_hash) FROM runs"

/* (a) The grid: 2 x 3 x repeat 2, one done run per point, in one
 * experiment; the same at -j1 and -j2, row for row (W4). */
static void t_grid(void) {
  cli_tmpdir();
  cli_write("grid.json", grid_json);
  CHECK_EQ_I64(cli("sweep grid.json -j2 --db a.db"), 0);
  CHECK_CONTAINS(cli_out, "12 points (6 grid points x repeat 2), 0 done already");
  CHECK_CONTAINS(cli_out, "[12/12] "); /* not a terminal: one line per run */
  CHECK_CONTAINS(cli_out, "12 of 12 points done");
  CHECK_EQ_I64(cli_sql_int("a.db", ALL), 12);
  CHECK_EQ_I64(cli_sql_int("a.db", HASHES), 12);
  char *got = cli_sql_text("a.db", points_sql);
  CHECK_EQ_STR(got, grid_points);
  free(got);
  CHECK_EQ_I64(cli_sql_int("a.db", "SELECT count(*) FROM experiments WHERE name = 'grid'"), 1);
  CHECK_EQ_I64(cli_sql_int("a.db", "SELECT count(DISTINCT experiment_id) FROM runs"), 1);
  CHECK_EQ_I64(cli_sql_int("a.db", "SELECT count(*) FROM runs WHERE iterations != 400 OR "
                                   "model != (SELECT value FROM params WHERE run_id = runs.id "
                                   "AND key = 'cpu.model')"), 0);
  CHECK_EQ_I64(cli("sweep grid.json -j1 --db b.db"), 0);
  CHECK(same_runs("a.db", "b.db"));
}

/* (b) Resume: the same command again finds every point done. */
static void t_resume(void) {
  cli_tmpdir();
  cli_write("grid.json", grid_json);
  CHECK_EQ_I64(cli("sweep grid.json --db r.db"), 0);
  CHECK_EQ_I64(cli("sweep ./grid.json -j2 --db r.db"), 0); /* the path spelled otherwise */
  CHECK_CONTAINS(cli_out, "12 done already: nothing to run");
  CHECK_EQ_I64(cli_sql_int("r.db", ALL), 12);
  /* A different --set is a different set of points in the same experiment. */
  CHECK_EQ_I64(cli("sweep grid.json --db r.db --set run.iterations=300"), 0);
  CHECK_CONTAINS(cli_out, "0 done already, 12 to run");
  CHECK_EQ_I64(cli_sql_int("r.db", ALL), 24);
  CHECK_EQ_I64(cli_sql_int("r.db", "SELECT count(*) FROM experiments"), 1);
}

/* Start mmsim in cli_dir with output to `log`; its pid. */
static pid_t start(const char *args, const char *log) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "cd %s && exec %s %s > %s 2>&1", cli_dir, MMSIM_BIN, args, log);
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  return pid;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

#ifdef MMSIM_SANITIZED
#define LONG_ITERS "4000"
#else
#define LONG_ITERS "40000"
#endif

/* 4 models x 6 jitters, each run long enough that an interrupt lands in
 * the middle of the sweep. */
static const char long_json[] =
    "{\"workload\": {\"kind\": \"litmus\", \"litmus\": \"" SB_LITMUS "\"},\n"
    " \"run\": {\"iterations\": " LONG_ITERS "},\n"
    " \"sweep\": {\"cpu.model\": [\"sc\", \"tso\", \"pso\", \"weak\"], "
    "\"net.jitter\": [0, 4, 8, 16, 32, 64]}}\n";

/* Only whole runs: every run done, each with all its params and outcomes. */
static void check_whole(const char *db) {
  CHECK_EQ_I64(cli_sql_int(db, "SELECT count(*) FROM runs WHERE status != 'done'"), 0);
  long long nkeys = cli_sql_int(db, "SELECT count(*) FROM params WHERE run_id = 1");
  CHECK(nkeys > 20);
  CHECK_EQ_I64(cli_sql_int(db, "SELECT count(*) FROM runs r WHERE (SELECT count(*) FROM params "
                               "WHERE run_id = r.id) != (SELECT count(*) FROM params WHERE "
                               "run_id = 1) OR NOT EXISTS (SELECT 1 FROM outcomes WHERE "
                               "run_id = r.id)"), 0);
}

/* SIGINT (nsig times) once the first run is committed; returns how many
 * runs were stored. */
static long long interrupt(int nsig, const char *log) {
  pid_t pid = start("sweep long.json -j2 --db i.db", log);
  CHECK(pid > 0);
  long long done = 0;
  for (int t = 0; t < 60000 / 5 && done < 1; t++) { /* a minute at most */
    sleep_ms(5);
    done = cli_sql_int("i.db", DONE);
  }
  CHECK(done >= 1);
  for (int k = 0; k < nsig; k++) {
    kill(pid, SIGINT);
    sleep_ms(20);
  }
  int st;
  CHECK_EQ_I64(waitpid(pid, &st, 0), pid);
  CHECK(WIFEXITED(st));
  CHECK_EQ_I64(WEXITSTATUS(st), 130);
  return cli_sql_int("i.db", ALL);
}

static void read_log(const char *log) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, log);
  FILE *f = fopen(path, "r");
  size_t n = f ? fread(cli_out, 1, sizeof cli_out - 1, f) : 0;
  cli_out[n] = 0;
  if (f) fclose(f);
}

/* (c) Ctrl-C: the runs in flight finish, nothing half-written, exit 130,
 * and the same command completes the grid with one run per point. */
static void t_sigint(void) {
  cli_tmpdir();
  cli_write("long.json", long_json);
  long long n = interrupt(1, "int.log");
  read_log("int.log");
  CHECK_CONTAINS(cli_out, "interrupted: ");
  CHECK_CONTAINS(cli_out, "run the same command again");
  CHECK(n >= 1 && n < 24);
  check_whole("i.db");
  CHECK_EQ_I64(cli("sweep long.json -j2 --db i.db"), 0);
  CHECK_CONTAINS(cli_out, "24 of 24 points done");
  CHECK_EQ_I64(cli_sql_int("i.db", ALL), 24);
  CHECK_EQ_I64(cli_sql_int("i.db", HASHES), 24);
  check_whole("i.db");
}

/* Ctrl-C twice: the runs in flight are abandoned, and leave nothing. */
static void t_sigint_twice(void) {
  cli_tmpdir();
  cli_write("long.json", long_json);
  long long n = interrupt(2, "int2.log");
  read_log("int2.log");
  CHECK(n >= 1 && n < 24);
  check_whole("i.db");
  CHECK_EQ_I64(cli("sweep long.json -j2 --db i.db"), 0);
  CHECK_EQ_I64(cli_sql_int("i.db", ALL), 24);
  CHECK_EQ_I64(cli_sql_int("i.db", HASHES), 24);
}

/* Bad input fails before anything is written: no run, no experiment. */
static void t_bad_input(void) {
  cli_tmpdir();
  cli_write("grid.json", grid_json);
  cli_write("typo.json", "{\"sweep\": {\"cpu.modle\": [\"sc\"]}}");
  cli_write("rep.json", "{\"sweep\": {\"cpu.model\": [\"sc\"], \"repeat\": 0}}");
  cli_write("seeds.json", "{\"sweep\": {\"run.seed\": [1, 2], \"repeat\": 2}}");
  cli_write("none.json", "{\"cpu.model\": \"sc\"}");
  cli_write("nofile.json", "{\"workload.litmus\": \"missing.litmus\", "
                           "\"sweep\": {\"cpu.model\": [\"sc\", \"tso\"]}}");
  CHECK_EQ_I64(cli("sweep typo.json --db x.db"), 2);
  CHECK_CONTAINS(cli_out, "typo.json: sweep.cpu.modle: unknown key (did you mean cpu.model?)");
  CHECK_EQ_I64(cli("sweep rep.json --db x.db"), 2);
  CHECK_CONTAINS(cli_out, "rep.json: sweep.repeat: expected a positive integer");
  CHECK_EQ_I64(cli("sweep seeds.json --db x.db"), 2);
  CHECK_CONTAINS(cli_out, "sweep.run.seed: seed 2 comes twice");
  CHECK_EQ_I64(cli("sweep none.json --db x.db"), 2);
  CHECK_CONTAINS(cli_out, "no \"sweep\" object");
  CHECK_EQ_I64(cli("sweep grid.json --db x.db --set cpu.model=sc"), 2);
  CHECK_CONTAINS(cli_out, "--set cpu.model: the config sweeps this key");
  CHECK_EQ_I64(cli("sweep grid.json --db x.db --set cache.l1.sets=3"), 2);
  CHECK_CONTAINS(cli_out, "cache.l1.sets");
  CHECK_EQ_I64(cli("sweep grid.json --db x.db -j 0"), 2);
  CHECK_EQ_I64(cli("sweep nofile.json --db y.db -j1"), 2); /* the first run fails (input): stop */
  CHECK_CONTAINS(cli_out, "point cpu.model=sc run.seed=1: ");
  CHECK_CONTAINS(cli_out, "nofile.json: workload.litmus: cannot read missing.litmus");
  CHECK(cli_sql_int("x.db", ALL) <= 0); /* absent or empty */
  CHECK_EQ_I64(cli_sql_int("y.db", ALL), 0);
  CHECK_EQ_I64(cli_sql_int("y.db", "SELECT count(*) FROM experiments"), 0);
}

static const check_case cases[] = {{"grid", t_grid},
                                   {"resume", t_resume},
                                   {"sigint", t_sigint},
                                   {"sigint_twice", t_sigint_twice},
                                   {"bad_input", t_bad_input},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
