/* tests/e2e/test_calibrate.c -- mmsim calibrate through the program: a tiny
 * calibration stores its native and simulated runs as one experiment, names
 * a best point of the grid with its residual and draws the figure; config
 * errors name the key and write nothing.
 *
 * Nothing here depends on the host's native frequency, which may be 0 on a
 * busy machine (tests/host_races.h): the fit is checked against what was
 * stored (the best point has the least residual of the grid), not against
 * an expected value.  The statistic itself is tests/sim/test_calib_stats.c. */
#include <stdbool.h>
#include <sys/stat.h>

#include "../check.h"
#include "cli.h"

#define TINY                                                                               \
  "{\"name\": \"tiny\", \"workload\": {\"kind\": \"map\", \"scenario\": "                  \
  "\"refcount-lost-update\", \"variant\": \"unsafe\"}, \"run\": {\"iterations\": 300},"    \
  " \"calibrate\": {\"params\": {\"run.start_skew\": [0, 256], \"net\": {\"jitter\": "     \
  "{\"from\": 0, \"to\": 64, \"step\": 64}}}, \"native_runs\": 3, \"sim_runs\": 2}}"

static bool exists(const char *name) {
  char path[512];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", cli_dir, name);
  return stat(path, &st) == 0 && st.st_size > 0;
}

static void t_tiny(void) {
  cli_tmpdir();
  cli_write("tiny.json", TINY);
  CHECK_EQ_I64(cli("calibrate tiny.json --db cal.db -o fig.png"), 0);
  /* one experiment: 3 native runs, 4 points x 2 simulated runs */
  CHECK_EQ_I64(cli_sql_int("cal.db", "SELECT count(*) FROM experiments"), 1);
  CHECK_EQ_I64(cli_sql_int("cal.db", "SELECT count(*) FROM runs WHERE engine='native' AND "
                                     "status='done' AND iterations=300"), 3);
  CHECK_EQ_I64(cli_sql_int("cal.db", "SELECT count(*) FROM runs WHERE engine='sim' AND "
                                     "status='done'"), 8);
  CHECK_EQ_I64(cli_sql_int("cal.db", "SELECT count(DISTINCT experiment_id) FROM runs"), 1);
  /* the same seeds at every point */
  CHECK_EQ_I64(cli_sql_int("cal.db", "SELECT count(DISTINCT seed) FROM runs WHERE engine='sim'"), 2);
  CHECK_EQ_I64(cli_sql_int("cal.db", "SELECT count(DISTINCT m.value) FROM metrics m JOIN runs r "
                                     "ON r.id=m.run_id WHERE m.key='calibrate.point'"), 4);
  /* the best point: both its runs, one point, the least residual */
  CHECK_EQ_I64(cli_sql_int("cal.db", "SELECT count(*) FROM metrics WHERE key='calibrate.best' "
                                     "AND value=1"), 2);
  long long best = cli_sql_int("cal.db", "SELECT DISTINCT p.value FROM metrics b JOIN metrics p "
                                         "ON p.run_id=b.run_id AND p.key='calibrate.point' "
                                         "WHERE b.key='calibrate.best' AND b.value=1");
  CHECK(best >= 0 && best < 4);
  CHECK_EQ_I64(cli_sql_int("cal.db",
                           "SELECT count(*) FROM metrics b JOIN metrics r ON r.run_id=b.run_id "
                           "AND r.key='calibrate.residual' WHERE b.key='calibrate.best' AND "
                           "b.value=1 AND r.value >= 0 AND r.value <= (SELECT min(value) FROM "
                           "metrics WHERE key='calibrate.residual')"), 2);
  /* the report names it, with its residual and both distributions */
  char want[64];
  snprintf(want, sizeof want, "Best point %lld: run.start_skew=", best);
  CHECK_CONTAINS(cli_out, want);
  CHECK_CONTAINS(cli_out, "residual W1 ");
  CHECK_CONTAINS(cli_out, "  native  ");
  CHECK_CONTAINS(cli_out, "  best  ");
  CHECK_CONTAINS(cli_out, "Stored as experiment 1 in cal.db: 3 native runs, 8 simulated runs");
  CHECK(exists("fig.png") && exists("fig.dat") && exists("fig.gp"));
  /* the figure again, from the database alone */
  CHECK_EQ_I64(cli("plot cal.db --calibration 1 -o again.svg"), 0);
  CHECK(exists("again.svg"));
  CHECK_EQ_I64(cli("plot cal.db --calibration 2 -o none.svg"), 2);
  CHECK_CONTAINS(cli_out, "experiment 2 has no calibration");
  /* the default figure name */
  CHECK_EQ_I64(cli("calibrate tiny.json --db cal2.db --iterations 100"), 0);
  CHECK(exists("calibrate-refcount-lost-update.png"));
  CHECK_EQ_I64(cli_sql_int("cal2.db", "SELECT count(*) FROM runs WHERE engine='sim' AND "
                                      "iterations=100"), 8);
}

/* Each bad config exits 2 naming the key, and leaves no database or figure. */
static void bad(const char *calibrate, const char *msg) {
  char json[1024];
  snprintf(json, sizeof json,
           "{\"workload\": {\"kind\": \"map\", \"scenario\": \"refcount-lost-update\"}%s%s}",
           *calibrate ? ", " : "", calibrate);
  cli_write("bad.json", json);
  CHECK_EQ_I64(cli("calibrate bad.json --db bad.db -o bad.png"), 2);
  if (!strstr(cli_out, msg)) CHECK__FAIL("%s: no \"%s\" in: %s", calibrate, msg, cli_out);
  CHECK(!exists("bad.db") && !exists("bad.png") && !exists("bad.dat"));
}

static void t_config_errors(void) {
  cli_tmpdir();
  bad("\"calibrate\": {\"params\": {\"net.jiter\": [1, 2]}}",
      "calibrate.params.net.jiter: unknown key (did you mean net.jitter?)");
  bad("\"calibrate\": {\"params\": {\"net\": {\"jitter\": [1, \"2\"]}}}",
      "calibrate.params.net.jitter: expected an integer, got string \"2\"");
  bad("\"calibrate\": {\"params\": {\"net.jitter\": {\"from\": 0, \"to\": 8, \"step\": 0}}}",
      "calibrate.params.net.jitter: step must not be 0");
  bad("\"calibrate\": {\"params\": {\"workload.threads\": [2, 3]}}",
      "calibrate.params.workload.threads: not a parameter of the simulated machine");
  bad("\"calibrate\": {\"params\": {\"net.jitter\": [1]}, \"sim_runs\": 1}",
      "calibrate.sim_runs: 1 is out of range");
  bad("\"calibrate\": {\"params\": {\"net.jitter\": [1]}, \"runs\": 3}",
      "calibrate.runs: unknown member");
  bad("\"calibrate\": {\"params\": {}}", "calibrate.params: missing or empty");
  bad("\"calibrate\": [1]", "calibrate: expected an object");
  bad("", "no \"calibrate\" object");
  cli_write("coh.json", "{\"workload\": {\"kind\": \"coherence-test\"}, \"calibrate\": "
                        "{\"params\": {\"net.jitter\": [1]}}}");
  CHECK_EQ_I64(cli("calibrate coh.json --db bad.db"), 2);
  CHECK_CONTAINS(cli_out, "workload.kind: mmsim calibrate fits map scenarios and litmus tests");
  cli_write("lit.json", "{\"workload\": {\"kind\": \"litmus\"}, \"calibrate\": {\"params\": "
                        "{\"net.jitter\": [1]}}}");
  CHECK_EQ_I64(cli("calibrate lit.json --db bad.db"), 2);
  CHECK_CONTAINS(cli_out, "workload.litmus: missing or empty");
  CHECK(!exists("bad.db"));
}

#define GRID                                                                               \
  "\"calibrate\": {\"params\": {\"run.start_skew\": [0, 256], \"net\": {\"jitter\": [0, 64]}}, " \
  "\"native_runs\": 3, \"sim_runs\": 2}"

/* --joint: one grid for two scenarios, each with its own native runs; the
 * best point has the least mean residual; the profile it saves is a config
 * of machine keys that --profile and "profile" apply under a config's own. */
static void t_joint(void) {
  cli_tmpdir();
  cli_write("lost.json", "{\"workload\": {\"kind\": \"map\", \"scenario\": "
                         "\"refcount-lost-update\"}, \"run\": {\"iterations\": 200}, " GRID "}");
  cli_write("dekker.json", "{\"cpu\": {\"model\": \"tso\"}, \"workload\": {\"kind\": \"map\", "
                           "\"scenario\": \"dekker-flags\"}, \"run\": {\"iterations\": 200}, " GRID "}");
  CHECK_EQ_I64(cli("calibrate --joint lost.json dekker.json --db j.db --profile-out p/m.json "
                   "-o j.png"), 0);
  CHECK_CONTAINS(cli_out, "Joint calibration of 2 scenarios");
  CHECK_CONTAINS(cli_out, "Stored as experiment 1 in j.db: 6 native runs, 16 simulated runs");
  CHECK_CONTAINS(cli_out, "Wrote the machine profile p/m.json");
  CHECK(exists("j.png") && exists("p/m.json"));
  /* every scenario's native runs carry the host load; sims their own residual */
  CHECK_EQ_I64(cli_sql_int("j.db", "SELECT count(*) FROM runs r JOIN metrics m ON m.run_id=r.id "
                                   "AND m.key='calibrate.host_load' WHERE r.engine='native'"), 6);
  CHECK_EQ_I64(cli_sql_int("j.db", "SELECT count(DISTINCT workload) FROM runs"), 2);
  CHECK_EQ_I64(cli_sql_int("j.db", "SELECT count(*) FROM metrics WHERE "
                                   "key='calibrate.scenario_residual'"), 16);
  /* a point's residual is the mean of its scenarios', and the best is least */
  CHECK_EQ_I64(cli_sql_int("j.db",
                           "SELECT count(*) FROM (SELECT p.value AS pt, avg(r.value) AS w, "
                           "avg(s.value) AS m FROM metrics p JOIN metrics r ON r.run_id=p.run_id "
                           "AND r.key='calibrate.residual' JOIN metrics s ON s.run_id=p.run_id "
                           "AND s.key='calibrate.scenario_residual' WHERE "
                           "p.key='calibrate.point' GROUP BY p.value) WHERE abs(w - m) > 1e-9"), 0);
  CHECK_EQ_I64(cli_sql_int("j.db", "SELECT count(*) FROM metrics b JOIN metrics r ON "
                                   "r.run_id=b.run_id AND r.key='calibrate.residual' WHERE "
                                   "b.key='calibrate.best' AND b.value=1 AND r.value <= (SELECT "
                                   "min(value) FROM metrics WHERE key='calibrate.residual')"), 4);
  CHECK_EQ_I64(cli("plot j.db --calibration 1 -o again.svg"), 0);
  CHECK(exists("again.svg"));

  /* A litmus test joins the fit: its anomalies are its non-SC outcomes,
   * stored as mmsim litmus stores them (native ones against tso). */
  char sb[1024];
  snprintf(sb, sizeof sb, "{\"workload\": {\"kind\": \"litmus\", \"litmus\": "
                          "\"%s/litmus/x86/SB.litmus\"}, \"run\": {\"iterations\": 200}, " GRID "}",
           MMSIM_SOURCE_DIR);
  cli_write("sb.json", sb);
  CHECK_EQ_I64(cli("calibrate --joint lost.json sb.json --db l.db -o l.png"), 0);
  CHECK_CONTAINS(cli_out, "  SB  ");
  CHECK_EQ_I64(cli_sql_int("l.db", "SELECT count(*) FROM runs WHERE workload='SB'"), 3 + 8);
  /* every run stored with its non-SC count */
  CHECK_EQ_I64(cli_sql_int("l.db", "SELECT count(*) FROM runs r JOIN run_rates v ON "
                                   "v.run_id=r.id WHERE r.workload='SB' AND v.anomaly_count IS "
                                   "NOT NULL"), 11);
  /* The profile's keys are the best point's. */
  char *skew = cli_sql_text("j.db", "SELECT DISTINCT p.value FROM params p JOIN metrics b ON "
                                    "b.run_id=p.run_id AND b.key='calibrate.best' AND b.value=1 "
                                    "WHERE p.key='run.start_skew'");
  cli_write("run.json", "{\"workload\": {\"kind\": \"map\", \"scenario\": "
                        "\"refcount-lost-update\"}, \"run\": {\"iterations\": 10}}");
  CHECK_EQ_I64(cli("run run.json --db r.db --profile p/m.json"), 0);
  char *got = cli_sql_text("r.db", "SELECT value FROM params WHERE key='run.start_skew'");
  CHECK_EQ_STR(got, skew);
  free(got);
  /* "profile" in a config: from the config's folder, under its own keys */
  cli_write("p/own.json", "{\"profile\": \"m.json\", \"run\": {\"iterations\": 10, "
                          "\"start_skew\": 7}, \"workload\": {\"kind\": \"map\", "
                          "\"scenario\": \"refcount-lost-update\"}}");
  CHECK_EQ_I64(cli("run p/own.json --db r2.db"), 0);
  CHECK_EQ_I64(cli_sql_int("r2.db", "SELECT value FROM params WHERE key='run.start_skew'"), 7);
  CHECK_EQ_I64(cli_sql_int("r2.db", "SELECT count(*) FROM params WHERE key='net.jitter' AND "
                                    "value IN ('0', '64')"), 1);
  free(skew);
}

/* A profile holds machine keys only; errors name the file and key. */
static void t_profile_errors(void) {
  cli_tmpdir();
  cli_write("run.json", "{\"workload\": {\"kind\": \"map\", \"scenario\": "
                        "\"refcount-lost-update\"}, \"run\": {\"iterations\": 10}}");
  cli_write("wl.json", "{\"workload\": {\"threads\": 3}}");
  CHECK_EQ_I64(cli("run run.json --db e.db --profile wl.json"), 2);
  CHECK_CONTAINS(cli_out, "wl.json: workload.threads: not a machine key");
  cli_write("loop.json", "{\"profile\": \"loop.json\"}");
  CHECK_EQ_I64(cli("run run.json --db e.db --profile loop.json"), 2);
  CHECK_CONTAINS(cli_out, "a profile cannot name another profile");
  CHECK_EQ_I64(cli("run run.json --db e.db --profile missing.json"), 2);
  CHECK_CONTAINS(cli_out, "missing.json");
  cli_write("bad.json", "{\"profile\": 3, \"workload\": {\"kind\": \"map\"}}");
  CHECK_EQ_I64(cli("run bad.json --db e.db"), 2);
  CHECK_CONTAINS(cli_out, "bad.json: profile: expected the path of a machine profile");
  CHECK(!exists("e.db"));
  /* --joint: one grid, each scenario once */
  cli_write("a.json", "{\"workload\": {\"kind\": \"map\", \"scenario\": \"refcount-lost-update\"}, "
                      "\"calibrate\": {\"params\": {\"net.jitter\": [0, 8]}}}");
  cli_write("b.json", "{\"workload\": {\"kind\": \"map\", \"scenario\": \"dekker-flags\"}, "
                      "\"calibrate\": {\"params\": {\"net.jitter\": [0, 16]}}}");
  CHECK_EQ_I64(cli("calibrate --joint a.json b.json --db e.db"), 2);
  CHECK_CONTAINS(cli_out, "b.json: calibrate.params: --joint fits one grid");
  CHECK_EQ_I64(cli("calibrate --joint a.json a.json --db e.db"), 2);
  CHECK_CONTAINS(cli_out, "refcount-lost-update is already in the fit");
  CHECK_EQ_I64(cli("calibrate a.json b.json --db e.db"), 2);
  CHECK_CONTAINS(cli_out, "several: --joint");
  CHECK(!exists("e.db"));
}

static const check_case cases[] = {
    {"tiny", t_tiny},
    {"config_errors", t_config_errors},
    {"joint", t_joint},
    {"profile_errors", t_profile_errors},
    {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
