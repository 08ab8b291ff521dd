/* workloads/mem_native.c -- see mem_native.h. */
#include "mem_native.h"

#include <time.h>

#define BARRIER() __asm__ volatile("" ::: "memory")

static inline unsigned piece(mem_port *p, unsigned size) {
  unsigned w = ((mem_native_port *)p)->atomic_width;
  return size > w ? w : size;
}

/* The memory order must be a constant at each builtin: GCC treats a
 * run-time order as seq_cst (a store would become XCHG, a full fence). */
#define LOAD_AS(T, a, o)                                                   \
  ((o) == MO_ACQUIRE || (o) == MO_ACQUIRE_PC ? __atomic_load_n((const T *)(a), __ATOMIC_ACQUIRE) \
   : (o) == MO_SEQ_CST ? __atomic_load_n((const T *)(a), __ATOMIC_SEQ_CST) \
                       : __atomic_load_n((const T *)(a), __ATOMIC_RELAXED))
#define STORE_AS(T, a, v, o)                                               \
  do {                                                                     \
    if ((o) == MO_RELEASE) __atomic_store_n((T *)(a), (T)(v), __ATOMIC_RELEASE); \
    else if ((o) == MO_SEQ_CST) __atomic_store_n((T *)(a), (T)(v), __ATOMIC_SEQ_CST); \
    else __atomic_store_n((T *)(a), (T)(v), __ATOMIC_RELAXED);             \
  } while (0)

/* consume loads are relaxed: the address dependency orders them on every
 * host we run on (GCC would promote __ATOMIC_CONSUME to acquire anyway). */
static uint64_t load1(const void *a, unsigned size, mem_order o) {
  switch (size) {
  case 1: return LOAD_AS(uint8_t, a, o);
  case 2: return LOAD_AS(uint16_t, a, o);
  case 4: return LOAD_AS(uint32_t, a, o);
  default: return LOAD_AS(uint64_t, a, o);
  }
}

static void store1(void *a, uint64_t v, unsigned size, mem_order o) {
  switch (size) {
  case 1: STORE_AS(uint8_t, a, v, o); break;
  case 2: STORE_AS(uint16_t, a, v, o); break;
  case 4: STORE_AS(uint32_t, a, v, o); break;
  default: STORE_AS(uint64_t, a, v, o); break;
  }
}

static uint64_t load(mem_port *p, const void *addr, unsigned size, mem_order o) {
  unsigned w = piece(p, size);
  BARRIER();
  uint64_t v = 0;
  for (unsigned off = 0; off < size; off += w)
    v |= load1((const uint8_t *)addr + off, w, o) << (8 * off);
  BARRIER();
  return v;
}

static void store(mem_port *p, void *addr, uint64_t v, unsigned size, mem_order o) {
  unsigned w = piece(p, size);
  BARRIER();
  for (unsigned off = 0; off < size; off += w)
    store1((uint8_t *)addr + off, mem_trunc(v >> (8 * off), w), w, o);
  BARRIER();
}

#define RMW_CASE(T)                                                              \
  do {                                                                           \
    T *a = addr;                                                                 \
    switch (op) {                                                                \
    case RMW_XCHG: return __atomic_exchange_n(a, (T)v, __ATOMIC_SEQ_CST);        \
    case RMW_ADD: return __atomic_fetch_add(a, (T)v, __ATOMIC_SEQ_CST);          \
    case RMW_SUB: return __atomic_fetch_sub(a, (T)v, __ATOMIC_SEQ_CST);          \
    case RMW_AND: return __atomic_fetch_and(a, (T)v, __ATOMIC_SEQ_CST);          \
    case RMW_OR: return __atomic_fetch_or(a, (T)v, __ATOMIC_SEQ_CST);            \
    case RMW_XOR: return __atomic_fetch_xor(a, (T)v, __ATOMIC_SEQ_CST);          \
    }                                                                            \
    return 0;                                                                    \
  } while (0)

/* Atomics are never split (as in mem_sim.c). */
/* Every order is seq_cst here: on x86 every LOCK-prefixed RMW is a full
 * fence whatever C asks, so weaker orders would not be measured anyway. */
static uint64_t rmw(mem_port *p, void *addr, mem_rmw_op op, uint64_t v, unsigned size,
                    mem_order o) {
  (void)p, (void)o;
  switch (size) {
  case 1: RMW_CASE(uint8_t);
  case 2: RMW_CASE(uint16_t);
  case 4: RMW_CASE(uint32_t);
  default: RMW_CASE(uint64_t);
  }
}

static bool cas(mem_port *p, void *addr, uint64_t *expected, uint64_t desired, unsigned size,
                mem_order o) {
  (void)p, (void)o;
  bool ok;
  switch (size) {
  case 1: {
    uint8_t e = (uint8_t)*expected;
    ok = __atomic_compare_exchange_n((uint8_t *)addr, &e, (uint8_t)desired, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    *expected = e;
    return ok;
  }
  case 2: {
    uint16_t e = (uint16_t)*expected;
    ok = __atomic_compare_exchange_n((uint16_t *)addr, &e, (uint16_t)desired, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    *expected = e;
    return ok;
  }
  case 4: {
    uint32_t e = (uint32_t)*expected;
    ok = __atomic_compare_exchange_n((uint32_t *)addr, &e, (uint32_t)desired, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    *expected = e;
    return ok;
  }
  default:
    return __atomic_compare_exchange_n((uint64_t *)addr, expected, desired, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  }
}

static void fence(mem_port *p, mem_fence_kind k) {
  (void)p;
  __atomic_thread_fence(k == MF_FULL ? __ATOMIC_SEQ_CST
                        : k == MF_STORE ? __ATOMIC_RELEASE
                                        : __ATOMIC_ACQUIRE);
}

static void work(mem_port *p, unsigned cycles) {
  (void)p;
#if defined(__x86_64__) || defined(__i386__)
  for (unsigned i = 0; i < cycles; i++) __builtin_ia32_pause();
#else
  for (unsigned i = 0; i < cycles; i++) BARRIER();
#endif
}

static uint64_t now(mem_port *p) {
  (void)p;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const mem_ops native_ops = {load, store, rmw, cas, fence, work, now, NULL, NULL, NULL, NULL};

void mem_native_port_init(mem_native_port *p, unsigned tid, unsigned atomic_width) {
  p->base.ops = &native_ops;
  p->base.tid = tid;
  p->atomic_width = atomic_width ? atomic_width : 8;
}
