/* workloads/mapbench.h -- map throughput (workload.kind mapbench): the
 * fixes Go users choose, at 1 to 64 threads.
 *
 * Every thread runs workload.ops map operations an iteration, each a
 * lookup, an assign or a delete drawn by workload.mix, on a key drawn
 * uniformly or by Zipf (workload.zipf) from workload.keys keys.  The
 * first half of the key space is preloaded and only ever read (stable
 * keys); writes and deletes go to the second half (churn keys), every
 * other one of which starts present.  A key's value is always
 * MB_VAL(key), so any lookup that finds a key can check what it read.
 *
 * The map behind the operations (workload.variant):
 *   unsafe, fenced, atomic, locked, rwmutex  one map of that variant
 *                                             (hmap.h);
 *   sharded  workload.shards maps behind an RWMutex each, a key's shard
 *            picked by a hash of its own (as concurrent-map packages do);
 *   cow      copy-on-write: readers load an atomic pointer (acquire) to an
 *            immutable map; a writer takes a spinlock, copies the map
 *            into a new one, changes it and publishes it (release).  Old
 *            maps are never reused (Go's GC would reclaim them), so the
 *            arena holds a copy per expected write;
 *   syncmap  Go's sync.Map (syncmap.h), preloaded and promoted, so lookups
 *            of preloaded keys start lock-free as in a warmed-up program.
 * The map is made with room for every key, so it never grows during a run.
 *
 * What a run measures (mapbench.* metrics; cycles in the simulator,
 * nanoseconds natively): operations per thousand cycles over the run's
 * simulated time; each operation's latency, from the thread's clock
 * before the call to after it, as median and P99 overall and per kind;
 * the memory system's invalidations (lines a core lost to another's
 * write: an Inv to a sharer, or a forwarded GetM taking an owned line),
 * messages and L1 misses per operation; the time spent acquiring locks
 * per operation.
 *
 * And what must not happen, the outcome of each iteration: lost (a lookup
 * of a stable key missed it or read another value) and concurrent (an
 * operation caught Go's hashWriting: "concurrent map read and map write",
 * fatal in Go).  A safe variant shows neither.
 */
#ifndef MMSIM_WORKLOADS_MAPBENCH_H
#define MMSIM_WORKLOADS_MAPBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sim/config.h"
#include "../sim/hist.h"
#include "../sim/metrics.h"
#include "hmap.h"
#include "scenario.h"
#include "syncmap.h"

#define MB_MAX_THREADS 64
#define MB_VAL(key) ((key) * 7 + 1)

typedef enum { MB_READ, MB_WRITE, MB_DELETE, MB_NKINDS } mb_kind;
extern const char *const mb_kind_name[MB_NKINDS];

typedef struct mb_params {
  hmap_variant variant; /* of every map (rwmutex when sharded, unsafe under cow) */
  bool sharded, cow, syncm;
  const char *variant_name;
  unsigned threads, keys, shards, stride;
  uint64_t ops;             /* per thread per iteration */
  double mix[MB_NKINDS];    /* cumulative: read, read+write, 1 */
  double zipf;
  uint64_t seed, hash0;
  /* Key choice: cumulative weights of all keys (reads) and of the churn
   * keys (writes, deletes); NULL when uniform.  Owned. */
  double *cdf_all, *cdf_churn;
} mb_params;

/* The parameters of c's run; errors name the key. */
int mb_params_from_cfg(const cfg *c, mb_params *p, sim_err *err);
void mb_params_free(mb_params *p);

/* One instance: the maps in an arena. */
typedef struct mb_inst {
  const mb_params *prm;
  wl_arena arena;
  unsigned nmaps;
  hmap *maps; /* nmaps handles, host-side (cow: the first version's) */
  uint64_t *cow_ptr, *cow_lock; /* cow: the current map's header, the writers' lock */
  syncmap sm;                   /* syncmap */
} mb_inst;

size_t mb_arena_bytes(const mb_params *p);
/* Build the maps and preload them in [base, base+size) through setup
 * (before the threads start); HMAP_OK or HMAP_ENOMEM. */
int mb_inst_setup(mb_inst *x, const mb_params *p, uint8_t *base, size_t size,
                  mem_port *setup);
void mb_inst_free(mb_inst *x);

/* One thread's tallies: host memory, private to the thread. */
typedef struct mb_stats {
  uint64_t ops[MB_NKINDS];
  uint64_t lost, concurrent, enomem;
  uint64_t lock_wait;
  uint32_t *lat[MB_NKINDS]; /* each operation's latency, by kind */
  size_t nlat[MB_NKINDS], cap[MB_NKINDS];
} mb_stats;

/* Thread tid's operations of iteration `iteration`.  Returns 0, or
 * HMAP_ENOMEM when the arena is exhausted (counted, and the thread stops). */
int mb_thread(const mb_inst *x, mem_port *p, unsigned tid, uint64_t iteration, mb_stats *st);

/* Sum src into dst (latencies appended: percentiles ignore order). */
void mb_stats_absorb(mb_stats *dst, const mb_stats *src);
void mb_stats_free(mb_stats *s);
uint64_t mb_stats_ops(const mb_stats *s);

/* The iteration's outcome {lost > 0, concurrent > 0} and its anomaly. */
#define MB_NOBS 2
extern const char *const mb_obs_name[MB_NOBS];
const char *mb_classify(const int64_t *o);

/* mapbench.* from the stats (the latency arrays get sorted).  Simulated
 * (native false): time is the run's simulated cycles, and the machine's
 * metrics already in m (net.msgs, l1.*) give the per-operation coherence
 * costs.  Native: time is the host nanoseconds the threads ran, and the
 * figures are mapbench.ops_per_s, mapbench.p50_ns, ... (no coherence
 * counters on a real machine). */
void mb_metrics(sim_metrics *m, mb_stats *s, uint64_t time, bool native);

#endif
