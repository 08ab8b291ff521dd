/* cache/dir.c -- the directory controller at the shared LLC: input port,
 * actions and the dispatcher of dir_table.c.
 *
 * The LLC is inclusive: every line a core holds is in the LLC, and its
 * frame holds the directory entry (state, sharer bit vector, owner) beside
 * the data.  Up to 64 cores: the sharers are one 64-bit word, so adding,
 * removing and counting sharers are single instructions, and sending Invs
 * walks only the set bits.
 *
 * With cache.llc.banks > 1 the LLC is that many banks, lines interleaved by
 * address, each bank a directory of its own at its own network node:
 * requests for two lines then travel on different links and can complete
 * in either order, as on chips with a distributed LLC.
 *
 * Everything the directory sends leaves cache.llc.latency cycles after the
 * request arrived (the LLC lookup); a read from memory adds memory.latency.
 * Memory writes (writebacks) take effect at once: nothing can read the line
 * from memory before its frame is free, so their latency is invisible.
 *
 * A request for a line not in the LLC claims a frame first.  When the set is
 * full, the LRU stable line is evicted (REPL): an I line goes at once, an S
 * or EM line is recalled from the cores first, and the request waits on it.
 * Only one recall per set runs at a time; later requests wait on it too.
 *
 * Invariants:
 *   D1  EM has an owner and no sharers; S has sharers and no owner; I has
 *       neither.
 *   D2  A recall's ack counter counts the sharers it sent Invs to.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mesi_int.h"

static bool evictable(void *ctx, const cache_line *l) {
  (void)ctx;
  return dir_stable(l->state);
}

int dir_init(dir_ctl *d, mesi *m, unsigned bank) {
  memset(d, 0, sizeof *d);
  d->m = m;
  d->node = m->p.cores + bank;
  unsigned banks = m->p.llc_banks, sets = m->p.llc.sets / banks;
  if (!cache_array_init(&d->llc, sets ? sets : 1, m->p.llc.ways, m->p.line_bytes)) return -1;
  /* A bank holds every banks-th line: index its sets by the bits above the
   * bank bits, or it would use one set in `banks`. */
  while (banks > 1) {
    d->llc.set_shift++;
    banks /= 2;
  }
  return 0;
}

void dir_free(dir_ctl *d) { cache_array_free(&d->llc); }

static void send(dir_ctl *d, net_msg_type type, uint64_t line, unsigned dst, unsigned req,
                 const cache_line *data_from, unsigned acks) {
  mesi *m = d->m;
  net_msg *msg = net_msg_new(&m->net, type, line, d->node, dst, req);
  if (data_from) memcpy(msg->data, data_from->data, m->p.line_bytes);
  msg->acks = acks;
  net_send(&m->net, msg, m->p.llc.latency);
}

/* Main memory may end inside the last line: copy what exists. */
static size_t mem_span(const mesi *m, uint64_t line) {
  if (line >= m->base.size) return 0;
  size_t left = m->base.size - line;
  return left < m->p.line_bytes ? left : m->p.line_bytes;
}

static void mem_data(sim_engine *sim, void *ctx, uint64_t arg) {
  dir_ctl *d = ctx;
  cache_line *ln = (cache_line *)(uintptr_t)arg; /* NI_D: its frame stays */
  (void)sim;
  dir_fire(d, ln, ln->addr, DIRE_MEM_DATA, NULL);
  cache__complete(d->m);
}

/* A frame for `line`, or NULL with msg parked until one may be free. */
static cache_line *take_frame(dir_ctl *d, uint64_t line, net_msg *msg) {
  for (;;) {
    cache_line *set = cache_set(&d->llc, line), *v = NULL;
    for (unsigned i = 0; i < d->llc.ways; i++) /* a recall in this set: wait for it */
      if (set[i].state == DIR_SN_A || set[i].state == DIR_MN_D) v = &set[i];
    bool is_free = false;
    if (!v) v = cache_victim(&d->llc, line, evictable, d, &is_free);
    if (v && is_free) {
      cache_claim(&d->llc, v, line);
      return v;
    }
    if (v && dir_stable(v->state)) {
      bool gone = v->state == DIR_I; /* no copies: evicted at once */
      d->n.llc_evictions++;
      dir_fire(d, v, v->addr, DIRE_REPL, NULL);
      if (gone) continue;
    } else if (!v) { /* every way in transit: wait for the oldest */
      v = &set[0];
      for (unsigned i = 1; i < d->llc.ways; i++)
        if (set[i].lru < v->lru) v = &set[i];
    }
    d->n.stalls++;
    cache__queue(v, cache__wait_new(d->m, NULL, msg));
    return NULL;
  }
}

static dir_event classify_put(const cache_line *ln, unsigned src, net_msg_type type) {
  if (ln && ln->owner == (int32_t)src && type != MSG_PUTS)
    return type == MSG_PUTE ? DIRE_PUTE : DIRE_PUTM;
  if (ln && (ln->sharers >> src & 1))
    return ln->sharers == (UINT64_C(1) << src) ? DIRE_PUTS_LAST : DIRE_PUTS;
  return DIRE_PUT_STALE;
}

static void dispatch_msg(dir_ctl *d, net_msg *msg, bool first) {
  mesi *m = d->m;
  cache_line *ln = cache_find(&d->llc, msg->addr);
  dir_event ev;
  switch ((net_msg_type)msg->type) {
  case MSG_GETS:
  case MSG_GETM:
    ev = msg->type == MSG_GETS ? DIRE_GETS : DIRE_GETM;
    if (first) ln && ln->state != DIR_NI_D ? d->n.llc_hits++ : d->n.llc_misses++;
    if (!ln && !(ln = take_frame(d, msg->addr, msg))) return;
    if (ln) cache_touch(&d->llc, ln);
    break;
  case MSG_PUTS:
  case MSG_PUTE:
  case MSG_PUTM: ev = classify_put(ln, msg->src, (net_msg_type)msg->type); break;
  case MSG_DATA_DIR: ev = DIRE_DATA_DIR; break;
  case MSG_INV_ACK: /* never stalled, so counted once */
    if (ln) ln->acks_got++;
    ev = ln && ln->acks_got == ln->acks_needed ? DIRE_INV_ACK_LAST : DIRE_INV_ACK;
    break;
  default:
    memsys_fault(&m->base, m->sim, "dir: unexpected %s for %#" PRIx64 " at cycle %" PRIu64,
                 net_msg_name[msg->type], msg->addr, sim_now(m->sim));
    net_msg_free(&m->net, msg);
    return;
  }
  dir_fire(d, ln, msg->addr, ev, msg);
}

void dir_receive(dir_ctl *d, net_msg *msg) { dispatch_msg(d, msg, true); }

static void replay(dir_ctl *d, cache_wait *w) {
  while (w) {
    cache_wait *next = w->next;
    net_msg *msg = w->msg;
    cache__wait_free(d->m, w);
    dispatch_msg(d, msg, false);
    w = next;
  }
}

static unsigned popcount(uint64_t x) { return (unsigned)__builtin_popcountll(x); }

/* Send type to every core in `cores`. */
static void multicast(dir_ctl *d, net_msg_type type, uint64_t line, uint64_t cores, unsigned req) {
  while (cores) {
    unsigned c = (unsigned)__builtin_ctzll(cores);
    cores &= cores - 1;
    send(d, type, line, c, req, NULL, 0);
    d->n.invs_sent++;
  }
}

void dir_fire(dir_ctl *d, cache_line *ln, uint64_t line, dir_event ev, net_msg *msg) {
  mesi *m = d->m;
  unsigned st = ln ? ln->state : DIR_NP;
  const proto_cell *cell = &dir_table[st][ev];
  d->fired[st][ev]++;
  MESI_CELL(m, d->node, dir_state_name[st], dir_event_name[ev],
            dir_state_name[cell->kind == CELL_GO ? cell->next : st], line);
  unsigned src = msg ? msg->src : d->node;
  if (cell->kind == CELL_IMPOSSIBLE) {
    memsys_fault(&m->base, m->sim,
                 "dir invalid transition: state %s event %s addr %#" PRIx64 " from node %u cycle %" PRIu64,
                 dir_state_name[st], dir_event_name[ev], line, src, sim_now(m->sim));
    if (msg) net_msg_free(&m->net, msg);
    return;
  }
  if (cell->kind == CELL_STALL) {
    cache__queue(ln, cache__wait_new(m, NULL, msg));
    d->n.stalls++;
    return;
  }
  bool wake = false, kept = false;
  uint64_t bit = msg && src < 64 ? UINT64_C(1) << src : 0;
  for (int i = 0; i < CELL_MAX_ACTIONS && cell->act[i]; i++) {
    switch ((dir_action)cell->act[i]) {
    case DIRA_NONE: break;
    case DIRA_SEND_DATA: send(d, MSG_DATA, line, src, src, ln, 0); break;
    case DIRA_SEND_DATA_E: send(d, MSG_DATA_E, line, src, src, ln, 0); break;
    case DIRA_SEND_DATA_ACKS: send(d, MSG_DATA, line, src, src, ln, popcount(ln->sharers & ~bit)); break;
    case DIRA_SEND_INVS: multicast(d, MSG_INV, line, ln->sharers & ~bit, src); break;
    case DIRA_FWD_GETS: send(d, MSG_FWD_GETS, line, (unsigned)ln->owner, src, NULL, 0); break;
    case DIRA_FWD_GETM: send(d, MSG_FWD_GETM, line, (unsigned)ln->owner, src, NULL, 0); break;
    case DIRA_RECALL:
      d->n.recalls++;
      send(d, MSG_RECALL, line, (unsigned)ln->owner, d->node, NULL, 0);
      break;
    case DIRA_INV_ALL: /* D2 */
      d->n.recalls++;
      ln->acks_needed = (uint16_t)popcount(ln->sharers);
      ln->acks_got = 0;
      multicast(d, MSG_INV, line, ln->sharers, d->node);
      break;
    case DIRA_PUT_ACK: send(d, MSG_PUT_ACK, line, src, src, NULL, 0); break;
    case DIRA_SET_OWNER: ln->owner = (int32_t)src; break;
    case DIRA_CLEAR_OWNER: ln->owner = -1; break;
    case DIRA_OWNER_TO_SHARER:
      ln->sharers = UINT64_C(1) << ln->owner;
      ln->owner = -1;
      break;
    case DIRA_ADD_SHARER: ln->sharers |= bit; break;
    case DIRA_REMOVE_SHARER: ln->sharers &= ~bit; break;
    case DIRA_CLEAR_SHARERS: ln->sharers = 0; break;
    case DIRA_COPY_DATA:
      memcpy(ln->data, msg->data, m->p.line_bytes);
      ln->dirty = true;
      break;
    case DIRA_MEM_READ:
      d->n.mem_reads++;
      sim_schedule(m->sim, m->p.llc.latency + m->p.mem_latency, mem_data, d,
                   (uint64_t)(uintptr_t)ln, "mem.data");
      break;
    case DIRA_MEM_FILL: {
      size_t n = mem_span(m, line);
      memcpy(ln->data, m->base.data + line, n);
      memset(ln->data + n, 0, m->p.line_bytes - n);
      ln->dirty = false;
      if (m->check) check_mem_fill(m->check, line);
      break;
    }
    case DIRA_WRITEBACK:
      if (ln->dirty) {
        d->n.llc_writebacks++;
        memcpy(m->base.data + line, ln->data, mem_span(m, line));
        ln->dirty = false;
      }
      break;
    case DIRA_QUEUE:
      cache__queue(ln, cache__wait_new(m, NULL, msg));
      kept = true;
      break;
    case DIRA_WAKE: wake = true; break;
    case DIR_NACTIONS: break;
    }
  }
  if (!ln) { /* a stale Put for a line no longer in the LLC: acked, nothing kept */
    net_msg_free(&m->net, msg);
    return;
  }
  ln->state = (uint8_t)cell->next;
  if (dir_stable(cell->next)) ln->acks_needed = ln->acks_got = 0;
  if (m->check)
    check_step(m->check, d->node, line, dir_event_name[ev], dir_state_name[st],
               dir_state_name[cell->next]);
  cache_wait *w = cache__finish(m, ln, kept ? NULL : msg, wake, cell->next == DIR_NP);
  if (w) replay(d, w);
}
