/* workloads/native.c -- see native.h. */
#include "native.h"

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sim/rng.h"
#include "../sim/wallclock.h"
#include "mem_native.h"
#include "native_int.h"

#define MAX_BATCH_BYTES ((size_t)256 << 20)

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

typedef struct nat {
  const cfg *c;
  wl_result *r;
  unsigned threads, width;
  uint64_t iters, batch, skew, seed;
  bool perpetual, affinity;
  size_t bytes; /* per instance */
  uint8_t *mem;
  wl_inst *inst;
  spin_barrier bar;
  int failed; /* setup ran out of arena: every thread stops */
  unsigned pinned;
} nat;

typedef struct targ {
  nat *n;
  unsigned tid;
} targ;

bool native__pin(unsigned tid) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus < 1) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET((int)(tid % (unsigned)cpus), &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

static void pin_self(nat *n, unsigned tid) {
  if (n->affinity && native__pin(tid)) __atomic_fetch_add(&n->pinned, 1, __ATOMIC_RELAXED);
}

/* Thread 0 only, between barriers. */
static void build_batch(nat *n, uint64_t count) {
  mem_native_port setup;
  mem_native_port_init(&setup, 0, 8);
  for (uint64_t j = 0; j < count; j++)
    if (wl_inst_setup(n->r->s, &n->inst[j], &n->r->prm, n->mem + j * n->bytes, n->bytes,
                      &setup.base)) {
      n->failed = 1;
      return;
    }
}

static void observe_batch(nat *n, uint64_t base, uint64_t count, mem_port *p) {
  int64_t o[WL_MAX_OBS];
  for (uint64_t j = 0; j < count; j++) {
    memset(o, 0, sizeof o);
    n->r->s->observe(&n->inst[j], p, o);
    wl_result_add(n->r, o, base + j);
    for (unsigned t = 0; t < n->threads; t++) n->r->map_ops += n->inst[j].ops[t];
  }
}

static void *thread_main(void *arg) {
  targ *a = arg;
  nat *n = a->n;
  unsigned tid = a->tid, sense = 0;
  pin_self(n, tid);
  mem_native_port port;
  mem_native_port_init(&port, tid, n->width);
  sim_rng skew;
  sim_rng_derive(&skew, n->seed, "native.start_skew", tid);
  for (uint64_t base = 0; base < n->iters; base += n->batch) {
    uint64_t count = n->iters - base < n->batch ? n->iters - base : n->batch;
    if (tid == 0) build_batch(n, count);
    native__barrier_wait(&n->bar, &sense);
    if (n->failed) break;
    for (uint64_t j = 0; j < count; j++) {
      if (n->r->s->warm) n->r->s->warm(&n->inst[j], &port.base, tid);
      if (!n->perpetual) native__barrier_wait(&n->bar, &sense);
      for (uint64_t s = sim_rng_upto(&skew, n->skew); s; s--) native__relax();
      n->r->s->thread(&n->inst[j], &port.base, tid);
    }
    native__barrier_wait(&n->bar, &sense);
    if (tid == 0) observe_batch(n, base, count, &port.base);
  }
  return NULL;
}

void native_host_info(native_host *h) {
  snprintf(h->cpu, sizeof h->cpu, "unknown");
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  h->cores = cpus > 0 ? (unsigned)cpus : 1;
  FILE *f = fopen("/proc/cpuinfo", "r");
  if (!f) return;
  char line[512];
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "model name", 10) == 0) {
      const char *v = strchr(line, ':');
      if (!v) break;
      for (v++; *v == ' ' || *v == '\t'; v++) {
      }
      snprintf(h->cpu, sizeof h->cpu, "%.*s", (int)strcspn(v, "\n"), v);
      break;
    }
  fclose(f);
}

int native_run(const cfg *c, wl_result *r, native_host *h, sim_err *err) {
  memset(r, 0, sizeof *r);
  native_host_info(h);
  int rc = wl_params_from_cfg(c, &r->s, &r->prm, err);
  if (rc) return rc;
  nat n = {
      .c = c, .r = r, .threads = r->prm.threads,
      .width = (unsigned)cfg_int(c, CK_CPU_ATOMIC_WIDTH),
      .iters = (uint64_t)cfg_int(c, CK_RUN_ITERATIONS),
      .batch = (uint64_t)cfg_int(c, CK_NATIVE_BATCH),
      .skew = (uint64_t)cfg_int(c, CK_NATIVE_START_SKEW),
      .seed = (uint64_t)cfg_int(c, CK_RUN_SEED),
      .perpetual = strcmp(cfg_str(c, CK_NATIVE_MODE), "perpetual") == 0,
      .affinity = cfg_int(c, CK_NATIVE_AFFINITY) != 0,
  };
  n.bar.n = n.threads;
  n.bytes = (r->s->arena_bytes(&r->prm) + 4095) & ~(size_t)4095;
  if (n.batch > n.iters) n.batch = n.iters;
  if (n.bytes * n.batch > MAX_BATCH_BYTES)
    return sim_errf(err, SIM_ECONFIG, "native.batch: %" PRIu64 " instances of %zu bytes exceed "
                    "%zu MiB; use a smaller batch", n.batch, n.bytes, MAX_BATCH_BYTES >> 20);
  n.mem = aligned_alloc(4096, n.bytes * n.batch);
  n.inst = calloc(n.batch, sizeof *n.inst);
  r->hist = hist_new(r->s->nobs);
  pthread_t th[WL_MAX_THREADS];
  targ args[WL_MAX_THREADS];
  unsigned started = 0;
  if (!n.mem || !n.inst || !r->hist) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    goto done;
  }
  double t0 = wallclock_s();
  for (; started < n.threads; started++) {
    args[started] = (targ){&n, started};
    if (pthread_create(&th[started], NULL, thread_main, &args[started])) break;
  }
  if (started < n.threads) {
    /* The barrier would wait forever for the missing thread: nothing was
     * run yet only if no thread started, so refuse before any did. */
    sim_panic("native: could not start thread %u of %u", started, n.threads);
  }
  for (unsigned t = 0; t < started; t++) pthread_join(th[t], NULL);
  r->wall_s = wallclock_s() - t0;
  if (n.failed) {
    rc = sim_errf(err, SIM_EFULL, "%s: the scenario's setup ran out of its %zu-byte arena",
                  r->s->name, n.bytes);
    goto done;
  }
  h->pinned = n.affinity && n.pinned == n.threads;
  double it = r->iterations ? (double)r->iterations : 1, w = r->wall_s > 0 ? r->wall_s : 1e-9;
  metrics_set(&r->metrics, "map.ops", (double)r->map_ops);
  metrics_set(&r->metrics, "map.ops_per_iteration", (double)r->map_ops / it);
  metrics_set(&r->metrics, "native.map_ops_per_s", (double)r->map_ops / w);
  metrics_set(&r->metrics, "native.iterations_per_s", (double)r->iterations / w);
  metrics_set(&r->metrics, "native.cores", h->cores);
  metrics_set(&r->metrics, "native.pinned", h->pinned);
done:
  free(n.mem);
  free(n.inst);
  return rc;
}
