/* workloads/litmus_explain.h -- why one iteration of a litmus test was not
 * SC: the causal chain in a trace of the modelled hardware.
 *
 * From the trace (cpu/trace.h) of one iteration it builds the execution:
 * every shared access with the cycle it became visible -- a store when its
 * drain performed (line in M), a load when it bound its value, or for a
 * load that hit a line whose invalidation waited in the queue, when that
 * invalidation arrived -- and the communication between them: rf (the
 * store each load read, by location, value and time), co (per location,
 * the order stores performed) and fr (a load before the stores co-after
 * the one it read).  The outcome is SC exactly when po | rf | co | fr has
 * no cycle (Shasha and Snir); when it has one, the shortest is the chain,
 * and each po edge of it that the machine performed backwards -- the
 * younger access visible before the older -- is a mechanism:
 *
 *   older   younger  backwards because                  mechanism
 *   store   load     the store sat in the store buffer  store_buffer
 *   store   store    pso/weak drained them out of order  store_order
 *   load    load     the younger hit a stale line        invalidate_queue
 *   load    load     otherwise                           load_order
 *
 * (torn_access and rmw_interleaving name map-scenario chains; the litmus
 * dialects have no split access or non-atomic RMW.)
 *
 * The fix for a mechanism is the fence that orders its pair: a full fence
 * for store_buffer, a store fence for store_order, a load fence for the
 * load pairs, placed right after the older access.
 *
 * Rejected: reading causes off the reorder counters.  A reordering that is
 * not on the cycle did not make the outcome non-SC (SB's stores reordered
 * with a later unrelated load, say), and the account would blame it.
 */
#ifndef MMSIM_WORKLOADS_LITMUS_EXPLAIN_H
#define MMSIM_WORKLOADS_LITMUS_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu/trace.h"
#include "../sim/err.h"
#include "litmus.h"

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
  X(LOAD_ORDER, "load_order", "loads performed out of program order")

typedef enum {
#define X(id, name, what) EXPLAIN_##id,
  EXPLAIN_MECHS(X)
#undef X
  EXPLAIN_NMECHS
} explain_mech;

extern const char *const explain_mech_name[EXPLAIN_NMECHS];

typedef enum { EXPLAIN_READ, EXPLAIN_WRITE, EXPLAIN_RMW } explain_acc_kind;

/* One shared access of the iteration. */
typedef struct explain_access {
  explain_acc_kind kind;
  unsigned thread, seq, pc, loc; /* pc: its instruction in the thread */
  uint64_t value, wrote;         /* read; written */
  uint64_t issue;                /* read: bound; write: entered the store buffer */
  uint64_t visible;              /* see the file comment; UINT64_MAX: never */
  uint8_t src;                   /* read: trace_src */
  uint64_t iq_applied;           /* stale read: when its core applied the queue */
  int rf;                        /* read: the write it read, -1 the initial value */
} explain_access;

typedef enum { EXPLAIN_PO, EXPLAIN_RF, EXPLAIN_CO, EXPLAIN_FR } explain_edge;
extern const char *const explain_edge_name[];

/* One mechanism: the po pair (older, younger) the machine made visible
 * backwards, and what it did to the outcome at loc. */
typedef struct explain_mechanism {
  explain_mech kind;
  unsigned thread;
  int older, younger;             /* access indexes */
  unsigned loc;                   /* the location whose value was wrong */
  uint64_t seen, sc_value;        /* the value read there, and the one SC needed */
  uint64_t from_cycle, to_cycle;  /* the window the mechanism held open */
  mem_fence_kind fix;             /* the fence after `older` that orders the pair */
} explain_mechanism;

#define EXPLAIN_MAX_CYCLE 32
#define EXPLAIN_MAX_MECHS 8

typedef struct litmus_explanation {
  explain_access *acc;
  unsigned nacc;
  bool sc; /* no cycle: the outcome is SC */
  unsigned ncyc;
  int cyc[EXPLAIN_MAX_CYCLE];          /* access indexes around the cycle */
  explain_edge edge[EXPLAIN_MAX_CYCLE]; /* edge[i]: cyc[i] -> cyc[i + 1 mod ncyc] */
  unsigned nmech;
  explain_mechanism mech[EXPLAIN_MAX_MECHS];
  uint64_t dropped; /* trace events lost to its bound: the account may be partial */
} litmus_explanation;

/* x from the trace of one iteration of t; loc_addr[i] is location i's
 * simulated address.  SIM_ENOMEM only. */
int litmus_explain(const litmus_test *t, const cpu_trace *tr, const uint64_t *loc_addr,
                   litmus_explanation *x, sim_err *err);
void litmus_explanation_free(litmus_explanation *x);

/* A fresh copy of t (its text parsed again) with the fixes of x's
 * mechanisms inserted. */
int litmus_explain_fixed(const litmus_test *t, const litmus_explanation *x, litmus_test **out,
                         sim_err *err);

#endif
