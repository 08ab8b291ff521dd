/* tests/plots/test_plot.c -- plots/: figures from a small database written
 * with db_run_write, checked as files (PNG signature, SVG header, the .dat
 * rows, the .gp choices) and through their errors (unknown names, no
 * gnuplot on PATH, gnuplot failing).
 *
 * The database: SB and MP litmus runs under tso and pso at net.jitter 0, 1,
 * 2, with a second tso run at jitter 1 so that one point aggregates two
 * runs (53 forbidden of 2000 iterations pooled; l1.misses mean of 100 and
 * 200).
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

static void add_run(db *d, const char *workload, const char *model, const char *jitter,
                    uint64_t forbidden, uint64_t iterations, double misses) {
  db_param p[] = {{"cpu.model", model}, {"net.jitter", jitter}, {"workload.litmus", workload}};
  db_outcome o[] = {
      {"0:r0=0; 1:r0=0;", forbidden, 1, "mutual_exclusion"},
      {"0:r0=0; 1:r0=1;", iterations - forbidden, 0, NULL},
  };
  db_metric m[] = {{"l1.misses", misses}};
  db_run r = {
      .engine = "sim", .workload = workload, .model = model, .seed = 7,
      .iterations = iterations, .wall_s = 0.1, .params = p, .nparams = 3,
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
  add_run(d, "SB", "tso", "0", 10, 1000, 50);
  add_run(d, "SB", "tso", "1", 50, 1000, 100);
  add_run(d, "SB", "tso", "1", 3, 1000, 200); /* same point: aggregated */
  add_run(d, "SB", "tso", "2", 80, 1000, 300);
  add_run(d, "SB", "pso", "0", 20, 1000, 60);
  add_run(d, "SB", "pso", "2", 90, 1000, 310);
  add_run(d, "MP", "tso", "0", 0, 1000, 40);
  add_run(d, "MP", "pso", "0", 30, 1000, 45);
  /* A histogram whose counts span more than three decades. */
  add_run(d, "LB", "weak", "5", 5, 40005, 1);
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
                 .by = "cpu.model", .out = path_of("rate.png")};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK(file_size(path_of("rate.png")) > 1000);
  CHECK(check_png(path_of("rate.png")));
  const char *dat = slurp(path_of("rate.dat"));
  CHECK_CONTAINS(dat, "# columns: x y y_lo y_hi runs k n\n");
  /* Series sorted by first appearance: tso (run 1) before pso (run 5).
   * Jitter 0 pools the SB and MP runs: 10 + 0 of 2000 for tso. */
  CHECK_CONTAINS(dat, "# series 0: cpu.model=tso\n"
                      "0 0.005 0.002718151301 0.009179795123 2 10 2000\n"
                      "1 0.0265 0.02031682153 0.03449868884 2 53 2000\n"
                      "2 0.08 0.06474778552 0.09846680929 1 80 1000\n");
  CHECK_CONTAINS(dat, "\n\n\n# series 1: cpu.model=pso\n0 0.025 0.01901432822 0.0328069335 2 50 2000\n");
  /* The LB run at jitter 5 is weak: its own series. */
  CHECK_CONTAINS(dat, "# series 2: cpu.model=weak\n5 0.000124984377 5.338621172e-05 0.0002925773165 1 5 40005\n");
  const char *gp = slurp(path_of("rate.gp"));
  CHECK_CONTAINS(gp, "set terminal pngcairo");
  CHECK_CONTAINS(gp, "set output 'rate.png'");
  CHECK_CONTAINS(gp, "mmsim house style");
  CHECK_CONTAINS(gp, "'rate.dat' index 0 using 1:2:3:4 with yerrorlines lt 1 title 'tso'");
  CHECK_CONTAINS(gp, "'' index 1 using 1:2:3:4 with yerrorlines lt 2 title 'pso'");
  CHECK_CONTAINS(gp, "set key title 'cpu.model'");
}

static void t_text_x_svg(void) {
  plot_opts o = {.db_path = dbpath, .x = "workload", .y = "l1.misses", .by = "cpu.model",
                 .where = "r.workload IN ('SB', 'MP')", .out = path_of("misses.svg")};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  const char *svg = slurp(path_of("misses.svg"));
  CHECK(strncmp(svg, "<?xml", 5) == 0 || strncmp(svg, "<svg", 4) == 0);
  CHECK_CONTAINS(svg, "</svg>");
  const char *dat = slurp(path_of("misses.dat"));
  /* Mean over runs: SB tso averages 50, 100, 200, 300 = 162.5, min 50, max
   * 300; series columns tso 2-5, pso 6-9. */
  CHECK_CONTAINS(dat, "# x | 0: tso | 1: pso\n"
                      "\"SB\" 162.5 50 300 4 185 60 310 2\n"
                      "\"MP\" 40 40 40 1 45 45 45 1\n");
  const char *gp = slurp(path_of("misses.gp"));
  CHECK_CONTAINS(gp, "set terminal svg");
  CHECK_CONTAINS(gp, "set style histogram errorbars");
  CHECK_CONTAINS(gp, "'misses.dat' using 2:3:4:xtic(1) lt 1 title 'tso'");
  CHECK_CONTAINS(gp, "'' using 6:7:8 lt 2 title 'pso'");
  CHECK_CONTAINS(gp, "r.workload IN (''SB'', ''MP'')"); /* the where, in the title */
}

static void t_single_series_lines(void) {
  /* No by, one run per point, a metric: plain linespoints, no key entry. */
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "l1.misses",
                 .where = "r.model = 'pso'", .out = path_of("one.png"), .title = "pso misses"};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK(check_png(path_of("one.png")));
  CHECK_CONTAINS(slurp(path_of("one.dat")), "# series 0: (unset)\n0 52.5 45 60 2\n2 310 310 310 1\n");
  const char *gp = slurp(path_of("one.gp"));
  CHECK_CONTAINS(gp, "set title 'pso misses'");
  CHECK_CONTAINS(gp, "with yerrorlines lt 1 notitle"); /* jitter 0 has two pso runs */
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
  plot_opts o = {.db_path = dbpath, .x = "model", .y = "anomaly_rate.mutual_exclusion",
                 .out = path_of("kind.png")};
  sim_err err = {0};
  int rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  /* x text, first appearance: tso (run 1), pso (run 5), weak (run 9). */
  CHECK_CONTAINS(slurp(path_of("kind.dat")),
                 "\"tso\" 0.0286 0.02432940469 0.03359441128 5\n\"pso\" 0.04666666667 0.03968119802 0.05481166738 3\n");
  o.y = "anomaly_rate.torn_read"; /* a known kind that never happened: rate 0 */
  rc = plot_metric(&o, &err);
  if (rc) CHECK__FAIL("plot_metric: %s", err.msg);
  CHECK_CONTAINS(slurp(path_of("kind.dat")), "\"tso\" 0 0 0.0007677301376 5\n");
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

static void t_no_gnuplot_on_path(void) {
  char *old = strdup(getenv("PATH") ? getenv("PATH") : "");
  setenv("PATH", "/nonexistent/bin", 1);
  sim_err err = {0};
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .out = path_of("nogp.png")};
  int rc = plot_metric(&o, &err);
  int rc2 = plot_histogram(dbpath, 1, path_of("nogp2.png"), &err);
  setenv("PATH", old, 1);
  free(old);
  CHECK_EQ_I64(rc, SIM_ETOOL);
  CHECK_EQ_I64(rc2, SIM_ETOOL);
  CHECK_EQ_STR(err.msg, "gnuplot not found on PATH: apt-get install gnuplot-nox");
  CHECK(file_size(path_of("nogp.gp")) > 0); /* the script is there to run later */
}

static void t_gnuplot_fails(void) {
  /* A gnuplot that fails the way a real one does: message on stderr. */
  const char *bin = path_of("fakebin");
  mkdir(bin, 0755);
  char fake[300];
  snprintf(fake, sizeof fake, "%s/gnuplot", bin);
  FILE *f = fopen(fake, "w");
  CHECK(f != NULL);
  fputs("#!/bin/sh\necho \"\\\"$1\\\" line 3: undefined variable: boom\" >&2\nexit 1\n", f);
  fclose(f);
  chmod(fake, 0755);
  char *old = strdup(getenv("PATH") ? getenv("PATH") : "");
  setenv("PATH", bin, 1);
  sim_err err = {0};
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .out = path_of("fail.png")};
  int rc = plot_metric(&o, &err);
  setenv("PATH", old, 1);
  free(old);
  CHECK_EQ_I64(rc, SIM_ETOOL);
  CHECK_CONTAINS(err.msg, "gnuplot failed on");
  CHECK_CONTAINS(err.msg, "fail.gp");
  CHECK_CONTAINS(err.msg, "exit status 1");
  CHECK_CONTAINS(err.msg, "\"fail.gp\" line 3: undefined variable: boom");
}

static void t_real_gnuplot_error(void) {
  /* The real gnuplot, unable to open its output (a non-empty directory of
   * that name): the failure carries gnuplot's own words. */
  mkdir(path_of("busy.png"), 0755);
  FILE *f = fopen(path_of("busy.png/keep"), "w");
  CHECK(f != NULL);
  fclose(f);
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .out = path_of("busy.png")};
  sim_err err = {0};
  CHECK_EQ_I64(plot_metric(&o, &err), SIM_ETOOL);
  CHECK_CONTAINS(err.msg, "gnuplot failed on");
  CHECK_CONTAINS(err.msg, "busy.gp");
  CHECK_CONTAINS(err.msg, "cannot open file");
}

static void t_unwritable_output(void) {
  plot_opts o = {.db_path = dbpath, .x = "net.jitter", .y = "forbidden_rate",
                 .out = "/nonexistent/dir/x.png"};
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
    {"no_gnuplot_on_path", t_no_gnuplot_on_path},
    {"gnuplot_fails", t_gnuplot_fails},
    {"real_gnuplot_error", t_real_gnuplot_error},
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
