/* tests/cpu/test_core.c -- cpu/core.c over the ideal memory: what each model
 * lets through, forwarding, fences, atomics, a full store buffer. */
#include "../check.h"
#include "cache/memsys.h"
#include "cpu/core.h"
#include "workloads/mem_sim.h"

typedef struct mini {
  sim_engine sim;
  memsys *mem;
  cpu_core *core[2];
  mem_sim_port port[2];
  uint8_t data[256] __attribute__((aligned(64)));
  int64_t r[2];
} mini;

static void mini_init(mini *m, cpu_model model, unsigned sb_entries, uint64_t jitter) {
  memset(m->data, 0, sizeof m->data);
  sim_engine_init(&m->sim);
  memsys_params mp = {2, 20, jitter};
  m->mem = memsys_ideal_new(&mp, m->data, sizeof m->data);
  cpu_params cp = {.model = model, .sb_entries = sb_entries, .sb_in_flight = 4, .line_bytes = 64,
                   .drain_delay = 2, .issue_cycles = 1, .forward_cycles = 1,
                   .order_addr_deps = true};
  for (unsigned i = 0; i < 2; i++) {
    m->core[i] = cpu_core_new(i, &cp, &m->sim, m->mem);
    mem_sim_port_init(&m->port[i], i, m->core[i], m->data, 8, 64);
  }
}

static void mini_free(mini *m) {
  for (unsigned i = 0; i < 2; i++) cpu_core_free(m->core[i]);
  m->mem->ops->free(m->mem);
  sim_engine_free(&m->sim);
}

static void mini_run(mini *m, cpu_entry fn, unsigned nthreads, uint64_t seed) {
  sim_engine_reset(&m->sim);
  m->mem->ops->reset(m->mem, seed);
  for (unsigned i = 0; i < nthreads; i++) cpu_core_start(m->core[i], fn, m, i, 0);
  CHECK_EQ_U64(sim_run(&m->sim, 1000000), 0);
  for (unsigned i = 0; i < nthreads; i++) CHECK(cpu_core_quiet(m->core[i]));
}

#define X_ (m->data + 0)
#define Y_ (m->data + 64)

/* SB: each thread stores its flag, then loads the other's. */
static void sb_thread(void *arg, unsigned tid) {
  mini *m = arg;
  mem_port *p = &m->port[tid].base;
  mem_store(p, tid ? Y_ : X_, 1, 4, MO_RELAXED);
  m->r[tid] = (int64_t)mem_load(p, tid ? X_ : Y_, 4, MO_RELAXED);
}

static void sb_fenced_thread(void *arg, unsigned tid) {
  mini *m = arg;
  mem_port *p = &m->port[tid].base;
  mem_store(p, tid ? Y_ : X_, 1, 4, MO_RELAXED);
  mem_fence(p, MF_FULL);
  m->r[tid] = (int64_t)mem_load(p, tid ? X_ : Y_, 4, MO_RELAXED);
}

/* With no jitter and both threads starting together, tso's store buffers
 * hide both stores from both loads: the relaxed outcome, every time. */
static void t_tso_store_load(void) {
  mini m;
  mini_init(&m, CPU_TSO, 8, 0);
  mini_run(&m, sb_thread, 2, 1);
  CHECK_EQ_I64(m.r[0], 0);
  CHECK_EQ_I64(m.r[1], 0);
  CHECK_EQ_U64(cpu_core_counters(m.core[0])->reorder[CPU_REORDER_store_load], 1);
  CHECK_EQ_U64(m.mem->ops->peek(m.mem, 0, 4), 1); /* drained by the end */
  CHECK_EQ_U64(m.mem->ops->peek(m.mem, 64, 4), 1);
  mini_free(&m);
}

/* sc and a full fence both forbid it, whatever the jitter. */
static void t_sc_and_fence(void) {
  for (int v = 0; v < 2; v++) {
    mini m;
    mini_init(&m, v ? CPU_TSO : CPU_SC, 8, 16);
    for (uint64_t seed = 0; seed < 200; seed++) {
      mini_run(&m, v ? sb_fenced_thread : sb_thread, 2, seed);
      CHECK(m.r[0] == 1 || m.r[1] == 1);
      m.data[0] = m.data[64] = 0;
    }
    CHECK_EQ_U64(cpu_core_counters(m.core[0])->reorder[CPU_REORDER_store_load], 0);
    mini_free(&m);
  }
}

/* A load after a store to the same address reads it from the buffer. */
static void fwd_thread(void *arg, unsigned tid) {
  mini *m = arg;
  mem_port *p = &m->port[tid].base;
  mem_store(p, X_, 0x1122334455667788ULL, 8, MO_RELAXED);
  m->r[0] = (int64_t)mem_load(p, X_ + 4, 4, MO_RELAXED);
  m->r[1] = (int64_t)mem_load(p, X_, 8, MO_RELAXED);
}

static void t_forwarding(void) {
  mini m;
  mini_init(&m, CPU_TSO, 8, 0);
  mini_run(&m, fwd_thread, 1, 1);
  CHECK_EQ_U64((uint64_t)m.r[0], 0x11223344);
  CHECK_EQ_U64((uint64_t)m.r[1], 0x1122334455667788ULL);
  CHECK_EQ_U64(cpu_core_counters(m.core[0])->sb_forwards, 2);
  mini_free(&m);
}

/* Increments: RMWs never lose one; a load-then-store increment does. */
static void inc_atomic(void *arg, unsigned tid) {
  mini *m = arg;
  for (int i = 0; i < 50; i++) mem_rmw(&m->port[tid].base, X_, RMW_ADD, 1, 8);
}
static void inc_plain(void *arg, unsigned tid) {
  mini *m = arg;
  mem_port *p = &m->port[tid].base;
  for (int i = 0; i < 50; i++) mem_store(p, X_, mem_load(p, X_, 8, MO_RELAXED) + 1, 8, MO_RELAXED);
}

static void t_increments(void) {
  mini m;
  mini_init(&m, CPU_TSO, 8, 8);
  mini_run(&m, inc_atomic, 2, 3);
  CHECK_EQ_U64(m.mem->ops->peek(m.mem, 0, 8), 100);
  memset(m.data, 0, 8);
  mini_run(&m, inc_plain, 2, 3);
  CHECK(m.mem->ops->peek(m.mem, 0, 8) < 100); /* lost updates emerge */
  mini_free(&m);
}

/* A one-entry buffer makes stores wait for it, and nothing is lost. */
static void many_stores(void *arg, unsigned tid) {
  mini *m = arg;
  for (unsigned i = 0; i < 4; i++) mem_store(&m->port[tid].base, X_ + 8 * i, i + 1, 8, MO_RELAXED);
}

static void t_sb_full(void) {
  mini m;
  mini_init(&m, CPU_TSO, 1, 0);
  mini_run(&m, many_stores, 1, 1);
  CHECK_EQ_U64(cpu_core_counters(m.core[0])->sb_full_stalls, 3);
  for (unsigned i = 0; i < 4; i++) CHECK_EQ_U64(m.mem->ops->peek(m.mem, 8 * i, 8), i + 1);
  mini_free(&m);
}

/* CAS succeeds once, returns the old value when it fails. */
static void cas_thread(void *arg, unsigned tid) {
  mini *m = arg;
  mem_port *p = &m->port[tid].base;
  uint64_t e = 0;
  m->r[0] = mem_cas(p, X_, &e, 7, 8);
  e = 0;
  m->r[1] = mem_cas(p, X_, &e, 9, 8) ? -1 : (int64_t)e;
}

static void t_cas(void) {
  mini m;
  mini_init(&m, CPU_TSO, 4, 0);
  mini_run(&m, cas_thread, 1, 1);
  CHECK_EQ_I64(m.r[0], 1);
  CHECK_EQ_I64(m.r[1], 7);
  CHECK_EQ_U64(m.mem->ops->peek(m.mem, 0, 8), 7);
  mini_free(&m);
}

static const check_case cases[] = {{"tso_store_load", t_tso_store_load},
                                   {"sc_and_fence", t_sc_and_fence},
                                   {"forwarding", t_forwarding},
                                   {"increments", t_increments},
                                   {"sb_full", t_sb_full},
                                   {"cas", t_cas},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
