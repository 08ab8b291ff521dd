/* workloads/spinlock.h -- the one spinlock every workload uses.
 *
 * The litmus C dialect's spin_lock/spin_trylock/spin_unlock and the map's
 * locked variant both run this code, so a lock costs in the simulator what
 * its instructions cost: contention shows up as CAS misses and spinning
 * loads on a line that bounces between cores.
 *
 * The lock word is 0 when free and 1 when held.  Acquiring is an acquire CAS
 * from 0 to 1 (the LKMM's spin_lock is an acquire RMW); while it fails the
 * core spins on plain loads until the word reads 0 (test-and-test-and-set,
 * so waiters share the line instead of stealing it in M), pausing one cycle
 * per try as x86's PAUSE or arm64's WFE would.  Releasing is a release
 * store of 0.
 */
#ifndef MMSIM_WORKLOADS_SPINLOCK_H
#define MMSIM_WORKLOADS_SPINLOCK_H

#include <stdbool.h>

#include "mem.h"

/* Spin while the word at a reads non-zero (also RCU's wait for a reader). */
static inline void mem_spin_until_zero(mem_port *p, const void *a, unsigned size) {
  while (mem_load(p, a, size, MO_RELAXED) != 0) mem_work(p, 1);
}

static inline bool mem_spin_trylock(mem_port *p, void *a, unsigned size) {
  uint64_t e = 0;
  return mem_cas_ord(p, a, &e, 1, size, MO_ACQUIRE);
}

static inline void mem_spin_lock(mem_port *p, void *a, unsigned size) {
  while (!mem_spin_trylock(p, a, size)) mem_spin_until_zero(p, a, size);
}

static inline void mem_spin_unlock(mem_port *p, void *a, unsigned size) {
  mem_store(p, a, 0, size, MO_RELEASE);
}

#endif
