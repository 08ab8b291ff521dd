/* workloads/native.c -- see native.h. */
#include "native.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem_native.h"
#include "native_int.h"

#define MAX_BATCH_BYTES ((size_t)256 << 20)

typedef struct nat {
  wl_result *r;
  unsigned threads;
  size_t bytes; /* per instance */
  uint8_t *mem;
  wl_inst *inst;
} nat;

/* The native_loop callbacks.  Thread 0 only, between barriers: false when
 * a scenario's setup ran out of its arena. */
static bool build_batch(void *ctx, uint64_t count) {
  nat *n = ctx;
  mem_native_port setup;
  mem_native_port_init(&setup, 0, 8);
  for (uint64_t j = 0; j < count; j++)
    if (wl_inst_setup(n->r->s, &n->inst[j], &n->r->prm, n->mem + j * n->bytes, n->bytes,
                      &setup.base))
      return false;
  return true;
}

static void warm(void *ctx, uint64_t j, unsigned tid, mem_port *p) {
  nat *n = ctx;
  n->r->s->warm(&n->inst[j], p, tid);
}

static void race(void *ctx, uint64_t j, unsigned tid, mem_port *p) {
  nat *n = ctx;
  n->r->s->thread(&n->inst[j], p, tid);
}

static void observe_batch(void *ctx, uint64_t base, uint64_t count, mem_port *p) {
  nat *n = ctx;
  int64_t o[WL_MAX_OBS];
  for (uint64_t j = 0; j < count; j++) {
    memset(o, 0, sizeof o);
    n->r->s->observe(&n->inst[j], p, o);
    wl_result_add(n->r, o, base + j);
    for (unsigned t = 0; t < n->threads; t++) n->r->map_ops += n->inst[j].ops[t];
  }
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
  nat n = {.r = r, .threads = r->prm.threads};
  native_loop l = {
      .iters = (uint64_t)cfg_int(c, CK_RUN_ITERATIONS),
      .batch = (uint64_t)cfg_int(c, CK_NATIVE_BATCH),
      .skew = (uint64_t)cfg_int(c, CK_NATIVE_START_SKEW),
      .seed = (uint64_t)cfg_int(c, CK_RUN_SEED),
      .threads = n.threads, .width = (unsigned)cfg_int(c, CK_CPU_ATOMIC_WIDTH),
      .perpetual = strcmp(cfg_str(c, CK_NATIVE_MODE), "perpetual") == 0,
      .affinity = cfg_int(c, CK_NATIVE_AFFINITY) != 0,
      .ctx = &n, .begin = build_batch, .prepare = r->s->warm ? warm : NULL, .body = race,
      .end = observe_batch,
  };
  n.bytes = (r->s->arena_bytes(&r->prm) + 4095) & ~(size_t)4095;
  if (l.batch > l.iters) l.batch = l.iters;
  if (n.bytes * l.batch > MAX_BATCH_BYTES)
    return sim_errf(err, SIM_ECONFIG, "native.batch: %" PRIu64 " instances of %zu bytes exceed "
                    "%zu MiB; use a smaller batch", l.batch, n.bytes, MAX_BATCH_BYTES >> 20);
  n.mem = aligned_alloc(4096, n.bytes * l.batch);
  n.inst = calloc(l.batch, sizeof *n.inst);
  r->hist = hist_new(r->s->nobs);
  if (!n.mem || !n.inst || !r->hist) {
    rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    goto done;
  }
  native__loop_run(&l);
  r->wall_s = l.wall_s;
  if (l.failed) {
    rc = sim_errf(err, SIM_EFULL, "%s: the scenario's setup ran out of its %zu-byte arena",
                  r->s->name, n.bytes);
    goto done;
  }
  h->pinned = l.pinned;
  h->cpus_used = l.cpus_used;
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
