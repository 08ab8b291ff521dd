/* workloads/mem_native.h -- the native backend of the mem API.
 *
 * The same workload code on the host's real cores: every access is a
 * __atomic builtin (relaxed unless the caller asks for acquire, release or
 * seq_cst), so there is no data race in the C sense, and every access is
 * also a compiler barrier, so the compiler neither merges, hoists nor
 * reorders accesses: what is measured is the machine, not the optimiser.
 * Fences are real fences (__atomic_thread_fence; on x86 a full fence is
 * MFENCE and store/load fences are compiler barriers, which is all x86
 * needs).  RMW and CAS are sequentially consistent (x86: LOCK-prefixed).
 *
 * Accesses wider than atomic_width are split into pieces, low first, as
 * mem_sim.c splits them: with 4 a 64-bit word is stored as two 32-bit
 * halves (refcount-tear's two-halves form on a 64-bit host).
 *
 * Also the setup backend: before an iteration the runner builds shared
 * state through a native port directly on the memory (host or simulated
 * arena), when no thread runs.
 */
#ifndef MMSIM_WORKLOADS_MEM_NATIVE_H
#define MMSIM_WORKLOADS_MEM_NATIVE_H

#include "mem.h"

typedef struct mem_native_port {
  mem_port base; /* first: a mem_port * is a mem_native_port * */
  unsigned atomic_width;
} mem_native_port;

void mem_native_port_init(mem_native_port *p, unsigned tid, unsigned atomic_width);

#endif
