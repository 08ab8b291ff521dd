/* cpu/trace.h -- what the cores did in one iteration, for `mmsim explain`.
 *
 * Off by default and nearly free when off: each hook in cpu/core.c is one
 * test of a NULL pointer (CPU_TRACE).  Building with -DMMSIM_TRACE=OFF
 * compiles the hooks out, which is how their cost is measured (mmsim bench
 * on both builds).  On, the machine hands every core the same cpu_trace and
 * the events land in it in simulated-time order (the engine is sequential).
 *
 * A trace is bounded: it holds at most `cap` events and counts the rest in
 * `dropped`, so a runaway iteration cannot eat memory; an explanation of a
 * trace that dropped events says so.
 *
 * Events (kind: what, and the fields it fills besides core, seq, cycle):
 *   LOAD       a load bound its value: addr, size, value, src, at (when it
 *              performed: now, or for a STALE hit when the invalidation it
 *              overtook arrived -- core.h's reorder accounting)
 *   STORE      a store entered the store buffer: addr, size, value
 *   DRAIN      that store performed (its line in M): addr, size, value;
 *              seq is the store's, so DRAIN pairs with its STORE
 *   RMW        an RMW or CAS performed atomically: addr, size, value (read),
 *              wrote (written, or the old value for a failed CAS)
 *   FENCE      a fence retired: fence
 *   IQ_APPLY   the core applied its invalidate queue
 *   MSG        a protocol message sent: core = the sending node, dst, msg
 *              (its type), addr (the line), at = the cycle it arrives
 *              (nodes: cores 0 .. n-1, then the directory banks), recorded
 *              by sim/machine.c through memsys_ops.observe
 *   CELL       a protocol table cell fired: core = its controller's node,
 *              addr (the line), msg (the state), event, next (the state
 *              after; a STALL's is its own), through observe_cells
 * seq numbers the thread's micro-ops in program order within the iteration;
 * tag is the issuer's name for the instruction (mem_port.tag: a litmus
 * test's instruction index, a map operation and its ordinal) in its low 24
 * bits, and in its top 8 the part of a split access: 0 for a whole access,
 * k for the k-th piece of one that cpu.atomic_width or a line boundary cut
 * (workloads/mem_sim.c), so a trace shows which loads and stores were one
 * call.
 *
 * Invariants:
 *   TR1  Events are appended in nondecreasing `cycle` order.
 *   TR2  A traced iteration computes exactly what the untraced one does:
 *        hooks only read core state.
 */
#ifndef MMSIM_CPU_TRACE_H
#define MMSIM_CPU_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uop.h"

typedef enum {
  TRACE_LOAD,
  TRACE_STORE,
  TRACE_DRAIN,
  TRACE_RMW,
  TRACE_FENCE,
  TRACE_IQ_APPLY,
  TRACE_MSG,
  TRACE_CELL
} trace_kind;

/* Where a load's value came from. */
typedef enum { TRACE_SRC_SB, TRACE_SRC_MEM, TRACE_SRC_STALE } trace_src;

typedef struct trace_ev {
  uint64_t cycle, at;
  uint64_t addr, value, wrote;
  uint32_t core, seq, tag;
  uint8_t kind, src, size, fence;
  uint16_t dst;        /* MSG: the receiving node */
  const char *msg;     /* MSG: the message type's name; CELL: the state (static) */
  const char *event, *next; /* CELL: the event, and the state it moved to */
} trace_ev;

typedef struct cpu_trace {
  trace_ev *ev;
  size_t n, cap;
  uint64_t dropped;
} cpu_trace;

/* cap events at most; false if out of memory. */
bool cpu_trace_init(cpu_trace *t, size_t cap);
void cpu_trace_free(cpu_trace *t);
void cpu_trace_clear(cpu_trace *t);
/* The next event's slot, or NULL (counted as dropped) when full. */
trace_ev *cpu_trace_add(cpu_trace *t);

/* The tag's two fields (see above). */
#define TRACE_TAG_PART_SHIFT 24
#define TRACE_TAG_INSN(tag) ((tag) & ((UINT32_C(1) << TRACE_TAG_PART_SHIFT) - 1))
#define TRACE_TAG_PART(tag) ((tag) >> TRACE_TAG_PART_SHIFT)

extern const char *const trace_kind_name[];
extern const char *const trace_src_name[];

#ifndef MMSIM_TRACE
#define MMSIM_TRACE 1
#endif
#if MMSIM_TRACE
#define CPU_TRACE(c, call) \
  do {                     \
    if ((c)->trace) call;  \
  } while (0)
#else
#define CPU_TRACE(c, call) ((void)0)
#endif

#endif
