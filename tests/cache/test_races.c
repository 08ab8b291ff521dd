/* tests/cache/test_races.c -- message orders that only jitter produces,
 * scripted: the messages a step sends are taken from the net tap and
 * delivered by hand, in an order the FIFO links allow (net.h N1: only
 * messages on different links may overtake each other).  Each script
 * reproduces a race that once reached an impossible cell.
 */
#include "cells.h"

static unsigned find_sent(const bench *b, unsigned from, net_msg_type type, unsigned src) {
  for (unsigned i = from; i < b->nsent; i++)
    if (b->log[i].type == type && b->log[i].src == src) return i;
  return b->nsent;
}

static void on_done(sim_engine *sim, mem_req *r) {
  (void)sim;
  *(int *)r->owner = 1;
}

/* The old owner evicts (PutM in flight) as a GetS arrives; the reader gets
 * the line from it, and evicts its S copy too.  Its PutS (link ME->dir)
 * overtakes the old owner's data (link PEER->dir): the dir meets the last
 * sharer's Put while still in S_D, and must end with no copy at all. */
static void t_last_sharer_leaves_before_owner_data(void) {
  bench b;
  CHECK(bench_open(&b) == 0);
  mesi *m = b.m;
  bool is_free;
  cache_line *d = cache_victim(&m->dir[0].llc, LA, NULL, NULL, &is_free);
  cache_claim(&m->dir[0].llc, d, LA);
  d->state = DIR_EM;
  d->owner = PEER;
  pattern(d->data, PAT_LLC);
  l1_place(&m->l1[PEER], LA, L1_M, d->data);
  pattern(cache_find(&m->l1[PEER].arr, LA)->data, PAT_MSG); /* its newer bytes */

  l1_fire(&m->l1[PEER], cache_find(&m->l1[PEER].arr, LA), LA, L1E_REPL, NULL, NULL);
  int loaded = 0;
  mem_req r = {.kind = REQ_LOAD, .core = ME, .size = 8, .addr = LA + OFF, .done = on_done,
               .owner = &loaded};
  l1_request(&m->l1[ME], &r, true);
  unsigned putm = find_sent(&b, 0, MSG_PUTM, PEER), gets = find_sent(&b, 0, MSG_GETS, ME);
  CHECK(putm < b.nsent && gets < b.nsent);
  deliver_sent(&b, gets);                                     /* EM -> S_D, Fwd-GetS */
  deliver_sent(&b, putm);                                     /* S_D x PUTS */
  unsigned fwd = find_sent(&b, 0, MSG_FWD_GETS, DIRN);
  CHECK(fwd < b.nsent);
  deliver_sent(&b, fwd);                                      /* MI_A -> SI_A */
  unsigned data = find_sent(&b, 0, MSG_DATA, PEER), ddir = find_sent(&b, 0, MSG_DATA_DIR, PEER);
  CHECK(data < b.nsent && ddir < b.nsent);
  deliver_sent(&b, data);                                     /* IS_D -> S, the load */
  CHECK(loaded);
  CHECK_EQ_U64(r.value, pattern_word(PAT_MSG));
  l1_fire(&m->l1[ME], cache_find(&m->l1[ME].arr, LA), LA, L1E_REPL, NULL, NULL);
  unsigned puts = find_sent(&b, 0, MSG_PUTS, ME);
  CHECK(puts < b.nsent);
  deliver_sent(&b, puts); /* overtakes the data on PEER->dir */
  CHECK_EQ_STR(m->base.fault.msg, "");
  deliver_sent(&b, ddir);
  CHECK_EQ_STR(m->base.fault.msg, "");
  d = cache_find(&m->dir[0].llc, LA);
  CHECK(d);
  CHECK_EQ_STR(dir_state_name[d->state], "I");
  CHECK_EQ_U64(d->sharers, 0);
  CHECK_EQ_I64(d->owner, -1);
  CHECK(d->dirty && holds(d->data, PAT_MSG, 0));
  bench_close(&b);
}

static const check_case cases[] = {
    {"last_sharer_leaves_before_owner_data", t_last_sharer_leaves_before_owner_data}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
