/* cache/tester.h -- the random coherence tester, after gem5 Ruby's.
 *
 * Drives a memsys directly (no cores, no store buffers) on its own
 * sim_engine: `cores` simulated requesters each keep up to `outstanding`
 * requests in flight and issue random loads, stores, RMWs and CASes of 1, 2,
 * 4 or 8 aligned bytes, each with a random r->delay, to addresses chosen to
 * collide, as gem5's CheckTable builds them:
 *   - a few lines, `stride` bytes apart: with stride = sets * line_bytes
 *     they all map to one cache set, so they evict each other (set
 *     conflicts, writebacks, recalls);
 *   - `locs` check locations of 8 bytes per line, so that requesters touch
 *     different bytes of one line (false sharing) and the same bytes (true
 *     sharing) with different sizes.
 * Values come from one seeded stream per requester, so a run is a function
 * of (params, memsys) alone: same seed, same totals and same digest.
 *
 * Checking.  The memory system must be linearizable per byte with the done
 * callback as the linearization point (MS1: done runs at the perform cycle).
 * The tester keeps a shadow of every check byte: at a store's done it writes
 * the bytes into the shadow; at a load's done the value must equal the
 * shadow; an RMW or CAS must return the shadow as old value and then applies
 * its effect.  It also checks that done runs once per request, not before
 * r->delay has passed, with the request's fields untouched, that some request
 * completes at least every `deadlock_cycles` while any is in flight, and at
 * the end that peek (MS2) agrees with the shadow byte for byte.
 * The first failure stops the run; its message names the seed.
 *
 * Why stop at the first failure: after one wrong value the shadow and the
 * memory disagree, and every later "violation" is a consequence, not news.
 *
 * Invariants (of the tester itself):
 *   T1  A run issues exactly p->ops requests unless it stops on a failure;
 *       on success every one has completed exactly once.
 *   T2  All randomness comes from streams derived from p->seed, one per
 *       requester ("tester.core", c): equal seeds give equal results.
 *   T3  The tester reaches the memory system only through memsys_ops
 *       (access, peek, reset): any implementation plugs in unchanged.
 */
#ifndef MMSIM_CACHE_TESTER_H
#define MMSIM_CACHE_TESTER_H

#include <stdint.h>
#include <stdio.h>

#include "../sim/err.h"
#include "memsys.h"

/* The kinds of request, with their names in reports. */
#define TESTER_KINDS(X)                                                                            \
  X(LOAD, "load")                                                                                  \
  X(STORE, "store")                                                                                \
  X(RMW, "rmw")                                                                                    \
  X(CAS, "cas")

typedef enum {
#define X(n, s) TESTER_##n,
  TESTER_KINDS(X)
#undef X
      TESTER_NKINDS
} tester_kind;

extern const char *const tester_kind_name[TESTER_NKINDS];

typedef struct tester_params {
  unsigned cores;       /* requesters: 1 .. 4096 */
  unsigned outstanding; /* requests in flight per requester: 1 .. 64 */
  uint64_t ops;         /* requests to issue over all requesters */
  uint64_t seed;
  unsigned lines;              /* distinct lines: 1 .. 1024 */
  unsigned line_bytes;         /* a power of two, 8 .. 4096 */
  unsigned locs;               /* 8-byte check locations per line: 1 .. line_bytes/8 */
  uint64_t base;               /* address of line 0, a multiple of line_bytes */
  uint64_t stride;             /* bytes from one line to the next, a multiple of line_bytes */
  uint64_t max_delay;          /* r->delay drawn from [0, max_delay] */
  uint64_t deadlock_cycles;    /* no completion for this long while busy: deadlock */
  unsigned mix[TESTER_NKINDS]; /* relative weights of the kinds; sum > 0 */
  FILE *log;                   /* the full failure report (NULL: err only) */
} tester_params;

typedef struct tester_result {
  uint64_t ops; /* requests completed */
  uint64_t by_kind[TESTER_NKINDS];
  uint64_t cas_ok;     /* CASes that succeeded */
  uint64_t cycles;     /* simulated cycles of the run */
  uint64_t violations; /* 0 or 1: the run stops at the first */
  uint64_t deadlocks;  /* 0 or 1 */
  uint64_t digest;     /* hash of every completion: (cycle, core, kind, value) */
} tester_result;

/* Defaults: 4 requesters, 2 in flight, 100000 ops, seed 1, 16 lines of 64
 * bytes 65536 apart (one set of a 1024-set LLC and of a 64-set L1), 4
 * locations per line, delays up to 16, deadlock after 100000 quiet cycles,
 * mix 40% loads, 30% stores, 15% RMW, 15% CAS. */
void tester_params_default(tester_params *p);

/* SIM_EINVAL with the offending field named, or 0. */
int tester_params_check(const tester_params *p, sim_err *err);

/* The simulated memory the run touches: [0, tester_mem_bytes). */
uint64_t tester_mem_bytes(const tester_params *p);

/* Lay out the initial check bytes (seeded random) in main memory, before the
 * memory system is built or reset for the run. */
void tester_fill(const tester_params *p, uint8_t *data);

/* One run on m, built for at least p->cores cores over at least
 * tester_mem_bytes(p) bytes.  Resets m with p->seed first, takes the initial
 * shadow from peek, runs p->ops requests and checks them (see above).
 * Returns 0; SIM_EVIOLATION with err naming the seed, the request and the
 * cycle on the first violation or deadlock (res says which, and the full
 * report goes to p->log); SIM_EINVAL on bad params; SIM_ENOMEM.
 * After a failure m may hold requests that will never finish: free it. */
int tester_run(const tester_params *p, memsys *m, tester_result *res, sim_err *err);

/* res += r (for runs over many seeds). */
void tester_result_add(tester_result *res, const tester_result *r);

#endif
