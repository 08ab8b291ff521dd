/* cache/l1.c -- the L1 (private cache) controller: input ports, actions and
 * the dispatcher of l1_table.c.
 *
 * A core's access arrives cache.l1.latency cycles after it left the core
 * (the lookup pipeline); a hit performs then and there.  With a private L2
 * the coherence state and the data live in the L2's frame and the L1 is a
 * subset of its tags: a line found in the L2 only moves into the L1 and the
 * access is looked up again cache.l2.latency cycles later, so an
 * invalidation that lands meanwhile is seen.  (One coherence agent per core,
 * as a core's L1 and L2 are on real chips with an inclusive L2; modelling
 * them as two agents would double the protocol for no behaviour a workload
 * can observe.)
 *
 * Frames are the miss registers: a miss claims a frame at once (evicting
 * the LRU stable line with a Put first if the set is full), and a line in a
 * transient state keeps its frame until it settles.  A request that finds no
 * frame waits on the line whose eviction it started (or, if every way is in
 * transit, on the oldest one) and is replayed when that line settles.
 *
 * Invariants:
 *   L1a  A line in a stable state has nothing waiting on it (WAKE replays
 *        everything when it settles; a replayed item stalls again only on a
 *        transient line).
 *   L1b  Ack counters are zero in stable states.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mesi_int.h"

/* Does the cell perform the access (a hit)?  For the hit/miss counters. */
static bool cell_hits(unsigned st, l1_event ev) {
  const proto_cell *c = &l1_table[st][ev];
  if (c->kind != CELL_GO) return false;
  for (int i = 0; i < CELL_MAX_ACTIONS && c->act[i]; i++)
    if (c->act[i] == L1A_HIT) return true;
  return false;
}

static bool evictable(void *ctx, const cache_line *l) {
  (void)ctx;
  return l1_stable(l->state); /* S, E or M: I frames are free */
}

static bool any(void *ctx, const cache_line *l) {
  (void)ctx, (void)l;
  return true;
}

int l1_init(l1_ctl *c, mesi *m, unsigned id) {
  memset(c, 0, sizeof *c);
  c->id = id;
  c->m = m;
  c->has_l2 = m->p.l2.sets > 0;
  const mesi_level *coh = c->has_l2 ? &m->p.l2 : &m->p.l1;
  if (!cache_array_init(&c->arr, coh->sets, coh->ways, m->p.line_bytes)) return -1;
  if (c->has_l2 && !cache_array_init(&c->l1tags, m->p.l1.sets, m->p.l1.ways, m->p.line_bytes))
    return -1;
  return iq_init(&c->iq, m->p.iq_entries) ? 0 : -1;
}

void l1_free(l1_ctl *c) {
  cache_array_free(&c->arr);
  cache_array_free(&c->l1tags);
  iq_free(&c->iq);
}

/* --- The invalidate queue (weak) ------------------------------------------ */

/* The queue applies the entry for `line`: IQ_APPLY on its line. */
static void iq_apply_line(l1_ctl *c, uint64_t line) {
  iq_remove(&c->iq, line);
  l1_fire(c, cache_find(&c->arr, line), line, L1E_IQ_APPLY, NULL, NULL);
}

/* An entry comes due cpu.invalidate_queue.delay cycles after its Inv
 * arrived; if a fence or a store has applied it already, nothing is left. */
static void iq_due(sim_engine *sim, void *ctx, uint64_t seq) {
  l1_ctl *c = ctx;
  (void)sim;
  const iq_entry *e = iq_find_seq(&c->iq, seq);
  if (!e) return;
  iq_apply_line(c, e->line);
  cache__complete(c->m);
}

void l1_iq_apply(l1_ctl *c) {
  while (c->iq.len) iq_apply_line(c, c->iq.v[0].line);
}

static void iq_push_line(l1_ctl *c, uint64_t line) {
  if (iq_full(&c->iq)) iq_apply_line(c, c->iq.v[0].line); /* the oldest makes room */
  uint64_t seq = iq_push(&c->iq, line, sim_now(c->m->sim));
  c->n.iq_queued++;
  sim_schedule(c->m->sim, c->m->p.iq_delay, iq_due, c, seq, "iq.due");
}

/* --- The L1 tags over a private L2 ---------------------------------------- */

static void tags_insert(l1_ctl *c, uint64_t line) {
  bool is_free;
  cache_line *t = cache_victim(&c->l1tags, line, any, NULL, &is_free);
  cache_claim(&c->l1tags, t, line); /* an L1-only eviction is silent */
  t->state = 1;
}

static void tags_remove(l1_ctl *c, uint64_t line) {
  cache_line *t = cache_find(&c->l1tags, line);
  if (t) cache_release(t);
}

bool l1_place(l1_ctl *c, uint64_t line, l1_state st, const uint8_t *data) {
  bool is_free;
  cache_line *f = cache_victim(&c->arr, line, evictable, c, &is_free);
  if (!f || !is_free) return false;
  cache_claim(&c->arr, f, line);
  if (c->has_l2) tags_insert(c, line);
  memcpy(f->data, data, c->m->p.line_bytes);
  f->state = (uint8_t)st;
  return true;
}

/* --- Sending ---------------------------------------------------------------- */

static void send(l1_ctl *c, net_msg_type type, uint64_t line, unsigned dst, unsigned req,
                 const cache_line *data_from) {
  mesi *m = c->m;
  net_msg *msg = net_msg_new(&m->net, type, line, c->id, dst, req);
  if (data_from) memcpy(msg->data, data_from->data, m->p.line_bytes);
  net_send(&m->net, msg, 0);
}

/* --- Performing a core's access (the HIT action) --------------------------- */

static void perform(l1_ctl *c, cache_line *ln, mem_req *r) {
  mesi *m = c->m;
  r->perf_at = sim_now(m->sim);
  if (ln->state == L1_S_Q) { /* a stale hit performs when its Inv arrived */
    r->perf_at = iq_find(&c->iq, ln->addr)->at;
    c->n.iq_stale_hits++;
  }
  uint8_t *p = ln->data + (r->addr & (m->p.line_bytes - 1));
  uint64_t old = memsys_get(p, r->size), lat = sim_now(m->sim) - r->issued;
  uint64_t nv = 0;
  bool write = false;
  switch (r->kind) {
  case REQ_LOAD:
    c->n.loads++;
    c->n.load_cycles += lat;
    /* MS3: a stale line's Inv already came, so no monitor: its STXR fails. */
    if (r->excl) c->mon = ln->addr, c->mon_valid = ln->state != L1_S_Q;
    break;
  case REQ_STORE:
    c->n.stores++;
    c->n.store_cycles += lat;
    nv = r->value;
    write = true;
    break;
  case REQ_RMW:
    c->n.rmws++;
    c->n.rmw_cycles += lat;
    nv = mem_rmw_apply(r->op, old, r->value);
    write = true;
    break;
  case REQ_CAS:
    c->n.rmws++;
    c->n.rmw_cycles += lat;
    r->success = r->excl ? c->mon_valid && c->mon == ln->addr /* MS3 */
                         : old == mem_trunc(r->expected, r->size);
    if (r->excl) c->mon_valid = false;
    nv = r->value;
    write = r->success;
    break;
  }
  if (write) {
    memsys_put(p, r->size, nv);
    if (m->check) check_store(m->check, r->addr, r->size, nv);
  }
  r->value = old;
  r->next = NULL;
  *m->done_tail = r;
  m->done_tail = &r->next;
}

/* --- Requests from the core ------------------------------------------------- */

static void count(l1_ctl *c, const mem_req *r, const cache_line *ln, l1_event ev) {
  bool hit = ln && cell_hits(ln->state, ev);
  switch (r->kind) {
  case REQ_LOAD: hit ? c->n.load_hits++ : c->n.load_misses++; break;
  case REQ_STORE: hit ? c->n.store_hits++ : c->n.store_misses++; break;
  default: hit ? c->n.rmw_hits++ : c->n.rmw_misses++; break;
  }
}

/* A frame for `line`, or NULL with r parked until one may be free. */
static cache_line *take_frame(l1_ctl *c, uint64_t line, mem_req *r) {
  bool is_free;
  cache_line *v = cache_victim(&c->arr, line, evictable, c, &is_free);
  if (v && !is_free) {
    c->n.evictions++;
    if (c->mon_valid && c->mon == v->addr) c->mon_valid = false; /* MS3 */
    l1_fire(c, v, v->addr, L1E_REPL, NULL, NULL);
    is_free = !v->state; /* an S_Q line goes at once: the dir dropped it already */
  }
  if (v && is_free) {
    cache_claim(&c->arr, v, line);
    if (c->has_l2) tags_insert(c, line);
    return v;
  }
  cache_wait *w = cache__wait_new(c->m, r, NULL);
  c->n.stalls++;
  if (!v) { /* every way in transit: wait for the oldest */
    cache_line *set = cache_set(&c->arr, line);
    v = &set[0];
    for (unsigned i = 1; i < c->arr.ways; i++)
      if (set[i].lru < v->lru) v = &set[i];
  }
  cache__queue(v, w);
  return NULL;
}

static void request(l1_ctl *c, mem_req *r, bool first, bool from_l2);

/* The L2 hit's second lookup: it goes on even if another access has taken
 * the L1 way meanwhile (the data came from the L2); looking at the L1 tags
 * again let two lines that share one L1 way evict each other for ever. */
static void l2_done(sim_engine *sim, void *ctx, uint64_t arg) {
  l1_ctl *c = ctx;
  (void)sim;
  request(c, (mem_req *)(uintptr_t)arg, false, true);
  cache__complete(c->m);
}

void l1_request(l1_ctl *c, mem_req *r, bool first) { request(c, r, first, false); }

static void request(l1_ctl *c, mem_req *r, bool first, bool from_l2) {
  mesi *m = c->m;
  uint64_t line = cache_line_addr(&c->arr, r->addr);
  if ((r->addr & (m->p.line_bytes - 1)) + r->size > m->p.line_bytes) {
    memsys_fault(&m->base, m->sim,
                 "core %u: %u-byte access at %#" PRIx64 " crosses a %u-byte line", c->id,
                 r->size, r->addr, m->p.line_bytes);
    return;
  }
  l1_event ev = r->kind == REQ_LOAD ? L1E_LOAD : L1E_STORE;
  cache_line *ln = cache_find(&c->arr, line);
  if (ln && c->has_l2 && !from_l2) {
    cache_line *t = cache_find(&c->l1tags, line);
    if (!t) { /* an L2 hit: into the L1, then look again */
      if (first) c->n.l2_hits++;
      tags_insert(c, line);
      sim_schedule(m->sim, m->p.l2.latency, l2_done, c, (uint64_t)(uintptr_t)r, "l2.hit");
      return;
    }
    cache_touch(&c->l1tags, t);
  }
  if (first) {
    count(c, r, ln, ev);
    if (!ln && c->has_l2) c->n.l2_misses++;
  }
  if (ln)
    cache_touch(&c->arr, ln);
  else if (!(ln = take_frame(c, line, r)))
    return;
  l1_fire(c, ln, line, ev, r, NULL);
}

/* --- Messages from the network (the input port) ----------------------------- */

static void dispatch_msg(l1_ctl *c, net_msg *msg, bool first) {
  cache_line *ln = cache_find(&c->arr, msg->addr);
  /* MS3: another core's write to the monitored line: when the message is
   * handled, not when it arrives, since one that waited behind our own
   * fill (IS_D) invalidates what that fill's LDXR read. */
  if (c->mon_valid && c->mon == msg->addr &&
      (msg->type == MSG_INV || msg->type == MSG_FWD_GETM || msg->type == MSG_RECALL))
    c->mon_valid = false;
  l1_event ev;
  switch ((net_msg_type)msg->type) {
  case MSG_FWD_GETS: ev = L1E_FWD_GETS; break;
  case MSG_FWD_GETM: ev = L1E_FWD_GETM; break;
  case MSG_RECALL: ev = L1E_RECALL; break;
  case MSG_INV:
    ev = ln && ln->state == L1_S && c->iq.cap ? L1E_INV_Q : L1E_INV;
    if (first) c->n.invs_received++;
    break;
  case MSG_PUT_ACK: ev = L1E_PUT_ACK; break;
  case MSG_DATA_E: ev = L1E_DATA_E; break;
  /* DATA and INV_ACK update the counters; no cell stalls them, so they are
   * never classified twice. */
  case MSG_DATA:
    if (!ln) {
      ev = L1E_DATA;
      break;
    }
    ln->acks_needed = (uint16_t)msg->acks;
    ev = ln->acks_got == msg->acks ? L1E_DATA_LAST : L1E_DATA;
    break;
  case MSG_INV_ACK:
    if (!ln) {
      ev = L1E_ACK;
      break;
    }
    ln->acks_got++;
    ev = (ln->state == L1_IM_A || ln->state == L1_SM_A) && ln->acks_got == ln->acks_needed
             ? L1E_ACK_LAST
             : L1E_ACK;
    break;
  default:
    memsys_fault(&c->m->base, c->m->sim, "l1[%u]: unexpected %s for %#" PRIx64 " at cycle %" PRIu64,
                 c->id, net_msg_name[msg->type], msg->addr, sim_now(c->m->sim));
    net_msg_free(&c->m->net, msg);
    return;
  }
  l1_fire(c, ln, msg->addr, ev, NULL, msg);
}

void l1_receive(l1_ctl *c, net_msg *msg) { dispatch_msg(c, msg, true); }

/* --- The dispatcher ----------------------------------------------------------- */

static void replay(l1_ctl *c, cache_wait *w) {
  while (w) {
    cache_wait *next = w->next;
    mem_req *r = w->req;
    net_msg *msg = w->msg;
    cache__wait_free(c->m, w);
    if (r)
      l1_request(c, r, false);
    else
      dispatch_msg(c, msg, false);
    w = next;
  }
}

void l1_fire(l1_ctl *c, cache_line *ln, uint64_t line, l1_event ev, mem_req *r, net_msg *msg) {
  mesi *m = c->m;
  unsigned st = ln ? ln->state : L1_I, dir = mesi_dir_node(m, line);
  const proto_cell *cell = &l1_table[st][ev];
  c->fired[st][ev]++;
  MESI_CELL(m, c->id, l1_state_name[st], l1_event_name[ev],
            l1_state_name[cell->kind == CELL_GO ? cell->next : st], line);
  if (cell->kind == CELL_IMPOSSIBLE || !ln) { /* no frame: only I, where messages are impossible */
    memsys_fault(&m->base, m->sim,
                 "l1[%u] invalid transition: state %s event %s addr %#" PRIx64 " cycle %" PRIu64,
                 c->id, l1_state_name[st], l1_event_name[ev], line, sim_now(m->sim));
    if (msg) net_msg_free(&m->net, msg);
    return;
  }
  if (cell->kind == CELL_STALL) {
    cache__queue(ln, cache__wait_new(m, r, msg));
    c->n.stalls++;
    return;
  }
  bool wake = false, kept = false;
  for (int i = 0; i < CELL_MAX_ACTIONS && cell->act[i]; i++) {
    switch ((l1_action)cell->act[i]) {
    case L1A_NONE: break;
    case L1A_SEND_GETS: send(c, MSG_GETS, line, dir, c->id, NULL); break;
    case L1A_SEND_GETM: send(c, MSG_GETM, line, dir, c->id, NULL); break;
    case L1A_SEND_PUTS: send(c, MSG_PUTS, line, dir, c->id, NULL); break;
    case L1A_SEND_PUTE: send(c, MSG_PUTE, line, dir, c->id, NULL); break;
    case L1A_SEND_PUTM:
      c->n.writebacks++;
      send(c, MSG_PUTM, line, dir, c->id, ln);
      break;
    case L1A_QUEUE:
      cache__queue(ln, cache__wait_new(m, r, msg));
      kept = true;
      break;
    case L1A_HIT: perform(c, ln, r); break;
    case L1A_FILL: memcpy(ln->data, msg->data, m->p.line_bytes); break;
    case L1A_DATA_TO_REQ: send(c, MSG_DATA, line, msg->req, msg->req, ln); break;
    case L1A_DATA_TO_DIR: send(c, MSG_DATA_DIR, line, dir, dir, ln); break;
    case L1A_SEND_INV_ACK: send(c, MSG_INV_ACK, line, msg->req, msg->req, NULL); break;
    case L1A_IQ_PUSH: iq_push_line(c, line); break;
    case L1A_IQ_DROP: iq_remove(&c->iq, line); break;
    case L1A_WAKE: wake = true; break;
    case L1_NACTIONS: break;
    }
  }
  ln->state = (uint8_t)cell->next;
  if (l1_stable(cell->next)) ln->acks_needed = ln->acks_got = 0; /* L1b */
  if (m->check)
    check_step(m->check, c->id, line, l1_event_name[ev], l1_state_name[st],
               l1_state_name[cell->next]);
  cache_wait *w = cache__finish(m, ln, kept ? NULL : msg, wake, cell->next == L1_I);
  if (cell->next == L1_I && c->has_l2) tags_remove(c, line);
  if (w) replay(c, w);
}
