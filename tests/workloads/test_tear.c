/* tests/workloads/test_tear.c -- split accesses (mem_sim.c): a 64-bit word
 * tears on a machine whose single-copy atomicity is 32 bits, and only there.
 *
 * One thread writes 0x00000000ffffffff and 0x0000000100000000 in turn, the
 * other reads the word in a loop; a value no store wrote is a torn read:
 * 0x00000001ffffffff, or 0 once the reader has seen a written value (0 is
 * also the initial value, and coherence forbids going back to it).  The loop matters
 * under weak: there a read's second half usually hits the same stale copy as
 * its first, so a tear needs the invalidate queue to apply between the two
 * halves, which a loop of reads meets where one read does not
 * (litmus/c/TEAR+onces.litmus is the one-read form).
 *
 * Also: a misaligned access that crosses a cache line is split at the line
 * whatever the width, and still reads back what was written.
 */
#include "../check.h"
#include "sim/machine.h"

#define ROUNDS 200
#define ITERATIONS 40

static const uint64_t A = UINT64_C(0x00000000ffffffff), B = UINT64_C(0x0000000100000000);

typedef struct tear_ctx {
  sim_machine *m;
  uint64_t *x;
  uint64_t torn, reads;
  bool seen; /* the reader has read a written value this iteration */
} tear_ctx;

static void tear_thread(void *arg, unsigned tid) {
  tear_ctx *t = arg;
  mem_port *p = sim_machine_port(t->m, tid);
  for (unsigned i = 0; i < ROUNDS; i++) {
    if (tid == 0) {
      mem_store(p, t->x, i % 2 ? B : A, 8, MO_RELAXED);
    } else {
      uint64_t v = mem_load(p, t->x, 8, MO_RELAXED);
      t->reads++;
      t->torn += v == (A | B) || (v == 0 && t->seen);
      t->seen |= v != 0;
    }
  }
}

/* Torn reads in ITERATIONS iterations of model at atomic width w. */
static uint64_t torn_reads(const char *model, const char *width) {
  sim_err err = {0};
  cfg *c = cfg_new();
  CHECK(c != NULL);
  CHECK_EQ_I64(cfg_set(c, "cpu.model", model, &err), 0);
  CHECK_EQ_I64(cfg_set(c, "cpu.atomic_width", width, &err), 0);
  tear_ctx t = {0};
  t.m = sim_machine_new(c, 2, 128, &err);
  CHECK(t.m != NULL);
  t.x = sim_machine_alloc(t.m, 8, 64);
  for (uint64_t k = 0; k < ITERATIONS; k++) {
    *t.x = 0; /* between iterations memory is the machine's (memsys.h) */
    t.seen = false;
    CHECK_EQ_I64(sim_machine_iteration(t.m, k, tear_thread, &t, &err), 0);
  }
  CHECK_EQ_U64(t.reads, (uint64_t)ROUNDS * ITERATIONS);
  sim_machine_free(t.m);
  cfg_free(c);
  return t.torn;
}

static const char *const models[] = {"sc", "tso", "pso", "weak"};

static void t_width4_tears(void) {
  for (size_t i = 0; i < 4; i++) {
    uint64_t n = torn_reads(models[i], "4");
    printf("  %-4s width 4: %" PRIu64 " torn reads of %d\n", models[i], n, ROUNDS * ITERATIONS);
    CHECK(n > 0);
  }
}

static void t_width8_never(void) {
  for (size_t i = 0; i < 4; i++) CHECK_EQ_U64(torn_reads(models[i], "8"), 0);
}

typedef struct cross_ctx {
  sim_machine *m;
  uint8_t *p; /* 4 bytes before a line boundary */
  uint64_t got;
} cross_ctx;

static void cross_thread(void *arg, unsigned tid) {
  cross_ctx *x = arg;
  mem_port *p = sim_machine_port(x->m, tid);
  mem_store(p, x->p, UINT64_C(0x1122334455667788), 8, MO_RELAXED);
  mem_fence(p, MF_FULL);
  x->got = mem_load(p, x->p, 8, MO_RELAXED);
}

/* An 8-byte store and load straddling two lines: two pieces each, and the
 * word comes back whole (with either width). */
static void t_line_crossing(void) {
  static const char *const widths[] = {"8", "4"};
  for (size_t w = 0; w < 2; w++) {
    sim_err err = {0};
    cfg *c = cfg_new();
    CHECK_EQ_I64(cfg_set(c, "cpu.atomic_width", widths[w], &err), 0);
    CHECK_EQ_I64(cfg_set(c, "cache.check", "true", &err), 0);
    cross_ctx x = {0};
    x.m = sim_machine_new(c, 1, 256, &err);
    CHECK(x.m != NULL);
    uint8_t *lines = sim_machine_alloc(x.m, 128, 64);
    x.p = lines + 60;
    CHECK_EQ_I64(sim_machine_iteration(x.m, 0, cross_thread, &x, &err), 0);
    CHECK_EQ_U64(x.got, UINT64_C(0x1122334455667788));
    CHECK_EQ_U64(sim_machine_peek(x.m, lines + 60, 4), 0x55667788);
    CHECK_EQ_U64(sim_machine_peek(x.m, lines + 64, 4), 0x11223344);
    sim_machine_free(x.m);
    cfg_free(c);
  }
}

static const check_case cases[] = {{"width4_tears", t_width4_tears},
                                   {"width8_never", t_width8_never},
                                   {"line_crossing", t_line_crossing},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
