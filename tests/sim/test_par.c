/* tests/sim/test_par.c -- a run split over host threads (-j N, sim/par.h)
 * gives the run a serial one gives, bit for bit.
 *
 * A user compares runs made on different machines with different -j, and
 * the determinism promise (same config and seed, same rows) must survive
 * that.  So every number a run reports is compared between -j 1 and
 * several N: iterations, the outcomes with their counts, their first
 * iterations (the witness a user replays) and their order, the simulated
 * cycles and every metric's value to the last bit.
 */
#include "../check.h"
#include "sim/config.h"
#include "sim/machine.h"
#include "sim/par.h"
#include "workloads/litmus_run.h"
#include "workloads/litmus_sc.h"
#include "workloads/mapbench_run.h"
#include "workloads/scenario_run.h"

static cfg *config(const char *file, const char *const *sets) {
  sim_err err = {0, ""};
  cfg *c = cfg_new();
  CHECK(c != NULL);
  if (file && cfg_load_file(c, file, &err)) CHECK__FAIL("%s", err.msg);
  for (; sets && *sets; sets += 2)
    if (cfg_set(c, sets[0], sets[1], &err)) CHECK__FAIL("%s", err.msg);
  return c;
}

static void same_hist(const sim_hist *a, const sim_hist *b) {
  CHECK_EQ_U64(hist_len(a), hist_len(b));
  CHECK_EQ_U64(hist_width(a), hist_width(b));
  for (size_t i = 0; i < hist_len(a); i++) { /* same order: the serial one */
    CHECK(memcmp(hist_key(a, i), hist_key(b, i), hist_width(a) * sizeof(int64_t)) == 0);
    CHECK_EQ_U64(hist_count(a, i), hist_count(b, i));
    CHECK_EQ_U64(hist_first(a, i), hist_first(b, i));
  }
}

static void same_metrics(const sim_metrics *a, const sim_metrics *b) {
  CHECK_EQ_U64(a->len, b->len);
  for (size_t i = 0; i < a->len; i++) {
    CHECK_EQ_STR(a->v[i].key, b->v[i].key);
    if (memcmp(&a->v[i].value, &b->v[i].value, sizeof(double)) != 0)
      CHECK__FAIL("%s: %.17g != %.17g", a->v[i].key, a->v[i].value, b->v[i].value);
  }
}

static const unsigned jobs[] = {2, 3, 7};
#define NJOBS (sizeof jobs / sizeof *jobs)

/* path under model, serial against each jobs; with causes, attributed
 * against the SC set (the run.causes path). */
static void litmus_same(const char *path, const char *model, uint64_t n, bool causes) {
  sim_err err = {0, ""};
  litmus_test *t;
  if (litmus_parse_file(path, &t, &err)) CHECK__FAIL("%s", err.msg);
  const char *sets[] = {"cpu.model", model, "run.seed", "5", NULL};
  cfg *c = config(NULL, sets);
  sim_hist *sc = NULL;
  litmus_sc_stats st;
  if (causes && litmus_sc_search(t, 100000, &sc, &st, &err)) CHECK__FAIL("%s", err.msg);
  litmus_result one, par;
  if (causes ? litmus_run_causes(t, c, 0, n, 1, sc, &one, &err)
             : litmus_run_sim(t, c, 0, n, 1, &one, &err))
    CHECK__FAIL("%s", err.msg);
  CHECK(one.positive > 0); /* a run where something happens */
  for (size_t j = 0; j < NJOBS; j++) {
    if (causes ? litmus_run_causes(t, c, 0, n, jobs[j], sc, &par, &err)
               : litmus_run_sim(t, c, 0, n, jobs[j], &par, &err))
      CHECK__FAIL("-j %u: %s", jobs[j], err.msg);
    CHECK_EQ_U64(par.iterations, one.iterations);
    CHECK_EQ_U64(par.positive, one.positive);
    CHECK_EQ_U64(par.sim_cycles, one.sim_cycles);
    CHECK_EQ_U64(par.mem_uops, one.mem_uops);
    same_hist(one.hist, par.hist);
    same_metrics(&one.metrics, &par.metrics);
    litmus_result_free(&par);
  }
  if (causes) CHECK(metrics_get(&one.metrics, "cause.explained", 0) > 0);
  litmus_result_free(&one);
  hist_free(sc);
  cfg_free(c);
  litmus_free(t);
}

static void t_litmus(void) {
  litmus_same(MMSIM_SOURCE_DIR "/litmus/x86/SB.litmus", "tso", 20000, false);
  litmus_same(MMSIM_SOURCE_DIR "/litmus/x86/IRIW.litmus", "weak", 5000, false);
}

static void t_litmus_causes(void) {
  litmus_same(MMSIM_SOURCE_DIR "/litmus/x86/MP.litmus", "weak", 5000, true);
}

static void t_map(void) {
  const char *sets[] = {"cpu.model", "weak", "run.seed", "3", "run.causes", "true", NULL};
  cfg *c = config(MMSIM_SOURCE_DIR "/configs/map/publish-flag-unsafe.json", sets);
  sim_err err = {0, ""};
  wl_result one, par;
  if (wl_run_causes(c, 0, 600, 1, &one, &err)) CHECK__FAIL("%s", err.msg);
  CHECK(one.anomalies > 0);
  for (size_t j = 0; j < NJOBS; j++) {
    if (wl_run_causes(c, 0, 600, jobs[j], &par, &err)) CHECK__FAIL("%s", err.msg);
    CHECK_EQ_U64(par.iterations, one.iterations);
    CHECK_EQ_U64(par.anomalies, one.anomalies);
    CHECK_EQ_U64(par.forbidden, one.forbidden);
    CHECK_EQ_U64(par.map_ops, one.map_ops);
    CHECK_EQ_U64(par.sim_cycles, one.sim_cycles);
    same_hist(one.hist, par.hist);
    same_metrics(&one.metrics, &par.metrics);
    wl_result_free(&par);
  }
  wl_result_free(&one);
  cfg_free(c);
}

/* mapbench: per-operation latencies merged from every thread of every
 * worker, so its percentiles too are the serial run's. */
static void t_mapbench(void) {
  const char *sets[] = {"workload.kind", "mapbench", "workload.variant", "rwmutex",
                        "workload.threads", "4", "workload.ops", "20", "workload.keys", "64",
                        NULL};
  cfg *c = config(NULL, sets);
  sim_err err = {0, ""};
  mb_result one, par;
  if (mb_run_sim(c, 0, 9, 1, &one, &err)) CHECK__FAIL("%s", err.msg);
  for (size_t j = 0; j < NJOBS; j++) {
    if (mb_run_sim(c, 0, 9, jobs[j], &par, &err)) CHECK__FAIL("%s", err.msg);
    CHECK_EQ_U64(par.iterations, one.iterations);
    CHECK_EQ_U64(par.ops, one.ops);
    CHECK_EQ_U64(par.sim_cycles, one.sim_cycles);
    same_hist(one.hist, par.hist);
    same_metrics(&one.metrics, &par.metrics);
    mb_result_free(&par);
  }
  mb_result_free(&one);
  cfg_free(c);
}

/* Some iterations never end (a start skew as long as run.max_cycles):
 * every -j reports the first of them, as the serial run meets it, though
 * with one iteration a chunk later ones may fail first in host time. */
static void t_first_error(void) {
  const char *sets[] = {"run.max_cycles", "1000", "run.start_skew", "1000", NULL};
  cfg *c = config(NULL, sets);
  sim_err err = {0, ""}, one = {0, ""};
  litmus_test *t;
  if (litmus_parse_file(MMSIM_SOURCE_DIR "/litmus/x86/SB.litmus", &t, &err))
    CHECK__FAIL("%s", err.msg);
  litmus_result r;
  CHECK_EQ_I64(litmus_run_sim(t, c, 0, 40, 1, &r, &one), SIM_EVIOLATION);
  CHECK(strstr(one.msg, "no end after") != NULL);
  for (size_t j = 0; j < NJOBS; j++) {
    CHECK_EQ_I64(litmus_run_sim(t, c, 0, 40, jobs[j], &r, &err), SIM_EVIOLATION);
    CHECK_EQ_STR(err.msg, one.msg);
  }
  litmus_free(t);
  cfg_free(c);
}

/* Fewer iterations than threads, and a range not starting at 0: what
 * --iteration K and the conformance test's continued runs do. */
static void t_small_and_offset(void) {
  cfg *c = config(NULL, NULL);
  sim_err err = {0, ""};
  litmus_test *t;
  if (litmus_parse_file(MMSIM_SOURCE_DIR "/litmus/x86/SB.litmus", &t, &err))
    CHECK__FAIL("%s", err.msg);
  litmus_result one, par;
  CHECK_EQ_I64(litmus_run_sim(t, c, 1234, 3, 1, &one, &err), 0);
  CHECK_EQ_I64(litmus_run_sim(t, c, 1234, 3, 8, &par, &err), 0);
  CHECK_EQ_U64(par.iterations, 3);
  same_hist(one.hist, par.hist);
  same_metrics(&one.metrics, &par.metrics);
  litmus_result_free(&one);
  litmus_result_free(&par);
  litmus_free(t);
  cfg_free(c);
  CHECK_EQ_U64(par_jobs_for(8, 3), 3);
  CHECK(par_jobs_for(0, 1000) >= 1);
}

/* Each thread builds a machine: no more of them than sim.memory_limit
 * holds (the 2 GiB LLC below fits twice in 5 GB), and never none. */
static void t_memory_limit(void) {
  const char *sets[] = {"cache.llc.sets", "262144", "cache.llc.ways", "64",
                        "sim.memory_limit", "5000000000", NULL};
  cfg *c = config(NULL, sets);
  CHECK_EQ_U64(sim_machine_fit_jobs(c, 2, 8), 2);
  CHECK_EQ_U64(sim_machine_fit_jobs(c, 2, 1), 1);
  sim_err err = {0, ""};
  if (cfg_set(c, "memory.kind", "ideal", &err)) CHECK__FAIL("%s", err.msg);
  CHECK_EQ_U64(sim_machine_fit_jobs(c, 2, 8), 8); /* no caches */
  cfg_free(c);
}

static const check_case cases[] = {{"litmus", t_litmus},
                                   {"litmus_causes", t_litmus_causes},
                                   {"map", t_map},
                                   {"mapbench", t_mapbench},
                                   {"first_error", t_first_error},
                                   {"small_and_offset", t_small_and_offset},
                                   {"memory_limit", t_memory_limit},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
