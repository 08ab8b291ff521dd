/* tests/workloads/test_litmus_interp.c -- running litmus threads
 * (litmus_interp.c) and judging outcomes (litmus_cond.c).
 *
 * The backend here is the simplest possible mem_port: each call reads or
 * writes host memory at once and is logged, so a thread run alone shows the
 * exact sequence of mem API calls (L1: every shared access goes through the
 * port) and its register and memory results.  Running the threads of a test
 * one after the other, in every order, gives the thread-atomic SC
 * executions: a sanity check on every shipped test's condition. */
#include <stdio.h>
#include <string.h>

#include "../../workloads/litmus.h"
#include "../../workloads/litmus_int.h" /* litmus__check, litmus__insn_str */
#include "../check.h"
#include "../litmus_files.h"

/* --- A sequential backend ------------------------------------------------ */

enum { K_LOAD, K_STORE, K_RMW, K_CAS, K_FENCE, K_WORK };

typedef struct op_rec {
  int kind;
  const void *addr;
  unsigned size;
  int arg;            /* mem_order, mem_rmw_op or mem_fence_kind */
  uint64_t v, v2;     /* stored / operand / desired value; CAS expected */
} op_rec;

typedef struct seq_port {
  mem_port base;
  op_rec log[128];
  unsigned nlog;
} seq_port;

static uint64_t get(const void *addr, unsigned size) {
  const uint8_t *p = addr;
  uint64_t v = 0;
  for (unsigned i = size; i-- > 0;) v = v << 8 | p[i];
  return v;
}

static void put(void *addr, unsigned size, uint64_t v) {
  uint8_t *p = addr;
  for (unsigned i = 0; i < size; i++, v >>= 8) p[i] = (uint8_t)v;
}

static op_rec *rec(mem_port *pp, int kind, const void *addr, unsigned size, int arg, uint64_t v) {
  seq_port *p = (seq_port *)pp;
  CHECK(p->nlog < sizeof p->log / sizeof p->log[0]);
  op_rec *r = &p->log[p->nlog++];
  *r = (op_rec){kind, addr, size, arg, v, 0};
  return r;
}

static uint64_t s_load(mem_port *p, const void *addr, unsigned size, mem_order o) {
  rec(p, K_LOAD, addr, size, o, 0);
  return get(addr, size);
}
static void s_store(mem_port *p, void *addr, uint64_t v, unsigned size, mem_order o) {
  CHECK_EQ_U64(v, mem_trunc(v, size)); /* M1: values arrive truncated */
  rec(p, K_STORE, addr, size, o, v);
  put(addr, size, v);
}
static uint64_t s_rmw(mem_port *p, void *addr, mem_rmw_op op, uint64_t v, unsigned size,
                      mem_order o) {
  (void)o;
  rec(p, K_RMW, addr, size, op, v);
  uint64_t old = get(addr, size);
  put(addr, size, mem_rmw_apply(op, old, v));
  return old;
}
static bool s_cas(mem_port *p, void *addr, uint64_t *expected, uint64_t desired, unsigned size,
                  mem_order o) {
  (void)o;
  rec(p, K_CAS, addr, size, 0, desired)->v2 = *expected;
  uint64_t old = get(addr, size);
  bool ok = old == *expected;
  if (ok) put(addr, size, desired);
  *expected = old;
  return ok;
}
static void s_fence(mem_port *p, mem_fence_kind k) { rec(p, K_FENCE, NULL, 0, k, 0); }
static void s_work(mem_port *p, unsigned cycles) { rec(p, K_WORK, NULL, 0, 0, cycles); }

static uint64_t s_now(mem_port *p) { return (void)p, 0; }
static const mem_ops seq_ops = {s_load, s_store, s_rmw, s_cas, s_fence, s_work, s_now, NULL, NULL, NULL, NULL};

/* One test's memory, registers and ports. */
typedef struct world {
  litmus_test *t;
  uint64_t cell[LITMUS_MAX_LOCS]; /* 8-byte aligned slots */
  void *loc[LITMUS_MAX_LOCS];
  int64_t regs[LITMUS_MAX_THREADS][LITMUS_MAX_REGS];
  int64_t *regp[LITMUS_MAX_THREADS];
  seq_port port[LITMUS_MAX_THREADS];
  uint64_t mem[LITMUS_MAX_LOCS]; /* final raw values */
  int64_t vals[LITMUS_MAX_OBS];
  char outcome[256];
} world;

static void world_reset(world *w) {
  for (unsigned i = 0; i < litmus_nlocs(w->t); i++) {
    w->loc[i] = &w->cell[i];
    w->cell[i] = 0xdeadbeefdeadbeefull; /* bytes beyond the size must not matter */
    put(w->loc[i], litmus_loc_size(w->t, i), litmus_loc_init(w->t, i));
  }
  for (unsigned k = 0; k < LITMUS_MAX_THREADS; k++) {
    w->port[k].base.ops = &seq_ops;
    w->port[k].base.tid = k;
    w->port[k].nlog = 0;
    w->regp[k] = w->regs[k];
    for (unsigned r = 0; r < LITMUS_MAX_REGS; r++) w->regs[k][r] = 0x5a5a; /* run initialises them */
  }
}

/* Runs the threads in `order` (a list of tids, -1 ended) one after the other,
 * then observes and formats the outcome. */
static void world_run(world *w, const int *order) {
  world_reset(w);
  for (const int *o = order; *o >= 0; o++)
    litmus_thread_run(w->t, (unsigned)*o, &w->port[*o].base, w->loc, w->regs[*o]);
  for (unsigned i = 0; i < litmus_nlocs(w->t); i++) w->mem[i] = get(w->loc[i], litmus_loc_size(w->t, i));
  litmus_observe(w->t, w->regp, w->mem, w->vals);
  litmus_outcome_format(w->t, w->vals, w->outcome, sizeof w->outcome);
}

static void world_parse(world *w, const char *text) {
  memset(w, 0, sizeof *w);
  sim_err err = {0};
  int rc = litmus_parse_string("t.litmus", text, &w->t, &err);
  if (rc) fprintf(stderr, "  %s\n", err.msg);
  CHECK_EQ_I64(rc, 0);
  CHECK(litmus__check(w->t));
}

static int loc_index(const world *w, const char *name) {
  for (unsigned i = 0; i < litmus_nlocs(w->t); i++)
    if (strcmp(litmus_loc_name(w->t, i), name) == 0) return (int)i;
  CHECK(!"no such location");
  return -1;
}

#define CHECK_OP(w, tid, i, kind_, loc_, size_, arg_, v_)                  \
  do {                                                                     \
    unsigned i_ = (i); /* evaluated once: callers pass i++ */              \
    CHECK(i_ < (w)->port[tid].nlog);                                       \
    const op_rec *r_ = &(w)->port[tid].log[i_];                            \
    CHECK_EQ_I64(r_->kind, kind_);                                         \
    if ((loc_) != NULL) CHECK(r_->addr == (w)->loc[loc_index(w, loc_)]);   \
    CHECK_EQ_U64(r_->size, size_);                                         \
    CHECK_EQ_I64(r_->arg, arg_);                                           \
    CHECK_EQ_U64(r_->v, v_);                                               \
  } while (0)

/* --- Cases ------------------------------------------------------------------ */

static const char *const x86_sb = "X86 SB\n{ x=0; y=0; }\n"
                                  " P0          | P1          ;\n"
                                  " MOV [x],$1  | MOV [y],$1  ;\n"
                                  " MOV EAX,[y] | MOV EAX,[x] ;\n"
                                  "exists (0:EAX=0 /\\ 1:EAX=0)\n";

static void t_x86_sb_sequential(void) {
  world w;
  world_parse(&w, x86_sb);
  world_run(&w, (const int[]){0, 1, -1});
  CHECK_EQ_STR(w.outcome, "0:EAX=0; 1:EAX=1;");
  CHECK(!litmus_cond_eval(w.t, w.vals));
  CHECK_EQ_U64(w.mem[0], 1);
  CHECK_EQ_U64(w.mem[1], 1);
  CHECK_OP(&w, 0, 0, K_STORE, "x", 4, MO_RELAXED, 1);
  CHECK_OP(&w, 0, 1, K_LOAD, "y", 4, MO_RELAXED, 0);
  CHECK_EQ_U64(w.port[0].nlog, 2);
  world_run(&w, (const int[]){1, 0, -1});
  CHECK_EQ_STR(w.outcome, "0:EAX=1; 1:EAX=0;");
  /* The condition's outcome itself, evaluated directly. */
  int64_t both0[2] = {0, 0};
  CHECK(litmus_cond_eval(w.t, both0));
  litmus_free(w.t);
}

static void t_x86_mapping(void) {
  world w;
  world_parse(&w, "X86 ops\n{ x=5; y=0; 0:EAX=9; 0:ECX=3; 0:EDX=11; }\n P0 ;\n"
                  " MOV [x],$-1 ;\n MFENCE ;\n SFENCE ;\n LFENCE ;\n MOV EBX,[x] ;\n"
                  " XCHG [y],EAX ;\n LOCK ADD [y],$2 ;\n LOCK INC [y] ;\n LOCK XADD [y],ECX ;\n"
                  " LOCK CMPXCHG [y],EDX ;\n LOCK DEC [x] ;\n LOCK OR [x],EBX ;\n MOV [x],ECX ;\n"
                  "exists (0:EAX=0 /\\ 0:EBX=0 /\\ 0:ECX=0 /\\ 0:EDX=0)\n");
  world_run(&w, (const int[]){0, -1});
  CHECK_OP(&w, 0, 0, K_STORE, "x", 4, MO_RELAXED, 0xffffffff);
  CHECK_OP(&w, 0, 1, K_FENCE, NULL, 0, MF_FULL, 0);
  CHECK_OP(&w, 0, 2, K_FENCE, NULL, 0, MF_STORE, 0);
  CHECK_OP(&w, 0, 3, K_FENCE, NULL, 0, MF_LOAD, 0);
  CHECK_OP(&w, 0, 4, K_LOAD, "x", 4, MO_RELAXED, 0);
  CHECK_OP(&w, 0, 5, K_RMW, "y", 4, RMW_XCHG, 9);      /* y: 0 -> 9, EAX = 0 */
  CHECK_OP(&w, 0, 6, K_RMW, "y", 4, RMW_ADD, 2);       /* y: 11 */
  CHECK_OP(&w, 0, 7, K_RMW, "y", 4, RMW_ADD, 1);       /* y: 12 */
  CHECK_OP(&w, 0, 8, K_RMW, "y", 4, RMW_ADD, 3);       /* y: 15, ECX = 12 */
  CHECK_OP(&w, 0, 9, K_CAS, "y", 4, 0, 11);            /* expects EAX = 0: fails, EAX = 15 */
  CHECK_EQ_U64(w.port[0].log[9].v2, 0);
  CHECK_OP(&w, 0, 10, K_RMW, "x", 4, RMW_SUB, 1);      /* x: -2 */
  CHECK_OP(&w, 0, 11, K_RMW, "x", 4, RMW_OR, 0xffffffff); /* EBX = -1 */
  CHECK_OP(&w, 0, 12, K_STORE, "x", 4, MO_RELAXED, 12);
  CHECK_EQ_U64(w.port[0].nlog, 13);
  CHECK_EQ_STR(w.outcome, "0:EAX=15; 0:EBX=-1; 0:ECX=12; 0:EDX=11;");
  CHECK_EQ_U64(w.mem[loc_index(&w, "y")], 15);
  CHECK_EQ_U64(w.mem[loc_index(&w, "x")], 12);
  litmus_free(w.t);
}

/* Arithmetic on memory without LOCK is x86's non-atomic read-modify-write:
 * a load, then a store of the loaded value op the source (herd7 gives it
 * separate read and write events), never an RMW. */
static void t_x86_unlocked_rmw(void) {
  world w;
  world_parse(&w, "X86 unlocked\n{ x=5; 0:EBX=3; }\n P0 ;\n"
                  " INC [x] ;\n ADD [x],EBX ;\n DEC [x] ;\n XOR [x],$1 ;\n"
                  "exists (x=0)\n");
  world_run(&w, (const int[]){0, -1});
  CHECK_OP(&w, 0, 0, K_LOAD, "x", 4, MO_RELAXED, 0);
  CHECK_OP(&w, 0, 1, K_STORE, "x", 4, MO_RELAXED, 6);
  CHECK_OP(&w, 0, 2, K_LOAD, "x", 4, MO_RELAXED, 0);
  CHECK_OP(&w, 0, 3, K_STORE, "x", 4, MO_RELAXED, 9);
  CHECK_OP(&w, 0, 4, K_LOAD, "x", 4, MO_RELAXED, 0);
  CHECK_OP(&w, 0, 5, K_STORE, "x", 4, MO_RELAXED, 8);
  CHECK_OP(&w, 0, 6, K_LOAD, "x", 4, MO_RELAXED, 0);
  CHECK_OP(&w, 0, 7, K_STORE, "x", 4, MO_RELAXED, 9);
  CHECK_EQ_U64(w.port[0].nlog, 8);
  CHECK_EQ_STR(w.outcome, "x=9;"); /* the hidden register is never observed */
  litmus_free(w.t);
}

static void t_x86_registers(void) {
  world w;
  world_parse(&w, "X86 regs\n{ x=1; y=7; 0:EAX=5; }\n P0 | P1 ;\n"
                  " MOV EBX,EAX  | MOV EAX,$7     ;\n ADD EBX,$10  | LOCK CMPXCHG [y],EAX ;\n"
                  " SUB EBX,EAX  | MOV EBX,[y]    ;\n AND EBX,$12  | INC EAX        ;\n"
                  " OR EBX,$1    | DEC EAX        ;\n XOR EBX,$3   | DEC EAX        ;\n"
                  " INC EBX      | MOV [x],EAX    ;\n"
                  "exists (0:EBX=0 /\\ 1:EAX=0 /\\ 1:EBX=0 /\\ x=0)\n");
  world_run(&w, (const int[]){0, 1, -1});
  /* EBX = ((((5 + 10) - 5) & 12) | 1) ^ 3 + 1 = ((8 | 1) ^ 3) + 1 = 11; CAS 7 -> 7 succeeds. */
  CHECK_EQ_STR(w.outcome, "0:EBX=11; 1:EAX=6; 1:EBX=7; x=6;");
  CHECK_OP(&w, 1, 0, K_CAS, "y", 4, 0, 7);
  CHECK_EQ_U64(w.port[1].log[0].v2, 7);
  litmus_free(w.t);
}

static void t_c_mapping(void) {
  world w;
  world_parse(&w, "C ops\n{ a=10; }\n"
                  "P0(int *x, int *y, atomic_t *a) {\n int r0; int r1;\n"
                  " WRITE_ONCE(*x, 3); r0 = READ_ONCE(*x); smp_store_release(y, r0 + 1); r1 = smp_load_acquire(y);\n"
                  " smp_mb(); smp_wmb(); smp_rmb(); barrier(); smp_mb__before_atomic(); smp_mb__after_atomic();\n"
                  " r0 = xchg(x, 5); r0 = xchg_relaxed(x, 6); xchg_acquire(x, 7); r1 = xchg_release(x, 8);\n"
                  " atomic_inc(a); atomic_dec(a); atomic_add(r1, a); atomic_sub(2, a); atomic_set(a, 4); r1 = atomic_read(a);\n"
                  " r0 = cmpxchg(y, 4, 9); r1 = cmpxchg_relaxed(y, 4, 10);\n"
                  " atomic_set_release(a, 1); r1 = atomic_read_acquire(a) + r1;\n"
                  "}\n"
                  "exists (0:r0=0 /\\ 0:r1=0 /\\ x=0 /\\ y=0 /\\ a=0)\n");
  world_run(&w, (const int[]){0, -1});
  unsigned i = 0;
  CHECK_OP(&w, 0, i++, K_STORE, "x", 4, MO_RELAXED, 3);
  CHECK_OP(&w, 0, i++, K_LOAD, "x", 4, MO_RELAXED, 0);
  CHECK_OP(&w, 0, i++, K_STORE, "y", 4, MO_RELEASE, 4);
  CHECK_OP(&w, 0, i++, K_LOAD, "y", 4, MO_ACQUIRE, 0);
  CHECK_OP(&w, 0, i++, K_FENCE, NULL, 0, MF_FULL, 0);
  CHECK_OP(&w, 0, i++, K_FENCE, NULL, 0, MF_STORE, 0);
  CHECK_OP(&w, 0, i++, K_FENCE, NULL, 0, MF_LOAD, 0);
  CHECK_OP(&w, 0, i++, K_FENCE, NULL, 0, MF_FULL, 0); /* before_atomic; barrier() is no access */
  CHECK_OP(&w, 0, i++, K_FENCE, NULL, 0, MF_FULL, 0);
  CHECK_OP(&w, 0, i++, K_RMW, "x", 4, RMW_XCHG, 5);
  CHECK_OP(&w, 0, i++, K_RMW, "x", 4, RMW_XCHG, 6);
  CHECK_OP(&w, 0, i++, K_RMW, "x", 4, RMW_XCHG, 7);
  CHECK_OP(&w, 0, i++, K_RMW, "x", 4, RMW_XCHG, 8); /* r1 = 7 */
  CHECK_OP(&w, 0, i++, K_RMW, "a", 4, RMW_ADD, 1);
  CHECK_OP(&w, 0, i++, K_RMW, "a", 4, RMW_SUB, 1);
  CHECK_OP(&w, 0, i++, K_RMW, "a", 4, RMW_ADD, 7);
  CHECK_OP(&w, 0, i++, K_RMW, "a", 4, RMW_SUB, 2);
  CHECK_OP(&w, 0, i++, K_STORE, "a", 4, MO_RELAXED, 4);
  CHECK_OP(&w, 0, i++, K_LOAD, "a", 4, MO_RELAXED, 0);
  CHECK_OP(&w, 0, i++, K_CAS, "y", 4, 0, 9); /* y is 4: succeeds, r0 = 4 */
  CHECK_EQ_U64(w.port[0].log[i - 1].v2, 4);
  CHECK_OP(&w, 0, i++, K_CAS, "y", 4, 0, 10); /* y is 9: fails, r1 = 9 */
  CHECK_OP(&w, 0, i++, K_STORE, "a", 4, MO_RELEASE, 1);
  CHECK_OP(&w, 0, i++, K_LOAD, "a", 4, MO_ACQUIRE, 0);
  CHECK_EQ_U64(w.port[0].nlog, i);
  CHECK_EQ_STR(w.outcome, "0:r0=4; 0:r1=10; x=8; y=9; a=1;");
  litmus_free(w.t);
}

static void t_c_returns(void) {
  world w;
  world_parse(&w, "C ret\n{ atomic_t a = ATOMIC_INIT(5); }\n"
                  "P0(atomic_t *a) {\n int r0; int r1; int r2; int r3; int r4; int r5;\n"
                  " r0 = atomic_inc_return(a); r1 = atomic_fetch_add(10, a); r2 = atomic_add_return_acquire(3, a);\n"
                  " r3 = atomic_fetch_dec(a); r4 = atomic_sub_return(r3, a); r5 = atomic_xchg(a, -7);\n"
                  "}\n"
                  "exists (0:r0=0 /\\ 0:r1=0 /\\ 0:r2=0 /\\ 0:r3=0 /\\ 0:r4=0 /\\ 0:r5=0 /\\ a=0)\n");
  world_run(&w, (const int[]){0, -1});
  /* a: 5 -> 6 -> 16 -> 19 -> 18 -> 18-19=-1 -> -7 */
  CHECK_EQ_STR(w.outcome, "0:r0=6; 0:r1=6; 0:r2=19; 0:r3=19; 0:r4=-1; 0:r5=-1; a=-7;");
  litmus_free(w.t);
}

/* Locks, the rest of the atomic API, and RCU compile to the accesses the
 * kernel's code makes (spinlock.h, litmus_c.c). */
static void t_c_locks_atomics(void) {
  world w;
  world_parse(&w, "C locks\n{ atomic_t a = ATOMIC_INIT(5); atomic_t b = ATOMIC_INIT(3); }\n"
                  "P0(spinlock_t *l, atomic_t *a, atomic_t *b, int *x) {\n int r0; int r1; int r2; int r3; int r4;\n"
                  " spin_lock(l); r0 = spin_is_locked(l); r1 = spin_trylock(l); spin_unlock(l);\n"
                  " r2 = spin_trylock(l); smp_mb__after_spinlock(); spin_unlock(l);\n"
                  " r3 = atomic_add_unless(a, 1, 5) + 10 * atomic_inc_not_zero(b);\n"
                  " atomic_andnot(1, b); r4 = atomic_dec_and_test(b); smp_store_mb(*x, 2);\n"
                  "}\n"
                  "exists (0:r0=0 /\\ 0:r1=0 /\\ 0:r2=0 /\\ 0:r3=0 /\\ 0:r4=0 /\\ l=0 /\\ b=0)\n");
  world_run(&w, (const int[]){0, -1});
  unsigned i = 0;
  CHECK_OP(&w, 0, i++, K_CAS, "l", 4, 0, 1); /* spin_lock: acquire CAS 0 -> 1, wins */
  CHECK_OP(&w, 0, i++, K_LOAD, "l", 4, MO_RELAXED, 0); /* spin_is_locked */
  CHECK_OP(&w, 0, i++, K_CAS, "l", 4, 0, 1);           /* trylock: held, fails */
  CHECK_OP(&w, 0, i++, K_STORE, "l", 4, MO_RELEASE, 0);
  CHECK_OP(&w, 0, i++, K_CAS, "l", 4, 0, 1); /* wins */
  CHECK_OP(&w, 0, i++, K_FENCE, NULL, 0, MF_FULL, 0);
  CHECK_OP(&w, 0, i++, K_STORE, "l", 4, MO_RELEASE, 0);
  CHECK_OP(&w, 0, i++, K_LOAD, "a", 4, MO_RELAXED, 0); /* a == 5: adds nothing */
  CHECK_OP(&w, 0, i++, K_LOAD, "b", 4, MO_RELAXED, 0); /* b == 3: CAS 3 -> 4 */
  CHECK_OP(&w, 0, i++, K_CAS, "b", 4, 0, 4);
  CHECK_OP(&w, 0, i++, K_RMW, "b", 4, RMW_AND, mem_trunc(~UINT64_C(1), 4)); /* 4 & ~1 */
  CHECK_OP(&w, 0, i++, K_RMW, "b", 4, RMW_SUB, 1);                           /* 3 */
  CHECK_OP(&w, 0, i++, K_STORE, "x", 4, MO_RELAXED, 2);
  CHECK_OP(&w, 0, i++, K_FENCE, NULL, 0, MF_FULL, 0);
  CHECK_EQ_U64(w.port[0].nlog, i);
  CHECK_EQ_STR(w.outcome, "0:r0=1; 0:r1=0; 0:r2=1; 0:r3=10; 0:r4=0; l=0; b=3;");
  litmus_free(w.t);
}

static void t_c_rcu(void) {
  world w;
  world_parse(&w, "C rcu\n{}\n"
                  "P0(int *x) {\n synchronize_rcu();\n}\n"
                  "P1(int *x) {\n int r0;\n rcu_read_lock(); rcu_read_lock(); r0 = READ_ONCE(*x);\n"
                  " rcu_read_unlock(); rcu_read_unlock();\n}\n"
                  "P2(int *x) {\n rcu_read_lock(); rcu_read_unlock(); synchronize_rcu();\n}\n"
                  "exists (1:r0=0)\n");
  world_run(&w, (const int[]){1, 0, 2, -1});
  unsigned i = 0; /* P1: the outermost lock and unlock only */
  CHECK_OP(&w, 1, i++, K_STORE, "P1:rcu", 4, MO_RELAXED, 1);
  CHECK_OP(&w, 1, i++, K_FENCE, NULL, 0, MF_FULL, 0);
  CHECK_OP(&w, 1, i++, K_LOAD, "x", 4, MO_RELAXED, 0);
  CHECK_OP(&w, 1, i++, K_FENCE, NULL, 0, MF_FULL, 0);
  CHECK_OP(&w, 1, i++, K_STORE, "P1:rcu", 4, MO_RELAXED, 0);
  CHECK_EQ_U64(w.port[1].nlog, i);
  i = 0; /* P0 waits for both readers, P2 for P1 only */
  CHECK_OP(&w, 0, i++, K_FENCE, NULL, 0, MF_FULL, 0);
  CHECK_OP(&w, 0, i++, K_LOAD, "P1:rcu", 4, MO_RELAXED, 0);
  CHECK_OP(&w, 0, i++, K_LOAD, "P2:rcu", 4, MO_RELAXED, 0);
  CHECK_OP(&w, 0, i++, K_FENCE, NULL, 0, MF_FULL, 0);
  CHECK_EQ_U64(w.port[0].nlog, i);
  CHECK_OP(&w, 2, 5, K_LOAD, "P1:rcu", 4, MO_RELAXED, 0);
  CHECK_EQ_U64(w.port[2].nlog, 7);
  litmus_free(w.t);
}

/* Pointers are location names as values; a load through one takes the
 * location from the register when it runs, and carries an address
 * dependency (consume).  Plain C accesses are relaxed loads and stores. */
static void t_c_pointers(void) {
  world w;
  world_parse(&w, "C ptr\n{ int a = 7; int *p = &a; q=b; }\n"
                  "P0(int **p, int **q, int *a, int *b) {\n int *r0; int r1; int r2;\n"
                  " r0 = rcu_dereference(*p); r1 = READ_ONCE(*r0); rcu_assign_pointer(*q, a);\n"
                  " r0 = (int *)READ_ONCE(*q); WRITE_ONCE(*r0, r1 + 1); *b = *a + 2; r2 = (r0 == a);\n"
                  " r3 = *p;\n"
                  "}\n"
                  "exists (0:r0=a /\\ 0:r1=7 /\\ 0:r2=1 /\\ 0:r3=a /\\ q=a /\\ a=8 /\\ b=10)\n");
  world_run(&w, (const int[]){0, -1});
  unsigned i = 0;
  CHECK_OP(&w, 0, i++, K_LOAD, "p", 8, MO_RELAXED, 0);
  CHECK_OP(&w, 0, i++, K_LOAD, "a", 4, MO_CONSUME, 0); /* through r0 */
  CHECK_OP(&w, 0, i++, K_STORE, "q", 8, MO_RELEASE, (uint64_t)LITMUS_PTR_BASE); /* a is location 0 */
  CHECK_OP(&w, 0, i++, K_LOAD, "q", 8, MO_RELAXED, 0);
  CHECK_OP(&w, 0, i++, K_STORE, "a", 4, MO_RELAXED, 8);
  CHECK_OP(&w, 0, i++, K_LOAD, "a", 4, MO_RELAXED, 0); /* plain */
  CHECK_OP(&w, 0, i++, K_STORE, "b", 4, MO_RELAXED, 10);
  CHECK_OP(&w, 0, i++, K_LOAD, "p", 8, MO_RELAXED, 0);
  CHECK_EQ_U64(w.port[0].nlog, i);
  CHECK_EQ_STR(litmus_cond_str(w.t), "exists (0:r0=a /\\ 0:r1=7 /\\ 0:r2=1 /\\ 0:r3=a /\\ q=a /\\ a=8 /\\ b=10)");
  CHECK_EQ_STR(w.outcome, "0:r0=a; 0:r1=7; 0:r2=1; 0:r3=a; q=a; a=8; b=10;");
  CHECK(litmus_cond_eval(w.t, w.vals));
  litmus_free(w.t);

  /* Through something that is no location: no access, and 0. */
  world_parse(&w, "C bad\n{ p=5; }\nP0(int **p) {\n int *r0; int r1;\n r0 = READ_ONCE(*p); r1 = READ_ONCE(*r0);"
                  " WRITE_ONCE(*r0, 1);\n}\nexists (0:r1=0)\n");
  world_run(&w, (const int[]){0, -1});
  CHECK_EQ_U64(w.port[0].nlog, 1);
  CHECK_EQ_STR(w.outcome, "0:r1=0;");
  litmus_free(w.t);
}

static const char *const c_branch =
    "C branch\n{ x=0; }\n"
    "P0(int *x, int *y, int *z) {\n int r0;\n r0 = READ_ONCE(*x);\n"
    " if (r0 == 1) {\n  WRITE_ONCE(*y, 1);\n } else if (r0 > 1)\n  WRITE_ONCE(*y, 2);\n else {\n  WRITE_ONCE(*z, 3);\n }\n"
    " if (r0) WRITE_ONCE(*z, 4);\n WRITE_ONCE(*x, 9);\n}\n"
    "exists (0:r0=0)\nlocations [y; z;]\n";

static void t_c_branches(void) {
  world w;
  world_parse(&w, c_branch);
  world_run(&w, (const int[]){0, -1});
  CHECK_EQ_STR(w.outcome, "0:r0=0; y=0; z=3;");
  CHECK_EQ_U64(w.port[0].nlog, 3);
  CHECK(litmus_cond_eval(w.t, w.vals));
  litmus_free(w.t);

  char text[1024];
  snprintf(text, sizeof text, "%s", c_branch);
  memcpy(strstr(text, "x=0"), "x=1", 3);
  world_parse(&w, text);
  world_run(&w, (const int[]){0, -1});
  CHECK_EQ_STR(w.outcome, "0:r0=1; y=1; z=4;");
  CHECK(!litmus_cond_eval(w.t, w.vals));
  litmus_free(w.t);

  memcpy(strstr(text, "x=1"), "x=7", 3);
  world_parse(&w, text);
  world_run(&w, (const int[]){0, -1});
  CHECK_EQ_STR(w.outcome, "0:r0=7; y=2; z=4;");
  CHECK_OP(&w, 0, 3, K_STORE, "x", 4, MO_RELAXED, 9);
  litmus_free(w.t);
}

static void t_c_expressions(void) {
  world w;
  world_parse(&w, "C expr\n{ x=5; }\n"
                  "P0(int *x) {\n int r0 = READ_ONCE(*x);\n"
                  " int r1 = (r0 + 3) * 2 - 1, r2 = r0 == 5, r3 = !r0 | 4 ^ 1 & 3, r4 = -r0, r5 = ~r0;\n"
                  " int r6 = r0 < 6 && r0 >= 5 || 0, r7 = r0 <= 4, r8 = r0 > 4 != 0, r9 = 2147483647 + r2;\n"
                  " long r10 = 2147483647 + r2;\n"
                  "}\n"
                  "exists (0:r1=0 /\\ 0:r2=0 /\\ 0:r3=0 /\\ 0:r4=0 /\\ 0:r5=0 /\\ 0:r6=0 /\\ 0:r7=0 /\\ 0:r8=0 "
                  "/\\ 0:r9=0 /\\ 0:r10=0)\n");
  world_run(&w, (const int[]){0, -1});
  CHECK_EQ_STR(w.outcome, "0:r1=15; 0:r2=1; 0:r3=5; 0:r4=-5; 0:r5=-6; 0:r6=1; 0:r7=0; 0:r8=1; "
                          "0:r9=-2147483648; 0:r10=2147483648;");
  litmus_free(w.t);
}

static void t_c_hoisting(void) {
  world w;
  world_parse(&w, "C hoist\n{ x=1; y=2; }\n"
                  "P0(int *x, int *y) {\n int r0;\n"
                  " if (READ_ONCE(*x) == 1) WRITE_ONCE(*y, READ_ONCE(*x) + 1);\n"
                  " r0 = READ_ONCE(*x) * 10 + smp_load_acquire(y);\n"
                  " WRITE_ONCE(*x, xchg(y, r0) - r0);\n"
                  "}\n"
                  "exists (0:r0=0)\n");
  /* r0 plus hidden registers (reused from statement to statement), never observed */
  CHECK_EQ_U64(litmus_nregs(w.t, 0), 3);
  CHECK_EQ_U64(litmus_nobs(w.t), 1);
  world_run(&w, (const int[]){0, -1});
  unsigned i = 0;
  CHECK_OP(&w, 0, i++, K_LOAD, "x", 4, MO_RELAXED, 0); /* the condition */
  CHECK_OP(&w, 0, i++, K_LOAD, "x", 4, MO_RELAXED, 0); /* the value, before the store */
  CHECK_OP(&w, 0, i++, K_STORE, "y", 4, MO_RELAXED, 2);
  CHECK_OP(&w, 0, i++, K_LOAD, "x", 4, MO_RELAXED, 0); /* left to right */
  CHECK_OP(&w, 0, i++, K_LOAD, "y", 4, MO_ACQUIRE, 0);
  CHECK_OP(&w, 0, i++, K_RMW, "y", 4, RMW_XCHG, 12);
  CHECK_OP(&w, 0, i++, K_STORE, "x", 4, MO_RELAXED, (uint32_t)(2 - 12));
  CHECK_EQ_U64(w.port[0].nlog, i);
  CHECK_EQ_STR(w.outcome, "0:r0=12;");
  litmus_free(w.t);
}

static void t_widths(void) {
  world w;
  world_parse(&w, "X86 wide\n{ uint64_t x=0x1ffffffff; int8_t b=0; 0:EAX=-1; }\n P0 ;\n"
                  " MOV EBX,[x] ;\n MOV [b],EAX ;\n MOV [x],EAX ;\n"
                  "exists (0:EBX=-1 /\\ b=255 /\\ x=0xffffffffffffffff)\n");
  world_run(&w, (const int[]){0, -1});
  CHECK_OP(&w, 0, 0, K_LOAD, "x", 8, MO_RELAXED, 0);
  CHECK_OP(&w, 0, 1, K_STORE, "b", 1, MO_RELAXED, 0xff);
  CHECK_OP(&w, 0, 2, K_STORE, "x", 8, MO_RELAXED, 0xffffffffffffffffull);
  CHECK_EQ_STR(w.outcome, "0:EBX=-1; b=-1; x=-1;"); /* EBX keeps the low 32 bits, sign-extended */
  CHECK(litmus_cond_eval(w.t, w.vals));               /* 255 on a byte is -1, as is 2^64-1 */
  litmus_free(w.t);

  world_parse(&w, "C wide\n{ long x = -3; }\n"
                  "P0(long *x, short *s) {\n long r0; int r1; char r2;\n"
                  " r0 = READ_ONCE(*x); r1 = READ_ONCE(*x); r2 = 300; WRITE_ONCE(*s, 70000);\n}\n"
                  "exists (0:r0=-3 /\\ 0:r1=-3 /\\ 0:r2=44 /\\ s=4464)\n");
  world_run(&w, (const int[]){0, -1});
  CHECK_EQ_STR(w.outcome, "0:r0=-3; 0:r1=-3; 0:r2=44; s=4464;");
  CHECK_OP(&w, 0, 2, K_STORE, "s", 2, MO_RELAXED, 70000 & 0xffff);
  CHECK(litmus_cond_eval(w.t, w.vals));
  litmus_free(w.t);
}

/* What the parser compiled, instruction by instruction. */
static void t_compiled(void) {
  world w;
  world_parse(&w, "C comp\n{}\nP0(int *x, int *y) {\n int r0;\n r0 = READ_ONCE(*x);\n"
                  " if (r0) smp_store_release(y, r0); else atomic_add(2, y);\n}\nexists (0:r0=0)\n");
  static const char *const want[] = {
      "5:7 load r0 <- x RELAXED", "6:2 jz e0 4", "6:10 store y <- e1 RELEASE", "6:36 jmp 5",
      "6:41 rmw _ <- y ADD e2",
  };
  CHECK_EQ_U64(litmus_nregs(w.t, 0), 1);
  char buf[128];
  for (unsigned pc = 0; pc < sizeof want / sizeof want[0]; pc++)
    CHECK_EQ_STR(litmus__insn_str(w.t, 0, pc, buf, sizeof buf), want[pc]);
  litmus_free(w.t);
}

static void t_reentrant(void) {
  world w;
  world_parse(&w, "X86 again\n{ 0:EAX=7; }\n P0 ;\n MOV EBX,EAX ;\n MOV EAX,$1 ;\n"
                  "exists (0:EAX=1 /\\ 0:EBX=7)\n");
  for (int k = 0; k < 3; k++) {
    world_run(&w, (const int[]){0, -1});
    CHECK_EQ_STR(w.outcome, "0:EAX=1; 0:EBX=7;");
    CHECK(litmus_cond_eval(w.t, w.vals));
  }
  litmus_free(w.t);
}

static void t_cond_eval(void) {
  static const struct {
    const char *cond;
    int64_t v[2]; /* x, y */
    bool want;
  } cases[] = {
      {"exists (x=1 /\\ y=2)", {1, 2}, true},
      {"exists (x=1 /\\ y=2)", {1, 3}, false},
      {"~exists (x=1 \\/ y=2)", {0, 2}, true},
      {"~exists (x=1 \\/ y=2)", {0, 0}, false},
      {"forall (~x=1)", {1, 0}, false},
      {"forall (~(x=1 /\\ y=1))", {1, 0}, true},
      {"exists (x=1 => y=1)", {0, 5}, true},
      {"exists (x=1 => y=1)", {1, 5}, false},
      {"exists (x != 3 /\\ true)", {4, 0}, true},
      {"exists (false \\/ x=-1)", {-1, 0}, true},
      {"exists (x=-1)", {4294967295, 0}, false}, /* vals are already sign-extended */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[256];
    snprintf(text, sizeof text, "X86 c\n{}\n P0 ;\n MOV [x],$1 ;\n MOV [y],$1 ;\n%s\nlocations [x; y]\n", cases[i].cond);
    world w;
    world_parse(&w, text);
    CHECK_EQ_U64(litmus_nobs(w.t), 2);
    if (litmus_cond_eval(w.t, cases[i].v) != cases[i].want) fprintf(stderr, "  case %zu: %s\n", i, cases[i].cond);
    CHECK(litmus_cond_eval(w.t, cases[i].v) == cases[i].want);
    litmus_free(w.t);
  }
}

static void t_outcome_format(void) {
  world w;
  world_parse(&w, x86_sb);
  int64_t vals[2] = {INT64_MIN, 123};
  char buf[64];
  const char *full = "0:EAX=-9223372036854775808; 1:EAX=123;";
  CHECK_EQ_U64(litmus_outcome_format(w.t, vals, buf, sizeof buf), strlen(full));
  CHECK_EQ_STR(buf, full);
  char small[10];
  memset(small, 'z', sizeof small);
  CHECK_EQ_U64(litmus_outcome_format(w.t, vals, small, sizeof small), strlen(full)); /* like snprintf */
  CHECK_EQ_STR(small, "0:EAX=-92");
  CHECK_EQ_U64(litmus_outcome_format(w.t, vals, NULL, 0), strlen(full));
  litmus_free(w.t);
}

/* Thread-atomic sequential runs are SC executions: a test that says
 * sc=Never must not satisfy its condition in any of them, and one that says
 * sc=Always must satisfy it in all of them. */
static unsigned perms(unsigned n, int out[][LITMUS_MAX_THREADS + 1]) {
  int a[LITMUS_MAX_THREADS];
  for (unsigned i = 0; i < n; i++) a[i] = (int)i;
  unsigned count = 0;
  for (;;) {
    memcpy(out[count], a, n * sizeof a[0]);
    out[count++][n] = -1;
    int i = (int)n - 2;
    while (i >= 0 && a[i] > a[i + 1]) i--;
    if (i < 0) return count;
    int j = (int)n - 1;
    while (a[j] < a[i]) j--;
    int s = a[i];
    a[i] = a[j];
    a[j] = s;
    for (int l = i + 1, r = (int)n - 1; l < r; l++, r--) s = a[l], a[l] = a[r], a[r] = s;
  }
}

static void check_sequential(const char *sub) {
  static int order[40320][LITMUS_MAX_THREADS + 1];
  litmus_files f;
  CHECK(litmus_files_list(sub, &f));
  for (size_t i = 0; i < f.n; i++) {
    const char *path = f.path[i];
    world w;
    memset(&w, 0, sizeof w);
    sim_err err = {0};
    int rc = litmus_parse_file(path, &w.t, &err);
    if (rc) fprintf(stderr, "  %s\n", err.msg);
    CHECK_EQ_I64(rc, 0);
    CHECK(litmus__check(w.t));
    litmus_expect sc = litmus_expected(w.t, "sc");
    unsigned n = perms(litmus_nthreads(w.t), order);
    for (unsigned p = 0; p < n; p++) {
      world_run(&w, order[p]);
      bool holds = litmus_cond_eval(w.t, w.vals);
      if ((sc == LITMUS_EXPECT_NEVER && holds) || (sc == LITMUS_EXPECT_ALWAYS && !holds))
        fprintf(stderr, "  %s: sc=%s but a sequential run gives %s\n", path, litmus_expect_name(sc), w.outcome);
      CHECK(!(sc == LITMUS_EXPECT_NEVER && holds));
      CHECK(!(sc == LITMUS_EXPECT_ALWAYS && !holds));
    }
    litmus_free(w.t);
  }
  CHECK(f.n > 0);
  litmus_files_free(&f);
}

static void t_shipped_sequential_x86(void) { check_sequential("x86"); }
static void t_shipped_sequential_c(void) { check_sequential("c"); }

static const check_case cases[] = {
    {"x86_sb_sequential", t_x86_sb_sequential},
    {"x86_mapping", t_x86_mapping},
    {"x86_unlocked_rmw", t_x86_unlocked_rmw},
    {"x86_registers", t_x86_registers},
    {"c_mapping", t_c_mapping},
    {"c_returns", t_c_returns},
    {"c_locks_atomics", t_c_locks_atomics},
    {"c_rcu", t_c_rcu},
    {"c_pointers", t_c_pointers},
    {"c_branches", t_c_branches},
    {"c_expressions", t_c_expressions},
    {"c_hoisting", t_c_hoisting},
    {"widths", t_widths},
    {"compiled", t_compiled},
    {"reentrant", t_reentrant},
    {"cond_eval", t_cond_eval},
    {"outcome_format", t_outcome_format},
    {"shipped_sequential_x86", t_shipped_sequential_x86},
    {"shipped_sequential_c", t_shipped_sequential_c},
    {0},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
