/* workloads/mem.h -- the mem API: every shared access of a workload.
 *
 * Workload code (litmus interpreter, the map) touches shared memory only
 * through these calls, so one source runs on two backends:
 *   - simulated (mem_sim.c): each call becomes a micro-op handed to the
 *     calling thread's core; the coroutine is suspended until the core has the
 *     value.  Shared memory lives in the simulator's arena.
 *   - native (mem_native.c, later): relaxed atomics and real fences.
 *
 * A port is one thread's handle.  Dispatch is through a small table of
 * function pointers: one indirect call per access costs about a nanosecond,
 * far below a coroutine switch, and keeps workloads compiled once.
 *
 * Contract:
 *   M1  size is 1, 2, 4 or 8 and addr is aligned to size unless the backend
 *       says otherwise; values are zero-extended little-endian integers.
 *   M2  Calls on one port are program order for that thread.
 */
#ifndef MMSIM_WORKLOADS_MEM_H
#define MMSIM_WORKLOADS_MEM_H

#include <stdbool.h>
#include <stdint.h>

#define MEM_ORDERS(X)                                   \
  X(RELAXED, "relaxed")                                 \
  X(CONSUME, "consume (address dependency)")            \
  X(ACQUIRE, "acquire")                                 \
  X(RELEASE, "release")                                 \
  X(SEQ_CST, "sequentially consistent")                 \
  X(ACQUIRE_PC, "acquire, not after an older release (LDAPR)")

typedef enum {
#define X(n, d) MO_##n,
  MEM_ORDERS(X)
#undef X
} mem_order;

#define MEM_FENCES(X)                                   \
  X(FULL,  "full: drain stores, apply invalidations")   \
  X(STORE, "store-store (wmb)")                         \
  X(LOAD,  "load-load (rmb)")

typedef enum {
#define X(n, d) MF_##n,
  MEM_FENCES(X)
#undef X
} mem_fence_kind;

#define MEM_RMW_OPS(X) X(XCHG) X(ADD) X(SUB) X(AND) X(OR) X(XOR)

typedef enum {
#define X(n) RMW_##n,
  MEM_RMW_OPS(X)
#undef X
} mem_rmw_op;

typedef struct mem_port mem_port;

typedef struct mem_ops {
  uint64_t (*load)(mem_port *p, const void *addr, unsigned size, mem_order o);
  void (*store)(mem_port *p, void *addr, uint64_t v, unsigned size, mem_order o);
  uint64_t (*rmw)(mem_port *p, void *addr, mem_rmw_op op, uint64_t v, unsigned size,
                  mem_order o);
  bool (*cas)(mem_port *p, void *addr, uint64_t *expected, uint64_t desired, unsigned size,
              mem_order o);
  void (*fence)(mem_port *p, mem_fence_kind k);
  void (*work)(mem_port *p, unsigned cycles);
  /* The thread's clock, for latencies: simulated cycles, or host
   * nanoseconds natively (0 where there is no time, as in the SC search).
   * Reading it is no memory access. */
  uint64_t (*now)(mem_port *p);
  /* Optional, NULL where loads block (every backend but a simulated arm
   * core, cpu/core.h): a load whose value the caller collects later.  The
   * raw value goes to *out and *bound becomes true when it binds;
   * load_wait sleeps until it has.  Both must outlive the load. */
  void (*load_async)(mem_port *p, const void *addr, unsigned size, mem_order o, uint64_t *out,
                     bool *bound);
  void (*load_wait)(mem_port *p, bool *bound);
  /* Optional, NULL where there is no exclusive monitor (the host, the SC
   * search): LDXR, and STXR (true if it stored).  Callers without them
   * emulate the pair by a CAS against the value LDXR read. */
  uint64_t (*load_excl)(mem_port *p, const void *addr, unsigned size, mem_order o);
  bool (*store_cond)(mem_port *p, void *addr, uint64_t v, unsigned size, mem_order o);
} mem_ops;

/* The backend embeds this as the first member of its own port struct. */
struct mem_port {
  const mem_ops *ops;
  unsigned tid; /* thread index within the workload */
  uint32_t tag; /* the issuer's name for its current instruction, carried
                   into a simulated core's trace (cpu/trace.h); 0 if unset */
  uint64_t lock_wait; /* mem_now time spent acquiring the map's locks (hmap.c) */
};

static inline uint64_t mem_load(mem_port *p, const void *addr, unsigned size, mem_order o) {
  return p->ops->load(p, addr, size, o);
}
static inline void mem_store(mem_port *p, void *addr, uint64_t v, unsigned size, mem_order o) {
  p->ops->store(p, addr, v, size, o);
}
/* RMW and CAS are atomic and drain the store buffer on every model; their
 * order says which fences come with them where loads can be stale (weak):
 * seq_cst (mem_rmw, mem_cas: Linux's xchg, x86 LOCK) both sides, acquire
 * after, release and relaxed none. */
static inline uint64_t mem_rmw(mem_port *p, void *addr, mem_rmw_op op, uint64_t v, unsigned size) {
  return p->ops->rmw(p, addr, op, v, size, MO_SEQ_CST);
}
static inline bool mem_cas(mem_port *p, void *addr, uint64_t *expected, uint64_t desired, unsigned size) {
  return p->ops->cas(p, addr, expected, desired, size, MO_SEQ_CST);
}
static inline uint64_t mem_rmw_ord(mem_port *p, void *addr, mem_rmw_op op, uint64_t v,
                                   unsigned size, mem_order o) {
  return p->ops->rmw(p, addr, op, v, size, o);
}
static inline bool mem_cas_ord(mem_port *p, void *addr, uint64_t *expected, uint64_t desired,
                               unsigned size, mem_order o) {
  return p->ops->cas(p, addr, expected, desired, size, o);
}
static inline void mem_fence(mem_port *p, mem_fence_kind k) { p->ops->fence(p, k); }
static inline void mem_work(mem_port *p, unsigned cycles) { p->ops->work(p, cycles); }
static inline uint64_t mem_now(mem_port *p) { return p->ops->now(p); }

/* The value an RMW stores, given the old value (shared by every backend). */
static inline uint64_t mem_rmw_apply(mem_rmw_op op, uint64_t old, uint64_t v) {
  switch (op) {
  case RMW_XCHG: return v;
  case RMW_ADD: return old + v;
  case RMW_SUB: return old - v;
  case RMW_AND: return old & v;
  case RMW_OR: return old | v;
  case RMW_XOR: return old ^ v;
  }
  return v;
}

/* Truncate v to size bytes (M1). */
static inline uint64_t mem_trunc(uint64_t v, unsigned size) {
  return size >= 8 ? v : v & ((UINT64_C(1) << (8 * size)) - 1);
}

#endif
