/* workloads/rwmutex.h -- Go's sync.RWMutex on the mem API.
 *
 * The algorithm of Go's sync/rwmutex.go, field for field, so the simulator
 * shows what it costs on a coherent machine:
 *   - reader_count counts readers; a writer subtracts RW_MAX_READERS from
 *     it, so a negative count tells arriving readers that a writer waits
 *     (writer preference: they queue behind it on reader_sem);
 *   - reader_wait counts the readers the writer still waits for; the last
 *     of them to leave releases writer_sem;
 *   - w, the writers' mutex, is the spinlock of spinlock.h (the same lock
 *     code as the map's locked variant).
 * Go parks a goroutine on a semaphore; a thread here spins on it instead
 * (acquire: wait for a positive count, then CAS it one down), one idle
 * cycle per poll, as spinlock.h waits.
 *
 * All five words share one cache line, as Go's 24-byte struct does: every
 * RLock and RUnlock is an atomic add on reader_count, so with many readers
 * that line moves from core to core on every read.  That is the hot spot a
 * sharded map spreads over N lines.
 *
 * The counts are 64-bit two's complement words updated by seq_cst RMWs
 * (Go's atomics are sequentially consistent); "negative" is the sign bit.
 */
#ifndef MMSIM_WORKLOADS_RWMUTEX_H
#define MMSIM_WORKLOADS_RWMUTEX_H

#include <stdint.h>

#include "mem.h"
#include "spinlock.h"

#define RW_MAX_READERS (UINT64_C(1) << 30)

typedef struct mem_rwmutex {
  uint64_t w;            /* the writers' spinlock */
  uint64_t writer_sem;   /* a writer waits here for departing readers */
  uint64_t reader_sem;   /* readers wait here for a writer to finish */
  uint64_t reader_count; /* pending readers; minus RW_MAX_READERS while a writer waits */
  uint64_t reader_wait;  /* departing readers the writer still waits for */
  uint8_t pad[24];       /* one line of its own */
} mem_rwmutex;

/* runtime_Semacquire: wait until the count is positive, take one. */
static inline void mem_sem_acquire(mem_port *p, uint64_t *sem) {
  for (;;) {
    uint64_t v = mem_load(p, sem, 8, MO_RELAXED);
    if (v && mem_cas(p, sem, &v, v - 1, 8)) return;
    mem_work(p, 1);
  }
}

static inline void mem_sem_release(mem_port *p, uint64_t *sem) {
  mem_rmw(p, sem, RMW_ADD, 1, 8);
}

static inline int64_t rw_add(mem_port *p, uint64_t *a, uint64_t d) {
  return (int64_t)(mem_rmw(p, a, RMW_ADD, d, 8) + d); /* the new value, as Go's Add */
}

static inline void mem_rw_rlock(mem_port *p, mem_rwmutex *rw) {
  if (rw_add(p, &rw->reader_count, 1) < 0) mem_sem_acquire(p, &rw->reader_sem);
}

static inline void mem_rw_runlock(mem_port *p, mem_rwmutex *rw) {
  if (rw_add(p, &rw->reader_count, (uint64_t)-1) < 0 &&
      rw_add(p, &rw->reader_wait, (uint64_t)-1) == 0) /* rUnlockSlow: the last one out */
    mem_sem_release(p, &rw->writer_sem);
}

static inline void mem_rw_lock(mem_port *p, mem_rwmutex *rw) {
  mem_spin_lock(p, &rw->w, 8);
  int64_t r = rw_add(p, &rw->reader_count, -RW_MAX_READERS) + (int64_t)RW_MAX_READERS;
  if (r != 0 && rw_add(p, &rw->reader_wait, (uint64_t)r) != 0)
    mem_sem_acquire(p, &rw->writer_sem);
}

static inline void mem_rw_unlock(mem_port *p, mem_rwmutex *rw) {
  int64_t r = rw_add(p, &rw->reader_count, RW_MAX_READERS);
  for (int64_t i = 0; i < r; i++) mem_sem_release(p, &rw->reader_sem); /* the queued readers */
  mem_spin_unlock(p, &rw->w, 8);
}

#endif
