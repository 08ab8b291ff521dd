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

#endif
