/* tests/workloads/test_hmap.c -- workloads/hmap.c: single-threaded, the map
 * is a map.  Long random sequences of assign, delete, lookup, len and full
 * iterations (with growth and overflow chains) are compared against a
 * plain reference array, on the native backend in every variant and on the
 * simulated backend (one simulated thread), and hmap_check runs after each
 * step of the native runs. */
#include "../../sim/machine.h"
#include "../../sim/rng.h"
#include "../../workloads/mem_native.h"
#include "../../workloads/scenario.h"
#include "../check.h"

#define KEYS 700 /* enough to grow to 2^7 buckets */
#define ARENA (8u << 20)

typedef struct ref { uint64_t val[KEYS + 1]; bool has[KEYS + 1]; uint64_t n; } ref;

typedef struct run {
  hmap m;
  wl_arena a;
  ref r;
  uint64_t ops, seed;
  unsigned bad;      /* mismatches: checked after the run (no longjmp in coroutines) */
  char why[256];
  bool check_each;   /* hmap_check after every step (slow in the simulator) */
} run;

static void fail(run *x, const char *what, uint64_t k) {
  if (!x->bad++) snprintf(x->why, sizeof x->why, "%s (key %llu)", what, (unsigned long long)k);
}

/* Full iteration: every live key exactly once with its value. */
static void iterate(run *x, mem_port *p) {
  static bool seen[KEYS + 1];
  memset(seen, 0, sizeof seen);
  hmap_iter it;
  uint64_t k, v, n = 0;
  hmap_iter_init(p, &x->m, &it);
  while (hmap_iter_next(p, &x->m, &it, &k, &v) == HMAP_OK) {
    n++;
    if (k == 0 || k > KEYS || !x->r.has[k] || x->r.val[k] != v) fail(x, "iterate: unknown pair", k);
    else if (seen[k]) fail(x, "iterate: key twice", k);
    else seen[k] = true;
  }
  hmap_iter_done(p, &x->m, &it);
  if (n != x->r.n) fail(x, "iterate: wrong number of keys", n);
}

static void ops(run *x, mem_port *p) {
  sim_rng g;
  sim_rng_seed(&g, x->seed);
  for (uint64_t i = 0; i < x->ops && !x->bad; i++) {
    /* Mostly inserts early on (growth), a mix later (deletes, tombstones). */
    uint64_t k = 1 + sim_rng_upto(&g, KEYS - 1), v = sim_rng_next(&g), got = 0;
    unsigned what = (unsigned)sim_rng_upto(&g, 99);
    if (i < x->ops / 3 && what < 60) what = 0;
    if (what < 45) {
      if (hmap_assign(p, &x->m, k, v) != HMAP_OK) fail(x, "assign failed", k);
      x->r.n += !x->r.has[k];
      x->r.has[k] = true, x->r.val[k] = v;
    } else if (what < 75) {
      int rc = hmap_delete(p, &x->m, k);
      if (rc != (x->r.has[k] ? HMAP_OK : HMAP_NOTFOUND)) fail(x, "delete result", k);
      x->r.n -= x->r.has[k];
      x->r.has[k] = false;
    } else if (what < 97) {
      int rc = hmap_lookup(p, &x->m, k, &got);
      if (rc != (x->r.has[k] ? HMAP_OK : HMAP_NOTFOUND) || (x->r.has[k] && got != x->r.val[k]))
        fail(x, "lookup", k);
    } else if (what < 99) {
      if (hmap_len(p, &x->m) != x->r.n) fail(x, "len", x->r.n);
    } else {
      iterate(x, p);
    }
    if (x->check_each && !hmap_check(p, &x->m, x->why, sizeof x->why)) x->bad++;
  }
  iterate(x, p);
  if (hmap_grow_finish(p, &x->m) != HMAP_OK) fail(x, "grow_finish", 0);
  iterate(x, p);
  for (uint64_t k = 1; k <= KEYS; k++) {
    uint64_t got;
    if ((hmap_lookup(p, &x->m, k, &got) == HMAP_OK) != x->r.has[k]) fail(x, "final lookup", k);
  }
}

static void native_variant(hmap_variant v, uint64_t seed) {
  static run x;
  memset(&x, 0, sizeof x);
  uint8_t *mem = aligned_alloc(4096, ARENA);
  CHECK(mem);
  memset(mem, 0, ARENA);
  x.a = (wl_arena){mem, ARENA, 0, 64};
  x.ops = 30000, x.seed = seed, x.check_each = true;
  mem_native_port p;
  mem_native_port_init(&p, 0, 8);
  CHECK_EQ_I64(hmap_make(&x.m, &p.base, v, 0, 12345, wl_arena_alloc, &x.a), HMAP_OK);
  ops(&x, &p.base);
  uint64_t B = x.m.h->B;
  free(mem);
  if (x.bad) fprintf(stderr, "  variant %s: %s\n", hmap_variant_name[v], x.why);
  CHECK_EQ_U64(x.bad, 0);
  CHECK(B >= 6); /* it grew */
}

static void t_native_unsafe(void) { native_variant(HMAP_UNSAFE, 1); }
static void t_native_fenced(void) { native_variant(HMAP_FENCED, 2); }
static void t_native_atomic(void) { native_variant(HMAP_ATOMIC, 3); }
static void t_native_locked(void) { native_variant(HMAP_LOCKED, 4); }

/* The same sequence on one simulated thread, over both models. */
static run sx;
static sim_machine *sm;
static void sim_entry(void *arg, unsigned tid) { ops(arg, sim_machine_port(sm, tid)); }

static void sim_model(const char *model, hmap_variant v) {
  cfg *c = cfg_new();
  sim_err e = {0};
  CHECK(c);
  CHECK_EQ_I64(cfg_set(c, "cpu.model", model, &e), 0);
  CHECK_EQ_I64(cfg_set(c, "memory.latency", "1", &e), 0);
  CHECK_EQ_I64(cfg_set(c, "run.max_cycles", "4000000000", &e), 0);
  sm = sim_machine_new(c, 1, ARENA + 4096, &e);
  CHECK(sm);
  uint8_t *mem = sim_machine_alloc(sm, ARENA, 4096);
  memset(&sx, 0, sizeof sx);
  sx.a = (wl_arena){mem, ARENA, 0, 64};
  sx.ops = 8000, sx.seed = 7;
  mem_native_port setup;
  mem_native_port_init(&setup, 0, 8);
  CHECK_EQ_I64(hmap_make(&sx.m, &setup.base, v, 0, 999, wl_arena_alloc, &sx.a), HMAP_OK);
  int rc = sim_machine_iteration(sm, 0, sim_entry, &sx, &e);
  uint64_t uops = sim_machine_mem_uops(sm);
  sim_machine_free(sm);
  cfg_free(c);
  if (rc) fprintf(stderr, "  %s\n", e.msg);
  CHECK_EQ_I64(rc, 0);
  if (sx.bad) fprintf(stderr, "  %s/%s: %s\n", model, hmap_variant_name[v], sx.why);
  CHECK_EQ_U64(sx.bad, 0);
  CHECK(uops > 8000); /* it really ran through the simulated core */
}

static void t_sim_tso(void) { sim_model("tso", HMAP_UNSAFE); }
static void t_sim_sc_locked(void) { sim_model("sc", HMAP_LOCKED); }
static void t_sim_tso_atomic(void) { sim_model("tso", HMAP_ATOMIC); }

/* A full bucket chains an overflow bucket; deletes leave emptyRest tails. */
static void t_overflow_and_tombstones(void) {
  static run x;
  memset(&x, 0, sizeof x);
  uint8_t *mem = aligned_alloc(4096, 1 << 20);
  memset(mem, 0, 1 << 20);
  x.a = (wl_arena){mem, 1 << 20, 0, 64};
  mem_native_port p;
  mem_native_port_init(&p, 0, 8);
  CHECK_EQ_I64(hmap_make(&x.m, &p.base, HMAP_UNSAFE, 12, 5, wl_arena_alloc, &x.a), HMAP_OK);
  uint64_t keys[10], n = 0;
  for (uint64_t k = 1; n < 10; k++)
    if (hmap_bucket_of(&p.base, &x.m, k) == 0) keys[n++] = k;
  for (int i = 0; i < 10; i++) CHECK_EQ_I64(hmap_assign(&p.base, &x.m, keys[i], i), HMAP_OK);
  hmap_bucket *b0 = hmap_bucket_at(&p.base, &x.m, 0);
  CHECK(hmap_overflow(&p.base, &x.m, b0) != NULL);
  CHECK_EQ_U64(x.m.h->noverflow, 1);
  for (int i = 9; i >= 0; i--) CHECK_EQ_I64(hmap_delete(&p.base, &x.m, keys[i]), HMAP_OK);
  for (int i = 0; i < HMAP_SLOTS; i++) CHECK_EQ_U64(b0->tophash[i], 0); /* all emptyRest */
  CHECK_EQ_U64(hmap_len(&p.base, &x.m), 0);
  char why[128];
  CHECK(hmap_check(&p.base, &x.m, why, sizeof why));
  free(mem);
}

/* Go's promise for a range loop whose body writes the map: an iterator
 * left open across whole writes that grow the map (twice: 2^3 to 2^5
 * buckets), delete and update keys.  A key present throughout comes back
 * exactly once; every pair returned is in the map at that moment. */
static void iterate_across_growth(hmap_variant v, uint64_t seed) {
  enum { N = 40, MAX = 400 }; /* N keys fit 2^3 buckets; MAX keys need 2^6 */
  static run x;
  memset(&x, 0, sizeof x);
  uint8_t *mem = aligned_alloc(4096, 1 << 20);
  CHECK(mem);
  memset(mem, 0, 1 << 20);
  x.a = (wl_arena){mem, 1 << 20, 0, 64};
  mem_native_port p;
  mem_native_port_init(&p, 0, 8);
  CHECK_EQ_I64(hmap_make(&x.m, &p.base, v, N, seed, wl_arena_alloc, &x.a), HMAP_OK);
  static uint64_t val[MAX + 1];
  static unsigned seen[MAX + 1];
  memset(val, 0, sizeof val), memset(seen, 0, sizeof seen);
  for (uint64_t k = 1; k <= N; k++) CHECK_EQ_I64(hmap_assign(&p.base, &x.m, k, val[k] = k), 0);
  sim_rng g;
  sim_rng_seed(&g, seed);
  hmap_iter it;
  uint64_t k, got, next = N + 1;
  hmap_iter_init(&p.base, &x.m, &it);
  while (hmap_iter_next(&p.base, &x.m, &it, &k, &got) == HMAP_OK) {
    CHECK(k >= 1 && k <= MAX && val[k] == got); /* present now, current value */
    seen[k]++;
    for (unsigned n = (unsigned)sim_rng_upto(&g, 12); n; n--) {
      uint64_t r = 1 + sim_rng_upto(&g, next - 1), w = sim_rng_next(&g) | 1;
      if (r % 2 == 0 && r <= N) r--;                   /* even keys <= N: never deleted */
      if (sim_rng_upto(&g, 2) && next <= MAX) r = next++; /* insert: growth */
      if (val[r] && sim_rng_upto(&g, 3) == 0 && r % 2) {
        CHECK_EQ_I64(hmap_delete(&p.base, &x.m, r), HMAP_OK);
        val[r] = 0;
      } else {
        CHECK_EQ_I64(hmap_assign(&p.base, &x.m, r, val[r] = w), HMAP_OK);
      }
    }
  }
  hmap_iter_done(&p.base, &x.m, &it);
  for (uint64_t e = 2; e <= N; e += 2) CHECK_EQ_U64(seen[e], 1);
  for (uint64_t e = 1; e <= MAX; e++) CHECK(seen[e] <= 1);
  CHECK(x.m.h->B >= 5); /* it grew twice while iterating */
  free(mem);
}

static void t_iterate_across_growth(void) {
  for (uint64_t seed = 1; seed <= 20; seed++)
    for (int v = 0; v < HMAP_NVARIANTS; v++) iterate_across_growth((hmap_variant)v, seed);
}

static const check_case cases[] = {
    {"native_unsafe", t_native_unsafe},
    {"native_fenced", t_native_fenced},
    {"native_atomic", t_native_atomic},
    {"native_locked", t_native_locked},
    {"sim_tso", t_sim_tso},
    {"sim_sc_locked", t_sim_sc_locked},
    {"sim_tso_atomic", t_sim_tso_atomic},
    {"overflow_and_tombstones", t_overflow_and_tombstones},
    {"iterate_across_growth", t_iterate_across_growth},
    {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
