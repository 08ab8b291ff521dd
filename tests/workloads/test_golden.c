/* tests/workloads/test_golden.c -- exact histograms of a few simulated runs,
 * pinned as golden files in tests/golden/.
 *
 * The frequency checks elsewhere are "> 0" or "== 0": a Sometimes outcome
 * passes at 1 hit in 200,000, so a change that moves a rate by orders of
 * magnitude would pass them.  Simulated runs are deterministic (same config
 * and seed, same result bit for bit), so here every outcome's count, the
 * count satisfying the condition (or the anomalies) and the simulated
 * cycles of a handful of (test, model, seed) runs and of two map scenarios
 * must equal the files' numbers exactly.
 *
 * A deliberate change of timing or of a model moves these numbers.  Then
 * re-baseline, look at the diff, and commit it as one reviewed change:
 *
 *     MMSIM_REBASELINE=1 ctest --test-dir build -R workloads.golden
 *     git diff tests/golden/
 *
 * (MMSIM_REBASELINE=1 makes the test rewrite the files instead of comparing.)
 * Built with the sanitizers the runs are the same, only slower, so the
 * check is the same there.
 */
#include <errno.h>

#include "../check.h"
#include "sim/config.h"
#include "workloads/litmus_run.h"
#include "workloads/scenario_run.h"

#define GOLDEN_DIR MMSIM_SOURCE_DIR "/tests/golden/"

typedef struct golden {
  const char *name;  /* the file tests/golden/<name>.txt and the case's name */
  const char *input; /* litmus file, or map config, under the source tree */
  const char *model;
  const char *seed;
  const char *iterations;
} golden;

/* Litmus runs: tests whose Sometimes outcomes each model lets through in
 * different measure, one C-dialect test among them. */
static const golden litmus_runs[] = {
    {"SB-tso", "litmus/x86/SB.litmus", "tso", "1", "20000"},
    {"MP-pso", "litmus/x86/MP.litmus", "pso", "7", "20000"},
    {"MP-weak", "litmus/x86/MP.litmus", "weak", "3", "20000"},
    {"IRIW-weak", "litmus/x86/IRIW.litmus", "weak", "5", "20000"},
    {"2+2W-pso", "litmus/x86/2+2W.litmus", "pso", "11", "20000"},
    {"C-MP+poonceonces-weak", "litmus/c/MP+poonceonces.litmus", "weak", "2", "20000"},
    {"C-ISA2+rel-acq-weak", "litmus/c/ISA2+pooncerelease+poacquirerelease+poacquireonce.litmus",
     "weak", "4", "20000"},
};
/* Map scenarios: a lost update and a store-load race. */
static const golden map_runs[] = {
    {"map-refcount-lost-update-tso", "configs/map/refcount-lost-update-unsafe.json", "tso", "1",
     "2000"},
    {"map-dekker-flags-pso", "configs/map/dekker-flags-unsafe.json", "pso", "9", "2000"},
};

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *s = malloc(cap);
  for (size_t k; s && (k = fread(s + n, 1, cap - n - 1, f)) > 0;) {
    n += k;
    if (n + 1 == cap) s = realloc(s, cap *= 2);
  }
  fclose(f);
  if (s) s[n] = 0;
  return s;
}

/* Compare text with the golden file, or rewrite it when re-baselining. */
static void against_golden(const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, GOLDEN_DIR "%s.txt", name);
  const char *re = getenv("MMSIM_REBASELINE");
  if (re && strcmp(re, "0") != 0) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    CHECK(fputs(text, f) >= 0);
    CHECK(fclose(f) == 0);
    printf("  rebaselined %s\n", path);
    return;
  }
  char *want = slurp(path);
  if (!want)
    CHECK__FAIL("%s: %s (new golden run? MMSIM_REBASELINE=1 writes it)", path, strerror(errno));
  int same = strcmp(want, text) == 0;
  if (!same)
    fprintf(stderr, "  %s differs. Expected:\n%s  Got:\n%s  A deliberate change? "
            "MMSIM_REBASELINE=1 ctest -R workloads.golden, then review git diff tests/golden/\n",
            path, want, text);
  free(want);
  CHECK(same);
}

static cfg *config(const golden *g, const char *file) {
  sim_err err = {0, ""};
  cfg *c = cfg_new();
  CHECK(c != NULL);
  if (file && cfg_load_file(c, file, &err)) CHECK__FAIL("%s", err.msg);
  if (cfg_set(c, "cpu.model", g->model, &err) || cfg_set(c, "run.seed", g->seed, &err) ||
      cfg_set(c, "run.iterations", g->iterations, &err))
    CHECK__FAIL("%s: %s", g->name, err.msg);
  return c;
}

/* Appends printf-style to a fixed buffer; the histograms here are short. */
typedef struct text {
  char s[16384];
  size_t n;
} text;
__attribute__((format(printf, 2, 3))) static void put(text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(t->s + t->n, sizeof t->s - t->n, fmt, ap);
  va_end(ap);
  CHECK(k >= 0 && (size_t)k < sizeof t->s - t->n);
  t->n += (size_t)k;
}

static void run_litmus(const golden *g) {
  char path[512];
  snprintf(path, sizeof path, MMSIM_SOURCE_DIR "/%s", g->input);
  sim_err err = {0, ""};
  litmus_test *t;
  if (litmus_parse_file(path, &t, &err)) CHECK__FAIL("%s", err.msg);
  cfg *c = config(g, NULL);
  litmus_result r;
  uint64_t n = strtoull(g->iterations, NULL, 10);
  if (litmus_run_sim(t, c, 0, n, 1, &r, &err)) CHECK__FAIL("%s: %s", g->name, err.msg);
  cfg_free(c);
  static text out;
  out.n = 0;
  put(&out, "# %s model=%s seed=%s iterations=%s (defaults otherwise)\n", g->input, g->model,
      g->seed, g->iterations);
  put(&out, "iterations %" PRIu64 "\npositive %" PRIu64 "\nsim_cycles %" PRIu64 "\n",
      r.iterations, r.positive, r.sim_cycles);
  hist_sort(r.hist);
  for (size_t i = 0; i < hist_len(r.hist); i++) {
    char o[512];
    litmus_outcome_format(t, hist_key(r.hist, i), o, sizeof o);
    put(&out, "%8" PRIu64 " %s\n", hist_count(r.hist, i), o);
  }
  litmus_result_free(&r);
  litmus_free(t);
  against_golden(g->name, out.s);
}

static void run_map(const golden *g) {
  char path[512];
  snprintf(path, sizeof path, MMSIM_SOURCE_DIR "/%s", g->input);
  sim_err err = {0, ""};
  cfg *c = config(g, path);
  wl_result r;
  uint64_t n = strtoull(g->iterations, NULL, 10);
  if (wl_run_sim(c, 0, n, 1, &r, &err)) CHECK__FAIL("%s: %s", g->name, err.msg);
  cfg_free(c);
  static text out;
  out.n = 0;
  put(&out, "# %s model=%s seed=%s iterations=%s (defaults otherwise)\n", g->input, g->model,
      g->seed, g->iterations);
  put(&out, "iterations %" PRIu64 "\nanomalies %" PRIu64 "\nforbidden %" PRIu64
      "\nmap_ops %" PRIu64 "\nsim_cycles %" PRIu64 "\n",
      r.iterations, r.anomalies, r.forbidden, r.map_ops, r.sim_cycles);
  hist_sort(r.hist);
  for (size_t i = 0; i < hist_len(r.hist); i++) {
    put(&out, "%8" PRIu64, hist_count(r.hist, i));
    for (unsigned k = 0; k < hist_width(r.hist); k++) put(&out, " %" PRId64, hist_key(r.hist, i)[k]);
    put(&out, "\n");
  }
  wl_result_free(&r);
  against_golden(g->name, out.s);
}

static void t_litmus(void) {
  for (size_t i = 0; i < sizeof litmus_runs / sizeof *litmus_runs; i++) run_litmus(&litmus_runs[i]);
}
static void t_map(void) {
  for (size_t i = 0; i < sizeof map_runs / sizeof *map_runs; i++) run_map(&map_runs[i]);
}

static const check_case cases[] = {
    {"litmus", t_litmus}, {"map", t_map}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
