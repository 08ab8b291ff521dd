/* cache/proto_check.c -- the protocol tables checked as data (STYLE.md 4).
 *
 * SLICC checks a protocol when it compiles it; ours is two C arrays, so a
 * test runs these checks instead (tests/cache/test_proto.c).  A table is
 * read as a graph: states are nodes, GO cells are edges.  Problems:
 *
 *   PC1  A malformed cell: unknown kind, next state or action out of range,
 *        a STALL cell with a next state or actions.
 *   PC2  An action no cell uses: dead code in the dispatcher's switch, or a
 *        cell that lost it by mistake.
 *   PC3  A state the free-frame state (L1 I, dir NP) cannot reach by GO
 *        cells: its row can never fire.
 *   PC4  A transient state with no GO cell leading out of it, or from which
 *        no stable state can be reached: a line entering it never settles.
 *   PC5  WAKE is in exactly the GO cells that go from a transient state to
 *        a stable one.  Without it, what stalled on the line is stranded
 *        (or, into the free state, makes the dispatcher fault).  Anywhere
 *        else it is wrong too: a stable line has nothing waiting (L1a in
 *        l1.c), and replaying into a transient state would only re-stall.
 *   PC6  STALL only in transient states: a stable state must take every
 *        event it can meet, or nothing would ever WAKE the line.
 *   PC7  QUEUE (keep the request until the line settles) only in a GO cell
 *        whose next state is transient, for the same reason.
 *
 * The rejected alternative was to check these with asserts in the
 * dispatchers at run time: they would only see the cells a run fired.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"

typedef struct table_desc {
  const char *name;
  const proto_cell *cells; /* nstates * nevents, row-major */
  unsigned nstates, nevents, nactions;
  unsigned start, wake, queue; /* free-frame state; the WAKE and QUEUE actions */
  int (*stable)(unsigned);
  const char *const *state, *const *event, *const *action;
} table_desc;

typedef struct report {
  char *buf;
  size_t n, len;
  int problems;
} report;

static void say(report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(report *r, const char *fmt, ...) {
  r->problems++;
  if (r->len + 1 >= r->n) return; /* full: keep counting */
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(r->buf + r->len, r->n - r->len, fmt, ap);
  va_end(ap);
  if (k > 0) r->len += (size_t)k < r->n - r->len ? (size_t)k : r->n - r->len - 1;
}

static const proto_cell *cell(const table_desc *t, unsigned s, unsigned e) {
  return &t->cells[(size_t)s * t->nevents + e];
}

static int has_action(const proto_cell *c, unsigned a) {
  for (int i = 0; i < CELL_MAX_ACTIONS && c->act[i]; i++)
    if (c->act[i] == a) return 1;
  return 0;
}

/* PC1; returns whether the cell can be read further. */
static int well_formed(const table_desc *t, report *r, unsigned s, unsigned e) {
  const proto_cell *c = cell(t, s, e);
  const char *sn = t->state[s], *en = t->event[e];
  if (c->kind > CELL_STALL) {
    say(r, "%s: %s x %s: unknown cell kind %u\n", t->name, sn, en, c->kind);
    return 0;
  }
  if (c->kind != CELL_GO) {
    int junk = c->next != 0;
    for (int i = 0; i < CELL_MAX_ACTIONS; i++) junk |= c->act[i] != 0;
    if (junk)
      say(r, "%s: %s x %s: %s cell with a next state or actions\n", t->name, sn, en,
          c->kind == CELL_STALL ? "STALL" : "impossible");
    return 0;
  }
  int ok = 1;
  if (c->next >= t->nstates) {
    say(r, "%s: %s x %s: next state %u out of range\n", t->name, sn, en, c->next);
    ok = 0;
  }
  for (int i = 0; i < CELL_MAX_ACTIONS && c->act[i]; i++)
    if (c->act[i] >= t->nactions) {
      say(r, "%s: %s x %s: action %u out of range\n", t->name, sn, en, c->act[i]);
      ok = 0;
    }
  return ok;
}

/* Marks in seen[] every state reachable from `from` by GO cells. */
static void reach(const table_desc *t, const unsigned char *ok, unsigned from, unsigned char *seen) {
  unsigned stack[256], top = 0;
  seen[from] = 1;
  stack[top++] = from;
  while (top) {
    unsigned s = stack[--top];
    for (unsigned e = 0; e < t->nevents; e++) {
      const proto_cell *c = cell(t, s, e);
      if (!ok[s * t->nevents + e] || c->kind != CELL_GO || seen[c->next]) continue;
      seen[c->next] = 1;
      stack[top++] = c->next;
    }
  }
}

static void check_table(const table_desc *t, report *r) {
  unsigned char ok[256 * 32] = {0}, used[256] = {0}, seen[256] = {0};
  if (t->nstates > 256 || t->nevents > 32 || t->nactions > 256) {
    say(r, "%s: table too large for the checker\n", t->name);
    return;
  }
  for (unsigned s = 0; s < t->nstates; s++)
    for (unsigned e = 0; e < t->nevents; e++) {
      const proto_cell *c = cell(t, s, e);
      const char *sn = t->state[s], *en = t->event[e];
      if (!(ok[s * t->nevents + e] = (unsigned char)well_formed(t, r, s, e))) {
        if (c->kind == CELL_STALL && t->stable(s)) /* PC6 */
          say(r, "%s: %s x %s: STALL in stable state %s\n", t->name, sn, en, sn);
        continue;
      }
      for (int i = 0; i < CELL_MAX_ACTIONS && c->act[i]; i++) used[c->act[i]] = 1;
      int settles = !t->stable(s) && t->stable(c->next), wakes = has_action(c, t->wake);
      if (settles && !wakes) /* PC5 */
        say(r, "%s: %s x %s: goes from transient %s to stable %s without WAKE\n", t->name, sn,
            en, sn, t->state[c->next]);
      if (!settles && wakes)
        say(r, "%s: %s x %s: WAKE in a cell from %s %s to %s %s\n", t->name, sn, en,
            t->stable(s) ? "stable" : "transient", sn,
            t->stable(c->next) ? "stable" : "transient", t->state[c->next]);
      if (has_action(c, t->queue) && t->stable(c->next)) /* PC7 */
        say(r, "%s: %s x %s: QUEUE into stable state %s: nothing would replay it\n", t->name,
            sn, en, t->state[c->next]);
    }
  for (unsigned a = 1; a < t->nactions; a++) /* PC2; 0 is NONE */
    if (!used[a]) say(r, "%s: action %s is used by no cell\n", t->name, t->action[a]);
  reach(t, ok, t->start, seen); /* PC3 */
  for (unsigned s = 0; s < t->nstates; s++)
    if (!seen[s])
      say(r, "%s: state %s is not reachable from %s\n", t->name, t->state[s], t->state[t->start]);
  for (unsigned s = 0; s < t->nstates; s++) { /* PC4 */
    if (t->stable(s)) continue;
    int out = 0;
    for (unsigned e = 0; e < t->nevents; e++)
      out |= ok[s * t->nevents + e] && cell(t, s, e)->kind == CELL_GO && cell(t, s, e)->next != s;
    if (!out) {
      say(r, "%s: transient state %s: no GO cell leads out of it\n", t->name, t->state[s]);
      continue;
    }
    unsigned char from[256] = {0};
    reach(t, ok, s, from);
    int settles = 0;
    for (unsigned u = 0; u < t->nstates; u++) settles |= from[u] && t->stable(u);
    if (!settles)
      say(r, "%s: transient state %s: no stable state is reachable from it\n", t->name,
          t->state[s]);
  }
}

int cache_proto_check_tables(const proto_cell *l1, const proto_cell *dir, char *buf, size_t n) {
  const table_desc l1d = {"l1", l1, L1_NSTATES, L1_NEVENTS, L1_NACTIONS, L1_I, L1A_WAKE,
                          L1A_QUEUE, l1_stable, l1_state_name, l1_event_name, l1_action_name};
  const table_desc dird = {"dir", dir, DIR_NSTATES, DIR_NEVENTS, DIR_NACTIONS, DIR_NP, DIRA_WAKE,
                           DIRA_QUEUE, dir_stable, dir_state_name, dir_event_name, dir_action_name};
  report r = {buf, n, 0, 0};
  if (n) buf[0] = 0;
  check_table(&l1d, &r);
  check_table(&dird, &r);
  return r.problems;
}

int cache_proto_check(char *buf, size_t n) {
  return cache_proto_check_tables(&l1_table[0][0], &dir_table[0][0], buf, n);
}
