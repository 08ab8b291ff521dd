/* workloads/litmus_native.c -- see litmus_native.h. */
#include "litmus_native.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../cache/memsys.h" /* memsys_get/put: little-endian bytes */
#include "../sim/rng.h"
#include "../sim/wallclock.h"
#include "mem_native.h"
#include "native_int.h"

typedef struct lnat {
  const litmus_test *t;
  litmus_result *r;
  unsigned threads, nlocs, nobs, width;
  uint64_t iters, batch, skew, seed;
  size_t stride, bytes; /* between locations; per instance */
  bool perpetual, affinity;
  uint8_t *mem;
  int64_t *regs; /* batch x threads x LITMUS_MAX_REGS */
  spin_barrier bar;
  unsigned pinned;
} lnat;

typedef struct larg {
  lnat *n;
  unsigned tid;
} larg;

static uint8_t *loc_of(lnat *n, uint64_t j, unsigned i) {
  return n->mem + j * n->bytes + (size_t)i * n->stride;
}

static int64_t *regs_of(lnat *n, uint64_t j, unsigned tid) {
  return n->regs + (j * n->threads + tid) * LITMUS_MAX_REGS;
}

/* Thread 0, between barriers: the initial state of a batch. */
static void init_batch(lnat *n, uint64_t count) {
  memset(n->regs, 0, count * n->threads * LITMUS_MAX_REGS * sizeof *n->regs);
  for (uint64_t j = 0; j < count; j++)
    for (unsigned i = 0; i < n->nlocs; i++)
      memsys_put(loc_of(n, j, i), litmus_loc_size(n->t, i), litmus_loc_init(n->t, i));
}

/* Thread 0, between barriers: each instance's outcome into the histogram. */
static void observe_batch(lnat *n, uint64_t base, uint64_t count) {
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

static void *thread_main(void *arg) {
  larg *a = arg;
  lnat *n = a->n;
  unsigned tid = a->tid, sense = 0;
  if (n->affinity && native__pin(tid)) __atomic_fetch_add(&n->pinned, 1, __ATOMIC_RELAXED);
  mem_native_port port;
  mem_native_port_init(&port, tid, n->width);
  sim_rng skew;
  sim_rng_derive(&skew, n->seed, "native.start_skew", tid);
  void *loc[LITMUS_MAX_LOCS];
  for (uint64_t base = 0; base < n->iters; base += n->batch) {
    uint64_t count = n->iters - base < n->batch ? n->iters - base : n->batch;
    if (tid == 0) init_batch(n, count);
    native__barrier_wait(&n->bar, &sense);
    for (uint64_t j = 0; j < count; j++) {
      for (unsigned i = 0; i < n->nlocs; i++) loc[i] = loc_of(n, j, i);
      if (!n->perpetual) native__barrier_wait(&n->bar, &sense);
      for (uint64_t s = sim_rng_upto(&skew, n->skew); s; s--) native__relax();
      litmus_thread_run(n->t, tid, &port.base, loc, regs_of(n, j, tid));
    }
    native__barrier_wait(&n->bar, &sense);
    /* Thread 0 observes, then initialises the next batch, while the others
     * already wait at that batch's first barrier: no barrier between. */
    if (tid == 0) observe_batch(n, base, count);
  }
  return NULL;
}

int litmus_run_native(const litmus_test *t, const cfg *c, litmus_result *r, native_host *h,
                      sim_err *err) {
  memset(r, 0, sizeof *r);
  native_host_info(h);
  lnat n = {
      .t = t, .r = r, .threads = litmus_nthreads(t), .nlocs = litmus_nlocs(t),
      .nobs = litmus_nobs(t), .width = (unsigned)cfg_int(c, CK_CPU_ATOMIC_WIDTH),
      .iters = (uint64_t)cfg_int(c, CK_RUN_ITERATIONS),
      .batch = (uint64_t)cfg_int(c, CK_NATIVE_BATCH),
      .skew = (uint64_t)cfg_int(c, CK_NATIVE_START_SKEW),
      .seed = (uint64_t)cfg_int(c, CK_RUN_SEED),
      .stride = (size_t)cfg_int(c, CK_WORKLOAD_STRIDE),
      .perpetual = strcmp(cfg_str(c, CK_NATIVE_MODE), "perpetual") == 0,
      .affinity = cfg_int(c, CK_NATIVE_AFFINITY) != 0,
  };
  if (n.batch > n.iters) n.batch = n.iters;
  n.bar.n = n.threads;
  n.bytes = (n.nlocs * n.stride + 4095) & ~(size_t)4095;
  n.mem = aligned_alloc(4096, n.bytes * n.batch);
  n.regs = calloc(n.batch * n.threads * LITMUS_MAX_REGS, sizeof *n.regs);
  r->hist = hist_new(n.nobs);
  int rc = 0;
  if (!n.mem || !n.regs || !r->hist) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory for a batch of %" PRIu64, n.batch);
    goto done;
  }
  pthread_t th[LITMUS_MAX_THREADS];
  larg args[LITMUS_MAX_THREADS];
  double t0 = wallclock_s();
  for (unsigned i = 0; i < n.threads; i++) {
    args[i] = (larg){&n, i};
    /* A missing thread would leave the others at the barrier for ever. */
    if (pthread_create(&th[i], NULL, thread_main, &args[i]))
      sim_panic("native: could not start thread %u of %u", i, n.threads);
  }
  for (unsigned i = 0; i < n.threads; i++) pthread_join(th[i], NULL);
  r->wall_s = wallclock_s() - t0;
  h->pinned = n.affinity && n.pinned == n.threads;
  double w = r->wall_s > 0 ? r->wall_s : 1e-9;
  metrics_set(&r->metrics, "native.iterations_per_s", (double)r->iterations / w);
  metrics_set(&r->metrics, "native.cores", h->cores);
  metrics_set(&r->metrics, "native.pinned", h->pinned);
done:
  free(n.mem);
  free(n.regs);
  return rc;
}
