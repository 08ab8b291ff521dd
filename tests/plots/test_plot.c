/* tests/plots/test_plot.c -- plots/: figures from a small database written
 * with db_run_write, checked as files (PNG signature, SVG header, the .dat
 * rows, the .gp choices) and through their errors (unknown names, no
 * gnuplot on PATH, gnuplot failing).
 *
 * The database: SB and MP litmus runs under tso and pso at net.jitter 0, 1,
 * 2, with a second tso run at jitter 1 (another seed) so that one point
 * aggregates two repeats (53 forbidden of 2000 iterations pooled; l1.misses
 * mean of 100 and 200).  Runs 10..13 are map runs of publish-flag (variants
 * unsafe and fenced, one native) with map.cycles_per_op, for the scatter
 * and the native-vs-simulated bars.  Runs 14.. are the DUP test in two
 * experiments, "dups" (a run stored twice, and a repeat) and "longer"
 * (more iterations), and two native runs of DUPN with one config and seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../check.h"
#include "plots/plot.h"
#include "results/db.h"

static char tmpdir[64];
static char dbpath[128];

static const char *path_of(const char *name) { return check_path(tmpdir, name); }

/* Whole file as a string (static buffer), "" if missing. */
static const char *slurp(const char *path) {
  static char *buf;
  free(buf);
  buf = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return "";
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = calloc(1, (size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) buf[0] = '\0';
  fclose(f);
  return buf;
}

static long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void add_run_in(db *d, int64_t exp, const char *engine, const char *workload,
                       const char *model, const char *jitter, uint64_t forbidden,
                       uint64_t iterations, double misses, uint64_t seed, const char *hash) {
  db_param p[] = {{"cpu.model", model}, {"net.jitter", jitter}, {"workload.litmus", workload}};
  db_outcome o[] = {
      {"0:r0=0; 1:r0=0;", forbidden, 1, "mutual_exclusion"},
      {"0:r0=0; 1:r0=1;", iterations - forbidden, 0, NULL},
  };
  db_metric m[] = {{"l1.misses", misses}};
  char iters[32];
  snprintf(iters, sizeof iters, "%llu", (unsigned long long)iterations);
  db_param p4[] = {p[0], p[1], p[2], {"run.iterations", iters}};
  db_run r = {
      .engine = engine, .workload = workload, .model = model, .seed = seed,
      .iterations = iterations, .wall_s = 0.1, .params = exp ? p4 : p, .nparams = exp ? 4 : 3,
      .outcomes = o, .noutcomes = 2, .metrics = m, .nmetrics = 1, .config_hash = hash,
  };
  sim_err err = {0};
  if (db_run_write(d, exp, &r, NULL, &err)) CHECK__FAIL("db_run_write: %s", err.msg);
}

static void add_run(db *d, const char *workload, const char *model, const char *jitter,
                    uint64_t forbidden, uint64_t iterations, double misses, uint64_t seed) {
  add_run_in(d, 0, "sim", workload, model, jitter, forbidden, iterations, misses, seed, NULL);
}

static void add_map_run(db *d, const char *engine, const char *model, const char *variant,
                        uint64_t stale, uint64_t iterations, double cycles_per_op) {
  db_param p[] = {{"workload.variant", variant}};
  db_outcome o[] = {
      {"stale", stale, 1, "stale_read"},
      {"fresh", iterations - stale, 0, NULL},
  };
  db_metric m[] = {{"map.cycles_per_op", cycles_per_op}};
  db_run r = {
      .engine = engine, .workload = "publish-flag", .model = model, .seed = 1,
      .iterations = iterations, .wall_s = 0.1, .params = p, .nparams = 1,
      .outcomes = o, .noutcomes = 2, .metrics = m, .nmetrics = 1,
  };
  sim_err err = {0};
  if (db_run_write(d, 0, &r, NULL, &err)) CHECK__FAIL("db_run_write: %s", err.msg);
}

static void build_db(void) {
  snprintf(dbpath, sizeof dbpath, "%s/plots.db", tmpdir);
  db *d = NULL;
  sim_err err = {0};
  if (db_open(dbpath, &d, &err)) CHECK__FAIL("db_open: %s", err.msg);
  /* Run ids 1..: SB tso first, so first-appearance order is SB, MP. */
  add_run(d, "SB", "tso", "0", 10, 1000, 50, 7);
  add_run(d, "SB", "tso", "1", 50, 1000, 100, 7);
  add_run(d, "SB", "tso", "1", 3, 1000, 200, 8); /* a repeat: aggregated */
  add_run(d, "SB", "tso", "2", 80, 1000, 300, 7);
  add_run(d, "SB", "pso", "0", 20, 1000, 60, 7);
  add_run(d, "SB", "pso", "2", 90, 1000, 310, 7);
  add_run(d, "MP", "tso", "0", 0, 1000, 40, 7);
  add_run(d, "MP", "pso", "0", 30, 1000, 45, 7);
  /* A histogram whose counts span more than three decades. */
  add_run(d, "LB", "weak", "5", 5, 40005, 1, 7);
  /* Map runs, run ids 10..: what each variant buys (stale reads) and costs
   * (cycles per map op), and one native run beside the simulated ones. */
  add_map_run(d, "sim", "weak", "unsafe", 30, 1000, 80);
  add_map_run(d, "sim", "weak", "unsafe", 10, 1000, 90);
  add_map_run(d, "sim", "weak", "fenced", 0, 100000, 40);
  add_map_run(d, "native", "Xeon(R) Test CPU E5-0000 @ 2.00GHz", "unsafe", 5, 50000, 20);
  /* Runs 14..: DUP, stored twice with one config hash and seed (a rerun),
   * a repeat at another seed, and in another experiment a longer run. */
  int64_t dups = 0, longer = 0;
  if (db_experiment_create(d, "dups", "{}", &dups, &err) ||
      db_experiment_create(d, "longer", "{}", &longer, &err))
    CHECK__FAIL("db_experiment_create: %s", err.msg);
  add_run_in(d, dups, "sim", "DUP", "tso", "0", 10, 1000, 50, 5, "00000000000000a5");
  add_run_in(d, dups, "sim", "DUP", "tso", "0", 10, 1000, 50, 5, "00000000000000a5");
  add_run_in(d, dups, "sim", "DUP", "tso", "0", 30, 1000, 70, 6, "00000000000000a6");
  add_run_in(d, longer, "sim", "DUP", "tso", "0", 500, 50000, 90, 5, "00000000000000b5");
  /* Native runs with one config and seed are two measurements: both count. */
  add_run_in(d, dups, "native", "DUPN", "tso", "0", 10, 1000, 50, 5, "00000000000000c5");
  add_run_in(d, dups, "native", "DUPN", "tso", "0", 20, 1000, 50, 5, "00000000000000c5");
  db_close(d);
}

static int check_png(const char *path) {
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  unsigned char got[8] = {0};
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t n = fread(got, 1, 8, f);
  fclose(f);
  return n == 8 && memcmp(got, sig, 8) == 0;
}

/* ---- cases ---- */

static void t_numeric_x_png(void) {
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .by = "cpu.model", .where = "r.workload = 'SB'", .out = path_of("rate.png")};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK(file_size(path_of("rate.png")) > 1000);
  CHECK(check_png(path_of("rate.png")));
  const char *dat = slurp(path_of("rate.dat"));
  CHECK_CONTAINS(dat, "# columns: x y y_lo y_hi runs k n\n");
  /* Series sorted by first appearance: tso (run 1) before pso (run 5).
   * Jitter 1 pools tso's two repeats: 50 + 3 of 2000. */
  CHECK_CONTAINS(dat, "# runs, iterations (n): what each point holds");
  CHECK_CONTAINS(dat, "# series 0: cpu.model=tso\n"
                      "0 0.01 0.005440695309 0.01830966531 1 10 1000\n"
                      "1 0.0265 0.02031682153 0.03449868884 2 53 2000\n"
                      "2 0.08 0.06474778552 0.09846680929 1 80 1000\n");
  CHECK_CONTAINS(dat, "\n\n\n# series 1: cpu.model=pso\n0 0.02 0.01298358113 0.03069024151 1 20 1000\n");
  const char *gp = slurp(path_of("rate.gp"));
  CHECK_CONTAINS(gp, "set terminal pngcairo");
  CHECK_CONTAINS(gp, "set output 'rate.png'");
  CHECK_CONTAINS(gp, "mmsim house style");
  CHECK_CONTAINS(gp, "'rate.dat' index 0 using 1:2:3:4 with yerrorlines lt 1 title 'tso'");
  CHECK_CONTAINS(gp, "'' index 1 using 1:2:3:4 with yerrorlines lt 2 title 'pso'");
  CHECK_CONTAINS(gp, "set key title 'cpu.model'");
}

static void t_text_x_svg(void) {
  plot_opts o = {.db_path = dbpath, .x = "workload", .y = "l1.misses", .by = "net.jitter",
                 .where = "r.workload IN ('SB', 'MP') AND r.model = 'tso'",
                 .out = path_of("misses.svg")};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  const char *svg = slurp(path_of("misses.svg"));
  CHECK(strncmp(svg, "<?xml", 5) == 0 || strncmp(svg, "<svg", 4) == 0);
  CHECK_CONTAINS(svg, "</svg>");
  const char *dat = slurp(path_of("misses.dat"));
  /* Mean over repeats: SB at jitter 1 averages 100 and 200 = 150; series
   * columns jitter 0 2-6, 1 7-11, 2 12-16; MP ran at jitter 0 only. */
  CHECK_CONTAINS(dat, "# x | 0: 0 | 1: 1 | 2: 2\n"
                      "\"SB\" 50 50 50 1 1000 150 100 200 2 2000 300 300 300 1 1000\n"
                      "\"MP\" 40 40 40 1 1000 ? ? ? 0 0 ? ? ? 0 0\n");
  const char *gp = slurp(path_of("misses.gp"));
  CHECK_CONTAINS(gp, "set terminal svg");
  CHECK_CONTAINS(gp, "set style histogram errorbars");
  CHECK_CONTAINS(gp, "'misses.dat' using 2:3:4:xtic(1) lt 1 title '0'");
  CHECK_CONTAINS(gp, "'' using 7:8:9 lt 2 title '1'");
  CHECK_CONTAINS(gp, "'' using 12:13:14 lt 3 title '2'");
  CHECK_CONTAINS(gp, "r.workload IN (''SB'', ''MP'')"); /* the where, in the title */
}

static void t_single_series_lines(void) {
  /* No by, one run per point, a metric: plain linespoints, no key entry. */
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "l1.misses",
                 .where = "r.model = 'tso' AND r.workload = 'SB'", .out = path_of("one.png"),
                 .title = "tso misses"};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK(check_png(path_of("one.png")));
  CHECK_CONTAINS(slurp(path_of("one.dat")),
                 "# columns: x y_mean y_min y_max runs iterations\n# series 0: (unset)\n"
                 "0 50 50 50 1 1000\n1 150 100 200 2 2000\n2 300 300 300 1 1000\n");
  const char *gp = slurp(path_of("one.gp"));
  CHECK_CONTAINS(gp, "set title 'tso misses'\n");
  CHECK_CONTAINS(gp, "with yerrorlines lt 1 notitle"); /* jitter 1 has two tso runs */
  CHECK(!strstr(gp, "set logscale y")); /* 50 to 300: within three decades */
}

static void t_unknown_names(void) {
  sim_err err = {0};
  plot_opts o = {.db_path = dbpath, .x = "cpu.modle", .y = "forbidden_rate",
                 .out = path_of("bad.png")};
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "unknown x 'cpu.modle'");
  CHECK_CONTAINS(err.msg, "cpu.model, net.jitter");
  o.x = "net.jitter";
  o.y = "l2.misses";
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "unknown y 'l2.misses'");
  CHECK_CONTAINS(err.msg, "forbidden_rate, anomaly_rate");
  CHECK_CONTAINS(err.msg, "l1.misses");
  o.y = "anomaly_rate";
  o.by = "cache.l9";
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "unknown by 'cache.l9'");
  o.by = NULL;
  o.where = "r.nosuchcolumn = 1";
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "where 'r.nosuchcolumn = 1'");
  CHECK_CONTAINS(err.msg, "no such column");
  o.where = "r.workload = 'nothing'";
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "no done run");
  o.where = NULL;
  o.out = path_of("bad.pdf");
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "must end in .png or .svg");
  o.out = path_of("bad.png");
  o.db_path = path_of("missing.db");
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EDB);
  CHECK_CONTAINS(err.msg, "missing.db");
}

static void t_anomaly_kind_rate(void) {
  /* Every litmus run per model, pooled on purpose (--pool). */
  plot_opts o = {.db_path = dbpath, .x = "model", .y = "anomaly_rate.mutual_exclusion",
                 .where = "r.workload IN ('SB', 'MP', 'LB')", .pool = 1,
                 .out = path_of("kind.png")};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  /* x text, first appearance: tso (run 1), pso (run 5), weak (run 9). */
  const char *dat = slurp(path_of("kind.dat"));
  CHECK_CONTAINS(dat, "\"tso\" 0.0286 0.02432940469 0.03359441128 5 5000\n"
                      "\"pso\" 0.04666666667 0.03968119802 0.05481166738 3 3000\n");
  CHECK_CONTAINS(dat, "# --pool: pooled over workload (2 values), workload.litmus (2 values), "
                      "net.jitter (3 values)\n");
  CHECK_CONTAINS(slurp(path_of("kind.gp")),
                 " . \"\\n\" . 'pooled over workload (2 values), workload.litmus (2 values), "
                 "net.jitter (3 values)'\n");
  o.y = "anomaly_rate.torn_read"; /* a known kind that never happened: rate 0 */
  rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK_CONTAINS(slurp(path_of("kind.dat")), "\"tso\" 0 0 0.0007677301376 5 5000\n");
  o.y = "anomaly_rate.nonsense";
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "no anomaly kind 'nonsense'");
}

static void t_histogram(void) {
  sim_err err = {0};
  int rc = plot_histogram(dbpath, 1, path_of("hist.png"), &err);
  if (rc) CHECK__FAIL("plot_histogram: %s", err.msg);
  CHECK(check_png(path_of("hist.png")));
  CHECK_CONTAINS(slurp(path_of("hist.dat")),
               "\n0 \"0:r0=0; 1:r0=0;\" 10 1 \"mutual_exclusion\"\n"
               "1 \"0:r0=0; 1:r0=1;\" 990 0 \"-\"\n");
  const char *gp = slurp(path_of("hist.gp"));
  CHECK_CONTAINS(gp, "($4 > 0 ? 2 : 1):xtic(2) with boxes lc variable");
  CHECK_CONTAINS(gp, "title 'forbidden'");
  CHECK(!strstr(gp, "set logscale y"));
  /* 5 against 40000: more than three decades, log y. */
  rc = plot_histogram(dbpath, 9, path_of("histlog.svg"), &err);
  if (rc) CHECK__FAIL("plot_histogram: %s", err.msg);
  CHECK_CONTAINS(slurp(path_of("histlog.gp")), "set logscale y");
  CHECK(strncmp(slurp(path_of("histlog.svg")), "<?xml", 5) == 0);
  CHECK_EQ_I64(plot_histogram(dbpath, 99, path_of("h99.png"), &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "no run 99");
}

static int is_svg(const char *path) {
  const char *svg = slurp(path);
  return (strncmp(svg, "<?xml", 5) == 0 || strncmp(svg, "<svg", 4) == 0) && strstr(svg, "</svg>");
}

static void t_scatter_log_upper_limit(void) {
  /* unsafe pools 40 of 2000 (x 80 and 90); fenced saw 0 of 100000, whose
   * upper bound 3.84e-5 is 2.7 decades below: log y, fenced an upper limit. */
  plot_opts o = {.db_path = dbpath, .x = "map.cycles_per_op", .y = "anomaly_rate",
                 .by = "workload.variant", .where = "r.engine = 'sim'",
                 .out = path_of("scatter.png")};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK(check_png(path_of("scatter.png")));
  const char *dat = slurp(path_of("scatter.dat"));
  CHECK_CONTAINS(dat, "# columns: label x x_lo x_hi y y_lo y_hi runs k n lt y_draw upper below\n");
  CHECK_CONTAINS(dat, "\"unsafe\" 85 80 90 0.02 0.01472164377 0.02711878913 2 40 2000 1 0.02 0 0\n");
  CHECK_CONTAINS(dat, "\"fenced (0/100000)\" 40 40 40 0 0 3.841452427e-05 1 0 100000 2 "
                      "3.841452427e-05 1 0\n");
  const char *gp = slurp(path_of("scatter.gp"));
  CHECK_CONTAINS(gp, "set logscale y\n");
  CHECK_CONTAINS(gp, "with xyerrorbars lc variable");
  CHECK_CONTAINS(gp, "title 'none seen: drawn at its 95% upper bound'");
  o.out = path_of("scatter.svg");
  if ((rc = plot_metric(&o, &err))) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK(is_svg(path_of("scatter.svg")));
}

static void t_scatter_linear(void) {
  /* sim 40 of 102000 at mean x (80+90+40)/3 = 70; native 5 of 50000 at 20:
   * less than two decades apart, so linear y with zero at the bottom. */
  plot_opts o = {.db_path = dbpath, .x = "map.cycles_per_op", .y = "anomaly_rate.stale_read",
                 .by = "engine", .pool = 1, .out = path_of("scatlin.svg")};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK(is_svg(path_of("scatlin.svg")));
  const char *dat = slurp(path_of("scatlin.dat"));
  CHECK_CONTAINS(dat, "\n\"sim\" 70 40 90 0.0003921568627 ");
  CHECK_CONTAINS(dat, " 3 40 102000 1 0.0003921568627 0 0\n\"native\" 20 20 20 0.0001 ");
  CHECK_CONTAINS(dat, "# --pool: pooled over workload.variant (2 values)\n");
  const char *gp = slurp(path_of("scatlin.gp"));
  CHECK_CONTAINS(gp, "'pooled over workload.variant (2 values)'");
  CHECK(!strstr(gp, "set logscale y"));
  CHECK_CONTAINS(gp, "set yrange [0:*]");
  /* A metric no run has is still an unknown x. */
  o.x = "map.nonsense";
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "x is neither a parameter nor a metric");
}

static void t_native_vs_sim_bars(void) {
  /* --by engine,model: the native run keeps its host CPU apart from sim. */
  plot_opts o = {.db_path = dbpath, .x = "workload", .y = "anomaly_rate", .by = "engine,model",
                 .where = "r.workload = 'publish-flag' AND r.id <> 12", .out = path_of("nvs.png")};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK(check_png(path_of("nvs.png")));
  const char *dat = slurp(path_of("nvs.dat"));
  CHECK_CONTAINS(dat, "# x | 0: sim weak | 1: native Xeon(R) Test CPU E5-0000 @ 2.00GHz\n");
  CHECK_CONTAINS(dat, "\"publish-flag\" 0.02 0.01472164377 0.02711878913 2 2000 "
                      "0.0001 4.271412501e-05 0.0002340966071 1 50000\n");
  const char *gp = slurp(path_of("nvs.gp"));
  CHECK_CONTAINS(gp, "set key below horizontal"); /* the CPU name is long */
  CHECK_CONTAINS(gp, "title 'native Xeon(R) Test CPU E5-0000 @ 2.00GHz'");
  CHECK_CONTAINS(gp, "'' using ($0 -0.1667):(column(4)):(sprintf('%.2g', column(2))) with labels");
  CHECK_CONTAINS(gp, "'' using ($0 +0.1667):(column(9)):(sprintf('%.2g', column(7))) with labels");
  o.out = path_of("nvs.svg");
  if ((rc = plot_metric(&o, &err))) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK(is_svg(path_of("nvs.svg")));
}

static void t_outcomes_across_models(void) {
  /* SB: tso at jitter 1 pools its repeats, 53 forbidden of 2000; pso at
   * jitter 0 has 20 of 1000. */
  plot_opts o = {.db_path = dbpath, .out = path_of("sb.png"),
                 .where = "r.id IN (SELECT run_id FROM params WHERE key = 'net.jitter' "
                          "AND value IN (0, 1)) AND r.id <> 1"};
  sim_err err = {0};
  int rc = plot_outcomes(&o, "SB", &err);
  if (rc) CHECK__FAIL("plot_outcomes: %s", err.msg);
  CHECK(check_png(path_of("sb.png")));
  const char *dat = slurp(path_of("sb.dat"));
  CHECK_CONTAINS(dat, "# group 0: tso (2 runs, 2000 iterations)\n# group 1: pso (1 runs, 1000 iterations)\n");
  CHECK_CONTAINS(dat, "0 \"0:r0=0; 1:r0=0;\" 0.0265 53 1 0.02 20 1\n"
                      "1 \"0:r0=0; 1:r0=1;\" 0.9735 1947 0 0.98 980 0\n");
  const char *gp = slurp(path_of("sb.gp"));
  CHECK_CONTAINS(gp, "set key title 'model'");
  CHECK_CONTAINS(gp, "'' using ($1 -0.2000):(column(5) == 0 ? column(3) : NaN) with boxes lt 1 "
                     "fs solid 0.85 border lc rgb '#333333' title 'tso'");
  CHECK_CONTAINS(gp, "'' using ($1 +0.2000):(column(8) == 1 ? column(6) : NaN) with boxes lt 2 "
                     "fs pattern 4");
  CHECK(!strstr(gp, "set logscale y"));
  /* By engine, an SVG, restricted by --where; LB spans 3.9 decades: log y. */
  o.by = "engine";
  o.where = "r.model = 'weak'";
  o.out = path_of("lb.svg");
  if ((rc = plot_outcomes(&o, "LB", &err))) CHECK__FAIL("plot_outcomes: %s", err.msg);
  CHECK(is_svg(path_of("lb.svg")));
  CHECK_CONTAINS(slurp(path_of("lb.dat")), "0 \"0:r0=0; 1:r0=0;\" 0.000124984377 5 1\n");
  CHECK_CONTAINS(slurp(path_of("lb.gp")), "set logscale y");
  CHECK_EQ_I64(plot_outcomes(&o, "NOPE", &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "no done run of test 'NOPE' where r.model = 'weak'");
}

static void t_refuses_pooling(void) {
  /* Without --where, jitter 0 would pool SB with MP: refused, naming the
   * keys that differ and the ways out, before any file is written. */
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate", .by = "cpu.model",
                 .where = "r.workload IN ('SB', 'MP')", .out = path_of("pooled.png")};
  sim_err err = {0};
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "2 of 5 points would pool runs that differ in more than the seed: "
                          "workload (2 values), workload.litmus (2 values).  Split them with "
                          "--by workload, select with --where COND or --experiment NAME, or "
                          "pool them on purpose with --pool");
  CHECK_EQ_I64(file_size(path_of("pooled.dat")), -1);
  CHECK_EQ_I64(file_size(path_of("pooled.gp")), -1);
  /* --by workload splits them; --pool draws them pooled, and says so. */
  o.by = "cpu.model,workload";
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  o.by = "cpu.model";
  o.pool = 1;
  if ((rc = plot_metric(&o, &err))) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK_CONTAINS(slurp(path_of("pooled.dat")), "0 0.005 0.002718151301 0.009179795123 2 10 2000\n");
  CHECK_CONTAINS(slurp(path_of("pooled.gp")), "pooled over workload (2 values)");
  /* The other pooling figures refuse alike: outcome histograms, scatter. */
  o.pool = 0;
  o.where = NULL;
  o.by = NULL;
  o.out = path_of("pooled.png");
  CHECK_EQ_I64(plot_outcomes(&o, "SB", &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "2 of 2 points would pool runs that differ in more than the seed: "
                          "net.jitter (3 values)");
  o.x = "map.cycles_per_op";
  o.y = "anomaly_rate";
  o.by = "engine";
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "1 of 2 points would pool runs that differ in more than the seed: "
                          "workload.variant (2 values)");
}

static void t_identical_runs_once(void) {
  /* DUP in experiment dups: run 14 stored twice (15: same hash and seed)
   * and a repeat at seed 6: 10 + 30 of 2000, not 50 of 3000. */
  plot_opts o = {.db_path = dbpath, .x = "model", .y = "forbidden_rate",
                 .where = "r.workload = 'DUP'", .experiment = "dups", .out = path_of("dup.png")};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  const char *dat = slurp(path_of("dup.dat"));
  CHECK_CONTAINS(dat, "# experiment: dups\n");
  CHECK_CONTAINS(dat, "# 1 identical run (same config hash and seed) counted once\n");
  CHECK_CONTAINS(dat, "\"tso\" 0.02 0.01472164377 0.02711878913 2 2000\n");
  /* Outcome histograms count it once too. */
  if ((rc = plot_outcomes(&o, "DUP", &err))) CHECK__FAIL("plot_outcomes: %s", err.msg);
  CHECK_CONTAINS(slurp(path_of("dup.dat")), "# group 0: tso (2 runs, 2000 iterations)\n");
  /* Native runs are measurements: one config and seed twice is two runs. */
  o.where = "r.workload = 'DUPN'";
  if ((rc = plot_metric(&o, &err))) CHECK__FAIL("plot_metric: %s", err.msg);
  dat = slurp(path_of("dup.dat"));
  CHECK(!strstr(dat, "identical run"));
  CHECK_CONTAINS(dat, "\"tso\" 0.015 ");
  CHECK_CONTAINS(dat, " 2 2000\n");
}

static void t_experiment_filter(void) {
  /* DUP's runs of experiment longer ran 50 times as long: pooling them
   * with dups' is refused, pointing at the experiments; --experiment
   * picks one; a name no experiment has is an error listing the names. */
  plot_opts o = {.db_path = dbpath, .x = "model", .y = "forbidden_rate",
                 .where = "r.workload = 'DUP'", .out = path_of("exp.png")};
  sim_err err = {0};
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "1 of 1 points would pool runs that differ in more than the seed: "
                          "run.iterations (2 values)");
  CHECK_CONTAINS(err.msg, "--experiment NAME (they come from dups, longer)");
  o.experiment = "longer";
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK_CONTAINS(slurp(path_of("exp.dat")), "\"tso\" 0.01 ");
  CHECK_CONTAINS(slurp(path_of("exp.dat")), " 1 50000\n");
  o.experiment = "longr";
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EINVAL);
  CHECK_CONTAINS(err.msg, "--experiment 'longr': ");
  CHECK_CONTAINS(err.msg, "has no experiment of that name; experiments: dups, longer");
}

static void t_no_gnuplot_on_path(void) {
  char *old = strdup(getenv("PATH") ? getenv("PATH") : "");
  setenv("PATH", "/nonexistent/bin", 1);
  sim_err err = {0};
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .where = "r.workload = 'SB'", .by = "model", .out = path_of("nogp.png")};
  int rc = plot_metric(&o, &err);
  int rc2 = plot_histogram(dbpath, 1, path_of("nogp2.png"), &err);
  setenv("PATH", old, 1);
  free(old);
  CHECK_EQ_I64(rc, SIM_ETOOL);
  CHECK_EQ_I64(rc2, SIM_ETOOL);
  CHECK_CONTAINS(err.msg, "gnuplot not found on PATH: apt-get install gnuplot-nox (wrote ");
  CHECK_CONTAINS(err.msg, "nogp2.gp: `gnuplot nogp2.gp` there draws nogp2.png)");
  CHECK(file_size(path_of("nogp.gp")) > 0); /* the script is there to run later */
  CHECK(file_size(path_of("nogp.dat")) > 0);
}

/* plot_metric(o) with a fake gnuplot, a shell script of body, first on PATH
 * (a folder of its own per name). */
static int plot_with_fake_gnuplot(const plot_opts *o, const char *name, const char *body,
                                  sim_err *err) {
  char bin[200]; /* not path_of: o->out may be its buffer */
  snprintf(bin, sizeof bin, "%s/%s", tmpdir, name);
  mkdir(bin, 0755);
  char fake[300];
  snprintf(fake, sizeof fake, "%s/gnuplot", bin);
  FILE *f = fopen(fake, "w");
  CHECK(f != NULL);
  fprintf(f, "#!/bin/sh\n%s", body);
  fclose(f);
  chmod(fake, 0755);
  char *old = strdup(getenv("PATH") ? getenv("PATH") : "");
  char path[600];
  snprintf(path, sizeof path, "%s:%s", bin, old);
  setenv("PATH", path, 1);
  int rc = plot_metric(o, err);
  setenv("PATH", old, 1);
  free(old);
  return rc;
}

static void t_gnuplot_fails(void) {
  /* A gnuplot that fails the way a real one does: message on stderr. */
  sim_err err = {0};
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .where = "r.workload = 'SB'", .by = "model", .out = path_of("fail.png")};
  int rc = plot_with_fake_gnuplot(
      &o, "fakebin", "echo \"\\\"$1\\\" line 3: undefined variable: boom\" >&2\nexit 1\n", &err);
  CHECK_EQ_I64(rc, SIM_ETOOL);
  CHECK_CONTAINS(err.msg, "gnuplot failed on");
  CHECK_CONTAINS(err.msg, "fail.gp");
  CHECK_CONTAINS(err.msg, "exit status 1");
  CHECK_CONTAINS(err.msg, "\"fail.gp\" line 3: undefined variable: boom");
}

/* The name gnuplot is told to write, from the script's "set output" line. */
#define FAKE_OUT "out=$(sed -n \"s/^set output '\\(.*\\)'$/\\1/p\" \"$1\")\n"

static void t_truncated_output(void) {
  /* gnuplot on a full disk: exit 0, and a figure cut short.  A PNG without
   * its IEND chunk, an SVG without its </svg>, an empty file: each is a
   * failure, named, and no figure is left behind. */
  sim_err err = {0};
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .where = "r.workload = 'SB'", .by = "model", .out = path_of("cut.png")};
  int rc = plot_with_fake_gnuplot(
      &o, "cutpng", FAKE_OUT "printf '\\211PNG\\r\\n\\032\\n\\0\\0\\0\\rIHDR' > \"$out\"\n"
      "echo 'write error' >&2\nexit 0\n", &err);
  CHECK_EQ_I64(rc, SIM_ETOOL);
  CHECK_CONTAINS(err.msg, "cut.png");
  CHECK_CONTAINS(err.msg, "incomplete PNG");
  CHECK_CONTAINS(err.msg, "write error"); /* gnuplot's own words */
  CHECK_EQ_I64(file_size(path_of("cut.png")), -1);
  o.out = path_of("cut.svg");
  rc = plot_with_fake_gnuplot(&o, "cutsvg",
                              FAKE_OUT "printf '<?xml version=\"1.0\"?>\\n<svg>\\n<g>' > \"$out\"\n",
                              &err);
  CHECK_EQ_I64(rc, SIM_ETOOL);
  CHECK_CONTAINS(err.msg, "incomplete SVG");
  CHECK_EQ_I64(file_size(path_of("cut.svg")), -1);
  o.out = path_of("cut0.png");
  rc = plot_with_fake_gnuplot(&o, "cutempty", FAKE_OUT ": > \"$out\"\n", &err);
  CHECK_EQ_I64(rc, SIM_ETOOL);
  CHECK_CONTAINS(err.msg, "cut0.png");
  /* The real gnuplot's figures pass the same check. */
  o.out = path_of("whole.svg");
  if ((rc = plot_metric(&o, &err))) CHECK__FAIL("plot_metric: %s", err.msg);
}

static void t_failure_leaves_nothing(void) {
  /* A figure drawn once; redrawn with a failing gnuplot, the earlier
   * .dat, .gp and .png stay as they were and nothing new is left. */
  sim_err err = {0};
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .where = "r.workload = 'SB'", .by = "model", .out = path_of("keep.png")};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  char *dat = strdup(slurp(path_of("keep.dat"))), *gp = strdup(slurp(path_of("keep.gp")));
  long png = file_size(path_of("keep.png"));
  o.y = "anomaly_rate"; /* a different figure: its files would differ */
  rc = plot_with_fake_gnuplot(&o, "failbin", "echo boom >&2\nexit 1\n", &err);
  CHECK_EQ_I64(rc, SIM_ETOOL);
  CHECK_EQ_STR(slurp(path_of("keep.dat")), dat);
  CHECK_EQ_STR(slurp(path_of("keep.gp")), gp);
  CHECK_EQ_I64(file_size(path_of("keep.png")), png);
  free(dat);
  free(gp);
  /* A first figure that fails leaves no .dat, .gp or image. */
  o.out = path_of("never.svg");
  rc = plot_with_fake_gnuplot(&o, "failbin", "echo boom >&2\nexit 1\n", &err);
  CHECK_EQ_I64(rc, SIM_ETOOL);
  CHECK_EQ_I64(file_size(path_of("never.dat")), -1);
  CHECK_EQ_I64(file_size(path_of("never.gp")), -1);
  CHECK_EQ_I64(file_size(path_of("never.svg")), -1);
  /* Nor does one whose gnuplot succeeds on a truncated image. */
  o.out = path_of("never.png");
  rc = plot_with_fake_gnuplot(&o, "cutbin", FAKE_OUT "printf '\\211PNG' > \"$out\"\n", &err);
  CHECK_EQ_I64(rc, SIM_ETOOL);
  CHECK_EQ_I64(file_size(path_of("never.dat")), -1);
  CHECK_EQ_I64(file_size(path_of("never.gp")), -1);
  CHECK_EQ_I64(file_size(path_of("never.png")), -1);
}

static void t_output_is_a_folder(void) {
  /* OUT names a non-empty directory: the figure cannot take its place,
   * the message says so, and no .dat or .gp is left beside it. */
  mkdir(path_of("busy.png"), 0755);
  FILE *f = fopen(path_of("busy.png/keep"), "w");
  CHECK(f != NULL);
  fclose(f);
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .where = "r.workload = 'SB'", .by = "model", .out = path_of("busy.png")};
  sim_err err = {0};
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EIO);
  CHECK_CONTAINS(err.msg, "cannot write ");
  CHECK_CONTAINS(err.msg, "busy.png: Is a directory");
  CHECK_EQ_I64(file_size(path_of("busy.dat")), -1);
  CHECK_EQ_I64(file_size(path_of("busy.gp")), -1);
}

static void t_unwritable_output(void) {
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .where = "r.workload = 'SB'", .by = "model", .out = "/nonexistent/dir/x.png"};
  sim_err err = {0};
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_EIO);
  CHECK_CONTAINS(err.msg, "cannot write /nonexistent/dir/x.dat");
}

static const check_case cases[] = {
    {"numeric_x_png", t_numeric_x_png},
    {"text_x_svg", t_text_x_svg},
    {"single_series_lines", t_single_series_lines},
    {"unknown_names", t_unknown_names},
    {"anomaly_kind_rate", t_anomaly_kind_rate},
    {"histogram", t_histogram},
    {"scatter_log_upper_limit", t_scatter_log_upper_limit},
    {"scatter_linear", t_scatter_linear},
    {"native_vs_sim_bars", t_native_vs_sim_bars},
    {"outcomes_across_models", t_outcomes_across_models},
    {"refuses_pooling", t_refuses_pooling},
    {"identical_runs_once", t_identical_runs_once},
    {"experiment_filter", t_experiment_filter},
    {"no_gnuplot_on_path", t_no_gnuplot_on_path},
    {"gnuplot_fails", t_gnuplot_fails},
    {"truncated_output", t_truncated_output},
    {"failure_leaves_nothing", t_failure_leaves_nothing},
    {"output_is_a_folder", t_output_is_a_folder},
    {"unwritable_output", t_unwritable_output},
    {0},
};

int main(int argc, char **argv) {
  if (check_tmpdir_make(tmpdir, sizeof tmpdir, "test_plot")) return 1;
  /* The shared database, built once; its checks jump here on failure. */
  if (setjmp(check__jmp) == 0) build_db();
  if (check__failed) {
    fprintf(stderr, "FAIL building the test database in %s\n", tmpdir);
    return 1;
  }
  int rc = check_main(cases, argc, argv);
  check_tmpdir_done(tmpdir, rc);
  return rc;
}
