/* workloads/mapbench_native.c -- mapbench on the host's cores (mmsim
 * native): the same maps, the same operations and the same draws as in
 * the simulator, on pthreads with real atomics (mem_native.c), timed by
 * clock_gettime.  The loop is the scenarios' (native_int.h), one
 * instance a batch: thread 0 builds the maps, all meet at the barrier,
 * each runs its operations, all meet, and thread 0 counts the iteration.
 */
#include <stdlib.h>
#include <string.h>

#include "mapbench_run.h"
#include "mem_native.h"
#include "native_int.h"

typedef struct nat {
  mb_result *r;
  mb_inst x;
  uint8_t *mem;
  size_t bytes;
  uint64_t next;   /* the iteration of the batch being run */
  mb_stats st[MB_MAX_THREADS];
  uint64_t ran[MB_MAX_THREADS]; /* each thread's nanoseconds in this iteration */
  uint64_t busy;   /* sum over iterations of the slowest thread's time */
  uint64_t lost, concurrent;
  int enomem;
} nat;

static bool begin(void *ctx, uint64_t count) {
  nat *n = ctx;
  (void)count; /* one instance a batch */
  mem_native_port setup;
  mem_native_port_init(&setup, 0, 8);
  return mb_inst_setup(&n->x, &n->r->prm, n->mem, n->bytes, &setup.base) == HMAP_OK;
}

static void body(void *ctx, uint64_t j, unsigned tid, mem_port *p) {
  nat *n = ctx;
  uint64_t t0 = mem_now(p);
  if (mb_thread(&n->x, p, tid, n->next + j, &n->st[tid])) __atomic_store_n(&n->enomem, 1, __ATOMIC_RELAXED);
  n->ran[tid] = mem_now(p) - t0;
}

static void end(void *ctx, uint64_t base, uint64_t count, mem_port *p) {
  nat *n = ctx;
  (void)p, (void)count;
  unsigned threads = n->r->prm.threads;
  uint64_t lost = 0, conc = 0, slowest = 0;
  for (unsigned t = 0; t < threads; t++) {
    lost += n->st[t].lost, conc += n->st[t].concurrent;
    if (n->ran[t] > slowest) slowest = n->ran[t];
  }
  int64_t o[MB_NOBS] = {lost > n->lost, conc > n->concurrent};
  n->lost = lost, n->concurrent = conc;
  hist_add(n->r->hist, o, base);
  n->r->anomalies += mb_classify(o) != NULL;
  n->r->iterations++;
  n->busy += slowest;
  n->next = base + 1;
}

int mb_run_native(const cfg *c, mb_result *r, native_host *h, sim_err *err) {
  memset(r, 0, sizeof *r);
  native_host_info(h);
  int rc = mb_params_from_cfg(c, &r->prm, err);
  if (rc) return rc;
  nat n = {.r = r, .bytes = (mb_arena_bytes(&r->prm) + 4095) & ~(size_t)4095};
  native_loop l = {
      .iters = (uint64_t)cfg_int(c, CK_RUN_ITERATIONS), .batch = 1,
      .seed = (uint64_t)cfg_int(c, CK_RUN_SEED), .threads = r->prm.threads,
      .width = (unsigned)cfg_int(c, CK_CPU_ATOMIC_WIDTH),
      .affinity = cfg_int(c, CK_NATIVE_AFFINITY) != 0,
      .ctx = &n, .begin = begin, .body = body, .end = end,
  };
  n.mem = aligned_alloc(4096, n.bytes);
  r->hist = hist_new(MB_NOBS);
  if (!n.mem || !r->hist) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    goto done;
  }
  native__loop_run(&l);
  r->wall_s = l.wall_s;
  if (l.failed || n.enomem) {
    rc = sim_errf(err, SIM_EFULL, "mapbench: the maps ran out of their %zu-byte arena", n.bytes);
    goto done;
  }
  h->pinned = l.pinned;
  h->cpus_used = l.cpus_used;
  mb_stats all = {0};
  for (unsigned t = 0; t < r->prm.threads; t++) mb_stats_absorb(&all, &n.st[t]);
  r->ops = mb_stats_ops(&all);
  mb_metrics(&r->metrics, &all, n.busy, true);
  metrics_set(&r->metrics, "native.cores", h->cores);
  metrics_set(&r->metrics, "native.pinned", h->pinned);
  mb_stats_free(&all);
done:
  for (unsigned t = 0; t < MB_MAX_THREADS; t++) mb_stats_free(&n.st[t]);
  mb_inst_free(&n.x);
  free(n.mem);
  return rc;
}
