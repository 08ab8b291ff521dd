/* tests/cache/test_mesi_random.c -- the random coherence tester on the MESI
 * hierarchy, in the cache shapes that stress different parts of the
 * protocol.  Each case names the configuration a user would pass to
 * `mmsim test-coherence` (via --set), so a failure here reruns there.
 *
 * The big runs (10 million operations per core count) are in the closing
 * notes; these are the CI-sized slice of them, plus every configuration
 * that once failed (SQLite's rule: a bug is fixed when a test reproduces it).
 */
#include "../check.h"
#include "sim/cohtest.h"

typedef struct shape {
  const char *name;
  const char *sets[8]; /* key=value pairs, NULL-terminated */
  unsigned lines, outstanding;
  unsigned stride; /* bytes from line to line; 0: one LLC set apart (the default) */
} shape;

static const shape shapes[] = {
    {"default caches", {NULL}, 16, 4, 0},
    /* LLC sets of 4 ways for 12 colliding lines: recalls (SN_A, MN_D) */
    {"small caches", {"cache.l1.ways=2", "cache.llc.ways=4", NULL}, 12, 4, 0},
    /* a private L2 under a one-line L1: L2 hits race with invalidations */
    {"L2 under a 1-way L1",
     {"cache.l2.sets=4", "cache.l2.ways=4", "cache.l1.sets=1", "cache.l1.ways=1",
      "cache.llc.ways=8", NULL}, 20, 2, 0},
    /* an LLC of 4 banks, each its own directory node: lines 5 apart fall in
     * every bank and, 24 of them in 2-way sets of 4, collide in each */
    {"4 LLC banks", {"cache.llc.banks=4", "cache.llc.ways=2", "cache.llc.sets=16", NULL}, 24, 4,
     5 * 64},
    /* many requests on few lines with long, uneven message delays */
    {"2-way LLC, jitter 100", {"cache.llc.ways=2", "net.jitter=100", NULL}, 6, 8, 0},
};

static int run_model(const shape *s, const char *model, unsigned cores, uint64_t seed,
                     uint64_t seeds, uint64_t ops) {
  sim_err err = {0};
  cfg *c = cfg_new();
  CHECK(c != NULL);
  CHECK_EQ_I64(cfg_set(c, "memory.kind", "mesi", &err), 0);
  CHECK_EQ_I64(cfg_set(c, "cache.check", "true", &err), 0);
  CHECK_EQ_I64(cfg_set(c, "cpu.model", model, &err), 0);
  for (int i = 0; s->sets[i]; i++) {
    char key[64];
    const char *eq = strchr(s->sets[i], '=');
    snprintf(key, sizeof key, "%.*s", (int)(eq - s->sets[i]), s->sets[i]);
    CHECK_EQ_I64(cfg_set(c, key, eq + 1, &err), 0);
  }
  tester_params p;
  sim_cohtest_params(c, &p);
  p.cores = cores;
  p.lines = s->lines;
  if (s->stride) p.stride = s->stride;
  p.outstanding = s->outstanding;
  p.ops = ops;
  p.seed = seed;
  tester_result total = {0};
  uint64_t failed = 0;
  int rc = sim_cohtest_run(c, &p, seeds, &total, &failed, &err);
  if (rc)
    fprintf(stderr, "%s, %s, %u cores: %s\n", s->name, model, cores, err.msg);
  else
    CHECK_EQ_U64(total.ops, ops);
  cfg_free(c);
  return rc;
}

static int run_shape(const shape *s, unsigned cores, uint64_t seed, uint64_t seeds, uint64_t ops) {
  return run_model(s, "tso", cores, seed, seeds, ops);
}

/* Every shape at every core count of the issue: 2 to 64. */
static void t_shapes(void) {
  static const unsigned cores[] = {2, 4, 8, 16, 64};
  for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
    for (size_t k = 0; k < sizeof cores / sizeof *cores; k++)
      CHECK_EQ_I64(run_shape(&shapes[s], cores[k], 500, 4, 40000), 0);
}

/* Two lines sharing the one L1 way both hit the L2: each moved into the L1
 * and looked up again, evicting the other, for ever (a livelock, found by
 * `mmsim test-coherence --cores 2 --outstanding 2 --seed 3000 --lines 20`
 * with the L2 shape). */
static void t_l2_livelock(void) { CHECK_EQ_I64(run_shape(&shapes[2], 2, 3000, 1, 100000), 0); }

/* The dir met S_D x PUTS_LAST (now I_D) with 2 cores, seed 100 (fixed in
 * 61bf68a; tests/cache/test_races.c scripts the order). */
static void t_s_d_last_put(void) { CHECK_EQ_I64(run_shape(&shapes[1], 2, 100, 1, 100000), 0); }

/* Under weak each core has an invalidate queue: loads may hit stale lines,
 * and the tester checks each against the value it had when its Inv arrived.
 * pso changes only the store buffer, which the tester bypasses: it must
 * pass unchanged. */
static void t_models(void) {
  static const char *const models[] = {"pso", "weak"};
  for (size_t m = 0; m < 2; m++)
    for (size_t s = 0; s < 2; s++) {
      CHECK_EQ_I64(run_model(&shapes[s], models[m], 4, 900, 4, 40000), 0);
      CHECK_EQ_I64(run_model(&shapes[s], models[m], 16, 900, 4, 40000), 0);
    }
}

static const check_case cases[] = {
    {"shapes", t_shapes},
    {"models", t_models},
    {"l2_livelock", t_l2_livelock},
    {"s_d_last_put", t_s_d_last_put},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
