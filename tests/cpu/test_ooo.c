/* tests/cpu/test_ooo.c -- the out-of-order core (cpu.model=arm) on random
 * programs: whatever it reorders, every outcome keeps SC per location, and
 * nothing a thread ran past a branch that went the other way leaks.
 *
 * Each case generates an AArch64 litmus test from a seed: 2 or 3 threads
 * over locations x and y (z holds 7 and is never written), each thread a
 * few of: a store of a value unique in the test, a load into a fresh
 * register, a load whose address depends on an earlier load (herd's EOR
 * idiom), a store whose data does, DMB SY/LD/ST, LDAR, STLR, LDXR, STXR
 * (it stores if its status register is 0), and a branch
 * on an earlier load (CBNZ) over a block that sets a marker register and
 * reloads an earlier register from z.  Every outcome of 2,000 iterations
 * under arm (every other program with a 2-line L1 and a private L2) is
 * then checked:
 *   - coherence: for each location some order of its stores explains, for
 *     every thread, its reads and stores there in program order (a read
 *     never goes back in that order, sees its thread's older store or a
 *     later one, and precedes its thread's younger stores), and the final
 *     value is the order's last; every value read was stored there;
 *   - branches: a block ran exactly when its condition was 0 (its marker is
 *     set), and a register reloaded in a block that did not run holds its
 *     earlier load's value, which the coherence check then covers.
 * This is the "squashed loads never leak a value" check for the load queue
 * and the interpreter's speculation (litmus_ooo.c), where herd7 is not at
 * hand: any leak or coherence break is a failure with the test's text.
 */
#include "../../sim/config.h"
#include "../../workloads/litmus_run.h"
#include "../check.h"

enum { MAXOPS = 12, MAXTH = 3, NLOC = 2 };

typedef enum { OP_ST, OP_LD, OP_LDDEP, OP_STDEP, OP_DMB, OP_LDAR, OP_STLR, OP_BR, OP_LDX, OP_STX } op_kind;

typedef struct op {
  op_kind k;
  int loc;    /* 0 x, 1 y */
  int reg;    /* a load's register; OP_BR: the condition's; OP_STX: the status */
  int dep;    /* LDDEP/STDEP: the register depended on */
  int val;    /* a store's value */
  int marker; /* OP_BR: the marker register; reload: register reloaded from z, or -1 */
  int reload;
  int block_of; /* a load inside a branch block: that branch's op index, else -1 */
} op;

typedef struct prog {
  int nth, nops[MAXTH];
  op ops[MAXTH][MAXOPS];
  char text[8192];
} prog;

static uint64_t rnd(uint64_t *s) { /* splitmix64 */
  uint64_t z = (*s += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/* Registers: X0 x, X1 y, X2 z; W7, W8 scratch; loads into W11 up; markers W9, W10. */
static void gen(uint64_t seed, prog *g) {
  uint64_t s = seed;
  memset(g, 0, sizeof *g);
  g->nth = 2 + (int)(rnd(&s) % 2);
  char (*cell)[MAXOPS * 3][48] = calloc(MAXTH, sizeof *cell);
  int ncell[MAXTH] = {0}, val = 1;
  for (int t = 0; t < g->nth; t++) {
    int nload = 0, loads[8], nreg = 0, nmark = 0, n = 3 + (int)(rnd(&s) % 5);
    bool cond[32] = {false}; /* registers a branch has tested */
    for (int i = 0; i < n; i++) {
      op o = {.loc = (int)(rnd(&s) % NLOC), .reg = -1, .dep = -1, .marker = -1, .reload = -1,
              .block_of = -1};
      static const op_kind kinds[] = {OP_ST,    OP_ST,   OP_ST,  OP_LD,   OP_LD,   OP_LD, OP_LDDEP,
                                      OP_STDEP, OP_DMB,  OP_LDAR, OP_STLR, OP_BR, OP_BR,
                                      OP_LDX,   OP_STX};
      o.k = kinds[rnd(&s) % (sizeof kinds / sizeof *kinds)];
      if ((o.k == OP_LDDEP || o.k == OP_STDEP || o.k == OP_BR) && nload == 0) o.k = OP_LD;
      if ((o.k == OP_LD || o.k == OP_LDDEP || o.k == OP_LDAR || o.k == OP_LDX || o.k == OP_STX) &&
          nreg == 8)
        o.k = OP_ST;
      if (o.k == OP_BR && nmark == 2) o.k = OP_DMB;
      char *c = cell[t][ncell[t]++];
      switch (o.k) {
      case OP_ST:
      case OP_STLR:
        o.val = 16 * (t + 1) + val++;
        snprintf(c, 48, "MOV W8,#%d", o.val);
        snprintf(cell[t][ncell[t]++], 48, "%s W8,[X%d]", o.k == OP_ST ? "STR" : "STLR", o.loc);
        break;
      case OP_LD:
      case OP_LDAR:
      case OP_LDX:
        o.reg = 11 + nreg++;
        loads[nload++] = o.reg;
        snprintf(c, 48, "%s W%d,[X%d]", o.k == OP_LD ? "LDR" : o.k == OP_LDAR ? "LDAR" : "LDXR", o.reg,
                 o.loc);
        break;
      case OP_STX: /* its status register is not a load's: no branch tests it */
        o.val = 16 * (t + 1) + val++;
        o.reg = 11 + nreg++;
        snprintf(c, 48, "MOV W8,#%d", o.val);
        snprintf(cell[t][ncell[t]++], 48, "STXR W%d,W8,[X%d]", o.reg, o.loc);
        break;
      case OP_LDDEP:
        o.dep = loads[rnd(&s) % (uint64_t)nload];
        o.reg = 11 + nreg++;
        loads[nload++] = o.reg;
        snprintf(c, 48, "EOR W7,W%d,W%d", o.dep, o.dep);
        snprintf(cell[t][ncell[t]++], 48, "LDR W%d,[X%d,W7,SXTW]", o.reg, o.loc);
        break;
      case OP_STDEP:
        o.dep = loads[rnd(&s) % (uint64_t)nload];
        o.val = 16 * (t + 1) + val++;
        snprintf(c, 48, "EOR W8,W%d,W%d", o.dep, o.dep);
        snprintf(cell[t][ncell[t]++], 48, "ADD W8,W8,#%d", o.val);
        snprintf(cell[t][ncell[t]++], 48, "STR W8,[X%d]", o.loc);
        break;
      case OP_DMB: {
        static const char *const kind[] = {"SY", "LD", "ST"};
        snprintf(c, 48, "DMB %s", kind[rnd(&s) % 3]);
        break;
      }
      case OP_BR:
        o.reg = loads[rnd(&s) % (uint64_t)nload];
        o.marker = 9 + nmark++;
        cond[o.reg] = true;
        o.reload = rnd(&s) % 2 ? loads[rnd(&s) % (uint64_t)nload] : -1;
        if (o.reload >= 0 && cond[o.reload]) o.reload = -1; /* the check reads conditions at the end */
        snprintf(c, 48, "CBNZ W%d,L%d%d", o.reg, t, o.marker);
        snprintf(cell[t][ncell[t]++], 48, "MOV W%d,#1", o.marker);
        if (o.reload >= 0) snprintf(cell[t][ncell[t]++], 48, "LDR W%d,[X2]", o.reload);
        snprintf(cell[t][ncell[t]++], 48, "L%d%d:", t, o.marker);
        break;
      }
      g->ops[t][g->nops[t]++] = o;
    }
  }
  int len = snprintf(g->text, sizeof g->text, "AArch64 R%llu\n{ z=7;\n",
                     (unsigned long long)seed);
  for (int t = 0; t < g->nth; t++)
    len += snprintf(g->text + len, sizeof g->text - (size_t)len, "%d:X0=x; %d:X1=y; %d:X2=z;\n",
                    t, t, t);
  len += snprintf(g->text + len, sizeof g->text - (size_t)len, "}\n");
  int rows = 0;
  for (int t = 0; t < g->nth; t++) rows = ncell[t] > rows ? ncell[t] : rows;
  for (int t = 0; t < g->nth; t++)
    len += snprintf(g->text + len, sizeof g->text - (size_t)len, "P%d%s", t, t + 1 < g->nth ? " | " : " ;\n");
  for (int r = 0; r < rows; r++)
    for (int t = 0; t < g->nth; t++)
      len += snprintf(g->text + len, sizeof g->text - (size_t)len, "%s%s", r < ncell[t] ? cell[t][r] : "",
                      t + 1 < g->nth ? " | " : " ;\n");
  len += snprintf(g->text + len, sizeof g->text - (size_t)len, "locations [x; y;");
  for (int t = 0; t < g->nth; t++)
    for (int i = 0; i < g->nops[t]; i++) {
      const op *o = &g->ops[t][i];
      if (o->reg >= 0 && o->k != OP_BR)
        len += snprintf(g->text + len, sizeof g->text - (size_t)len, " %d:X%d;", t, o->reg);
      if (o->k == OP_BR)
        len += snprintf(g->text + len, sizeof g->text - (size_t)len, " %d:X%d;", t, o->marker);
    }
  snprintf(g->text + len, sizeof g->text - (size_t)len, "]\nexists (x=-1)\n");
  free(cell);
}

/* The value named `name` ("0:X11", "x") in an outcome's text, or 0. */
static int64_t value_of(const char *outcome, const char *name) {
  char key[32];
  int n = snprintf(key, sizeof key, "%s=", name);
  for (const char *p = outcome; (p = strstr(p, key)); p++)
    if (p == outcome || p[-1] == ' ' || p[-1] == ';') return strtoll(p + n, NULL, 10);
  return 0;
}

static int64_t reg(const char *outcome, int t, int r) {
  char name[32];
  snprintf(name, sizeof name, "%d:X%d", t, r);
  return value_of(outcome, name);
}

/* An event on one location in one thread's program order: a read of val
 * or a store of val. */
typedef struct ev {
  bool store;
  int64_t val;
} ev;

/* Is there an order of stores `w` (n of them, values) that explains every
 * thread's events and ends with `final`?  Tries every permutation. */
static bool coherent(const int64_t *w, int n, ev evs[MAXTH][MAXOPS], const int *nev, int nth,
                     int64_t final) {
  int perm[8];
  for (int i = 0; i < n; i++) perm[i] = i;
  for (;;) {
    int pos_of[64] = {0}; /* value -> position + 1; 0 (init) is position 0 */
    for (int i = 0; i < n; i++) pos_of[w[perm[i]]] = i + 1;
    bool ok = (n ? w[perm[n - 1]] : 0) == final;
    for (int t = 0; t < nth && ok; t++) {
      int at = 0; /* the latest position this thread has seen or written */
      for (int e = 0; e < nev[t] && ok; e++) {
        int p = evs[t][e].val == 0 ? 0 : pos_of[evs[t][e].val];
        if (evs[t][e].store) ok = p > at;
        else ok = p >= at;
        if (p > at) at = p;
      }
    }
    if (ok) return true;
    int i = n - 2; /* next permutation */
    while (i >= 0 && perm[i] > perm[i + 1]) i--;
    if (i < 0) return false;
    int j = n - 1;
    while (perm[j] < perm[i]) j--;
    int x = perm[i];
    perm[i] = perm[j], perm[j] = x;
    for (int a = i + 1, b = n - 1; a < b; a++, b--) x = perm[a], perm[a] = perm[b], perm[b] = x;
  }
}

/* One outcome against the program: NULL if fine, else what is wrong. */
static const char *check_outcome(const prog *g, const char *out) {
  static char why[256];
  for (int loc = 0; loc < NLOC; loc++) {
    int64_t w[MAXTH * MAXOPS];
    int nw = 0, nev[MAXTH] = {0};
    ev evs[MAXTH][MAXOPS];
    for (int t = 0; t < g->nth; t++) {
      bool overwritten[32] = {false}; /* reloaded from z by a block that ran */
      for (int i = 0; i < g->nops[t]; i++) {
        const op *o = &g->ops[t][i];
        if (o->k != OP_BR) continue;
        bool ran = reg(out, t, o->reg) == 0;
        if (reg(out, t, o->marker) != ran) {
          snprintf(why, sizeof why, "P%d's block after CBNZ W%d %s, but its marker W%d is %lld", t,
                   o->reg, ran ? "ran" : "did not run", o->marker, (long long)reg(out, t, o->marker));
          return why;
        }
        if (o->reload >= 0 && ran) {
          if (reg(out, t, o->reload) != 7) {
            snprintf(why, sizeof why, "P%d's W%d was reloaded from z, but holds %lld", t, o->reload,
                     (long long)reg(out, t, o->reload));
            return why;
          }
          overwritten[o->reload] = true;
        }
        if (o->reload >= 0 && !ran && reg(out, t, o->reload) == 7) {
          snprintf(why, sizeof why, "P%d's W%d holds z's 7 from a block that did not run", t, o->reload);
          return why;
        }
      }
      for (int i = 0; i < g->nops[t]; i++) {
        const op *o = &g->ops[t][i];
        if (o->loc != loc || o->k == OP_DMB || o->k == OP_BR) continue;
        if (o->k == OP_STX && reg(out, t, o->reg) != 0) continue; /* it did not store */
        if (o->k == OP_ST || o->k == OP_STLR || o->k == OP_STDEP || o->k == OP_STX) {
          w[nw++] = o->val;
          evs[t][nev[t]++] = (ev){true, o->val};
        } else if (!overwritten[o->reg]) {
          evs[t][nev[t]++] = (ev){false, reg(out, t, o->reg)};
        }
      }
    }
    for (int t = 0; t < g->nth; t++)
      for (int e = 0; e < nev[t]; e++) {
        bool known = evs[t][e].val == 0;
        for (int k = 0; k < nw; k++) known |= w[k] == evs[t][e].val;
        if (!known) {
          snprintf(why, sizeof why, "P%d read %lld from %s, a value never stored there", t,
                   (long long)evs[t][e].val, loc ? "y" : "x");
          return why;
        }
      }
    if (!coherent(w, nw, evs, nev, g->nth, value_of(out, loc ? "y" : "x"))) {
      snprintf(why, sizeof why, "no coherence order of %s explains it", loc ? "y" : "x");
      return why;
    }
  }
  return NULL;
}

#ifdef MMSIM_SANITIZED
#define PROGRAMS 30
#define ITERS 300
#else
#define PROGRAMS 300
#define ITERS 2000
#endif

static void t_random(void) {
  static prog g;
  uint64_t outcomes = 0, reordered = 0;
  for (uint64_t seed = 1; seed <= PROGRAMS; seed++) {
    gen(seed, &g);
    litmus_test *t;
    sim_err err = {0, ""};
    if (litmus_parse_string("random.litmus", g.text, &t, &err)) CHECK__FAIL("%s\n%s", err.msg, g.text);
    cfg *c = cfg_new();
    CHECK_EQ_I64(cfg_set(c, "cpu.model", "arm", &err), 0);
    /* Every other program with a private L2 behind a 2-line L1: lines fall
     * to the L2 and come back 4 cycles late, while a younger load may hit. */
    if (seed % 2)
      CHECK(!cfg_set(c, "cache.l2.sets", "64", &err) && !cfg_set(c, "cache.l1.sets", "1", &err) &&
            !cfg_set(c, "cache.l1.ways", "2", &err));
    litmus_result r;
    if (litmus_run_sim(t, c, 0, ITERS, 1, &r, &err)) CHECK__FAIL("%s\n%s", err.msg, g.text);
    for (size_t h = 0; h < hist_len(r.hist); h++) {
      char out[1024];
      litmus_outcome_format(t, hist_key(r.hist, h), out, sizeof out);
      const char *bad = check_outcome(&g, out);
      if (bad) CHECK__FAIL("%s\noutcome %s (%llu times)\n%s", bad, out,
                           (unsigned long long)hist_count(r.hist, h), g.text);
      outcomes++;
    }
    reordered += (uint64_t)(metrics_get(&r.metrics, "reorder.load_load", 0) +
                            metrics_get(&r.metrics, "reorder.load_store", 0));
    litmus_result_free(&r);
    cfg_free(c);
    litmus_free(t);
  }
  printf("  %d programs, %llu outcomes checked, %llu load_load and load_store reorders\n",
         PROGRAMS, (unsigned long long)outcomes, (unsigned long long)reordered);
  CHECK(reordered > 0); /* the core did reorder: the check was not vacuous */
}

static const check_case cases[] = {{"random", t_random}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
