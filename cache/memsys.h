/* cache/memsys.h -- what lies below the cores: the memory-system interface.
 *
 * Two implementations: the ideal memory (cache/ideal.c: one shared store with
 * a latency and seeded jitter) and, from issue 3, the MESI hierarchy.  A core
 * hands a request over and is called back when the request has *performed*:
 * a load's value is bound, a store's value is visible, an RMW is done.
 *
 * Memory holds real bytes: `data` is main memory, the machine's whole
 * simulated address space (address = offset into data).  Workloads lay out
 * their shared state there before an iteration starts; afterwards only the
 * memory system reads or writes it.
 *
 * Between iterations (after quiesce, before the next access) main memory
 * holds every value and no cache holds a line: the workload may read and
 * write `data` directly then, and every iteration starts from the same
 * hardware state, which is what lets iteration K be replayed alone.
 *
 * A protocol bug found while running (an impossible transition, a broken
 * invariant) is recorded in `fault` and stops the engine (sim->stop); the
 * caller turns it into an error, with the seed, instead of an abort.
 *
 * Invariants:
 *   MS1  A request's done callback runs exactly once, at its perform cycle,
 *        which is at least r->delay cycles after access() was called.
 *   MS2  peek returns the value a load would bind if it performed now and no
 *        request were in flight (the coherent value): for outcomes, not timing.
 *   MS3  Exclusives (LDXR/STXR): each core has one monitor.  An excl LOAD
 *        sets it on its line; another core's write to that line clears it
 *        (MESI: the Inv, forwarded GetM or recall arriving; also an
 *        eviction); an excl CAS is a store-conditional: it writes r->value,
 *        and sets success, only if the monitor still holds its line, and
 *        clears the monitor either way (r->expected is ignored).
 */
#ifndef MMSIM_CACHE_MEMSYS_H
#define MMSIM_CACHE_MEMSYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../sim/engine.h"
#include "../sim/err.h"
#include "../workloads/mem.h"

typedef enum { REQ_LOAD, REQ_STORE, REQ_RMW, REQ_CAS } mem_req_kind;

typedef struct mem_req mem_req;
typedef void (*mem_req_done)(sim_engine *sim, mem_req *r);

struct mem_req {
  mem_req_kind kind;
  unsigned core, size;
  uint64_t addr;
  uint64_t value;    /* in: store value, rmw operand, cas desired; out: old value */
  uint64_t expected; /* cas */
  mem_rmw_op op;
  bool success;      /* out: cas */
  uint64_t perf_at;  /* out: the cycle the access counts as performed at: now,
                        or for a load that hit a line whose invalidation waits
                        in the invalidate queue, when that invalidation
                        arrived (DESIGN.md, reorder events) */
  uint64_t delay;    /* cycles before the request leaves the core (0: now) */
  bool excl;         /* exclusives (MS3): a LOAD sets the core's monitor on
                        its line; a CAS is a store-conditional */
  mem_req_done done;
  void *owner;
  /* Owned by the memory system while the request is in it. */
  uint64_t issued; /* cycle it reached the memory system, for latencies */
  mem_req *next;   /* its wait lists */
};

typedef struct memsys memsys;

/* A sink for counters: key, value. */
typedef void (*memsys_metric_fn)(void *ctx, const char *key, double value);

typedef struct memsys_ops {
  void (*access)(memsys *m, sim_engine *sim, mem_req *r); /* MS1 */
  uint64_t (*peek)(memsys *m, uint64_t addr, unsigned size); /* MS2 */
  void (*reset)(memsys *m, uint64_t iter_seed); /* before an iteration */
  void (*quiesce)(memsys *m); /* after one: write every line back, empty caches */
  /* After reset: let the lines of [addr, addr + bytes) start in caches, as a
   * previous iteration would have left them (cache.initial=random). */
  void (*warm)(memsys *m, uint64_t addr, uint64_t bytes, uint64_t iter_seed);
  /* Does core's cache hold addr's line in E or M (a store would hit)?  The
   * pso store buffer lets such a store drain past older misses. */
  bool (*holds)(memsys *m, unsigned core, uint64_t addr);
  /* Apply every invalidation in core's invalidate queue now (weak: rmb, a
   * full fence, acquire); nothing where there is no queue. */
  void (*iq_apply)(memsys *m, sim_engine *sim, unsigned core);
  void (*metrics)(memsys *m, memsys_metric_fn fn, void *ctx);
  /* Add the counters metrics reports of src, a memory system of the same
   * kind and shape, into m's: a parallel run joins its workers (sim/par.h). */
  void (*absorb)(memsys *m, const memsys *src);
  void (*free)(memsys *m);
  /* Optional (NULL: the memory system sends no messages).  Call fn for
   * every protocol message sent from now on: src and dst nodes (cores
   * 0 .. n-1, directory banks from n), its type's name, the line, and the
   * cycle it will arrive; fn NULL stops.  For traces (sim/machine.c). */
  void (*observe)(memsys *m,
                  void (*fn)(void *ctx, unsigned src, unsigned dst, const char *type,
                             uint64_t line, uint64_t arrival),
                  void *ctx);
  /* Optional, alike: call fn for every protocol table cell fired from now
   * on (STALLs included): the controller's node, its state and event, the
   * state it moves to (a STALL stays), and the line.  The cells' names
   * are static.  For traces: what each message did where it arrived. */
  void (*observe_cells)(memsys *m,
                        void (*fn)(void *ctx, unsigned node, const char *state,
                                   const char *event, const char *next, uint64_t line),
                        void *ctx);
} memsys_ops;

struct memsys {
  const memsys_ops *ops;
  uint8_t *data; /* main memory */
  size_t size;
  sim_err fault; /* code 0, or the first protocol fault of the run */
};

/* Record a protocol fault (the first one wins) and stop the engine. */
void memsys_fault(memsys *m, sim_engine *sim, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Little-endian bytes <-> value, for every implementation.  Simulated
 * memory is little-endian, like the hosts we run on, so a memcpy of the
 * low bytes is the conversion. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mmsim assumes a little-endian host"
#endif
/* The fixed-size cases compile to single moves; memcpy with a variable
 * size was a libc call on every access (3% of mmsim bench's instructions). */
static inline uint64_t memsys_get(const uint8_t *p, unsigned size) {
  uint8_t b1; uint16_t b2; uint32_t b4; uint64_t b8 = 0;
  switch (size) {
  case 1: memcpy(&b1, p, 1); return b1;
  case 2: memcpy(&b2, p, 2); return b2;
  case 4: memcpy(&b4, p, 4); return b4;
  case 8: memcpy(&b8, p, 8); return b8;
  default: memcpy(&b8, p, size < 8 ? size : 8); return b8;
  }
}
static inline void memsys_put(uint8_t *p, unsigned size, uint64_t v) {
  uint8_t b1 = (uint8_t)v; uint16_t b2 = (uint16_t)v; uint32_t b4 = (uint32_t)v;
  switch (size) {
  case 1: memcpy(p, &b1, 1); break;
  case 2: memcpy(p, &b2, 2); break;
  case 4: memcpy(p, &b4, 4); break;
  case 8: memcpy(p, &v, 8); break;
  default: memcpy(p, &v, size < 8 ? size : 8); break;
  }
}

typedef struct memsys_params {
  unsigned cores;
  uint64_t latency, jitter;
} memsys_params;

/* The ideal memory: every access performs latency + U[0, jitter] cycles after
 * it is issued, atomically, on `data`.  jitter draws from one stream per
 * core, derived from the iteration seed. */
memsys *memsys_ideal_new(const memsys_params *p, uint8_t *data, size_t size);

#endif
