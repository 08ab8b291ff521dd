/* tests/e2e/test_cli.c -- the mmsim program end to end: what a user types,
 * what they see, what lands in the database, and how bad input is refused
 * (message, exit status, nothing half-written). */
#include "../check.h"
#include "cli.h"

#define LIT MMSIM_SOURCE_DIR "/litmus/"

static const char sb_test[] =
    "X86 SB\n"
    "(* Result: sc=Never tso=Sometimes *)\n"
    "{ x=0; y=0; }\n"
    " P0          | P1          ;\n"
    " MOV [x],$1  | MOV [y],$1  ;\n"
    " MOV EAX,[y] | MOV EAX,[x] ;\n"
    "exists (0:EAX=0 /\\ 1:EAX=0)\n";

/* "Observation NAME KIND P N" -> P and N. */
static int observation(const char *name, unsigned long long *p, unsigned long long *n) {
  char pat[128];
  snprintf(pat, sizeof pat, "Observation %s ", name);
  const char *o = strstr(cli_out, pat);
  if (!o) return 0;
  char kind[32];
  return sscanf(o + strlen(pat), "%31s %llu %llu", kind, p, n) == 3;
}

static void t_help(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("--help"), 0);
  CHECK_CONTAINS(cli_out, "litmus");
  CHECK_EQ_I64(cli("litmus --help"), 0);
  CHECK_CONTAINS(cli_out, "--model");
  CHECK_EQ_I64(cli("frobnicate"), 2);
  CHECK_CONTAINS(cli_out, "unknown command \"frobnicate\"");
  CHECK_EQ_I64(cli("config --defaults"), 0);
  CHECK_CONTAINS(cli_out, "cpu.store_buffer.entries");
}

/* The bar: SB's relaxed outcome in at least 1% of 100,000 tso
 * iterations at default settings; never with MFENCEs; never under sc. */
static void t_sb_tso(void) {
  unsigned long long p, n;
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus --model tso --iterations 100000"), 0);
  CHECK(observation("SB", &p, &n));
  CHECK_EQ_U64(p + n, 100000);
  CHECK(p >= 1000);
  CHECK_CONTAINS(cli_out, "Ok");
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB+mfences.litmus --model tso --iterations 100000"), 0);
  CHECK(observation("SB+mfences", &p, &n));
  CHECK_EQ_U64(p, 0);
  CHECK_EQ_I64(cli("litmus " LIT "x86/SB.litmus --model sc --iterations 100000"), 0);
  CHECK(observation("SB", &p, &n));
  CHECK_EQ_U64(p, 0);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM runs WHERE status='done'"), 3);
}

/* Same config and seed: identical outcomes and metrics.  Another seed: a
 * different histogram. */
static void t_determinism(void) {
  cli_tmpdir();
  cli_write("sb.litmus", sb_test);
  for (int i = 0; i < 2; i++)
    CHECK_EQ_I64(cli("litmus sb.litmus --iterations 3000 --seed 7 --set net.jitter=5"), 0);
  CHECK_EQ_I64(cli("litmus sb.litmus --iterations 3000 --seed 8 --set net.jitter=5"), 0);
  const char *q_out = "SELECT outcome, count, forbidden, anomaly FROM outcomes WHERE run_id=%d ORDER BY outcome";
  const char *q_met = "SELECT key, value FROM metrics WHERE run_id=%d ORDER BY key";
  char sql[256];
  char *o[3], *m[3];
  for (int r = 0; r < 3; r++) {
    snprintf(sql, sizeof sql, q_out, r + 1);
    o[r] = cli_sql_text("results.db", sql);
    snprintf(sql, sizeof sql, q_met, r + 1);
    m[r] = cli_sql_text("results.db", sql);
  }
  CHECK(strlen(o[0]) > 0 && strlen(m[0]) > 0);
  CHECK_EQ_STR(o[0], o[1]);
  CHECK_EQ_STR(m[0], m[1]);
  CHECK(strcmp(o[0], o[2]) != 0);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(DISTINCT config_hash) FROM runs"), 2);
  for (int r = 0; r < 3; r++) free(o[r]), free(m[r]);
}

/* The same under pso and weak, whose store buffers and invalidate queues
 * add their own events: two runs, identical rows. */
static void t_determinism_weak(void) {
  cli_tmpdir();
  const char *tests = LIT "x86/MP.litmus " LIT "x86/IRIW.litmus " LIT "c/SB+xchgrelaxeds.litmus";
  CHECK_EQ_I64(cli("litmus %s --model pso,weak --iterations 3000 --db a.db", tests), 0);
  CHECK_EQ_I64(cli("litmus %s --model pso,weak --iterations 3000 --db b.db", tests), 0);
  const char *qo = "SELECT run_id, outcome, count FROM outcomes ORDER BY run_id, outcome";
  const char *qm = "SELECT run_id, key, value FROM metrics ORDER BY run_id, key";
  char *oa = cli_sql_text("a.db", qo), *ob = cli_sql_text("b.db", qo);
  char *ma = cli_sql_text("a.db", qm), *mb = cli_sql_text("b.db", qm);
  CHECK(strlen(oa) > 100 && strstr(ma, "iq.stale_hits") != NULL);
  CHECK_EQ_STR(oa, ob);
  CHECK_EQ_STR(ma, mb);
  free(oa), free(ob), free(ma), free(mb);
}

/* run.fast_forward skips events that nothing could interleave with; with it
 * off every completion is an event.  Results must not change, bit for bit
 * (STYLE.md: every fast path has a switch, and the suite compares). */
static void t_fast_forward_same(void) {
  cli_tmpdir();
  const char *tests = LIT "x86/SB.litmus " LIT "x86/R.litmus " LIT "x86/INC+pos.litmus "
                      LIT "c/MP+pooncerelease+poacquireonce.litmus " LIT "x86/IRIW.litmus";
  CHECK_EQ_I64(cli("litmus %s --model sc,tso,pso,weak --iterations 3000 --db on.db", tests), 0);
  CHECK_EQ_I64(cli("litmus %s --model sc,tso,pso,weak --iterations 3000 --db off.db "
                   "--set run.fast_forward=false", tests), 0);
  const char *qo = "SELECT r.id, o.outcome, o.count, o.forbidden, o.anomaly FROM outcomes o "
                   "JOIN runs r ON r.id = o.run_id ORDER BY r.id, o.outcome";
  const char *qm = "SELECT run_id, key, value FROM metrics ORDER BY run_id, key";
  char *o1 = cli_sql_text("on.db", qo), *o2 = cli_sql_text("off.db", qo);
  char *m1 = cli_sql_text("on.db", qm), *m2 = cli_sql_text("off.db", qm);
  CHECK(strlen(o1) > 100 && strlen(m1) > 100);
  CHECK_EQ_STR(o1, o2);
  CHECK_EQ_STR(m1, m2);
  free(o1), free(o2), free(m1), free(m2);
}

/* A witness printed by a run replays alone to the same outcome. */
static void t_replay(void) {
  cli_tmpdir();
  cli_write("sb.litmus", sb_test);
  CHECK_EQ_I64(cli("litmus sb.litmus --iterations 2000 --seed 3"), 0);
  const char *w = strstr(cli_out, "Witness ");
  CHECK(w);
  unsigned long long k;
  const char *at = strstr(w, " at iteration ");
  CHECK(at && sscanf(at, " at iteration %llu", &k) == 1);
  CHECK_EQ_I64(cli("litmus sb.litmus --iterations 2000 --seed 3 --iteration %llu", k), 0);
  CHECK_CONTAINS(cli_out, "Replay of iteration");
  CHECK_CONTAINS(cli_out, "Histogram (1 states)");
  CHECK_CONTAINS(cli_out, "*>0:EAX=0; 1:EAX=0;");
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM runs"), 1); /* replay not stored */
}

static void t_run_config(void) {
  cli_tmpdir();
  cli_write("sb.litmus", sb_test);
  cli_write("sb.json", "{\"name\": \"sb-demo\", \"cpu\": {\"model\": \"tso\"},\n"
                       " \"workload\": {\"kind\": \"litmus\", \"litmus\": \"sb.litmus\"},\n"
                       " \"run\": {\"iterations\": 5000}}\n");
  CHECK_EQ_I64(cli("run sb.json --seed 11 --check"), 0);
  CHECK_CONTAINS(cli_out, "Observation SB Sometimes");
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM experiments WHERE name='sb-demo'"), 1);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT seed FROM runs"), 11);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM params WHERE key='cpu.model' AND value='tso'"), 1);
  CHECK_EQ_I64(cli("runs results.db"), 0);
  CHECK_CONTAINS(cli_out, "SB");
  CHECK_EQ_I64(cli("query results.db \"SELECT sum(count) FROM outcomes\""), 0);
  CHECK_CONTAINS(cli_out, "5000");
  CHECK_EQ_I64(cli("export results.db --csv"), 0);
  CHECK_CONTAINS(cli_out, "0:EAX=0; 1:EAX=0;");
  CHECK_EQ_I64(cli("export results.db --json"), 0);
  CHECK_CONTAINS(cli_out, "\"workload\"");
  CHECK_EQ_I64(cli("plot results.db --x cpu.model --y anomaly_rate -o fig.png"), 0);
  CHECK_CONTAINS(cli_out, "fig.png");
  CHECK_EQ_I64(cli("plot results.db --histogram 1 -o hist.svg"), 0);
  /* --check fails (exit 3) when an observation contradicts the expectation */
  char wrong[sizeof sb_test + 16];
  snprintf(wrong, sizeof wrong, "%s", sb_test);
  memcpy(strstr(wrong, "tso=Sometimes"), "tso=Never    ", 13);
  cli_write("wrong.litmus", wrong);
  CHECK_EQ_I64(cli("litmus wrong.litmus --iterations 5000 --check --db other.db"), 3);
  CHECK_CONTAINS(cli_out, "MISMATCH");
}

/* Bad input: a message naming the culprit, exit 2, nothing written. */
static void t_bad_config(void) {
  static const struct {
    const char *json, *msg;
  } bad[] = {
      {"{\"cpu\": {\"model\": \"tso\",}\n", "bad.json:1"},
      {"{\"cpu\": {\"modle\": \"tso\"}}", "cpu.modle"},
      {"{\"run\": {\"iterations\": \"ten\"}}", "run.iterations"},
      {"{\"cpu\": {\"store_buffer\": {\"entries\": 0}}}", "cpu.store_buffer.entries"},
      {"{\"cpu\": {\"model\": \"power\"}}", "cpu.model"},
  };
  cli_tmpdir();
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cli_write("bad.json", bad[i].json);
    CHECK_EQ_I64(cli("run bad.json --db bad.db"), 2);
    CHECK_CONTAINS(cli_out, bad[i].msg);
    CHECK(access("bad.db", F_OK) != 0 ||
          cli_sql_int("bad.db", "SELECT count(*) FROM runs") <= 0);
  }
  CHECK_EQ_I64(cli("run missing.json"), 1);
  CHECK_CONTAINS(cli_out, "missing.json");
  CHECK_EQ_I64(cli("litmus %s/litmus/x86/SB.litmus --set cpu.atomic_width=3", MMSIM_SOURCE_DIR), 2);
  CHECK_CONTAINS(cli_out, "cpu.atomic_width");
  CHECK_EQ_I64(cli("litmus --iterations x %s/litmus/x86/SB.litmus", MMSIM_SOURCE_DIR), 2);
  CHECK_CONTAINS(cli_out, "run.iterations");
}

static void t_bad_litmus(void) {
  cli_tmpdir();
  cli_write("ok.litmus", sb_test);
  cli_write("syntax.litmus", "X86 S\n{ x=0; }\n P0 ;\n MOV [x] $1 ;\nexists (x=1)\n");
  CHECK_EQ_I64(cli("litmus ok.litmus syntax.litmus"), 2);
  CHECK_CONTAINS(cli_out, "syntax.litmus:4:");
  CHECK(cli_sql_int("results.db", "SELECT count(*) FROM runs") <= 0); /* none, or no file */
  cli_write("unsup.litmus", "X86 U\n{ x=0; }\n P0 ;\n CPUID ;\nexists (x=1)\n");
  CHECK_EQ_I64(cli("litmus unsup.litmus"), 2);
  CHECK_CONTAINS(cli_out, "unsup.litmus:4:");
  CHECK_CONTAINS(cli_out, "CPUID");
}

static void t_bad_db(void) {
  cli_tmpdir();
  cli_write("sb.litmus", sb_test);
  CHECK_EQ_I64(cli("litmus sb.litmus --iterations 10 --db /nonexistent/dir/r.db"), 1);
  CHECK_CONTAINS(cli_out, "/nonexistent/dir/r.db");
  /* another program's database: refused, and left untouched */
  char path[512];
  snprintf(path, sizeof path, "%s/other.db", cli_dir);
  sqlite3 *d;
  sqlite3_open(path, &d);
  sqlite3_exec(d, "CREATE TABLE invoices(id, total); PRAGMA user_version=7;", 0, 0, 0);
  sqlite3_close(d);
  CHECK_EQ_I64(cli("litmus sb.litmus --iterations 10 --db other.db"), 1);
  CHECK_CONTAINS(cli_out, "other.db");
  CHECK_EQ_I64(cli_sql_int("other.db", "SELECT count(*) FROM sqlite_schema"), 1);
  /* read-only commands never write */
  CHECK_EQ_I64(cli("litmus sb.litmus --iterations 10"), 0);
  CHECK(cli("query results.db \"DELETE FROM runs\"") != 0);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT count(*) FROM runs"), 1);
}

/* The random coherence tester: passes on the configured (ideal) memory,
 * repeats itself for a seed, refuses bad flags with exit 2. */
static void t_test_coherence(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("test-coherence --cores 4 --ops 20000"), 0);
  CHECK_CONTAINS(cli_out, ": 20000 ops (");
  CHECK_CONTAINS(cli_out, " 0 violations, 0 deadlocks");
  const char *d = strstr(cli_out, "digest ");
  CHECK(d);
  char digest[32];
  snprintf(digest, sizeof digest, "%.23s", d);
  CHECK_EQ_I64(cli("test-coherence --cores 4 --ops 20000"), 0);
  CHECK_CONTAINS(cli_out, digest);
  CHECK_EQ_I64(cli("test-coherence --cores 8 --outstanding 4 --ops 40000 --seeds 4 --seed 9"), 0);
  CHECK_CONTAINS(cli_out, "seeds 9..12: 40000 ops");
  cli_write("c.json", "{\"cpu\": {\"cores\": 3}, \"cache\": {\"line_bytes\": 32}}\n");
  CHECK_EQ_I64(cli("test-coherence c.json --ops 1000 --set net.jitter=0"), 0);
  CHECK_CONTAINS(cli_out, "3 cores");
  CHECK_EQ_I64(cli("test-coherence --help"), 0);
  CHECK_CONTAINS(cli_out, "--outstanding");
  CHECK_EQ_I64(cli("test-coherence --cores 0"), 2);
  CHECK_CONTAINS(cli_out, "cores");
  CHECK_EQ_I64(cli("test-coherence --seeds 0"), 2);
  CHECK_EQ_I64(cli("test-coherence --ops ten"), 2);
  CHECK_CONTAINS(cli_out, "--ops");
  CHECK_EQ_I64(cli("test-coherence --set cache.line_bytes=48"), 2);
  CHECK(cli("test-coherence missing.json") != 0);
  CHECK_CONTAINS(cli_out, "missing.json");
  /* workload.kind coherence-test under mmsim run: one stored run, the
   * tester's totals as metrics; iteration K replays seed run.seed + K. */
  cli_write("coh.json", "{\"workload\": {\"kind\": \"coherence-test\", \"ops\": 2000},\n"
                        " \"cpu\": {\"cores\": 4}, \"run\": {\"iterations\": 5, \"seed\": 3}}\n");
  CHECK_EQ_I64(cli("run coh.json"), 0);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT value FROM metrics WHERE key='tester.ops'"), 10000);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT value FROM metrics WHERE key='tester.violations'"), 0);
  CHECK_EQ_I64(cli_sql_int("results.db", "SELECT iterations FROM runs WHERE workload='coherence-test'"), 5);
  CHECK_EQ_I64(cli("run coh.json --iteration 2"), 0);
  const char *cyc = strstr(cli_out, " ops, ");
  CHECK(cyc);
  char cycles[48];
  snprintf(cycles, sizeof cycles, "%.*s", (int)strcspn(cyc + 6, ","), cyc + 6);
  CHECK_EQ_I64(cli("test-coherence --cores 4 --ops 2000 --seed 5"), 0);
  CHECK_CONTAINS(cli_out, cycles);
}

/* An SC reference search stopped by workload.sc_max_states stores the run
 * with an unknown (NULL) non-SC rate and says so; it never reads as 0 in
 * the views, the runs listing or a figure.  With the default budget the
 * same test's non-SC outcomes are counted. */
static void t_sc_reference_unknown(void) {
  cli_tmpdir();
  const char *pad = MMSIM_SOURCE_DIR "/tests/data/SB+pad18.litmus";
  CHECK_EQ_I64(cli("litmus %s --iterations 300 --set workload.sc_max_states=100 --db r.db", pad), 0);
  CHECK_CONTAINS(cli_out, "needs more than 100 states (workload.sc_max_states)");
  CHECK_CONTAINS(cli_out, "anomaly rate stored as NULL, not 0");
  CHECK_EQ_I64(cli_sql_int("r.db", "SELECT count(*) FROM run_rates WHERE anomaly_count IS NULL "
                                   "AND anomaly_rate IS NULL AND anomaly_hi IS NULL"), 1);
  CHECK_EQ_I64(cli_sql_int("r.db", "SELECT count(*) FROM anomaly_rates "
                                   "WHERE anomaly = 'non_sc' AND count IS NULL"), 1);
  CHECK_EQ_I64(cli_sql_int("r.db", "SELECT value FROM metrics WHERE key = 'sc.complete'"), 0);
  CHECK_EQ_I64(cli("litmus %s --iterations 300 --db r.db", pad), 0);
  CHECK(strstr(cli_out, "warning") == NULL);
  CHECK(cli_sql_int("r.db", "SELECT anomaly_count FROM run_rates WHERE run_id = 2") > 0);
  CHECK_EQ_I64(cli_sql_int("r.db", "SELECT value FROM metrics WHERE run_id = 2 "
                                   "AND key = 'sc.complete'"), 1);
  CHECK_EQ_I64(cli("runs r.db"), 0);
  CHECK_CONTAINS(cli_out, "unknown    unknown");
  /* The figure leaves the unknown run out: one point, from run 2. */
  CHECK_EQ_I64(cli("plot r.db --x workload.sc_max_states --y anomaly_rate -o f.svg"), 0);
  const char *dat = cli_file("f.dat");
  CHECK(strstr(dat, "\n100 ") == NULL);
  CHECK_CONTAINS(dat, "\n4000000 ");
}

/* explain from the command line: words, JSON for scripts, and the refusals. */
static void t_explain(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("explain %s/litmus/x86/SB.litmus", MMSIM_SOURCE_DIR), 0);
  CHECK_CONTAINS(cli_out, "whose outcome is not SC (replay: --iteration ");
  CHECK_CONTAINS(cli_out, "store_buffer: P0's load of y (line 13: MOV EAX,[y]) bound y=0");
  CHECK_CONTAINS(cli_out, "Fix: MFENCE in P0 after line 12, MFENCE in P1 after line 12.");
  CHECK_CONTAINS(cli_out, " (SC)\n");
  CHECK_EQ_I64(cli("explain %s/litmus/x86/MP.litmus --model pso --json", MMSIM_SOURCE_DIR), 0);
  CHECK_CONTAINS(cli_out, "\"mechanisms\":[{\"kind\":\"store_order\",\"thread\":0,"
                          "\"location\":\"x\",\"seen\":0,\"sc_value\":1,\"from_cycle\":");
  CHECK_CONTAINS(cli_out, "\"fix\":{\"outcome\":");
  CHECK_CONTAINS(cli_out, "\"sc\":true},\"events_dropped\":0,\"events\":[{\"cycle\":");
  /* A lock test's handovers, SC outcome or not. */
  CHECK_EQ_I64(cli("explain %s/litmus/c/MP+polocks.litmus --model weak --iteration 2 --json", MMSIM_SOURCE_DIR), 0);
  CHECK_CONTAINS(cli_out, "\"locks\":{\"mylock\":[{\"thread\":1,\"event\":\"took\",\"cycle\":113,"
                          "\"first_try_cycle\":113,\"failed_cas\":0,\"spinning_loads\":0},"
                          "{\"thread\":1,\"event\":\"released\",\"cycle\":216,\"stored_cycle\":115},"
                          "{\"thread\":0,\"event\":\"took\",\"cycle\":302,");
  CHECK_EQ_I64(cli("explain %s/litmus/x86/SB.litmus --model sc --iterations 500", MMSIM_SOURCE_DIR), 0);
  CHECK_CONTAINS(cli_out, "none of 500 iterations has an outcome outside the SC set");
  /* A map scenario: its fields, operations and variant fix. */
  CHECK_EQ_I64(cli("explain %s/configs/map/dekker-flags-unsafe.json", MMSIM_SOURCE_DIR), 0);
  CHECK_CONTAINS(cli_out, "store_buffer: P1's load of map0.count (in len #2) bound map0.count=0");
  CHECK_CONTAINS(cli_out, "Fix: workload.variant=fenced");
  CHECK_CONTAINS(cli_out, "(no anomaly)\n");
  /* The same account from another process, bit for bit: the bucket
   * pointers the map stores are shown as simulated addresses, not as the
   * host addresses that move with each process's heap. */
  CHECK_EQ_I64(cli("explain %s/configs/map/overflow-publish-unsafe.json --model weak --json",
                   MMSIM_SOURCE_DIR), 0);
  char *first = strdup(cli_out);
  CHECK_EQ_I64(cli("explain %s/configs/map/overflow-publish-unsafe.json --model weak --json",
                   MMSIM_SOURCE_DIR), 0);
  CHECK_EQ_STR(cli_out, first);
  free(first);
  /* ... stored, then explained from the database with its own config. */
  CHECK_EQ_I64(cli("run %s/configs/map/refcount-lost-update-unsafe.json --model sc "
                   "--iterations 50 --db m.db", MMSIM_SOURCE_DIR), 0);
  CHECK_EQ_I64(cli("explain --db m.db --run 1 --json"), 0);
  CHECK_CONTAINS(cli_out, "\"scenario\":\"refcount-lost-update\"");
  CHECK_CONTAINS(cli_out, "\"mechanisms\":[{\"kind\":\"rmw_interleaving\"");
  CHECK_CONTAINS(cli_out, "\"anomaly_free\":true");
  CHECK_EQ_I64(cli("explain %s/litmus/x86/SB.litmus --bogus", MMSIM_SOURCE_DIR), 2);
  CHECK_CONTAINS(cli_out, "unknown option --bogus");
  /* A stored run: its own config (seed 5, pso) picks the iteration. */
  CHECK_EQ_I64(cli("litmus %s/litmus/x86/MP.litmus --model pso --seed 5 --iterations 3000 "
                   "--db e.db", MMSIM_SOURCE_DIR), 0);
  CHECK_EQ_I64(cli("explain %s/litmus/x86/MP.litmus --model pso --seed 5 --iterations 3000 --json",
                   MMSIM_SOURCE_DIR), 0);
  char direct[128];
  const char *it = strstr(cli_out, "\"iteration\":");
  CHECK(it != NULL);
  snprintf(direct, sizeof direct, "%.*s", (int)strcspn(it, ","), it);
  CHECK_EQ_I64(cli("explain --db e.db --run 1 --json"), 0);
  CHECK_CONTAINS(cli_out, direct);
  CHECK_CONTAINS(cli_out, "\"model\":\"pso\"");
  CHECK_EQ_I64(cli("explain --db e.db --run 7"), 2);
  CHECK_CONTAINS(cli_out, "e.db: no run 7");
  CHECK_EQ_I64(cli("explain --db e.db"), 2);
  /* The timeline: a lane per core, the blamed loads circled. */
  CHECK_EQ_I64(cli("explain %s/litmus/x86/SB.litmus -o t.svg", MMSIM_SOURCE_DIR), 0);
  CHECK_CONTAINS(cli_out, "Wrote t.svg (data and gnuplot script beside it)");
  CHECK_CONTAINS(cli_file("t.svg"), "</svg>");
  const char *dat = cli_file("t.dat");
  const char *marked = strstr(dat, "# block 3 marked loads: lane_y at\n");
  CHECK(marked != NULL); /* both threads' loads, one per lane */
  CHECK(marked && strstr(marked, "\n0.82 ") && strstr(marked, "\n-0.18 "));
  CHECK_CONTAINS(dat, "\"store_buffer\"");
  CHECK_CONTAINS(cli_file("t.gp"), "set ytics ('P0' 0, 'P1' 1, 'dir' 2)");
  CHECK_CONTAINS(cli_file("t.dat"), "\"GETM\""); /* the protocol messages */
}

/* run.causes: each run's non-SC iterations by mechanism, listed by runs
 * and plotted as rates; a run without causes is left out of the figure. */
static void t_causes(void) {
  cli_tmpdir();
  CHECK_EQ_I64(cli("litmus %s/litmus/x86/MP.litmus --model weak --iterations 3000 "
                   "--set run.causes=true --db c.db", MMSIM_SOURCE_DIR), 0);
  CHECK_EQ_I64(cli("litmus %s/litmus/x86/MP.litmus --model weak --iterations 3000 "
                   "--set cpu.invalidate_queue.delay=0 --db c.db", MMSIM_SOURCE_DIR), 0);
  long long anomalies = cli_sql_int("c.db", "SELECT anomaly_count FROM run_rates WHERE run_id = 1");
  CHECK(anomalies > 0);
  CHECK_EQ_I64(cli_sql_int("c.db", "SELECT value FROM metrics WHERE run_id = 1 "
                                   "AND key = 'cause.explained'"), anomalies);
  CHECK(cli_sql_int("c.db", "SELECT value FROM metrics WHERE run_id = 1 "
                            "AND key = 'cause.invalidate_queue'") > 0);
  CHECK_EQ_I64(cli("runs c.db"), 0);
  CHECK_CONTAINS(cli_out, " causes\n");
  CHECK_CONTAINS(cli_out, "invalidate_queue=");
  CHECK_EQ_I64(cli("plot c.db --x cpu.invalidate_queue.delay --y cause.invalidate_queue "
                   "-o f.svg"), 0);
  const char *dat = cli_file("f.dat");
  CHECK_CONTAINS(dat, "# columns: x y y_lo y_hi runs k n\n");
  CHECK(strstr(dat, "\n0 ") == NULL); /* the run at delay 0 has no causes */
  /* Several causes: one series each. */
  CHECK_EQ_I64(cli("plot c.db --x model --y cause.store_order,cause.invalidate_queue -o g.svg"), 0);
  dat = cli_file("g.dat");
  CHECK_CONTAINS(dat, "# x | 0: cause.invalidate_queue | 1: cause.store_order\n");
  CHECK_EQ_I64(cli("plot c.db --x model --y cause.store_order,cause.invalidate_queue --by engine "
                   "-o g.svg"), 2);
  CHECK_CONTAINS(cli_out, "draws one series per cause; it takes no --by");
  CHECK_EQ_I64(cli("plot c.db --x model --y cause.store_order,anomaly_rate -o g.svg"), 2);
  CHECK_CONTAINS(cli_out, "must be cause.KIND metrics");
}

static const check_case cases[] = {{"help", t_help},
                                   {"causes", t_causes},
                                   {"explain", t_explain},
                                   {"sc_reference_unknown", t_sc_reference_unknown},
                                   {"sb_tso", t_sb_tso},
                                   {"determinism", t_determinism},
                                   {"determinism_weak", t_determinism_weak},
                                   {"fast_forward_same", t_fast_forward_same},
                                   {"replay", t_replay},
                                   {"run_config", t_run_config},
                                   {"bad_config", t_bad_config},
                                   {"bad_litmus", t_bad_litmus},
                                   {"bad_db", t_bad_db},
                                   {"test_coherence", t_test_coherence},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
