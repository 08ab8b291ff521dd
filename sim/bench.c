/* sim/bench.c -- see bench.h. */
#include "bench.h"

#include <stdlib.h>

#include "../workloads/litmus_run.h"
#include "config.h"
#include "machine.h"
#include "wallclock.h"

/* The SB test is embedded so bench runs from any folder. */
static const char sb_text[] =
    "X86 SB\n"
    "{ x=0; y=0; }\n"
    " P0          | P1          ;\n"
    " MOV [x],$1  | MOV [y],$1  ;\n"
    " MOV EAX,[y] | MOV EAX,[x] ;\n"
    "exists (0:EAX=0 /\\ 1:EAX=0)\n";

#define UOPS_PER_THREAD 1000

typedef struct uops_ctx {
  sim_machine *m;
  uint64_t *line[2];
} uops_ctx;

static void uops_thread(void *arg, unsigned tid) {
  uops_ctx *x = arg;
  mem_port *p = sim_machine_port(x->m, tid);
  for (unsigned i = 0; i < UOPS_PER_THREAD / 2; i++) {
    mem_store(p, x->line[tid], i, 8, MO_RELAXED);
    (void)mem_load(p, x->line[!tid], 8, MO_RELAXED);
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void report(FILE *out, const char *what, double *v, unsigned n, const char *unit) {
  qsort(v, n, sizeof *v, cmp_double);
  fprintf(out, "%-34s %12.0f %-10s (min %.0f, max %.0f, %u reps)\n", what, v[n / 2], unit, v[0],
          v[n - 1], n);
}

__attribute__((noinline)) static int bench_uops(cfg *c, double *rate, sim_err *err) {
  uops_ctx x;
  x.m = sim_machine_new(c, 2, 256, err);
  if (!x.m) return err->code;
  x.line[0] = sim_machine_alloc(x.m, 64, 64);
  x.line[1] = sim_machine_alloc(x.m, 64, 64);
  double t0 = wallclock_s();
  int rc = 0;
  for (uint64_t k = 0; k < 200 && !rc; k++) rc = sim_machine_iteration(x.m, k, uops_thread, &x, err);
  double dt = wallclock_s() - t0;
  *rate = (double)sim_machine_mem_uops(x.m) / dt;
  sim_machine_free(x.m);
  return rc;
}

int bench_main(FILE *out, unsigned reps, sim_err *err) {
  double *uops = calloc(reps, sizeof *uops), *iters = calloc(reps, sizeof *iters),
         *wits = calloc(reps, sizeof *wits);
  cfg *c = cfg_new();
  litmus_test *sb = NULL;
  int rc = 0;
  if (!uops || !iters || !wits || !c) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    goto done;
  }
  if ((rc = litmus_parse_string("bench:SB", sb_text, &sb, err))) goto done;
  fprintf(out, "mmsim bench: model %s, memory %s, median of %u\n", cfg_str(c, CK_CPU_MODEL),
          cfg_str(c, CK_MEMORY_KIND), reps);
  for (unsigned r = 0; r < reps && !rc; r++) {
    if ((rc = bench_uops(c, &uops[r], err))) break;
    litmus_result res;
    if ((rc = litmus_run_sim(sb, c, 0, 100000, &res, err))) break;
    iters[r] = (double)res.iterations / res.wall_s;
    wits[r] = (double)res.positive / res.wall_s;
    litmus_result_free(&res);
  }
  if (!rc) {
    report(out, "simulated memory micro-ops/s", uops, reps, "uops/s");
    report(out, "SB iterations/s", iters, reps, "iter/s");
    report(out, "SB witnesses/s", wits, reps, "witn/s");
  }
done:
  litmus_free(sb);
  cfg_free(c);
  free(uops), free(iters), free(wits);
  return rc;
}
