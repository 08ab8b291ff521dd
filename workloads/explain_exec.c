/* workloads/explain_exec.c -- see explain_exec.h. */
#include "explain_exec.h"

#include <stdio.h>
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

/* Working indexes over x->acc, built once: the writes of each location, the
 * accesses of each thread (program order), the reads of each write. */
typedef struct xindex {
  unsigned nlocs, nthreads;
  int *wstart, *wlist;  /* writes of loc l: wlist[wstart[l] .. wstart[l+1]) */
  int *tstart, *tlist;  /* accesses of thread t, likewise */
  int *pos;             /* an access's place in its thread's list */
  int *rd_head, *rd_next; /* reads of a write, as lists */
} xindex;

static void index_free(xindex *ix) {
  free(ix->wstart), free(ix->wlist), free(ix->tstart), free(ix->tlist), free(ix->pos);
  free(ix->rd_head), free(ix->rd_next);
}

/* Counting sort of accesses into buckets by key (or -1: left out). */
static int bucket(const explain_exec *x, unsigned nkeys, int (*key)(const explain_access *),
                  int **start, int **list) {
  *start = calloc(nkeys + 2, sizeof **start);
  *list = malloc((x->nacc ? x->nacc : 1) * sizeof **list);
  if (!*start || !*list) return SIM_ENOMEM;
  for (unsigned i = 0; i < x->nacc; i++)
    if (key(&x->acc[i]) >= 0) (*start)[key(&x->acc[i]) + 2]++;
  for (unsigned k = 2; k < nkeys + 2; k++) (*start)[k] += (*start)[k - 1];
  for (unsigned i = 0; i < x->nacc; i++)
    if (key(&x->acc[i]) >= 0) (*list)[(*start)[key(&x->acc[i]) + 1]++] = (int)i;
  return 0; /* start[k] .. start[k+1] is bucket k */
}
static int write_key(const explain_access *a) { return writes(a) ? (int)a->loc : -1; }
static int thread_key(const explain_access *a) { return (int)a->thread; }

/* --- Collecting the accesses ---------------------------------------------- */

/* The accesses, in trace order; a write's `visible` comes from its DRAIN. */
static int collect(const cpu_trace *tr, const explain_opts *o, explain_exec *x) {
  x->acc = calloc(tr->n ? tr->n : 1, sizeof *x->acc);
  int *pending = malloc((tr->n ? tr->n : 1) * sizeof *pending); /* writes, then stale reads */
  if (!x->acc || !pending) return free(pending), SIM_ENOMEM;
  unsigned nw = 0, ns = 0; /* pending writes from the front, stale reads from the back */
  for (size_t i = 0; i < tr->n; i++) {
    const trace_ev *e = &tr->ev[i];
    if (e->kind == TRACE_DRAIN) {
      for (unsigned j = 0; j < nw; j++) {
        explain_access *a = &x->acc[pending[j]];
        if (a->thread == e->core && a->seq == e->seq) {
          a->visible = e->cycle;
          pending[j] = pending[--nw];
          break;
        }
      }
      continue;
    }
    if (e->kind == TRACE_IQ_APPLY) { /* closes the window of the core's stale reads */
      for (unsigned j = 0; j < ns; j++) {
        explain_access *a = &x->acc[pending[tr->n - 1 - j]];
        if (a->thread == e->core && !a->iq_applied) a->iq_applied = e->cycle;
      }
      continue;
    }
    if (e->kind != TRACE_LOAD && e->kind != TRACE_STORE && e->kind != TRACE_RMW) continue;
    int loc = o->loc_of(o->ctx, e);
    if (loc < 0) continue;
    explain_access *a = &x->acc[x->nacc];
    a->kind = e->kind == TRACE_LOAD ? EXPLAIN_READ : e->kind == TRACE_STORE ? EXPLAIN_WRITE : EXPLAIN_RMW;
    a->thread = e->core;
    a->seq = e->seq;
    a->tag = e->tag;
    a->addr = e->addr;
    a->size = e->size;
    a->loc = (unsigned)loc;
    a->issue = e->cycle;
    a->src = e->src;
    a->rf = -1;
    if (a->kind == EXPLAIN_WRITE) {
      a->wrote = e->value;
      a->visible = UINT64_MAX; /* until its DRAIN */
      pending[nw++] = (int)x->nacc;
    } else {
      a->value = e->value;
      a->wrote = e->wrote;
      a->visible = e->at;
      if (a->src == TRACE_SRC_STALE) pending[tr->n - 1 - ns++] = (int)x->nacc;
    }
    x->nacc++;
  }
  free(pending);
  return 0;
}

/* Leave out the locations only one thread touches, or nobody writes: no
 * communication edge reaches them, so they lie on no cycle (po is
 * transitive), and no atomicity mechanism involves them. */
static void prune(explain_exec *x) {
  unsigned nlocs = 0;
  for (unsigned i = 0; i < x->nacc; i++)
    if (x->acc[i].loc + 1 > nlocs) nlocs = x->acc[i].loc + 1;
  uint64_t *threads = calloc(nlocs ? nlocs : 1, sizeof *threads);
  bool *written = calloc(nlocs ? nlocs : 1, sizeof *written);
  if (threads && written) {
    for (unsigned i = 0; i < x->nacc; i++) {
      threads[x->acc[i].loc] |= UINT64_C(1) << (x->acc[i].thread & 63);
      written[x->acc[i].loc] |= writes(&x->acc[i]);
    }
    unsigned n = 0;
    for (unsigned i = 0; i < x->nacc; i++) {
      uint64_t t = threads[x->acc[i].loc];
      if (written[x->acc[i].loc] && (t & (t - 1))) x->acc[n++] = x->acc[i];
    }
    x->nacc = n;
  }
  free(threads), free(written);
}

static int build_index(const explain_exec *x, xindex *ix) {
  memset(ix, 0, sizeof *ix);
  for (unsigned i = 0; i < x->nacc; i++) {
    if (x->acc[i].loc + 1 > ix->nlocs) ix->nlocs = x->acc[i].loc + 1;
    if (x->acc[i].thread + 1 > ix->nthreads) ix->nthreads = x->acc[i].thread + 1;
  }
  size_t n = x->nacc ? x->nacc : 1;
  ix->pos = malloc(n * sizeof *ix->pos);
  ix->rd_head = malloc(n * sizeof *ix->rd_head);
  ix->rd_next = malloc(n * sizeof *ix->rd_next);
  if (!ix->pos || !ix->rd_head || !ix->rd_next ||
      bucket(x, ix->nlocs, write_key, &ix->wstart, &ix->wlist) ||
      bucket(x, ix->nthreads, thread_key, &ix->tstart, &ix->tlist))
    return SIM_ENOMEM;
  /* Program order is the uops' order (seq).  The trace has an access where
   * it performed, which is the same order on an in-order core (the lists
   * come sorted: one pass) but not under arm, where a load binds after
   * younger uops did. */
  for (unsigned t = 0; t < ix->nthreads; t++)
    for (int k = ix->tstart[t] + 1; k < ix->tstart[t + 1]; k++)
      for (int j = k; j > ix->tstart[t] && x->acc[ix->tlist[j - 1]].seq > x->acc[ix->tlist[j]].seq; j--) {
        int v = ix->tlist[j];
        ix->tlist[j] = ix->tlist[j - 1], ix->tlist[j - 1] = v;
      }
  for (unsigned t = 0; t < ix->nthreads; t++)
    for (int k = ix->tstart[t]; k < ix->tstart[t + 1]; k++) ix->pos[ix->tlist[k]] = k;
  return 0;
}

/* --- Communication -------------------------------------------------------- */

/* co: does write i perform before write j (same location)?  Ties keep
 * trace order, the order the memory system saw them. */
static bool co_before(const explain_exec *x, int i, int j) {
  const explain_access *a = &x->acc[i], *b = &x->acc[j];
  return a->visible < b->visible || (a->visible == b->visible && i < j);
}

/* rf: a forwarded read reads its thread's latest older store there; any
 * other the co-last write visible by its own visible time, if the value
 * agrees (else the co-last one with that value; else the initial value). */
static void find_rf(explain_exec *x, const xindex *ix, int r) {
  const explain_access *a = &x->acc[r];
  int best = -1, byval = -1;
  for (int k = ix->wstart[a->loc]; k < ix->wstart[a->loc + 1]; k++) {
    int w = ix->wlist[k];
    const explain_access *b = &x->acc[w];
    if (w == r) continue;
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
static int edge(const explain_exec *x, int i, int j, explain_edge *k) {
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

/* --- The shortest cycle ---------------------------------------------------- */

typedef struct bfs {
  int *prev, *queue, *nb;
  unsigned *dist;
  int *low; /* per thread: the lowest list place whose po-successors are queued */
} bfs;

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* The neighbours of u not yet reached, in index order (the order a scan of
 * every access would meet them: the chain does not depend on how edges are
 * found).  Program order reaches every later access of the thread at once;
 * bfs.low skips what an earlier, older access of the thread already queued. */
static unsigned neighbours(const explain_exec *x, const xindex *ix, bfs *b, int s, int u) {
  const explain_access *a = &x->acc[u];
  unsigned n = 0;
  int end = ix->tstart[a->thread + 1], from = ix->pos[u] + 1;
  if (b->low[a->thread] < end) end = b->low[a->thread];
  for (int k = from; k < end; k++) b->nb[n++] = ix->tlist[k];
  if (from < b->low[a->thread]) b->low[a->thread] = from;
  if (writes(a))
    for (int r = ix->rd_head[u]; r >= 0; r = ix->rd_next[r])
      if (x->acc[r].thread != a->thread) b->nb[n++] = r;
  for (int k = ix->wstart[a->loc]; k < ix->wstart[a->loc + 1]; k++) {
    int w = ix->wlist[k];
    if (x->acc[w].thread == a->thread) continue;
    bool co = writes(a) && co_before(x, u, w);
    bool fr = reads(a) && (a->rf < 0 || (a->rf != w && co_before(x, a->rf, w)));
    if (co || fr) b->nb[n++] = w;
  }
  unsigned m = 0; /* drop the reached ones, keep s (it closes the cycle) */
  for (unsigned i = 0; i < n; i++)
    if (b->nb[i] == s || b->prev[b->nb[i]] < 0) b->nb[m++] = b->nb[i];
  qsort(b->nb, m, sizeof *b->nb, cmp_int);
  return m;
}

/* The shortest cycle through s, if shorter than `best` edges: its length,
 * the cycle in x->cyc.  0 if none. */
static unsigned cycle_through(explain_exec *x, const xindex *ix, bfs *b, int s, unsigned best) {
  for (unsigned i = 0; i < x->nacc; i++) b->prev[i] = -1, b->dist[i] = 0;
  for (unsigned t = 0; t < ix->nthreads; t++) b->low[t] = ix->tstart[t + 1];
  unsigned head = 0, tail = 0;
  b->queue[tail++] = s;
  b->prev[s] = s;
  while (head < tail) {
    int u = b->queue[head++];
    if (best && b->dist[u] + 1 >= best) return 0; /* no shorter one through s */
    unsigned n = neighbours(x, ix, b, s, u);
    for (unsigned i = 0; i < n; i++) {
      int v = b->nb[i];
      if (v == s) {
        unsigned len = b->dist[u] + 1;
        if (len > EXPLAIN_MAX_CYCLE) return 0;
        for (int w = u, k = (int)len - 1; k >= 0; w = b->prev[w], k--) x->cyc[k] = w;
        return len;
      }
      if (b->prev[v] >= 0) continue;
      b->prev[v] = u;
      b->dist[v] = b->dist[u] + 1;
      b->queue[tail++] = v;
    }
  }
  return 0;
}

/* Is access i a read made in its thread's last call? */
static bool in_last_call(const explain_exec *x, const xindex *ix, const explain_opts *o, int i) {
  const explain_access *a = &x->acc[i];
  int last = ix->tlist[ix->tstart[a->thread + 1] - 1];
  return reads(a) && o->call_of(a->tag) == o->call_of(x->acc[last].tag);
}

/* Latest bound first (ties: the later access first). */
static void sort_latest_first(const explain_exec *x, int *v, unsigned n) {
  for (unsigned i = 1; i < n; i++)
    for (unsigned j = i; j > 0; j--) {
      const explain_access *a = &x->acc[v[j - 1]], *b = &x->acc[v[j]];
      if (a->issue > b->issue || (a->issue == b->issue && v[j - 1] > v[j])) break;
      int t = v[j - 1];
      v[j - 1] = v[j], v[j] = t;
    }
}

/* The chain (explain_exec.h, "Which cycle"). */
static int find_cycle(explain_exec *x, const xindex *ix, const explain_opts *o) {
  unsigned n = x->nacc;
  bfs b = {malloc(n * sizeof *b.prev), malloc(n * sizeof *b.queue), malloc(2 * n * sizeof *b.nb),
           malloc(n * sizeof *b.dist), malloc((ix->nthreads + 1) * sizeof *b.low)};
  int *anchors = malloc(n * sizeof *anchors);
  int rc = SIM_ENOMEM;
  if (!b.prev || !b.queue || !b.nb || !b.dist || !b.low || !anchors) goto out;
  unsigned na = 0, best = 0;
  if (o->call_of) {
    for (unsigned i = 0; i < n; i++)
      if (in_last_call(x, ix, o, (int)i)) anchors[na++] = (int)i;
    sort_latest_first(x, anchors, na);
    for (unsigned i = 0; i < na && !best; i++) best = cycle_through(x, ix, &b, anchors[i], 0);
  }
  /* No observation on a cycle (or no calls): the shortest cycle anywhere. */
  bool anchored = best > 0;
  for (unsigned s = 0; s < n && !anchored; s++) {
    unsigned len = cycle_through(x, ix, &b, (int)s, best);
    if (len) best = len;
  }
  x->ncyc = best;
  for (unsigned i = 0; i < x->ncyc; i++)
    edge(x, x->cyc[i], x->cyc[(i + 1) % x->ncyc], &x->edge[i]);
  rc = 0;
out:
  free(b.prev), free(b.queue), free(b.nb), free(b.dist), free(b.low), free(anchors);
  return rc;
}

/* --- Mechanisms ----------------------------------------------------------- */

static explain_mechanism *new_mech(explain_exec *x, explain_mech kind, int older, int younger) {
  if (x->nmech == EXPLAIN_MAX_MECHS) return NULL;
  explain_mechanism *m = &x->mech[x->nmech++];
  memset(m, 0, sizeof *m);
  m->kind = kind;
  m->thread = x->acc[older].thread;
  m->older = older;
  m->younger = younger;
  m->other = -1;
  return m;
}

/* The value SC needed where a read on the cycle read: that of the write its
 * fr edge leads to. */
static void wrong_value(const explain_exec *x, unsigned ci, explain_mechanism *m) {
  const explain_access *r = &x->acc[x->cyc[ci]];
  m->loc = r->loc;
  m->addr = r->addr, m->size = r->size;
  m->seen = r->value;
  m->sc_value = r->value;
  if (x->edge[ci] == EXPLAIN_FR) m->sc_value = x->acc[x->cyc[(ci + 1) % x->ncyc]].wrote;
}

/* A write's value that a read on the cycle missed (its fr edge into w). */
static void missed_write(const explain_exec *x, int w, explain_mechanism *m) {
  m->loc = x->acc[w].loc;
  m->addr = x->acc[w].addr, m->size = x->acc[w].size;
  m->seen = m->sc_value = x->acc[w].wrote;
  for (unsigned i = 0; i < x->ncyc; i++)
    if (x->edge[i] == EXPLAIN_FR && x->cyc[(i + 1) % x->ncyc] == w) {
      m->seen = x->acc[x->cyc[i]].value;
      return;
    }
}

/* The order mechanisms: the po edges of the cycle performed backwards. */
static void classify(explain_exec *x) {
  for (unsigned i = 0; i < x->ncyc; i++) {
    if (x->edge[i] != EXPLAIN_PO) continue;
    unsigned j = (i + 1) % x->ncyc;
    int o = x->cyc[i], y = x->cyc[j];
    const explain_access *a = &x->acc[o], *b = &x->acc[y];
    if (b->visible >= a->visible) continue; /* performed in order */
    explain_mechanism *m;
    if (writes(a) && reads(b)) {
      if (!(m = new_mech(x, EXPLAIN_STORE_BUFFER, o, y))) return;
      m->from_cycle = a->issue; /* in the buffer from its issue to its drain */
      m->to_cycle = a->visible;
      m->fix = MF_FULL;
      wrong_value(x, j, m);
    } else if (writes(a) && writes(b)) {
      if (!(m = new_mech(x, EXPLAIN_STORE_ORDER, o, y))) return;
      m->from_cycle = b->visible;
      m->to_cycle = a->visible;
      m->fix = MF_STORE;
      missed_write(x, o, m);
    } else if (reads(b)) {
      bool stale = b->src == TRACE_SRC_STALE;
      if (!(m = new_mech(x, stale ? EXPLAIN_INVALIDATE_QUEUE : EXPLAIN_LOAD_ORDER, o, y))) return;
      m->from_cycle = b->visible; /* the invalidation arrived, and waited */
      m->to_cycle = b->iq_applied ? b->iq_applied : b->issue;
      m->fix = MF_LOAD;
      wrong_value(x, j, m);
    } else { /* a load, then a store visible first: only an arm core */
      if (!(m = new_mech(x, EXPLAIN_LOAD_STORE, o, y))) return;
      m->from_cycle = b->visible;
      m->to_cycle = a->visible;
      m->fix = MF_LOAD;
      m->loc = a->loc;
      m->addr = a->addr, m->size = a->size;
      m->seen = a->value;
      m->sc_value = a->value; /* printed apart: SC needed the value before its rf write */
    }
  }
}

/* The whole store a write piece belongs to: its first piece (a split
 * store's pieces are consecutive in its thread), or -1 for the initial
 * value. */
static int whole_of(const explain_exec *x, const xindex *ix, int w) {
  if (w < 0) return -1;
  unsigned part = TRACE_TAG_PART(x->acc[w].tag);
  int k = ix->pos[w];
  while (part > 1 && k > ix->tstart[x->acc[w].thread] &&
         TRACE_TAG_PART(x->acc[ix->tlist[k - 1]].tag) == part - 1)
    k--, part--;
  return ix->tlist[k];
}

/* torn_access: a split load whose pieces read from different stores. */
static void torn(explain_exec *x, const xindex *ix) {
  for (unsigned t = 0; t < ix->nthreads; t++)
    for (int k = ix->tstart[t]; k < ix->tstart[t + 1]; k++) {
      int first = ix->tlist[k];
      const explain_access *a = &x->acc[first];
      if (a->kind != EXPLAIN_READ || TRACE_TAG_PART(a->tag) != 1) continue;
      int last = first, newest = a->rf;
      uint64_t seen = 0, lo = a->visible, hi = a->visible;
      bool mixed = false;
      for (int j = k; j < ix->tstart[t + 1]; j++) {
        const explain_access *p = &x->acc[ix->tlist[j]];
        if (p->kind != EXPLAIN_READ || TRACE_TAG_PART(p->tag) != (unsigned)(j - k + 1)) break;
        last = ix->tlist[j];
        if (p->addr - a->addr < 8) seen |= p->value << (8 * (p->addr - a->addr));
        mixed |= whole_of(x, ix, p->rf) != whole_of(x, ix, a->rf);
        if (p->rf >= 0 && (newest < 0 || co_before(x, newest, p->rf))) newest = p->rf;
        if (p->visible < lo) lo = p->visible;
        if (p->visible > hi) hi = p->visible;
      }
      if (!mixed || last == first) continue;
      explain_mechanism *m = new_mech(x, EXPLAIN_TORN_ACCESS, first, last);
      if (!m) return;
      const explain_access *z = &x->acc[last];
      m->other = newest;
      m->loc = a->loc;
      m->addr = a->addr, m->size = (unsigned)(z->addr + z->size - a->addr);
      m->seen = seen;
      /* The newer store, whole (mixed: some piece read a store, so newest
       * is one): SC needed its value, what its pieces wrote within this
       * load; and when its pieces became visible. */
      int w0 = whole_of(x, ix, newest);
      uint64_t wlo = UINT64_MAX, whi = 0;
      m->sc_value = 0;
      for (int j = ix->pos[w0]; j < ix->tstart[x->acc[w0].thread + 1]; j++) {
        const explain_access *p = &x->acc[ix->tlist[j]];
        if (j > ix->pos[w0] && TRACE_TAG_PART(p->tag) <= 1) break;
        if (p->addr >= a->addr && p->addr < a->addr + m->size && p->addr - a->addr < 8)
          m->sc_value |= p->wrote << (8 * (p->addr - a->addr));
        if (p->visible < wlo) wlo = p->visible;
        if (p->visible > whi) whi = p->visible;
      }
      /* The window: between the load's pieces when the store fell there,
       * else between the store's pieces (the load fell between them). */
      uint64_t v = x->acc[newest].visible;
      m->from_cycle = v > lo && v <= hi ? lo : wlo;
      m->to_cycle = v > lo && v <= hi ? hi : whi;
    }
}

/* rmw_interleaving: a store whose thread read the location last in the same
 * call, with another thread's store between in coherence order. */
static void interleaved(explain_exec *x, const xindex *ix, const explain_opts *o) {
  for (unsigned t = 0; t < ix->nthreads; t++)
    for (int k = ix->tstart[t]; k < ix->tstart[t + 1]; k++) {
      int s = ix->tlist[k], r = -1;
      const explain_access *st = &x->acc[s];
      if (st->kind != EXPLAIN_WRITE) continue;
      for (int j = k - 1; j >= ix->tstart[t] && r < 0; j--) {
        const explain_access *p = &x->acc[ix->tlist[j]];
        if (o->call_of(p->tag) != o->call_of(st->tag)) break;
        if (p->loc != st->loc) continue;
        if (p->kind != EXPLAIN_READ) break; /* the thread wrote it since */
        r = ix->tlist[j];
      }
      if (r < 0) continue;
      int lost = -1; /* the co-last other store between what r read and s */
      for (int j = ix->wstart[st->loc]; j < ix->wstart[st->loc + 1]; j++) {
        int w = ix->wlist[j];
        if (x->acc[w].thread == t || !co_before(x, w, s)) continue;
        if (x->acc[r].rf >= 0 && !co_before(x, x->acc[r].rf, w)) continue;
        if (lost < 0 || co_before(x, lost, w)) lost = w;
      }
      if (lost < 0) continue;
      explain_mechanism *m = new_mech(x, EXPLAIN_RMW_INTERLEAVING, r, s);
      if (!m) return;
      m->other = lost;
      m->loc = st->loc;
      m->addr = st->addr, m->size = st->size;
      m->seen = x->acc[r].value;
      m->sc_value = x->acc[lost].wrote;
      m->from_cycle = x->acc[r].visible;
      m->to_cycle = st->visible;
    }
}

int explain_exec_build(const cpu_trace *tr, const explain_opts *o, explain_exec *x,
                       sim_err *err) {
  memset(x, 0, sizeof *x);
  x->dropped = tr->dropped;
  xindex ix = {0};
  int rc = collect(tr, o, x);
  if (!rc) {
    prune(x);
    rc = build_index(x, &ix);
  }
  if (!rc) {
    for (unsigned i = 0; i < x->nacc; i++) ix.rd_head[i] = -1;
    for (unsigned r = x->nacc; r-- > 0;) {
      if (!reads(&x->acc[r])) continue;
      find_rf(x, &ix, (int)r);
      int w = x->acc[r].rf;
      if (w >= 0) ix.rd_next[r] = ix.rd_head[w], ix.rd_head[w] = (int)r;
    }
    rc = find_cycle(x, &ix, o);
  }
  if (!rc) {
    x->sc = x->ncyc == 0;
    classify(x);
    if (o->call_of) {
      torn(x, &ix);
      interleaved(x, &ix, o);
    }
  }
  index_free(&ix);
  if (rc) return sim_errf(err, SIM_ENOMEM, "out of memory");
  return 0;
}

static bool atomicity_mech(explain_mech k) {
  return k == EXPLAIN_TORN_ACCESS || k == EXPLAIN_RMW_INTERLEAVING;
}

void explain_exec_prefer(explain_exec *x, bool atomicity) {
  bool any = false;
  for (unsigned i = 0; i < x->nmech; i++) any |= atomicity_mech(x->mech[i].kind) == atomicity;
  if (!any) return;
  unsigned n = 0;
  for (unsigned i = 0; i < x->nmech; i++)
    if (atomicity_mech(x->mech[i].kind) == atomicity) x->mech[n++] = x->mech[i];
  x->nmech = n;
}

void explain_exec_free(explain_exec *x) {
  free(x->acc);
  memset(x, 0, sizeof *x);
}

void explain_causes_add(explain_causes *c, const explain_exec *x) {
  bool seen[EXPLAIN_NMECHS] = {false};
  for (unsigned i = 0; i < x->nmech; i++) seen[x->mech[i].kind] = true;
  for (unsigned k = 0; k < EXPLAIN_NMECHS; k++) c->cause[k] += seen[k];
  c->explained += x->nmech > 0;
}

void explain_causes_absorb(explain_causes *c, const explain_causes *src) {
  for (unsigned k = 0; k < EXPLAIN_NMECHS; k++) c->cause[k] += src->cause[k];
  c->explained += src->explained;
}

void explain_cause_metrics(sim_metrics *m, const explain_causes *c) {
  char key[64];
  for (unsigned i = 0; i < EXPLAIN_NMECHS; i++) {
    snprintf(key, sizeof key, "cause.%s", explain_mech_name[i]);
    metrics_set(m, key, (double)c->cause[i]);
  }
  metrics_set(m, "cause.explained", (double)c->explained);
}
