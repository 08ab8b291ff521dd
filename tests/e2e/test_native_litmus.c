/* tests/e2e/test_native_litmus.c -- `mmsim native --litmus`: x86 litmus
 * tests on this host's real cores, as litmus7 runs them.
 *
 * An x86 host is TSO: SB's relaxed outcome must appear (this 2-CPU machine
 * showed it 87 to 357 times in 100,000 iterations; 300,000 make a miss
 * vanishingly unlikely), and MP's and SB+mfences' never.  With one CPU, or
 * when SB showed nothing and the host shows no race now, the case skips
 * (exit 77); if the in-process probe finds the runner's threads on one
 * CPU of two, it fails (host_races.h).  The run is
 * stored with engine native and the host in its params.  It needs both
 * CPUs to itself (RUN_SERIAL in CMakeLists.txt); built with the sanitizers
 * (MMSIM_SANITIZED) the instrumented threads run too slowly to race, so
 * only the Never outcomes are checked there.
 */
#include <unistd.h>

#include "../check.h"
#include "../host_races.h"
#include "cli.h"

#define LIT MMSIM_SOURCE_DIR "/litmus/x86/"

static void t_x86_is_tso(void) {
  host_need_cpus("x86 SB");
  cli_tmpdir();
#ifdef MMSIM_SANITIZED
  const char *check = "";
#else
  const char *check = " --check";
#endif
  int rc = cli("native --litmus " LIT "SB.litmus " LIT "MP.litmus " LIT
                "SB+mfences.litmus --iterations 300000%s", check);
  CHECK_CONTAINS(cli_out, "Observation MP Never 0 300000");
  CHECK_CONTAINS(cli_out, "Observation SB+mfences Never 0 300000");
#ifndef MMSIM_SANITIZED
  if (rc == 3) host_need_races("SB"); /* only SB's Sometimes can be missing */
#endif
  CHECK_EQ_I64(rc, 0);
#ifndef MMSIM_SANITIZED
  CHECK_CONTAINS(cli_out, "Observation SB Sometimes");
#endif
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM runs WHERE engine = 'native'"), 3);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM params WHERE key = 'host.cpu'"), 3);
}

static void t_bad_input(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("native --litmus"), 2);
  CHECK_EQ_I64(cli("native --litmus nosuch.litmus"), 1); /* I/O: exit 1 */
  CHECK_CONTAINS(cli_out, "nosuch.litmus");
  CHECK_EQ_I64(cli("native --litmus " LIT "SB.litmus --model weak"), 2);
}

static const check_case cases[] = {{"x86_is_tso", t_x86_is_tso}, {"bad_input", t_bad_input}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
