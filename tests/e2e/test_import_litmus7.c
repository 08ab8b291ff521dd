/* tests/e2e/test_import_litmus7.c -- mmsim import-litmus7 as a user runs it
 * (results/import_litmus7.c): two logs in the tools' own format from
 * tests/data (litmus7 on x86 with its trailer and uname/cpuinfo lines;
 * klitmus7's run.sh output), the stored runs' counts and flags, the
 * quantifier rule for forbidden, and malformed logs refused as FILE:LINE
 * with nothing written -- then the imported runs drawn as figures.
 */
#include "../check.h"
#include "cli.h"

#define DATA MMSIM_SOURCE_DIR "/tests/data/"

/* cli_sql_text, kept until the next call so checks need not free it. */
static char *sql_last;
static const char *sql_text(const char *file, const char *sql) {
  free(sql_last);
  return sql_last = cli_sql_text(file, sql);
}

static void t_two_logs(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("import-litmus7 " DATA "litmus7-x86.log " DATA "klitmus7-lkmm.log --db i.db"),
               0);
  CHECK_CONTAINS(cli_out, "Imported 4 test(s) from 2 log(s) into i.db as native runs");
  CHECK_EQ_I64(cli_sql_int("i.db", "SELECT count(*) FROM runs WHERE engine = 'native' "
                                   "AND status = 'done'"), 4);
  CHECK_EQ_I64(cli_sql_int("i.db", "SELECT count(*) FROM experiments"), 1);
  /* Runs in log order; iterations are the histogram sums. */
  CHECK_EQ_STR(sql_text("i.db", "SELECT id, workload, model, iterations, host, wall_s "
                                    "FROM runs ORDER BY id"),
               "1|SB|Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz|1000000|lab7|0.11\n"
               "2|MP|Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz|1000000|lab7|0.12\n"
               "3|SB+poonceonces|unknown|2000000|NULL|0.38\n"
               "4|MP+fencewmbonceonce+fencermbonceonce|unknown|2000000|NULL|0.41\n");
  /* exists: the *> outcome is not forbidden (x86 allows SB's relaxed
   * outcome, as mmsim native stores it) but is the non-SC anomaly. */
  CHECK_EQ_STR(sql_text("i.db", "SELECT outcome, count, forbidden, anomaly FROM outcomes "
                                    "WHERE run_id = 1 ORDER BY outcome"),
               "0:EAX=0; 1:EAX=0; x=1; y=1;|96|0|non_sc\n"
               "0:EAX=0; 1:EAX=1; x=1; y=1;|499862|0|NULL\n"
               "0:EAX=1; 1:EAX=0; x=1; y=1;|499878|0|NULL\n"
               "0:EAX=1; 1:EAX=1; x=1; y=1;|164|0|NULL\n");
  CHECK_EQ_STR(sql_text("i.db", "SELECT outcome, count FROM outcomes "
                                    "WHERE run_id = 4 ORDER BY outcome"),
               "1:r0=0; 1:r1=0;|1000731\n1:r0=0; 1:r1=1;|12\n1:r0=1; 1:r1=1;|999257\n");
  CHECK_EQ_STR(sql_text("i.db", "SELECT anomaly_count, forbidden_count FROM run_rates "
                                    "ORDER BY run_id"),
               "96|0\n0|0\n1287|0\n0|0\n");
  /* The machine and configuration lines became params. */
  CHECK_EQ_STR(sql_text("i.db", "SELECT key, value FROM params WHERE run_id = 2 AND key IN "
                                    "('host.arch', 'host.kernel', 'litmus7.SIZE_OF_TEST', "
                                    "'litmus7.condition', 'litmus7.observation', "
                                    "'import.tool') ORDER BY key"),
               "host.arch|x86_64\nhost.kernel|6.1.0-18-amd64\nimport.tool|litmus7\n"
               "litmus7.SIZE_OF_TEST|100000\n"
               "litmus7.condition|exists (1:EAX=1 /\\ 1:EBX=0)\nlitmus7.observation|Never\n");
  CHECK_EQ_STR(sql_text("i.db", "SELECT value FROM params WHERE run_id = 3 AND key IN "
                                    "('import.tool', 'host.kernel') ORDER BY key"),
               "6.1.0-18-arm64\nklitmus7\n");
  CHECK_EQ_I64(cli_sql_int("i.db", "SELECT value FROM metrics WHERE run_id = 3 "
                                   "AND key = 'litmus.positive'"), 1287);
}

/* A minimal test block: one *> outcome and one :> outcome. */
static void write_test(const char *file, const char *kind, const char *cond, unsigned star,
                       unsigned colon) {
  char text[1024];
  /* The verdict as the tools print it (I5): exists holds when some *>
   * outcome was seen, forall when no :> one was, ~exists when no *> was. */
  int ok = cond[0] == 'e' ? star > 0 : cond[0] == 'f' ? colon == 0 : star == 0;
  snprintf(text, sizeof text,
           "Test T %s\nHistogram (2 states)\n%-6u*>0:r0=1;\n%-6u:>0:r0=0;\n%s\n\nWitnesses\n"
           "Positive: %u, Negative: %u\nCondition %s is %svalidated\nHash=00ff\n"
           "Observation T %s %u %u\nTime T 0.01\n",
           kind, star, colon, ok ? "Ok" : "No", star, colon, cond, ok ? "" : "NOT ",
           !star ? "Never" : !colon ? "Always" : "Sometimes", star, colon);
  cli_write(file, text);
}

static void t_quantifiers(void) {
  cli_tmpdir();
  write_test("not.log", "Forbidden", "~exists (0:r0=1)", 3, 7);
  write_test("all.log", "Required", "forall (0:r0=1)", 3, 7);
  CHECK_EQ_I64(cli("import-litmus7 not.log all.log --db q.db"), 0);
  /* ~exists: *> forbidden; forall: the :> violations forbidden. */
  CHECK_EQ_STR(sql_text("q.db", "SELECT run_id, outcome, forbidden, anomaly FROM outcomes "
                                    "ORDER BY run_id, outcome"),
               "1|0:r0=0;|0|NULL\n1|0:r0=1;|1|non_sc\n2|0:r0=0;|1|non_sc\n2|0:r0=1;|0|NULL\n");
  CHECK_EQ_STR(sql_text("q.db", "SELECT model, iterations FROM runs ORDER BY id"),
               "unknown|10\nunknown|10\n");
}

/* The first `lines` lines of the shipped x86 log, as FILE in cli_dir. */
static void write_head(const char *file, int lines) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "head -n %d " DATA "litmus7-x86.log > %s/%s", lines, cli_dir, file);
  CHECK(system(cmd) == 0);
}

static void t_truncated_writes_nothing(void) {
  cli_tmpdir();
  /* Cut inside SB's histogram (line 24 says 4 states; 2 lines follow). */
  write_head("cut.log", 26);
  CHECK_EQ_I64(cli("import-litmus7 " DATA "klitmus7-lkmm.log cut.log --db t.db"), 2);
  CHECK_CONTAINS(cli_out, "mmsim import-litmus7: cut.log:26: test SB: log ends 2 histogram "
                          "line(s) short (truncated?)");
  /* The good log before it was not stored either. */
  CHECK_EQ_I64(cli_sql_int("t.db", "SELECT count(*) FROM runs"), 0);
  CHECK_EQ_I64(cli_sql_int("t.db", "SELECT count(*) FROM experiments"), 0);
  /* Cut after SB's Hash line: the test has no Observation. */
  write_head("cut2.log", 33);
  CHECK_EQ_I64(cli("import-litmus7 cut2.log --db t.db"), 2);
  CHECK_CONTAINS(cli_out, "cut2.log:33: test SB (line 23) ends without its Observation line");
  CHECK_EQ_I64(cli_sql_int("t.db", "SELECT count(*) FROM runs"), 0);
}

static void t_malformed(void) {
  cli_tmpdir();
  /* The Observation disagrees with the histogram (I3). */
  cli_write("lie.log", "Test T Allowed\nHistogram (2 states)\n5     *>0:r0=1;\n5     :>0:r0=0;\n"
                       "Ok\nObservation T Sometimes 6 4\n");
  CHECK_EQ_I64(cli("import-litmus7 lie.log --db m.db"), 2);
  CHECK_CONTAINS(cli_out, "lie.log:6: test T: Observation says 6 positive of 10 but the "
                          "histogram has 5 *> of 10");
  /* A histogram line that is not one. */
  cli_write("bad.log", "Test T Allowed\nHistogram (2 states)\n5     *>0:r0=1;\nOk\n");
  CHECK_EQ_I64(cli("import-litmus7 bad.log --db m.db"), 2);
  CHECK_CONTAINS(cli_out, "bad.log:4: test T: expected 'COUNT *>OUTCOME' or 'COUNT :>OUTCOME' "
                          "(1 more histogram lines due), got 'Ok'");
  /* Not a log at all; a missing file. */
  cli_write("empty.log", "hello\n");
  CHECK_EQ_I64(cli("import-litmus7 empty.log --db m.db"), 2);
  CHECK_CONTAINS(cli_out, "empty.log:1: no litmus7 test in this file");
  CHECK(cli("import-litmus7 nothere.log --db m.db") != 0);
  CHECK_CONTAINS(cli_out, "nothere.log: cannot open");
  CHECK_EQ_I64(cli_sql_int("m.db", "SELECT count(*) FROM runs"), 0);
  CHECK_EQ_I64(cli("import-litmus7 --db m.db"), 2);
  CHECK_CONTAINS(cli_out, "expected at least one LOG");
}

/* Logs no run could have printed (I4, I5): refused at the line that gives
 * them away, nothing stored. */
static void t_impossible(void) {
  cli_tmpdir();
  /* 2 x (2^63-1) + 3 wraps to 1 in 64 bits: once stored as 1 iteration. */
  cli_write("wrap.log", "Test T Allowed\nHistogram (3 states)\n"
                        "9223372036854775807*>0:r0=1;\n9223372036854775807:>0:r0=0;\n"
                        "3     :>0:r0=2;\nOk\n\nWitnesses\n"
                        "Positive: 9223372036854775807, Negative: 9223372036854775810\n"
                        "Condition exists (0:r0=1) is validated\n"
                        "Observation T Sometimes 9223372036854775807 9223372036854775810\n");
  CHECK_EQ_I64(cli("import-litmus7 wrap.log --db w.db"), 2);
  CHECK_CONTAINS(cli_out, "wrap.log:4: test T: the histogram's counts add up past 2^63-1");
  CHECK_EQ_I64(cli_sql_int("w.db", "SELECT count(*) FROM runs"), 0);
  /* An exists seen 5 times is validated; "NOT validated" is a lie. */
  static const char *const head = "Test T Allowed\nHistogram (2 states)\n5     *>0:r0=1;\n"
                                  "5     :>0:r0=0;\n";
  char text[512];
  snprintf(text, sizeof text, "%sNo\n\nWitnesses\nPositive: 5, Negative: 5\n"
           "Condition exists (0:r0=1) is NOT validated\nObservation T Never 5 5\n", head);
  cli_write("notval.log", text);
  CHECK_EQ_I64(cli("import-litmus7 notval.log --db w.db"), 2);
  CHECK_CONTAINS(cli_out, "notval.log:9: test T: condition exists (0:r0=1) is NOT validated "
                          "but Witnesses count 5 positive, 5 negative");
  /* Observation Never with 5 positive, the rest consistent. */
  snprintf(text, sizeof text, "%sOk\n\nWitnesses\nPositive: 5, Negative: 5\n"
           "Condition exists (0:r0=1) is validated\nObservation T Never 5 5\n", head);
  cli_write("never.log", text);
  CHECK_EQ_I64(cli("import-litmus7 never.log --db w.db"), 2);
  CHECK_CONTAINS(cli_out, "never.log:10: test T: Observation says Never but counts 5 positive, "
                          "5 negative (that is Sometimes)");
  /* Ok beside NOT validated. */
  snprintf(text, sizeof text, "%sOk\n\nWitnesses\nPositive: 5, Negative: 5\n"
           "Condition exists (0:r0=1) is NOT validated\nObservation T Sometimes 5 5\n", head);
  cli_write("okno.log", text);
  CHECK_EQ_I64(cli("import-litmus7 okno.log --db w.db"), 2);
  CHECK_CONTAINS(cli_out, "okno.log:9: test T: says Ok but its condition is NOT validated");
  CHECK_EQ_I64(cli_sql_int("w.db", "SELECT count(*) FROM runs"), 0);
}

/* Two Condition lines in one test: the last holds, and the first is not
 * leaked (under the sanitizer build a leak makes mmsim exit 1). */
static void t_two_conditions(void) {
  cli_tmpdir();
  cli_write("two.log", "Test T Allowed\nHistogram (2 states)\n5     *>0:r0=1;\n"
                       "5     :>0:r0=0;\nOk\n\nWitnesses\nPositive: 5, Negative: 5\n"
                       "Condition exists (0:r0=2) is validated\n"
                       "Condition exists (0:r0=1) is validated\nObservation T Sometimes 5 5\n");
  CHECK_EQ_I64(cli("import-litmus7 two.log --db c.db"), 0);
  CHECK_EQ_STR(sql_text("c.db", "SELECT value FROM params WHERE key = 'litmus7.condition'"),
               "exists (0:r0=1)\n");
}

static void t_figures_of_imported_runs(void) {
  /* Imported runs beside simulated ones, drawn by the CLI. */
  cli_tmpdir();
  CHECK_EQ_I64(cli("import-litmus7 " DATA "litmus7-x86.log --db f.db"), 0);
  CHECK_EQ_I64(cli("litmus " MMSIM_SOURCE_DIR "/litmus/x86/SB.litmus --model sc,tso "
                   "--iterations 2000 --db f.db"), 0);
  CHECK_EQ_I64(cli("plot f.db --histogram SB --by engine,model -o sb.svg"), 0);
  CHECK_CONTAINS(cli_out, "Wrote sb.svg");
  FILE *f = fopen(check_path(cli_dir, "sb.dat"), "r");
  CHECK(f != NULL);
  char buf[4096] = "";
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  fclose(f);
  CHECK_CONTAINS(buf, "# group 0: native Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz "
                      "(1 runs, 1000000 iterations)\n# group 1: sim sc (1 runs, 2000 iterations)\n");
  CHECK_CONTAINS(buf, "\"0:EAX=0; 1:EAX=0; x=1; y=1;\" 9.6e-05 96 0 ? ? ? ? ? ?\n");
  CHECK_EQ_I64(cli("plot f.db --histogram 1 --by model -o one.png"), 2);
  CHECK_CONTAINS(cli_out, "--histogram RUN_ID draws one run");
}

static const check_case cases[] = {
    {"two_logs", t_two_logs},
    {"quantifiers", t_quantifiers},
    {"truncated_writes_nothing", t_truncated_writes_nothing},
    {"malformed", t_malformed},
    {"impossible", t_impossible},
    {"two_conditions", t_two_conditions},
    {"figures_of_imported_runs", t_figures_of_imported_runs},
    {0},
};

int main(int argc, char **argv) {
  int rc = check_main(cases, argc, argv);
  free(sql_last);
  return rc;
}
