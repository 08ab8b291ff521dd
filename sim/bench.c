/* sim/bench.c -- see bench.h. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

#include "../workloads/litmus_run.h"
#include "config.h"
#include "machine.h"
#include "par.h"
#include "wallclock.h"

/* The SB test is embedded so bench runs from any folder. */
const char bench_sb_litmus[] =
    "X86 SB\n"
    "{ x=0; y=0; }\n"
    " P0          | P1          ;\n"
    " MOV [x],$1  | MOV [y],$1  ;\n"
    " MOV EAX,[y] | MOV EAX,[x] ;\n"
    "exists (0:EAX=0 /\\ 1:EAX=0)\n";

#define UOPS_PER_THREAD 1200
#define PRIVATE_LINES 4
#define SHARED_LINES 8

/* The access pattern, the same per thread at every core count: stores and
 * loads to the thread's own lines and loads from lines every thread reads,
 * a third each (private data plus read-shared tables, the common case of a
 * parallel program).  Every thread misses on first touch, then mostly hits:
 * what the figure measures is the simulator's cost per micro-op, which
 * should not grow with the number of cores. */
typedef struct uops_ctx {
  sim_machine *m;
  uint64_t *priv[64][PRIVATE_LINES];
  uint64_t *shared[SHARED_LINES];
} uops_ctx;

static void uops_thread(void *arg, unsigned tid) {
  uops_ctx *x = arg;
  mem_port *p = sim_machine_port(x->m, tid);
  for (unsigned i = 0; i < UOPS_PER_THREAD / 3; i++) {
    mem_store(p, x->priv[tid][i % PRIVATE_LINES], i, 8, MO_RELAXED);
    (void)mem_load(p, x->priv[tid][(i + 1) % PRIVATE_LINES], 8, MO_RELAXED);
    (void)mem_load(p, x->shared[i % SHARED_LINES], 8, MO_RELAXED);
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double report(FILE *out, const char *what, double *v, unsigned n, const char *unit) {
  qsort(v, n, sizeof *v, cmp_double);
  fprintf(out, "%-40s %12.0f %-7s (min %.0f, max %.0f, %u reps)\n", what, v[n / 2], unit, v[0],
          v[n - 1], n);
  return v[n / 2];
}

/* About 480,000 micro-ops per measurement at every core count. */
__attribute__((noinline)) static int bench_uops(cfg *c, unsigned cores, double *rate,
                                                sim_err *err) {
  uops_ctx x;
  size_t bytes = (size_t)(cores * PRIVATE_LINES + SHARED_LINES + 1) * 64;
  x.m = sim_machine_new(c, cores, bytes, err);
  if (!x.m) return err->code;
  for (unsigned t = 0; t < cores; t++)
    for (unsigned l = 0; l < PRIVATE_LINES; l++) x.priv[t][l] = sim_machine_alloc(x.m, 64, 64);
  for (unsigned l = 0; l < SHARED_LINES; l++) x.shared[l] = sim_machine_alloc(x.m, 64, 64);
  uint64_t iters = 400 / cores;
  double t0 = wallclock_s();
  int rc = 0;
  for (uint64_t k = 0; k < iters && !rc; k++)
    rc = sim_machine_iteration(x.m, k, uops_thread, &x, err);
  double dt = wallclock_s() - t0;
  *rate = (double)sim_machine_mem_uops(x.m) / dt;
  sim_machine_free(x.m);
  return rc;
}

static const unsigned bench_cores[] = {2, 8, 64};
#define NCORES (sizeof bench_cores / sizeof *bench_cores)

/* One figure: micro-ops/s on the MESI hierarchy at `cores` cores. */
static int bench_one(FILE *out, unsigned reps, unsigned cores, const char *model, sim_err *err) {
  double *v = calloc(reps, sizeof *v);
  cfg *c = cfg_new();
  int rc = 0;
  if (!v || !c) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
  } else if (!(rc = cfg_set(c, "cpu.model", model, err))) {
    for (unsigned r = 0; r < reps && !rc; r++) rc = bench_uops(c, cores, &v[r], err);
    char what[64];
    snprintf(what, sizeof what, "micro-ops/s, mesi, %u cores", cores);
    if (!rc) report(out, what, v, reps, "uops/s");
  }
  cfg_free(c);
  free(v);
  return rc;
}

int bench_main(FILE *out, unsigned reps, unsigned only_cores, const char *model, sim_err *err) {
  if (only_cores) return bench_one(out, reps, only_cores, model, err);
  double *v = calloc((NCORES + 6) * reps, sizeof *v);
  double *uops = v, *ideal = v + NCORES * reps, *iters = ideal + reps, *wits = iters + reps,
         *iters_ideal = wits + reps, *iters_all = iters_ideal + reps, *wits_all = iters_all + reps;
  unsigned all = par_host_jobs();
  cfg *c = cfg_new(), *ci = cfg_new();
  litmus_test *sb = NULL;
  int rc = 0;
  if (!v || !c || !ci) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    goto done;
  }
  if ((rc = cfg_set(c, "cpu.model", model, err)) || (rc = cfg_set(ci, "cpu.model", model, err)) ||
      (rc = cfg_set(ci, "memory.kind", "ideal", err)))
    goto done;
  if ((rc = litmus_parse_string("bench:SB", bench_sb_litmus, &sb, err))) goto done;
  fprintf(out, "mmsim bench: model %s, median of %u\n", cfg_str(c, CK_CPU_MODEL), reps);
  for (unsigned r = 0; r < reps && !rc; r++) {
    for (unsigned k = 0; k < NCORES && !rc; k++)
      rc = bench_uops(c, bench_cores[k], &uops[k * reps + r], err);
    if (rc || (rc = bench_uops(ci, 2, &ideal[r], err))) break;
    litmus_result res;
    if ((rc = litmus_run_sim(sb, c, 0, 100000, 1, &res, err))) break;
    iters[r] = (double)res.iterations / res.wall_s;
    wits[r] = (double)res.positive / res.wall_s;
    litmus_result_free(&res);
    if ((rc = litmus_run_sim(sb, ci, 0, 100000, 1, &res, err))) break;
    iters_ideal[r] = (double)res.iterations / res.wall_s;
    litmus_result_free(&res);
    if ((rc = litmus_run_sim(sb, c, 0, 100000 * (uint64_t)all, all, &res, err))) break;
    iters_all[r] = (double)res.iterations / res.wall_s;
    wits_all[r] = (double)res.positive / res.wall_s;
    litmus_result_free(&res);
  }
  if (!rc) {
    double med[NCORES];
    for (unsigned k = 0; k < NCORES; k++) {
      char what[64];
      snprintf(what, sizeof what, "micro-ops/s, mesi, %u cores", bench_cores[k]);
      med[k] = report(out, what, &uops[k * reps], reps, "uops/s");
    }
    report(out, "micro-ops/s, ideal memory, 2 cores", ideal, reps, "uops/s");
    report(out, "SB iterations/s, mesi, -j 1", iters, reps, "iter/s");
    report(out, "SB witnesses/s, mesi, -j 1", wits, reps, "witn/s");
    char what[64];
    snprintf(what, sizeof what, "SB iterations/s, mesi, -j %u", all);
    report(out, what, iters_all, reps, "iter/s");
    snprintf(what, sizeof what, "SB witnesses/s, mesi, -j %u", all);
    report(out, what, wits_all, reps, "witn/s");
    report(out, "SB iterations/s, ideal memory, -j 1", iters_ideal, reps, "iter/s");
    fprintf(out, "%-40s %12.2f\n", "cost per micro-op, 64 cores / 2 cores", med[0] / med[NCORES - 1]);
  }
done:
  litmus_free(sb);
  cfg_free(c);
  cfg_free(ci);
  free(v);
  return rc;
}
