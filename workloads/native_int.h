/* workloads/native_int.h -- what the native runners (native.c for map
 * scenarios, litmus_native.c for litmus tests) share; nothing outside
 * workloads/ includes it.
 *
 * The spin barrier is the justified exception to "no shared mutable
 * globals" of STYLE.md: it lives in the runner's context, shared by the
 * host threads it synchronises, and nowhere else.
 */
#ifndef MMSIM_WORKLOADS_NATIVE_INT_H
#define MMSIM_WORKLOADS_NATIVE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "mem.h"

typedef struct spin_barrier {
  unsigned n, count, sense;
} spin_barrier;

/* Wait until all b->n threads arrived; local is the caller's sense, 0 at
 * first.  Spins, then yields: a host with fewer CPUs than threads would
 * otherwise burn whole time slices. */
void native__barrier_wait(spin_barrier *b, unsigned *local);
void native__relax(void); /* PAUSE where there is one */
/* Pin the calling thread to CPU tid mod the online CPUs; false if refused. */
bool native__pin(unsigned tid);

/* The loop both runners run, litmus7's shape: instances in batches; per
 * batch thread 0 sets every instance up, all meet, then each thread runs
 * instance j = 0, 1, ... in turn -- prepare (warm caches), the
 * per-iteration barrier (none in perpetual mode), native.start_skew's
 * random delay, body -- all meet, and thread 0 observes the batch.
 * begin returning false (setup failed) stops every thread; prepare may be
 * NULL.  Callbacks get ctx and a native port of `width` for thread tid. */
typedef struct native_loop {
  uint64_t iters, batch, skew, seed;
  unsigned threads, width;
  bool perpetual, affinity;
  void *ctx;
  bool (*begin)(void *ctx, uint64_t count);
  void (*prepare)(void *ctx, uint64_t j, unsigned tid, mem_port *p);
  void (*body)(void *ctx, uint64_t j, unsigned tid, mem_port *p);
  void (*end)(void *ctx, uint64_t base, uint64_t count, mem_port *p);
  /* Out */
  bool failed;  /* begin returned false */
  bool pinned;  /* affinity asked for and every thread pinned */
  unsigned cpus_used; /* distinct CPUs the threads were seen on (sched_getcpu) */
  double wall_s;
  /* Private */
  spin_barrier bar;
  unsigned npinned;
  uint64_t cpu_mask;
} native_loop;

/* Run l on l->threads host threads (at most 64) and wait for them. */
void native__loop_run(native_loop *l);

#endif
