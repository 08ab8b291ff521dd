/* sim/cfg_keys.h -- the rows of the configuration: every key the simulator
 * reads, with its type, range, default and one-line doc.
 *
 * Only data lives here, so that adding a key is one row in one place;
 * sim/config.h builds the cfg_key_id enum from it and sim/cfg_keys.c the
 * table that checks and prints it.  Include sim/config.h, not this file.
 *
 * Timing defaults: net.jitter (32) and run.start_skew (32) are of the order
 * of memory.latency (20), as on hardware where a miss's latency varies by
 * as much as it costs and threads leave a barrier tens of cycles apart.
 * With less jitter the simulated machine is too regular: R's relaxed outcome
 * (a store held in one buffer while the other core drains two) needs one
 * drain to take longer than two others, and never appears with jitter 8.
 */
#ifndef MMSIM_SIM_CFG_KEYS_H
#define MMSIM_SIM_CFG_KEYS_H

#include <stdint.h>

typedef enum { CFG_INT, CFG_REAL, CFG_BOOL, CFG_STR, CFG_ENUM } cfg_type;

/* X(id, "dotted.path", type, min, max, default, "enum|choices", "doc")
 * min/max bound CFG_INT and CFG_REAL; default is a string parsed as the type;
 * choices are '|'-separated for CFG_ENUM and NULL otherwise. */
#define CFG_KEYS(X)                                                                  \
  X(CPU_MODEL, "cpu.model", CFG_ENUM, 0, 0, "tso", "sc|tso|pso|weak|arm",            \
    "memory model of every core")                                                    \
  X(CPU_CORES, "cpu.cores", CFG_INT, 0, 64, "0", NULL,                               \
    "number of cores; 0 = one per workload thread")                                  \
  X(CPU_SB_ENTRIES, "cpu.store_buffer.entries", CFG_INT, 1, 1024, "16", NULL,        \
    "store-buffer capacity per core (ignored under sc)")                             \
  X(CPU_SB_DRAIN_DELAY, "cpu.store_buffer.drain_delay", CFG_INT, 0, 100000, "2", NULL, \
    "cycles a store waits at the head of the buffer before it starts to drain")      \
  X(CPU_SB_IN_FLIGHT, "cpu.store_buffer.in_flight", CFG_INT, 1, 1024, "4", NULL,     \
    "pso/weak: store-buffer misses in flight at once (stores that hit may drain beyond)") \
  X(CPU_OOO_WINDOW, "cpu.ooo.window", CFG_INT, 1, 256, "32", NULL,                 \
    "arm: loads in flight at once that the thread has not waited for")              \
  X(CPU_IQ_ENTRIES, "cpu.invalidate_queue.entries", CFG_INT, 1, 1024, "8", NULL,     \
    "invalidate-queue capacity per core (weak, arm); full: the oldest is applied")   \
  X(CPU_IQ_DELAY, "cpu.invalidate_queue.delay", CFG_INT, 0, 100000, "100", NULL,     \
    "weak, arm: cycles from an Inv's arrival until the queue applies it")                 \
  X(CPU_ATOMIC_WIDTH, "cpu.atomic_width", CFG_INT, 1, 8, "8", NULL,                  \
    "widest single-copy-atomic access in bytes (1, 2, 4 or 8)")                      \
  X(CPU_ISSUE_CYCLES, "cpu.issue_cycles", CFG_INT, 1, 1000, "1", NULL,              \
    "cycles to issue one micro-op")                                                  \
  X(CPU_FORWARD_CYCLES, "cpu.forward_cycles", CFG_INT, 0, 1000, "1", NULL,           \
    "cycles for a load satisfied by store-to-load forwarding")                       \
  X(CPU_ISSUE_GAP, "cpu.issue_gap", CFG_INT, 0, 100000, "0", NULL,                   \
    "front-end stalls: each micro-op issues up to this many cycles late (seeded)")   \
  X(CPU_STALL_EVERY, "cpu.stall.every", CFG_INT, 0, 1000000000, "0", NULL,           \
    "a long stall (DRAM, an interrupt) once in this many micro-ops on average; 0: none") \
  X(CPU_STALL_CYCLES, "cpu.stall.cycles", CFG_INT, 0, 10000000, "1000", NULL,        \
    "cycles of such a stall, up to (seeded, uniform from half of it)")               \
  X(CPU_SB_DRAIN_JITTER, "cpu.store_buffer.drain_jitter", CFG_INT, 0, 100000, "0", NULL, \
    "each store waits up to this many extra cycles before it may drain (seeded)")    \
  X(CPU_ORDER_ADDR_DEPS, "cpu.order_address_deps", CFG_BOOL, 0, 0, "true", NULL,    \
    "a load whose address came from an earlier load waits for it; false under weak: Alpha") \
  X(MEMORY_KIND, "memory.kind", CFG_ENUM, 0, 0, "mesi", "ideal|mesi",                \
    "memory below the cores: the MESI hierarchy, or ideal (one shared store)")       \
  X(MEMORY_LATENCY, "memory.latency", CFG_INT, 0, 100000, "20", NULL,                \
    "cycles for main memory (and the ideal memory) to serve an access")              \
  X(CACHE_LINE_BYTES, "cache.line_bytes", CFG_INT, 8, 4096, "64", NULL,              \
    "bytes per cache line, a power of two (mesi only)")                              \
  X(CACHE_L1_SETS, "cache.l1.sets", CFG_INT, 1, 65536, "64", NULL,                   \
    "sets of each core's L1, a power of two")                                        \
  X(CACHE_L1_WAYS, "cache.l1.ways", CFG_INT, 1, 64, "8", NULL,                       \
    "ways of each L1 set")                                                           \
  X(CACHE_L1_LATENCY, "cache.l1.latency", CFG_INT, 0, 100000, "1", NULL,             \
    "cycles for an L1 hit")                                                          \
  X(CACHE_L2_SETS, "cache.l2.sets", CFG_INT, 0, 1048576, "0", NULL,                  \
    "sets of each core's private L2, a power of two; 0 = no L2")                     \
  X(CACHE_L2_WAYS, "cache.l2.ways", CFG_INT, 1, 64, "8", NULL,                       \
    "ways of each L2 set")                                                           \
  X(CACHE_L2_LATENCY, "cache.l2.latency", CFG_INT, 0, 100000, "4", NULL,             \
    "extra cycles for an access that misses the L1 and hits the L2")                 \
  X(CACHE_LLC_SETS, "cache.llc.sets", CFG_INT, 1, 1048576, "1024", NULL,             \
    "sets of the shared last-level cache (with its directory), a power of two")      \
  X(CACHE_LLC_WAYS, "cache.llc.ways", CFG_INT, 1, 64, "16", NULL,                    \
    "ways of each LLC set")                                                          \
  X(CACHE_LLC_BANKS, "cache.llc.banks", CFG_INT, 1, 64, "1", NULL,                  \
    "LLC banks, lines interleaved, each with its own directory node (a power of two)") \
  X(CACHE_LLC_LATENCY, "cache.llc.latency", CFG_INT, 0, 100000, "10", NULL,          \
    "cycles for the LLC and its directory to serve a request")                       \
  X(NET_LATENCY, "net.latency", CFG_INT, 0, 100000, "4", NULL,                       \
    "base cycles for one interconnect message")                                      \
  X(NET_JITTER, "net.jitter", CFG_INT, 0, 100000, "32", NULL,                         \
    "extra cycles drawn uniformly from [0, jitter] per message (seeded)")            \
  X(NET_LINK_CYCLES, "net.link_cycles", CFG_INT, 0, 100000, "1", NULL,               \
    "cycles each message holds its link: 1 = one message per link per cycle")       \
  X(CACHE_INITIAL, "cache.initial", CFG_ENUM, 0, 0, "random", "random|memory",     \
    "where lines start each iteration: random (memory, shared or owned, seeded) or memory") \
  X(CACHE_CHECK, "cache.check", CFG_BOOL, 0, 0, "false", NULL,                       \
    "check the coherence invariants after every protocol step (slow; on in tests)")  \
  X(WORKLOAD_KIND, "workload.kind", CFG_ENUM, 0, 0, "litmus",                        \
    "litmus|map|mapbench|coherence-test",                                            \
    "what the threads run: a litmus test, a map race scenario, map throughput, the tester") \
  X(WORKLOAD_LITMUS, "workload.litmus", CFG_STR, 0, 0, "", NULL,                     \
    "litmus file, relative to the config file's folder")                             \
  X(WORKLOAD_LITMUS_HASH, "workload.litmus_hash", CFG_STR, 0, 0, "", NULL,          \
    "read-only: FNV-1a 64 of the litmus file's text, so editing the file changes the " \
    "config hash and a sweep reruns; \"\" when no file is named or it cannot be read") \
  X(WORKLOAD_SC_MAX_STATES, "workload.sc_max_states", CFG_INT, 1, 1000000000, "4000000", NULL, \
    "litmus: states the SC reference search may visit; past it (or 1 GiB) the run's non-SC " \
    "rate is stored as unknown (NULL), with a warning")                              \
  X(WORKLOAD_SCENARIO, "workload.scenario", CFG_STR, 0, 0, "", NULL,                 \
    "map scenario name")                                                             \
  X(WORKLOAD_VARIANT, "workload.variant", CFG_ENUM, 0, 0, "unsafe",                  \
    "unsafe|fenced|atomic|locked|rwmutex|sharded|cow|syncmap",                       \
    "map variant (mapbench only: sharded, workload.shards maps behind an RWMutex each; "  \
    "cow, copy-on-write behind an atomic pointer; syncmap, Go's sync.Map)")         \
  X(WORKLOAD_THREADS, "workload.threads", CFG_INT, 1, 64, "2", NULL,                 \
    "threads of a map scenario or of mapbench, one per simulated core")             \
  X(WORKLOAD_OPS, "workload.ops", CFG_INT, 1, 1000000000, "10000", NULL,            \
    "coherence-test: requests per iteration (one tester run on a fresh memory); "   \
    "mapbench: map operations per thread per iteration")                            \
  X(WORKLOAD_OUTSTANDING, "workload.outstanding", CFG_INT, 1, 64, "2", NULL,         \
    "coherence-test: requests each core keeps in flight")                            \
  X(WORKLOAD_KEYS, "workload.keys", CFG_INT, 0, 1048576, "0", NULL,                 \
    "map scenarios: background keys preloaded outside the hot bucket; mapbench: the "  \
    "key space (at least 2; 0 means 1024), half of it preloaded and only read")        \
  X(WORKLOAD_MIX_READ, "workload.mix.read", CFG_REAL, 0, 1, "0.9", NULL,             \
    "mapbench: the fraction of operations that are lookups")                         \
  X(WORKLOAD_MIX_WRITE, "workload.mix.write", CFG_REAL, 0, 1, "0.09", NULL,          \
    "mapbench: the fraction that assign (read + write + delete must be 1)")          \
  X(WORKLOAD_MIX_DELETE, "workload.mix.delete", CFG_REAL, 0, 1, "0.01", NULL,        \
    "mapbench: the fraction that delete")                                             \
  X(WORKLOAD_ZIPF, "workload.zipf", CFG_REAL, 0, 5, "0", NULL,                       \
    "mapbench: key popularity, 0 uniform, s > 0 Zipf with exponent s (key 0 hottest)") \
  X(WORKLOAD_SHARDS, "workload.shards", CFG_INT, 1, 1024, "64", NULL,                \
    "mapbench, variant sharded: maps, each behind its own RWMutex; a key's hash picks one") \
  X(WORKLOAD_STRIDE, "workload.stride", CFG_INT, 64, 4096, "64", NULL,               \
    "map scenarios: bytes between separately allocated objects (a power of two)")     \
  X(WORKLOAD_ROUNDS, "workload.rounds", CFG_INT, 1, 1000, "2", NULL,                 \
    "map scenarios: repetitions per thread where a scenario repeats (refcount-lost-update)") \
  X(RUN_ITERATIONS, "run.iterations", CFG_INT, 1, 10000000000LL, "10000", NULL,      \
    "iterations: executions from the initial state")                                 \
  X(RUN_SEED, "run.seed", CFG_INT, 0, INT64_MAX, "1", NULL,                          \
    "seed of every random stream of the run")                                        \
  X(RUN_START_SKEW, "run.start_skew", CFG_INT, 0, 100000, "32", NULL,                \
    "each thread starts after a delay drawn uniformly from [0, skew] cycles")        \
  X(RUN_MAX_CYCLES, "run.max_cycles", CFG_INT, 1000, INT64_MAX, "10000000", NULL,    \
    "an iteration still running after this many cycles is a deadlock (error)")       \
  X(RUN_CAUSES, "run.causes", CFG_BOOL, 0, 0, "false", NULL,                          \
    "litmus: trace every iteration and attribute each non-SC one to its mechanisms "   \
    "(metrics cause.KIND, as mmsim explain names them)")                              \
  X(RUN_FAST_FORWARD, "run.fast_forward", CFG_BOOL, 0, 0, "true", NULL,              \
    "skip events nobody else could interleave with (results are identical either way)") \
  X(NATIVE_MODE, "native.mode", CFG_ENUM, 0, 0, "barrier", "barrier|perpetual",       \
    "mmsim native: a spin barrier before every iteration, or none within a batch")    \
  X(NATIVE_BATCH, "native.batch", CFG_INT, 1, 100000, "100", NULL,                   \
    "mmsim native: instances built per batch (one barrier per batch in perpetual mode)") \
  X(NATIVE_START_SKEW, "native.start_skew", CFG_INT, 0, 100000, "0", NULL,           \
    "mmsim native: each thread spins U[0, skew] PAUSEs (seeded) before an iteration") \
  X(NATIVE_AFFINITY, "native.affinity", CFG_BOOL, 0, 0, "true", NULL,                \
    "mmsim native: pin thread i to CPU i mod the online CPUs")                        \
  X(SIM_MEMORY_LIMIT, "sim.memory_limit", CFG_INT, 0, INT64_MAX, "0", NULL,            \
    "bytes the cache hierarchy may allocate; a bigger one is refused before it runs. " \
    "0 = half of this host's physical memory (0, not the host's figure, is stored)")

#endif
