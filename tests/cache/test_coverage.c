/* tests/cache/test_coverage.c -- random testing reaches every cell.
 *
 * The directed tests (test_l1_cells.c, test_dir_cells.c) fire each cell
 * once by hand.  This checks the other half: that the tables hold no cell
 * the real machine never reaches (which would be untested by the random
 * tester, or a sign that the cell is in truth impossible and should stop
 * the run), and no reachable race the tables forgot (the tester would then
 * fail on an impossible cell).  8 cores, 2-way L1s and 4-way LLC sets on 12
 * colliding lines: misses, evictions, recalls and every race of the tables
 * in 500,000 operations (`mmsim protocol --run` shows the same counts for
 * a stored coherence-test run).  Once with tso cores and once with weak
 * ones: the invalidate queue's cells exist only under weak, and the plain
 * Inv of an S line only without a queue.
 */
#include "../check.h"
#include "cache/proto.h"
#include "sim/cohtest.h"
#include "sim/metrics.h"

static void add(void *ctx, const char *key, double value) { proto_counts_add(ctx, key, value); }

/* 500,000 random operations under `model`, their cell counts added to n. */
static void run(const char *model, proto_counts *n) {
  sim_err err = {0};
  cfg *c = cfg_new();
  CHECK(c != NULL);
  CHECK_EQ_I64(cfg_set(c, "memory.kind", "mesi", &err), 0);
  CHECK_EQ_I64(cfg_set(c, "cpu.model", model, &err), 0);
  CHECK_EQ_I64(cfg_set(c, "cache.l1.ways", "2", &err), 0);
  CHECK_EQ_I64(cfg_set(c, "cache.llc.ways", "4", &err), 0);
  tester_params p;
  sim_cohtest_params(c, &p);
  p.cores = 8;
  p.lines = 12;
  p.outstanding = 4;
  p.ops = 500000;
  p.seed = 1;
  tester_result r;
  uint64_t bad = 0;
  CHECK_EQ_I64(sim_cohtest_run_metrics(c, &p, 10, &r, &bad, add, n, &err), 0);
  cfg_free(c);
}

static void t_every_cell(void) {
  proto_counts *n = calloc(1, sizeof *n);
  run("tso", n);
  run("weak", n);
  int missing = 0;
  for (int s = 0; s < L1_NSTATES; s++)
    for (int e = 0; e < L1_NEVENTS; e++)
      if (l1_table[s][e].kind != CELL_IMPOSSIBLE && !n->l1[s][e]) {
        fprintf(stderr, "  L1 %s x %s never fired\n", l1_state_name[s], l1_event_name[e]);
        missing++;
      }
  for (int s = 0; s < DIR_NSTATES; s++)
    for (int e = 0; e < DIR_NEVENTS; e++)
      if (dir_table[s][e].kind != CELL_IMPOSSIBLE && !n->dir[s][e]) {
        fprintf(stderr, "  dir %s x %s never fired\n", dir_state_name[s], dir_event_name[e]);
        missing++;
      }
  CHECK_EQ_I64(missing, 0);
  free(n);
}

static const check_case cases[] = {{"every_cell", t_every_cell}, {NULL, NULL}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
