/* cache/mesi_int.h -- the MESI hierarchy's insides, shared by l1.c, dir.c,
 * check.c and mesi.c (and the directed protocol tests).  Nothing else
 * includes it: the rest of mmsim sees only memsys.h and mesi.h.
 */
#ifndef MMSIM_CACHE_MESI_INT_H
#define MMSIM_CACHE_MESI_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu/iq.h"
#include "array.h"
#include "memsys.h"
#include "mesi.h"
#include "net.h"
#include "proto.h"

/* Something stalled on a line: a core's request or a message. */
struct cache_wait {
  cache_wait *next;
  mem_req *req;
  net_msg *msg;
};

/* Counters of one L1 controller, summed into a run's metrics. */
#define L1_COUNTERS(X)                                              \
  X(load_hits, "l1.load_hits")   X(load_misses, "l1.load_misses")   \
  X(store_hits, "l1.store_hits") X(store_misses, "l1.store_misses") \
  X(rmw_hits, "l1.rmw_hits")     X(rmw_misses, "l1.rmw_misses")     \
  X(l2_hits, "l2.hits")          X(l2_misses, "l2.misses")          \
  X(evictions, "l1.evictions")   X(writebacks, "l1.writebacks")     \
  X(invs_received, "l1.invs_received")                              \
  X(stalls, "l1.stalls")                                            \
  X(iq_queued, "iq.queued") X(iq_stale_hits, "iq.stale_hits")       \
  X(loads, "mem.loads")          X(load_cycles, "mem.load_cycles")  \
  X(stores, "mem.stores")        X(store_cycles, "mem.store_cycles") \
  X(rmws, "mem.rmws")            X(rmw_cycles, "mem.rmw_cycles")

typedef struct l1_counters {
#define X(n, key) uint64_t n;
  L1_COUNTERS(X)
#undef X
} l1_counters;

typedef struct l1_ctl {
  unsigned id;
  mesi *m;
  cache_array arr;    /* holds the coherence state: the L2 if any, else the L1 */
  cache_array l1tags; /* with an L2: which of its lines the L1 holds too */
  bool has_l2;
  iq iq;              /* weak: Invs acked early (cap 0: no queue) */
  uint64_t mon;       /* MS3: the line of the exclusive monitor, if mon_valid */
  bool mon_valid;
  uint64_t fired[L1_NSTATES][L1_NEVENTS];
  l1_counters n;
} l1_ctl;

#define DIR_COUNTERS(X)                                             \
  X(llc_hits, "llc.hits")     X(llc_misses, "llc.misses")           \
  X(llc_evictions, "llc.evictions")                                 \
  X(llc_writebacks, "llc.writebacks") X(mem_reads, "mem.reads")     \
  X(invs_sent, "dir.invs_sent") X(recalls, "dir.recalls")           \
  X(stalls, "dir.stalls")

typedef struct dir_counters {
#define X(n, key) uint64_t n;
  DIR_COUNTERS(X)
#undef X
} dir_counters;

typedef struct dir_ctl {
  mesi *m;
  unsigned node; /* its network node: the number of cores */
  cache_array llc;
  uint64_t fired[DIR_NSTATES][DIR_NEVENTS];
  dir_counters n;
} dir_ctl;

typedef struct mesi_check mesi_check; /* check.c */

struct mesi {
  memsys base;
  mesi_params p;
  sim_engine *sim;
  l1_ctl *l1;
  dir_ctl *dir;          /* llc_banks of them, lines interleaved (mesi_dir) */
  net net;
  cache_wait *wait_free; /* pool */
  /* Requests performed during the current event, completed at its end.
   * Calling back mid-dispatch would let the core issue its next access
   * before the dispatcher's own later sends and replays are scheduled, an
   * order that run.fast_forward=false (resume as an event) does not give. */
  mem_req *done, **done_tail;
  mesi_check *check;     /* NULL unless cache.check */
  uint64_t warm_name;    /* sim_name_hash("cache.initial") */
  /* memsys_ops.observe: the net's tap, in the memsys interface's terms */
  void (*observe)(void *ctx, unsigned src, unsigned dst, const char *type, uint64_t line,
                  uint64_t arrival);
  void *observe_ctx;
  /* memsys_ops.observe_cells: every table cell fired (NULL: not asked) */
  void (*cell)(void *ctx, unsigned node, const char *state, const char *event, const char *next,
               uint64_t line);
  void *cell_ctx;
};

/* A table cell fired, to the trace that asked (memsys.h observe_cells);
 * compiled out with -DMMSIM_TRACE=OFF, as the cores' hooks are (cpu/trace.h),
 * which is how `mmsim bench` measures what the hooks cost. */
#if !defined(MMSIM_TRACE) || MMSIM_TRACE
#define MESI_CELL(m, ...)                                      \
  do {                                                        \
    if (__builtin_expect((m)->cell != NULL, 0))               \
      (m)->cell((m)->cell_ctx, __VA_ARGS__);                  \
  } while (0)
#else
#define MESI_CELL(m, ...) ((void)0)
#endif

/* cache__ : shared inside cache/ only. */
cache_wait *cache__wait_new(mesi *m, mem_req *r, net_msg *msg);
void cache__wait_free(mesi *m, cache_wait *w);
static inline void cache__queue(cache_line *l, cache_wait *w) {
  w->next = NULL;
  *l->wait_tail = w;
  l->wait_tail = &w->next;
}

/* The bank that is home to a line, and its network node (cores + bank). */
static inline unsigned mesi_bank(const mesi *m, uint64_t line) {
  return (unsigned)((line / m->p.line_bytes) & (m->p.llc_banks - 1));
}
static inline dir_ctl *mesi_dir(mesi *m, uint64_t line) { return &m->dir[mesi_bank(m, line)]; }
static inline unsigned mesi_dir_node(const mesi *m, uint64_t line) {
  return m->p.cores + mesi_bank(m, line);
}

void cache__complete(mesi *m); /* call back what performed: end of every event */
/* The end of a GO cell, alike at both controllers, once the line has its
 * next state: give msg back (NULL: it was kept), detach the waiters if the
 * cell woke them, and free the frame if the next state is the free one (I,
 * NP), which must leave nobody waiting (L1a).  Returns the waiters to
 * replay. */
cache_wait *cache__finish(mesi *m, cache_line *ln, net_msg *msg, bool wake, bool frees);

/* L1 (l1.c) */
int l1_init(l1_ctl *c, mesi *m, unsigned id);
void l1_free(l1_ctl *c);
void l1_request(l1_ctl *c, mem_req *r, bool first);   /* a core access arrives */
void l1_receive(l1_ctl *c, net_msg *msg);             /* a message arrives */
/* Put `line` in the L1 in state st (S, E or M) with `data`, if a frame is
 * free: the start of an iteration (warm). */
bool l1_place(l1_ctl *c, uint64_t line, l1_state st, const uint8_t *data);
/* Apply every queued Inv of the core, oldest first (rmb, full fence). */
void l1_iq_apply(l1_ctl *c);
/* Directed tests: fire one event on a line as the dispatcher would. */
void l1_fire(l1_ctl *c, cache_line *ln, uint64_t line, l1_event ev, mem_req *r, net_msg *msg);

/* Directory (dir.c) */
int dir_init(dir_ctl *d, mesi *m, unsigned bank);
void dir_free(dir_ctl *d);
void dir_receive(dir_ctl *d, net_msg *msg);
void dir_fire(dir_ctl *d, cache_line *ln, uint64_t line, dir_event ev, net_msg *msg);

/* Invariant checker (check.c): after every protocol step when enabled. */
mesi_check *check_new(mesi *m);
void check_free(mesi_check *k);
void check_reset(mesi_check *k);
void check_store(mesi_check *k, uint64_t addr, unsigned size, uint64_t value); /* golden */
void check_mem_fill(mesi_check *k, uint64_t line);     /* line first read from memory */
void check_step(mesi_check *k, unsigned node, uint64_t line, const char *ev,
                const char *from, const char *to);

#endif
