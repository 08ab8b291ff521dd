/* workloads/litmus_cond.c -- judging an iteration: its outcome, the final
 * condition, and the expectations.
 *
 * An outcome is the vector of observed values (litmus.h): registers as the
 * interpreter left them (already narrowed to their width), locations
 * sign-extended from their size, so every value prints as herd7 prints it,
 * a signed decimal.  Observed variables and condition atoms were resolved
 * to indices at parse time (LI4, LI5), so judging an iteration is a walk
 * over a few nodes with no lookup.
 *
 * Spelling follows herd7: an outcome is "0:EAX=0; 1:EAX=0; x=1;" (each
 * variable followed by ';', separated by one space), a condition
 * "exists (0:EAX=0 /\ 1:EAX=0)" with the quantifier spelt exists, ~exists or
 * forall and parentheses only where precedence (~ over /\ over \/ over =>)
 * needs them.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litmus_int.h"

const char *const litmus__model_name[LITMUS_NMODELS] = {"sc", "tso", "pso", "weak", "arm"};

unsigned litmus_nobs(const litmus_test *t) { return t->nobs; }

void litmus_observe(const litmus_test *t, int64_t *const *regs, const uint64_t *mem, int64_t *vals) {
  for (unsigned i = 0; i < t->nobs; i++) {
    const litmus_obs *o = &t->obs[i];
    vals[i] = o->is_reg ? regs[o->tid][o->idx] : litmus__sext(mem[o->idx], t->loc[o->idx].size);
  }
}

/* Appends within n bytes, counting what would have been written (snprintf). */
typedef struct out {
  char *buf;
  size_t n, len;
} out;

static void put(out *o, const char *s, size_t k) {
  if (o->len < o->n) {
    size_t room = o->n - 1 - o->len;
    memcpy(o->buf + o->len, s, k < room ? k : room);
  }
  o->len += k;
}

static void put_int(out *o, int64_t v) {
  char tmp[24];
  char *e = tmp + sizeof tmp, *s = e;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do *--s = (char)('0' + u % 10);
  while (u /= 10);
  if (v < 0) *--s = '-';
  put(o, s, (size_t)(e - s));
}

static void put_str(out *o, const char *s) { put(o, s, strlen(s)); }

static void finish(out *o) {
  if (o->n) o->buf[o->len < o->n ? o->len : o->n - 1] = '\0';
}

/* A value as herd7 prints it: a location's address is its name. */
static void put_val(out *o, const litmus_test *t, int64_t v) {
  int loc = litmus__ptr_loc(t->nlocs, v);
  if (loc >= 0)
    put_str(o, t->loc[loc].name);
  else
    put_int(o, v);
}

size_t litmus_outcome_format(const litmus_test *t, const int64_t *vals, char *buf, size_t n) {
  out o = {buf, n, 0};
  for (unsigned i = 0; i < t->nobs; i++) {
    if (i) put(&o, " ", 1);
    put_str(&o, t->obs[i].name);
    put(&o, "=", 1);
    put_val(&o, t, vals[i]);
    put(&o, ";", 1);
  }
  finish(&o);
  return o.len;
}

static bool eval(const litmus_prop *pr, uint32_t i, const int64_t *vals) {
  const litmus_prop *p = &pr[i];
  switch ((litmus_pkind)p->kind) {
  case LP_TRUE: return true;
  case LP_FALSE: return false;
  case LP_EQ: return vals[p->obs] == p->val;
  case LP_NE: return vals[p->obs] != p->val;
  case LP_NOT: return !eval(pr, p->a, vals);
  case LP_AND: return eval(pr, p->a, vals) && eval(pr, p->b, vals);
  case LP_OR: return eval(pr, p->a, vals) || eval(pr, p->b, vals);
  case LP_IMP: return !eval(pr, p->a, vals) || eval(pr, p->b, vals);
  case LP_N: break;
  }
  assert(!"litmus: bad condition node");
  return false;
}

bool litmus_cond_eval(const litmus_test *t, const int64_t *vals) { return eval(t->pr, t->cond_root, vals); }

litmus_quant litmus_quantifier(const litmus_test *t) { return t->quant; }

const char *litmus_cond_str(const litmus_test *t) { return t->cond_str; }

/* --- Spelling the condition ------------------------------------------------ */

static int prec(unsigned kind) {
  switch (kind) {
  case LP_IMP: return 1;
  case LP_OR: return 2;
  case LP_AND: return 3;
  default: return 4; /* ~, atoms, true, false */
  }
}

static void render(const litmus_test *t, uint32_t i, out *o) {
  const litmus_prop *p = &t->pr[i];
  switch ((litmus_pkind)p->kind) {
  case LP_TRUE: put_str(o, "true"); return;
  case LP_FALSE: put_str(o, "false"); return;
  case LP_EQ:
  case LP_NE:
    put_str(o, t->obs[p->obs].name);
    put_str(o, p->kind == LP_EQ ? "=" : "!=");
    put_val(o, t, p->val);
    return;
  case LP_NOT: {
    bool paren = prec(t->pr[p->a].kind) < 4;
    put_str(o, paren ? "~(" : "~");
    render(t, p->a, o);
    if (paren) put_str(o, ")");
    return;
  }
  case LP_AND:
  case LP_OR:
  case LP_IMP: {
    int me = prec(p->kind);
    /* /\ and \/ are associative; => groups to the right. */
    bool pa = prec(t->pr[p->a].kind) < me || (p->kind == LP_IMP && t->pr[p->a].kind == LP_IMP);
    bool pb = prec(t->pr[p->b].kind) < me;
    if (pa) put_str(o, "(");
    render(t, p->a, o);
    if (pa) put_str(o, ")");
    put_str(o, p->kind == LP_AND ? " /\\ " : p->kind == LP_OR ? " \\/ " : " => ");
    if (pb) put_str(o, "(");
    render(t, p->b, o);
    if (pb) put_str(o, ")");
    return;
  }
  case LP_N: break;
  }
  assert(!"litmus: bad condition node");
}

static void render_cond(const litmus_test *t, out *o) {
  put_str(o, t->quant == LITMUS_EXISTS ? "exists (" : t->quant == LITMUS_NOT_EXISTS ? "~exists (" : "forall (");
  render(t, t->cond_root, o);
  put_str(o, ")");
}

int litmus__cond_render(litmus_test *t) {
  out probe = {NULL, 0, 0};
  render_cond(t, &probe);
  char *s = malloc(probe.len + 1);
  if (!s) return SIM_ENOMEM;
  out o = {s, probe.len + 1, 0};
  render_cond(t, &o);
  finish(&o);
  free(t->cond_str);
  t->cond_str = s;
  return 0;
}

/* --- Expectations ---------------------------------------------------------- */

litmus_expect litmus_expected(const litmus_test *t, const char *model) {
  for (int i = 0; i < LITMUS_NMODELS; i++)
    if (model && strcmp(model, litmus__model_name[i]) == 0) return t->expect[i];
  return LITMUS_EXPECT_UNKNOWN;
}

const char *litmus_expect_name(litmus_expect e) {
  switch (e) {
  case LITMUS_EXPECT_NEVER: return "Never";
  case LITMUS_EXPECT_SOMETIMES: return "Sometimes";
  case LITMUS_EXPECT_ALWAYS: return "Always";
  case LITMUS_EXPECT_UNKNOWN: break;
  }
  return "Unknown";
}
