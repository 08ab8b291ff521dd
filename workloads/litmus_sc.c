/* workloads/litmus_sc.c -- see litmus_sc.h.
 *
 * A state is an array of W uint64_t words, W fixed per test:
 *   [0, nlocs)                the locations' raw values, zero-extended
 *   [nlocs, nlocs + nregs)    every thread's registers, thread by thread
 *   then the pcs, one uint16_t per thread, zero-padded to a word
 * so equal states are equal bytes.  States live in one arena, indexed by a
 * hash table of open addressing (linear probing, load <= 1/2); the
 * depth-first stack holds arena indices.  Memory is W * 8 bytes per state
 * plus 8 for the table: SB padded with 18 private stores needs under 1 MB.
 */
#include "litmus_sc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/wallclock.h"
#include "litmus_int.h"

typedef struct sc_search {
  const litmus_test *t;
  unsigned nthreads, nlocs, words;
  unsigned regoff[LITMUS_MAX_THREADS]; /* word of each thread's first register */
  uint64_t *arena;                     /* states, words each */
  size_t nstates, cap;
  uint32_t *table; /* state index + 1, 0 empty */
  size_t tsize;    /* power of two */
  uint32_t *stack;
  size_t nstack, capstack;
  uint64_t max_states;
  uint64_t *work;        /* the state being stepped */
  void *loc[LITMUS_MAX_LOCS];
  uint8_t seen[LITMUS_MAX_CODE + 1];     /* data races: pcs visited ... */
  uint16_t work_pc[LITMUS_MAX_CODE + 1]; /* ... and to visit */
} sc_search;

/* --- The port: every access is atomic on the working state --------------- */

static uint64_t get(const void *a, unsigned n) {
  const uint8_t *p = a;
  uint64_t v = 0;
  for (unsigned i = n; i-- > 0;) v = (v << 8) | p[i];
  return v;
}
static void put(void *a, unsigned n, uint64_t v) {
  uint8_t *p = a;
  for (unsigned i = 0; i < n; i++, v >>= 8) p[i] = (uint8_t)v;
}

static uint64_t sc_load(mem_port *p, const void *a, unsigned size, mem_order o) {
  (void)p, (void)o;
  return get(a, size);
}
static void sc_store(mem_port *p, void *a, uint64_t v, unsigned size, mem_order o) {
  (void)p, (void)o;
  put(a, size, v);
}
static uint64_t sc_rmw(mem_port *p, void *a, mem_rmw_op op, uint64_t v, unsigned size, mem_order o) {
  (void)p, (void)o; /* SC: every access is ordered */
  uint64_t old = get(a, size);
  put(a, size, mem_rmw_apply(op, old, v));
  return old;
}
static bool sc_cas(mem_port *p, void *a, uint64_t *expected, uint64_t desired, unsigned size, mem_order o) {
  (void)p, (void)o;
  uint64_t old = get(a, size);
  bool ok = old == mem_trunc(*expected, size);
  if (ok) put(a, size, desired);
  *expected = old;
  return ok;
}
static void sc_fence(mem_port *p, mem_fence_kind k) { (void)p, (void)k; }
static void sc_work(mem_port *p, unsigned c) { (void)p, (void)c; }
static uint64_t sc_now(mem_port *p) { return (void)p, 0; }
static const mem_ops sc_ops = {sc_load, sc_store, sc_rmw, sc_cas, sc_fence, sc_work, sc_now, NULL, NULL, NULL, NULL};

/* --- States ------------------------------------------------------------- */

static uint16_t *pcs(const sc_search *s, uint64_t *st) {
  return (uint16_t *)(st + s->regoff[s->nthreads - 1] + litmus_nregs(s->t, s->nthreads - 1));
}

static uint64_t hash(const uint64_t *st, unsigned words) {
  uint64_t h = 0x9e3779b97f4a7c15u;
  for (unsigned i = 0; i < words; i++) {
    h ^= st[i];
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 32;
  }
  return h;
}

static int limit(sc_search *s, sim_err *err) {
  return sim_errf(err, SIM_EFULL,
                  "%s: the SC reference needs more than %llu states (workload.sc_max_states) "
                  "or %zu MB",
                  litmus_path(s->t), (unsigned long long)s->max_states, LITMUS_SC_MAX_BYTES >> 20);
}

/* Add s->work unless seen; *fresh says which.  SC1: past the budget, fail. */
static int insert(sc_search *s, bool *fresh, sim_err *err) {
  *fresh = false;
  if (2 * (s->nstates + 1) > s->tsize) { /* rehash at load 1/2 */
    size_t nt = s->tsize ? 2 * s->tsize : 1024;
    uint32_t *tab = calloc(nt, sizeof *tab);
    if (!tab) return sim_errf(err, SIM_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->nstates; i++) {
      size_t h = hash(s->arena + i * s->words, s->words) & (nt - 1);
      while (tab[h]) h = (h + 1) & (nt - 1);
      tab[h] = (uint32_t)(i + 1);
    }
    free(s->table);
    s->table = tab, s->tsize = nt;
  }
  size_t h = hash(s->work, s->words) & (s->tsize - 1), bytes = s->words * sizeof *s->work;
  for (; s->table[h]; h = (h + 1) & (s->tsize - 1))
    if (!memcmp(s->arena + (size_t)(s->table[h] - 1) * s->words, s->work, bytes)) return 0;
  if (s->nstates >= s->max_states || (s->nstates + 1) * (bytes + 8) > LITMUS_SC_MAX_BYTES) return limit(s, err);
  if (s->nstates == s->cap) {
    size_t nc = s->cap ? 2 * s->cap : 1024;
    uint64_t *a = realloc(s->arena, nc * bytes);
    if (!a) return sim_errf(err, SIM_ENOMEM, "out of memory");
    s->arena = a, s->cap = nc;
  }
  if (s->nstack == s->capstack) {
    size_t nc = s->capstack ? 2 * s->capstack : 1024;
    uint32_t *a = realloc(s->stack, nc * sizeof *a);
    if (!a) return sim_errf(err, SIM_ENOMEM, "out of memory");
    s->stack = a, s->capstack = nc;
  }
  memcpy(s->arena + s->nstates * s->words, s->work, bytes);
  s->table[h] = (uint32_t)(s->nstates + 1);
  s->stack[s->nstack++] = (uint32_t)s->nstates++;
  *fresh = true;
  return 0;
}

/* Run thread k of s->work over at most max_mem shared accesses. */
static void advance(sc_search *s, unsigned k, unsigned max_mem) {
  mem_port port = {.ops = &sc_ops, .tid = k};
  for (unsigned i = 0; i < s->nlocs; i++) s->loc[i] = s->work + i;
  uint16_t *pc = pcs(s, s->work);
  pc[k] = (uint16_t)litmus__exec(s->t, k, pc[k], &port, s->loc, (int64_t *)(s->work + s->regoff[k]), max_mem);
}

/* LOCK and WAIT of thread k would spin in state st (litmus_int.h): the
 * thread is not enabled there. */
static bool blocked(const sc_search *s, uint64_t *st, unsigned k) {
  const litmus_thread *th = &s->t->th[k];
  const litmus_insn *in = &th->code[pcs(s, st)[k]];
  if (in->op != LI_LOCK && in->op != LI_WAIT) return false;
  int loc = litmus__insn_loc(s->nlocs, in, (const int64_t *)(st + s->regoff[k]));
  return loc >= 0 && get(st + loc, litmus_loc_size(s->t, (unsigned)loc)) != 0; /* no location: skipped */
}

/* --- Data races (litmus_sc.h) ------------------------------------------ */

typedef struct sc_access {
  unsigned tid, pc;
  int loc;
  bool write, plain;
} sc_access;

/* Does instruction `in` keep later accesses of its thread behind it? */
static bool orders_later(const litmus_insn *in) {
  switch ((litmus_iop)in->op) {
  case LI_FENCE: case LI_LOCK: case LI_WAIT: case LI_UNLESS: return true;
  case LI_LOAD: return in->sub == MO_ACQUIRE || in->sub == MO_ACQUIRE_PC || in->sub == MO_SEQ_CST;
  case LI_RMW: case LI_CAS: return in->order != MO_RELAXED && in->order != MO_RELEASE;
  default: return false;
  }
}

/* The accesses thread k could perform next in state st (litmus_sc.h). */
static unsigned next_accesses(sc_search *s, uint64_t *st, unsigned k, sc_access *acc, unsigned cap) {
  const litmus_thread *th = &s->t->th[k];
  unsigned start = pcs(s, st)[k], n = 0, nwork = 0;
  const int64_t *regs = (const int64_t *)(st + s->regoff[k]);
  uint8_t *seen = s->seen;
  uint16_t *work = s->work_pc;
  memset(seen, 0, th->ncode + 1);
  work[nwork++] = (uint16_t)start;
  seen[start] = 1;
  while (nwork) {
    unsigned pc = work[--nwork];
    while (pc < th->ncode) {
      const litmus_insn *in = &th->code[pc];
      unsigned next = pc + 1;
      if (litmus__is_mem(in->op) && n < cap) {
        /* a pointer's target is known only for the very next access */
        int loc = in->aptr && pc != start ? -1 : litmus__insn_loc(s->nlocs, in, regs);
        if (loc >= 0)
          acc[n++] = (sc_access){k, pc, loc, in->op != LI_LOAD, in->plain != 0};
      }
      if (orders_later(in)) break;
      if (in->op == LI_JZ && !seen[in->target]) {
        seen[in->target] = 1;
        work[nwork++] = in->target;
      }
      if (in->op == LI_JMP) next = in->target;
      if (seen[next]) break;
      seen[next] = 1;
      pc = next;
    }
  }
  return n;
}

static void race_check(sc_search *s, uint64_t *st, litmus_sc_stats *stats) {
  enum { CAP = 256 };
  sc_access acc[CAP];
  unsigned n = 0;
  const uint16_t *pc = pcs(s, st);
  for (unsigned k = 0; k < s->nthreads; k++)
    if (pc[k] < s->t->th[k].ncode) n += next_accesses(s, st, k, acc + n, CAP - n);
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = i + 1; j < n; j++) {
      const sc_access *a = &acc[i], *b = &acc[j];
      if (a->tid == b->tid || a->loc != b->loc || !(a->write || b->write) || !(a->plain || b->plain)) continue;
      const litmus_insn *ia = &s->t->th[a->tid].code[a->pc], *ib = &s->t->th[b->tid].code[b->pc];
      stats->data_race = true;
      snprintf(stats->race, sizeof stats->race, "%s: P%u line %u (%s%s), P%u line %u (%s%s)",
               litmus_loc_name(s->t, (unsigned)a->loc), a->tid, ia->line, a->plain ? "plain " : "",
               a->write ? "write" : "read", b->tid, ib->line, b->plain ? "plain " : "", b->write ? "write" : "read");
      return;
    }
}

static int search(sc_search *s, sim_hist *out, litmus_sc_stats *stats, sim_err *err) {
  const litmus_test *t = s->t;
  bool fresh;
  /* The initial state: every thread run up to its first shared access. */
  memset(s->work, 0, s->words * sizeof *s->work);
  for (unsigned i = 0; i < s->nlocs; i++) put(s->work + i, litmus_loc_size(t, i), litmus_loc_init(t, i));
  for (unsigned k = 0; k < s->nthreads; k++) {
    const litmus_thread *th = &t->th[k];
    if (th->nregs) memcpy(s->work + s->regoff[k], th->reg_init, th->nregs * sizeof *th->reg_init);
    advance(s, k, 0);
  }
  int rc = insert(s, &fresh, err);
  uint64_t *base = malloc(s->words * sizeof *base);
  if (!base && !rc) rc = sim_errf(err, SIM_ENOMEM, "out of memory");
  uint64_t finals = 0;
  while (!rc && s->nstack) {
    /* copied out: the arena moves as it grows */
    memcpy(base, s->arena + (size_t)s->stack[--s->nstack] * s->words, s->words * sizeof *base);
    if (stats->plain && !stats->data_race) race_check(s, base, stats);
    const uint16_t *pc = pcs(s, base);
    bool any = false, stuck = false;
    for (unsigned k = 0; k < s->nthreads && !rc; k++) {
      if (pc[k] >= t->th[k].ncode) continue;
      if (blocked(s, base, k)) {
        stuck = true;
        continue;
      }
      any = true;
      memcpy(s->work, base, s->words * sizeof *base);
      advance(s, k, 1);
      rc = insert(s, &fresh, err);
    }
    /* Every unfinished thread spins for ever (a lock never released): no
     * final state, as herd7 has none for such an execution. */
    if (any || stuck || rc) continue;
    int64_t *regp[LITMUS_MAX_THREADS], vals[LITMUS_MAX_OBS];
    uint64_t mem[LITMUS_MAX_LOCS];
    for (unsigned k = 0; k < s->nthreads; k++) regp[k] = (int64_t *)(base + s->regoff[k]);
    for (unsigned i = 0; i < s->nlocs; i++) mem[i] = get(base + i, litmus_loc_size(t, i));
    litmus_observe(t, regp, mem, vals);
    hist_add(out, vals, finals++);
  }
  free(base);
  return rc;
}

int litmus_sc_search(const litmus_test *t, uint64_t max_states, sim_hist **out, litmus_sc_stats *stats,
                     sim_err *err) {
  double t0 = wallclock_s();
  sc_search s = {.t = t, .nthreads = litmus_nthreads(t), .nlocs = litmus_nlocs(t), .max_states = max_states};
  unsigned w = s.nlocs;
  for (unsigned k = 0; k < s.nthreads; k++) s.regoff[k] = w, w += litmus_nregs(t, k);
  s.words = w + (2 * s.nthreads + 7) / 8;
  s.work = calloc(s.words, sizeof *s.work);
  sim_hist *h = hist_new(litmus_nobs(t));
  litmus_sc_stats st = {0};
  for (unsigned k = 0; k < s.nthreads; k++)
    for (unsigned pc = 0; pc < t->th[k].ncode; pc++) st.plain |= t->th[k].code[pc].plain != 0;
  int rc = s.work && h ? search(&s, h, &st, err) : sim_errf(err, SIM_ENOMEM, "out of memory");
  st.states = s.nstates;
  st.wall_s = wallclock_s() - t0;
  if (stats) *stats = st;
  free(s.work), free(s.arena), free(s.table), free(s.stack);
  if (rc) {
    hist_free(h);
    return rc;
  }
  hist_sort(h);
  *out = h;
  return 0;
}

int litmus_sc_outcomes(const litmus_test *t, sim_hist **out, sim_err *err) {
  return litmus_sc_search(t, LITMUS_SC_MAX_STATES, out, NULL, err);
}
