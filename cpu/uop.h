/* cpu/uop.h -- micro-operations: what a thread asks of its core.
 *
 * Each mem API call becomes one or more uops (a wide access is split by
 * cpu.atomic_width).  Addresses are simulated: offsets into the machine's
 * memory, not host pointers.
 */
#ifndef MMSIM_CPU_UOP_H
#define MMSIM_CPU_UOP_H

#include <stdbool.h>
#include <stdint.h>

#include "../workloads/mem.h"

#define UOP_KINDS(X)                          \
  X(LOAD, "load")                             \
  X(STORE, "store")                           \
  X(RMW, "atomic read-modify-write")          \
  X(CAS, "compare-and-swap")                  \
  X(FENCE, "fence")                           \
  X(WORK, "local work")                       \
  X(LQ_WAIT, "wait for a load (arm)")

typedef enum {
#define X(n, d) UOP_##n,
  UOP_KINDS(X)
#undef X
  UOP_NKINDS
} uop_kind;

typedef struct uop {
  uop_kind kind;
  unsigned size;      /* bytes, for memory uops */
  uint64_t addr;      /* simulated address */
  uint64_t value;     /* store value, rmw operand, cas desired, work cycles */
  uint64_t expected;  /* cas */
  mem_order order;
  mem_rmw_op op;
  mem_fence_kind fence;
  uint32_t tag;       /* mem_port.tag of the issuing thread (cpu/trace.h) */
  /* A load the thread does not wait for (arm, cpu_core_exec): its value
   * goes to *out and *bound becomes true when it binds.  LQ_WAIT: the
   * thread sleeps until *bound.  NULL otherwise. */
  uint64_t *out;
  bool *bound;
  bool excl; /* LOAD: sets the exclusive monitor; CAS: a store-conditional
                (cache/memsys.h MS3) */
} uop;

extern const char *const uop_kind_name[UOP_NKINDS];

#endif
