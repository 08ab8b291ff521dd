/* workloads/mapbench_sim.c -- see mapbench_run.h. */
#include "mapbench_run.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/machine.h"
#include "../sim/par.h"
#include "../sim/progress.h"
#include "mem_native.h"

/* One host thread's share of a run: its machine, the maps' arena, each
 * simulated thread's tallies, and its iterations' outcomes. */
typedef struct worker {
  sim_machine *m;
  mb_inst x;
  uint8_t *arena;
  size_t bytes;
  uint64_t k; /* the iteration running */
  int rc;     /* a thread ran out of arena */
  mem_native_port setup;
  mb_stats st[MB_MAX_THREADS];
  sim_hist *hist;
  uint64_t iterations, anomalies;
} worker;

static void thread_entry(void *arg, unsigned tid) {
  worker *w = arg;
  if (mb_thread(&w->x, sim_machine_port(w->m, tid), tid, w->k, &w->st[tid])) w->rc = HMAP_ENOMEM;
}

typedef struct init_ctx {
  const cfg *c;
  const mb_params *p;
} init_ctx;

static int worker_init(void *arg, unsigned index, void *ctxp, sim_err *err) {
  worker *w = arg;
  const cfg *c = ((init_ctx *)ctxp)->c;
  const mb_params *p = ((init_ctx *)ctxp)->p;
  (void)index;
  w->bytes = mb_arena_bytes(p);
  if (!(w->m = sim_machine_new(c, p->threads, w->bytes + 4096, err))) return err->code;
  w->arena = sim_machine_alloc(w->m, w->bytes, 4096);
  w->hist = hist_new(MB_NOBS);
  if (!w->arena || !w->hist) return sim_errf(err, SIM_ENOMEM, "out of memory");
  w->x.prm = p;
  mem_native_port_init(&w->setup, 0, 8);
  return 0;
}

static void worker_free(worker *w) {
  for (unsigned t = 0; t < MB_MAX_THREADS; t++) mb_stats_free(&w->st[t]);
  mb_inst_free(&w->x);
  hist_free(w->hist);
  sim_machine_free(w->m);
}

static uint64_t sum_lost(const worker *w, unsigned n, bool concurrent) {
  uint64_t s = 0;
  for (unsigned t = 0; t < n; t++) s += concurrent ? w->st[t].concurrent : w->st[t].lost;
  return s;
}

/* Iterations first .. first+count-1 on w (par_chunk_fn). */
static int chunk(void *arg, uint64_t first, uint64_t count, bool poll, uint64_t *ran,
                 sim_err *err) {
  worker *w = arg;
  const mb_params *p = w->x.prm;
  uint64_t before = w->iterations;
  int rc = 0;
  for (uint64_t k = first; k < first + count; k++) {
    if (mb_inst_setup(&w->x, p, w->arena, w->bytes, &w->setup.base)) {
      rc = sim_errf(err, SIM_EFULL, "mapbench: the maps' setup ran out of their %zu-byte arena",
                    w->bytes);
      break;
    }
    uint64_t lost = sum_lost(w, p->threads, false), conc = sum_lost(w, p->threads, true);
    w->k = k;
    if ((rc = sim_machine_iteration(w->m, k, thread_entry, w, err))) {
      sim_err_prefix(err, "mapbench");
      break;
    }
    if (w->rc) {
      rc = sim_errf(err, SIM_EFULL, "mapbench: iteration %" PRIu64 ": the maps ran out of "
                    "their %zu-byte arena (more overflow buckets than budgeted)", k, w->bytes);
      break;
    }
    int64_t o[MB_NOBS] = {sum_lost(w, p->threads, false) > lost,
                          sum_lost(w, p->threads, true) > conc};
    hist_add(w->hist, o, k);
    w->anomalies += mb_classify(o) != NULL;
    w->iterations++;
    if (poll && SIM_PROGRESS_POLL(w->iterations, count)) break; /* Ctrl-C: keep what is done */
  }
  *ran = w->iterations - before;
  return rc;
}

int mb_run_sim(const cfg *c, uint64_t first, uint64_t count, unsigned jobs, mb_result *r,
               sim_err *err) {
  memset(r, 0, sizeof *r);
  int rc = mb_params_from_cfg(c, &r->prm, err);
  if (rc) return rc;
  jobs = sim_machine_fit_jobs(c, r->prm.threads, par_jobs_for(jobs, count));
  init_ctx ic = {c, &r->prm};
  void *pool;
  double wall;
  rc = par_run_pool(jobs, sizeof(worker), worker_init, &ic, chunk, first, count, &pool, &wall,
                    err);
  worker *w = pool;
  if (!rc) {
    worker *w0 = &w[0];
    mb_stats all = {0};
    for (unsigned i = 0; i < jobs; i++) { /* sums and earliest iterations (par.h) */
      if (i) {
        hist_absorb(w0->hist, w[i].hist);
        w0->iterations += w[i].iterations;
        w0->anomalies += w[i].anomalies;
        sim_machine_absorb(w0->m, w[i].m);
      }
      for (unsigned t = 0; t < r->prm.threads; t++) mb_stats_absorb(&all, &w[i].st[t]);
    }
    r->hist = w0->hist, w0->hist = NULL;
    r->iterations = w0->iterations;
    r->anomalies = w0->anomalies;
    r->wall_s = wall;
    r->sim_cycles = sim_machine_cycles(w0->m);
    r->ops = mb_stats_ops(&all);
    sim_machine_metrics(w0->m, metrics_set, &r->metrics);
    metrics_set(&r->metrics, "sim.cycles_per_iteration",
                r->iterations ? (double)r->sim_cycles / (double)r->iterations : 0);
    mb_metrics(&r->metrics, &all, r->sim_cycles, false);
    mb_stats_free(&all);
  }
  for (unsigned i = 0; w && i < jobs; i++) worker_free(&w[i]);
  free(w);
  return rc;
}

void mb_result_free(mb_result *r) {
  mb_params_free(&r->prm);
  hist_free(r->hist);
  metrics_free(&r->metrics);
  memset(r, 0, sizeof *r);
}

static void outcome_text(const int64_t *o, char *buf, size_t n) {
  snprintf(buf, n, "%s=%" PRId64 "; %s=%" PRId64 ";", mb_obs_name[0], o[0], mb_obs_name[1], o[1]);
}

void mb_report_print(FILE *out, mb_result *r, const char *engine, const char *model) {
  const sim_metrics *m = &r->metrics;
  bool native = strcmp(engine, "native") == 0;
  const char *unit = native ? "ns" : "cycles";
  char a[64], b[64];
  hist_sort(r->hist);
  fprintf(out, "Mapbench variant %s (%s, %s, %u threads, %u keys, %" PRIu64 " ops a thread)\n",
          r->prm.variant_name, engine, model, r->prm.threads, r->prm.keys, r->prm.ops);
  fprintf(out, "Histogram (%zu states)\n", hist_len(r->hist));
  for (size_t i = 0; i < hist_len(r->hist); i++) {
    char buf[128];
    const int64_t *o = hist_key(r->hist, i);
    const char *kind = mb_classify(o);
    outcome_text(o, buf, sizeof buf);
    fprintf(out, "%-10" PRIu64 "%s>%s%s%s\n", hist_count(r->hist, i), kind ? "*" : ":", buf,
            kind ? "  " : "", kind ? kind : "");
  }
  fprintf(out, "Anomalous iterations %" PRIu64 " of %" PRIu64 " (lost keys %.0f, concurrent "
          "accesses caught %.0f)\n", r->anomalies, r->iterations,
          metrics_get(m, "mapbench.lost", 0), metrics_get(m, "mapbench.concurrent", 0));
  if (native)
    fprintf(out, "Throughput %.0f ops/s (%" PRIu64 " ops)\n",
            metrics_get(m, "mapbench.ops_per_s", 0), r->ops);
  else
    fprintf(out, "Throughput %.2f ops per 1000 cycles (%" PRIu64 " ops)\n",
            metrics_get(m, "mapbench.ops_per_kcycle", 0), r->ops);
  snprintf(a, sizeof a, "mapbench.p50_%s", unit);
  snprintf(b, sizeof b, "mapbench.p99_%s", unit);
  fprintf(out, "Latency %s p50/p99: all %.0f/%.0f", unit, metrics_get(m, a, 0),
          metrics_get(m, b, 0));
  for (int k = 0; k < MB_NKINDS; k++) {
    snprintf(a, sizeof a, "mapbench.p50_%s.%s", unit, mb_kind_name[k]);
    snprintf(b, sizeof b, "mapbench.p99_%s.%s", unit, mb_kind_name[k]);
    fprintf(out, ", %s %.0f/%.0f", mb_kind_name[k], metrics_get(m, a, 0), metrics_get(m, b, 0));
  }
  if (native)
    fprintf(out, "\nPer operation: %.1f ns acquiring locks\n",
            metrics_get(m, "mapbench.lock_wait_ns_per_op", 0));
  else
    fprintf(out, "\nPer operation: %.2f invalidations, %.2f messages, %.2f L1 misses, %.1f "
            "cycles acquiring locks\n", metrics_get(m, "mapbench.inv_per_op", 0),
            metrics_get(m, "mapbench.msgs_per_op", 0),
            metrics_get(m, "mapbench.l1_miss_per_op", 0),
            metrics_get(m, "mapbench.lock_wait_per_op", 0));
  fprintf(out, "%s in %.3f s\n\n", native ? "Ran" : "Simulated", r->wall_s);
}

db_outcome *mb_report_outcomes(mb_result *r, char **text) {
  size_t n = hist_len(r->hist), w = 64;
  db_outcome *o = calloc(n ? n : 1, sizeof *o);
  char *s = calloc(n ? n : 1, w);
  if (!o || !s) {
    free(o), free(s);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    const int64_t *v = hist_key(r->hist, i);
    outcome_text(v, s + i * w, w);
    o[i] = (db_outcome){s + i * w, hist_count(r->hist, i), 0, mb_classify(v)};
  }
  *text = s;
  return o;
}
