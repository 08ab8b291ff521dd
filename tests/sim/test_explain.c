/* tests/sim/test_explain.c -- mmsim explain names the mechanism the model
 * used, on the tests that show each one, with the values and cycles of its
 * window; says so when an outcome is SC; and its fix makes the replayed
 * iteration SC.  Over every shipped litmus test under tso, pso and weak:
 * each non-SC outcome found gets at least one mechanism and a fix that
 * works, and the traced replay gives the untraced outcome (explain_run
 * fails otherwise, trace.h TR2).  Every unsafe map scenario, under a model
 * that shows its anomaly: the expected mechanism in the JSON account, on
 * the field that carries it, and a variant that removes it on replay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../check.h"
#include "../litmus_files.h"
#include "sim/explain.h"
#include "workloads/litmus_run.h"
#include "workloads/litmus_sc.h"
#include "workloads/scenario_run.h"

#ifdef MMSIM_SANITIZED
#define SWEEP_ITERATIONS "200"
#else
#define SWEEP_ITERATIONS "1000"
#endif

static cfg *config(const char *file, const char *model, const char *iterations) {
  char path[1024];
  snprintf(path, sizeof path, "%s/litmus/%s", MMSIM_SOURCE_DIR, file);
  cfg *c = cfg_new();
  sim_err err = {0, ""};
  if (cfg_set(c, "workload.litmus", path, &err) || cfg_set(c, "cpu.model", model, &err) ||
      (iterations && cfg_set(c, "run.iterations", iterations, &err)))
    CHECK__FAIL("%s", err.msg);
  return c;
}

static void explain(const char *file, const char *model, explain_result *r) {
  cfg *c = config(file, model, NULL);
  sim_err err = {0, ""};
  if (explain_run(c, false, 0, r, &err)) CHECK__FAIL("%s: %s", file, err.msg);
  cfg_free(c);
  CHECK(r->found);
  CHECK(r->sc_known && !r->sc);
  CHECK(!r->x.sc);
  CHECK(r->fix_tried && r->fix_sc);
}

/* Every mechanism of r is `kind`, and at least `n` of them. */
static void all_of(const explain_result *r, explain_mech kind, unsigned n) {
  CHECK(r->x.nmech >= n);
  for (unsigned i = 0; i < r->x.nmech; i++) {
    const explain_mechanism *m = &r->x.mech[i];
    CHECK_EQ_STR(explain_mech_name[m->kind], explain_mech_name[kind]);
    CHECK(m->from_cycle < m->to_cycle);
    CHECK(m->seen != m->sc_value);
  }
}

static void t_sb_tso_store_buffer(void) {
  explain_result r;
  explain("x86/SB.litmus", "tso", &r);
  all_of(&r, EXPLAIN_STORE_BUFFER, 2);
  CHECK_CONTAINS(r.outcome, "0:EAX=0; 1:EAX=0;");
  /* Each thread's load read 0 where SC needed the other's 1, its own store
   * waiting in the buffer meanwhile: P0 loads y, P1 loads x. */
  for (unsigned i = 0; i < r.x.nmech; i++) {
    const explain_mechanism *m = &r.x.mech[i];
    CHECK_EQ_U64(m->seen, 0);
    CHECK_EQ_U64(m->sc_value, 1);
    CHECK_EQ_STR(litmus_loc_name(r.t, m->loc), m->thread == 0 ? "y" : "x");
    CHECK_EQ_I64(m->fix, MF_FULL);
  }
  explain_result_free(&r);
}

static void t_mp_pso_store_order(void) {
  explain_result r;
  explain("x86/MP.litmus", "pso", &r);
  all_of(&r, EXPLAIN_STORE_ORDER, 1);
  const explain_mechanism *m = &r.x.mech[0];
  CHECK_EQ_U64(m->thread, 0);
  CHECK_EQ_STR(litmus_loc_name(r.t, m->loc), "x"); /* the reader missed x=1 */
  CHECK_EQ_U64(m->seen, 0);
  CHECK_EQ_U64(m->sc_value, 1);
  CHECK_EQ_I64(m->fix, MF_STORE);
  explain_result_free(&r);
}

static void t_mp_wmb_weak_invalidate_queue(void) {
  explain_result r;
  explain("c/MP+fencewmbonceonce+poonceonce.litmus", "weak", &r);
  all_of(&r, EXPLAIN_INVALIDATE_QUEUE, 1);
  const explain_mechanism *m = &r.x.mech[0];
  CHECK_EQ_U64(m->thread, 1);
  CHECK_EQ_STR(litmus_loc_name(r.t, m->loc), "x");
  CHECK_EQ_I64(m->fix, MF_LOAD);
  CHECK_EQ_U64(r.x.acc[m->younger].src, TRACE_SRC_STALE);
  explain_result_free(&r);
}

/* An SC iteration: no cycle, no mechanism, said so. */
static void t_sc_iteration(void) {
  cfg *c = config("x86/SB.litmus", "tso", NULL);
  explain_result r;
  sim_err err = {0, ""};
  if (explain_run(c, true, 0, &r, &err)) CHECK__FAIL("%s", err.msg);
  CHECK(r.found && r.sc_known && r.sc);
  CHECK(r.x.sc);
  CHECK_EQ_U64(r.x.nmech, 0);
  explain_result_free(&r);
  /* Under sc nothing is ever found to explain. */
  cfg_free(c);
  c = config("x86/SB.litmus", "sc", "2000");
  if (explain_run(c, false, 0, &r, &err)) CHECK__FAIL("%s", err.msg);
  CHECK(!r.found);
  CHECK_EQ_U64(r.searched, 2000);
  explain_result_free(&r);
  cfg_free(c);
}

/* A lock test's iteration (SC or not) tells each lock's handovers: the
 * critical sections never overlap, and a waiter's spinning is counted. */
static void t_lock_handover(void) {
  cfg *c = config("c/MP+polocks.litmus", "weak", NULL);
  explain_result r;
  sim_err err = {0, ""};
  for (uint64_t k = 0; k < 20; k++) {
    if (explain_run(c, true, k, &r, &err)) CHECK__FAIL("%s", err.msg);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    explain_print(out, &r);
    fclose(out);
    const char *lock = strstr(text, "\nLock mylock:\n");
    CHECK(lock != NULL);
    const char *took1 = strstr(lock, " took it at cycle ");
    const char *rel1 = took1 ? strstr(took1, " released it at cycle ") : NULL;
    const char *took2 = rel1 ? strstr(rel1, " took it at cycle ") : NULL;
    const char *rel2 = took2 ? strstr(took2, " released it at cycle ") : NULL;
    if (!rel2) CHECK__FAIL("iteration %llu:\n%s", (unsigned long long)k, text);
    CHECK(strncmp(took1 - 2, took2 - 2, 2) != 0); /* "P0" then "P1", or the reverse */
    if (strstr(took2, "first try") == NULL) CHECK_CONTAINS(took2, "spinning loads");
    free(text);
    explain_result_free(&r);
  }
  cfg_free(c);
}

static void sweep(const char *sub) {
  litmus_files f;
  CHECK(litmus_files_list(sub, &f));
  static const char *const models[] = {"tso", "pso", "weak"};
  unsigned found = 0;
  for (size_t i = 0; i < f.n; i++)
    for (size_t m = 0; m < 3; m++) {
      cfg *c = cfg_new();
      sim_err err = {0, ""};
      if (cfg_set(c, "workload.litmus", f.path[i], &err) ||
          cfg_set(c, "cpu.model", models[m], &err) ||
          cfg_set(c, "run.iterations", SWEEP_ITERATIONS, &err))
        CHECK__FAIL("%s", err.msg);
      explain_result r;
      if (explain_run(c, false, 0, &r, &err)) CHECK__FAIL("%s: %s", f.path[i], err.msg);
      if (r.found) {
        found++;
        if (r.x.nmech == 0 || !r.fix_sc)
          CHECK__FAIL("%s under %s, iteration %llu: %u mechanisms, fix %s", f.path[i],
                      models[m], (unsigned long long)r.iteration, r.x.nmech,
                      r.fix_sc ? "SC" : "not SC");
      }
      explain_result_free(&r);
      cfg_free(c);
    }
  litmus_files_free(&f);
  CHECK(found > 0);
}

static void t_every_shipped_test(void) {
  sweep("x86");
  sweep("c");
}

/* run.causes: every non-SC iteration of a run is attributed to at least
 * one mechanism, under every model. */
static void t_causes_cover_every_anomaly(void) {
  static const char *const files[] = {"x86/SB.litmus", "x86/MP.litmus",
                                      "c/MP+fencewmbonceonce+poonceonce.litmus"};
  static const char *const models[] = {"sc", "tso", "pso", "weak"};
  for (size_t i = 0; i < 3; i++)
    for (size_t m = 0; m < 4; m++) {
      cfg *c = config(files[i], models[m], NULL);
      sim_err err = {0, ""};
      char path[1024];
      snprintf(path, sizeof path, "%s/litmus/%s", MMSIM_SOURCE_DIR, files[i]);
      litmus_test *t;
      sim_hist *sc;
      if (litmus_parse_file(path, &t, &err) || litmus_sc_outcomes(t, &sc, &err))
        CHECK__FAIL("%s", err.msg);
      litmus_result r;
      if (litmus_run_causes(t, c, 0, 2000, 1, sc, &r, &err)) CHECK__FAIL("%s", err.msg);
      uint64_t anomalous = 0, sum = 0;
      for (size_t k = 0; k < hist_len(r.hist); k++)
        if (hist_find(sc, hist_key(r.hist, k)) < 0) anomalous += hist_count(r.hist, k);
      for (size_t k = 0; k < EXPLAIN_NMECHS; k++) sum += r.causes.cause[k];
      CHECK_EQ_U64(r.causes.explained, anomalous);
      CHECK(sum >= anomalous);
      if (strcmp(models[m], "sc") == 0) CHECK_EQ_U64(anomalous, 0);
      if (strcmp(models[m], "weak") == 0) CHECK(anomalous > 0);
      CHECK_EQ_I64(metrics_get(&r.metrics, "cause.explained", -1), (double)anomalous);
      litmus_result_free(&r);
      hist_free(sc);
      litmus_free(t);
      cfg_free(c);
    }
}

/* --- Map scenarios ---------------------------------------------------------- */

static cfg *map_config(const char *scenario, const char *model) {
  char path[1024];
  snprintf(path, sizeof path, "%s/configs/map/%s-unsafe.json", MMSIM_SOURCE_DIR, scenario);
  cfg *c = cfg_new();
  sim_err err = {0, ""};
  if (cfg_load_file(c, path, &err) || cfg_set(c, "cpu.model", model, &err))
    CHECK__FAIL("%s", err.msg);
  return c;
}

/* The JSON text of scenario's first anomaly under model (explain_print_json,
 * what --json prints); free it. */
static char *map_json_text(const char *scenario, const char *model) {
  cfg *c = map_config(scenario, model);
  explain_result r;
  sim_err err = {0, ""};
  if (explain_run(c, false, 0, &r, &err)) CHECK__FAIL("%s: %s", scenario, err.msg);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (explain_print_json(f, &r, &err)) CHECK__FAIL("%s", err.msg);
  fclose(f);
  explain_result_free(&r);
  cfg_free(c);
  return text;
}

/* The account parsed; the fix must have removed the anomaly. */
static cJSON *map_json(const char *scenario, const char *model) {
  char *text = map_json_text(scenario, model);
  cJSON *j = cJSON_Parse(text);
  free(text);
  CHECK(j != NULL);
  CHECK(cJSON_IsTrue(cJSON_GetObjectItem(j, "found")));
  CHECK(cJSON_IsString(cJSON_GetObjectItem(j, "anomaly")));
  CHECK(cJSON_IsNumber(cJSON_GetObjectItem(j, "iteration")));
  CHECK(cJSON_IsArray(cJSON_GetObjectItem(j, "events")));
  cJSON *fix = cJSON_GetObjectItem(j, "fix");
  CHECK(cJSON_IsTrue(cJSON_GetObjectItem(fix, "anomaly_free")));
  return j;
}

/* The first mechanism of kind in j: its field holds `location`, its
 * window is open, and the value seen is not the one SC needed. */
static void has_mech(cJSON *j, const char *kind, const char *location, const char *fix) {
  cJSON *m;
  cJSON_ArrayForEach(m, cJSON_GetObjectItem(j, "mechanisms")) {
    if (strcmp(cJSON_GetObjectItem(m, "kind")->valuestring, kind) != 0) continue;
    CHECK_CONTAINS(cJSON_GetObjectItem(m, "location")->valuestring, location);
    CHECK(cJSON_GetObjectItem(m, "from_cycle")->valuedouble <
          cJSON_GetObjectItem(m, "to_cycle")->valuedouble);
    CHECK(cJSON_GetObjectItem(m, "seen")->valuedouble !=
          cJSON_GetObjectItem(m, "sc_value")->valuedouble);
    CHECK(cJSON_IsNumber(cJSON_GetObjectItem(m, "thread")));
    CHECK_EQ_STR(cJSON_GetObjectItem(m, "fix")->valuestring, fix);
    CHECK_EQ_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "fix"), "variant")->valuestring, fix);
    return;
  }
  CHECK__FAIL("no %s mechanism in %s", kind, cJSON_PrintUnformatted(j));
}

static void map_case(const char *scenario, const char *model, const char *anomaly,
                     const char *kind, const char *location, const char *fix) {
  cJSON *j = map_json(scenario, model);
  CHECK_EQ_STR(cJSON_GetObjectItem(j, "anomaly")->valuestring, anomaly);
  has_mech(j, kind, location, fix);
  cJSON_Delete(j);
}

/* The message-passing family under pso: the writer's stores drained out of
 * order, and the reader missed the earlier one (a slot of the key). */
static void t_map_publish_family(void) {
  map_case("publish-flag", "pso", "stale_read", "store_order", "bucket 0", "fenced");
  map_case("delete-len", "pso", "stale_read", "store_order", "bucket 0", "fenced");
  map_case("overflow-publish", "pso", "stale_read", "store_order", "overflow 1", "fenced");
  /* Under weak the reader's stale line is named too. */
  map_case("overflow-publish", "weak", "stale_read", "invalidate_queue", "overflow 1", "fenced");
}

/* The Dekker pair: the tombstone (or count) in the store buffer while the
 * other side's flag is read. */
static void t_map_dekker_family(void) {
  map_case("iterate-delete", "tso", "stale_read", "store_buffer", "refcount", "fenced");
  map_case("dekker-flags", "tso", "mutual_exclusion", "store_buffer", "count", "fenced");
}

/* Atomicity: a split load, a plain increment, Go's hashWriting check. */
static void t_map_atomicity(void) {
  map_case("refcount-tear", "sc", "torn_read", "torn_access", "refcount", "atomic");
  map_case("refcount-tear", "tso", "torn_read", "torn_access", "refcount", "atomic");
  map_case("refcount-lost-update", "sc", "lost_update", "rmw_interleaving", "refcount", "atomic");
  map_case("write-detect-miss", "sc", "undetected_write", "rmw_interleaving", "", "atomic");
}

/* An iteration without an anomaly: said so, no mechanism. */
static void t_map_quiet_iteration(void) {
  cfg *c = map_config("refcount-lost-update", "sc");
  sim_err err = {0, ""};
  CHECK(cfg_set(c, "workload.variant", "atomic", &err) == 0);
  explain_result r;
  if (explain_run(c, true, 0, &r, &err)) CHECK__FAIL("%s", err.msg);
  CHECK(r.found && r.sc && r.anomaly == NULL);
  CHECK_EQ_U64(r.x.nmech, 0);
  explain_result_free(&r);
  cfg_free(c);
}

/* run.causes on map scenarios: every anomalous iteration is attributed,
 * under every model. */
static void t_map_causes_cover_every_anomaly(void) {
  static const char *const scenarios[] = {"dekker-flags", "refcount-lost-update",
                                          "iterate-delete"};
  static const char *const models[] = {"sc", "tso", "pso", "weak"};
  for (size_t i = 0; i < 3; i++)
    for (size_t m = 0; m < 4; m++) {
      cfg *c = map_config(scenarios[i], models[m]);
      sim_err err = {0, ""};
      wl_result r;
      if (wl_run_causes(c, 0, 500, 1, &r, &err)) CHECK__FAIL("%s", err.msg);
      uint64_t sum = 0;
      for (size_t k = 0; k < EXPLAIN_NMECHS; k++) sum += r.causes.cause[k];
      CHECK_EQ_U64(r.causes.explained, r.anomalies);
      CHECK(sum >= r.anomalies);
      CHECK_EQ_I64(metrics_get(&r.metrics, "cause.explained", -1), (double)r.anomalies);
      if (strcmp(models[m], "tso") == 0) CHECK(r.anomalies > 0);
      /* Attribution traces without changing a thing (trace.h TR2). */
      wl_result plain;
      if (wl_run_sim(c, 0, 500, 1, &plain, &err)) CHECK__FAIL("%s", err.msg);
      CHECK_EQ_U64(plain.anomalies, r.anomalies);
      CHECK_EQ_U64(plain.sim_cycles, r.sim_cycles);
      wl_result_free(&plain);
      wl_result_free(&r);
      cfg_free(c);
    }
}

static const check_case cases[] = {
    {"map_publish_family", t_map_publish_family},
    {"map_dekker_family", t_map_dekker_family},
    {"map_atomicity", t_map_atomicity},
    {"map_quiet_iteration", t_map_quiet_iteration},
    {"map_causes_cover_every_anomaly", t_map_causes_cover_every_anomaly},
    {"causes_cover_every_anomaly", t_causes_cover_every_anomaly},
    {"sb_tso_store_buffer", t_sb_tso_store_buffer},
    {"mp_pso_store_order", t_mp_pso_store_order},
    {"mp_wmb_weak_invalidate_queue", t_mp_wmb_weak_invalidate_queue},
    {"sc_iteration", t_sc_iteration},
    {"lock_handover", t_lock_handover},
    {"every_shipped_test", t_every_shipped_test},
    {0, 0},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
