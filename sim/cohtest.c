/* sim/cohtest.c -- see cohtest.h. */
#include "cohtest.h"

#include <stdlib.h>
#include <string.h>

#include "machine.h"

void sim_cohtest_params(const cfg *c, tester_params *p) {
  tester_params_default(p);
  if (cfg_int(c, CK_CPU_CORES)) p->cores = (unsigned)cfg_int(c, CK_CPU_CORES);
  p->seed = (uint64_t)cfg_int(c, CK_RUN_SEED);
  p->outstanding = (unsigned)cfg_int(c, CK_WORKLOAD_OUTSTANDING);
  p->line_bytes = (unsigned)cfg_int(c, CK_CACHE_LINE_BYTES);
  p->stride = (uint64_t)cfg_int(c, CK_CACHE_LLC_SETS) * p->line_bytes;
  if (p->locs > p->line_bytes / 8) p->locs = p->line_bytes / 8;
}

/* One seed on a fresh memory system. */
static int run_seed(const cfg *c, const tester_params *p, tester_result *res,
                    memsys_metric_fn fn, void *ctx, sim_err *err) {
  memset(res, 0, sizeof *res);
  uint64_t size = tester_mem_bytes(p);
  size_t alloc = (size_t)(size + 63) & ~(size_t)63;
  uint8_t *data = aligned_alloc(64, alloc);
  if (!data) return sim_errf(err, SIM_ENOMEM, "out of memory for %zu bytes of memory", alloc);
  memset(data, 0, alloc);
  tester_fill(p, data);
  memsys *m = sim_memsys_new(c, p->cores, data, (size_t)size, err);
  int rc = m ? tester_run(p, m, res, err) : err->code;
  if (m && fn) m->ops->metrics(m, fn, ctx);
  if (m) m->ops->free(m);
  free(data);
  return rc;
}

int sim_cohtest_run(const cfg *c, const tester_params *p, uint64_t seeds, tester_result *total,
                    uint64_t *failed_seed, sim_err *err) {
  return sim_cohtest_run_metrics(c, p, seeds, total, failed_seed, NULL, NULL, err);
}

int sim_cohtest_run_metrics(const cfg *c, const tester_params *p, uint64_t seeds,
                            tester_result *total, uint64_t *failed_seed,
                            memsys_metric_fn fn, void *ctx, sim_err *err) {
  memset(total, 0, sizeof *total);
  if (seeds == 0) return sim_errf(err, SIM_EINVAL, "seeds: must be at least 1");
  int rc = tester_params_check(p, err);
  if (rc) return rc;
  for (uint64_t i = 0; i < seeds; i++) {
    tester_params q = *p;
    q.seed = p->seed + i;
    q.ops = p->ops / seeds + (i < p->ops % seeds); /* CT1 */
    tester_result r;
    rc = run_seed(c, &q, &r, fn, ctx, err);
    tester_result_add(total, &r);
    if (rc) {
      if (failed_seed) *failed_seed = q.seed;
      return rc; /* CT2 */
    }
  }
  return 0;
}
