/* workloads/litmus_test.c -- the parsed test as an object: lifetime, shape,
 * symbol lookup, the end-of-parse normalisation, and its checker and printer.
 *
 * Everything here is cold: called while parsing, by reports, or in asserts.
 * The layout and its invariants LI1-LI5 are in litmus_int.h.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litmus_int.h"

/* Lifetime */

litmus_test *litmus__new(const char *path) {
  litmus_test *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->path = strdup(path ? path : "");
  if (!t->path) {
    free(t);
    return NULL;
  }
  return t;
}

void litmus_free(litmus_test *t) {
  if (!t) return;
  for (unsigned i = 0; i < LITMUS_MAX_THREADS; i++) free(t->th[i].code);
  free(t->ex);
  free(t->pr);
  free(t->path);
  free(t->name);
  free(t->cond_str);
  free(t->src);
  free(t);
}

/* Shape */

const char *litmus_name(const litmus_test *t) { return t->name ? t->name : ""; }
const char *litmus_source(const litmus_test *t) { return t->src ? t->src : ""; }
const char *litmus_arch(const litmus_test *t) {
  switch (t->dialect) {
  case LITMUS_DIALECT_X86: return "X86";
  case LITMUS_DIALECT_AARCH64: return "AArch64";
  default: return "C";
  }
}
const char *litmus_model(const litmus_test *t) {
  return t->dialect == LITMUS_DIALECT_AARCH64 ? "arm" : "tso";
}
const char *litmus_path(const litmus_test *t) { return t->path; }
unsigned litmus_nthreads(const litmus_test *t) { return t->nthreads; }
unsigned litmus_nlocs(const litmus_test *t) { return t->nlocs; }

const char *litmus_loc_name(const litmus_test *t, unsigned i) {
  assert(i < t->nlocs);
  return t->loc[i].name;
}

bool litmus_loc_is_lock(const litmus_test *t, unsigned i) {
  for (unsigned k = 0; k < t->nthreads; k++)
    for (unsigned pc = 0; pc < t->th[k].ncode; pc++)
      if (t->th[k].code[pc].op == LI_LOCK && !t->th[k].code[pc].aptr && t->th[k].code[pc].loc == i) return true;
  return false;
}
unsigned litmus_loc_size(const litmus_test *t, unsigned i) {
  assert(i < t->nlocs);
  return t->loc[i].size;
}
uint64_t litmus_loc_init(const litmus_test *t, unsigned i) {
  assert(i < t->nlocs);
  return t->loc[i].init;
}
unsigned litmus_nregs(const litmus_test *t, unsigned tid) {
  assert(tid < t->nthreads);
  return t->th[tid].nregs;
}

/* Symbols */

int litmus__loc_find(const litmus_test *t, const char *name, size_t len) {
  for (unsigned i = 0; i < t->nlocs; i++)
    if (strlen(t->loc[i].name) == len && memcmp(t->loc[i].name, name, len) == 0) return (int)i;
  return -1;
}

int litmus__reg_find(const litmus_thread *th, const char *name, size_t len) {
  for (unsigned i = 0; i < th->nregs; i++)
    if (!th->reg[i].hidden && strlen(th->reg[i].name) == len &&
        memcmp(th->reg[i].name, name, len) == 0)
      return (int)i;
  return -1;
}

void litmus__finalize(litmus_test *t) {
  for (unsigned i = 0; i < t->nlocs; i++) t->loc[i].init = mem_trunc(t->loc[i].init, t->loc[i].size);
  for (unsigned k = 0; k < t->nthreads; k++) {
    litmus_thread *th = &t->th[k];
    for (unsigned r = 0; r < th->nregs; r++)
      th->reg_init[r] = litmus__sext((uint64_t)th->reg_init[r], th->reg[r].bytes);
    for (unsigned pc = 0; pc < th->ncode; pc++) {
      litmus_insn *in = &th->code[pc];
      if (litmus__is_mem(in->op) && !in->aptr) in->size = t->loc[in->loc].size;
      if (in->dst >= 0) in->dst_bytes = th->reg[in->dst].bytes;
    }
  }
}

/* Debug */

static bool expr_ok(const litmus_test *t, const litmus_thread *th, uint32_t i, uint32_t limit) {
  if (i >= t->nex || i >= limit) return false;
  const litmus_expr *e = &t->ex[i];
  switch (e->kind) {
  case LX_CONST: return true;
  case LX_REG: return e->reg < th->nregs;
  case LX_NEG: case LX_NOT: case LX_BNOT: return expr_ok(t, th, e->a, i);
  default:
    return e->kind < LX_N && expr_ok(t, th, e->a, i) && expr_ok(t, th, e->b, i);
  }
}

static bool prop_ok(const litmus_test *t, uint32_t i, uint32_t limit) {
  if (i >= t->npr || i >= limit) return false;
  const litmus_prop *p = &t->pr[i];
  switch (p->kind) {
  case LP_TRUE: case LP_FALSE: return true;
  case LP_EQ: case LP_NE: return p->obs < t->nobs;
  case LP_NOT: return prop_ok(t, p->a, i);
  default: return p->kind < LP_N && prop_ok(t, p->a, i) && prop_ok(t, p->b, i);
  }
}

bool litmus__check(const litmus_test *t) {
  if (t->nthreads == 0 || t->nthreads > LITMUS_MAX_THREADS) return false;
  if (t->nlocs > LITMUS_MAX_LOCS || t->nobs > LITMUS_MAX_OBS) return false;
  for (unsigned i = 0; i < t->nlocs; i++) {
    const litmus_loc *l = &t->loc[i];
    if (l->size != 1 && l->size != 2 && l->size != 4 && l->size != 8) return false;
    if (l->init != mem_trunc(l->init, l->size)) return false; /* LI5 */
  }
  for (unsigned k = 0; k < t->nthreads; k++) {
    const litmus_thread *th = &t->th[k];
    if (th->nregs > LITMUS_MAX_REGS) return false;
    for (unsigned r = 0; r < th->nregs; r++)
      if (th->reg_init[r] != litmus__sext((uint64_t)th->reg_init[r], th->reg[r].bytes)) return false;
    for (unsigned pc = 0; pc < th->ncode; pc++) {
      const litmus_insn *in = &th->code[pc];
      bool mem = litmus__is_mem(in->op);
      if (in->op >= LI_N || in->op == LI_GP) return false;
      if (mem && !in->aptr && (in->loc >= t->nlocs || in->size != t->loc[in->loc].size)) return false; /* LI1 */
      if (in->aptr && (!mem || in->aptr > th->nregs)) return false;
      if (in->dst >= 0 && ((unsigned)in->dst >= th->nregs || in->dst_bytes != th->reg[in->dst].bytes))
        return false;
      if ((in->op == LI_STORE || in->op == LI_RMW || in->op == LI_SET || in->op == LI_JZ ||
           in->op == LI_CAS || in->op == LI_UNLESS) && !expr_ok(t, th, in->e1, UINT32_MAX))
        return false; /* LI2 */
      if ((in->op == LI_CAS || in->op == LI_UNLESS) && !expr_ok(t, th, in->e2, UINT32_MAX)) return false;
      if ((in->op == LI_JZ || in->op == LI_JMP) && (in->target > th->ncode || in->target <= pc))
        return false; /* LI3 */
      if (in->op == LI_SET && in->dst < 0) return false;
    }
  }
  for (unsigned i = 0; i < t->nex; i++) /* LI6 */
    if (t->ex[i].depth < 1 || t->ex[i].depth > LITMUS_MAX_NEST) return false;
  for (unsigned i = 0; i < t->npr; i++)
    if (t->pr[i].depth < 1 || t->pr[i].depth > LITMUS_MAX_NEST) return false;
  for (unsigned i = 0; i < t->nobs; i++) { /* LI4 */
    const litmus_obs *o = &t->obs[i];
    if (o->is_reg ? (o->tid >= t->nthreads || o->idx >= t->th[o->tid].nregs || t->th[o->tid].reg[o->idx].hidden)
                  : o->idx >= t->nlocs)
      return false;
  }
  return t->npr > 0 && prop_ok(t, t->cond_root, UINT32_MAX) && t->name && t->cond_str;
}

static const char *const insn_name[] = {
#define X(n, s) s,
    LITMUS_INSNS(X)
#undef X
};
static const char *const order_name[] = {
#define X(n, d) #n,
    MEM_ORDERS(X)
#undef X
};
static const char *const fence_name[] = {
#define X(n, d) #n,
    MEM_FENCES(X)
#undef X
};
static const char *const rmw_name[] = {
#define X(n) #n,
    MEM_RMW_OPS(X)
#undef X
};

const char *litmus__insn_str(const litmus_test *t, unsigned tid, unsigned pc, char *buf, size_t n) {
  const litmus_thread *th = &t->th[tid];
  const litmus_insn *in = &th->code[pc];
  const char *dst = in->dst >= 0 ? th->reg[in->dst].name : "_";
  char ptr[LITMUS_NAME_MAX + 2];
  const char *loc = in->loc < t->nlocs ? t->loc[in->loc].name : "?";
  if (in->aptr) {
    snprintf(ptr, sizeof ptr, "*%s", th->reg[in->aptr - 1].name);
    loc = ptr;
  }
  switch (in->op) {
  case LI_LOAD:
    snprintf(buf, n, "%u:%u load %s <- %s %s", in->line, in->col, dst, loc, order_name[in->sub]);
    break;
  case LI_STORE:
    snprintf(buf, n, "%u:%u store %s <- e%u %s", in->line, in->col, loc, in->e1, order_name[in->sub]);
    break;
  case LI_RMW:
    snprintf(buf, n, "%u:%u rmw %s <- %s %s e%u%s", in->line, in->col, dst, loc, rmw_name[in->sub],
             in->e1, in->ret_new ? " (new)" : "");
    break;
  case LI_CAS:
    snprintf(buf, n, "%u:%u cas %s <- %s e%u e%u%s", in->line, in->col, dst, loc, in->e1, in->e2,
             in->ret_new ? " (success)" : "");
    break;
  case LI_LOCK: snprintf(buf, n, "%u:%u lock %s", in->line, in->col, loc); break;
  case LI_WAIT: snprintf(buf, n, "%u:%u wait %s == 0", in->line, in->col, loc); break;
  case LI_UNLESS:
    snprintf(buf, n, "%u:%u unless %s <- %s e%u e%u", in->line, in->col, dst, loc, in->e1, in->e2);
    break;
  case LI_FENCE: snprintf(buf, n, "%u:%u fence %s", in->line, in->col, fence_name[in->sub]); break;
  case LI_SET: snprintf(buf, n, "%u:%u set %s <- e%u", in->line, in->col, dst, in->e1); break;
  case LI_JZ: snprintf(buf, n, "%u:%u jz e%u %u", in->line, in->col, in->e1, in->target); break;
  default: snprintf(buf, n, "%u:%u %s %u", in->line, in->col, insn_name[in->op], in->target); break;
  }
  return buf;
}

/* Editing, for mmsim explain's fixes */

int litmus__insert(litmus_test *t, unsigned tid, unsigned pc, const litmus_insn *in) {
  litmus_thread *th = &t->th[tid];
  if (pc > th->ncode || th->ncode >= LITMUS_MAX_CODE) return SIM_EINVAL;
  if (th->ncode == th->capcode) {
    unsigned cap = th->capcode ? 2 * th->capcode : 8;
    litmus_insn *c = realloc(th->code, cap * sizeof *c);
    if (!c) return SIM_ENOMEM;
    th->code = c;
    th->capcode = cap;
  }
  /* A jump past the insertion point lands where it did; one to pc now
   * passes the new instruction first. */
  for (unsigned i = 0; i < th->ncode; i++)
    if ((th->code[i].op == LI_JZ || th->code[i].op == LI_JMP) && th->code[i].target > pc)
      th->code[i].target++;
  memmove(&th->code[pc + 1], &th->code[pc], (th->ncode - pc) * sizeof *th->code);
  th->code[pc] = *in;
  th->ncode++;
  return 0;
}

int litmus_insert_fence(litmus_test *t, unsigned tid, unsigned pc, mem_fence_kind k) {
  if (tid >= t->nthreads) return SIM_EINVAL;
  litmus_thread *th = &t->th[tid];
  if (pc > th->ncode) return SIM_EINVAL;
  /* Its source position: the instruction it goes before (or after).  A
   * jump to pc now passes the fence first, which only orders more. */
  const litmus_insn *near = pc < th->ncode ? &th->code[pc] : pc ? &th->code[pc - 1] : NULL;
  litmus_insn f = {.op = LI_FENCE, .sub = (uint8_t)k, .dst = -1, .line = near ? near->line : 0,
                   .col = near ? near->col : 0};
  return litmus__insert(t, tid, pc, &f);
}

void litmus_insn_pos(const litmus_test *t, unsigned tid, unsigned pc, unsigned *line,
                     unsigned *col) {
  *line = *col = 0;
  if (tid >= t->nthreads || pc >= t->th[tid].ncode) return;
  *line = t->th[tid].code[pc].line;
  *col = t->th[tid].code[pc].col;
}
