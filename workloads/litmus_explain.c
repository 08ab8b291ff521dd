/* workloads/litmus_explain.c -- see litmus_explain.h. */
#include "litmus_explain.h"

#include <stdlib.h>
#include <string.h>

const char *const explain_mech_name[EXPLAIN_NMECHS] = {
#define X(id, name, what) name,
    EXPLAIN_MECHS(X)
#undef X
};
const char *const explain_edge_name[] = {"po", "rf", "co", "fr"};

static bool reads(const explain_access *a) { return a->kind != EXPLAIN_WRITE; }
static bool writes(const explain_access *a) { return a->kind != EXPLAIN_READ; }

static int loc_of(const litmus_test *t, const uint64_t *loc_addr, uint64_t addr) {
  for (unsigned i = 0; i < litmus_nlocs(t); i++)
    if (loc_addr[i] == addr) return (int)i;
  return -1;
}

/* The accesses, in trace order; a write's `visible` comes from its DRAIN. */
static int collect(const litmus_test *t, const cpu_trace *tr, const uint64_t *loc_addr,
                   litmus_explanation *x) {
  x->acc = calloc(tr->n ? tr->n : 1, sizeof *x->acc);
  if (!x->acc) return SIM_ENOMEM;
  for (size_t i = 0; i < tr->n; i++) {
    const trace_ev *e = &tr->ev[i];
    if (e->kind == TRACE_DRAIN) {
      for (unsigned j = 0; j < x->nacc; j++)
        if (x->acc[j].kind == EXPLAIN_WRITE && x->acc[j].thread == e->core &&
            x->acc[j].seq == e->seq)
          x->acc[j].visible = e->cycle;
      continue;
    }
    if (e->kind == TRACE_IQ_APPLY) { /* closes the window of the core's stale reads */
      for (unsigned j = 0; j < x->nacc; j++)
        if (x->acc[j].thread == e->core && x->acc[j].src == TRACE_SRC_STALE && !x->acc[j].iq_applied)
          x->acc[j].iq_applied = e->cycle;
      continue;
    }
    if (e->kind != TRACE_LOAD && e->kind != TRACE_STORE && e->kind != TRACE_RMW) continue;
    int loc = loc_of(t, loc_addr, e->addr);
    if (loc < 0) continue;
    explain_access *a = &x->acc[x->nacc++];
    a->kind = e->kind == TRACE_LOAD ? EXPLAIN_READ : e->kind == TRACE_STORE ? EXPLAIN_WRITE : EXPLAIN_RMW;
    a->thread = e->core;
    a->seq = e->seq;
    a->pc = e->tag;
    a->loc = (unsigned)loc;
    a->issue = e->cycle;
    a->src = e->src;
    a->rf = -1;
    if (a->kind == EXPLAIN_WRITE) {
      a->wrote = e->value;
      a->visible = UINT64_MAX; /* until its DRAIN */
    } else {
      a->value = e->value;
      a->wrote = e->wrote;
      a->visible = e->at;
    }
  }
  return 0;
}

/* co: does write i perform before write j (same location)?  Ties keep
 * trace order, the order the memory system saw them. */
static bool co_before(const litmus_explanation *x, int i, int j) {
  const explain_access *a = &x->acc[i], *b = &x->acc[j];
  return a->visible < b->visible || (a->visible == b->visible && i < j);
}

/* rf: a forwarded read reads its thread's latest older store there; any
 * other the co-last write visible by its own visible time, if the value
 * agrees (else the co-last one with that value; else the initial value). */
static void find_rf(const litmus_explanation *x, int r) {
  const explain_access *a = &x->acc[r];
  int best = -1, byval = -1;
  for (int w = 0; w < (int)x->nacc; w++) {
    const explain_access *b = &x->acc[w];
    if (w == r || !writes(b) || b->loc != a->loc) continue;
    if (a->src == TRACE_SRC_SB) {
      if (b->thread == a->thread && b->seq < a->seq && (best < 0 || b->seq > x->acc[best].seq))
        best = w;
      continue;
    }
    bool before = b->visible < a->visible || (b->visible == a->visible && w < r);
    if (!before) continue;
    if (best < 0 || co_before(x, best, w)) best = w;
    if (b->wrote == a->value && (byval < 0 || co_before(x, byval, w))) byval = w;
  }
  x->acc[r].rf = best >= 0 && x->acc[best].wrote == a->value ? best : byval;
}

/* Is there an edge i -> j, and of which kind (the first that holds)? */
static int edge(const litmus_explanation *x, int i, int j, explain_edge *k) {
  const explain_access *a = &x->acc[i], *b = &x->acc[j];
  if (i == j) return 0;
  if (a->thread == b->thread) {
    if (a->seq < b->seq) return *k = EXPLAIN_PO, 1;
    return 0;
  }
  if (a->loc != b->loc) return 0;
  if (writes(a) && reads(b) && b->rf == i) return *k = EXPLAIN_RF, 1;
  if (writes(a) && writes(b) && co_before(x, i, j)) return *k = EXPLAIN_CO, 1;
  if (reads(a) && writes(b)) { /* fr: b is co-after what a read */
    if (a->rf < 0 || (a->rf != j && co_before(x, a->rf, j))) return *k = EXPLAIN_FR, 1;
  }
  return 0;
}

/* The shortest cycle of po | rf | co | fr, by a BFS from each access. */
static void find_cycle(litmus_explanation *x) {
  unsigned n = x->nacc, best = 0;
  int *prev = malloc(n * sizeof *prev), *queue = malloc(n * sizeof *queue);
  unsigned *dist = malloc(n * sizeof *dist);
  if (!prev || !queue || !dist) goto out;
  for (unsigned s = 0; s < n; s++) {
    for (unsigned i = 0; i < n; i++) prev[i] = -1, dist[i] = 0;
    unsigned head = 0, tail = 0;
    queue[tail++] = (int)s;
    int closing = -1;
    while (head < tail && closing < 0) {
      int u = queue[head++];
      explain_edge k;
      for (unsigned v = 0; v < n; v++) {
        if (!edge(x, u, (int)v, &k)) continue;
        if (v == s) {
          closing = u;
          break;
        }
        if (prev[v] >= 0 || (int)v == (int)s) continue;
        prev[v] = u;
        dist[v] = dist[u] + 1;
        queue[tail++] = (int)v;
      }
    }
    if (closing < 0) continue;
    unsigned len = dist[closing] + 1;
    if (len > EXPLAIN_MAX_CYCLE || (best && len >= best)) continue;
    best = len;
    for (int v = closing, i = (int)len - 1; i >= 0; v = prev[v], i--) x->cyc[i] = v;
    x->ncyc = len;
  }
  for (unsigned i = 0; i < x->ncyc; i++)
    edge(x, x->cyc[i], x->cyc[(i + 1) % x->ncyc], &x->edge[i]);
out:
  free(prev), free(queue), free(dist);
}

/* The value SC needed where a read on the cycle read: that of the write its
 * fr edge leads to. */
static void wrong_value(const litmus_explanation *x, unsigned ci, explain_mechanism *m) {
  const explain_access *r = &x->acc[x->cyc[ci]];
  m->loc = r->loc;
  m->seen = r->value;
  m->sc_value = r->value;
  if (x->edge[ci] == EXPLAIN_FR) m->sc_value = x->acc[x->cyc[(ci + 1) % x->ncyc]].wrote;
}

/* A write's value that a read on the cycle missed (its fr edge into w). */
static void missed_write(const litmus_explanation *x, int w, explain_mechanism *m) {
  m->loc = x->acc[w].loc;
  m->seen = m->sc_value = x->acc[w].wrote;
  for (unsigned i = 0; i < x->ncyc; i++)
    if (x->edge[i] == EXPLAIN_FR && x->cyc[(i + 1) % x->ncyc] == w) {
      m->seen = x->acc[x->cyc[i]].value;
      return;
    }
}

static void classify(litmus_explanation *x) {
  for (unsigned i = 0; i < x->ncyc && x->nmech < EXPLAIN_MAX_MECHS; i++) {
    if (x->edge[i] != EXPLAIN_PO) continue;
    unsigned j = (i + 1) % x->ncyc;
    int o = x->cyc[i], y = x->cyc[j];
    const explain_access *a = &x->acc[o], *b = &x->acc[y];
    if (b->visible >= a->visible) continue; /* performed in order */
    explain_mechanism *m = &x->mech[x->nmech++];
    memset(m, 0, sizeof *m);
    m->thread = a->thread;
    m->older = o;
    m->younger = y;
    if (writes(a) && reads(b)) {
      m->kind = EXPLAIN_STORE_BUFFER;
      m->from_cycle = a->issue; /* in the buffer from its issue to its drain */
      m->to_cycle = a->visible;
      m->fix = MF_FULL;
      wrong_value(x, j, m);
    } else if (writes(a) && writes(b)) {
      m->kind = EXPLAIN_STORE_ORDER;
      m->from_cycle = b->visible;
      m->to_cycle = a->visible;
      m->fix = MF_STORE;
      missed_write(x, o, m);
    } else if (reads(b)) {
      m->kind = b->src == TRACE_SRC_STALE ? EXPLAIN_INVALIDATE_QUEUE : EXPLAIN_LOAD_ORDER;
      m->from_cycle = b->visible; /* the invalidation arrived, and waited */
      m->to_cycle = b->iq_applied ? b->iq_applied : b->issue;
      m->fix = MF_LOAD;
      wrong_value(x, j, m);
    } else {
      m->kind = EXPLAIN_LOAD_ORDER;
      m->from_cycle = b->visible;
      m->to_cycle = a->visible;
      m->fix = MF_FULL;
      wrong_value(x, i, m);
    }
  }
}

int litmus_explain(const litmus_test *t, const cpu_trace *tr, const uint64_t *loc_addr,
                   litmus_explanation *x, sim_err *err) {
  memset(x, 0, sizeof *x);
  x->dropped = tr->dropped;
  if (collect(t, tr, loc_addr, x)) return sim_errf(err, SIM_ENOMEM, "out of memory");
  for (unsigned r = 0; r < x->nacc; r++)
    if (reads(&x->acc[r])) find_rf(x, (int)r);
  find_cycle(x);
  x->sc = x->ncyc == 0;
  classify(x);
  return 0;
}

void litmus_explanation_free(litmus_explanation *x) {
  free(x->acc);
  memset(x, 0, sizeof *x);
}

int litmus_explain_fixed(const litmus_test *t, const litmus_explanation *x, litmus_test **out,
                         sim_err *err) {
  int rc = litmus_parse_string(litmus_path(t), litmus_source(t), out, err);
  if (rc) return rc;
  /* Highest pc first, so earlier insertions do not move later ones. */
  bool done[EXPLAIN_MAX_MECHS] = {false};
  for (unsigned k = 0; k < x->nmech; k++) {
    int pick = -1;
    for (unsigned i = 0; i < x->nmech; i++) {
      if (done[i]) continue;
      const explain_access *a = &x->acc[x->mech[i].older];
      if (pick < 0 || a->pc > x->acc[x->mech[pick].older].pc) pick = (int)i;
    }
    done[pick] = true;
    const explain_mechanism *m = &x->mech[pick];
    const explain_access *a = &x->acc[m->older];
    bool dup = false; /* the same fence after the same access, once */
    for (unsigned i = 0; i < x->nmech; i++)
      if (done[i] && (int)i != pick && x->mech[i].older == m->older && x->mech[i].fix == m->fix)
        dup = true;
    if (dup) continue;
    if ((rc = litmus_insert_fence(*out, a->thread, a->pc + 1, m->fix))) {
      litmus_free(*out);
      *out = NULL;
      return sim_errf(err, rc, "%s: cannot insert a fence in thread %u", litmus_path(t), a->thread);
    }
  }
  return 0;
}
