/* tests/e2e/test_map_cli.c -- map scenarios through the mmsim program:
 * `mmsim run` and `mmsim native` store runs with anomaly kinds; bad
 * scenario input is refused with the key named and nothing written. */
#include "../check.h"
#include "cli.h"

#define CFG MMSIM_SOURCE_DIR "/configs/map/"

static void t_run_stores_kinds(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("run " CFG "dekker-flags-unsafe.json --iterations 2000"), 0);
  CHECK_CONTAINS(cli_out, "mutual_exclusion");
  CHECK_CONTAINS(cli_out, "Stored dekker-flags as run 1");
  CHECK(cli_sql_int("results.db", "SELECT sum(count) FROM outcomes WHERE anomaly='mutual_exclusion' "
                                  "AND forbidden=1") > 0);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM runs WHERE engine='sim' AND "
                                         "workload='dekker-flags' AND status='done'"), 1);
  CHECK(cli_sql_int("results.db", "SELECT count(*) FROM metrics WHERE key='map.cycles_per_op' "
                                  "AND value > 0") == 1);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM params WHERE "
                                         "key='workload.variant' AND value='unsafe'"), 1);
  /* replay of the first anomaly */
  CHECK_EQ_I64(cli("run " CFG "dekker-flags-unsafe.json --iteration 0"), 0);
  CHECK_CONTAINS(cli_out, "Replay of iteration 0");
}

static void t_native_stores_host(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("native " CFG "refcount-lost-update-unsafe.json --iterations 3000"), 0);
  CHECK_CONTAINS(cli_out, "native");
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM runs WHERE engine='native' AND "
                                         "status='done' AND iterations=3000"), 1);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM params WHERE key IN "
                                         "('host.cpu','host.cores')"), 2);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM metrics WHERE "
                                         "key='native.map_ops_per_s'"), 1);
}

static void t_bad_input(void) {
  cli_tmpdir();
  cli_write("bad.json", "{\"workload\": {\"kind\": \"map\", \"scenario\": \"nope\"}}");
  CHECK_EQ_I64(cli("run bad.json"), 2);
  CHECK_CONTAINS(cli_out, "workload.scenario: \"nope\" is not one of");
  CHECK_EQ_I64(cli("native bad.json"), 2);
  CHECK_CONTAINS(cli_out, "workload.scenario");
  CHECK_EQ_I64(cli("run " CFG "dekker-flags-unsafe.json --set workload.threads=3"), 2);
  CHECK_CONTAINS(cli_out, "workload.threads");
  CHECK_EQ_I64(cli("native " CFG "dekker-flags-unsafe.json --set native.mode=sometimes"), 2);
  CHECK_CONTAINS(cli_out, "native.mode");
  CHECK_EQ_I64(cli("run " CFG "dekker-flags-unsafe.json --set workload.stride=100"), 2);
  CHECK_CONTAINS(cli_out, "workload.stride");
  /* nothing half-written: the database may exist, but holds no run */
  char *runs = cli_sql_text("results.db", "SELECT count(*) FROM runs");
  CHECK(strcmp(runs, "") == 0 || strcmp(runs, "0\n") == 0);
  free(runs);
}

static const check_case cases[] = {
    {"run_stores_kinds", t_run_stores_kinds},
    {"native_stores_host", t_native_stores_host},
    {"bad_input", t_bad_input},
    {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
