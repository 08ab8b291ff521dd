/* workloads/litmus_native.c -- see litmus_native.h. */
#include "litmus_native.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../cache/memsys.h" /* memsys_get/put: little-endian bytes */
#include "mem_native.h"
#include "native_int.h"

typedef struct lnat {
  const litmus_test *t;
  litmus_result *r;
  unsigned threads, nlocs, nobs;
  size_t stride, bytes; /* between locations; per instance */
  uint8_t *mem;
  int64_t *regs; /* batch x threads x LITMUS_MAX_REGS */
} lnat;

static uint8_t *loc_of(lnat *n, uint64_t j, unsigned i) {
  return n->mem + j * n->bytes + (size_t)i * n->stride;
}

static int64_t *regs_of(lnat *n, uint64_t j, unsigned tid) {
  return n->regs + (j * n->threads + tid) * LITMUS_MAX_REGS;
}

/* The native_loop callbacks.  Thread 0, between barriers: the initial
 * state of a batch. */
static bool init_batch(void *ctx, uint64_t count) {
  lnat *n = ctx;
  memset(n->regs, 0, count * n->threads * LITMUS_MAX_REGS * sizeof *n->regs);
  for (uint64_t j = 0; j < count; j++)
    for (unsigned i = 0; i < n->nlocs; i++)
      memsys_put(loc_of(n, j, i), litmus_loc_size(n->t, i), litmus_loc_init(n->t, i));
  return true;
}

static void run_instance(void *ctx, uint64_t j, unsigned tid, mem_port *p) {
  lnat *n = ctx;
  void *loc[LITMUS_MAX_LOCS];
  for (unsigned i = 0; i < n->nlocs; i++) loc[i] = loc_of(n, j, i);
  litmus_thread_run(n->t, tid, p, loc, regs_of(n, j, tid));
}

/* Thread 0, between barriers: each instance's outcome into the histogram. */
static void observe_batch(void *ctx, uint64_t base, uint64_t count, mem_port *p) {
  (void)p;
  lnat *n = ctx;
  int64_t *regp[LITMUS_MAX_THREADS], vals[LITMUS_MAX_OBS];
  uint64_t mem[LITMUS_MAX_LOCS];
  for (uint64_t j = 0; j < count; j++) {
    for (unsigned t = 0; t < n->threads; t++) regp[t] = regs_of(n, j, t);
    for (unsigned i = 0; i < n->nlocs; i++)
      mem[i] = memsys_get(loc_of(n, j, i), litmus_loc_size(n->t, i));
    litmus_observe(n->t, regp, mem, vals);
    hist_add(n->r->hist, vals, base + j);
    n->r->positive += litmus_cond_eval(n->t, vals);
    n->r->iterations++;
  }
}

int litmus_run_native(const litmus_test *t, const cfg *c, litmus_result *r, native_host *h,
                      sim_err *err) {
  memset(r, 0, sizeof *r);
  native_host_info(h);
  lnat n = {
      .t = t, .r = r, .threads = litmus_nthreads(t), .nlocs = litmus_nlocs(t),
      .nobs = litmus_nobs(t), .stride = (size_t)cfg_int(c, CK_WORKLOAD_STRIDE),
  };
  native_loop l = {
      .iters = (uint64_t)cfg_int(c, CK_RUN_ITERATIONS),
      .batch = (uint64_t)cfg_int(c, CK_NATIVE_BATCH),
      .skew = (uint64_t)cfg_int(c, CK_NATIVE_START_SKEW),
      .seed = (uint64_t)cfg_int(c, CK_RUN_SEED),
      .threads = n.threads, .width = (unsigned)cfg_int(c, CK_CPU_ATOMIC_WIDTH),
      .perpetual = strcmp(cfg_str(c, CK_NATIVE_MODE), "perpetual") == 0,
      .affinity = cfg_int(c, CK_NATIVE_AFFINITY) != 0,
      .ctx = &n, .begin = init_batch, .body = run_instance, .end = observe_batch,
  };
  if (l.batch > l.iters) l.batch = l.iters;
  n.bytes = (n.nlocs * n.stride + 4095) & ~(size_t)4095;
  n.mem = aligned_alloc(4096, n.bytes * l.batch);
  n.regs = calloc(l.batch * n.threads * LITMUS_MAX_REGS, sizeof *n.regs);
  r->hist = hist_new(n.nobs);
  int rc = 0;
  if (!n.mem || !n.regs || !r->hist) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory for a batch of %" PRIu64, l.batch);
    goto done;
  }
  native__loop_run(&l);
  r->wall_s = l.wall_s;
  h->pinned = l.pinned;
  h->cpus_used = l.cpus_used;
  double w = r->wall_s > 0 ? r->wall_s : 1e-9;
  metrics_set(&r->metrics, "native.iterations_per_s", (double)r->iterations / w);
  metrics_set(&r->metrics, "native.cores", h->cores);
  metrics_set(&r->metrics, "native.pinned", h->pinned);
done:
  free(n.mem);
  free(n.regs);
  return rc;
}
