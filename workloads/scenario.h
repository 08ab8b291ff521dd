/* workloads/scenario.h -- map race scenarios: thread programs plus an oracle.
 *
 * A scenario is a small concurrent program over the C map (hmap.h): a setup
 * that builds the initial state, one function per thread, an observation of
 * the final state, and an oracle that classifies each iteration's outcome.
 * The same scenario runs in the simulator (scenario_sim.c) and natively
 * (native.c); only the mem_port differs.
 *
 * An outcome is a short vector of integers (the thread-private observations
 * and the final state), counted in a histogram like a litmus outcome.  The
 * oracle says, for each outcome:
 *   - forbidden: no SC execution of the program (each mem API call one
 *     atomic step, an 8-byte access included) could produce it.  Each
 *     scenario's header comment gives the cycle argument.
 *   - anomaly: its kind (DESIGN.md "What the numbers mean"), or NULL.
 * For the ordering scenarios (publish-flag, delete-len, overflow-publish,
 * iterate-delete, dekker-flags) the two coincide.  Three anomalies are
 * atomicity failures, which interleaving alone produces: a torn read
 * needs an access split below 8 bytes (cpu.atomic_width 4: then even the
 * sc model shows it), and a lost update (refcount-lost-update) or an
 * undetected concurrent write (write-detect-miss) is reachable under SC by
 * interleaving a non-atomic read-modify-write; those outcomes carry their
 * kind with forbidden = 0.
 *
 * Instances.  An instance is one copy of the scenario's shared state, built
 * in an arena (the simulated memory, or host memory natively); a run builds
 * it afresh before every iteration.  Thread observations live in the
 * instance, each thread writing only its own row (host memory private to
 * that thread, like a litmus test's registers).
 *
 * Invariants:
 *   S1  setup, thread and observe touch shared state only through their port.
 *   S2  The oracle depends only on the outcome vector.
 */
#ifndef MMSIM_WORKLOADS_SCENARIO_H
#define MMSIM_WORKLOADS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmap.h"

#define WL_MAX_THREADS 16
#define WL_MAX_OBS 6
#define WL_ROLES 3
#define WL_SPIN 1024 /* polls of a reader waiting for a writer's publication */

/* What a run sets (workload.* keys). */
typedef struct wl_params {
  hmap_variant variant;
  unsigned threads;
  unsigned keys;   /* background keys preloaded beside the hot ones */
  unsigned stride; /* bytes between separately allocated objects */
  unsigned rounds; /* operations per thread where a scenario repeats one */
  uint64_t hash0;
} wl_params;

/* A bump allocator over one instance's memory (hmap_alloc_fn).  Threads
 * allocate concurrently natively, so the bump is an atomic add. */
typedef struct wl_arena {
  uint8_t *base;
  size_t size, used, align; /* align: a power of two, at least 64 */
} wl_arena;

void *wl_arena_alloc(void *arena, size_t bytes);

typedef struct wl_inst {
  const wl_params *prm;
  wl_arena arena;
  hmap map[2];
  hmap_bucket *hot;          /* the hot bucket (chain head) */
  hmap_bucket *grown_from;   /* map 0's buckets before a growth, for names (or NULL) */
  uint64_t ngrown_from;
  uint64_t key[HMAP_SLOTS + 2];
  uint64_t pre[32]; /* preloaded keys, for scenarios that need many (npre) */
  unsigned npre;
  int64_t obs[WL_MAX_THREADS][4]; /* per thread, private */
  uint64_t ops[WL_MAX_THREADS];   /* map operations per thread */
} wl_inst;

typedef struct wl_scenario {
  const char *name, *doc;
  const char *anomaly;        /* the kind it exhibits */
  const char *role[WL_ROLES]; /* what threads 0, 1, 2 do, for explanations (or NULL) */
  unsigned min_threads, max_threads;
  unsigned fixed_by;          /* bit per hmap_variant that brings it to zero */
  unsigned nobs;
  const char *obs_name[WL_MAX_OBS];
  size_t (*arena_bytes)(const wl_params *prm);
  int (*setup)(wl_inst *x, mem_port *p);             /* HMAP_OK or HMAP_ENOMEM */
  void (*thread)(wl_inst *x, mem_port *p, unsigned tid);
  /* Optional, native runs only: loads each thread makes before the
   * iteration's barrier, so the lines it will read are in its cache and the
   * race is between fast loads and slow stores, as in a warmed-up program.
   * (The ideal memory has no caches; with memory.kind mesi the simulator
   * may want the same.) */
  void (*warm)(wl_inst *x, mem_port *p, unsigned tid);
  void (*observe)(wl_inst *x, mem_port *p, int64_t *out); /* p may only load */
  const char *(*classify)(const wl_params *prm, const int64_t *o, bool *forbidden);
} wl_scenario;

/* The registry */
const wl_scenario *wl_scenario_find(const char *name);
const wl_scenario *wl_scenario_at(size_t i); /* NULL past the end */
void wl_scenario_names(char *buf, size_t n); /* "a|b|c" for messages */

/* Instance lifetime: memory [base, base+size) zeroed, then setup. */
int wl_inst_setup(const wl_scenario *s, wl_inst *x, const wl_params *prm, uint8_t *base,
                  size_t size, mem_port *setup_port);

/* "name=v; name=v;" for outcome o; returns the length (snprintf style). */
size_t wl_outcome_format(const wl_scenario *s, const int64_t *o, char *buf, size_t n);

/* Helpers for scenario files (double underscore: workloads/ only). */
uint64_t wl__key_in_bucket(wl_inst *x, mem_port *p, int map, uint64_t bucket);
int wl__make(wl_inst *x, mem_port *p, int map, unsigned hot);
int wl__preload(wl_inst *x, mem_port *p, int map);
size_t wl__arena_bytes(const wl_params *prm, unsigned maps, unsigned extra_buckets);
#define WL_OP(x, tid, call) ((x)->ops[tid]++, (call))
#define WL_OPV(x, tid, call) do { (x)->ops[tid]++; call; } while (0)

/* The scenario families, one file each. */
extern const wl_scenario wl_publish_flag, wl_delete_len, wl_overflow_publish;
extern const wl_scenario wl_iterate_delete, wl_refcount_tear, wl_refcount_lost_update;
extern const wl_scenario wl_write_detect_miss, wl_dekker_flags, wl_grow_evacuate;

#endif
