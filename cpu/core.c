/* cpu/core.c -- see core.h for the model; this file is its state machine. */
#include "core.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/err.h"
#include "../sim/rng.h"
#include "sb.h"
#include "trace.h"

typedef enum { W_RUN, W_SB_EMPTY, W_SB_SPACE, W_MEM, W_RETRY, W_DONE } core_wait;
static const char *const wait_name[] = {"RUN", "SB_EMPTY", "SB_SPACE", "MEM", "RETRY", "DONE"};

/* A load in the LQ (arm): in the memory system, its value going to *out. */
typedef struct lq_entry {
  mem_req req;
  uint64_t *out;
  bool *bound;
  uint32_t seq, tag; /* the uop's place in the thread, for reorders and traces */
  bool busy;
} lq_entry;

struct cpu_core {
  unsigned id, tid;
  cpu_params p;
  const cpu_model_info *model;
  bool ooo;         /* model->ooo_loads, one load nearer on every uop */
  sim_engine *sim;
  memsys *mem;
  cpu_thread *thread;
  cpu_entry entry;
  void *entry_arg;

  core_wait wait;
  bool issuing;     /* inside issue_uop(): completions must not recurse */
  bool skip;        /* the uop completed at skip_to with no event (step) */
  uint64_t skip_to;
  uop cur;          /* the uop in flight (CO1) */
  uint64_t result;  /* its value, read by the thread on resume */
  uint64_t old;     /* CAS: the value found */

  sb sb;
  unsigned in_flight;  /* SB entries in the memory system */
  uint32_t epoch;      /* store fences so far (SB3) */
  mem_req load_req;
  mem_req *drain_req;  /* one per SB slot */
  uint64_t last_load_at, last_store_at; /* perform times, for reorder events */

  cpu_trace *trace;    /* NULL: not tracing (trace.h) */
  uint32_t seq;        /* the thread's uops so far this iteration */
  uint32_t *slot_seq;  /* per SB slot: seq and tag of its store, when tracing (seq: always under arm) */
  uint32_t *slot_tag;
  uint8_t *slot_rel;   /* arm: per SB slot, a release store */
  unsigned rel_pending; /* arm: release stores not yet performed */

  lq_entry *lq;        /* arm: cpu.ooo.window entries */
  unsigned lq_busy;

  bool vary;           /* any timing variety (core.h) */
  sim_rng rng;         /* its draws */

  cpu_counters n;
};

static void step(cpu_core *c);
static void start_drains(cpu_core *c);
static bool acquires(mem_order o) {
  return o == MO_ACQUIRE || o == MO_ACQUIRE_PC || o == MO_SEQ_CST;
}

#if MMSIM_TRACE
/* --- Trace hooks (trace.h); called only when c->trace is set ------------ */

static trace_ev *trace_ev_new(cpu_core *c, trace_kind kind, uint32_t seq, uint32_t tag) {
  trace_ev *e = cpu_trace_add(c->trace);
  if (e) {
    e->kind = (uint8_t)kind;
    e->cycle = e->at = sim_now(c->sim);
    e->core = c->id;
    e->seq = seq;
    e->tag = tag;
  }
  return e;
}

static void trace_access(cpu_core *c, trace_kind kind, trace_src src, uint64_t at, uint64_t value,
                         uint64_t wrote) {
  trace_ev *e = trace_ev_new(c, kind, c->seq, c->cur.tag);
  if (!e) return;
  e->src = (uint8_t)src;
  e->at = at;
  e->addr = c->cur.addr;
  e->size = (uint8_t)c->cur.size;
  e->value = value;
  e->wrote = wrote;
}

/* SB entry i: entering the buffer (STORE) or performing (DRAIN). */
static void trace_sb(cpu_core *c, trace_kind kind, unsigned i) {
  const sb_entry *en = sb_at(&c->sb, i);
  unsigned slot = sb_slot(&c->sb, i);
  if (kind == TRACE_STORE) c->slot_seq[slot] = c->seq, c->slot_tag[slot] = c->cur.tag;
  trace_ev *e = trace_ev_new(c, kind, c->slot_seq[slot], c->slot_tag[slot]);
  if (!e) return;
  e->addr = en->addr;
  e->size = (uint8_t)en->size;
  e->value = en->value;
}

/* A load (a stale hit performed when its invalidation arrived, before
 * now) or an RMW/CAS (what it wrote: a failed CAS leaves the old value). */
static void trace_mem_done(cpu_core *c, const mem_req *r, uint64_t now) {
  if (r->kind == REQ_LOAD) {
    trace_access(c, TRACE_LOAD, r->perf_at < now ? TRACE_SRC_STALE : TRACE_SRC_MEM, r->perf_at,
                 r->value, 0);
    return;
  }
  uint64_t wrote = r->kind == REQ_RMW ? mem_rmw_apply(c->cur.op, r->value, c->cur.value)
                   : r->success       ? c->cur.value
                                      : r->value;
  trace_access(c, TRACE_RMW, TRACE_SRC_MEM, now, r->value, wrote);
}

/* An LQ load bound (arm): the uop is long gone from c->cur. */
static void trace_lq(cpu_core *c, const lq_entry *q) {
  trace_ev *e = trace_ev_new(c, TRACE_LOAD, q->seq, q->tag);
  if (!e) return;
  e->src = (uint8_t)TRACE_SRC_MEM;
  e->addr = q->req.addr;
  e->size = (uint8_t)q->req.size;
  e->value = q->req.value;
}

static void trace_simple(cpu_core *c, trace_kind kind) {
  trace_ev *e = trace_ev_new(c, kind, c->seq, c->cur.tag);
  if (e) e->fence = (uint8_t)c->cur.fence;
}
#endif

/* --- Thread side --------------------------------------------------------- */

static void thread_main(void *arg) {
  cpu_core *c = arg;
  c->entry(c->entry_arg, c->tid);
}

uint64_t cpu_core_exec(cpu_core *c, const uop *u, uint64_t *old) {
  c->cur = *u;
  cpu_thread_yield(c->thread); /* the core issues it; ev_resume brings us back */
  if (old) *old = c->old;
  return c->result;
}

/* --- Scheduler side ------------------------------------------------------ */

/* The thread runs (in zero simulated time) until its next uop, then issues. */
static void ev_resume(sim_engine *sim, void *ctx, uint64_t arg) {
  cpu_core *c = ctx;
  (void)sim, (void)arg;
  if (cpu_thread_resume(c->thread)) {
    c->wait = W_DONE;
    return;
  }
  c->n.uops++;
  c->seq++;
  step(c);
}

/* The uop has its value: the thread continues after `delay` cycles.  When
 * nothing else is due by then (sim_can_skip_to), no event is scheduled:
 * from issue_uop() the step loop moves time and resumes the thread; from a
 * memory callback (delay 0) the thread resumes at once, inside the event.
 * Otherwise a resume event is scheduled as usual.  Half of all events were
 * such resumptions. */
/* Extra cycles before the next uop issues (core.h, timing variety). */
static uint64_t issue_late(cpu_core *c) {
  uint64_t d = sim_rng_upto(&c->rng, c->p.issue_gap);
  if (c->p.stall_every && sim_rng_upto(&c->rng, c->p.stall_every - 1) == 0)
    d += c->p.stall_cycles / 2 + sim_rng_upto(&c->rng, c->p.stall_cycles - c->p.stall_cycles / 2);
  return d;
}

static void complete(cpu_core *c, uint64_t value, uint64_t delay) {
  c->result = value;
  c->wait = W_RUN;
  if (c->vary) delay += issue_late(c);
  uint64_t at = sim_now(c->sim) + delay;
  if (sim_can_skip_to(c->sim, at)) {
    if (c->issuing) {
      c->skip = true;
      c->skip_to = at;
      return;
    }
    if (delay == 0) {
      ev_resume(c->sim, c, 0);
      return;
    }
  }
  sim_schedule(c->sim, delay, ev_resume, c, 0, "core.resume");
}

/* A load performed at cycle `at` (now, or earlier for a stale IQ hit):
 * count the older uops it overtook (core.h, reorder accounting). */
static void load_performed(cpu_core *c, uint64_t at) {
  c->n.loads++;
  if (!sb_empty(&c->sb) || c->last_store_at > at) c->n.reorder[CPU_REORDER_store_load]++;
  if (c->last_load_at > at) c->n.reorder[CPU_REORDER_load_load]++;
  if (at > c->last_load_at) c->last_load_at = at;
}

/* --- The load queue (arm) ----------------------------------------------- */

/* Is an LQ load older than `seq` still unbound?  With addr/size: one that
 * overlaps those bytes. */
static bool lq_older(const cpu_core *c, uint32_t seq, uint64_t addr, unsigned size, bool any_addr) {
  if (!c->lq_busy) return false; /* the common case: a blocking thread's core */
  for (unsigned i = 0; i < c->p.ooo_window; i++) {
    const lq_entry *q = &c->lq[i];
    if (q->busy && q->seq < seq &&
        (any_addr || (q->req.addr < addr + size && addr < q->req.addr + q->req.size)))
      return true;
  }
  return false;
}

/* Has an SB store older than `seq` not performed?  (arm: the SB also holds
 * stores younger than an LQ load.) */
static bool sb_older(const cpu_core *c, uint32_t seq) {
  if (sb_empty(&c->sb)) return false;
  for (unsigned i = 0; i < sb_len(&c->sb); i++)
    if (sb_at(&c->sb, i)->state != SB_PERFORMED && c->slot_seq[sb_slot(&c->sb, i)] < seq) return true;
  return false;
}

/* A load of uop `seq` bound now (arm): count what it overtook. */
static void ooo_load_performed(cpu_core *c, uint32_t seq) {
  c->n.loads++;
  if (sb_older(c, seq)) c->n.reorder[CPU_REORDER_store_load]++;
  if (lq_older(c, seq, 0, 0, true)) c->n.reorder[CPU_REORDER_load_load]++;
}

/* The uop waits for a load to bind or a store to perform, then issues again. */
static bool retry(cpu_core *c) {
  c->wait = W_RETRY;
  return true;
}

static void wake_retry(cpu_core *c) {
  if (c->wait != W_RETRY) return;
  c->wait = W_RUN;
  step(c);
}

static void lq_done(sim_engine *sim, mem_req *r) {
  cpu_core *c = r->owner;
  (void)sim;
  lq_entry *q = (lq_entry *)r; /* req is the first member */
  ooo_load_performed(c, q->seq);
  CPU_TRACE(c, trace_lq(c, q));
  *q->out = r->value;
  *q->bound = true;
  q->busy = false;
  c->lq_busy--;
  wake_retry(c);
}

/* Send the current load into a free LQ entry (the caller checked there is one). */
static void lq_send(cpu_core *c) {
  lq_entry *q = c->lq;
  while (q->busy) q++;
  q->busy = true;
  c->lq_busy++;
  q->out = c->cur.out;
  q->bound = c->cur.bound;
  q->seq = c->seq;
  q->tag = c->cur.tag;
  mem_req *r = &q->req;
  r->kind = REQ_LOAD;
  r->excl = false;
  r->core = c->id;
  r->addr = c->cur.addr;
  r->size = c->cur.size;
  r->delay = 0;
  r->done = lq_done;
  r->owner = c;
  c->mem->ops->access(c->mem, c->sim, r);
}

/* What an arm uop waits for before it may issue (core.h); true: it waits. */
static bool ooo_waits(cpu_core *c, const uop *u) {
  switch (u->kind) {
  case UOP_LOAD:
    if (u->bound && c->lq_busy == c->p.ooo_window) return retry(c);
    if ((u->order == MO_ACQUIRE || u->order == MO_SEQ_CST) && c->rel_pending)
      return retry(c); /* RCsc: LDAR, not LDAPR */
    return lq_older(c, c->seq, u->addr, u->size, false) && retry(c);
  case UOP_STORE:
    if ((u->order == MO_RELEASE || u->order == MO_SEQ_CST) && c->lq_busy) return retry(c);
    return lq_older(c, c->seq, u->addr, u->size, false) && retry(c);
  case UOP_RMW:
  case UOP_CAS: return c->lq_busy && retry(c);
  case UOP_FENCE: return u->fence != MF_STORE && c->lq_busy && retry(c);
  case UOP_LQ_WAIT: return !*u->bound && retry(c);
  default: return false;
  }
}

/* Apply the invalidate queue (weak; a no-op where there is none). */
static void iq_apply(cpu_core *c) {
  if (!c->model->invalidate_queue) return;
  c->n.iq_applies++;
  CPU_TRACE(c, trace_simple(c, TRACE_IQ_APPLY));
  c->mem->ops->iq_apply(c->mem, c->sim, c->id);
}

static void mem_done(sim_engine *sim, mem_req *r) {
  cpu_core *c = r->owner;
  assert(c->wait == W_MEM);
  if (r->kind == REQ_LOAD) {
    if (c->ooo)
      ooo_load_performed(c, c->seq);
    else
      load_performed(c, r->perf_at);
  }
  CPU_TRACE(c, trace_mem_done(c, r, sim_now(sim)));
  if (acquires(c->cur.order)) iq_apply(c); /* later loads see what this one saw */
  if (r->kind == REQ_CAS) {
    c->old = r->value;
    complete(c, r->success, 0);
  } else {
    complete(c, r->value, 0);
  }
}

static void send(cpu_core *c, mem_req_kind kind) {
  mem_req *r = &c->load_req;
  r->kind = kind;
  r->core = c->id;
  r->addr = c->cur.addr;
  r->size = c->cur.size;
  r->value = c->cur.value;
  r->expected = c->cur.expected;
  r->op = c->cur.op;
  r->excl = c->cur.excl;
  r->delay = 0;
  r->done = mem_done;
  r->owner = c;
  c->wait = W_MEM;
  c->mem->ops->access(c->mem, c->sim, r);
}

/* Wait for the SB to empty before the current uop may go on. */
static bool must_drain_first(cpu_core *c) {
  if (sb_empty(&c->sb)) return false;
  c->wait = W_SB_EMPTY;
  c->n.sb_drain_waits++;
  return true;
}

static void issue_uop(cpu_core *c);

/* Issue the current uop, and go on with the thread for as long as each uop
 * completes with nothing else due in between: a loop, not a recursion. */
static void step(cpu_core *c) {
  for (;;) {
    c->skip = false;
    c->issuing = true;
    issue_uop(c);
    c->issuing = false;
    if (!c->skip) return;
    c->sim->now = c->skip_to;
    if (cpu_thread_resume(c->thread)) {
      c->wait = W_DONE;
      return;
    }
    c->n.uops++;
    c->seq++;
  }
}

/* Inlined twice by issue_uop, for in-order cores (ooo false: every arm
 * test folds away) and for arm. */
static inline __attribute__((always_inline)) void issue(cpu_core *c, const bool ooo) {
  const uop *u = &c->cur;
  uint64_t v;
  if (ooo && ooo_waits(c, u)) return;
  switch (u->kind) {
  case UOP_LOAD:
    if (c->model->loads_wait_for_stores && must_drain_first(c)) return;
    if (u->order == MO_CONSUME && c->p.order_addr_deps) iq_apply(c);
    if (u->excl) { /* LDXR: from memory, on a fresh line: a monitor on a
                      stale one would outlive the write that staled it */
      if (must_drain_first(c)) return;
      iq_apply(c);
      send(c, REQ_LOAD);
      return;
    }
    /* arm's LDAR is RCsc: it waited for older STLRs (ooo_waits), and must
     * not then read a line whose invalidation came before they performed. */
    if (ooo && (u->order == MO_ACQUIRE || u->order == MO_SEQ_CST)) iq_apply(c);
    switch (sb_forward(&c->sb, u->addr, u->size, &v)) {
    case SB_HIT:
      c->n.sb_forwards++;
      if (ooo)
        ooo_load_performed(c, c->seq);
      else
        load_performed(c, sim_now(c->sim));
      CPU_TRACE(c, trace_access(c, TRACE_LOAD, TRACE_SRC_SB, sim_now(c->sim), v, 0));
      if (acquires(u->order)) iq_apply(c);
      if (u->bound) *u->out = v, *u->bound = true;
      complete(c, v, c->p.forward_cycles);
      return;
    case SB_PARTIAL:
      must_drain_first(c);
      return;
    case SB_MISS:
      if (!u->bound) {
        send(c, REQ_LOAD);
        return;
      }
      lq_send(c);
      complete(c, 0, c->p.issue_cycles);
      return;
    }
    return;
  case UOP_STORE:
    if (sb_full(&c->sb)) {
      c->wait = W_SB_SPACE;
      c->n.sb_full_stalls++;
      return;
    }
    c->n.stores++;
    if (c->model->sb_out_of_order && (u->order == MO_RELEASE || u->order == MO_SEQ_CST))
      c->epoch++; /* a release: every older store performs first (SB3) */
    sb_push(&c->sb, u->addr, u->size, u->value, u->addr & ~(uint64_t)(c->p.line_bytes - 1),
            sim_now(c->sim) + c->p.drain_delay +
                (c->vary ? sim_rng_upto(&c->rng, c->p.drain_jitter) : 0),
            c->epoch);
    if (ooo) { /* its age and kind, for reorders and RCsc */
      unsigned slot = sb_slot(&c->sb, sb_len(&c->sb) - 1);
      c->slot_seq[slot] = c->seq;
      c->slot_rel[slot] = u->order == MO_RELEASE || u->order == MO_SEQ_CST;
      c->rel_pending += c->slot_rel[slot];
    }
    CPU_TRACE(c, trace_sb(c, TRACE_STORE, sb_len(&c->sb) - 1));
    start_drains(c);
    complete(c, 0, c->p.issue_cycles);
    return;
  case UOP_RMW:
  case UOP_CAS:
    if (must_drain_first(c)) return;
    c->n.rmws++;
    if (u->order == MO_SEQ_CST) iq_apply(c); /* and after, in mem_done */
    send(c, u->kind == UOP_RMW ? REQ_RMW : REQ_CAS);
    return;
  case UOP_FENCE:
    if (u->fence == MF_FULL && must_drain_first(c)) return;
    c->n.fences++;
    CPU_TRACE(c, trace_simple(c, TRACE_FENCE));
    if (u->fence == MF_STORE && c->model->sb_out_of_order) c->epoch++;
    if (u->fence != MF_STORE) iq_apply(c);
    complete(c, 0, c->p.issue_cycles);
    return;
  case UOP_WORK:
    complete(c, 0, u->value);
    return;
  case UOP_LQ_WAIT: /* ooo_waits let it through: the value is there */
    complete(c, 0, 0);
    return;
  case UOP_NKINDS:
    break;
  }
  sim_panic("core %u: uop kind %d at cycle %" PRIu64, c->id, (int)u->kind, sim_now(c->sim));
}

static void issue_uop(cpu_core *c) {
  if (c->ooo)
    issue(c, true);
  else
    issue(c, false);
}

/* --- Store buffer drain (CO2, SB1, SB3) --------------------------------- */

static void drain_done(sim_engine *sim, mem_req *r) {
  cpu_core *c = r->owner;
  (void)sim;
  unsigned slot = (unsigned)(r - c->drain_req), i = sb_age(&c->sb, slot);
  CPU_TRACE(c, trace_sb(c, TRACE_DRAIN, i));
  if (sb_performed(&c->sb, i)) c->n.reorder[CPU_REORDER_store_store]++;
  uint64_t now = sim_now(c->sim);
  if (c->ooo) {
    if (lq_older(c, c->slot_seq[slot], 0, 0, true)) c->n.reorder[CPU_REORDER_load_store]++;
    c->rel_pending -= c->slot_rel[slot];
    c->slot_rel[slot] = 0;
  } else if (c->last_load_at > now) {
    c->n.reorder[CPU_REORDER_load_store]++; /* never: core.h */
  }
  c->last_store_at = now;
  c->in_flight--;
  start_drains(c);
  if ((c->wait == W_SB_EMPTY && sb_empty(&c->sb)) || (c->wait == W_SB_SPACE && !sb_full(&c->sb)) ||
      c->wait == W_RETRY) {
    c->wait = W_RUN;
    step(c);
  }
}

/* Entry i goes to memory once its drain delay has passed; the request
 * carries that wait itself, which saves an event per store. */
static void send_entry(cpu_core *c, unsigned i) {
  sb_entry *e = sb_at(&c->sb, i);
  uint64_t now = sim_now(c->sim);
  mem_req *r = &c->drain_req[sb_slot(&c->sb, i)];
  e->state = SB_IN_FLIGHT;
  c->in_flight++;
  r->kind = REQ_STORE;
  r->excl = false;
  r->core = c->id;
  r->addr = e->addr;
  r->size = e->size;
  r->value = e->value;
  r->delay = e->ready_at > now ? e->ready_at - now : 0;
  r->done = drain_done;
  r->owner = c;
  c->mem->ops->access(c->mem, c->sim, r);
}

/* Send what the model lets go: tso the oldest entry alone, one at a time;
 * pso and weak every entry SB1 and SB3 allow, up to in_flight at once, and
 * beyond that the ones whose line the L1 holds in E or M (they will hit). */
static void start_drains(cpu_core *c) {
  sb *b = &c->sb;
  for (unsigned i = 0; i < sb_len(b); i++) {
    const sb_entry *e = sb_at(b, i);
    if (!c->model->sb_out_of_order) {
      if (e->state == SB_PERFORMED) continue;
      if (e->state == SB_WAITING) send_entry(c, i);
      return;
    }
    if (e->state != SB_WAITING || !sb_may_send(b, i)) continue;
    if (c->in_flight >= c->p.sb_in_flight && !c->mem->ops->holds(c->mem, c->id, e->addr))
      continue;
    send_entry(c, i);
  }
}

/* --- Lifetime ------------------------------------------------------------ */

cpu_core *cpu_core_new(unsigned id, const cpu_params *p, sim_engine *sim, memsys *mem) {
  cpu_core *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->id = id;
  c->p = *p;
  c->vary = p->issue_gap || p->stall_every || p->drain_jitter;
  c->model = &cpu_model_table[p->model];
  c->ooo = c->model->ooo_loads;
  c->sim = sim;
  c->mem = mem;
  c->wait = W_DONE;
  c->thread = cpu_thread_new(64 * 1024);
  c->drain_req = calloc(p->sb_entries, sizeof *c->drain_req);
  c->slot_seq = calloc(p->sb_entries, sizeof *c->slot_seq);
  c->slot_tag = calloc(p->sb_entries, sizeof *c->slot_tag);
  c->slot_rel = calloc(p->sb_entries, sizeof *c->slot_rel);
  c->lq = c->ooo ? calloc(p->ooo_window ? p->ooo_window : 1, sizeof *c->lq) : NULL;
  if (!c->thread || !c->drain_req || !c->slot_seq || !c->slot_tag || !c->slot_rel ||
      (c->ooo && !c->lq) ||
      !sb_init(&c->sb, p->sb_entries)) {
    cpu_core_free(c);
    return NULL;
  }
  return c;
}

void cpu_core_free(cpu_core *c) {
  if (!c) return;
  cpu_thread_free(c->thread);
  sb_free(&c->sb);
  free(c->drain_req);
  free(c->slot_seq);
  free(c->slot_tag);
  free(c->slot_rel);
  free(c->lq);
  free(c);
}

void cpu_core_start(cpu_core *c, cpu_entry entry, void *arg, unsigned tid, uint64_t delay) {
  sb_clear(&c->sb);
  c->in_flight = 0;
  c->epoch = 0;
  c->rel_pending = 0;
  if (c->ooo) memset(c->slot_rel, 0, c->p.sb_entries);
  c->last_load_at = c->last_store_at = 0;
  c->seq = 0;
  c->entry = entry;
  c->entry_arg = arg;
  c->tid = tid;
  c->wait = W_RUN;
  cpu_thread_start(c->thread, thread_main, c);
  if (c->vary) delay += issue_late(c); /* the first uop may be late too */
  sim_schedule(c->sim, delay, ev_resume, c, 0, "core.start");
}

void cpu_core_seed(cpu_core *c, uint64_t iter_seed, uint64_t name_hash) {
  if (c->vary) sim_rng_derive_h(&c->rng, iter_seed, name_hash, c->id);
}

void cpu_core_set_trace(cpu_core *c, cpu_trace *t) { c->trace = t; }

bool cpu_core_done(const cpu_core *c) { return c->wait == W_DONE; }
uint64_t cpu_core_now(const cpu_core *c) { return sim_now(c->sim); }

bool cpu_core_quiet(const cpu_core *c) { return c->wait == W_DONE && sb_empty(&c->sb) && !c->lq_busy; }
bool cpu_core_ooo(const cpu_core *c) { return c->ooo; }
const cpu_counters *cpu_core_counters(const cpu_core *c) { return &c->n; }

void cpu_core_absorb(cpu_core *c, const cpu_core *src) {
#define X(f, d) c->n.f += src->n.f;
  CPU_COUNTERS(X)
#undef X
  for (int k = 0; k < CPU_NREORDERS; k++) c->n.reorder[k] += src->n.reorder[k];
}
void cpu_core_clear_counters(cpu_core *c) { memset(&c->n, 0, sizeof c->n); }

const char *cpu_core_str(const cpu_core *c, char *buf, size_t n) {
  char sbuf[256];
  snprintf(buf, n, "core %u (thread %u) %s %s uop=%s addr=%#" PRIx64 " %s", c->id, c->tid,
           c->model->name, wait_name[c->wait], uop_kind_name[c->cur.kind], c->cur.addr,
           sb_str(&c->sb, sbuf, sizeof sbuf));
  return buf;
}
