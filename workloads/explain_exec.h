/* workloads/explain_exec.h -- why one iteration was not SC: the causal
 * chain in a trace of the modelled hardware (cpu/trace.h), for litmus tests
 * (litmus_explain.h) and map scenarios (scenario_explain.h) alike.
 *
 * From the trace it builds the execution: every shared access with the
 * cycle it became visible -- a store when its drain performed (line in M), a
 * load when it bound its value, or for a load that hit a line whose
 * invalidation waited in the queue, when that invalidation arrived -- and
 * the communication between them: rf (the store each load read, by
 * location, value and time), co (per location, the order stores performed)
 * and fr (a load before the stores co-after the one it read).  An execution
 * is SC exactly when po | rf | co | fr has no cycle (Shasha and Snir); when
 * it has one, the shortest is the chain, and each po edge of it that the
 * machine performed backwards -- the younger access visible before the
 * older -- is a mechanism:
 *
 *   older   younger  backwards because                   mechanism
 *   store   load     the store sat in the store buffer   store_buffer
 *   store   store    pso/weak drained them out of order  store_order
 *   load    load     the younger hit a stale line        invalidate_queue
 *   load    load     otherwise                           load_order
 *   load    store    arm: the load bound after the store  load_store
 *
 * Two mechanisms break atomicity rather than order, and show in an
 * execution that is SC access by access; they are looked for when the
 * caller's tags name calls (a map operation: opts.call_of):
 *   torn_access       the pieces of one split load (trace.h's part) read
 *                     from different stores: another thread's store fell
 *                     between them, or between the pieces of the store;
 *   rmw_interleaving  a thread read a location and stored to it in the
 *                     same call, and another thread's store fell between
 *                     in coherence order: the store overwrote it unread.
 *
 * Which cycle.  A map scenario's iteration has many accesses and may hold
 * cycles that did not decide its outcome (a reader's poll that saw the
 * count late, say).  With call_of, the chain is the shortest cycle through
 * a read of some thread's last call, trying the latest such read first --
 * the last call is where a thread's observation was made; only if none
 * lies on a cycle is it the shortest cycle of all.
 *
 * The fix for an order mechanism is the fence that orders its pair: a full
 * fence for store_buffer, a store fence for store_order, a load fence for
 * the load pairs (under arm, DMB ISHLD: it orders a load before later
 * stores too), placed right after the older access.
 *
 * Rejected: reading causes off the reorder counters.  A reordering that is
 * not on the cycle did not make the outcome non-SC (SB's stores reordered
 * with a later unrelated load, say), and the account would blame it.
 */
#ifndef MMSIM_WORKLOADS_EXPLAIN_EXEC_H
#define MMSIM_WORKLOADS_EXPLAIN_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu/trace.h"
#include "../sim/err.h"
#include "../sim/metrics.h"
#include "mem.h"

/* X(id, name, what it means) */
#define EXPLAIN_MECHS(X)                                                                  \
  X(STORE_BUFFER, "store_buffer", "a load bound while an older store of its thread sat in " \
                                  "the store buffer")                                     \
  X(STORE_ORDER, "store_order", "a thread's stores became visible out of program order")    \
  X(INVALIDATE_QUEUE, "invalidate_queue", "a load hit a line whose invalidation waited in "  \
                                          "the invalidate queue")                           \
  X(TORN_ACCESS, "torn_access", "another thread's store fell between the parts of a split " \
                                "access")                                                   \
  X(RMW_INTERLEAVING, "rmw_interleaving", "another thread's store fell between the load "   \
                                          "and the store of a non-atomic read-modify-write") \
  X(LOAD_ORDER, "load_order", "loads performed out of program order")                      \
  X(LOAD_STORE, "load_store", "a store became visible before an older load of its thread "  \
                              "bound (loads out of order: arm)")

typedef enum {
#define X(id, name, what) EXPLAIN_##id,
  EXPLAIN_MECHS(X)
#undef X
  EXPLAIN_NMECHS
} explain_mech;

extern const char *const explain_mech_name[EXPLAIN_NMECHS];

typedef enum { EXPLAIN_READ, EXPLAIN_WRITE, EXPLAIN_RMW } explain_acc_kind;

/* One shared access of the iteration (one piece, for a split one). */
typedef struct explain_access {
  explain_acc_kind kind;
  unsigned thread, seq, loc;
  uint32_t tag;                  /* the trace's: the instruction, and the part */
  uint64_t addr;
  unsigned size;
  uint64_t value, wrote;         /* read; written */
  uint64_t issue;                /* read: bound; write: entered the store buffer */
  uint64_t visible;              /* see the file comment; UINT64_MAX: never */
  uint8_t src;                   /* read: trace_src */
  uint64_t iq_applied;           /* stale read: when its core applied the queue */
  int rf;                        /* read: the write it read, -1 the initial value */
} explain_access;

typedef enum { EXPLAIN_PO, EXPLAIN_RF, EXPLAIN_CO, EXPLAIN_FR } explain_edge;
extern const char *const explain_edge_name[];

/* One mechanism.  Order mechanisms: the po pair (older, younger) the
 * machine made visible backwards.  torn_access: the first and last pieces
 * of the split load; rmw_interleaving: the load and the store.  `other` is
 * the other thread's store that fell between (-1 for order mechanisms);
 * addr and size span the whole access (a split load's every piece). */
typedef struct explain_mechanism {
  explain_mech kind;
  unsigned thread;
  int older, younger, other;      /* access indexes */
  unsigned loc;                   /* the location whose value was wrong */
  uint64_t addr;
  unsigned size;
  uint64_t seen, sc_value;        /* the value read there, and the one SC needed */
  uint64_t from_cycle, to_cycle;  /* the window the mechanism held open */
  mem_fence_kind fix;             /* order mechanisms: the fence after `older` */
} explain_mechanism;

#define EXPLAIN_MAX_CYCLE 32
#define EXPLAIN_MAX_MECHS 8

typedef struct explain_exec {
  explain_access *acc;
  unsigned nacc;
  bool sc; /* no cycle */
  unsigned ncyc;
  int cyc[EXPLAIN_MAX_CYCLE];          /* access indexes around the cycle */
  explain_edge edge[EXPLAIN_MAX_CYCLE]; /* edge[i]: cyc[i] -> cyc[i + 1 mod ncyc] */
  unsigned nmech;
  explain_mechanism mech[EXPLAIN_MAX_MECHS];
  uint64_t dropped; /* trace events lost to its bound: the account may be partial */
} explain_exec;

typedef struct explain_opts {
  /* The location of a load, store or RMW event: a small index, the same
   * for every access to the same bytes, or -1 to leave it out. */
  int (*loc_of)(void *ctx, const trace_ev *e);
  void *ctx;
  /* NULL, or the call a tag belongs to (see the file comment). */
  uint32_t (*call_of)(uint32_t tag);
} explain_opts;

/* x from the trace of one iteration.  SIM_ENOMEM only. */
int explain_exec_build(const cpu_trace *tr, const explain_opts *o, explain_exec *x,
                       sim_err *err);
void explain_exec_free(explain_exec *x);

/* Keep only the mechanisms of one family -- atomicity (torn_access,
 * rmw_interleaving) or order (the rest) -- if x has any of it: an outcome
 * no SC execution gives is the cycle's doing, one that SC reaches by
 * interleaving is the atomicity failure's, and a race of the other family
 * beside it (an iterator's flag bits overwritten while a deleter's stale
 * read decided the outcome) is not why. */
void explain_exec_prefer(explain_exec *x, bool atomicity);

/* run.causes: of a run's anomalous iterations, those whose account had
 * each mechanism (cause[kind]), and those with any (explained). */
typedef struct explain_causes {
  uint64_t cause[EXPLAIN_NMECHS], explained;
} explain_causes;

/* Count x's mechanisms into c, each kind once. */
void explain_causes_add(explain_causes *c, const explain_exec *x);
/* Add src's counts into c (a parallel run joining its workers). */
void explain_causes_absorb(explain_causes *c, const explain_causes *src);
/* The metrics cause.KIND and cause.explained. */
void explain_cause_metrics(sim_metrics *m, const explain_causes *c);

#endif
