/* sim/machine.c -- see machine.h. */
#include "machine.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cache/array.h"
#include "../cache/mesi.h"
#include "../cpu/trace.h"
#include "../workloads/mem_sim.h"
#include "rng.h"

/* The memory system's messages into a trace (sim_machine_trace). */
typedef struct msg_tap {
  sim_engine *sim;
  cpu_trace *trace;
} msg_tap;

struct sim_machine {
  sim_engine sim;
  msg_tap tap;
  memsys *mem;
  unsigned ncores, nthreads;
  cpu_core **cores;
  mem_sim_port *ports;
  uint8_t *data;
  size_t size, used;
  uint64_t seed, start_skew, max_cycles, cycles;
  uint64_t iteration_name, skew_name, timing_name; /* sim_name_hash of the streams' names */
  uint64_t *skew;   /* this iteration's start skew per thread */
  bool skew_later;  /* the workload applies skew itself (sim_machine_skew_later) */
  bool warm; /* cache.initial = random */
};

static bool pow2(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

/* "8.0 GiB" */
static const char *size_text(uint64_t b, char *buf, size_t n) {
  static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = (double)b;
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, u++;
  snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
  return buf;
}

/* sim.memory_limit, 0 resolved to half of the host's physical memory. */
static uint64_t memory_limit(const cfg *c) {
  int64_t lim = cfg_int(c, CK_SIM_MEMORY_LIMIT);
  if (lim > 0) return (uint64_t)lim;
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return UINT64_MAX; /* unknown: no budget */
  return (uint64_t)pages * (uint64_t)page / 2;
}

/* What the caches' arrays of a `cores`-core machine can touch
 * (cache/array.h), per level: l1 and l2 per core, the LLC in all. */
typedef struct hier_bytes { uint64_t l1, l2, llc, total; } hier_bytes;

static hier_bytes hierarchy_bytes(const cfg *c, unsigned cores) {
  uint64_t lb = (uint64_t)cfg_int(c, CK_CACHE_LINE_BYTES);
  hier_bytes h;
  h.l1 = cache_array_bytes((uint64_t)cfg_int(c, CK_CACHE_L1_SETS),
                           (uint64_t)cfg_int(c, CK_CACHE_L1_WAYS), lb);
  h.l2 = cfg_int(c, CK_CACHE_L2_SETS) ? cache_array_bytes((uint64_t)cfg_int(c, CK_CACHE_L2_SETS),
                                                           (uint64_t)cfg_int(c, CK_CACHE_L2_WAYS), lb)
                                      : 0;
  h.llc = cache_array_bytes((uint64_t)cfg_int(c, CK_CACHE_LLC_SETS),
                            (uint64_t)cfg_int(c, CK_CACHE_LLC_WAYS), lb); /* banks split the sets */
  h.total = (uint64_t)cores * (h.l1 + h.l2) + h.llc;
  return h;
}

/* The caches' arrays against sim.memory_limit, before any is allocated: a
 * shape inside every key's range can still ask for terabytes (64 cores of
 * 1M-set x 64-way L2s), and the OOM killer is no error message.  Names
 * the largest level. */
static int check_budget(const cfg *c, unsigned cores, sim_err *err) {
  hier_bytes h = hierarchy_bytes(c, cores);
  uint64_t limit = memory_limit(c);
  char need[32], lim[32], all[32];
  if (h.total <= limit) return 0;
  const char *keys = "cache.llc.sets and cache.llc.ways", *what = "the shared LLC";
  uint64_t big = h.llc;
  if ((uint64_t)cores * h.l2 > big) {
    big = (uint64_t)cores * h.l2;
    keys = "cache.l2.sets and cache.l2.ways", what = "the private L2s";
  }
  if ((uint64_t)cores * h.l1 > big) {
    big = (uint64_t)cores * h.l1;
    keys = "cache.l1.sets and cache.l1.ways", what = "the private L1s";
  }
  return cfg_errf(c, err, SIM_ECONFIG, CK_SIM_MEMORY_LIMIT,
                  "the cache hierarchy needs %s (%s, %s: %s across %u cores), more than the "
                  "limit of %s%s; make the caches smaller or raise sim.memory_limit",
                  size_text(h.total, all, sizeof all), what, keys, size_text(big, need, sizeof need),
                  cores, size_text(limit, lim, sizeof lim),
                  cfg_int(c, CK_SIM_MEMORY_LIMIT) ? "" : " (half of this host's memory)");
}

unsigned sim_machine_fit_jobs(const cfg *c, unsigned nthreads, unsigned jobs) {
  unsigned cores = (unsigned)cfg_int(c, CK_CPU_CORES);
  if (cores < nthreads) cores = nthreads;
  if (strcmp(cfg_str(c, CK_MEMORY_KIND), "ideal") == 0) return jobs;
  uint64_t total = hierarchy_bytes(c, cores).total, limit = memory_limit(c);
  uint64_t fit = total ? limit / total : jobs;
  return fit < 1 ? 1 : fit < jobs ? (unsigned)fit : jobs;
}

memsys *sim_memsys_new(const cfg *c, unsigned cores, uint8_t *data, size_t size, sim_err *err) {
  memsys *m;
  if (strcmp(cfg_str(c, CK_MEMORY_KIND), "ideal") == 0) {
    memsys_params mp = {cores, (uint64_t)cfg_int(c, CK_MEMORY_LATENCY),
                        (uint64_t)cfg_int(c, CK_NET_JITTER)};
    if (!(m = memsys_ideal_new(&mp, data, size)))
      sim_errf(err, SIM_ENOMEM, "out of memory building the memory system");
    return m;
  }
  static const cfg_key_id must_pow2[] = {CK_CACHE_LINE_BYTES, CK_CACHE_L1_SETS,
                                         CK_CACHE_L2_SETS, CK_CACHE_LLC_SETS};
  for (size_t i = 0; i < sizeof must_pow2 / sizeof *must_pow2; i++) {
    int64_t v = cfg_int(c, must_pow2[i]);
    if (!pow2(v) && !(must_pow2[i] == CK_CACHE_L2_SETS && v == 0)) {
      sim_errf(err, SIM_ECONFIG, "%s: %" PRId64 " is not a power of two",
               cfg_key_at(must_pow2[i])->path, v);
      return NULL;
    }
  }
#define LEVEL(L) {(unsigned)cfg_int(c, CK_CACHE_##L##_SETS), (unsigned)cfg_int(c, CK_CACHE_##L##_WAYS), \
                  (uint64_t)cfg_int(c, CK_CACHE_##L##_LATENCY)}
  mesi_params p = {
      .cores = cores, .line_bytes = (unsigned)cfg_int(c, CK_CACHE_LINE_BYTES),
      .l1 = LEVEL(L1), .l2 = LEVEL(L2), .llc = LEVEL(LLC),
      .llc_banks = (unsigned)cfg_int(c, CK_CACHE_LLC_BANKS),
      .mem_latency = (uint64_t)cfg_int(c, CK_MEMORY_LATENCY),
      .net_latency = (uint64_t)cfg_int(c, CK_NET_LATENCY),
      .net_jitter = (uint64_t)cfg_int(c, CK_NET_JITTER),
      .link_cycles = (uint64_t)cfg_int(c, CK_NET_LINK_CYCLES),
      .check = cfg_int(c, CK_CACHE_CHECK) != 0,
  };
  if (cpu_model_table[cpu_model_find(cfg_str(c, CK_CPU_MODEL))].invalidate_queue) { /* weak, arm */
    p.iq_entries = (unsigned)cfg_int(c, CK_CPU_IQ_ENTRIES);
    p.iq_delay = (uint64_t)cfg_int(c, CK_CPU_IQ_DELAY);
  }
#undef LEVEL
  if (check_budget(c, cores, err)) return NULL;
  return memsys_mesi_new(&p, data, size, err);
}

sim_machine *sim_machine_new(const cfg *c, unsigned nthreads, size_t mem_bytes, sim_err *err) {
  unsigned cores = (unsigned)cfg_int(c, CK_CPU_CORES);
  if (cores == 0) cores = nthreads;
  if (cores < nthreads) {
    sim_errf(err, SIM_ECONFIG, "cpu.cores: %u is fewer than the workload's %u threads", cores,
             nthreads);
    return NULL;
  }
  int model = cpu_model_find(cfg_str(c, CK_CPU_MODEL));
  cpu_params cp = {
      .model = (cpu_model)model,
      .sb_entries = (unsigned)cfg_int(c, CK_CPU_SB_ENTRIES),
      .sb_in_flight = (unsigned)cfg_int(c, CK_CPU_SB_IN_FLIGHT),
      .line_bytes = (unsigned)cfg_int(c, CK_CACHE_LINE_BYTES),
      .order_addr_deps = cfg_int(c, CK_CPU_ORDER_ADDR_DEPS) != 0,
      .drain_delay = (uint64_t)cfg_int(c, CK_CPU_SB_DRAIN_DELAY),
      .issue_cycles = (uint64_t)cfg_int(c, CK_CPU_ISSUE_CYCLES),
      .forward_cycles = (uint64_t)cfg_int(c, CK_CPU_FORWARD_CYCLES),
      .issue_gap = (uint64_t)cfg_int(c, CK_CPU_ISSUE_GAP),
      .stall_every = (uint64_t)cfg_int(c, CK_CPU_STALL_EVERY),
      .stall_cycles = (uint64_t)cfg_int(c, CK_CPU_STALL_CYCLES),
      .drain_jitter = (uint64_t)cfg_int(c, CK_CPU_SB_DRAIN_JITTER),
      .ooo_window = (unsigned)cfg_int(c, CK_CPU_OOO_WINDOW),
  };
  sim_machine *m = calloc(1, sizeof *m);
  if (!m) goto nomem;
  sim_engine_init(&m->sim);
  m->sim.fast_forward = cfg_int(c, CK_RUN_FAST_FORWARD) != 0;
  m->ncores = cores;
  m->nthreads = nthreads;
  m->seed = (uint64_t)cfg_int(c, CK_RUN_SEED);
  m->iteration_name = sim_name_hash("iteration");
  m->skew_name = sim_name_hash("run.start_skew");
  m->timing_name = sim_name_hash("cpu.timing");
  m->start_skew = (uint64_t)cfg_int(c, CK_RUN_START_SKEW);
  m->max_cycles = (uint64_t)cfg_int(c, CK_RUN_MAX_CYCLES);
  m->warm = strcmp(cfg_str(c, CK_CACHE_INITIAL), "random") == 0;
  m->size = mem_bytes;
  m->data = aligned_alloc(64, (mem_bytes + 63) & ~(size_t)63);
  m->cores = calloc(cores, sizeof *m->cores);
  m->ports = calloc(cores, sizeof *m->ports);
  m->skew = calloc(cores, sizeof *m->skew);
  if (!m->data || !m->cores || !m->ports || !m->skew) goto nomem;
  memset(m->data, 0, mem_bytes);
  m->mem = sim_memsys_new(c, cores, m->data, mem_bytes, err);
  if (!m->mem) {
    sim_machine_free(m);
    return NULL;
  }
  for (unsigned i = 0; i < cores; i++) {
    m->cores[i] = cpu_core_new(i, &cp, &m->sim, m->mem);
    if (!m->cores[i]) goto nomem;
    mem_sim_port_init(&m->ports[i], i, m->cores[i], m->data,
                      (unsigned)cfg_int(c, CK_CPU_ATOMIC_WIDTH),
                      (unsigned)cfg_int(c, CK_CACHE_LINE_BYTES));
  }
  return m;
nomem:
  sim_machine_free(m);
  sim_errf(err, SIM_ENOMEM, "out of memory building a %u-core machine", cores);
  return NULL;
}

void sim_machine_free(sim_machine *m) {
  if (!m) return;
  if (m->cores)
    for (unsigned i = 0; i < m->ncores; i++) cpu_core_free(m->cores[i]);
  if (m->mem) m->mem->ops->free(m->mem);
  free(m->cores);
  free(m->ports);
  free(m->skew);
  free(m->data);
  sim_engine_free(&m->sim);
  free(m);
}

void *sim_machine_alloc(sim_machine *m, size_t size, size_t align) {
  size_t at = (m->used + align - 1) & ~(align - 1);
  if (at + size > m->size) return NULL;
  m->used = at + size;
  return m->data + at;
}

uint8_t *sim_machine_mem(sim_machine *m) { return m->data; }

uint64_t sim_machine_peek(sim_machine *m, const void *addr, unsigned size) {
  return m->mem->ops->peek(m->mem, sim_machine_addr(m, addr), size);
}

mem_port *sim_machine_port(sim_machine *m, unsigned tid) { return &m->ports[tid].base; }

static void trace_msg(void *ctx, unsigned src, unsigned dst, const char *type, uint64_t line,
                      uint64_t arrival) {
  msg_tap *tap = ctx;
  trace_ev *e = cpu_trace_add(tap->trace);
  if (!e) return;
  e->kind = TRACE_MSG;
  e->cycle = sim_now(tap->sim);
  e->at = arrival;
  e->core = src;
  e->dst = (uint16_t)dst;
  e->msg = type;
  e->addr = line;
}

static void trace_cell(void *ctx, unsigned node, const char *state, const char *event,
                       const char *next, uint64_t line) {
  msg_tap *tap = ctx;
  trace_ev *e = cpu_trace_add(tap->trace);
  if (!e) return;
  e->kind = TRACE_CELL;
  e->cycle = e->at = sim_now(tap->sim);
  e->core = node;
  e->msg = state;
  e->event = event;
  e->next = next;
  e->addr = line;
}

void sim_machine_trace(sim_machine *m, cpu_trace *t, bool messages) {
  for (unsigned i = 0; i < m->ncores; i++) cpu_core_set_trace(m->cores[i], t);
  if (!m->mem->ops->observe) return;
  m->tap = (msg_tap){&m->sim, t};
  bool on = t && messages;
  m->mem->ops->observe(m->mem, on ? trace_msg : NULL, on ? &m->tap : NULL);
  if (m->mem->ops->observe_cells)
    m->mem->ops->observe_cells(m->mem, on ? trace_cell : NULL, on ? &m->tap : NULL);
}

uint64_t sim_machine_addr(const sim_machine *m, const void *addr) {
  return (uint64_t)((const uint8_t *)addr - m->data);
}

static bool all_quiet(const sim_machine *m) {
  for (unsigned i = 0; i < m->nthreads; i++)
    if (!cpu_core_quiet(m->cores[i])) return false;
  return true;
}

int sim_machine_iteration(sim_machine *m, uint64_t k, cpu_entry entry, void *arg,
                          sim_err *err) {
  uint64_t iter_seed = sim_seed_derive_h(m->seed, m->iteration_name, k);
  sim_rng skew;
  sim_rng_derive_h(&skew, iter_seed, m->skew_name, 0);
  sim_engine_reset(&m->sim);
  m->mem->ops->reset(m->mem, iter_seed);
  if (m->warm) m->mem->ops->warm(m->mem, 0, m->used, iter_seed);
  for (unsigned i = 0; i < m->nthreads; i++) {
    m->skew[i] = sim_rng_upto(&skew, m->start_skew);
    cpu_core_seed(m->cores[i], iter_seed, m->timing_name);
    cpu_core_start(m->cores[i], entry, arg, i, m->skew_later ? 0 : m->skew[i]);
  }
  size_t left = sim_run(&m->sim, m->max_cycles);
  m->cycles += m->sim.now;
  if (m->mem->fault.code) {
    int n = sim_errf(err, SIM_EVIOLATION, "iteration %" PRIu64 " (run.seed %" PRIu64 "): %s", k,
                     m->seed, m->mem->fault.msg);
    m->mem->ops->quiesce(m->mem);
    sim_engine_reset(&m->sim);
    return n;
  }
  if (left || !all_quiet(m)) { /* MA2 */
    char buf[512];
    int n = sim_errf(err, SIM_EVIOLATION,
                     "iteration %" PRIu64 ": no end after %" PRIu64 " cycles (run.max_cycles); %s",
                     k, m->max_cycles, cpu_core_str(m->cores[0], buf, sizeof buf));
    m->mem->ops->quiesce(m->mem);
    sim_engine_reset(&m->sim); /* abandoned coroutines restart next time */
    return n;
  }
  m->mem->ops->quiesce(m->mem); /* memory holds every value again (memsys.h) */
  return 0;
}

uint64_t sim_machine_cycles(const sim_machine *m) { return m->cycles; }
uint64_t sim_machine_now(const sim_machine *m) { return m->sim.now; }

void sim_machine_absorb(sim_machine *m, const sim_machine *src) {
  m->cycles += src->cycles;
  for (unsigned i = 0; i < m->ncores; i++) cpu_core_absorb(m->cores[i], src->cores[i]);
  m->mem->ops->absorb(m->mem, src->mem);
}
unsigned sim_machine_nthreads(const sim_machine *m) { return m->nthreads; }

void sim_machine_skew_later(sim_machine *m) { m->skew_later = true; }

uint64_t sim_machine_skew(const sim_machine *m, unsigned tid) { return m->skew[tid]; }

uint64_t sim_machine_mem_uops(const sim_machine *m) {
  uint64_t n = 0;
  for (unsigned i = 0; i < m->ncores; i++) {
    const cpu_counters *c = cpu_core_counters(m->cores[i]);
    n += c->loads + c->stores + c->rmws;
  }
  return n;
}

void sim_machine_metrics(sim_machine *m, sim_metric_fn fn, void *ctx) {
  cpu_counters sum = {0};
  for (unsigned i = 0; i < m->ncores; i++) {
    const cpu_counters *c = cpu_core_counters(m->cores[i]);
#define X(n, d) sum.n += c->n;
    CPU_COUNTERS(X)
#undef X
    for (int k = 0; k < CPU_NREORDERS; k++) sum.reorder[k] += c->reorder[k];
  }
#define X(n, d) fn(ctx, "cpu." #n, (double)sum.n);
  CPU_COUNTERS(X)
#undef X
  uint64_t mem_uops = sum.loads + sum.stores + sum.rmws;
  static const char *const kind[] = {
#define X(k) #k,
      CPU_REORDERS(X)
#undef X
  };
  for (int k = 0; k < CPU_NREORDERS; k++) {
    char key[64];
    double n = (double)sum.reorder[k];
    snprintf(key, sizeof key, "reorder.%s", kind[k]);
    fn(ctx, key, n);
    snprintf(key, sizeof key, "reorder.%s.per_kop", kind[k]);
    fn(ctx, key, mem_uops ? 1000.0 * n / (double)mem_uops : 0.0);
    for (unsigned t = 0; t < m->nthreads; t++) { /* per thread: thread t runs on core t */
      snprintf(key, sizeof key, "reorder.%s.t%u", kind[k], t);
      fn(ctx, key, (double)cpu_core_counters(m->cores[t])->reorder[k]);
    }
  }
  fn(ctx, "sim.cycles", (double)m->cycles);
  m->mem->ops->metrics(m->mem, fn, ctx);
}
