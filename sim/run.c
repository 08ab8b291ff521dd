/* sim/run.c -- see run.h. */
#include "run.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../results/db.h"
#include "../workloads/litmus_report.h"
#include "../workloads/litmus_run.h"
#include "../workloads/litmus_sc.h"
#include "../workloads/litmus_native.h"
#include "../workloads/mapbench_run.h"
#include "../workloads/native.h"
#include "../workloads/scenario_run.h"
#include "cohtest.h"
#include "wallclock.h"

struct run_session {
  run_opts o;
  db *d;
  int64_t experiment_id;
};

int run_session_open(run_session **out, const run_opts *o, sim_err *err) {
  run_session *s = calloc(1, sizeof *s);
  if (!s) return sim_errf(err, SIM_ENOMEM, "out of memory");
  s->o = *o;
  if (o->db_path && !o->replay) {
    int rc = db_open(o->db_path, &s->d, err);
    if (rc) {
      run_session_close(s);
      return rc;
    }
  }
  *out = s;
  return 0;
}

void run_session_close(run_session *s) {
  if (!s) return;
  if (s->d) db_close(s->d);
  free(s);
}

void run_litmus_path(const cfg *c, char *buf, size_t n) { cfg_litmus_path(c, buf, n, NULL); }

/* c's litmus test; errors name the config file and workload.litmus. */
int run_load_litmus(const cfg *c, litmus_test **t, sim_err *err) {
  char path[4096];
  int rc = cfg_litmus_path(c, path, sizeof path, err);
  if (!rc && (rc = litmus_parse_file(path, t, err)) == SIM_EIO)
    rc = cfg_blame(c, err, CK_WORKLOAD_LITMUS);
  return rc;
}

/* One run as the database stores it, whatever produced it. */
typedef struct run_record {
  const char *engine, *workload, *model;
  uint64_t iterations, sim_cycles;
  double wall_s;
  const db_outcome *outs;
  size_t nouts;
  const sim_metrics *metrics;
  const db_param *extra; /* params beyond the config keys (native: the host) */
  size_t nextra;
} run_record;

/* Store rr as one run of the session's experiment (D1 of results/db.h). */
static int store_run(run_session *s, const cfg *c, const run_record *rr, sim_err *err) {
  char *json = cfg_resolved_json(c), hash[17], host[256] = "unknown";
  db_param params[CFG_NKEYS + 8];
  char vals[CFG_NKEYS][64];
  const sim_metrics *m = rr->metrics;
  db_metric *mets = calloc(m->len ? m->len : 1, sizeof *mets);
  int rc;
  if (!json || !mets || rr->nextra > 8) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    goto done;
  }
  for (int i = 0; i < CFG_NKEYS; i++) {
    params[i].key = cfg_key_at((cfg_key_id)i)->path;
    params[i].value = cfg_value_text(c, (cfg_key_id)i, vals[i], sizeof vals[i]);
  }
  for (size_t i = 0; i < rr->nextra; i++) params[CFG_NKEYS + i] = rr->extra[i];
  for (size_t i = 0; i < m->len; i++) mets[i] = (db_metric){m->v[i].key, m->v[i].value};
  cfg_hash(c, hash);
  gethostname(host, sizeof host - 1);
  db_run run = {
      .engine = rr->engine, .workload = rr->workload, .model = rr->model,
      .seed = (uint64_t)cfg_int(c, CK_RUN_SEED), .iterations = rr->iterations,
      .sim_cycles = rr->sim_cycles, .wall_s = rr->wall_s, .host = host,
      .config_json = json, .config_hash = hash,
      .params = params, .nparams = CFG_NKEYS + rr->nextra,
      .outcomes = rr->outs, .noutcomes = rr->nouts,
      .metrics = mets, .nmetrics = m->len,
  };
  int64_t run_id;
  /* The experiment row waits for its first run and is written in that
   * run's transaction: a session that fails before storing a run, or
   * while storing its first, leaves the database as it found it. */
  const char *ename = s->o.experiment ? s->o.experiment : "mmsim";
  const char *ejson = s->o.config_json ? s->o.config_json : "{}";
  if (!s->experiment_id) {
    if ((rc = db_begin(s->d, err))) goto done;
    rc = s->o.join ? db_experiment_join(s->d, ename, ejson, s->o.created_at, &s->experiment_id,
                                        err)
                   : db_experiment_create(s->d, ename, ejson, &s->experiment_id, err);
    if (!rc) rc = db_run_write(s->d, s->experiment_id, &run, &run_id, err);
    if (!rc) rc = db_commit(s->d, err);
    if (rc) {
      db_rollback(s->d);
      s->experiment_id = 0;
    }
  } else {
    rc = db_run_write(s->d, s->experiment_id, &run, &run_id, err);
  }
  if (!rc && s->o.out)
    fprintf(s->o.out, "Stored %s as run %" PRId64 " in %s\n\n", rr->workload, run_id,
            s->o.db_path);
done:
  free(mets);
  free(json);
  return rc;
}

/* The SC outcome set of t, which decides each outcome's non_sc (*sc NULL:
 * unknown).  The search is part of the run: sc_note adds its time to the
 * run's wall_s (the Time line), and the metrics sc.complete (1 or 0) and
 * sc.states say how it went.  Past workload.sc_max_states the run is still
 * stored, its non-SC rate unknown -- NULL in the views, never a 0 that
 * reads as "SC" -- with a warning on stderr.  Other failures (memory) are
 * errors. */
static int sc_reference(const cfg *c, const litmus_test *t, sim_hist **sc, litmus_sc_stats *st,
                        sim_err *err) {
  sim_err why = {0, ""};
  *st = (litmus_sc_stats){0};
  int rc = litmus_sc_search(t, (uint64_t)cfg_int(c, CK_WORKLOAD_SC_MAX_STATES), sc, st, &why);
  if (rc && rc != SIM_EFULL) {
    *err = why;
    return rc;
  }
  if (rc) {
    *sc = NULL;
    fprintf(stderr, "mmsim: warning: %s; %s's non-SC outcomes are unknown, its anomaly rate "
                    "stored as NULL, not 0 (raise workload.sc_max_states)\n", why.msg,
            litmus_name(t));
  }
  return 0;
}

/* A test with plain accesses also gets sc.data_race (1: the search found
 * a race, herd7's "Flag data-race"; litmus_sc.h), and the race is named on
 * stderr. */
static void sc_note(litmus_result *r, const sim_hist *sc, const litmus_sc_stats *st) {
  r->wall_s += st->wall_s;
  metrics_set(&r->metrics, "sc.complete", sc ? 1 : 0);
  metrics_set(&r->metrics, "sc.states", (double)st->states);
  if (st->plain) metrics_set(&r->metrics, "sc.data_race", st->data_race);
  r->data_race = st->data_race;
  if (st->data_race) fprintf(stderr, "mmsim: data race on %s\n", st->race);
}

/* rr stored with outs, the outcome rows of a report (NULL: it ran out of
 * memory), whose memory (outs and text) is freed here.  A native run (h)
 * is stored with engine native, the host's CPU as its model and the
 * host.cpu and host.cores params; a simulated one as rr says. */
static int store_report(run_session *s, const cfg *c, run_record *rr, db_outcome *outs,
                        char *text, const native_host *h, sim_err *err) {
  char cores[32];
  db_param extra[2];
  int rc;
  if (!outs) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
  } else {
    if (h) {
      snprintf(cores, sizeof cores, "%u", h->cores);
      extra[0] = (db_param){"host.cpu", h->cpu};
      extra[1] = (db_param){"host.cores", cores};
      rr->engine = "native", rr->model = h->cpu, rr->extra = extra, rr->nextra = 2;
    }
    rr->outs = outs;
    rc = store_run(s, c, rr, err);
  }
  free(text);
  free(outs);
  return rc;
}

/* model: whose expectation marks outcomes forbidden (and, simulated, the
 * run's model).  sc: the SC outcome set (NULL: unknown, every outcome's
 * anomaly NULL). */
int run_store_litmus(run_session *s, const cfg *c, const litmus_test *t, litmus_result *r,
                     const sim_hist *sc, const char *model, const native_host *h,
                     sim_err *err) {
  char *text = NULL;
  db_outcome *outs = litmus_report_outcomes(t, model, r, sc, &text);
  run_record rr = {.engine = "sim", .workload = litmus_name(t), .model = model,
                   .iterations = r->iterations, .sim_cycles = r->sim_cycles,
                   .wall_s = r->wall_s, .nouts = hist_len(r->hist), .metrics = &r->metrics};
  return store_report(s, c, &rr, outs, text, h, err);
}

static int run_map(run_session *s, const cfg *c, sim_err *err) {
  wl_result r;
  uint64_t first = s->o.replay ? s->o.iteration : 0;
  uint64_t count = s->o.replay ? 1 : (uint64_t)cfg_int(c, CK_RUN_ITERATIONS);
  /* run.causes attributes each anomalous iteration as it runs (a replay
   * stores nothing, so it needs none). */
  int rc = cfg_int(c, CK_RUN_CAUSES) && !s->o.replay
               ? wl_run_causes(c, first, count, s->o.jobs, &r, err)
               : wl_run_sim(c, first, count, s->o.jobs, &r, err);
  if (!rc) {
    const char *model = cfg_str(c, CK_CPU_MODEL);
    if (s->o.out) {
      if (s->o.replay)
        fprintf(s->o.out, "Replay of iteration %" PRIu64 " (not stored)\n", first);
      wl_report_print(s->o.out, &r, "sim", model);
    }
    rc = run_store_map(s, c, &r, NULL, err);
  }
  wl_result_free(&r);
  return rc;
}

/* A mapbench result stored as one run (natively with h). */
static int store_mapbench(run_session *s, const cfg *c, mb_result *r, const native_host *h,
                          sim_err *err) {
  char *text = NULL;
  db_outcome *outs = mb_report_outcomes(r, &text);
  run_record rr = {.engine = "sim", .workload = "mapbench", .model = cfg_str(c, CK_CPU_MODEL),
                   .iterations = r->iterations, .sim_cycles = r->sim_cycles,
                   .wall_s = r->wall_s, .nouts = hist_len(r->hist), .metrics = &r->metrics};
  return store_report(s, c, &rr, outs, text, h, err);
}

/* workload.kind mapbench: map throughput (mapbench.h), stored as one run
 * with the iterations' outcomes and the mapbench.* metrics. */
static int run_mapbench(run_session *s, const cfg *c, sim_err *err) {
  mb_result r;
  uint64_t first = s->o.replay ? s->o.iteration : 0;
  uint64_t count = s->o.replay ? 1 : (uint64_t)cfg_int(c, CK_RUN_ITERATIONS);
  int rc = mb_run_sim(c, first, count, s->o.jobs, &r, err);
  if (!rc && s->o.out) {
    if (s->o.replay) fprintf(s->o.out, "Replay of iteration %" PRIu64 " (not stored)\n", first);
    mb_report_print(s->o.out, &r, "sim", cfg_str(c, CK_CPU_MODEL));
  }
  if (!rc && s->d) rc = store_mapbench(s, c, &r, NULL, err);
  mb_result_free(&r);
  return rc;
}

/* A litmus test on the host: reported and stored against the model of the
 * host's architecture (x86: tso), the one its expectations can be checked
 * against. */
const char *run_host_model(void) {
#if defined(__x86_64__) || defined(__i386__)
  return "tso";
#else
  return "weak"; /* no shipped expectation is exact here */
#endif
}

static int run_native_litmus(run_session *s, const cfg *c, bool *matched, sim_err *err) {
  const char *model = run_host_model();
  litmus_test *t;
  int rc = run_load_litmus(c, &t, err);
  if (rc) return rc;
  litmus_result r;
  native_host h;
  sim_hist *sc = NULL;
  litmus_sc_stats st;
  if (!(rc = litmus_run_native(t, c, &r, &h, err)) && !(rc = sc_reference(c, t, &sc, &st, err))) {
    sc_note(&r, sc, &st);
    if (s->o.out) {
      fprintf(s->o.out, "Native run on %s (%u CPUs%s)\n", h.cpu, h.cores,
              h.pinned ? ", threads pinned" : "");
      litmus_report_print(s->o.out, t, model, &r);
    }
    if (matched) *matched = litmus_matches(litmus_expected(t, model), r.positive, r.iterations);
    if (s->d) rc = run_store_litmus(s, c, t, &r, sc, model, &h, err);
  }
  hist_free(sc);
  litmus_result_free(&r);
  litmus_free(t);
  return rc;
}

int run_native_config(run_session *s, const cfg *c, bool *matched, sim_err *err) {
  if (strcmp(cfg_str(c, CK_WORKLOAD_KIND), "litmus") == 0)
    return run_native_litmus(s, c, matched, err);
  if (strcmp(cfg_str(c, CK_WORKLOAD_KIND), "mapbench") == 0) {
    mb_result r;
    native_host h;
    int rc = mb_run_native(c, &r, &h, err);
    if (!rc && s->o.out) mb_report_print(s->o.out, &r, "native", h.cpu);
    if (!rc && s->d) rc = store_mapbench(s, c, &r, &h, err);
    mb_result_free(&r);
    return rc;
  }
  if (strcmp(cfg_str(c, CK_WORKLOAD_KIND), "map") != 0)
    return sim_errf(err, SIM_EUNSUP, "workload.kind: mmsim native runs \"map\" scenarios, "
                                     "mapbench and litmus tests, not \"%s\"",
                    cfg_str(c, CK_WORKLOAD_KIND));
  wl_result r;
  native_host h;
  int rc = native_run(c, &r, &h, err);
  if (!rc) {
    if (s->o.out) wl_report_print(s->o.out, &r, "native", h.cpu);
    rc = run_store_map(s, c, &r, &h, err);
  }
  wl_result_free(&r);
  return rc;
}

int run_store_map(run_session *s, const cfg *c, wl_result *r, const native_host *h,
                  sim_err *err) {
  if (!s->d) return 0;
  char *text = NULL;
  db_outcome *outs = wl_report_outcomes(r, &text);
  run_record rr = {.engine = "sim", .workload = r->s->name, .model = cfg_str(c, CK_CPU_MODEL),
                   .iterations = r->iterations, .sim_cycles = r->sim_cycles,
                   .wall_s = r->wall_s, .nouts = hist_len(r->hist), .metrics = &r->metrics};
  return store_report(s, c, &rr, outs, text, h, err);
}

int64_t run_session_experiment(const run_session *s) { return s->experiment_id; }

static int run_litmus(run_session *s, const cfg *c, bool *matched, sim_err *err) {
  litmus_test *t;
  int rc = run_load_litmus(c, &t, err);
  if (rc) return rc;
  litmus_result r;
  uint64_t first = s->o.replay ? s->o.iteration : 0;
  uint64_t count = s->o.replay ? 1 : (uint64_t)cfg_int(c, CK_RUN_ITERATIONS);
  /* The SC set first: run.causes attributes each non-SC iteration as it
   * runs.  A replay stores nothing, so it needs no reference. */
  sim_hist *sc = NULL;
  litmus_sc_stats st = {0};
  if (!s->o.replay && (rc = sc_reference(c, t, &sc, &st, err))) {
    litmus_free(t);
    return rc;
  }
  rc = sc && cfg_int(c, CK_RUN_CAUSES)
           ? litmus_run_causes(t, c, first, count, s->o.jobs, sc, &r, err)
           : litmus_run_sim(t, c, first, count, s->o.jobs, &r, err);
  if (!rc && !s->o.replay) sc_note(&r, sc, &st);
  if (!rc) {
    const char *model = cfg_str(c, CK_CPU_MODEL);
    if (s->o.out) {
      if (s->o.replay)
        fprintf(s->o.out, "Replay of iteration %" PRIu64 " (not stored)\n", first);
      litmus_report_print(s->o.out, t, model, &r);
    }
    if (matched)
      *matched = litmus_matches(litmus_expected(t, model), r.positive, r.iterations);
    if (s->d) rc = run_store_litmus(s, c, t, &r, sc, model, NULL, err);
  }
  hist_free(sc);
  litmus_result_free(&r);
  litmus_free(t);
  return rc;
}

/* workload.kind coherence-test: run.iterations tester runs of workload.ops
 * requests, seeds run.seed, run.seed+1, ... (as mmsim test-coherence
 * --seeds), stored as one run whose metrics are the tester's totals.  A
 * failing run is stored too (its violations or deadlocks metric says so),
 * then reported as SIM_EVIOLATION. */
/* Memory-system counters summed over the seeds; averages are not sums, so
 * they are taken again from the summed cycles and counts. */
static void cohtest_metric(void *ctx, const char *key, double value) {
  if (!strstr(key, "_avg")) metrics_add(ctx, key, value);
}

static int run_cohtest(run_session *s, const cfg *c, sim_err *err) {
  tester_params p;
  sim_cohtest_params(c, &p);
  p.log = stderr;
  uint64_t seeds = s->o.replay ? 1 : (uint64_t)cfg_int(c, CK_RUN_ITERATIONS);
  if (s->o.replay) p.seed += s->o.iteration;
  p.ops = (uint64_t)cfg_int(c, CK_WORKLOAD_OPS) * seeds;
  tester_result r;
  uint64_t bad_seed = 0;
  sim_metrics mets = {0};
  double t0 = wallclock_s();
  int rc = sim_cohtest_run_metrics(c, &p, seeds, &r, &bad_seed, cohtest_metric, &mets, err);
  double wall = wallclock_s() - t0;
  if (rc && rc != SIM_EVIOLATION) goto done;
  if (s->o.out)
    fprintf(s->o.out, "coherence-test: memory %s, %u cores, %" PRIu64 " iterations: %" PRIu64
            " ops, %" PRIu64 " cycles, %" PRIu64 " violations, %" PRIu64 " deadlocks%s\n",
            cfg_str(c, CK_MEMORY_KIND), p.cores, seeds, r.ops, r.cycles, r.violations,
            r.deadlocks, s->o.replay ? " (replay, not stored)" : "");
  if (!s->d) goto done;
  static const char *const avg[][3] = {{"mem.load_latency_avg", "mem.load_cycles", "mem.loads"},
                                       {"mem.store_latency_avg", "mem.store_cycles", "mem.stores"},
                                       {"mem.rmw_latency_avg", "mem.rmw_cycles", "mem.rmws"}};
  for (size_t i = 0; i < sizeof avg / sizeof *avg; i++) {
    double n = metrics_get(&mets, avg[i][2], 0);
    if (n > 0) metrics_set(&mets, avg[i][0], metrics_get(&mets, avg[i][1], 0) / n);
  }
  metrics_set(&mets, "tester.ops", (double)r.ops);
  metrics_set(&mets, "tester.loads", (double)r.by_kind[TESTER_LOAD]);
  metrics_set(&mets, "tester.stores", (double)r.by_kind[TESTER_STORE]);
  metrics_set(&mets, "tester.rmws", (double)r.by_kind[TESTER_RMW]);
  metrics_set(&mets, "tester.cas", (double)r.by_kind[TESTER_CAS]);
  metrics_set(&mets, "tester.cas_ok", (double)r.cas_ok);
  metrics_set(&mets, "tester.violations", (double)r.violations);
  metrics_set(&mets, "tester.deadlocks", (double)r.deadlocks);
  metrics_set(&mets, "sim.cycles", (double)r.cycles);
  run_record rr = {.engine = "sim", .workload = "coherence-test",
                   .model = cfg_str(c, CK_CPU_MODEL), .iterations = seeds,
                   .sim_cycles = r.cycles, .wall_s = wall, .metrics = &mets};
  sim_err werr = {0, ""};
  int wrc = store_run(s, c, &rr, &werr);
  if (wrc && !rc) *err = werr, rc = wrc; /* the violation outranks a write failure */
done:
  metrics_free(&mets);
  return rc;
}

int run_config(run_session *s, const cfg *c, bool *matched, sim_err *err) {
  if (matched) *matched = true;
  const char *kind = cfg_str(c, CK_WORKLOAD_KIND);
  if (strcmp(kind, "litmus") == 0) return run_litmus(s, c, matched, err);
  if (strcmp(kind, "coherence-test") == 0) return run_cohtest(s, c, err);
  if (strcmp(kind, "map") == 0) return run_map(s, c, err);
  if (strcmp(kind, "mapbench") == 0) return run_mapbench(s, c, err);
  return sim_errf(err, SIM_EUNSUP, "workload.kind: \"%s\" is not known", kind);
}
