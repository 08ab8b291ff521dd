/* workloads/mem_sim.c -- see mem_sim.h. */
#include "mem_sim.h"

#include "../cpu/trace.h"

static inline mem_sim_port *P(mem_port *p) { return (mem_sim_port *)p; }

static inline uint64_t sim_addr(mem_sim_port *p, const void *addr) {
  return (uint64_t)((const uint8_t *)addr - p->mem_base);
}

/* The next piece of an access at addr with `left` bytes to go: at most the
 * atomic width, and never across a line. */
static inline unsigned piece(const mem_sim_port *p, uint64_t addr, unsigned left) {
  unsigned w = left > p->atomic_width ? p->atomic_width : left;
  unsigned to_end = p->line_bytes - (unsigned)(addr & (p->line_bytes - 1));
  return w > to_end ? to_end : w;
}

static uint64_t load(mem_port *pp, const void *addr, unsigned size, mem_order o) {
  mem_sim_port *p = P(pp);
  uop u = {.kind = UOP_LOAD, .addr = sim_addr(p, addr), .order = o, .tag = pp->tag};
  if ((u.size = piece(p, u.addr, size)) == size) return cpu_core_exec(p->core, &u, NULL);
  uint64_t v = 0;
  unsigned part = 1;
  for (unsigned off = 0; off < size; off += u.size, u.addr += u.size, part++) {
    u.size = piece(p, u.addr, size - off);
    u.tag = pp->tag | part << TRACE_TAG_PART_SHIFT; /* the pieces of one call (trace.h) */
    v |= cpu_core_exec(p->core, &u, NULL) << (8 * off);
  }
  return v;
}

static void store(mem_port *pp, void *addr, uint64_t v, unsigned size, mem_order o) {
  mem_sim_port *p = P(pp);
  uop u = {.kind = UOP_STORE, .addr = sim_addr(p, addr), .order = o, .tag = pp->tag};
  unsigned part = 1;
  for (unsigned off = 0; off < size; off += u.size, u.addr += u.size, part++) {
    u.size = piece(p, u.addr, size - off);
    if (u.size != size) u.tag = pp->tag | part << TRACE_TAG_PART_SHIFT; /* split (trace.h) */
    u.value = mem_trunc(v >> (8 * off), u.size);
    cpu_core_exec(p->core, &u, NULL);
  }
}

/* Atomics are never split: an RMW wider than the machine's atomic width
 * would not be an atomic on that machine, and workloads must not ask. */
static uint64_t rmw(mem_port *pp, void *addr, mem_rmw_op op, uint64_t v, unsigned size,
                    mem_order o) {
  mem_sim_port *p = P(pp);
  uop u = {.kind = UOP_RMW, .size = size, .addr = sim_addr(p, addr), .value = v, .op = op,
           .order = o, .tag = pp->tag};
  return cpu_core_exec(p->core, &u, NULL);
}

static bool cas(mem_port *pp, void *addr, uint64_t *expected, uint64_t desired, unsigned size,
                mem_order o) {
  mem_sim_port *p = P(pp);
  uop u = {.kind = UOP_CAS, .size = size, .addr = sim_addr(p, addr), .value = desired,
           .expected = *expected, .order = o, .tag = pp->tag};
  uint64_t old;
  bool ok = cpu_core_exec(p->core, &u, &old) != 0;
  *expected = old;
  return ok;
}

static void fence(mem_port *pp, mem_fence_kind k) {
  uop u = {.kind = UOP_FENCE, .fence = k, .tag = pp->tag};
  cpu_core_exec(P(pp)->core, &u, NULL);
}

static void work(mem_port *pp, unsigned cycles) {
  uop u = {.kind = UOP_WORK, .value = cycles, .tag = pp->tag};
  cpu_core_exec(P(pp)->core, &u, NULL);
}

static uint64_t now(mem_port *pp) { return cpu_core_now(P(pp)->core); }

/* arm (cpu_core_ooo): the load goes into the core's LQ and the thread
 * runs on.  A split load cannot bind as one, so it blocks as before. */
static void load_async(mem_port *pp, const void *addr, unsigned size, mem_order o, uint64_t *out,
                       bool *bound) {
  mem_sim_port *p = P(pp);
  uop u = {.kind = UOP_LOAD, .addr = sim_addr(p, addr), .order = o, .tag = pp->tag, .out = out,
           .bound = bound};
  *bound = false;
  if ((u.size = piece(p, u.addr, size)) != size || o == MO_ACQUIRE || o == MO_ACQUIRE_PC ||
      o == MO_SEQ_CST) {
    *out = load(pp, addr, size, o); /* an acquire: later accesses wait for it */
    *bound = true;
    return;
  }
  cpu_core_exec(p->core, &u, NULL);
}

static void load_wait(mem_port *pp, bool *bound) {
  if (*bound) return; /* no uop: the value is there */
  uop u = {.kind = UOP_LQ_WAIT, .tag = pp->tag, .bound = bound};
  cpu_core_exec(P(pp)->core, &u, NULL);
}

/* Exclusives (cache/memsys.h MS3): never split, as atomics are not. */
static uint64_t load_excl(mem_port *pp, const void *addr, unsigned size, mem_order o) {
  mem_sim_port *p = P(pp);
  uop u = {.kind = UOP_LOAD, .size = size, .addr = sim_addr(p, addr), .order = o, .tag = pp->tag,
           .excl = true};
  return cpu_core_exec(p->core, &u, NULL);
}

static bool store_cond(mem_port *pp, void *addr, uint64_t v, unsigned size, mem_order o) {
  mem_sim_port *p = P(pp);
  uop u = {.kind = UOP_CAS, .size = size, .addr = sim_addr(p, addr), .value = v, .order = o,
           .tag = pp->tag, .excl = true};
  uint64_t old;
  return cpu_core_exec(p->core, &u, &old) != 0;
}

static const mem_ops sim_ops = {load, store, rmw, cas, fence, work, now, NULL, NULL, load_excl, store_cond};
static const mem_ops sim_ooo_ops = {load, store, rmw, cas, fence, work, now, load_async, load_wait,
                                    load_excl, store_cond};

void mem_sim_port_init(mem_sim_port *p, unsigned tid, cpu_core *core,
                       const uint8_t *mem_base, unsigned atomic_width, unsigned line_bytes) {
  p->base.ops = cpu_core_ooo(core) ? &sim_ooo_ops : &sim_ops;
  p->base.tid = tid;
  p->core = core;
  p->mem_base = mem_base;
  p->atomic_width = atomic_width;
  p->line_bytes = line_bytes;
}
