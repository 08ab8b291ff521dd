/* tests/workloads/test_mapbench.c -- map throughput (workload.kind
 * mapbench): the fixes are safe, Go's unsafe map is caught, the numbers
 * add up, and bad configs are refused by key.
 *
 * What a user relies on: a fix variant (locked, rwmutex, sharded, cow,
 * syncmap) never
 * loses a key nor trips Go's concurrent-access check, under any model and
 * at any core count, so the scaling figure compares correct maps; the
 * metrics count every operation; the finding the README draws from the
 * figure (a sharded map causes fewer invalidations per operation than one
 * lock) holds.
 */
#include "../check.h"
#include "sim/config.h"
#include "workloads/mapbench_run.h"
#include "workloads/scenario_run.h"

static cfg *config(const char *const *sets) {
  sim_err err = {0, ""};
  cfg *c = cfg_new();
  CHECK(c != NULL);
  static const char *const base[] = {"workload.kind", "mapbench", "workload.keys", "256",
                                     "run.iterations", "1", "run.max_cycles", "1000000000",
                                     NULL};
  for (const char *const *s = base; *s; s += 2)
    if (cfg_set(c, s[0], s[1], &err)) CHECK__FAIL("%s", err.msg);
  for (; sets && *sets; sets += 2)
    if (cfg_set(c, sets[0], sets[1], &err)) CHECK__FAIL("%s=%s: %s", sets[0], sets[1], err.msg);
  return c;
}

static void run(const char *const *sets, mb_result *r) {
  cfg *c = config(sets);
  sim_err err = {0, ""};
  if (mb_run_sim(c, 0, (uint64_t)cfg_int(c, CK_RUN_ITERATIONS), 1, r, &err))
    CHECK__FAIL("%s", err.msg);
  cfg_free(c);
}

/* Every fix, every model, 2, 8 and 32 threads: no key lost, no
 * concurrent access caught. */
static void t_fixes_safe(void) {
  static const char *const variants[] = {"locked", "rwmutex", "sharded", "cow", "syncmap"};
  static const char *const models[] = {"sc", "tso", "pso", "weak"};
  static const char *const threads[][2] = {{"2", "60"}, {"8", "30"}, {"32", "4"}};
  for (size_t v = 0; v < 5; v++)
    for (size_t m = 0; m < 4; m++)
      for (size_t t = 0; t < 3; t++) {
        const char *sets[] = {"workload.variant", variants[v], "cpu.model", models[m],
                              "workload.threads", threads[t][0], "workload.ops", threads[t][1],
                              "workload.keys", "64", /* hot keys; and cow copies less */
                              "workload.mix.read", "0.6", "workload.mix.write", "0.3",
                              "workload.mix.delete", "0.1", NULL};
        mb_result r;
        run(sets, &r);
        if (metrics_get(&r.metrics, "mapbench.lost", -1) != 0 ||
            metrics_get(&r.metrics, "mapbench.concurrent", -1) != 0)
          CHECK__FAIL("%s under %s at %s threads: %.0f lost, %.0f concurrent", variants[v],
                      models[m], threads[t][0], metrics_get(&r.metrics, "mapbench.lost", -1),
                      metrics_get(&r.metrics, "mapbench.concurrent", -1));
        CHECK_EQ_U64(r.anomalies, 0);
        mb_result_free(&r);
      }
}

/* The same fixes on the host's cores (mmsim native), at 2, 8 and 32
 * threads: no key lost, no concurrent access caught, every operation
 * timed. */
static void t_native_safe(void) {
  static const char *const variants[] = {"locked", "rwmutex", "sharded", "cow", "syncmap"};
  static const char *const threads[] = {"2", "8", "32"};
  for (size_t v = 0; v < 5; v++)
    for (size_t t = 0; t < 3; t++) {
      const char *sets[] = {"workload.variant", variants[v], "workload.threads", threads[t],
                            "workload.ops", "300", "run.iterations", "3",
                            "workload.mix.read", "0.6", "workload.mix.write", "0.3",
                            "workload.mix.delete", "0.1", NULL};
      cfg *c = config(sets);
      sim_err err = {0, ""};
      mb_result r;
      native_host h;
      if (mb_run_native(c, &r, &h, &err)) CHECK__FAIL("%s", err.msg);
      CHECK_EQ_U64(r.iterations, 3);
      CHECK_EQ_U64(r.ops, 3 * 300 * strtoull(threads[t], NULL, 10));
      CHECK_EQ_U64(r.anomalies, 0);
      CHECK_EQ_U64(metrics_get(&r.metrics, "mapbench.lost", -1), 0);
      CHECK_EQ_U64(metrics_get(&r.metrics, "mapbench.concurrent", -1), 0);
      CHECK(metrics_get(&r.metrics, "mapbench.ops_per_s", 0) > 0);
      CHECK(metrics_get(&r.metrics, "mapbench.p99_ns", 0) > 0);
      mb_result_free(&r);
      cfg_free(c);
    }
}

/* Go's map with no fix: readers and writers on 8 cores trip its
 * hashWriting check ("concurrent map read and map write"). */
static void t_unsafe_caught(void) {
  const char *sets[] = {"workload.variant", "unsafe", "workload.threads", "8", "workload.ops",
                        "50", NULL};
  mb_result r;
  run(sets, &r);
  CHECK(metrics_get(&r.metrics, "mapbench.concurrent", 0) > 0);
  CHECK_EQ_U64(r.anomalies, 1);
  mb_result_free(&r);
}

/* Every operation is counted once, by kind; the rates are per operation. */
static void t_metrics(void) {
  const char *sets[] = {"workload.variant", "rwmutex", "workload.threads", "4", "workload.ops",
                        "25", "run.iterations", "3", NULL};
  mb_result r;
  run(sets, &r);
  const sim_metrics *m = &r.metrics;
  CHECK_EQ_U64(r.ops, 4 * 25 * 3);
  CHECK_EQ_U64(metrics_get(m, "mapbench.ops", 0), 300);
  CHECK_EQ_U64(metrics_get(m, "mapbench.ops.read", 0) + metrics_get(m, "mapbench.ops.write", 0) +
                   metrics_get(m, "mapbench.ops.delete", 0),
               300);
  CHECK(metrics_get(m, "mapbench.ops.read", 0) > metrics_get(m, "mapbench.ops.write", 0));
  CHECK(metrics_get(m, "mapbench.ops_per_kcycle", 0) > 0);
  CHECK(metrics_get(m, "mapbench.p50_cycles", 0) <= metrics_get(m, "mapbench.p99_cycles", 0));
  CHECK(metrics_get(m, "mapbench.p99_cycles.read", 0) > 0);
  CHECK(metrics_get(m, "mapbench.lock_wait_per_op", 0) > 0); /* every op takes the RWMutex */
  double msgs = metrics_get(m, "net.msgs", 0) / 300;
  CHECK(metrics_get(m, "mapbench.msgs_per_op", -1) == msgs);
  mb_result_free(&r);

  const char *one[] = {"workload.variant", "locked", "workload.threads", "1", "workload.ops",
                       "50", NULL};
  run(one, &r); /* one core: nothing to invalidate */
  CHECK_EQ_U64(metrics_get(&r.metrics, "mapbench.inv_per_op", -1), 0);
  mb_result_free(&r);
}

/* The README's finding: at 32 cores a lookup-heavy load causes fewer
 * invalidations per operation, and runs faster, on 64 shards than behind
 * one lock or one RWMutex (whose reader count every lookup writes). */
static void t_sharding_wins(void) {
  static const char *const variants[] = {"locked", "rwmutex", "sharded"};
  double inv[3], tput[3];
  for (int v = 0; v < 3; v++) {
    const char *sets[] = {"workload.variant", variants[v], "workload.threads", "32",
                          "workload.ops", "10", NULL};
    mb_result r;
    run(sets, &r);
    inv[v] = metrics_get(&r.metrics, "mapbench.inv_per_op", 0);
    tput[v] = metrics_get(&r.metrics, "mapbench.ops_per_kcycle", 0);
    mb_result_free(&r);
  }
  CHECK(inv[2] < inv[0] && inv[2] < inv[1]);
  CHECK(tput[2] > tput[0] && tput[2] > tput[1]);
}

/* Copy-on-write: its lookups take no lock, so they are the quickest of
 * all fixes; its writes copy the whole map, so on a write-heavy mix it
 * falls behind even one RWMutex. */
static void t_cow(void) {
  double read_p50[2], tput[2];
  static const char *const variants[] = {"rwmutex", "cow"};
  for (int v = 0; v < 2; v++) {
    const char *reads[] = {"workload.variant", variants[v], "workload.threads", "8",
                           "workload.ops", "30", "workload.mix.read", "0.99",
                           "workload.mix.write", "0.01", "workload.mix.delete", "0", NULL};
    mb_result r;
    run(reads, &r);
    read_p50[v] = metrics_get(&r.metrics, "mapbench.p50_cycles.read", 0);
    mb_result_free(&r);
    const char *writes[] = {"workload.variant", variants[v], "workload.threads", "8",
                            "workload.ops", "30", "workload.mix.read", "0.5",
                            "workload.mix.write", "0.4", "workload.mix.delete", "0.1", NULL};
    run(writes, &r);
    tput[v] = metrics_get(&r.metrics, "mapbench.ops_per_kcycle", 0);
    mb_result_free(&r);
  }
  CHECK(read_p50[1] < read_p50[0]);
  CHECK(tput[1] < tput[0]);
}

/* sync.Map on a read-mostly load with a stable key set: lookups of keys
 * in its read map take no lock and write no shared line, so at 32 cores
 * it beats one RWMutex (whose every lookup writes its reader count). */
static void t_syncmap(void) {
  static const char *const variants[] = {"rwmutex", "syncmap"};
  double tput[2];
  for (int v = 0; v < 2; v++) {
    const char *sets[] = {"workload.variant", variants[v], "workload.threads", "32",
                          "workload.ops", "10", "workload.mix.read", "0.999",
                          "workload.mix.write", "0.001", "workload.mix.delete", "0", NULL};
    mb_result r;
    run(sets, &r);
    tput[v] = metrics_get(&r.metrics, "mapbench.ops_per_kcycle", 0);
    mb_result_free(&r);
  }
  CHECK(tput[1] > 2 * tput[0]);
}

/* Bad configs: the message names the key. */
static void t_bad_config(void) {
  sim_err err = {0, ""};
  mb_result r;
  const char *mix[] = {"workload.mix.read", "0.5", NULL};
  cfg *c = config(mix);
  CHECK_EQ_I64(mb_run_sim(c, 0, 1, 1, &r, &err), SIM_ECONFIG);
  CHECK(strstr(err.msg, "workload.mix.read") != NULL);
  CHECK(strstr(err.msg, "not 1") != NULL);
  cfg_free(c);
  const char *keys[] = {"workload.keys", "1", NULL};
  c = config(keys);
  CHECK_EQ_I64(mb_run_sim(c, 0, 1, 1, &r, &err), SIM_ECONFIG);
  CHECK(strstr(err.msg, "workload.keys") != NULL);
  cfg_free(c);
  /* sharded is mapbench's: a map scenario refuses it by name */
  const char *scn[] = {"workload.kind", "map", "workload.scenario", "publish-flag",
                       "workload.variant", "sharded", NULL};
  c = config(scn);
  wl_result w;
  CHECK_EQ_I64(wl_run_sim(c, 0, 1, 1, &w, &err), SIM_ECONFIG);
  CHECK(strstr(err.msg, "workload.variant") != NULL);
  CHECK(strstr(err.msg, "sharded") != NULL);
  cfg_free(c);
}

/* Zipf: the hottest key draws the most operations, so its shard's lock
 * waits longer than under a uniform choice. */
static void t_zipf(void) {
  double wait[2];
  for (int z = 0; z < 2; z++) {
    const char *sets[] = {"workload.variant", "sharded", "workload.shards", "16",
                          "workload.threads", "16", "workload.ops", "20", "workload.zipf",
                          z ? "1.2" : "0", NULL};
    mb_result r;
    run(sets, &r);
    CHECK_EQ_U64(metrics_get(&r.metrics, "mapbench.lost", -1), 0);
    wait[z] = metrics_get(&r.metrics, "mapbench.lock_wait_per_op", 0);
    mb_result_free(&r);
  }
  CHECK(wait[1] > wait[0]);
}

static const check_case cases[] = {{"fixes_safe", t_fixes_safe},
                                   {"native_safe", t_native_safe},
                                   {"unsafe_caught", t_unsafe_caught},
                                   {"metrics", t_metrics},
                                   {"sharding_wins", t_sharding_wins},
                                   {"cow", t_cow},
                                   {"syncmap", t_syncmap},
                                   {"bad_config", t_bad_config},
                                   {"zipf", t_zipf},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
