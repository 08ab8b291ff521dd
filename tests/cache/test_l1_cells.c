/* tests/cache/test_l1_cells.c -- every reachable cell of l1_table.c, fired
 * once on a line set up by hand (STYLE.md 7: directed protocol tests).
 *
 * Each spec names a cell, the line before it (state, ack counters; bytes
 * pattern(PAT_L1)), the stimulus, and what must hold after: the state, the
 * counters, the bytes, whether the access performed and what it read, what
 * was queued on the line, and every message sent.  Messages go in through
 * l1_receive, so the input port's DATA/DATA_LAST and ACK/ACK_LAST
 * classification is tested with them; core accesses and REPL are fired with
 * l1_fire, as l1_request and take_frame do.  A cell with WAKE gets a
 * request parked on the line first, so the replay is seen too.
 *
 * The test fails if a GO or STALL cell of the table has no spec: a cell
 * added to the table needs a spec here.  Core ME is under test; PEER is the
 * other party of a forward or an Inv.
 */
#include "cells.h"

enum { W_NONE, W_LOAD, W_STORE, W_LOAD_B }; /* a request parked on the line */
enum { Q_NONE, Q_EV, Q_WAITER };            /* what is parked on the line after */
#define FIN(s) .fin = (s) + 1               /* the final state, if not the cell's next */

typedef struct l1_spec {
  uint8_t st, ev, next;
  uint8_t msg;        /* MSG_x + 1 delivered through l1_receive; 0: LOAD, STORE or REPL */
  uint8_t src, req, acks; /* of the message */
  uint8_t needed, got;    /* the line's ack counters, before */
  uint8_t needed2, got2;  /* and after */
  uint8_t waiter;
  uint8_t iq;         /* the core has an invalidate queue (weak) */
  uint8_t fin;
  uint8_t queued;     /* Q_EV: the event's request or message is parked on the line */
  uint8_t data2;      /* the line's bytes after (0: PAT_L1), a performed store laid over */
  uint8_t done;       /* an access performed and read pattern(done) (0: none did) */
  want_msg out[4];
} l1_spec;

#define CORE(s, e, n, ...) {L1_##s, L1E_##e, L1_##n, 0, __VA_ARGS__}
#define MSG(s, e, n, m, source, rq, ...) \
  {L1_##s, L1E_##e, L1_##n, MSG_##m + 1, .src = (source), .req = (rq), __VA_ARGS__}
#define STALLS(s, e) CORE(s, e, s, .queued = Q_EV)
#define STALLS_MSG(s, e, m, source, rq) MSG(s, e, s, m, source, rq, .queued = Q_EV)

static const l1_spec specs[] = {
    CORE(I, LOAD, IS_D, .queued = Q_EV, .out = {TO(GETS, DIRN, ME)}),
    CORE(I, STORE, IM_AD, .queued = Q_EV, .out = {TO(GETM, DIRN, ME)}),

    CORE(S, LOAD, S, .done = PAT_L1),
    CORE(S, STORE, SM_AD, .queued = Q_EV, .out = {TO(GETM, DIRN, ME)}),
    CORE(S, REPL, SI_A, .out = {TO(PUTS, DIRN, ME)}),
    MSG(S, INV, I, INV, DIRN, PEER, .out = {TO(INV_ACK, PEER, PEER)}),
    MSG(S, INV, I, INV, DIRN, DIRN, .out = {TO(INV_ACK, DIRN, DIRN)}), /* a recall */

    /* weak: the invalidate queue */
    MSG(S, INV_Q, S_Q, INV, DIRN, PEER, .iq = 1, .out = {TO(INV_ACK, PEER, PEER)}),
    CORE(S_Q, LOAD, S_Q, .iq = 1, .done = PAT_L1), /* the stale bytes */
    CORE(S_Q, STORE, IM_AD, .iq = 1, .queued = Q_EV, .out = {TO(GETM, DIRN, ME)}),
    CORE(S_Q, REPL, I, .iq = 1),
    CORE(S_Q, IQ_APPLY, I, .iq = 1),

    CORE(E, LOAD, E, .done = PAT_L1),
    CORE(E, STORE, M, .done = PAT_L1),
    CORE(E, REPL, EI_A, .out = {TO(PUTE, DIRN, ME)}),
    MSG(E, FWD_GETS, S, FWD_GETS, DIRN, PEER,
        .out = {TO(DATA, PEER, PEER, .data = PAT_L1), TO(DATA_DIR, DIRN, DIRN, .data = PAT_L1)}),
    MSG(E, FWD_GETM, I, FWD_GETM, DIRN, PEER, .out = {TO(DATA, PEER, PEER, .data = PAT_L1)}),
    MSG(E, RECALL, I, RECALL, DIRN, DIRN, .out = {TO(DATA_DIR, DIRN, DIRN, .data = PAT_L1)}),

    CORE(M, LOAD, M, .done = PAT_L1),
    CORE(M, STORE, M, .done = PAT_L1),
    CORE(M, REPL, MI_A, .out = {TO(PUTM, DIRN, ME, .data = PAT_L1)}),
    MSG(M, FWD_GETS, S, FWD_GETS, DIRN, PEER,
        .out = {TO(DATA, PEER, PEER, .data = PAT_L1), TO(DATA_DIR, DIRN, DIRN, .data = PAT_L1)}),
    MSG(M, FWD_GETM, I, FWD_GETM, DIRN, PEER, .out = {TO(DATA, PEER, PEER, .data = PAT_L1)}),
    MSG(M, RECALL, I, RECALL, DIRN, DIRN, .out = {TO(DATA_DIR, DIRN, DIRN, .data = PAT_L1)}),

    STALLS(IS_D, LOAD), STALLS(IS_D, STORE),
    STALLS_MSG(IS_D, INV, INV, DIRN, PEER), /* overtook the data from the old owner */
    MSG(IS_D, DATA_LAST, S, DATA, DIRN, ME, .waiter = W_LOAD, .data2 = PAT_MSG, .done = PAT_MSG),
    MSG(IS_D, DATA_LAST, S, DATA, PEER, ME, .waiter = W_LOAD, .data2 = PAT_MSG,
        .done = PAT_MSG), /* from the old owner, after a Fwd-GetS */
    MSG(IS_D, DATA_E, E, DATA_E, DIRN, ME, .waiter = W_LOAD, .data2 = PAT_MSG, .done = PAT_MSG),

    STALLS(IM_AD, LOAD), STALLS(IM_AD, STORE),
    STALLS_MSG(IM_AD, FWD_GETS, FWD_GETS, DIRN, PEER),
    STALLS_MSG(IM_AD, FWD_GETM, FWD_GETM, DIRN, PEER),
    STALLS_MSG(IM_AD, RECALL, RECALL, DIRN, DIRN),
    MSG(IM_AD, DATA, IM_A, DATA, DIRN, ME, .acks = 2, .needed2 = 2, .data2 = PAT_MSG),
    MSG(IM_AD, DATA, IM_A, DATA, DIRN, ME, .acks = 2, .got = 1, .needed2 = 2, .got2 = 1,
        .data2 = PAT_MSG), /* one ack came before the data */
    MSG(IM_AD, DATA_LAST, M, DATA, PEER, ME, .waiter = W_STORE, .data2 = PAT_MSG,
        .done = PAT_MSG),
    MSG(IM_AD, DATA_LAST, M, DATA, DIRN, ME, .acks = 2, .got = 2, .waiter = W_STORE,
        .data2 = PAT_MSG, .done = PAT_MSG), /* every ack came before the data */
    MSG(IM_AD, ACK, IM_AD, INV_ACK, PEER, ME, .got2 = 1),

    STALLS(IM_A, LOAD), STALLS(IM_A, STORE),
    STALLS_MSG(IM_A, FWD_GETS, FWD_GETS, DIRN, PEER),
    STALLS_MSG(IM_A, FWD_GETM, FWD_GETM, DIRN, PEER),
    STALLS_MSG(IM_A, RECALL, RECALL, DIRN, DIRN),
    MSG(IM_A, ACK, IM_A, INV_ACK, PEER, ME, .needed = 2, .needed2 = 2, .got2 = 1),
    MSG(IM_A, ACK_LAST, M, INV_ACK, PEER, ME, .needed = 2, .got = 1, .waiter = W_STORE,
        .done = PAT_L1),

    CORE(SM_AD, LOAD, SM_AD, .done = PAT_L1),
    STALLS(SM_AD, STORE),
    MSG(SM_AD, INV, IM_AD, INV, DIRN, PEER, .out = {TO(INV_ACK, PEER, PEER)}),
    MSG(SM_AD, DATA, SM_A, DATA, DIRN, ME, .acks = 1, .needed2 = 1, .data2 = PAT_MSG),
    MSG(SM_AD, DATA_LAST, M, DATA, DIRN, ME, .waiter = W_STORE, .data2 = PAT_MSG,
        .done = PAT_MSG),
    MSG(SM_AD, ACK, SM_AD, INV_ACK, PEER, ME, .got2 = 1),

    CORE(SM_A, LOAD, SM_A, .needed = 2, .needed2 = 2, .done = PAT_L1),
    CORE(SM_A, STORE, SM_A, .needed = 2, .needed2 = 2, .queued = Q_EV),
    STALLS_MSG(SM_A, FWD_GETS, FWD_GETS, DIRN, PEER),
    STALLS_MSG(SM_A, FWD_GETM, FWD_GETM, DIRN, PEER),
    STALLS_MSG(SM_A, RECALL, RECALL, DIRN, DIRN),
    MSG(SM_A, ACK, SM_A, INV_ACK, PEER, ME, .needed = 2, .needed2 = 2, .got2 = 1),
    MSG(SM_A, ACK_LAST, M, INV_ACK, PEER, ME, .needed = 1, .waiter = W_STORE, .done = PAT_L1),

    STALLS(MI_A, LOAD), STALLS(MI_A, STORE),
    MSG(MI_A, FWD_GETS, SI_A, FWD_GETS, DIRN, PEER,
        .out = {TO(DATA, PEER, PEER, .data = PAT_L1), TO(DATA_DIR, DIRN, DIRN, .data = PAT_L1)}),
    MSG(MI_A, FWD_GETM, II_A, FWD_GETM, DIRN, PEER, .out = {TO(DATA, PEER, PEER, .data = PAT_L1)}),
    MSG(MI_A, RECALL, II_A, RECALL, DIRN, DIRN, .out = {TO(DATA_DIR, DIRN, DIRN, .data = PAT_L1)}),
    MSG(MI_A, PUT_ACK, I, PUT_ACK, DIRN, ME, .waiter = W_LOAD_B,
        .out = {TO(GETS, DIRN, ME, .at_b = 1)}), /* the miss that evicted it goes on */

    STALLS(EI_A, LOAD), STALLS(EI_A, STORE),
    MSG(EI_A, FWD_GETS, SI_A, FWD_GETS, DIRN, PEER,
        .out = {TO(DATA, PEER, PEER, .data = PAT_L1), TO(DATA_DIR, DIRN, DIRN, .data = PAT_L1)}),
    MSG(EI_A, FWD_GETM, II_A, FWD_GETM, DIRN, PEER, .out = {TO(DATA, PEER, PEER, .data = PAT_L1)}),
    MSG(EI_A, RECALL, II_A, RECALL, DIRN, DIRN, .out = {TO(DATA_DIR, DIRN, DIRN, .data = PAT_L1)}),
    MSG(EI_A, PUT_ACK, I, PUT_ACK, DIRN, ME, .waiter = W_LOAD_B,
        .out = {TO(GETS, DIRN, ME, .at_b = 1)}),

    STALLS(SI_A, LOAD), STALLS(SI_A, STORE),
    MSG(SI_A, INV, II_A, INV, DIRN, PEER, .out = {TO(INV_ACK, PEER, PEER)}),
    MSG(SI_A, PUT_ACK, I, PUT_ACK, DIRN, ME, .waiter = W_LOAD_B,
        .out = {TO(GETS, DIRN, ME, .at_b = 1)}),

    STALLS(II_A, LOAD), STALLS(II_A, STORE),
    MSG(II_A, PUT_ACK, I, PUT_ACK, DIRN, ME, .waiter = W_LOAD, FIN(L1_IS_D), .queued = Q_WAITER,
        .out = {TO(GETS, DIRN, ME)}), /* a load that stalled here misses again */
};

static unsigned char covered[L1_NSTATES][L1_NEVENTS];
static unsigned completions;

static void on_done(sim_engine *sim, mem_req *r) {
  (void)sim;
  completions++;
  *(int *)r->owner = 1;
}

static void req_init(mem_req *r, mem_req_kind kind, uint64_t line, int *flag) {
  memset(r, 0, sizeof *r);
  r->kind = kind;
  r->core = ME;
  r->size = 8;
  r->addr = line + OFF;
  r->value = STORE_VAL;
  r->done = on_done;
  r->owner = flag;
}

static void run_spec(const l1_spec *s) {
  bench b;
  if (bench_open_iq(&b, s->iq ? 4 : 0)) {
    cell_bad++;
    return;
  }
  mesi *m = b.m;
  l1_ctl *c = &m->l1[ME];
  bool is_free;
  cache_line *ln = cache_victim(&c->arr, LA, NULL, NULL, &is_free);
  cache_claim(&c->arr, ln, LA); /* state I: a frame just taken, as take_frame does */
  ln->state = s->st;
  ln->acks_needed = s->needed;
  ln->acks_got = s->got;
  pattern(ln->data, PAT_L1);
  if (s->st == L1_S_Q) iq_push(&c->iq, LA, 0); /* its Inv arrived at cycle 0 */

  int ev_done = 0, wait_done = 0;
  mem_req r_ev, r_wait;
  req_init(&r_ev, s->ev == L1E_STORE ? REQ_STORE : REQ_LOAD, LA, &ev_done);
  req_init(&r_wait, s->waiter == W_STORE ? REQ_STORE : REQ_LOAD, s->waiter == W_LOAD_B ? LB : LA,
           &wait_done);
  if (s->waiter) cache__queue(ln, cache__wait_new(m, &r_wait, NULL));

  uint64_t fired = c->fired[s->st][s->ev], stalls = c->n.stalls;
  net_msg *msg = NULL;
  completions = 0;
  if (s->msg) {
    msg = net_msg_new(&m->net, (net_msg_type)(s->msg - 1), LA, s->src, ME, s->req);
    msg->acks = s->acks;
    pattern(msg->data, PAT_MSG);
    l1_receive(c, msg);
  } else {
    bool access = s->ev == L1E_LOAD || s->ev == L1E_STORE;
    if (s->ev == L1E_IQ_APPLY) iq_remove(&c->iq, LA); /* the queue takes it out, then fires */
    l1_fire(c, ln, LA, (l1_event)s->ev, access ? &r_ev : NULL, NULL);
  }
  cache__complete(m);
  /* The queue holds the line exactly while it is in S_Q (IQ1). */
  cache_line *after = cache_find(&c->arr, LA);
  EXPECT((iq_find(&c->iq, LA) != NULL) == (after && after->state == L1_S_Q),
         "the invalidate queue %s the line", iq_find(&c->iq, LA) ? "holds" : "lacks");
  if (s->st == L1_S_Q && ev_done)
    EXPECT(r_ev.perf_at == 0, "a stale hit performs when its Inv arrived, not at %" PRIu64,
           r_ev.perf_at);

  EXPECT(!m->base.fault.code, "fault: %s", m->base.fault.msg);
  EXPECT(c->fired[s->st][s->ev] > fired, "the cell did not fire");
  if (!cell_bad) covered[s->st][s->ev] = 1;
  const proto_cell *cell = &l1_table[s->st][s->ev];
  EXPECT(cell->kind == CELL_STALL ? s->next == s->st : cell->next == s->next,
         "the table's next state is %s", l1_state_name[cell->next]);
  EXPECT(c->n.stalls - stalls == (cell->kind == CELL_STALL), "stalls counted: %" PRIu64,
         c->n.stalls - stalls);

  unsigned fin = s->fin ? s->fin - 1u : s->next;
  cache_line *now = cache_find(&c->arr, LA);
  mem_req *performed = ev_done ? &r_ev : wait_done ? &r_wait : NULL;
  if (fin == L1_I) {
    EXPECT(!now, "the frame was not freed");
  } else if (!now || now->state != fin) {
    EXPECT(0, "state %s, want %s", now ? l1_state_name[now->state] : "I", l1_state_name[fin]);
  } else {
    int stored = performed && performed->kind == REQ_STORE;
    EXPECT(holds(now->data, s->data2 ? s->data2 : PAT_L1, stored), "line bytes %#x.. %s",
           now->data[0], stored ? "(a store performed)" : "");
    EXPECT(now->acks_needed == s->needed2 && now->acks_got == s->got2, "acks %u/%u, want %u/%u",
           now->acks_got, now->acks_needed, s->got2, s->needed2);
    if (s->queued == Q_WAITER)
      EXPECT(waits_last(now, &r_wait, NULL), "the waiter is not parked on the line");
    else if (s->queued)
      EXPECT(waits_last(now, s->msg ? NULL : &r_ev, msg), "not parked on the line");
    else
      EXPECT(!now->wait, "something is parked on the line");
  }
  EXPECT(completions == (s->done != 0), "%u accesses performed", completions);
  if (s->done && performed)
    EXPECT(performed->value == pattern_word(s->done), "read %#" PRIx64 ", want %#" PRIx64,
           performed->value, pattern_word(s->done));
  expect_sent(&b, s->out, ME);
  EXPECT(cache_array_check(&c->arr), "the L1 array breaks AR1-AR3");
  EXPECT(iq_check(&c->iq), "the invalidate queue breaks IQ1-IQ2");
  bench_close(&b);
}

static void t_cells(void) {
  int bad = 0;
  for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
    const l1_spec *s = &specs[i];
    snprintf(cell_name, sizeof cell_name, "l1 %s x %s (spec %zu)", l1_state_name[s->st],
             l1_event_name[s->ev], i);
    cell_bad = 0;
    run_spec(s);
    bad += cell_bad != 0;
  }
  int missed = report_uncovered("l1", &l1_table[0][0], &covered[0][0], L1_NSTATES, L1_NEVENTS,
                                l1_state_name, l1_event_name);
  CHECK_EQ_I64(bad, 0);
  CHECK_EQ_I64(missed, 0);
}

/* An impossible cell stops the run and says where it was. */
static void t_impossible(void) {
  bench b;
  CHECK(bench_open(&b) == 0);
  l1_ctl *c = &b.m->l1[ME];
  bool is_free;
  cache_line *ln = cache_victim(&c->arr, LA, NULL, NULL, &is_free);
  cache_claim(&c->arr, ln, LA);
  ln->state = L1_S;
  l1_receive(c, net_msg_new(&b.m->net, MSG_PUT_ACK, LA, DIRN, ME, ME));
  int code = b.m->base.fault.code;
  char msg[sizeof b.m->base.fault.msg];
  strcpy(msg, b.m->base.fault.msg);
  bool stop = b.sim.stop;
  unsigned state = cache_find(&c->arr, LA) ? cache_find(&c->arr, LA)->state : 0;
  bench_close(&b);
  CHECK_EQ_I64(code, SIM_EVIOLATION);
  CHECK(stop);
  CHECK_CONTAINS(msg, "l1[1] invalid transition: state S event PUT_ACK addr 0x40");
  CHECK_EQ_U64(state, L1_S);
}

static const check_case cases[] = {{"cells", t_cells}, {"impossible", t_impossible}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
