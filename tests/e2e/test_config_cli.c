/* tests/e2e/test_config_cli.c -- the config as the commands see it: errors
 * that name the config file and key, a sweep over a litmus file that reruns
 * when the file changes, and the memory budget of the cache hierarchy.
 */
#include <sys/stat.h>

#include "../check.h"
#include "cli.h"

static const char sb_litmus[] =
    "X86 SB\n"
    "{ x=0; y=0; }\n"
    " P0          | P1          ;\n"
    " MOV [x],$1  | MOV [y],$1  ;\n"
    " MOV EAX,[y] | MOV EAX,[x] ;\n"
    "exists (0:EAX=0 /\\ 1:EAX=0)\n";

static void sub_dir(void) {
  char p[512];
  snprintf(p, sizeof p, "%s/sub", cli_dir);
  CHECK_EQ_I64(mkdir(p, 0700), 0);
}

/* Errors found past the loader (the scenario's thread range, the litmus
 * file) name the config file and key like the loader's own, and exit 2. */
static void t_errors_name_file_and_key(void) {
  cli_tmpdir();
  sub_dir();
  cli_write("sub/a.json", "{\"workload\": {\"kind\": \"map\", \"scenario\": \"bogus\"}}");
  cli_write("sub/b.json",
            "{\"workload\": {\"kind\": \"map\", \"scenario\": \"publish-flag\", \"threads\": 9}}");
  cli_write("sub/c.json", "{\"workload\": {\"kind\": \"litmus\", \"litmus\": \"nope.litmus\"}}");
  cli_write("sub/d.json", "{\"workload\": {\"kind\": \"litmus\"}}");
  CHECK_EQ_I64(cli("run sub/a.json --db x.db"), 2);
  CHECK_CONTAINS(cli_out, "sub/a.json: workload.scenario: \"bogus\" is not one of publish-flag|");
  CHECK_EQ_I64(cli("native sub/a.json --db x.db"), 2);
  CHECK_CONTAINS(cli_out, "sub/a.json: workload.scenario: \"bogus\"");
  CHECK_EQ_I64(cli("run sub/b.json --db x.db"), 2);
  CHECK_CONTAINS(cli_out, "sub/b.json: workload.threads: publish-flag runs 2 to 2 threads, not 9");
  CHECK_EQ_I64(cli("run sub/c.json --db x.db"), 2);
  CHECK_CONTAINS(cli_out,
                 "sub/c.json: workload.litmus: cannot read sub/nope.litmus: No such file");
  /* Not "cannot read sub/: read error": the key is empty, and says so. */
  CHECK_EQ_I64(cli("run sub/d.json --db x.db"), 2);
  CHECK_CONTAINS(cli_out, "sub/d.json: workload.litmus: missing or empty");
  CHECK_EQ_I64(cli("native sub/d.json --db x.db"), 2);
  CHECK_CONTAINS(cli_out, "sub/d.json: workload.litmus: missing or empty");
  CHECK(cli_sql_int("x.db", "SELECT count(*) FROM runs") <= 0); /* absent or empty */
}

/* Editing the litmus file changes every point's config hash, so a sweep
 * over it runs again instead of calling stale results done. */
static void t_sweep_reruns_after_litmus_edit(void) {
  cli_tmpdir();
  cli_write("t.litmus", sb_litmus);
  cli_write("s.json", "{\"name\": \"s\", \"workload\": {\"kind\": \"litmus\", \"litmus\": "
                      "\"t.litmus\"}, \"run\": {\"iterations\": 50},"
                      " \"sweep\": {\"cpu.model\": [\"sc\", \"tso\"]}}");
  CHECK_EQ_I64(cli("sweep s.json --db s.db"), 0);
  CHECK_CONTAINS(cli_out, "2 points");
  CHECK_EQ_I64(cli("sweep s.json --db s.db"), 0);
  CHECK_CONTAINS(cli_out, "2 done already: nothing to run");
  /* The same test, its final condition changed: other results. */
  char edited[sizeof sb_litmus + 16];
  snprintf(edited, sizeof edited, "%s", sb_litmus);
  memcpy(strstr(edited, "1:EAX=0)"), "1:EAX=1)", 8);
  cli_write("t.litmus", edited);
  CHECK_EQ_I64(cli("sweep s.json --db s.db"), 0);
  CHECK_CONTAINS(cli_out, "0 done already, 2 to run");
  CHECK_EQ_I64(cli_sql_int("s.db", "SELECT count(*) FROM runs WHERE status = 'done'"), 4);
  CHECK_EQ_I64(cli_sql_int("s.db", "SELECT count(DISTINCT value) FROM params "
                                   "WHERE key = 'workload.litmus_hash' AND value != ''"),
               2);
  /* The key is computed: it cannot be set or swept. */
  CHECK_EQ_I64(cli("run s.json --db s.db --set workload.litmus_hash=0"), 2);
  CHECK_CONTAINS(cli_out, "workload.litmus_hash: read-only");
}

/* A cache hierarchy bigger than sim.memory_limit is refused before it is
 * built, naming the keys and the size they need; raised, the limit lets a
 * large L2 run, paying only for the sets it touches. */
static void t_memory_limit(void) {
  cli_tmpdir();
  cli_write("t.litmus", sb_litmus);
  cli_write("m.json", "{\"memory\": {\"kind\": \"mesi\"}, \"workload\": {\"kind\": "
                      "\"litmus\", \"litmus\": \"t.litmus\"}, \"run\": {\"iterations\": 20}}");
  CHECK_EQ_I64(cli("run m.json --db m.db --set sim.memory_limit=100000"), 2);
  CHECK_CONTAINS(cli_out, "m.json: sim.memory_limit: the cache hierarchy needs ");
  CHECK_CONTAINS(cli_out, "the shared LLC, cache.llc.sets and cache.llc.ways: 2.1 MiB");
  CHECK_CONTAINS(cli_out, "more than the limit of 97.7 KiB");
  CHECK(cli_sql_int("m.db", "SELECT count(*) FROM runs") <= 0);
  CHECK_EQ_I64(cli("run m.json --db m.db --set cache.l2.sets=1048576 --set cache.l2.ways=64 "
                   "--set sim.memory_limit=1000"),
               2);
  CHECK_CONTAINS(cli_out, "the private L2s, cache.l2.sets and cache.l2.ways: 17.0 GiB across 2 cores");
  /* 17 GiB of L2 if every set were touched; this test touches a few. */
  CHECK_EQ_I64(cli("run m.json --db m.db --set cache.l2.sets=1048576 --set cache.l2.ways=64 "
                   "--set sim.memory_limit=100000000000"),
               0);
  CHECK_EQ_I64(cli_sql_int("m.db", "SELECT count(*) FROM runs"), 1);
}

static const check_case cases[] = {{"errors_name_file_and_key", t_errors_name_file_and_key},
                                   {"sweep_reruns_after_litmus_edit",
                                    t_sweep_reruns_after_litmus_edit},
                                   {"memory_limit", t_memory_limit},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
