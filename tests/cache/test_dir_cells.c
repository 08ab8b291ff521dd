/* tests/cache/test_dir_cells.c -- every reachable cell of dir_table.c,
 * fired once on an LLC line set up by hand (STYLE.md 7).
 *
 * Each spec names a cell, the directory entry before it (state, sharers,
 * owner, ack counters, dirty; bytes pattern(PAT_LLC), memory's pattern
 * (PAT_MEM)), the stimulus, and what must hold after: the entry, the LLC's
 * bytes (COPY_DATA, MEM_FILL), memory's bytes (WRITEBACK), reads from memory
 * started, what was parked on the line, and every message sent.  Messages
 * go in through dir_receive, so the input port's Put classification
 * (PUTS/PUTS_LAST/PUTE/PUTM/PUT_STALE) and INV_ACK/INV_ACK_LAST are tested
 * with them; REPL and MEM_DATA are fired with dir_fire, as take_frame and
 * the memory's reply do.  A cell with WAKE gets a GetS parked on the line
 * first, so the replay is seen too.
 *
 * The test fails if a GO or STALL cell of the table has no spec.  Core ME
 * is the requester; PEER the owner or another sharer; `own` is a core
 * number with 0 meaning none (core 0 is only ever a sharer here).
 */
#include "cells.h"

#define BIT(c) (1u << (c))
#define FIN(s) .fin = (s) + 1 /* the final state, if not the cell's next */

typedef struct dir_spec {
  uint8_t st, ev, next;
  uint8_t msg, src;              /* MSG_x + 1 from src through dir_receive; 0: REPL, MEM_DATA */
  uint8_t sharers, own, needed, got, dirty;      /* the entry before */
  uint8_t sharers2, own2, needed2, got2, dirty2; /* and after */
  uint8_t fin;
  uint8_t data2;     /* the LLC's bytes after: 0 for PAT_LLC, PAT_ANY: not checked */
  uint8_t mem2;      /* memory's bytes of the line after: 0 for PAT_MEM */
  uint8_t mem_reads; /* reads from memory started */
  uint8_t queued;    /* the message is parked on the line */
  uint8_t waiter;    /* 1 + the core whose GetS is parked on the line before */
  uint8_t waiter_b;  /* that GetS is for LB (a miss waiting for this frame) */
  want_msg out[4];
} dir_spec;

#define CELL(s, e, n, m, source, ...) \
  {DIR_##s, DIRE_##e, DIR_##n, MSG_##m + 1, (source), __VA_ARGS__}
#define LOCAL(s, e, n, ...) {DIR_##s, DIRE_##e, DIR_##n, 0, 0, __VA_ARGS__}
#define STALLS(s, e, m, source, ...) CELL(s, e, s, m, source, .queued = 1, __VA_ARGS__)

static const dir_spec specs[] = {
    CELL(NP, GETS, NI_D, GETS, ME, .data2 = PAT_ANY, .mem_reads = 1, .queued = 1),
    CELL(NP, GETM, NI_D, GETM, ME, .data2 = PAT_ANY, .mem_reads = 1, .queued = 1),
    CELL(NP, PUT_STALE, NP, PUTS, ME, .out = {TO(PUT_ACK, ME, ME)}),

    CELL(I, GETS, EM, GETS, ME, .own2 = ME, .out = {TO(DATA_E, ME, ME, .data = PAT_LLC)}),
    CELL(I, GETM, EM, GETM, ME, .own2 = ME, .out = {TO(DATA, ME, ME, .data = PAT_LLC)}),
    CELL(I, PUT_STALE, I, PUTM, ME, .out = {TO(PUT_ACK, ME, ME)}), /* its data is not taken */
    LOCAL(I, REPL, NP, .dirty = 1, .mem2 = PAT_LLC),
    LOCAL(I, REPL, NP, .dirty = 0), /* clean: memory keeps its bytes */

    CELL(S, GETS, S, GETS, ME, .sharers = BIT(0), .sharers2 = BIT(0) | BIT(ME),
         .out = {TO(DATA, ME, ME, .data = PAT_LLC)}),
    CELL(S, GETM, EM, GETM, ME, .sharers = BIT(0) | BIT(ME) | BIT(PEER), .own2 = ME,
         .out = {TO(DATA, ME, ME, .acks = 2, .data = PAT_LLC), TO(INV, 0, ME), TO(INV, PEER, ME)}),
    CELL(S, GETM, EM, GETM, ME, .sharers = BIT(PEER), .own2 = ME, /* not a sharer itself */
         .out = {TO(DATA, ME, ME, .acks = 1, .data = PAT_LLC), TO(INV, PEER, ME)}),
    CELL(S, PUTS, S, PUTS, ME, .sharers = BIT(0) | BIT(ME), .sharers2 = BIT(0),
         .out = {TO(PUT_ACK, ME, ME)}),
    CELL(S, PUTS_LAST, I, PUTS, ME, .sharers = BIT(ME), .out = {TO(PUT_ACK, ME, ME)}),
    CELL(S, PUT_STALE, S, PUTS, ME, .sharers = BIT(0), .sharers2 = BIT(0),
         .out = {TO(PUT_ACK, ME, ME)}),
    LOCAL(S, REPL, SN_A, .sharers = BIT(0) | BIT(PEER), .sharers2 = BIT(0) | BIT(PEER),
          .needed2 = 2, .out = {TO(INV, 0, DIRN), TO(INV, PEER, DIRN)}),

    CELL(EM, GETS, S_D, GETS, ME, .own = PEER, .sharers2 = BIT(ME) | BIT(PEER),
         .out = {TO(FWD_GETS, PEER, ME)}),
    CELL(EM, GETM, EM, GETM, ME, .own = PEER, .own2 = ME, .out = {TO(FWD_GETM, PEER, ME)}),
    CELL(EM, PUTE, I, PUTE, ME, .own = ME, .out = {TO(PUT_ACK, ME, ME)}),
    CELL(EM, PUTM, I, PUTM, ME, .own = ME, .dirty2 = 1, .data2 = PAT_MSG,
         .out = {TO(PUT_ACK, ME, ME)}),
    CELL(EM, PUT_STALE, EM, PUTM, ME, .own = PEER, .own2 = PEER, .out = {TO(PUT_ACK, ME, ME)}),
    LOCAL(EM, REPL, MN_D, .own = PEER, .own2 = PEER, .out = {TO(RECALL, PEER, DIRN)}),

    STALLS(S_D, GETS, GETS, THIRD, .sharers = BIT(ME) | BIT(PEER), .sharers2 = BIT(ME) | BIT(PEER)),
    STALLS(S_D, GETM, GETM, THIRD, .sharers = BIT(ME) | BIT(PEER), .sharers2 = BIT(ME) | BIT(PEER)),
    CELL(S_D, PUTS, S_D, PUTM, PEER, .sharers = BIT(ME) | BIT(PEER), .sharers2 = BIT(ME),
         .out = {TO(PUT_ACK, PEER, PEER)}), /* the old owner's PutM: its data is on its way */
    CELL(S_D, PUTS_LAST, I_D, PUTS, ME, .sharers = BIT(ME), /* the old owner's PutM came first */
         .out = {TO(PUT_ACK, ME, ME)}),
    CELL(S_D, PUT_STALE, S_D, PUTS, THIRD, .sharers = BIT(ME) | BIT(PEER),
         .sharers2 = BIT(ME) | BIT(PEER), .out = {TO(PUT_ACK, THIRD, THIRD)}),
    CELL(S_D, DATA_DIR, S, DATA_DIR, PEER, .sharers = BIT(ME) | BIT(PEER),
         .sharers2 = BIT(ME) | BIT(PEER) | BIT(THIRD), .dirty2 = 1, .data2 = PAT_MSG,
         .waiter = 1 + THIRD, .out = {TO(DATA, THIRD, THIRD, .data = PAT_MSG)}),

    STALLS(I_D, GETS, GETS, THIRD),
    STALLS(I_D, GETM, GETM, THIRD),
    CELL(I_D, PUT_STALE, I_D, PUTS, THIRD, .out = {TO(PUT_ACK, THIRD, THIRD)}),
    CELL(I_D, DATA_DIR, I, DATA_DIR, PEER, FIN(DIR_EM), .own2 = THIRD, .dirty2 = 1,
         .data2 = PAT_MSG, .waiter = 1 + THIRD, .out = {TO(DATA_E, THIRD, THIRD, .data = PAT_MSG)}),

    STALLS(NI_D, GETS, GETS, THIRD, .data2 = PAT_ANY),
    STALLS(NI_D, GETM, GETM, THIRD, .data2 = PAT_ANY),
    CELL(NI_D, PUT_STALE, NI_D, PUTS, THIRD, .data2 = PAT_ANY, .out = {TO(PUT_ACK, THIRD, THIRD)}),
    LOCAL(NI_D, MEM_DATA, I, FIN(DIR_EM), .own2 = ME, .data2 = PAT_MEM, .waiter = 1 + ME,
          .out = {TO(DATA_E, ME, ME, .data = PAT_MEM)}), /* the GetS that missed is served */

    STALLS(SN_A, GETS, GETS, ME, .sharers = BIT(0) | BIT(PEER), .sharers2 = BIT(0) | BIT(PEER),
           .needed = 2, .needed2 = 2),
    STALLS(SN_A, GETM, GETM, ME, .sharers = BIT(0) | BIT(PEER), .sharers2 = BIT(0) | BIT(PEER),
           .needed = 2, .needed2 = 2),
    CELL(SN_A, PUTS, SN_A, PUTS, 0, .sharers = BIT(0) | BIT(PEER), .sharers2 = BIT(0) | BIT(PEER),
         .needed = 2, .needed2 = 2, .out = {TO(PUT_ACK, 0, 0)}),
    CELL(SN_A, PUTS_LAST, SN_A, PUTS, PEER, .sharers = BIT(PEER), .sharers2 = BIT(PEER),
         .needed = 1, .needed2 = 1, .out = {TO(PUT_ACK, PEER, PEER)}),
    CELL(SN_A, PUT_STALE, SN_A, PUTS, ME, .sharers = BIT(PEER), .sharers2 = BIT(PEER), .needed = 1,
         .needed2 = 1, .out = {TO(PUT_ACK, ME, ME)}),
    CELL(SN_A, INV_ACK, SN_A, INV_ACK, 0, .sharers = BIT(0) | BIT(PEER),
         .sharers2 = BIT(0) | BIT(PEER), .needed = 2, .needed2 = 2, .got2 = 1),
    CELL(SN_A, INV_ACK_LAST, NP, INV_ACK, PEER, .sharers = BIT(0) | BIT(PEER), .needed = 2,
         .got = 1, .dirty = 1, .mem2 = PAT_LLC, .mem_reads = 1, .waiter = 1 + ME,
         .waiter_b = 1), /* the miss that evicted it takes the frame */

    STALLS(MN_D, GETS, GETS, ME, .own = PEER, .own2 = PEER),
    STALLS(MN_D, GETM, GETM, ME, .own = PEER, .own2 = PEER),
    CELL(MN_D, PUTE, MN_D, PUTE, PEER, .own = PEER, .own2 = PEER,
         .out = {TO(PUT_ACK, PEER, PEER)}),
    CELL(MN_D, PUTM, MN_D, PUTM, PEER, .own = PEER, .own2 = PEER,
         .out = {TO(PUT_ACK, PEER, PEER)}), /* the data comes again, answering the recall */
    CELL(MN_D, PUT_STALE, MN_D, PUTS, ME, .own = PEER, .own2 = PEER, .out = {TO(PUT_ACK, ME, ME)}),
    CELL(MN_D, DATA_DIR, NP, DATA_DIR, PEER, .own = PEER, .mem2 = PAT_MSG, .mem_reads = 1,
         .waiter = 1 + ME, .waiter_b = 1),
};

static unsigned char covered[DIR_NSTATES][DIR_NEVENTS];

static void run_spec(const dir_spec *s) {
  bench b;
  if (bench_open(&b)) {
    cell_bad++;
    return;
  }
  mesi *m = b.m;
  dir_ctl *d = &m->dir[0];
  cache_line *ln = NULL;
  if (s->st != DIR_NP) {
    bool is_free;
    ln = cache_victim(&d->llc, LA, NULL, NULL, &is_free);
    cache_claim(&d->llc, ln, LA);
    ln->state = s->st;
    ln->sharers = s->sharers;
    ln->owner = s->own ? s->own : -1;
    ln->acks_needed = s->needed;
    ln->acks_got = s->got;
    ln->dirty = s->dirty;
    pattern(ln->data, PAT_LLC);
  }
  net_msg *waiter = NULL;
  if (s->waiter) {
    unsigned src = s->waiter - 1u;
    waiter = net_msg_new(&m->net, MSG_GETS, s->waiter_b ? LB : LA, src, DIRN, src);
    cache__queue(ln, cache__wait_new(m, NULL, waiter));
  }

  uint64_t fired = d->fired[s->st][s->ev], stalls = d->n.stalls, reads = d->n.mem_reads;
  net_msg *msg = NULL;
  if (s->msg) {
    msg = net_msg_new(&m->net, (net_msg_type)(s->msg - 1), LA, s->src, DIRN, s->src);
    pattern(msg->data, PAT_MSG);
    dir_receive(d, msg);
  } else {
    dir_fire(d, ln, LA, (dir_event)s->ev, NULL);
  }
  cache__complete(m);

  EXPECT(!m->base.fault.code, "fault: %s", m->base.fault.msg);
  EXPECT(d->fired[s->st][s->ev] > fired, "the cell did not fire");
  if (!cell_bad) covered[s->st][s->ev] = 1;
  const proto_cell *cell = &dir_table[s->st][s->ev];
  EXPECT(cell->kind == CELL_STALL ? s->next == s->st : cell->next == s->next,
         "the table's next state is %s", dir_state_name[cell->next]);
  EXPECT(d->n.stalls - stalls == (cell->kind == CELL_STALL), "stalls counted: %" PRIu64,
         d->n.stalls - stalls);
  EXPECT(d->n.mem_reads - reads == s->mem_reads, "memory reads: %" PRIu64,
         d->n.mem_reads - reads);

  unsigned fin = s->fin ? s->fin - 1u : s->next;
  cache_line *now = cache_find(&d->llc, LA);
  if (fin == DIR_NP) {
    EXPECT(!now, "the frame was not freed");
  } else if (!now || now->state != fin) {
    EXPECT(0, "state %s, want %s", now ? dir_state_name[now->state] : "NP", dir_state_name[fin]);
  } else {
    int own = s->own2 ? s->own2 : -1;
    EXPECT(now->sharers == s->sharers2, "sharers %#" PRIx64 ", want %#x", now->sharers,
           s->sharers2);
    EXPECT(now->owner == own, "owner %d, want %d", now->owner, own);
    EXPECT(now->acks_needed == s->needed2 && now->acks_got == s->got2, "acks %u/%u, want %u/%u",
           now->acks_got, now->acks_needed, s->got2, s->needed2);
    EXPECT(now->dirty == s->dirty2, "dirty %d", now->dirty);
    if (s->data2 != PAT_ANY)
      EXPECT(holds(now->data, s->data2 ? s->data2 : PAT_LLC, 0), "LLC bytes %#x..",
             now->data[0]);
    if (s->queued)
      EXPECT(waits_last(now, NULL, msg), "not parked on the line");
    else
      EXPECT(!now->wait, "something is parked on the line");
  }
  EXPECT(holds(b.mem + LA, s->mem2 ? s->mem2 : PAT_MEM, 0), "memory bytes %#x..", b.mem[LA]);
  expect_sent(&b, s->out, DIRN);
  EXPECT(cache_array_check(&d->llc), "the LLC array breaks AR1-AR3");
  bench_close(&b);
}

static void t_cells(void) {
  int bad = 0;
  for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
    const dir_spec *s = &specs[i];
    snprintf(cell_name, sizeof cell_name, "dir %s x %s (spec %zu)", dir_state_name[s->st],
             dir_event_name[s->ev], i);
    cell_bad = 0;
    run_spec(s);
    bad += cell_bad != 0;
  }
  int missed = report_uncovered("dir", &dir_table[0][0], &covered[0][0], DIR_NSTATES,
                                DIR_NEVENTS, dir_state_name, dir_event_name);
  CHECK_EQ_I64(bad, 0);
  CHECK_EQ_I64(missed, 0);
}

/* An impossible cell stops the run and says where it was. */
static void t_impossible(void) {
  bench b;
  CHECK(bench_open(&b) == 0);
  dir_ctl *d = &b.m->dir[0];
  bool is_free;
  cache_line *ln = cache_victim(&d->llc, LA, NULL, NULL, &is_free);
  cache_claim(&d->llc, ln, LA);
  ln->state = DIR_I;
  dir_receive(d, net_msg_new(&b.m->net, MSG_DATA_DIR, LA, PEER, DIRN, DIRN));
  int code = b.m->base.fault.code;
  char msg[sizeof b.m->base.fault.msg];
  strcpy(msg, b.m->base.fault.msg);
  bool stop = b.sim.stop;
  unsigned state = ln->state;
  bench_close(&b);
  CHECK_EQ_I64(code, SIM_EVIOLATION);
  CHECK(stop);
  CHECK_CONTAINS(msg, "dir invalid transition: state I event DATA_DIR addr 0x40 from node 2");
  CHECK_EQ_U64(state, DIR_I);
}

static const check_case cases[] = {{"cells", t_cells}, {"impossible", t_impossible}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
