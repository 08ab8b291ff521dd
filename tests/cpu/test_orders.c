/* tests/cpu/test_orders.c -- every ordering primitive of cpu/core.c, under
 * every model, as a guard that can fail.
 *
 * Three two-thread shapes on the full simulated machine (MESI caches,
 * invalidate queues under weak), each with one slot for the primitive:
 *
 *   mp-store  T0: x = 1; PRIM(flag = 1)     T1: spin until flag (acquire); r = x
 *             the stores reorder when r == 0: pso and weak let a plain
 *             store do it; a release or seq_cst store, a store or full
 *             fence, an RMW or CAS of any order must not (SB3, RMW drain).
 *   mp-load   T0: x = 1; flag = 1 (release) T1: x (warm); wait; f = PRIM(flag); r = x
 *             the loads reorder when f == 1 and r == 0: weak lets a plain
 *             load read x stale from its invalidate queue; an acquire or
 *             seq_cst load, a consume load of x, a load or full fence, an
 *             acquire or seq_cst RMW or CAS on flag must not.
 *   sb        T0: PRIM(x = 1); r0 = y       T1: PRIM(y = 1); r1 = x
 *             r0 == r1 == 0 is the store-load reordering: tso, pso and weak
 *             let a plain store do it; a full fence (or sc) must not, nor a
 *             seq_cst or acquire RMW or CAS as the store.
 *
 * Each (primitive, model) runs ITERATIONS iterations (seeded start skews,
 * net jitter, and a wait in mp-load that sweeps the race window) and the
 * reordering must appear 0 times; each shape's plain form must show it
 * (> 0) under the models that allow it, so the same program would catch a
 * primitive that stopped ordering.  tests/mutate.sh breaks each primitive
 * in cpu/core.c and checks that this test fails.
 */
#include "../check.h"
#include "sim/machine.h"

#ifdef MMSIM_SANITIZED
#define ITERATIONS 600
#else
#define ITERATIONS 3000
#endif
#define SPINS 400

typedef enum { MP_STORE, MP_LOAD, SB } shape;
typedef enum { P_PLAIN, P_STORE, P_LOAD, P_CONSUME, P_FENCE, P_RMW, P_CAS } prim_kind;

typedef struct prim {
  const char *name;
  shape sh;
  prim_kind kind;
  mem_order order;      /* of the store, load, RMW or CAS */
  mem_fence_kind fence; /* P_FENCE */
} prim;

static const char *const models[] = {"sc", "tso", "pso", "weak"};
static const char *const shape_name[] = {"mp-store", "mp-load", "sb"};
/* The models under which each shape's plain form reorders (bit per model). */
static const unsigned plain_shows[] = {[MP_STORE] = 0xC, [MP_LOAD] = 0x8, [SB] = 0xE};

typedef struct ctx {
  sim_machine *m;
  uint64_t *x, *y; /* y is the flag in mp */
  const prim *p;
  uint64_t k;      /* iteration */
  uint64_t r[2];
  bool saw_flag;
} ctx;

/* Write v to a through the primitive (or plainly). */
static void put(mem_port *port, const prim *p, uint64_t *a, uint64_t v) {
  uint64_t e = 0;
  switch (p->kind) {
  case P_STORE: mem_store(port, a, v, 8, p->order); return;
  case P_FENCE:
    mem_fence(port, p->fence);
    mem_store(port, a, v, 8, MO_RELAXED);
    return;
  case P_RMW: mem_rmw_ord(port, a, RMW_XCHG, v, 8, p->order); return;
  case P_CAS: CHECK(mem_cas_ord(port, a, &e, v, 8, p->order)); return;
  default: mem_store(port, a, v, 8, MO_RELAXED); return;
  }
}

/* Read a through the primitive (or plainly). */
static uint64_t get(mem_port *port, const prim *p, uint64_t *a) {
  uint64_t e = UINT64_MAX;
  switch (p->kind) {
  case P_LOAD: return mem_load(port, a, 8, p->order);
  case P_RMW: return mem_rmw_ord(port, a, RMW_ADD, 0, 8, p->order);
  case P_CAS: /* fails (nothing is UINT64_MAX) and returns the value found */
    CHECK(!mem_cas_ord(port, a, &e, 0, 8, p->order));
    return e;
  default: return mem_load(port, a, 8, MO_RELAXED);
  }
}

static void thread(void *arg, unsigned tid) {
  ctx *c = arg;
  mem_port *port = sim_machine_port(c->m, tid);
  const prim *p = c->p;
  switch (p->sh) {
  case MP_STORE:
    if (tid == 0) {
      mem_store(port, c->x, 1, 8, MO_RELAXED);
      put(port, p, c->y, 1);
    } else {
      for (unsigned i = 0; i < SPINS && !c->saw_flag; i++)
        c->saw_flag = mem_load(port, c->y, 8, MO_ACQUIRE) == 1;
      c->r[1] = mem_load(port, c->x, 8, MO_RELAXED);
    }
    return;
  case MP_LOAD:
    if (tid == 0) {
      mem_store(port, c->x, 1, 8, MO_RELAXED);
      mem_store(port, c->y, 1, 8, MO_RELEASE);
    } else {
      mem_load(port, c->x, 8, MO_RELAXED); /* x cached: an Inv can queue */
      mem_work(port, (unsigned)(c->k % 97) * 3);
      c->saw_flag = get(port, p, c->y) == 1;
      if (p->kind == P_FENCE) mem_fence(port, p->fence);
      c->r[1] = mem_load(port, c->x, 8, p->kind == P_CONSUME ? MO_CONSUME : MO_RELAXED);
    }
    return;
  case SB:
    if (p->kind == P_FENCE) { /* the fence goes between the store and the load */
      mem_store(port, tid ? c->y : c->x, 1, 8, MO_RELAXED);
      mem_fence(port, p->fence);
    } else {
      put(port, p, tid ? c->y : c->x, 1);
    }
    c->r[tid] = mem_load(port, tid ? c->x : c->y, 8, MO_RELAXED);
    return;
  }
}

/* Iterations of p under model in which the shape's reordering showed. */
static uint64_t reorders(const prim *p, const char *model) {
  sim_err err = {0, ""};
  cfg *cf = cfg_new();
  CHECK(cf != NULL);
  CHECK_EQ_I64(cfg_set(cf, "cpu.model", model, &err), 0);
  ctx c = {.p = p};
  c.m = sim_machine_new(cf, 2, 256, &err);
  if (!c.m) CHECK__FAIL("%s", err.msg);
  c.x = sim_machine_alloc(c.m, 8, 64);
  c.y = sim_machine_alloc(c.m, 8, 64);
  uint64_t n = 0;
  for (c.k = 0; c.k < ITERATIONS; c.k++) {
    *c.x = *c.y = 0; /* between iterations memory is the machine's (memsys.h) */
    c.r[0] = c.r[1] = 2;
    c.saw_flag = false;
    CHECK_EQ_I64(sim_machine_iteration(c.m, c.k, thread, &c, &err), 0);
    if (p->sh == SB) n += c.r[0] == 0 && c.r[1] == 0;
    else n += c.saw_flag && c.r[1] == 0;
  }
  sim_machine_free(c.m);
  cfg_free(cf);
  return n;
}

/* Each shape's plain form shows its reordering exactly where the model
 * allows it: the programs below are able to see one. */
static void t_plain(void) {
  for (int sh = MP_STORE; sh <= SB; sh++) {
    prim p = {"plain", (shape)sh, P_PLAIN, MO_RELAXED, MF_FULL};
    for (unsigned m = 0; m < 4; m++) {
      uint64_t n = reorders(&p, models[m]);
      printf("  %-8s plain   %-4s %5" PRIu64 " of %d\n", shape_name[sh], models[m], n, ITERATIONS);
      if (plain_shows[sh] >> m & 1) CHECK(n > 0);
      else CHECK_EQ_U64(n, 0);
    }
  }
}

/* Each primitive forbids its shape's reordering under every model. */
static void guard(const prim *ps, size_t np) {
  for (size_t i = 0; i < np; i++)
    for (unsigned m = 0; m < 4; m++) {
      uint64_t n = reorders(&ps[i], models[m]);
      if (n) CHECK__FAIL("%s %s under %s: reordered %" PRIu64 " times in %d", shape_name[ps[i].sh],
                         ps[i].name, models[m], n, ITERATIONS);
    }
  printf("  %zu primitives x 4 models: never reordered\n", np);
}

#define EACH_ORDER(sh, kind, what)                                                          \
  {what " relaxed", sh, kind, MO_RELAXED, MF_FULL}, {what " acquire", sh, kind, MO_ACQUIRE, MF_FULL}, \
  {what " release", sh, kind, MO_RELEASE, MF_FULL}, {what " seq_cst", sh, kind, MO_SEQ_CST, MF_FULL}

static void t_store_store(void) {
  static const prim ps[] = {
      {"release store", MP_STORE, P_STORE, MO_RELEASE, MF_FULL},
      {"seq_cst store", MP_STORE, P_STORE, MO_SEQ_CST, MF_FULL},
      {"store fence", MP_STORE, P_FENCE, MO_RELAXED, MF_STORE},
      {"full fence", MP_STORE, P_FENCE, MO_RELAXED, MF_FULL},
      EACH_ORDER(MP_STORE, P_RMW, "rmw"),
      EACH_ORDER(MP_STORE, P_CAS, "cas"),
  };
  guard(ps, sizeof ps / sizeof *ps);
}

static void t_load_load(void) {
  static const prim ps[] = {
      {"acquire load", MP_LOAD, P_LOAD, MO_ACQUIRE, MF_FULL},
      {"seq_cst load", MP_LOAD, P_LOAD, MO_SEQ_CST, MF_FULL},
      {"consume load", MP_LOAD, P_CONSUME, MO_CONSUME, MF_FULL},
      {"load fence", MP_LOAD, P_FENCE, MO_RELAXED, MF_LOAD},
      {"full fence", MP_LOAD, P_FENCE, MO_RELAXED, MF_FULL},
      {"rmw acquire", MP_LOAD, P_RMW, MO_ACQUIRE, MF_FULL},
      {"rmw seq_cst", MP_LOAD, P_RMW, MO_SEQ_CST, MF_FULL},
      {"cas acquire", MP_LOAD, P_CAS, MO_ACQUIRE, MF_FULL},
      {"cas seq_cst", MP_LOAD, P_CAS, MO_SEQ_CST, MF_FULL},
  };
  guard(ps, sizeof ps / sizeof *ps);
}

static void t_store_load(void) {
  static const prim ps[] = {
      {"full fence", SB, P_FENCE, MO_RELAXED, MF_FULL},
      {"rmw acquire", SB, P_RMW, MO_ACQUIRE, MF_FULL},
      {"rmw seq_cst", SB, P_RMW, MO_SEQ_CST, MF_FULL},
      {"cas acquire", SB, P_CAS, MO_ACQUIRE, MF_FULL},
      {"cas seq_cst", SB, P_CAS, MO_SEQ_CST, MF_FULL},
  };
  guard(ps, sizeof ps / sizeof *ps);
}

static const check_case cases[] = {{"plain", t_plain},
                                   {"store_store", t_store_store},
                                   {"load_load", t_load_load},
                                   {"store_load", t_store_load},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
