/* workloads/native_loop.c -- the host threads of both native runners:
 * barrier, pinning and the batch loop (native_int.h).
 *
 * Each thread notes the CPU it is on (sched_getcpu) at the start and the
 * end of every batch, a call per batch and not per iteration so the race
 * window is untouched; the union is cpus_used.  A test can thus tell a
 * runner that ran its threads one at a time (cpus_used 1 with two CPUs
 * online and pinning on) from a host that merely showed no anomaly. */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include "../sim/err.h"
#include "../sim/rng.h"
#include "../sim/wallclock.h"
#include "mem_native.h"
#include "native_int.h"

void native__relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  __asm__ volatile("" ::: "memory");
#endif
}

/* Sense-reversing: the last thread in flips the sense everyone waits on. */
void native__barrier_wait(spin_barrier *b, unsigned *local) {
  unsigned s = *local = !*local;
  if (__atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) == b->n) {
    __atomic_store_n(&b->count, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&b->sense, s, __ATOMIC_RELEASE);
    return;
  }
  for (unsigned spins = 0; __atomic_load_n(&b->sense, __ATOMIC_ACQUIRE) != s; spins++) {
    native__relax();
    if (spins > 1000) sched_yield();
  }
}

bool native__pin(unsigned tid) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus < 1) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET((int)(tid % (unsigned)cpus), &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

/* The CPU this thread is on now, as one bit (CPUs past 63 share bits). */
static uint64_t cpu_bit(void) {
  int c = sched_getcpu();
  return c < 0 ? 0 : UINT64_C(1) << (c % 64);
}

typedef struct loop_arg {
  native_loop *l;
  unsigned tid;
} loop_arg;

static void *loop_thread(void *arg) {
  native_loop *l = ((loop_arg *)arg)->l;
  unsigned tid = ((loop_arg *)arg)->tid, sense = 0;
  uint64_t cpus = 0;
  if (l->affinity && native__pin(tid)) __atomic_fetch_add(&l->npinned, 1, __ATOMIC_RELAXED);
  mem_native_port port;
  mem_native_port_init(&port, tid, l->width);
  sim_rng skew;
  sim_rng_derive(&skew, l->seed, "native.start_skew", tid);
  for (uint64_t base = 0; base < l->iters; base += l->batch) {
    uint64_t count = l->iters - base < l->batch ? l->iters - base : l->batch;
    if (tid == 0 && !l->begin(l->ctx, count)) l->failed = true;
    native__barrier_wait(&l->bar, &sense);
    if (l->failed) break;
    cpus |= cpu_bit();
    for (uint64_t j = 0; j < count; j++) {
      if (l->prepare) l->prepare(l->ctx, j, tid, &port.base);
      if (!l->perpetual) native__barrier_wait(&l->bar, &sense);
      for (uint64_t s = sim_rng_upto(&skew, l->skew); s; s--) native__relax();
      l->body(l->ctx, j, tid, &port.base);
    }
    cpus |= cpu_bit();
    native__barrier_wait(&l->bar, &sense);
    /* Thread 0 observes, then sets up the next batch, while the others
     * already wait at that batch's first barrier: no barrier between. */
    if (tid == 0) l->end(l->ctx, base, count, &port.base);
  }
  __atomic_fetch_or(&l->cpu_mask, cpus, __ATOMIC_RELAXED);
  return NULL;
}

void native__loop_run(native_loop *l) {
  enum { MAX_THREADS = 64 };
  pthread_t th[MAX_THREADS];
  loop_arg args[MAX_THREADS];
  if (l->threads > MAX_THREADS) sim_panic("native: %u threads, at most %d", l->threads, MAX_THREADS);
  l->bar = (spin_barrier){.n = l->threads};
  l->npinned = 0;
  l->cpu_mask = 0;
  l->failed = false;
  double t0 = wallclock_s();
  for (unsigned i = 0; i < l->threads; i++) {
    args[i] = (loop_arg){l, i};
    /* A missing thread would leave the others at the barrier for ever. */
    if (pthread_create(&th[i], NULL, loop_thread, &args[i]))
      sim_panic("native: could not start thread %u of %u", i, l->threads);
  }
  for (unsigned i = 0; i < l->threads; i++) pthread_join(th[i], NULL);
  l->wall_s = wallclock_s() - t0;
  l->pinned = l->affinity && l->npinned == l->threads;
  l->cpus_used = (unsigned)__builtin_popcountll(l->cpu_mask);
}
