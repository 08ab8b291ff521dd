/* tests/cache/cells.h -- the bench the directed protocol tests share
 * (test_l1_cells.c, test_dir_cells.c), after Multi2Sim's SetBlock / Access /
 * CheckBlock: a small MESI machine with nothing running, lines set up by
 * hand, one event fired, and a net tap that records every message sent.
 *
 * Lines and messages hold recognisable bytes, pattern(base): byte i of a
 * line is base + i.  The L1's copy, the LLC's copy, memory and a message's
 * data each have their own base, so a check on the bytes says where they
 * came from.
 *
 * A cell's checks do not stop at the first failure (EXPECT counts and goes
 * on): a broken cell reports everything that differs, and the others still
 * run, so the coverage report at the end stays meaningful.
 */
#ifndef MMSIM_TESTS_CACHE_CELLS_H
#define MMSIM_TESTS_CACHE_CELLS_H

#include "../check.h"
#include "cache/mesi_int.h"

enum { CORES = 4, LINE = 64, MEM_BYTES = 4096, MAX_SENT = 16 };
enum { DIRN = CORES, ME = 1, PEER = 2, THIRD = 3 }; /* nodes; core 0 is only ever a sharer */
enum { LA = 0x40, LB = 0x140 }; /* two lines in the same set of the L1 (2 sets) and LLC (4) */
enum { PAT_MEM = 0x30, PAT_L1 = 0x10, PAT_LLC = 0x50, PAT_MSG = 0xa0, PAT_ANY = 0xff };
#define STORE_VAL UINT64_C(0x1122334455667788)
#define OFF 8 /* the accesses' offset in the line, 8 bytes */

/* An expected send.  type is MSG_x + 1 so that 0 ends the list. */
typedef struct want_msg {
  uint8_t type, dst, req, acks;
  uint8_t data; /* the pattern its bytes hold; 0: not a data message */
  uint8_t at_b; /* about line LB instead of LA */
} want_msg;
#define TO(t, d, r, ...) {.type = MSG_##t + 1, .dst = (d), .req = (r), __VA_ARGS__}

typedef struct sent {
  net_msg *msg; /* in flight: scheduled, but a script may deliver it itself */
  uint64_t addr;
  uint16_t type, src, dst, req;
  uint32_t acks;
  uint8_t data[LINE];
} sent;

typedef struct bench {
  sim_engine sim;
  mesi *m;
  uint8_t mem[MEM_BYTES];
  sent log[MAX_SENT];
  unsigned nsent;
} bench;

static char cell_name[96]; /* the cell being checked, for messages */
static int cell_bad;        /* its failed expectations */

#define EXPECT(cond, ...)                                        \
  do {                                                           \
    if (!(cond)) {                                               \
      fprintf(stderr, "  %s:%d: %s: ", __FILE__, __LINE__, cell_name); \
      fprintf(stderr, __VA_ARGS__);                              \
      fputc('\n', stderr);                                       \
      cell_bad++;                                                \
    }                                                            \
  } while (0)

static inline void pattern(uint8_t *p, uint8_t base) {
  for (unsigned i = 0; i < LINE; i++) p[i] = (uint8_t)(base + i);
}

/* Does line p hold pattern(base), with STORE_VAL at OFF if `stored`? */
static inline int holds(const uint8_t *p, uint8_t base, int stored) {
  uint8_t want[LINE];
  pattern(want, base);
  if (stored) memsys_put(want + OFF, 8, STORE_VAL);
  return memcmp(p, want, LINE) == 0;
}

static inline uint64_t pattern_word(uint8_t base) {
  uint8_t l[LINE];
  pattern(l, base);
  return memsys_get(l + OFF, 8);
}

static inline int carries_data(unsigned type) {
  return type == MSG_DATA || type == MSG_DATA_E || type == MSG_DATA_DIR || type == MSG_PUTM;
}

static inline void tap(void *ctx, const net_msg *msg, uint64_t arrival) {
  bench *b = ctx;
  (void)arrival;
  if (b->nsent == MAX_SENT) return;
  sent *s = &b->log[b->nsent++];
  s->msg = (net_msg *)msg;
  s->addr = msg->addr;
  s->type = msg->type, s->src = msg->src, s->dst = msg->dst, s->req = msg->req;
  s->acks = msg->acks;
  if (carries_data(msg->type)) memcpy(s->data, msg->data, LINE);
}

/* A machine with empty caches: 4 cores, 2x2 L1s, a 4x2 LLC, no checker;
 * iq_entries > 0 gives each core an invalidate queue (weak). */
static inline int bench_open_iq(bench *b, unsigned iq_entries) {
  memset(b, 0, sizeof *b);
  for (unsigned i = 0; i < MEM_BYTES; i++) b->mem[i] = (uint8_t)(PAT_MEM + i % LINE);
  sim_engine_init(&b->sim);
  mesi_params p = {.cores = CORES, .line_bytes = LINE, .l1 = {2, 2, 1}, .l2 = {0, 0, 0}, .llc_banks = 1,
                   .llc = {4, 2, 4}, .mem_latency = 20, .net_latency = 3, .net_jitter = 0,
                   .link_cycles = 1, .check = false, .iq_entries = iq_entries,
                   .iq_delay = 100};
  sim_err err;
  memsys *ms = memsys_mesi_new(&p, b->mem, sizeof b->mem, &err);
  if (!ms) {
    fprintf(stderr, "memsys_mesi_new: %s\n", err.msg);
    sim_engine_free(&b->sim);
    return -1;
  }
  b->m = (mesi *)ms;
  b->m->sim = b->m->net.sim = &b->sim; /* as access_() does */
  b->m->net.tap = tap;
  b->m->net.tap_ctx = b;
  return 0;
}

static inline int bench_open(bench *b) { return bench_open_iq(b, 0); }

/* Messages still scheduled are freed with the net (it frees every message
 * it allocated); stalled ones go back to its pool when the memsys quiesces. */
static inline void bench_close(bench *b) {
  b->m->base.ops->free(&b->m->base);
  sim_engine_free(&b->sim);
}

/* Deliver the i-th message sent now, by hand, in an order a script chooses
 * (one FIFO links allow); the engine must then not run, or it would deliver
 * the message again. */
static inline void deliver_sent(bench *b, unsigned i) {
  net_msg *msg = b->log[i].msg;
  if (msg->dst == DIRN)
    dir_receive(&b->m->dir[0], msg);
  else
    l1_receive(&b->m->l1[msg->dst], msg);
  cache__complete(b->m);
}

/* Compare the log with want (ended by type 0).  from: the sender. */
static inline void expect_sent(const bench *b, const want_msg *want, unsigned from) {
  unsigned n = 0;
  while (n < 4 && want[n].type) n++;
  int same = b->nsent == n;
  for (unsigned i = 0; same && i < n; i++) {
    const sent *s = &b->log[i];
    const want_msg *w = &want[i];
    same = s->type == w->type - 1u && s->dst == w->dst && s->req == w->req &&
           s->acks == w->acks && s->src == from && s->addr == (w->at_b ? LB : LA) &&
           (!w->data || holds(s->data, w->data, 0));
  }
  if (same) return;
  EXPECT(0, "messages sent differ; want %u:", n);
  for (unsigned i = 0; i < n; i++)
    fprintf(stderr, "    want %s %u->%u req %u acks %u%s data %#x\n", net_msg_name[want[i].type - 1],
            from, want[i].dst, want[i].req, want[i].acks, want[i].at_b ? " (LB)" : "", want[i].data);
  for (unsigned i = 0; i < b->nsent; i++) {
    const sent *s = &b->log[i];
    fprintf(stderr, "    got  %s %u->%u req %u acks %u%s data %#x\n", net_msg_name[s->type],
            s->src, s->dst, s->req, s->acks, s->addr == LB ? " (LB)" : "",
            carries_data(s->type) ? s->data[0] : 0);
  }
}

/* Is the wait list's last node this request or message? */
static inline int waits_last(const cache_line *ln, const mem_req *r, const net_msg *msg) {
  const cache_wait *w = ln ? ln->wait : NULL;
  while (w && w->next) w = w->next;
  return w && w->req == r && w->msg == msg;
}

/* Print the GO and STALL cells of a table no spec fired; returns how many.
 * cells and covered are row-major, nstates x nevents. */
static inline int report_uncovered(const char *table, const proto_cell *cells, const unsigned char *covered,
                            unsigned nstates, unsigned nevents, const char *const *sname,
                            const char *const *ename) {
  int go = 0, missed = 0;
  for (unsigned s = 0; s < nstates; s++)
    for (unsigned e = 0; e < nevents; e++) {
      const proto_cell *c = &cells[s * nevents + e];
      if (c->kind == CELL_IMPOSSIBLE) continue;
      go++;
      if (covered[s * nevents + e]) continue;
      printf("  %s cell never fired: %s x %s\n", table, sname[s], ename[e]);
      missed++;
    }
  printf("%s: %d of %d GO/STALL cells fired by a directed test\n", table, go - missed, go);
  return missed;
}

#endif
