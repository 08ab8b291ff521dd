/* tests/cache/test_broken.c -- the checks fail when the protocol is wrong.
 *
 * mmsim_broken is mmsim with one cell of the L1 table changed (see
 * CMakeLists.txt): a core in S acks an Inv but keeps its copy, so it can
 * read a value after another core's store performed.  The random tester must
 * catch that as a value violation, the invariant checker as stale data, and
 * both must exit 3, the status scripts and CI look for.  The correct mmsim,
 * on the same command, must pass: the failure is the broken cell's.
 */
#include "../check.h"

static const char real_bin[] = MMSIM_BIN; /* the correct build, for comparison */
#undef MMSIM_BIN
#define MMSIM_BIN MMSIM_BROKEN_BIN
#include "../e2e/cli.h"

static const char *const cmd = "test-coherence --cores 4 --ops 20000 --set memory.kind=mesi";

static void t_tester_catches(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("%s", cmd), 3);
  CHECK(strstr(cli_out, "violation") != NULL);
  CHECK(strstr(cli_out, "seed") != NULL); /* the failure says how to rerun it */
}

static void t_checker_catches(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("%s --set cache.check=true", cmd), 3);
  CHECK(strstr(cli_out, "coherence violation") != NULL);
  CHECK(strstr(cli_out, "history of the line") != NULL);
}

static void t_correct_build_passes(void) {
  char real[9100];
  cli_tmpdir();
  snprintf(real, sizeof real, "cd %s && %s %s --set cache.check=true > /dev/null 2>&1",
           cli_dir, real_bin, cmd);
  CHECK_EQ_I64(system(real), 0);
}

static const check_case cases[] = {
    {"tester_catches", t_tester_catches},
    {"checker_catches", t_checker_catches},
    {"correct_build_passes", t_correct_build_passes},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
